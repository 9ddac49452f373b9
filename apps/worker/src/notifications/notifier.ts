import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { APP_CONFIG, Clock, currentRequestId, JobNames, Queues, type AppConfig, type SendJobData } from '#domain';
import { notify, sendJobOptions, type Notification, type NotifyDecision } from '#notifications';

/**
 * How a workflow decides to tell someone something: the ledger row first (idempotent by
 * key), then the send job (idempotent by the notification's id). Deciding again after a
 * crash between the two enqueues the job the first decision never got to.
 */
@Injectable()
export class Notifier {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @InjectQueue(Queues.Notifications) private readonly queue: Queue,
  ) {}

  async notify(decision: Omit<NotifyDecision, 'notBefore' | 'requestId'> & { notBefore?: Date }): Promise<Notification> {
    const now = await this.clock.now();
    const { notification } = await notify(
      this.dataSource.manager,
      { ...decision, notBefore: decision.notBefore ?? now, requestId: currentRequestId() ?? null },
      now,
    );
    // A notification due later is picked up when it falls due (the scheduling engine's ticker).
    if (notification.status === 'queued' && notification.notBefore <= now) await this.enqueueSend(notification.id, notification.requestId, notification.priority);
    return notification;
  }

  async enqueueSend(notificationId: string, requestId: string | null, priority = 5, jobId = notificationId): Promise<void> {
    await this.queue.add(
      JobNames.SendNotification,
      { notificationId, requestId } satisfies SendJobData,
      sendJobOptions(jobId, priority, { attempts: this.config.sendMaxAttempts, baseMs: this.config.sendRetryBaseMs }),
    );
  }
}
