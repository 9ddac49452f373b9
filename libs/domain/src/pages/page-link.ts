import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { hashToken } from '../auth/roles.js';

/**
 * What a link in an email opens, and the path it lives under. One link serves one purpose
 * for one person: a self-evaluation link cannot open an ambassador's offer.
 */
export const LinkPurposes = {
  SelfEvaluation: 'self_evaluation',
  AmbassadorOffer: 'ambassador_offer',
  Survey: 'survey',
  /** A one-time link that signs a programme manager or lead in to the dashboard. */
  DashboardSignIn: 'dashboard_sign_in',
} as const;
export type LinkPurpose = (typeof LinkPurposes)[keyof typeof LinkPurposes];

export const LINK_PATHS: Record<LinkPurpose, string> = {
  [LinkPurposes.SelfEvaluation]: 'e',
  [LinkPurposes.AmbassadorOffer]: 'r',
  [LinkPurposes.Survey]: 's',
  [LinkPurposes.DashboardSignIn]: 'sign-in',
};

/** The shape of every token stemflow hands out: 256 random bits, base64url. */
export const LINK_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * A link sent by email to a page that needs no login (DESIGN.md §7). Only the token's hash
 * is stored; the token itself travels in the email. `expiresAt` ends the link,
 * `closesAt` the thing it opens (a deadline): an expired link to something still open
 * can be exchanged for a fresh one sent to the same address.
 */
@Entity('page_links')
export class PageLink {
  @PrimaryColumn('uuid') id: string;
  /** Unique per decision to send a link, so deciding twice issues one link. */
  @Column('text', { unique: true }) key: string;
  @Column('text', { name: 'token_hash', unique: true }) tokenHash: string;
  @Column('text') purpose: LinkPurpose;
  @Column('text', { name: 'subject_type' }) subjectType: string;
  @Column('uuid', { name: 'subject_id' }) subjectId: string;
  @Column('text') email: string;
  @Column('text', { name: 'recipient_name', nullable: true }) recipientName: string | null;
  @Column('uuid', { name: 'person_id', nullable: true }) personId: string | null;
  @Column('uuid', { name: 'cohort_id', nullable: true }) cohortId: string | null;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt: Date;
  @Column('timestamptz', { name: 'closes_at', nullable: true }) closesAt: Date | null;
  @Column('uuid', { name: 'renewal_of', nullable: true }) renewalOf: string | null;
  @Column('timestamptz', { name: 'first_opened_at', nullable: true }) firstOpenedAt: Date | null;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
}

export interface LinkRequest {
  key: string;
  purpose: LinkPurpose;
  subjectType: string;
  subjectId: string;
  email: string;
  recipientName?: string | null;
  personId?: string | null;
  cohortId?: string | null;
  expiresAt: Date;
  closesAt?: Date | null;
  renewalOf?: string | null;
}

export interface IssuedLink {
  link: PageLink;
  /** The token to put in the email: present only when this call created the link. */
  token: string | null;
}

