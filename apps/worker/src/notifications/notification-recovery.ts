import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { JobType, Queue } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { Clock, JobNames, LIVE_JOB_STATES, Queues, type SendBatchJobData } from '#domain';
import { Notifier } from './notifier.js';

const SWEEP_MS = 30_000;

/**
 * Per-process housekeeping, safe on every replica: finds notifications that are due but
 * have no live job (Redis lost its data, or a job gave up while its worker was dying) and
 * gives them one. The claim in the sender keeps a doubled job from sending twice.
 */
@Injectable()
export class NotificationRecovery implements OnApplicationBootstrap {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly notifier: Notifier,
    @InjectQueue(Queues.Notifications) private readonly queue: Queue,
    private readonly scheduler: SchedulerRegistry,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('NotificationRecovery');
  }

  onApplicationBootstrap(): void {
    this.scheduler.addInterval(
      'notification-recovery',
      setInterval(() => void this.sweep().catch(() => undefined), SWEEP_MS),
    );
  }

  async sweep(staleAfterMs = SWEEP_MS): Promise<number> {
    const rows: Array<{ id: string; attempt_count: number; request_id: string | null; priority: number }> = await this.dataSource.query(
      `SELECT id, attempt_count, request_id, priority FROM notifications
        WHERE not_before <= $1
          AND ((status = 'queued' AND updated_at < $1::timestamptz - make_interval(secs => $2::double precision / 1000))
            OR (status = 'sending' AND lease_until < clock_timestamp()))
        ORDER BY updated_at
        LIMIT 1000`,
      [await this.clock.now(), staleAfterMs],
    );
    let revived = 0;
    const inLiveBatch = rows.length > 0 ? await this.notificationsInLiveBatches() : new Set<string>();
    for (const row of rows) {
      if (inLiveBatch.has(row.id)) continue;
      // The original job, or a revival of it for this or the previous attempt, may still be waiting out its backoff.
      const candidates = [row.id, `${row.id}.r${row.attempt_count}`, `${row.id}.r${row.attempt_count - 1}`];
      const states = await Promise.all(candidates.map((id) => this.queue.getJobState(id)));
      if (states.some((state) => LIVE_JOB_STATES.has(state))) continue;
      // A fresh job id per attempt: the original id may still name a finished job.
      await this.notifier.enqueueSend(row.id, row.request_id, row.priority, `${row.id}.r${row.attempt_count}`);
      revived += 1;
    }
    if (revived > 0) this.logger.warn({ revived }, 'gave due notifications without a live job a new send job');
    return revived;
  }

  /** A fan-out's last batches can wait their turn for longer than the sweep's patience. */
  private async notificationsInLiveBatches(): Promise<Set<string>> {
    const ids = new Set<string>();
    for (let start = 0; ; start += 1000) {
      const jobs = await this.queue.getJobs([...LIVE_JOB_STATES] as JobType[], start, start + 999);
      for (const job of jobs) if (job?.name === JobNames.SendNotifications) for (const id of (job.data as SendBatchJobData).notificationIds ?? []) ids.add(id);
      if (jobs.length < 1000) return ids;
    }
  }
}
