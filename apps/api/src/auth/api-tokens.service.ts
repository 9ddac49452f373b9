import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  apiTokenRequestProblems,
  ApiToken,
  APP_CONFIG,
  Forbidden,
  InvalidInput,
  issueApiToken,
  mustBeFreeTokenName,
  NotFound,
  parseScope,
  revokePageLinks,
  UnitOfWork,
  type ApiTokenRequest,
  type AppConfig,
  type Principal,
} from '#domain';
import type { Page } from '../common/pagination.js';
import { Access } from './access.js';
import type { CreateApiTokenDto, ListApiTokensQuery } from './dto/api-token.dto.js';

/**
 * API tokens made, listed and revoked through the API and the console. An admin manages
 * every token; a programme manager only tokens scoped inside their own programme, and never
 * an admin token. A token out of their reach answers as an absent one does (404). A token
 * made with a stored token expires no later than it does. People's accounts are tokens with
 * an email address (docs/accounts.md); machine tokens have none.
 */
@Injectable()
export class ApiTokensService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly access: Access,
  ) {}

  async create(principal: Principal, input: CreateApiTokenDto): Promise<{ token: ApiToken; secret: string }> {
    return this.unitOfWork.run(async (tx) => {
      await this.mustHandOut(principal, input, tx.manager);
      if (!input.email) await mustBeFreeTokenName(tx.manager, input.name?.trim() || `${input.role} token`, tx.now);
      return this.issue(principal, input, tx.manager, tx.now);
    });
  }

  /**
   * Refuses a role and scope the principal may not hand out, as tokens and invitations both
   * ask: a manager never makes an admin or an ambassador's token, and a scope outside their
   * programme answers as an absent record (404).
   */
  async mustHandOut(principal: Principal, input: ApiTokenRequest, manager: EntityManager): Promise<void> {
    const programmeId = this.managedProgramme(principal);
    if (programmeId && input.role === 'admin') throw new Forbidden('A programme manager may not make an admin token.', [{ field: 'role', message: 'admin is for admins to hand out' }]);
    const problems = apiTokenRequestProblems(input);
    if (problems.length > 0) throw new InvalidInput('That token cannot be made', problems);
    if (!programmeId) return;
    const scope = parseScope(input.scope!)!;
    if (scope.kind === 'ambassador') {
      throw new Forbidden('A programme manager may not make an ambassador token: ambassadors belong to the shared pool.', [{ field: 'scope', message: 'ambassador scopes are for admins' }]);
    }
    if (!(await this.access.mayManageTokenScope(principal, `${scope.kind}:${scope.id}`, manager))) throw new NotFound(capitalised(scope.kind), scope.id);
  }

  /** Stores a token the principal may hand out (checked by `mustHandOut`), never outliving the principal's own. */
  async issue(principal: Principal, input: ApiTokenRequest, manager: EntityManager, now: Date): Promise<{ token: ApiToken; secret: string }> {
    const maker = principal.tokenId ? await manager.findOneBy(ApiToken, { id: principal.tokenId }) : null;
    return issueApiToken(manager, input, { now, usualLifetimeDays: this.config.apiTokenTtlDays, notAfter: maker?.expiresAt });
  }

  async list(principal: Principal, query: ListApiTokensQuery): Promise<Page<ApiToken>> {
    this.managedProgramme(principal); // refuses the roles that manage no tokens
    const builder = this.dataSource.manager.createQueryBuilder(ApiToken, 't').where(this.access.where('t.scope', this.access.tokenScopesToManage(principal)), this.access.params(principal));
    if (query.holder === 'machine') builder.andWhere('t.email IS NULL');
    if (query.holder === 'person') builder.andWhere('t.email IS NOT NULL');
    const [items, total] = await builder
      .orderBy('t.createdAt', 'DESC')
      .addOrderBy('t.id')
      .skip((query.page - 1) * query.pageSize)
      .take(query.pageSize)
      .getManyAndCount();
    return { items, page: query.page, pageSize: query.pageSize, total };
  }

  /**
   * Revokes at once: the next request with it is refused, its console sessions end and its
   * unused sign-in links stop working. Revoking twice changes nothing.
   */
  async revoke(principal: Principal, id: string): Promise<ApiToken> {
    return this.unitOfWork.run(async (tx) => {
      const token = await this.findToManage(principal, id, tx.manager);
      if (!token.revokedAt) {
        token.revokedAt = tx.now;
        await tx.manager.update(ApiToken, { id }, { revokedAt: tx.now });
        await tx.manager.query(`UPDATE dashboard_sessions SET ended_at = $2 WHERE api_token_id = $1 AND ended_at IS NULL`, [id, tx.now]);
        await revokePageLinks(tx.manager, 'api_token', id, tx.now);
      }
      return token;
    });
  }

  /** The token, locked for a change, if the principal manages it; else the 404 an absent one gets. */
  async findToManage(principal: Principal, id: string, manager: EntityManager): Promise<ApiToken> {
    const programmeId = this.managedProgramme(principal);
    const token = await manager.findOne(ApiToken, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!token || (programmeId && !(token.scope && (await this.access.mayManageTokenScope(principal, token.scope, manager))))) throw new NotFound('API token', id);
    return token;
  }

  /** The programme a programme manager's token manages tokens in; null for an admin, who manages all. */
  managedProgramme(principal: Principal): string | null {
    if (principal.role === 'admin') return null;
    if (principal.role === 'programme_manager' && principal.scope?.kind === 'programme') return principal.scope.id;
    throw new Forbidden(`A ${principal.role.replace('_', ' ')} token may not manage tokens.`);
  }
}

function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
