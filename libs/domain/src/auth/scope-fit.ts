import type { FieldProblem } from '../errors.js';
import { parseScope, type Principal, type Role, type ScopeKind } from './roles.js';

/**
 * The one kind of scope each role takes. Every rule about what a token sees reads its
 * scope through its role (a lead sees their partnership's schools, a school contact their
 * school), so a role holding another role's kind of scope has no sensible meaning: a lead
 * scoped to a school fell through to "no limit" in the report figures. Tokens, and later
 * invitations, are refused when made if they do not fit, and refused when used.
 */
export const SCOPE_KIND_OF_ROLE: Readonly<Record<Role, ScopeKind | null>> = {
  admin: null,
  programme_manager: 'programme',
  educational_lead: 'partnership',
  school_contact: 'school',
  ambassador: 'ambassador',
};

/** Why a role and a scope do not fit together, in words a person can act on; undefined when they do. */
export function scopeMisfit(role: Role, scope: Principal['scope']): string | undefined {
  const wanted = SCOPE_KIND_OF_ROLE[role];
  const aRole = withArticle(role.replace('_', ' '));
  if (wanted === null) return scope ? `${aRole} token sees everything and takes no scope (got ${scope.kind}:${scope.id})` : undefined;
  if (!scope) return `${aRole} token needs a scope of ${wanted}:<uuid>`;
  if (scope.kind !== wanted) return `${aRole} token is scoped to ${withArticle(wanted)}, not ${withArticle(scope.kind)} (expected ${wanted}:<uuid>)`;
  return undefined;
}

/**
 * Reads a role and a scope as typed (the token tool, the tokens API, a stored row) and
 * names each problem against its field; `scope` is null or empty for none.
 */
export function readRoleAndScope(role: Role, scopeText: string | null | undefined): { scope: Principal['scope']; problems: FieldProblem[] } {
  if (scopeText === null || scopeText === undefined || scopeText === '') {
    const misfit = scopeMisfit(role, null);
    return { scope: null, problems: misfit ? [{ field: 'scope', message: misfit }] : [] };
  }
  const scope = parseScope(scopeText);
  if (!scope) return { scope: null, problems: [{ field: 'scope', message: `"${scopeText}" is not kind:uuid (kind: programme, partnership, school or ambassador)` }] };
  const misfit = scopeMisfit(role, scope);
  return { scope, problems: misfit ? [{ field: 'scope', message: misfit }] : [] };
}

function withArticle(noun: string): string {
  return `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
}
