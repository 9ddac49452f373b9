import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { APP_CONFIG, brandingFor, EventTypes, issuePageLink, PageLink, Queues, type AppConfig, type EventJobData } from '#domain';
import { LINK_PURPOSE_WORDS, NotificationKinds, type LinkRenewedData } from '#notifications';
import { HandlesJob } from '../jobs/job-registry.js';
import { Notifier } from '../notifications/notifier.js';

const DAY = 86_400_000;
const londonDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' });

/**
 * A fresh link for an expired one, sent to the same address only (whoever holds an
 * expired link learns nothing and cannot redirect it). One per expired link per day:
 * asking again the same day changes nothing.
 */
@Injectable()
export class LinkRenewalWorkflow {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly notifier: Notifier,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('LinkRenewalWorkflow');
  }

  @HandlesJob(Queues.Events, EventTypes.PageLinkRenewalRequested)
  async onRenewalRequested(event: EventJobData): Promise<void> {
    const { linkId, requestedAt } = event.payload as { linkId: string; requestedAt: string };
    await this.notifier.notifyWith(async (tx, notify) => {
      const old = await tx.manager.findOneBy(PageLink, { id: linkId });
      if (!old || old.revokedAt || (old.closesAt && old.closesAt <= tx.now)) {
        this.logger.info({ linkId }, 'the link was revoked or what it opens has closed; no fresh link');
        return;
      }
      // The fresh link lasts as long as the first one did, and never past what it opens closing.
      const lifetime = Math.max(DAY, old.expiresAt.getTime() - old.createdAt.getTime());
      const key = `renewal:${old.id}:${londonDay.format(new Date(requestedAt))}`;
      const { link, address } = await issuePageLink(
        tx.manager,
        {
          key,
          purpose: old.purpose,
          subjectType: old.subjectType,
          subjectId: old.subjectId,
          email: old.email,
          recipientName: old.recipientName,
          personId: old.personId,
          cohortId: old.cohortId,
          expiresAt: new Date(tx.now.getTime() + lifetime),
          closesAt: old.closesAt,
          renewalOf: old.id,
        },
        tx.now,
        this.config.linkSecret,
      );
      await notify({
        key,
        kind: NotificationKinds.LinkRenewed,
        recipient: { email: link.email, name: link.recipientName },
        data: {
          recipientName: link.recipientName,
          what: LINK_PURPOSE_WORDS[link.purpose] ?? 'the page',
          url: address,
          expiresAt: link.expiresAt.toISOString(),
          linkId: link.id,
          ...(await brandingFor(tx.manager, { cohortId: link.cohortId })),
        } satisfies Omit<LinkRenewedData, 'url'> & Record<string, unknown>,
        about: { cohortId: link.cohortId },
      });
    });
  }
}
