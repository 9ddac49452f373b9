import { createHash } from 'node:crypto';
import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { Queue } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import {
  APP_CONFIG,
  batchJobName,
  Clock,
  currentRequestId,
  LIVE_JOB_STATES,
  Queues,
  SCHEDULE_BATCH_SIZE,
  TICK_JOB,
  TICK_SCHEDULER_ID,
  type AppConfig,
  type ScheduledActionBatchJobData,
  type ScheduledActionJobData,
} from '#domain';
import { HandlesJob, JobRegistry } from '../jobs/job-registry.js';
import { Notifier } from '../notifications/notifier.js';

const BATCH = 500;
const ACTION_JOB_OPTIONS = { attempts: 8, backoff: { type: 'exponential', delay: 1_000, jitter: 0.5 }, removeOnComplete: { age: 24 * 3600 }, removeOnFail: { age: 7 * 24 * 3600 } };

/**
 * The ticker: a BullMQ job scheduler with a stable id, so however many
 * workers run there is one tick per period cluster-wide. Each tick claims the due actions
 * with SKIP LOCKED and enqueues one job per action (jobId = action id), or per batch of
 * actions for a kind whose workflow takes batches, in the claiming transaction: if the
 * enqueue fails nothing is claimed, and a job enqueued for a claim that did not commit
 * finds its action still planned and runs it all the same.
 */
