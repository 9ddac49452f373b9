import { BullModule } from '@nestjs/bullmq';
import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import type { Redis } from 'ioredis';
import { LoggerModule } from 'nestjs-pino';
import { DOMAIN_ENTITIES, loggerParams, PlatformModule, Queues, QUEUE_REDIS, type AppConfig } from '#domain';
import { NOTIFICATION_ENTITIES } from '#notifications';
import { Heartbeat } from './health/heartbeat.js';
import { JobRegistry } from './jobs/job-registry.js';
import { JobRunner } from './jobs/job-runner.js';
import { NotificationRecovery } from './notifications/notification-recovery.js';
import { SmtpDelivery } from './notifications/delivery/smtp-delivery.js';
import { NotificationSender } from './notifications/notification-sender.js';
import { SendRate } from './notifications/send-rate.js';
import { Notifier } from './notifications/notifier.js';
import { OutboxRelay } from './outbox/outbox-relay.js';
import { SchoolWelcomeWorkflow } from './partnerships/school-welcome.workflow.js';
import { BookingMessagesWorkflow } from './cpd/booking-messages.workflow.js';
import { ScheduledActions } from './scheduling/scheduled-actions.js';
import { Ticker } from './scheduling/ticker.js';
import { RemindersWorkflow } from './scheduling/reminders.workflow.js';
import { LinkRenewalWorkflow } from './pages/link-renewal.workflow.js';
import { DashboardSignInWorkflow } from './pages/dashboard-sign-in.workflow.js';
import { AccountInvitationWorkflow } from './pages/account-invitation.workflow.js';
import { SurveysWorkflow } from './surveys/surveys.workflow.js';
import { SelfEvaluations } from './self-evaluation/self-evaluations.js';
import { SelfEvaluationWorkflow } from './self-evaluation/self-evaluation.workflow.js';
import { AmbassadorRequestsWorkflow } from './ambassadors/ambassador-requests.workflow.js';
import { RetentionWorkflow } from './privacy/retention.workflow.js';
import { FigureSnapshotsWorkflow } from './reports/figure-snapshots.workflow.js';

@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        LoggerModule.forRoot(loggerParams(config, 'worker')),
        // Enough connections for every job in flight on the busiest queue, and the relay beside them.
        PlatformModule.forRoot(config, 'stemflow-worker', [...DOMAIN_ENTITIES, ...NOTIFICATION_ENTITIES], config.workerConcurrency + 5),
        BullModule.forRootAsync({
          inject: [QUEUE_REDIS],
          useFactory: (redis: Redis) => ({ connection: redis, prefix: config.queuePrefix }),
        }),
        BullModule.registerQueue({ name: Queues.Events }, { name: Queues.Notifications }, { name: Queues.Schedules }),
        ScheduleModule.forRoot(),
        DiscoveryModule,
      ],
      providers: [
        JobRegistry,
        JobRunner,
        OutboxRelay,
        Notifier,
        SmtpDelivery,
        NotificationSender,
        SendRate,
        NotificationRecovery,
        Heartbeat,
        SchoolWelcomeWorkflow,
        Ticker,
        ScheduledActions,
        BookingMessagesWorkflow,
        RemindersWorkflow,
        LinkRenewalWorkflow,
        DashboardSignInWorkflow,
        AccountInvitationWorkflow,
        SurveysWorkflow,
        SelfEvaluations,
        SelfEvaluationWorkflow,
        AmbassadorRequestsWorkflow,
        RetentionWorkflow,
        FigureSnapshotsWorkflow,
      ],
    };
  }
}
