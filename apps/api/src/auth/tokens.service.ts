import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { acceptApiToken, ApiToken, APP_CONFIG, Clock, hashToken, sameSecret, type AppConfig, type Principal, type TokenAcceptance } from '#domain';

const UNKNOWN: TokenAcceptance = { refused: 'unknown', message: 'That token is not valid or has been revoked.' };
/** lastUsedAt is kept to the hour, so that using a token is a write only once an hour. */
const LAST_USED_GRAIN_MS = 3_600_000;

/**
 * Who a bearer token belongs to: the bootstrap ADMIN_TOKEN, or a stored (hashed) token.
 * Read from the database on every request, never cached, so that a revocation or an
 * expiry holds from the next request on.
 */
@Injectable()
export class TokensService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async principalFor(token: string): Promise<Principal | undefined> {
    const checked = await this.check(token);
    return 'principal' in checked ? checked.principal : undefined;
  }

  /** The principal, or why the token is refused (said to its holder in the 401). */
  async check(token: string): Promise<TokenAcceptance> {
    if (token.length < 16 || token.length > 200) return UNKNOWN;
    if (sameSecret(token, this.config.adminToken)) return { principal: { tokenId: null, role: 'admin', scope: null } };
    const stored = await this.dataSource.manager.findOneBy(ApiToken, { tokenHash: hashToken(token) });
    if (!stored) return UNKNOWN;
    const now = await this.clock.now();
    const accepted = acceptApiToken(stored, now);
    if ('principal' in accepted && (!stored.lastUsedAt || now.getTime() - stored.lastUsedAt.getTime() >= LAST_USED_GRAIN_MS)) {
      await this.dataSource.query(`UPDATE api_tokens SET last_used_at = $2 WHERE id = $1`, [stored.id, now]);
    }
    return accepted;
  }

  /** Reads `Authorization: Bearer <token>`, or Basic with the token as password (for the queue dashboard in a browser). */
  static tokenFrom(header: string | undefined): string | undefined {
    if (!header) return undefined;
    const [scheme, value] = header.split(' ', 2);
    if (!value) return undefined;
    if (scheme.toLowerCase() === 'bearer') return value.trim();
    if (scheme.toLowerCase() === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      return colon >= 0 ? decoded.slice(colon + 1) : undefined;
    }
    return undefined;
  }
}
