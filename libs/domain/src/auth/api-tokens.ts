import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Conflict, InvalidInput, type FieldProblem } from '../errors.js';
import { ApiToken } from './api-token.entity.js';
import { hashToken, newApiToken, parseScope, ROLES, type Principal, type Role, type ScopeKind } from './roles.js';
import { readRoleAndScope, scopeMisfit } from './scope-fit.js';
import { emailAddressProblem, hasLineBreak } from '../people/contact-details.js';

/**
 * How long a token may be made to last, in days. API_TOKEN_TTL_DAYS chooses the usual
 * lifetime inside these bounds, and whoever makes a token may choose another inside them;
 * ten years is long enough for any service account and still not forever.
 */
export const TOKEN_LIFETIME_DAYS = { min: 1, max: 3650, default: 365 } as const;

const DAY_MS = 86_400_000;

/** The table each kind of scope names a record of. */
const SCOPE_TABLES: Record<ScopeKind, string> = { programme: 'programmes', partnership: 'partnerships', school: 'schools', ambassador: 'ambassadors' };

export interface ApiTokenRequest {
  name?: string | null;
  role: string;
  /** `kind:uuid`, or nothing for an admin token. */
  scope?: string | null;
  /** Where a dashboard sign-in link for this token goes. */
  email?: string | null;
  /** Overrides the usual lifetime (API_TOKEN_TTL_DAYS). */
  expiresInDays?: number | null;
}

/**
 * Everything that is wrong with a request for a token that can be told without the
 * database, one problem per field. The token tool and the tokens API both ask this first.
 */
export function apiTokenRequestProblems(input: ApiTokenRequest): FieldProblem[] {
  if (!(ROLES as readonly string[]).includes(input.role)) return [{ field: 'role', message: `must be one of ${ROLES.join(', ')}` }];
  const problems = [...readRoleAndScope(input.role as Role, input.scope).problems];
  const emailProblem = input.email === null || input.email === undefined ? undefined : emailAddressProblem(input.email);
  if (emailProblem) problems.push({ field: 'email', message: emailProblem });
  if (input.name && hasLineBreak(input.name)) problems.push({ field: 'name', message: 'must be on one line' });
  const days = input.expiresInDays;
  if (days !== null && days !== undefined && (!Number.isInteger(days) || days < TOKEN_LIFETIME_DAYS.min || days > TOKEN_LIFETIME_DAYS.max)) {
    problems.push({ field: 'expiresInDays', message: `must be a whole number of days from ${TOKEN_LIFETIME_DAYS.min} to ${TOKEN_LIFETIME_DAYS.max}` });
  }
  return problems;
}

/**
 * Refuses a machine token named as one still in use (not revoked, not expired), whatever
 * the case. A name is how people tell tokens apart on the list and in the audit log, and
 * the rule also stops a form sent twice (a refresh of the page that showed the secret)
 * from quietly making a second token whose secret nobody saw. Serialised per name, so two
 * requests at once cannot both pass.
 */
export async function mustBeFreeTokenName(manager: EntityManager, name: string, now: Date): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext('api-token-name:' || lower($1)))`, [name]);
  const taken: unknown[] = await manager.query(`SELECT 1 FROM api_tokens WHERE email IS NULL AND lower(name) = lower($1) AND revoked_at IS NULL AND expires_at > $2 LIMIT 1`, [name, now]);
  if (taken.length > 0) throw new Conflict(`A token named "${name}" is already in use`, [{ field: 'name', message: 'is the name of a token still in use: choose another, or revoke that one first' }]);
}

/**
 * Makes a token: checks the request, checks that the record its scope names exists, and
 * stores the token's hash with its expiry. The secret is in the answer and nowhere else:
 * it cannot be shown again. `notAfter` caps the expiry: a token made with another token
 * never outlives it, so that a holder cannot renew themselves past their own expiry.
 */
export async function issueApiToken(
  manager: EntityManager,
  input: ApiTokenRequest,
  options: { now: Date; usualLifetimeDays: number; notAfter?: Date | null },
): Promise<{ token: ApiToken; secret: string }> {
  const problems = apiTokenRequestProblems(input);
  if (problems.length > 0) throw new InvalidInput('That token cannot be made', problems);
  const role = input.role as Role;
  const { scope } = readRoleAndScope(role, input.scope);
  if (scope) {
    const found: unknown[] = await manager.query(`SELECT 1 FROM ${SCOPE_TABLES[scope.kind]} WHERE id = $1`, [scope.id]);
    if (found.length === 0) throw new InvalidInput('That token cannot be made', [{ field: 'scope', message: `no ${scope.kind} has the id ${scope.id}` }]);
  }
  const secret = newApiToken();
  const days = input.expiresInDays ?? options.usualLifetimeDays;
  const token = manager.create(ApiToken, {
    id: randomUUID(),
    name: input.name?.trim() || `${role} token`,
    tokenHash: hashToken(secret),
    role,
    scope: scope ? `${scope.kind}:${scope.id}` : null,
    email: input.email?.toLowerCase() ?? null,
    createdAt: options.now,
    expiresAt: new Date(Math.min(options.now.getTime() + days * DAY_MS, options.notAfter?.getTime() ?? Number.POSITIVE_INFINITY)),
    revokedAt: null,
    lastUsedAt: null,
  });
  await manager.insert(ApiToken, token);
  return { token, secret };
}

export type TokenAcceptance = { principal: Principal } | { refused: 'unknown' | 'revoked' | 'expired' | 'misfit'; message: string };

/**
 * Whether a stored token may be used now, and as whom. A token made before roles and
 * scopes had to fit is refused rather than read as "no limit".
 */
export function acceptApiToken(token: Pick<ApiToken, 'id' | 'role' | 'scope' | 'expiresAt' | 'revokedAt'>, now: Date): TokenAcceptance {
  if (token.revokedAt) return { refused: 'revoked', message: 'That token has been revoked.' };
  if (token.expiresAt.getTime() <= now.getTime()) {
    return { refused: 'expired', message: `That token expired at ${token.expiresAt.toISOString()}; ask for a new one.` };
  }
  const scope = token.scope ? parseScope(token.scope) : null;
  const misfit = scope === undefined ? `its scope "${token.scope}" is not kind:uuid` : scopeMisfit(token.role, scope);
  if (scope === undefined || misfit) return { refused: 'misfit', message: `That token cannot be used: ${misfit}. Ask for a new one.` };
  return { principal: { tokenId: token.id, role: token.role, scope } };
}
