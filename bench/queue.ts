import { performance } from 'node:perf_hooks';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { Queues } from '#domain';
import { benchDatabase, percentile, record, REDIS_URL, startApp, stop, waitUntil } from './support.js';

/**
 * Raw BullMQ throughput on this Redis (bulk add and process of no-op jobs) beside the
 * spine's event-to-job path (an outbox row committed → its job in the events queue, by
 * the worker's relay), as a ratio, with the event-to-enqueue latency's p50 and p99
 * (target: p50 under 50 ms).
 */
const N = Number(process.env.QUEUE_EVENTS ?? 20_000);
const BATCH = 100;

async function rawBullmq(): Promise<{ addRate: number; processRate: number }> {
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const prefix = `{stemflow-bench-raw-${process.pid}}`;
  const queue = new Queue('raw', { connection, prefix });
  const started = performance.now();
  for (let i = 0; i < N; i += 1000) {
    await queue.addBulk(Array.from({ length: Math.min(1000, N - i) }, (_, j) => ({ name: 'noop', data: { i: i + j }, opts: { removeOnComplete: true } })));
  }
  const addSeconds = (performance.now() - started) / 1000;
  let done = 0;
  const processStarted = performance.now();
  const worker = new Worker('raw', async () => undefined, { connection, prefix, concurrency: 50 });
  worker.on('completed', () => (done += 1));
  await waitUntil(() => done >= N, 10 * 60_000, 'raw jobs');
  const processSeconds = (performance.now() - processStarted) / 1000;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();
  return { addRate: N / addSeconds, processRate: N / processSeconds };
}

async function commitEvents(db: import('pg').Pool, count: number): Promise<void> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO outbox_events (id, type, aggregate_type, aggregate_id, payload, occurred_at)
       SELECT gen_random_uuid(), 'school.created', 'school', g::text, '{}'::jsonb, now() FROM generate_series(1, $1) AS g`,
      [count],
    );
    await client.query(`SELECT pg_notify('stemflow_outbox', '')`);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

async function spine(): Promise<{ rate: number; p50: number; p99: number; latencyEvents: number }> {
  const { url, prefix, db, drop } = await benchDatabase('queue');
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const worker = startApp('worker', {
    DATABASE_URL: url,
    REDIS_URL,
    SMTP_URL: 'smtp://127.0.0.1:1',
    MAIL_FROM: 'bench <bench@stemflow.test>',
    PUBLIC_BASE_URL: 'http://localhost:3000',
    QUEUE_PREFIX: prefix,
    OUTBOX_POLL_MS: '60000',
    WORKER_CONCURRENCY: '50',
  });
  try {
    await waitUntil(async () => (await redis.zcard(`${prefix}:workers`)) > 0, 30_000, 'the worker to start');
    const events = new Queue(Queues.Events, { connection: redis, prefix });
    const started = performance.now();
    const enqueued = async (total: number) => {
      const counts = await events.getJobCounts('completed', 'waiting', 'active', 'prioritized');
      return Object.values(counts).reduce((a, b) => a + b, 0) >= total;
    };
    // Throughput: commands commit in small transactions as fast as they can, each waking the relay.
    for (let i = 0; i < N; i += BATCH) await commitEvents(db, Math.min(BATCH, N - i));
    await waitUntil(() => enqueued(N), 10 * 60_000, 'every event to be enqueued');
    const seconds = (performance.now() - started) / 1000;

    // Latency: a steady 500 events a second (one command of 5 every 10 ms), well inside the
    // relay's throughput, so the figure is the path's own delay and not a backlog's.
    const paced = Math.min(5_000, N);
    const since = new Date();
    for (let i = 0; i < paced; i += 5) {
      const tick = performance.now();
      await commitEvents(db, 5);
      const wait = 10 - (performance.now() - tick);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    await waitUntil(() => enqueued(N + paced), 10 * 60_000, 'the paced events to be enqueued');
    const recorded = new Map(
      (await db.query(`SELECT id, extract(epoch FROM recorded_at) * 1000 AS at FROM outbox_events WHERE recorded_at >= $1`, [since])).rows.map((r) => [r.id as string, Number(r.at)]),
    );
    const latencies: number[] = [];
    for (let start = 0; start < N + paced; start += 1000) {
      for (const job of await events.getJobs(['completed', 'waiting', 'active'], start, start + 999)) {
        const at = recorded.get(job.id!);
        if (at !== undefined) latencies.push(job.timestamp - at);
      }
    }
    await events.close();
    return { rate: N / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), latencyEvents: latencies.length };
  } finally {
    await stop(worker);
    redis.disconnect();
    await drop();
  }
}

const raw = await rawBullmq();
const relay = await spine();
const line = `${N} jobs: raw BullMQ add ${raw.addRate.toFixed(0)}/s, process ${raw.processRate.toFixed(0)}/s; spine outbox→job ${relay.rate.toFixed(0)}/s (overhead ratio ${(raw.addRate / relay.rate).toFixed(1)}× vs raw add); event-to-enqueue at 500 events/s (${relay.latencyEvents} events) p50 ${relay.p50.toFixed(1)} ms, p99 ${relay.p99.toFixed(1)} ms (target p50 < 50 ms)`;
console.log(line);
record('queue', line);
