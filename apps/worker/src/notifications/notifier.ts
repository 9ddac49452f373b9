import { createHash } from 'node:crypto';
import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { APP_CONFIG, Clock, currentRequestId, JobNames, Queues, SEND_BATCH_SIZE, UnitOfWork, type AppConfig, type SendBatchJobData, type SendJobData, type Transaction } from '#domain';
import { notify, notifyMany, sendJobOptions, type Notification, type NotifyDecision } from '#notifications';

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
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /**
   * For a decision that writes other rows with its notifications, such as a page link and
   * the email that carries its token: all commit together, and the sends are enqueued
   * after the commit. A retried decision finds the rows there and only re-enqueues.
   */
  async notifyWith<T>(work: (tx: Transaction, notify: (decision: Omit<NotifyDecision, 'notBefore' | 'requestId'> & { notBefore?: Date }) => Promise<Notification>) => Promise<T>): Promise<T> {
    const decided: Notification[] = [];
    const result = await this.unitOfWork.run((tx) =>
      work(tx, async (decision) => {
        const { notification } = await notify(tx.manager, { ...decision, notBefore: decision.notBefore ?? tx.now, requestId: currentRequestId() ?? null }, tx.now);
        decided.push(notification);
        return notification;
      }),
    );
    const now = await this.clock.now();
    for (const n of decided) if (n.status === 'queued' && n.notBefore <= now) await this.enqueueSend(n.id, n.requestId, n.priority);
    return result;
  }

  /**
   * `notifyWith` for a batch of decisions written together (a term's invitations): one
   * statement for the ledger rows, one round trip to Redis for their send jobs.
   */
  async decideMany<T>(
    work: (tx: Transaction, notifyMany: (decisions: Array<Omit<NotifyDecision, 'notBefore' | 'requestId'> & { notBefore?: Date }>) => Promise<Notification[]>) => Promise<T>,
  ): Promise<T> {
    const decided: Notification[] = [];
    const result = await this.unitOfWork.run((tx) =>
      work(tx, async (decisions) => {
        const requestId = currentRequestId() ?? null;
        const rows = await notifyMany(
          tx.manager,
          decisions.map((d) => ({ ...d, notBefore: d.notBefore ?? tx.now, requestId })),
          tx.now,
        );
        decided.push(...rows);
        return rows;
      }),
    );
    const now = await this.clock.now();
    await this.enqueueSends(decided.filter((n) => n.status === 'queued' && n.notBefore <= now));
    return result;
  }

  /** One job for a single send; for more, one job per SEND_BATCH_SIZE, its id derived from what it carries so that enqueueing it again is a no-op. */
  async enqueueSends(notifications: Array<Pick<Notification, 'id' | 'requestId' | 'priority'>>): Promise<void> {
    if (notifications.length === 0) return;
    if (notifications.length === 1) return this.enqueueSend(notifications[0].id, notifications[0].requestId, notifications[0].priority);
    const retry = { attempts: this.config.sendMaxAttempts, baseMs: this.config.sendRetryBaseMs };
    const jobs = [];
    for (let i = 0; i < notifications.length; i += SEND_BATCH_SIZE) {
      const batch = notifications.slice(i, i + SEND_BATCH_SIZE);
      const notificationIds = batch.map((n) => n.id);
      jobs.push({
        name: JobNames.SendNotifications,
        data: { notificationIds, requestId: batch[0].requestId } satisfies SendBatchJobData,
        opts: sendJobOptions(`send-batch-${createHash('sha1').update(notificationIds.join(',')).digest('hex')}`, Math.min(...batch.map((n) => n.priority)), retry),
      });
    }
    await this.queue.addBulk(jobs);
  }

  async notify(decision: Omit<NotifyDecision, 'notBefore' | 'requestId'> & { notBefore?: Date }): Promise<Notification> {
    const now = await this.clock.now();
    const { notification } = await notify(this.dataSource.manager, { ...decision, notBefore: decision.notBefore ?? now, requestId: currentRequestId() ?? null }, now);
    // A notification due later is picked up when it falls due (the scheduling engine's ticker).
    if (notification.status === 'queued' && notification.notBefore <= now) await this.enqueueSend(notification.id, notification.requestId, notification.priority);
    return notification;
  }

  async enqueueSend(notificationId: string, requestId: string | null, priority = 5, jobId = notificationId, retry: { delayMs?: number; attempts?: number } = {}): Promise<void> {
    await this.queue.add(JobNames.SendNotification, { notificationId, requestId } satisfies SendJobData, {
      ...sendJobOptions(jobId, priority, { attempts: retry.attempts ?? this.config.sendMaxAttempts, baseMs: this.config.sendRetryBaseMs }),
      ...(retry.delayMs ? { delay: retry.delayMs } : {}),
    });
  }
}
