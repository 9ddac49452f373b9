import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiToken, APP_CONFIG, hashToken, parseScope, sameSecret, type AppConfig, type Principal } from '#domain';

/** Who a bearer token belongs to: the bootstrap ADMIN_TOKEN, or a stored (hashed) token. */
@Injectable()
export class TokensService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  async principalFor(token: string): Promise<Principal | undefined> {
    if (token.length < 16 || token.length > 200) return undefined;
    if (sameSecret(token, this.config.adminToken)) return { tokenId: null, role: 'admin', scope: null };
    const stored = await this.dataSource.manager.findOneBy(ApiToken, { tokenHash: hashToken(token) });
    if (!stored || stored.revokedAt) return undefined;
    const scope = stored.scope ? parseScope(stored.scope) : null;
    if (scope === undefined) return undefined;
    return { tokenId: stored.id, role: stored.role, scope };
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
