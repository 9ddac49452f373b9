import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { acceptApiToken, APP_CONFIG, Clock, EventTypes, hashToken, LinkPurposes, resolvePageLink, UnitOfWork, type AppConfig, type PageLink, type Principal, type Role } from '#domain';
import { RateLimits } from '../common/rate-limits.js';

export const SESSION_COOKIE = 'stemflow_dashboard';
const SESSION_MS = 12 * 3_600_000;
/** A session's last use is written at most once a minute, so that reading a page stays a read. */
const LAST_SEEN_GRAIN_MS = 60_000;
/** Who may sign in to the console: the people who run programmes and partnerships. */
export const CONSOLE_ROLES: Role[] = ['admin', 'programme_manager', 'educational_lead'];

interface StoredToken {
  id: string;
  role: Role;
  scope: string | null;
  expiresAt: Date;
  revokedAt: Date | null;
}

export interface DashboardUser {
  principal: Principal;
  name: string;
}

/**
 * Sign-in by a link emailed to the address on a token, and the session cookie that
 * follows. The sign-in page answers the same whether or not the address is known, and
 * whether or not its sign-in emails for the hour are used up; a link is used by a button on
 * its page (a mail scanner opening it signs nobody in).
 */
@Injectable()
export class DashboardAuth {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly unitOfWork: UnitOfWork,
    private readonly limits: RateLimits,
  ) {}

  /** Only a token that could be used now gets a link: not a revoked, expired or ill-fitting one. */
  async requestLink(email: string): Promise<void> {
    const now = await this.clock.now();
    const candidates: StoredToken[] = await this.dataSource.query(
      `SELECT id, role, scope, expires_at AS "expiresAt", revoked_at AS "revokedAt" FROM api_tokens
        WHERE lower(email) = lower($1) AND revoked_at IS NULL AND expires_at > $3 AND role = ANY($2) ORDER BY created_at DESC`,
      [email.trim(), CONSOLE_ROLES, now],
    );
    const token = candidates.find((candidate) => 'principal' in acceptApiToken(candidate, now));
    if (!token) return;
    // Anyone can ask for a link to any address: the address gets a few an hour, not a flood.
    if (!(await this.limits.signInEmailAllowed(email))) return;
    await this.unitOfWork.run(async (tx) => {
      tx.record({ type: EventTypes.DashboardSignInRequested, aggregateType: 'api_token', aggregateId: token.id, payload: { apiTokenId: token.id } });
    });
  }

  /** The link a sign-in token names, if it can still be used. */
  async link(token: string): Promise<PageLink | undefined> {
    const resolved = await resolvePageLink(this.dataSource.manager, token, LinkPurposes.DashboardSignIn, await this.clock.now());
    return resolved.state === 'valid' ? resolved.link : undefined;
  }

  /** Uses a sign-in link once (a second use finds it revoked) and starts a session; answers the cookie value. */
  async signIn(token: string): Promise<string | undefined> {
    return this.unitOfWork.run(async (tx) => {
      const resolved = await resolvePageLink(tx.manager, token, LinkPurposes.DashboardSignIn, tx.now);
      if (resolved.state !== 'valid') return undefined;
      const [, used]: [unknown, number] = await tx.manager.query(`UPDATE page_links SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, [resolved.link.id, tx.now]);
      if (used !== 1) return undefined;
      const session = randomBytes(32).toString('base64url');
      await tx.manager.query(`INSERT INTO dashboard_sessions (id, token_hash, api_token_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $4, $5)`, [
        randomUUID(),
        hashToken(session),
        resolved.link.subjectId,
        tx.now,
        new Date(tx.now.getTime() + SESSION_MS),
      ]);
      return session;
    });
  }

  /**
   * A session lasts as long as the token it was signed in with (revoking or expiring the
   * token ends it at once), at most 12 hours, and ends when left unused for
   * SESSION_IDLE_MINUTES: the next page then asks the person to sign in again.
   */
  async userFor(req: Request): Promise<DashboardUser | undefined> {
    const session = sessionCookie(req);
    if (!session) return undefined;
    const now = await this.clock.now();
    const idleSince = new Date(now.getTime() - this.config.sessionIdleMinutes * 60_000);
    const [row]: Array<StoredToken & { name: string; sessionId: string; lastSeenAt: Date }> = await this.dataSource.query(
      `SELECT t.id, t.name, t.role, t.scope, t.expires_at AS "expiresAt", t.revoked_at AS "revokedAt", s.id AS "sessionId", s.last_seen_at AS "lastSeenAt"
         FROM dashboard_sessions s JOIN api_tokens t ON t.id = s.api_token_id
        WHERE s.token_hash = $1 AND s.ended_at IS NULL AND s.expires_at > $2 AND s.last_seen_at > $3`,
      [hashToken(session), now, idleSince],
    );
    if (!row || !CONSOLE_ROLES.includes(row.role)) return undefined;
    const accepted = acceptApiToken(row, now);
    if (!('principal' in accepted)) return undefined;
    if (now.getTime() - row.lastSeenAt.getTime() >= LAST_SEEN_GRAIN_MS) {
      await this.dataSource.query(`UPDATE dashboard_sessions SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2`, [row.sessionId, now]);
    }
    return { name: row.name, principal: accepted.principal };
  }

  async signOut(req: Request): Promise<void> {
    const session = sessionCookie(req);
    if (!session) return;
    // Every session of the same account: signing out on one device signs out on all of them.
    await this.unitOfWork.run((tx) =>
      tx.manager.query(`UPDATE dashboard_sessions SET ended_at = $2 WHERE ended_at IS NULL AND api_token_id = (SELECT api_token_id FROM dashboard_sessions WHERE token_hash = $1)`, [
        hashToken(session),
        tx.now,
      ]),
    );
  }
}

function sessionCookie(req: Request): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) {
      const v = value.join('=');
      return /^[A-Za-z0-9_-]{43}$/.test(v) ? v : undefined;
    }
  }
  return undefined;
}

/** For the whole site: its address (`/`) reads the session too, to send a signed-in person home. */
export function sessionCookieHeader(value: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_MS / 1000}${secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
}
