import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { APP_CONFIG, brandingFor, EventTypes, Membership, Partnership, Queues, School, type AppConfig, type EventJobData, type PageAddress, type SchoolJoinedPartnershipPayload } from '#domain';
import { NotificationKinds, type SchoolWelcomeData } from '#notifications';
import { HandlesJob } from '../jobs/job-registry.js';
import { Notifier } from '../notifications/notifier.js';
import { SelfEvaluations } from '../self-evaluation/self-evaluations.js';

/** When a school joins a partnership, its contact is welcomed: once per membership. */
@Injectable()
export class SchoolWelcomeWorkflow {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly notifier: Notifier,
    private readonly logger: PinoLogger,
    private readonly selfEvaluations: SelfEvaluations,
  ) {
    logger.setContext('SchoolWelcomeWorkflow');
  }

  @HandlesJob(Queues.Events, EventTypes.SchoolJoinedPartnership)
  async onSchoolJoined(event: EventJobData): Promise<void> {
    const { membershipId, partnershipId, schoolId } = event.payload as unknown as SchoolJoinedPartnershipPayload;
    const [membership, school, partnership] = await Promise.all([
      this.dataSource.manager.findOneBy(Membership, { id: membershipId }),
      this.dataSource.manager.findOneBy(School, { id: schoolId }),
      this.dataSource.manager.findOneBy(Partnership, { id: partnershipId }),
    ]);
    if (!membership || !school || !partnership) {
      this.logger.warn({ eventId: event.eventId }, 'school.joined_partnership names records that are gone; nothing to welcome');
      return;
    }
    if (!school.contactEmail) {
      this.logger.info({ schoolId, urn: school.urn }, 'school has no contact email; no welcome to send');
      return;
    }
    const email = school.contactEmail;
    // The baseline self-evaluation opens with the welcome, and its link travels in it (003_def1d3e673f8defb.txt: baseline at onboarding).
    await this.notifier.notifyWith(async (tx, notify) => {
      const baseline = membership.leftAt ? undefined : await this.selfEvaluations.openBaseline(tx, { schoolId, partnershipId, cohortId: membership.cohortId, email, name: school.contactName });
      await notify({
        key: `welcome:${membership.id}`,
        kind: NotificationKinds.SchoolWelcome,
        recipient: { email, name: school.contactName },
        data: {
          ...(baseline ? { baselineUrl: baseline.url, deadlineAt: baseline.deadlineAt } : {}),
          membershipId: membership.id,
          contactName: school.contactName,
          schoolName: school.name,
          partnershipName: partnership.name,
          partnershipArea: partnership.area,
          joinedAt: membership.joinedAt.toISOString(),
          publicBaseUrl: this.config.publicBaseUrl,
          ...(await brandingFor(tx.manager, { partnershipId: partnership.id })),
        } satisfies Omit<SchoolWelcomeData, 'baselineUrl'> & { membershipId: string; baselineUrl?: PageAddress },
        about: { cohortId: membership.cohortId, partnershipId: partnership.id, schoolId },
      });
    });
  }
}
