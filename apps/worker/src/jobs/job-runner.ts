import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { APP_CONFIG, JobNames, Queues, QUEUE_REDIS, runWithRequestContext, type AppConfig } from '#domain';
import { JobRegistry, type QueueName } from './job-registry.js';

/**
 * Runs the BullMQ workers. Built here rather than with @Processor so that concurrency
 * and the stall timings come from the validated configuration, and so
 * that no job is taken before the registry has been checked.
 */
@Injectable()
export class JobRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly workers: Worker[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(QUEUE_REDIS) private readonly redis: Redis,
    private readonly registry: JobRegistry,
    private readonly dataSource: DataSource,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('JobRunner');
  }

  onApplicationBootstrap(): void {
    this.registry.build();
    const common = {
      connection: this.redis,
      prefix: this.config.queuePrefix,
      concurrency: this.config.workerConcurrency,
      lockDuration: this.config.stalledCheckMs,
      stalledInterval: this.config.stalledCheckMs,
      maxStalledCount: 3,
    };
    this.workers.push(new Worker(Queues.Events, (job, token) => this.run(Queues.Events, job, token), common));
    this.workers.push(new Worker(Queues.Schedules, (job, token) => this.run(Queues.Schedules, job, token), common));
    // The global send rate is counted in emails by the sender (SendRate), not in jobs here: a job may carry a batch.
    this.workers.push(new Worker(Queues.Notifications, (job, token) => this.run(Queues.Notifications, job, token), common));
    for (const worker of this.workers) {
      worker.on('error', (error) => this.logger.error({ err: error, queue: worker.name }, 'queue worker error'));
      worker.on('failed', (job, error) => this.logger.warn({ err: error, queue: worker.name, jobId: job?.id, attemptsMade: job?.attemptsMade }, 'job failed'));
    }
    this.logger.info({ queues: this.workers.map((w) => w.name), jobs: Object.values(JobNames) }, 'worker is taking jobs');
  }

  /** SIGTERM: stop taking jobs and let the ones in hand finish before connections close. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
  }

  private async markHandled(eventId: unknown): Promise<void> {
    if (typeof eventId === 'string') await this.dataSource.query(`UPDATE outbox_events SET handled_at = clock_timestamp() WHERE id = $1 AND handled_at IS NULL`, [eventId]);
  }

  private async run(queue: QueueName, job: Job, token: string | undefined): Promise<unknown> {
    const requestId = (job.data?.requestId as string | null | undefined) ?? job.id ?? 'job';
    return runWithRequestContext({ requestId }, async () => {
      const handler = this.registry.handlerFor(queue, job.name);
      if (!handler) {
        // An event no workflow reacts to yet: it stays in the outbox for the record.
        this.logger.debug({ queue, job: job.name, jobId: job.id, requestId }, 'no reaction to this job');
        if (queue === Queues.Events) await this.markHandled(job.data?.eventId);
        return undefined;
      }
      const started = performance.now();
      const result = await handler(job.data, job, token);
      if (queue === Queues.Events) await this.markHandled(job.data?.eventId);
      this.logger.debug({ queue, job: job.name, jobId: job.id, requestId, ms: Math.round(performance.now() - started) }, 'job done');
      return result;
    });
  }
}
