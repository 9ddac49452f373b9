import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import {
  APP_CONFIG,
  brandingFor,
  EventTypes,
  Membership,
  Partnership,
  Queues,
  School,
  type AppConfig,
  type EventJobData,
  type SchoolJoinedPartnershipPayload,
} from '#domain';
import { NotificationKinds, type SchoolWelcomeData } from '#notifications';
import { HandlesJob } from '../jobs/job-registry.js';
import { Notifier } from '../notifications/notifier.js';

/** When a school joins a partnership, its contact is welcomed: once per membership. */
@Injectable()
export class SchoolWelcomeWorkflow {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly notifier: Notifier,
    private readonly logger: PinoLogger,
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
    await this.notifier.notify({
      key: `welcome:${membership.id}`,
      kind: NotificationKinds.SchoolWelcome,
      recipient: { email: school.contactEmail, name: school.contactName },
      data: {
        membershipId: membership.id,
        contactName: school.contactName,
        schoolName: school.name,
        partnershipName: partnership.name,
        partnershipArea: partnership.area,
        joinedAt: membership.joinedAt.toISOString(),
        publicBaseUrl: this.config.publicBaseUrl,
        ...(await brandingFor(this.dataSource.manager, { partnershipId: partnership.id })),
      } satisfies SchoolWelcomeData & { membershipId: string },
    });
  }
}
