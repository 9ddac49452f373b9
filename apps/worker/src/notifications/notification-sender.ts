import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DelayedError, type Job } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import {
  APP_CONFIG,
  Clock,
  hashToken,
  isUuid,
  JobNames,
  Queues,
  RoundTripBatcher,
  LEGACY_LINKS,
  legacyLinksOf,
  withPageAddresses,
  type AppConfig,
  type SendBatchJobData,
  type SendJobData,
} from '#domain';
import {
  createMessageComposer,
  isNotificationKind,
  Notification,
  NotificationAttempt,
  notificationMail,
  renderNotification,
  sendRetryDelayMs,
  TRANSACTIONAL_KINDS,
  type AttemptOutcome,
  type ComposedMessage,
  type NotificationKind,
  type RenderedMessage,
} from '#notifications';
import { Permits } from '#domain/platform/permits';
import { HandlesJob } from '../jobs/job-registry.js';
import { sharedMonotonicMs } from './delivery/delivery-protocol.js';
import { SmtpDelivery } from './delivery/smtp-delivery.js';
import { Notifier } from './notifier.js';
import { reasonsNotToSend } from './send-preconditions.js';
import { SendRate } from './send-rate.js';

/** Enough messages being built that the delivery thread always has the next ones in hand (a build takes well under the window's few milliseconds). */
const BUILDS_AT_ONCE = 4;

interface ClaimedRow {
  id: string;
  previous_status: string;
  attempt_count: number;
  notification: Notification;
}

interface Claim {
  /** The time of the claim, which serves also as the attempt's start and the sent record's. */
  startedAt: Date;
  /** When (sharedMonotonicMs) half the lease is gone: a message still waiting for its turn then renews its lease before it goes. */
  renewAfter: number;
  row: ClaimedRow | undefined;
}

/** What one send does when it cannot go now: as a job of its own, or as one of a batch's. */
interface Retries {
  /** Another claim holds it. */
  held(): Promise<string>;
  lastTry(claimed: ClaimedRow): boolean;
  /** A transient failure with tries left: the row is back to queued. */
  later(reason: string, notification: Notification, attempt: number): Promise<string>;
  unrecorded(reason: string): Promise<string>;
}

/**
 * The sender. The database decides who may send: a claim moves
 * the row to `sending` under a lease, so a redelivered job, a second worker or a stalled
 * job recovered by BullMQ finds it taken, sent or failed, and does not send again.
 *
 * The one thing a crash can still do is send a message twice: when the SMTP server has
 * accepted it and its record is not yet on its way to the ledger. The sender claims,
 * checks and builds each message here; SmtpDelivery's thread sends it, holding back only
 * the end of its data until it is its turn, so a worker has at most SMTP_IN_FLIGHT
 * messages in that window, and a kill sends at most that many twice.
 */
