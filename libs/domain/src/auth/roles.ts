import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const ROLES = ['admin', 'programme_manager', 'educational_lead', 'school_contact', 'ambassador'] as const;
export type Role = (typeof ROLES)[number];

/** Each role as the people who hold it would say it. */
export const ROLE_NAMES: Record<Role, string> = {
  admin: 'Administrator',
  programme_manager: 'Programme manager',
  educational_lead: 'Educational lead',
  school_contact: 'School contact',
  ambassador: 'STEM Ambassador',
};

/** What a token may see: everything, or the records under one programme, partnership, school or ambassador. */
export const SCOPE_KINDS = ['programme', 'partnership', 'school', 'ambassador'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

export interface Principal {
  tokenId: string | null;
  role: Role;
  scope: { kind: ScopeKind; id: string } | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Parses "partnership:<uuid>"; an admin's token has no scope. */
export function parseScope(value: string): Principal['scope'] | undefined {
  const [kind, id, ...rest] = value.split(':');
  if (rest.length > 0 || !(SCOPE_KINDS as readonly string[]).includes(kind) || !id || !isUuid(id)) return undefined;
  return { kind: kind as ScopeKind, id: id.toLowerCase() };
}

/** API tokens are 256 random bits, so one fast hash is enough to store them safely. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function newApiToken(): string {
  return `sf_${randomBytes(32).toString('base64url')}`;
}

export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
