import { createHmac, randomUUID } from 'node:crypto';
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

/** The shape of every link token stemflow hands out: 256 bits, base64url. */
export const LINK_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * A link's token: an HMAC-SHA256 of its id, keyed by LINK_SECRET. Nothing stored opens a
 * link: the row keeps the token's hash, the email's data keeps the link's id (a
 * `PageAddress`), and only a process holding the secret can turn one into the other. The
 * sender does so as it renders each email, so a dump or a backup of the database, the API's
 * answers and the privacy export carry no live link.
 */
export function linkToken(secret: string, linkId: string): string {
  return createHmac('sha256', secret).update(linkId).digest('base64url');
}

/**
 * A link sent by email to a page that needs no login. Only the token's hash
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

/**
 * What a notification's data holds where an email shows a link: which link, never its
 * token. The sender renders it into the page's address as it sends (`withPageAddresses`).
 */
export interface PageAddress {
  pageLink: string;
  purpose: LinkPurpose;
}

export interface IssuedLink {
  link: PageLink;
  /** What to put in the email's data for this link. */
  address: PageAddress;
  /** False when a link with this key already existed: its email was decided with it. */
  created: boolean;
}

export function pageAddress(link: { id: string; purpose: LinkPurpose }): PageAddress {
  return { pageLink: link.id, purpose: link.purpose };
}

function isPageAddress(value: unknown): value is PageAddress {
  return typeof value === 'object' && value !== null && typeof (value as PageAddress).pageLink === 'string' && Object.hasOwn(LINK_PATHS, (value as PageAddress).purpose);
}

/** The address of a page for a token, under the platform's public base URL. */
export function pageUrl(publicBaseUrl: string, purpose: LinkPurpose, token: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/${LINK_PATHS[purpose]}/${token}`;
}

/**
 * A notification's data as its email shows it: every `PageAddress` in it turned into the
 * page's address, with the token derived from the link's id. Only the sender calls this,
 * just before rendering; what it answers is never stored.
 */
export function withPageAddresses(data: Record<string, unknown>, secret: string, publicBaseUrl: string): Record<string, unknown> {
  let rendered: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(data)) {
    if (!isPageAddress(value)) continue;
    rendered ??= { ...data };
    rendered[key] = pageUrl(publicBaseUrl, value.purpose, linkToken(secret, value.pageLink));
  }
  return rendered ?? data;
}

/**
 * A notification's data as staff may see its email: every `PageAddress` shown as the page's
 * address without its token (the link is the recipient's alone; showing it would let a
 * reader act as them), and the legacy addresses left out for the same reason.
 */
export function withPrivatePageAddresses(data: Record<string, unknown>, publicBaseUrl: string): Record<string, unknown> {
  const shown: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (key === LEGACY_LINKS) continue;
    shown[key] = isPageAddress(value) ? pageUrl(publicBaseUrl, value.purpose, PRIVATE_TOKEN) : value;
  }
  return shown;
}

/** What stands for a link's token where staff read an email. */
export const PRIVATE_TOKEN = 'the-recipients-own-link';

/**
 * Where migration 1765520000000 (LinkTokensOutOfTheDatabase) put the addresses, tokens in
 * clear, of emails that were still to be sent when tokens stopped being stored: they were
 * issued at random, so no secret can make them again. They serve until the email is sent,
 * fails or is skipped, and are removed then (and by the retention job, whatever remains).
 */
export const LEGACY_LINKS = 'legacyLinks';

/** The legacy addresses a notification's data still holds, by the field its template shows them in. */
export function legacyLinksOf(data: Record<string, unknown>): Record<string, string> {
  const links = data[LEGACY_LINKS];
  return typeof links === 'object' && links !== null ? (links as Record<string, string>) : {};
}

/**
 * Issues a link inside the caller's transaction, idempotently by key. Call it in the same
 * transaction as the `notify()` that carries its address: then a retried decision finds
 * both the link and its notification already there.
 */
export async function issuePageLink(manager: EntityManager, request: LinkRequest, now: Date, secret: string): Promise<IssuedLink> {
  const id = randomUUID();
  const token = linkToken(secret, id);
  const expiresAt = request.closesAt && request.closesAt < request.expiresAt ? request.closesAt : request.expiresAt;
  const inserted: Array<{ id: string }> = await manager.query(
    `INSERT INTO page_links (id, key, token_hash, purpose, subject_type, subject_id, email, recipient_name, person_id, cohort_id, expires_at, closes_at, renewal_of, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, lower($7), $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (key) DO NOTHING RETURNING id`,
    [
      id,
      request.key,
      hashToken(token),
      request.purpose,
      request.subjectType,
      request.subjectId,
      request.email,
      request.recipientName ?? null,
      request.personId ?? null,
      request.cohortId ?? null,
      expiresAt,
      request.closesAt ?? null,
      request.renewalOf ?? null,
      now,
    ],
  );
  const link = await manager.findOneByOrFail(PageLink, { key: request.key });
  return { link, address: pageAddress(link), created: inserted.length === 1 };
}

/**
 * `issuePageLink` for many links at once, in one statement: for each request's key, the
 * address to put in its email's data, or null when a link with that key already existed
 * (its email was decided with it).
 */
export async function issuePageLinks(manager: EntityManager, requests: LinkRequest[], now: Date, secret: string): Promise<Map<string, PageAddress | null>> {
  const addresses = new Map<string, PageAddress>();
  const values: unknown[] = [];
  const rows = requests.map((request) => {
    const id = randomUUID();
    addresses.set(request.key, { pageLink: id, purpose: request.purpose });
    const expiresAt = request.closesAt && request.closesAt < request.expiresAt ? request.closesAt : request.expiresAt;
    const at = values.length;
    values.push(
      id,
      request.key,
      hashToken(linkToken(secret, id)),
      request.purpose,
      request.subjectType,
      request.subjectId,
      request.email,
      request.recipientName ?? null,
      request.personId ?? null,
      request.cohortId ?? null,
      expiresAt,
      request.closesAt ?? null,
      request.renewalOf ?? null,
      now,
    );
    const p = (i: number) => `$${at + i}`;
    return `(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, lower(${p(7)}), ${p(8)}, ${p(9)}, ${p(10)}, ${p(11)}, ${p(12)}, ${p(13)}, ${p(14)})`;
  });
  const issued = new Map<string, PageAddress | null>(requests.map((r) => [r.key, null]));
  if (requests.length === 0) return issued;
  const inserted: Array<{ key: string }> = await manager.query(
    `INSERT INTO page_links (id, key, token_hash, purpose, subject_type, subject_id, email, recipient_name, person_id, cohort_id, expires_at, closes_at, renewal_of, created_at)
     VALUES ${rows.join(', ')}
     ON CONFLICT (key) DO NOTHING RETURNING key`,
    values,
  );
  for (const { key } of inserted) issued.set(key, addresses.get(key)!);
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
  const [, count]: [unknown, number] = await manager.query(`UPDATE page_links SET revoked_at = $3 WHERE subject_type = $1 AND subject_id = $2 AND revoked_at IS NULL`, [subjectType, subjectId, now]);
  return count;
}