@Injectable()
export class NotificationSender {
  private readonly compose = createMessageComposer();
  /** Sends arriving together share one clock read and one claim statement. */
  private readonly claims = new RoundTripBatcher<string, Claim>((ids) => this.claimMany(ids));
  /** And one consent and opt-out check. */
  private readonly checks = new RoundTripBatcher<Notification, string | null>((batch) => reasonsNotToSend(this.dataSource.manager, batch));
  /**
   * Messages are built a few at a time, in the order their sends got here. Building is
   * many small asynchronous steps (nodemailer's streams): hundreds built at once (a term's
   * batch jobs arriving together) would each wait behind every other's steps, so the first
   * would be ready only when nearly all were, and the SMTP window would stand idle meanwhile.
   */
  private readonly building = new Permits(BUILDS_AT_ONCE);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly delivery: SmtpDelivery,
    private readonly notifier: Notifier,
    private readonly rate: SendRate,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('NotificationSender');
  }

  @HandlesJob(Queues.Notifications, JobNames.SendNotification)
  async send(data: SendJobData, job: Job, token: string | undefined): Promise<string> {
    return this.sendOne(data.notificationId, {
      held: () => this.notClaimed(data.notificationId, job, token),
      lastTry: () => job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
      // Thrown so BullMQ retries with exponential backoff and jitter.
      later: (reason) => Promise.reject(new Error(`transient SMTP failure: ${reason}`)),
      unrecorded: (reason) => Promise.reject(new Error(`sent, but the ledger could not record it: ${reason}`)),
    });
  }

  /**
   * A batch's notifications go together: their claims, checks and builds share round trips
   * (the batchers see them arrive at once). One that must wait for its backoff leaves the
   * batch for a job of its own; one someone else holds is theirs, or the recovery sweep's
   * once their lease runs out. The batch fails, to be tried again, only on an error that
   * is not any one message's (the database away): its claims keep what went from going again.
   */
  @HandlesJob(Queues.Notifications, JobNames.SendNotifications)
  async sendBatch(data: SendBatchJobData): Promise<Record<string, number>> {
    const ids = Array.isArray(data.notificationIds) ? data.notificationIds : [];
    const settled = await Promise.allSettled(
      ids.map((id) =>
        this.sendOne(id, {
          held: async () => 'not claimed',
          lastTry: (claimed) => claimed.attempt_count >= this.config.sendMaxAttempts,
          later: async (_reason, notification, attempt) => {
            await this.notifier.enqueueSend(notification.id, notification.requestId, notification.priority, `${notification.id}.r${attempt}`, {
              delayMs: sendRetryDelayMs(this.config.sendRetryBaseMs, attempt),
              attempts: Math.max(1, this.config.sendMaxAttempts - attempt),
            });
            return 'retrying';
          },
          unrecorded: async (reason) => {
            // As a single send's job would: the row stays claimed until its lease runs out and the sweep finds it.
            this.logger.error({ notificationId: id, reason }, 'sent, but the ledger could not record it');
            return 'unrecorded';
          },
        }),
      ),
    );
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    const tally: Record<string, number> = {};
    for (const s of settled) if (s.status === 'fulfilled') tally[s.value] = (tally[s.value] ?? 0) + 1;
    return tally;
  }

  private async sendOne(notificationId: string, retries: Retries): Promise<string> {
    if (!isUuid(notificationId)) return 'unknown';
    // Before the claim, so that no lease runs down while the send waits its turn.
    await this.rate.turn();
    const { startedAt, renewAfter, row: claimed } = await this.claims.run(notificationId);
    if (!claimed) return retries.held();
    const notification = claimed.notification;
    if (claimed.previous_status === 'sending') {
      // The last holder died mid-send: the one window where the SMTP server may already have it.
      await this.recordAttempt(notification.id, claimed.attempt_count - 1, 'interrupted', 'the worker stopped during this attempt', null, startedAt, startedAt);
    }

    const skipReason = await this.checks.run(notification);
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
    let message: RenderedMessage;
    let composed: ComposedMessage;
    try {
      ({ message, composed } = await this.build(notification, notification.kind, unsubscribe));
    } catch (error) {
      await this.fail(notification, `the message could not be built: ${error instanceof Error ? error.message : String(error)}`, startedAt, 'permanent_error', claimed.attempt_count);
      return 'failed';
    }

    const outcome = await this.delivery.deliver({
      envelope: composed.envelope,
      raw: composed.raw,
      notificationId: notification.id,
      attempt: claimed.attempt_count,
      renewAfter,
      record: { startedAt: startedAt.toISOString(), subject: message.subject, attemptId: randomUUID(), unsubscribeTokenHash: unsubscribeToken ? hashToken(unsubscribeToken) : null },
    });
    if (outcome.kind === 'sent') {
      if (LEGACY_LINKS in notification.data) await this.dataSource.query(`UPDATE notifications SET data = data - '${LEGACY_LINKS}' WHERE id = $1`, [notification.id]);
      this.logger.info({ notificationId: notification.id, kind: notification.kind, attempt: claimed.attempt_count }, 'notification sent');
      return 'sent';
    }

    // The row stays as claimed: only once its lease has run out can it be told from a send cut off mid-way.
    if (outcome.kind === 'unrecorded') return retries.unrecorded(outcome.reason);
    const failure =
      outcome.kind === 'held-back' ? { permanent: false, reason: 'not sent: its turn to go came after its claim had run out (the ledger was slow to record other sends)' } : outcome.failure;
    const lastTry = failure.permanent || retries.lastTry(claimed);
    if (lastTry) {
      await this.fail(notification, failure.reason, startedAt, failure.permanent ? 'permanent_error' : 'transient_error', claimed.attempt_count);
      this.logger.warn({ notificationId: notification.id, reason: failure.reason }, 'notification failed');
      return 'failed';
    }
    const failedAt = await this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`UPDATE notifications SET status = 'queued', last_error = $2, subject = $3, lease_until = NULL, updated_at = $4 WHERE id = $1`, [
        notification.id,
        failure.reason,
        message.subject,
        failedAt,
      ]);
      await this.recordAttempt(notification.id, claimed.attempt_count, 'transient_error', failure.reason, null, startedAt, failedAt, manager);
    });
    return retries.later(failure.reason, notification, claimed.attempt_count);
  }

  /** The email for a notification, rendered and composed in its turn (see `building`). */
  private async build(notification: Notification, kind: NotificationKind, unsubscribe: string | null): Promise<{ message: RenderedMessage; composed: ComposedMessage }> {
    const turn = this.building.take();
    try {
      await turn.granted;
      // Links are rendered here, from their ids and LINK_SECRET; what is rendered is never stored or logged.
      const data = withPageAddresses(notification.data, this.config.linkSecret, this.config.publicBaseUrl);
      const message = renderNotification(kind, { ...data, ...legacyLinksOf(data), unsubscribeUrl: unsubscribe ?? undefined });
      const composed = await this.compose(
        notificationMail(
          {
            from: this.config.mailFrom,
            notificationId: notification.id,
            recipientEmail: notification.recipientEmail,
            recipientName: notification.recipientName,
            messageId: notification.messageId,
            requestId: notification.requestId,
            unsubscribeUrl: unsubscribe,
          },
          message,
        ),
      );
      return { message, composed };
    } finally {
      turn.release();
    }
  }

  /** Claims a batch of notifications in one statement, returning the rows it claimed: no second read of what was just written. */
  private async claimMany(ids: string[]): Promise<Claim[]> {
    const renewAfter = sharedMonotonicMs() + this.config.sendLeaseMs / 2;
    const startedAt = await this.clock.now();
    const unique = [...new Set(ids)];
    // TypeORM answers an UPDATE with [rows, count].
    const [rows]: [Array<Record<string, unknown> & { previous_status: string }>, number] = await this.dataSource.query(
      `WITH previous AS (SELECT id, status FROM notifications WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE)
       UPDATE notifications n
          SET status = 'sending',
              lease_until = clock_timestamp() + make_interval(secs => $2::double precision / 1000),
              attempt_count = n.attempt_count + 1,
              updated_at = $3
         FROM previous
        WHERE n.id = previous.id
          AND (n.status = 'queued' OR (n.status = 'sending' AND n.lease_until < clock_timestamp()))
       RETURNING n.*, previous.status AS previous_status`,
      [unique, this.config.sendLeaseMs, startedAt],
    );
    const columns = this.dataSource.getMetadata(Notification).columns;
    const claimed = new Map<string, ClaimedRow>();
    for (const row of rows) {
      const notification = new Notification();
      for (const column of columns) (notification as unknown as Record<string, unknown>)[column.propertyName] = row[column.databaseName];
      claimed.set(notification.id, { id: notification.id, previous_status: row.previous_status, attempt_count: notification.attemptCount, notification });
    }
    // The same notification twice in a batch (a revived job beside its original) is claimed by the first only.
    return ids.map((id) => {
      const row = claimed.get(id.toLowerCase());
      claimed.delete(id.toLowerCase());
      return { startedAt, renewAfter, row };
    });
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
      await manager.query(`UPDATE notifications SET status = 'failed', failed_at = $2, last_error = $3, lease_until = NULL, updated_at = $2, data = data - '${LEGACY_LINKS}' WHERE id = $1`, [
        notification.id,
        now,
        reason,
      ]);
      if (attempt !== null) await this.recordAttempt(notification.id, attempt, outcome, reason, null, startedAt, now, manager);
    });
  }

  private async finish(id: string, fields: { status: 'skipped'; last_error: string }): Promise<void> {
    await this.dataSource.query(`UPDATE notifications SET status = $2, last_error = $3, skip_reason = $3, lease_until = NULL, updated_at = $4, data = data - '${LEGACY_LINKS}' WHERE id = $1`, [
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