/** The address of a page for a token, under the platform's public base URL. */
export function pageUrl(publicBaseUrl: string, purpose: LinkPurpose, token: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/${LINK_PATHS[purpose]}/${token}`;
}

/**
 * Issues a link inside the caller's transaction, idempotently by key. Call it in the same
 * transaction as the `notify()` that carries the token: then a retried decision finds
 * both the link and its notification already there, and no second token is ever made.
 */
export async function issuePageLink(manager: EntityManager, request: LinkRequest, now: Date): Promise<IssuedLink> {
  const token = randomBytes(32).toString('base64url');
  const id = randomUUID();
  const expiresAt = request.closesAt && request.closesAt < request.expiresAt ? request.closesAt : request.expiresAt;
  const inserted: Array<{ id: string }> = await manager.query(
    `INSERT INTO page_links (id, key, token_hash, purpose, subject_type, subject_id, email, recipient_name, person_id, cohort_id, expires_at, closes_at, renewal_of, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, lower($7), $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (key) DO NOTHING RETURNING id`,
    [
      id, request.key, hashToken(token), request.purpose, request.subjectType, request.subjectId, request.email, request.recipientName ?? null, request.personId ?? null,
      request.cohortId ?? null, expiresAt, request.closesAt ?? null, request.renewalOf ?? null, now,
    ],
  );
  const link = await manager.findOneByOrFail(PageLink, { key: request.key });
  return { link, token: inserted.length === 1 ? token : null };
}

/**
 * `issuePageLink` for many links at once, in one statement: for each request's key, the
 * token to put in its email, or null when a link with that key already existed.
 */
export async function issuePageLinks(manager: EntityManager, requests: LinkRequest[], now: Date): Promise<Map<string, string | null>> {
  const tokens = new Map<string, string>();
  const values: unknown[] = [];
  const rows = requests.map((request) => {
    const token = randomBytes(32).toString('base64url');
    tokens.set(request.key, token);
    const expiresAt = request.closesAt && request.closesAt < request.expiresAt ? request.closesAt : request.expiresAt;
    const at = values.length;
    values.push(
      randomUUID(), request.key, hashToken(token), request.purpose, request.subjectType, request.subjectId, request.email, request.recipientName ?? null, request.personId ?? null,
      request.cohortId ?? null, expiresAt, request.closesAt ?? null, request.renewalOf ?? null, now,
    );
    const p = (i: number) => `$${at + i}`;
    return `(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, lower(${p(7)}), ${p(8)}, ${p(9)}, ${p(10)}, ${p(11)}, ${p(12)}, ${p(13)}, ${p(14)})`;
  });
  const issued = new Map<string, string | null>(requests.map((r) => [r.key, null]));
  if (requests.length === 0) return issued;
  const inserted: Array<{ key: string }> = await manager.query(
    `INSERT INTO page_links (id, key, token_hash, purpose, subject_type, subject_id, email, recipient_name, person_id, cohort_id, expires_at, closes_at, renewal_of, created_at)
     VALUES ${rows.join(', ')}
     ON CONFLICT (key) DO NOTHING RETURNING key`,
    values,
  );
  for (const { key } of inserted) issued.set(key, tokens.get(key)!);
  return issued;
}

export type ResolvedLink =
  | { state: 'valid'; link: PageLink }
  /** Past its expiry; `renewable` when what it opens is still open. */
  | { state: 'expired'; link: PageLink; renewable: boolean }
  | { state: 'unknown' };

/**
 * Finds the link a token names, for one purpose. A malformed, unknown, revoked or
 * other-purpose token is simply unknown: the page says "not valid" and tells nothing more.
 */
export async function resolvePageLink(manager: EntityManager, token: string, purpose: LinkPurpose, now: Date): Promise<ResolvedLink> {
  if (!LINK_TOKEN.test(token)) return { state: 'unknown' };
  const link = await manager.findOneBy(PageLink, { tokenHash: hashToken(token) });
  if (!link || link.purpose !== purpose || link.revokedAt) return { state: 'unknown' };
  if (link.expiresAt <= now) return { state: 'expired', link, renewable: !link.closesAt || link.closesAt > now };
  if (!link.firstOpenedAt) await manager.query(`UPDATE page_links SET first_opened_at = $2 WHERE id = $1 AND first_opened_at IS NULL`, [link.id, now]);
  return { state: 'valid', link };
}

/** Ends every live link to a subject (an offer withdrawn, a person erased). */
export async function revokePageLinks(manager: EntityManager, subjectType: string, subjectId: string, now: Date): Promise<number> {
  const [, count]: [unknown, number] = await manager.query(
    `UPDATE page_links SET revoked_at = $3 WHERE subject_type = $1 AND subject_id = $2 AND revoked_at IS NULL`,
    [subjectType, subjectId, now],
  );
  return count;
}
