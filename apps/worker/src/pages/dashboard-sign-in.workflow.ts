import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { acceptApiToken, APP_CONFIG, ApiToken, EventTypes, issuePageLink, LinkPurposes, Queues, type AppConfig, type EventJobData } from '#domain';
import { NotificationKinds } from '#notifications';
import { HandlesJob } from '../jobs/job-registry.js';
import { Notifier } from '../notifications/notifier.js';

/** A sign-in link lasts long enough to open the email, and works once. */
const SIGN_IN_LINK_MS = 15 * 60_000;

/**
 * Someone asked, on the dashboard's sign-in page, for a link to the address on their
 * token. Each request is its own link; the page never says whether the address is known.
 */
@Injectable()
export class DashboardSignInWorkflow {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly notifier: Notifier,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('DashboardSignInWorkflow');
  }

  @HandlesJob(Queues.Events, EventTypes.DashboardSignInRequested)
  async onSignInRequested(event: EventJobData): Promise<void> {
    const { apiTokenId } = event.payload as { apiTokenId: string };
    await this.notifier.notifyWith(async (tx, notify) => {
      const token = await tx.manager.findOneBy(ApiToken, { id: apiTokenId });
      // Checked again here: the token may have been revoked or expired since the link was asked for.
      const accepted = token ? acceptApiToken(token, tx.now) : undefined;
      if (!token?.email || !accepted || !('principal' in accepted)) {
        this.logger.info({ apiTokenId, refused: accepted && 'refused' in accepted ? accepted.refused : 'no email' }, 'no sign-in link: the token cannot be used or has no email');
        return;
      }
      const key = `sign-in:${event.eventId}`;
      const expiresAt = new Date(new Date(event.occurredAt).getTime() + SIGN_IN_LINK_MS);
      const { link, address } = await issuePageLink(
        tx.manager,
        {
          key,
          purpose: LinkPurposes.DashboardSignIn,
          subjectType: 'api_token',
          subjectId: token.id,
          email: token.email,
          recipientName: token.name,
          expiresAt,
          closesAt: expiresAt,
        },
        tx.now,
        this.config.linkSecret,
      );
      await notify({
        key,
        kind: NotificationKinds.DashboardSignIn,
        recipient: { email: link.email, name: token.name },
        data: { recipientName: token.name, url: address, expiresAt: link.expiresAt.toISOString(), linkId: link.id },
      });
    });
  }
}