@Injectable()
export class Ticker implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @InjectQueue(Queues.Schedules) private readonly queue: Queue,
    private readonly notifier: Notifier,
    private readonly scheduler: SchedulerRegistry,
    private readonly logger: PinoLogger,
    private readonly registry: JobRegistry,
  ) {
    logger.setContext('Ticker');
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureScheduler();
    // Per-process housekeeping, safe on every replica (the upsert is idempotent): a Redis
    // that came back without its data gets the ticker's scheduler again within a minute.
    this.scheduler.addInterval(
      'ticker-scheduler-upsert',
      setInterval(() => void this.ensureScheduler().catch(() => undefined), 60_000),
    );
  }

  private ensureScheduler() {
    return this.queue.upsertJobScheduler(TICK_SCHEDULER_ID, { every: this.config.tickEveryMs }, { name: TICK_JOB, data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } });
  }

  /**
   * A claim whose job is gone (Redis restarted without its data, or the job gave up while
   * its worker died) would wait forever: after a minute without a live job it gets a new one.
   */
  private async reviveLostClaims(): Promise<void> {
    const stale: Array<{ id: string; kind: string; job_id: string | null }> = await this.dataSource.query(
      `SELECT id, kind, job_id FROM scheduled_actions WHERE status = 'claimed' AND claimed_at < clock_timestamp() - interval '1 minute' ORDER BY claimed_at LIMIT 1000`,
    );
    const batchStates = new Map<string, string>();
    let revived = 0;
    for (const action of stale) {
      if (action.job_id) {
        // Carried by a batch: while the batch lives it will run; a lost or failed batch is
        // retried one action per job, so that one action that keeps failing is found alone.
        if (!batchStates.has(action.job_id)) batchStates.set(action.job_id, await this.queue.getJobState(action.job_id));
        if (LIVE_JOB_STATES.has(batchStates.get(action.job_id)!)) continue;
        await this.queue.remove(action.id).catch(() => undefined);
      } else {
        const state = await this.queue.getJobState(action.id);
        if (LIVE_JOB_STATES.has(state)) continue;
        const job = state === 'failed' ? await this.queue.getJob(action.id) : undefined;
        if (state === 'failed' && !/stalled|ECONN|terminat|timeout|connect/i.test(job?.failedReason ?? '')) {
          // Its work kept throwing: record why rather than retrying for ever. (A job that
          // only stalled, or failed while the database or Redis was away, is given another go below.)
          await this.dataSource.query(`UPDATE scheduled_actions SET status = 'superseded', reason = $2 WHERE id = $1 AND status = 'claimed'`, [
            action.id,
            `gave up after repeated errors: ${String(job?.failedReason ?? 'unknown').slice(0, 300)}`,
          ]);
          continue;
        }
        if (state === 'completed' || state === 'failed') await this.queue.remove(action.id).catch(() => undefined);
      }
      await this.queue.add(action.kind, { actionId: action.id, requestId: null } satisfies ScheduledActionJobData, { jobId: action.id, ...ACTION_JOB_OPTIONS });
      await this.dataSource.query(`UPDATE scheduled_actions SET claimed_at = clock_timestamp(), job_id = NULL WHERE id = $1 AND status = 'claimed'`, [action.id]);
      revived += 1;
    }
    if (revived > 0) this.logger.warn({ revived }, 'claimed scheduled actions without a live job were given a new one');
  }

  /**
   * The jobs for one claim: one per action (jobId = action id), or, for a kind whose
   * workflow takes batches, one per SCHEDULE_BATCH_SIZE actions, its id derived from the
   * actions it carries so that enqueueing the same batch again is a no-op.
   */
  private jobsFor(rows: Array<{ id: string; kind: string }>) {
    const requestId = currentRequestId() ?? null;
    const jobs: Array<{ name: string; data: ScheduledActionJobData | ScheduledActionBatchJobData; opts: typeof ACTION_JOB_OPTIONS & { jobId: string } }> = [];
    const batched = new Map<string, string[]>();
    for (const row of rows) {
      if (this.registry.handlerFor(Queues.Schedules, batchJobName(row.kind))) batched.set(row.kind, [...(batched.get(row.kind) ?? []), row.id]);
      else jobs.push({ name: row.kind, data: { actionId: row.id, requestId }, opts: { jobId: row.id, ...ACTION_JOB_OPTIONS } });
    }
    const carriers: Array<{ id: string; jobId: string }> = [];
    for (const [kind, ids] of batched) {
      for (let i = 0; i < ids.length; i += SCHEDULE_BATCH_SIZE) {
        const actionIds = ids.slice(i, i + SCHEDULE_BATCH_SIZE);
        const jobId = `batch-${createHash('sha1').update(actionIds.join(',')).digest('hex')}`;
        jobs.push({ name: batchJobName(kind), data: { actionIds, requestId }, opts: { jobId, ...ACTION_JOB_OPTIONS } });
        for (const id of actionIds) carriers.push({ id, jobId });
      }
    }
    return { jobs, carriers };
  }

  @HandlesJob(Queues.Schedules, TICK_JOB)
  async tick(): Promise<number> {
    const now = await this.clock.now();
    let total = 0;
    for (;;) {
      const claimed = await this.dataSource.transaction(async (manager) => {
        // Locked first and claimed with their jobs' ids in one write: each row gets one new
        // version, not two (the claim, then the job id).
        const rows: Array<{ id: string; kind: string }> = await manager.query(
          `SELECT id, kind FROM scheduled_actions WHERE status = 'planned' AND due_at <= $1 ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
          [now, BATCH],
        );
        if (rows.length > 0) {
          const { jobs, carriers } = this.jobsFor(rows);
          const carrier = new Map(carriers.map((c) => [c.id, c.jobId]));
          await manager.query(
            `UPDATE scheduled_actions a SET status = 'claimed', updated_at = $1, claimed_at = clock_timestamp(), job_id = c.job_id
               FROM unnest($2::uuid[], $3::text[]) AS c(id, job_id) WHERE a.id = c.id AND a.id = ANY($2::uuid[])`,
            [now, rows.map((r) => r.id), rows.map((r) => carrier.get(r.id) ?? null)],
          );
          await this.queue.addBulk(jobs);
        }
        return rows.length;
      });
      total += claimed;
      if (claimed < BATCH) break;
    }
    if (total > 0) this.logger.info({ claimed: total, now: now.toISOString() }, 'due scheduled actions enqueued');
    await this.reviveLostClaims();
    // Nudges held for a send window: their send jobs go now (jobId = notification id drops repeats).
    const deferred: Array<{ id: string; request_id: string | null; priority: number }> = await this.dataSource.query(
      `SELECT id, request_id, priority FROM notifications WHERE status = 'queued' AND not_before > created_at AND not_before <= $1 ORDER BY not_before LIMIT 5000`,
      [now],
    );
    for (const row of deferred) await this.notifier.enqueueSend(row.id, row.request_id, row.priority);
    return total + deferred.length;
  }
}
