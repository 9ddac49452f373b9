import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ApiToken, Clock, Conflict, EventTypes, Forbidden, InvalidInput, NotFound, ROLE_NAMES, UnitOfWork, type Principal, type Role } from '#domain';
import { Access } from '../auth/access.js';
import { ApiTokensService } from '../auth/api-tokens.service.js';
import { CONSOLE_ROLES } from '../dashboard/dashboard-auth.js';
import type { Page } from '../common/pagination.js';

export type AccountStatus = 'active' | 'invited' | 'expired' | 'revoked';

/** A person with access, as the People with access page and GET /api/v1/users show them. */
export interface Account {
  id: string;
  name: string;
  email: string;
  role: Role;
  scope: string | null;
  /** The programme's, partnership's or school's name; null for an admin. */
  scopeName: string | null;
  status: AccountStatus;
  lastSignedInAt: Date | null;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

export interface AccountRequest {
  name: string;
  email: string;
  role: string;
  scope?: string | null;
}

/** What an inviter may hand out, by name: the programmes and partnerships of their reach. */
export interface ScopeChoices {
  programmes: Array<{ id: string; name: string }>;
  partnerships: Array<{ id: string; name: string; programmeName: string | null }>;
}

const SCOPE_ID = `(CASE WHEN t.scope ~ '^[a-z]+:[0-9a-fA-F-]{36}$' THEN split_part(t.scope, ':', 2)::uuid END)`;
/** The name of the record `t.scope` names. */
const SCOPE_NAME = `CASE split_part(t.scope, ':', 1)
    WHEN 'programme' THEN (SELECT name FROM programmes WHERE id = ${SCOPE_ID})
    WHEN 'partnership' THEN (SELECT name FROM partnerships WHERE id = ${SCOPE_ID})
    WHEN 'school' THEN (SELECT name FROM schools WHERE id = ${SCOPE_ID})
    WHEN 'ambassador' THEN (SELECT name FROM ambassadors WHERE id = ${SCOPE_ID})
  END`;
const ACCOUNT_COLUMNS = `t.id, t.name, t.email, t.role, t.scope, t.created_at AS "createdAt", t.expires_at AS "expiresAt", t.revoked_at AS "revokedAt",
  ${SCOPE_NAME} AS "scopeName",
  (SELECT max(s.created_at) FROM dashboard_sessions s WHERE s.api_token_id = t.id) AS "lastSignedInAt"`;

/**
 * People's access to the console: an account is an API token with an email address
 * (docs/accounts.md). Admins and programme managers invite people with a role and a scope,
 * change them, and revoke them, under the same rule as the tokens API
 * (`Access.tokenScopesToManage`): a manager works inside their programme, never makes an
 * admin, and never sees accounts beyond it. The invited person is emailed a sign-in link.
 */
@Injectable()
export class AccountsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly unitOfWork: UnitOfWork,
    private readonly access: Access,
    private readonly tokens: ApiTokensService,
  ) {}

  async list(principal: Principal, query: { page: number; pageSize: number }): Promise<Page<Account>> {
    this.tokens.managedProgramme(principal);
    const [where, params] = this.reach(principal);
    const now = await this.clock.now();
    const [{ total }]: Array<{ total: number }> = await this.dataSource.query(`SELECT count(*)::int AS total FROM api_tokens t WHERE t.email IS NOT NULL AND ${where}`, params);
    const rows: AccountRow[] = await this.dataSource.query(
      `SELECT ${ACCOUNT_COLUMNS} FROM api_tokens t WHERE t.email IS NOT NULL AND ${where}
        ORDER BY (t.revoked_at IS NOT NULL), lower(t.name), t.id LIMIT ${Number(query.pageSize)} OFFSET ${(Number(query.page) - 1) * Number(query.pageSize)}`,
      params,
    );
    return { items: rows.map((row) => accountOf(row, now)), page: query.page, pageSize: query.pageSize, total };
  }

  async get(principal: Principal, id: string, manager: EntityManager = this.dataSource.manager): Promise<Account> {
    this.tokens.managedProgramme(principal);
    const [where, params] = this.reach(principal, [id]);
    const [row]: AccountRow[] = await manager.query(`SELECT ${ACCOUNT_COLUMNS} FROM api_tokens t WHERE t.id = $1 AND t.email IS NOT NULL AND ${where}`, params);
    if (!row) throw new NotFound('Account', id);
    return accountOf(row, await this.clock.now());
  }

  /**
   * Gives someone access and emails them an invitation with a sign-in link. One account an
   * address: an address that already has access is refused (409), whoever's it is.
   */
  async invite(principal: Principal, input: AccountRequest): Promise<Account> {
    mustBeConsoleRole(input.role);
    const email = input.email.trim().toLowerCase();
    const id = await this.unitOfWork.run(async (tx) => {
      const request = { name: input.name.trim(), email, role: input.role, scope: input.scope || null };
      await this.tokens.mustHandOut(principal, request, tx.manager);
      // Two invitations of one address at once: the second waits, then finds the first.
      await tx.manager.query(`SELECT pg_advisory_xact_lock(hashtext('stemflow:account:' || $1))`, [email]);
      const [taken] = await tx.manager.query(`SELECT 1 FROM api_tokens WHERE lower(email) = $1 AND revoked_at IS NULL AND expires_at > $2`, [email, tx.now]);
      if (taken) throw new Conflict('Someone with this email address already has access to stemflow.', [{ field: 'email', message: 'already has access' }]);
      const { token } = await this.tokens.issue(principal, request, tx.manager, tx.now);
      const account = await this.get(principal, token.id, tx.manager);
      const inviter = principal.tokenId ? await tx.manager.findOneBy(ApiToken, { id: principal.tokenId }) : null;
      tx.record({
        type: EventTypes.AccountInvited,
        aggregateType: 'api_token',
        aggregateId: token.id,
        payload: { apiTokenId: token.id, invitedBy: inviter?.name ?? 'The stemflow administrator', roleName: ROLE_NAMES[account.role], scopeName: account.scopeName },
      });
      return token.id;
    });
    return this.get(principal, id);
  }

  /** A new role or scope, held from the person's next page on; never one's own, never beyond the principal's reach. */
  async change(principal: Principal, id: string, input: { role: string; scope?: string | null }): Promise<Account> {
    mustBeConsoleRole(input.role);
    await this.unitOfWork.run(async (tx) => {
      const account = await this.get(principal, id, tx.manager);
      await this.tokens.findToManage(principal, id, tx.manager);
      if (principal.tokenId === id) throw new Forbidden('You cannot change your own role or scope: ask an administrator.');
      if (account.status === 'revoked' || account.status === 'expired') throw new Conflict(`${account.name}'s access has ended: invite them again to give them access.`);
      const scope = input.scope || null;
      await this.tokens.mustHandOut(principal, { name: account.name, role: input.role, scope }, tx.manager);
      await tx.manager.update(ApiToken, { id }, { role: input.role as Role, scope });
    });
    return this.get(principal, id);
  }

  /** Ends the person's access and every session of theirs at once. */
  async revoke(principal: Principal, id: string): Promise<Account> {
    await this.get(principal, id);
    if (principal.tokenId === id) throw new Forbidden('You cannot revoke your own access: ask an administrator.');
    await this.tokens.revoke(principal, id);
    return this.get(principal, id);
  }

  /** The programmes and partnerships the principal may give access to, by name. */
  async scopeChoices(principal: Principal): Promise<ScopeChoices> {
    this.tokens.managedProgramme(principal);
    const scopes = this.access.tokenScopesToManage(principal);
    const params = this.access.params(principal);
    const run = <T>(sql: string): Promise<T[]> => {
      const [query, values] = this.dataSource.driver.escapeQueryWithParameters(sql, params);
      return this.dataSource.query(query, values);
    };
    const [programmes, partnerships] = await Promise.all([
      run<{ id: string; name: string }>(`SELECT g.id, g.name FROM programmes g WHERE ${scopes === null ? 'TRUE' : `'programme:' || g.id::text IN (${scopes})`} ORDER BY lower(g.name), g.id`),
      run<{ id: string; name: string; programmeName: string | null }>(
        `SELECT p.id, p.name, g.name AS "programmeName" FROM partnerships p LEFT JOIN cohorts c ON c.id = p.cohort_id LEFT JOIN programmes g ON g.id = c.programme_id
          WHERE ${scopes === null ? 'TRUE' : `'partnership:' || p.id::text IN (${scopes})`} ORDER BY lower(g.name), lower(p.name), p.id`,
      ),
    ]);
    return { programmes, partnerships };
  }

  /** The names of the records scopes name (`kind:uuid`), by scope; an unknown or malformed scope is left out. */
  async scopeNames(scopes: Array<string | null>): Promise<Record<string, string>> {
    const wanted = [...new Set(scopes.filter((s): s is string => !!s))];
    if (wanted.length === 0) return {};
    const rows: Array<{ scope: string; name: string | null }> = await this.dataSource.query(`SELECT t.scope, ${SCOPE_NAME} AS name FROM (SELECT unnest($1::text[]) AS scope) t`, [wanted]);
    return Object.fromEntries(rows.filter((r) => r.name !== null).map((r) => [r.scope, r.name!]));
  }

  /** The platform's clock, for pages that say whether something has expired. */
  now(): Promise<Date> {
    return this.clock.now();
  }

  /** The accounts the principal manages, as a condition on `api_tokens t` with positional parameters after `leading`. */
  private reach(principal: Principal, leading: unknown[] = []): [string, unknown[]] {
    const scopes = this.access.tokenScopesToManage(principal);
    if (scopes === null) return ['TRUE', leading];
    const [sql, values] = this.dataSource.driver.escapeQueryWithParameters(`t.scope IN (${scopes})`, this.access.params(principal));
    // Renumber the condition's own parameters after the leading ones.
    return [sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + leading.length}`), [...leading, ...values]];
  }
}

type AccountRow = Omit<Account, 'status'>;

function accountOf(row: AccountRow, now: Date): Account {
  const status: AccountStatus = row.revokedAt ? 'revoked' : row.expiresAt <= now ? 'expired' : row.lastSignedInAt ? 'active' : 'invited';
  return { ...row, status };
}

function mustBeConsoleRole(role: string): void {
  if (!(CONSOLE_ROLES as string[]).includes(role)) {
    throw new InvalidInput('People are given access as an admin, a programme manager or an educational lead', [
      { field: 'role', message: `must be one of ${CONSOLE_ROLES.join(', ')}: other roles do not sign in to the console; give a service an API token instead` },
    ]);
  }
}
