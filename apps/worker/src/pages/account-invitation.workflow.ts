import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { acceptApiToken, APP_CONFIG, ApiToken, EventTypes, issuePageLink, LinkPurposes, parseScope, Queues, type AppConfig, type EventJobData } from '#domain';
import { NotificationKinds, type NotificationSubject } from '#notifications';
import { HandlesJob } from '../jobs/job-registry.js';
import { Notifier } from '../notifications/notifier.js';

/** An invitation's link waits a week for its person: long enough for a holiday, short enough not to linger. */
export const INVITATION_LINK_MS = 7 * 86_400_000;

/**
 * The invitation is about the scope it gives, so that the programme's managers (and a
 * partnership's lead) see it in the email ledger beside the programme's other mail, as
 * they see the person on the People with access page. An admin's invitation is about no
 * programme: admins alone see it.
 */
function invitationAbout(scope: string | null): NotificationSubject {
  const parsed = scope ? parseScope(scope) : undefined;
  if (parsed?.kind === 'programme') return { programmeId: parsed.id };
  if (parsed?.kind === 'partnership') return { partnershipId: parsed.id };
  if (parsed?.kind === 'school') return { schoolId: parsed.id };
  return {};
}

/**
 * Someone was given access on the People with access page (or POST /api/v1/users): their
 * invitation says who invited them, to what, and carries a one-time sign-in link.
 */
@Injectable()
export class AccountInvitationWorkflow {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly notifier: Notifier,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('AccountInvitationWorkflow');
  }

  @HandlesJob(Queues.Events, EventTypes.AccountInvited)
  async onInvited(event: EventJobData): Promise<void> {
    const { apiTokenId, invitedBy, roleName, scopeName } = event.payload as { apiTokenId: string; invitedBy: string; roleName: string; scopeName: string | null };
    await this.notifier.notifyWith(async (tx, notify) => {
      const account = await tx.manager.findOneBy(ApiToken, { id: apiTokenId });
      // Access may have been revoked between the invitation and now: then nothing goes.
      const accepted = account ? acceptApiToken(account, tx.now) : undefined;
      if (!account?.email || !accepted || !('principal' in accepted)) {
        this.logger.info({ apiTokenId, refused: accepted && 'refused' in accepted ? accepted.refused : 'no email' }, 'no invitation: the account cannot be used or has no email');
        return;
      }
      const key = `invitation:${event.eventId}`;
      const expiresAt = new Date(new Date(event.occurredAt).getTime() + INVITATION_LINK_MS);
      const { link, address } = await issuePageLink(
        tx.manager,
        { key, purpose: LinkPurposes.DashboardSignIn, subjectType: 'api_token', subjectId: account.id, email: account.email, recipientName: account.name, expiresAt, closesAt: expiresAt },
        tx.now,
        this.config.linkSecret,
      );
      await notify({
        key,
        kind: NotificationKinds.AccountInvitation,
        recipient: { email: link.email, name: account.name },
        data: { recipientName: account.name, invitedBy, roleName, scopeName, siteUrl: this.config.publicBaseUrl, url: address, expiresAt: link.expiresAt.toISOString(), linkId: link.id },
        about: invitationAbout(account.scope),
      });
    });
  }
}
