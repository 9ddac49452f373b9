import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { Queue } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, LIVE_JOB_STATES, OUTBOX_CHANNEL, Queues, type AppConfig, type EventJobData, type EventType } from '#domain';

const BATCH = 500;

interface OutboxRow {
  id: string;
  type: EventType;
  aggregate_type: string;
  aggregate_id: string;
  payload: Record<string, unknown>;
  request_id: string | null;
  occurred_at: Date;
}

/**
 * Moves committed outbox events to the events queue. Woken by
 * NOTIFY on commit, with a slow poll as the fallback for a missed notification or a
 * lost LISTEN connection. Claims with SKIP LOCKED so any number of workers can run it;
 * a crash between enqueue and marking published re-enqueues, and the jobId (the event
 * id) makes BullMQ drop the duplicate.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private listener: pg.Client | undefined;
  private draining: Promise<void> | undefined;
  private drainAgain = false;
  private stopped = false;
  private reconnectTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    @InjectQueue(Queues.Events) private readonly events: Queue,
    private readonly scheduler: SchedulerRegistry,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('OutboxRelay');
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listen();
    this.scheduler.addInterval(
      'outbox-fallback-poll',
      setInterval(() => void this.drain(), this.config.outboxPollMs),
    );
    this.scheduler.addInterval(
      'outbox-unhandled-sweep',
      setInterval(() => void this.republishUnhandled().catch(() => undefined), 60_000),
    );
    void this.drain();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    await this.draining;
    await this.listener?.end().catch(() => undefined);
  }

  /** Publishes everything unpublished; concurrent wake-ups fold into one more pass. */
  drain(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.draining) {
      this.drainAgain = true;
      return this.draining;
    }
    this.draining = (async () => {
      try {
        do {
          this.drainAgain = false;
          while (!this.stopped && (await this.publishBatch()) === BATCH);
        } while (this.drainAgain && !this.stopped);
      } catch (error) {
        this.logger.warn({ err: error }, 'outbox relay pass failed; the next wake-up or poll retries');
      } finally {
        this.draining = undefined;
      }
    })();
    return this.draining;
  }

  /**
   * Events published more than two minutes ago whose reaction has not finished and whose
   * job is no longer alive (Redis lost it, or it gave up while the database was down) are
   * published again. Reactions are idempotent, so a repeat costs only work.
   */
  async republishUnhandled(): Promise<number> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM outbox_events WHERE handled_at IS NULL AND published_at < clock_timestamp() - interval '2 minutes' ORDER BY published_at LIMIT 500`,
    );
    let republished = 0;
    for (const { id } of rows) {
      const state = await this.events.getJobState(id);
      if (LIVE_JOB_STATES.has(state) || state === 'completed') continue;
      if (state === 'failed') await this.events.remove(id).catch(() => undefined);
      await this.dataSource.query(`UPDATE outbox_events SET published_at = NULL WHERE id = $1 AND handled_at IS NULL`, [id]);
      republished += 1;
    }
    if (republished > 0) {
      this.logger.warn({ republished }, 'events whose reaction never finished were published again');
      await this.drain();
    }
    return republished;
  }

  private async publishBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows: OutboxRow[] = await manager.query(
        `SELECT id, type, aggregate_type, aggregate_id, payload, request_id, occurred_at
           FROM outbox_events
          WHERE published_at IS NULL
          ORDER BY recorded_at
          LIMIT $1
          FOR UPDATE SKIP LOCKED`,
        [BATCH],
      );
      if (rows.length === 0) return 0;
      await this.events.addBulk(
        rows.map((row) => ({
          name: row.type,
          data: {
            eventId: row.id,
            type: row.type,
            aggregateType: row.aggregate_type,
            aggregateId: row.aggregate_id,
            payload: row.payload,
            occurredAt: new Date(row.occurred_at).toISOString(),
            requestId: row.request_id,
          } satisfies EventJobData,
          opts: {
            jobId: row.id,
            attempts: 10,
            backoff: { type: 'exponential', delay: 1_000, jitter: 0.5 },
            // Completed jobs are kept a day so a re-publish in that time is dropped by jobId.
            removeOnComplete: { age: 24 * 3600, count: 100_000 },
            removeOnFail: { age: 7 * 24 * 3600 },
          },
        })),
      );
      await manager.query(`UPDATE outbox_events SET published_at = clock_timestamp() WHERE id = ANY($1::uuid[])`, [rows.map((r) => r.id)]);
      this.logger.debug({ count: rows.length }, 'outbox events published');
      return rows.length;
    });
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.config.databaseUrl, application_name: 'stemflow-outbox-listener' });
    client.on('notification', () => void this.drain());
    // Only the current listener's loss matters; an old client's late 'end' is not news.
    client.on('error', (error) => {
      if (this.listener !== client) return;
      this.logger.warn({ err: error }, 'outbox listener lost its connection; reconnecting');
      this.reconnect();
    });
    client.on('end', () => {
      if (this.listener === client) this.reconnect();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      this.listener = client;
    } catch (error) {
      this.logger.warn({ err: error }, 'outbox listener could not connect; polling until it can');
      client.end().catch(() => undefined);
      this.reconnect();
    }
  }

  private reconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    this.listener = undefined;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.listen().then(() => this.drain());
    }, 2_000);
  }
}
