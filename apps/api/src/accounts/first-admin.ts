import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { APP_CONFIG, issueApiToken, UnitOfWork, type AppConfig } from '#domain';

/**
 * ADMIN_EMAIL's account: when the API starts and no live admin account has that address,
 * one is made, so a new installation is signed in to through the site (`/`) rather than
 * with a script. Replicas starting together take one lock, so only the first makes it.
 */
@Injectable()
export class FirstAdmin implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly unitOfWork: UnitOfWork,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('FirstAdmin');
  }

  async onApplicationBootstrap(): Promise<void> {
    const email = this.config.adminEmail;
    if (!email) return;
    const made = await this.unitOfWork.run(async (tx) => {
      await tx.manager.query(`SELECT pg_advisory_xact_lock(hashtext('stemflow:account:' || $1))`, [email]);
      const [live] = await tx.manager.query(`SELECT 1 FROM api_tokens WHERE role = 'admin' AND lower(email) = $1 AND revoked_at IS NULL AND expires_at > $2`, [email, tx.now]);
      if (live) return false;
      await issueApiToken(tx.manager, { name: 'Administrator', role: 'admin', email }, { now: tx.now, usualLifetimeDays: this.config.apiTokenTtlDays });
      return true;
    });
    if (made) this.logger.info('made the admin account for ADMIN_EMAIL: sign in at the site with that address');
  }
}
