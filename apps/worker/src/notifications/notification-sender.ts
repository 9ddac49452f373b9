import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { DelayedError, type Job } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import type { Transporter } from 'nodemailer';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, Clock, hashToken, JobNames, Queues, type AppConfig, type SendJobData } from '#domain';
import {
  classifySendError,
  createMailTransport,
  isNotificationKind,
  Notification,
  NotificationAttempt,
  renderNotification,
  TRANSACTIONAL_KINDS,
  type AttemptOutcome,
} from '#notifications';
import { HandlesJob } from '../jobs/job-registry.js';
import { reasonNotToSend } from './send-preconditions.js';

interface ClaimedRow {
  id: string;
  previous_status: string;
  attempt_count: number;
  notification: Notification;
}

/**
 * The sender (DESIGN.md §3, step 4). The database decides who may send: a claim moves
 * the row to `sending` under a lease, so a redelivered job, a second worker or a stalled
 * job recovered by BullMQ finds it taken, sent or failed, and does not send again.
 */
@Injectable()
export class NotificationSender implements OnApplicationShutdown {
  private readonly transport: Transporter;
  /**
   * Connections kept for one statement only: recording that the SMTP server took a message.
   * From the server's acceptance to this record is the one window in which a crash sends a
   * message twice; on the shared pool the record would queue behind other jobs' queries.
   */
  private readonly recorder: pg.Pool;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('NotificationSender');
    this.transport = createMailTransport({ smtpUrl: config.smtpUrl });
    this.recorder = new pg.Pool({ connectionString: config.databaseUrl, max: 2, connectionTimeoutMillis: 5_000, application_name: 'stemflow-worker-sent' });
    // An idle connection dropped by a Postgres restart is replaced on the next record.
    this.recorder.on('error', (error) => this.logger.warn({ err: error }, 'a connection kept for recording sends was lost'));
  }

  async onApplicationShutdown(): Promise<void> {
    this.transport.close();
    await this.recorder.end();
  }

  @HandlesJob(Queues.Notifications, JobNames.SendNotification)
  async send(data: SendJobData, job: Job, token: string | undefined): Promise<string> {
    // One read of the clock serves the claim, the attempt's start and the sent record: each
    // round trip here is paid once per email of a fan-out.
    const startedAt = await this.clock.now();
    const claimed = await this.claim(data.notificationId, startedAt);
    if (!claimed) return this.notClaimed(data.notificationId, job, token);
    const notification = claimed.notification;
    if (claimed.previous_status === 'sending') {
      // The last holder died mid-send: the one window where the SMTP server may already have it.
      await this.recordAttempt(notification.id, claimed.attempt_count - 1, 'interrupted', 'the worker stopped during this attempt', null, startedAt, startedAt);
    }

    const skipReason = await reasonNotToSend(this.dataSource.manager, notification);
    if (skipReason) {
      await this.finish(notification.id, { status: 'skipped', last_error: skipReason });
      return 'skipped';
    }
    if (!isNotificationKind(notification.kind)) {
      await this.fail(notification, `no template for notification kind "${notification.kind}"`, startedAt, 'permanent_error', null);
      return 'failed';
    }

    // Nudges carry a one-click way out (RFC 8058); the link's token is stored only as its hash.
    // The hash is stored with the 'sent' record: a link in a message the ledger never saw go out leads nowhere.
    const unsubscribeToken = TRANSACTIONAL_KINDS.has(notification.kind) ? null : randomBytes(24).toString('base64url');
    const unsubscribe = unsubscribeToken ? `${this.config.publicBaseUrl}/u/${unsubscribeToken}` : null;
    const message = renderNotification(notification.kind, { ...notification.data, unsubscribeUrl: unsubscribe ?? undefined });
    // Known before sending: after the server has accepted the message, the fewer round trips
    // before the ledger says so, the smaller the window in which a crash can send it twice.
    const sentAt = startedAt;
    let info: { response?: unknown };
    try {
      info = await this.transport.sendMail({
        from: this.config.mailFrom,
        to: { name: notification.recipientName ?? '', address: notification.recipientEmail },
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: notification.messageId,
        headers: {
          'X-Stemflow-Notification': notification.id,
          ...(notification.requestId ? { 'X-Request-Id': notification.requestId } : {}),
          ...(unsubscribe ? { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {}),
        },
        ...(message.calendar ? { icalEvent: { method: message.calendar.method, content: message.calendar.content } } : {}),
        ...(unsubscribe ? { list: { unsubscribe } } : {}),
      });
    } catch (error) {
      const failure = classifySendError(error);
      const lastTry = failure.permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (lastTry) {
        await this.fail(notification, failure.reason, startedAt, failure.permanent ? 'permanent_error' : 'transient_error', claimed.attempt_count);
        this.logger.warn({ notificationId: notification.id, reason: failure.reason }, 'notification failed');
        return 'failed';
      }
      const failedAt = await this.clock.now();
      await this.dataSource.transaction(async (manager) => {
        await manager.query(
          `UPDATE notifications SET status = 'queued', last_error = $2, subject = $3, lease_until = NULL, updated_at = $4 WHERE id = $1`,
          [notification.id, failure.reason, message.subject, failedAt],
        );
        await this.recordAttempt(notification.id, claimed.attempt_count, 'transient_error', failure.reason, null, startedAt, failedAt, manager);
      });
      // Thrown so BullMQ retries with exponential backoff and jitter.
      throw new Error(`transient SMTP failure: ${failure.reason}`);
    }

    // The message is out. Recording it is worth waiting for through a database blip: giving
    // up here is the one way a message can go twice (the next claim finds it interrupted).
    await persist(() =>
      this.recorder.query(
        `WITH sent AS (
           UPDATE notifications SET status = 'sent', sent_at = $2, subject = $3, smtp_response = $4, last_error = NULL, lease_until = NULL, updated_at = $2,
                  unsubscribe_token_hash = coalesce($8, unsubscribe_token_hash)
            WHERE id = $1 RETURNING id)
         INSERT INTO notification_attempts (id, notification_id, attempt, outcome, error, smtp_response, started_at, finished_at)
         SELECT $5, id, $6, 'sent', NULL, $4, $7, $2 FROM sent`,
        [notification.id, sentAt, message.subject, String(info.response ?? ''), randomUUID(), claimed.attempt_count, startedAt, unsubscribeToken ? hashToken(unsubscribeToken) : null],
      ),
    );
    this.logger.info({ notificationId: notification.id, kind: notification.kind, attempt: claimed.attempt_count }, 'notification sent');
    return 'sent';
  }

  /** The claim, returning the row it claimed: no second read of what was just written. */
  private async claim(id: string, now: Date): Promise<ClaimedRow | undefined> {
    const [rows]: [Array<Record<string, unknown> & { previous_status: string }>, number] = await this.dataSource.query(
      `WITH previous AS (SELECT id, status FROM notifications WHERE id = $1 FOR UPDATE)
       UPDATE notifications n
          SET status = 'sending',
              lease_until = clock_timestamp() + make_interval(secs => $2::double precision / 1000),
              attempt_count = n.attempt_count + 1,
              updated_at = $3
         FROM previous
        WHERE n.id = previous.id
          AND (n.status = 'queued' OR (n.status = 'sending' AND n.lease_until < clock_timestamp()))
       RETURNING n.*, previous.status AS previous_status`,
      [id, this.config.sendLeaseMs, now],
    );
    const row = rows[0];
    if (!row) return undefined;
    const notification = new Notification();
    for (const column of this.dataSource.getMetadata(Notification).columns) (notification as unknown as Record<string, unknown>)[column.propertyName] = row[column.databaseName];
    return { id: notification.id, previous_status: row.previous_status, attempt_count: notification.attemptCount, notification };
  }

  /** Someone else holds it (wait for their lease), or it is done (nothing to do). */
  private async notClaimed(id: string, job: Job, token: string | undefined): Promise<string> {
    const rows: Array<{ status: string; lease_ms: number | null }> = await this.dataSource.query(
      `SELECT status, GREATEST(0, EXTRACT(EPOCH FROM (lease_until - clock_timestamp())) * 1000)::int AS lease_ms FROM notifications WHERE id = $1`,
      [id],
    );
    const row = rows[0];
    if (!row) return 'unknown';
    if (row.status === 'sending' && token) {
      await job.moveToDelayed(Date.now() + (row.lease_ms ?? 0) + 100, token);
      throw new DelayedError();
    }
    return row.status;
  }

  private async fail(notification: Notification, reason: string, startedAt: Date, outcome: AttemptOutcome, attempt: number | null): Promise<void> {
    // The time is read before the transaction: reading the virtual clock inside one would
    // hold a pooled connection while waiting for another.
    const now = await this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE notifications SET status = 'failed', failed_at = $2, last_error = $3, lease_until = NULL, updated_at = $2 WHERE id = $1`,
        [notification.id, now, reason],
      );
      if (attempt !== null) await this.recordAttempt(notification.id, attempt, outcome, reason, null, startedAt, now, manager);
    });
  }

  private async finish(id: string, fields: { status: 'skipped'; last_error: string }): Promise<void> {
    await this.dataSource.query(`UPDATE notifications SET status = $2, last_error = $3, lease_until = NULL, updated_at = $4 WHERE id = $1`, [
      id,
      fields.status,
      fields.last_error,
      await this.clock.now(),
    ]);
  }

  private async recordAttempt(
    notificationId: string,
    attempt: number,
    outcome: AttemptOutcome,
    error: string | null,
    smtpResponse: string | null,
    startedAt: Date,
    finishedAt: Date,
    manager = this.dataSource.manager,
  ): Promise<void> {
    await manager.insert(NotificationAttempt, {
      id: randomUUID(),
      notificationId,
      attempt,
      outcome,
      error,
      smtpResponse,
      startedAt,
      finishedAt,
    });
  }
}

/**
 * Retries a database write for about 30 s, whatever the error: unreachable, restarting,
 * in recovery, a pool that timed out. Giving up sooner is what would send a message twice.
 */
async function persist<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= 30) throw error;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}
