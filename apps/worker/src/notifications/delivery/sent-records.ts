import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

/** What the ledger is told once the SMTP server has accepted a message. */
export interface SentRecord {
  notificationId: string;
  attempt: number;
  response: string;
  startedAt: string;
  subject: string;
  attemptId: string;
  unsubscribeTokenHash: string | null;
}

/** How often the records made since the last look are checked for being on disk (the WAL writer writes every 200 ms by default). */
const CONFIRM_EVERY_MS = 50;
/** After Postgres could not be reached: the next look. */
const RETRY_AFTER_MS = 1_000;

/**
 * The row goes to sent and the attempt is written, in one statement. Made again after a
 * crash, only while the row still stands as this attempt's claim left it: had Postgres
 * kept the record, or had someone else's claim moved the row on, there is nothing to do.
 */
function recordStatement(again: boolean): string {
  return `WITH sent AS (
            UPDATE notifications SET status = 'sent', sent_at = $2, subject = $3, smtp_response = $4, last_error = NULL, lease_until = NULL, updated_at = $2,
                   unsubscribe_token_hash = coalesce($8, unsubscribe_token_hash)
             WHERE id = $1${again ? ` AND status = 'sending' AND attempt_count = $6` : ''} RETURNING id)
          INSERT INTO notification_attempts (id, notification_id, attempt, outcome, error, smtp_response, started_at, finished_at)
          SELECT $5, id, $6, 'sent', NULL, $4, $7, $2 FROM sent`;
}

const values = (r: SentRecord) => [r.notificationId, r.startedAt, r.subject, r.response, r.attemptId, r.attempt, r.startedAt, r.unsubscribeTokenHash];

/**
 * The delivery thread's records of messages sent.
 *
 * A record ends the one window in which a crash sends a message twice, and the next
 * message's end waits for it, so it is committed without waiting for Postgres to flush its
 * WAL to disk (synchronous_commit off): that wait was a third of the window. A committed
 * record is visible at once and outlives the worker; only Postgres crashing can forget it.
 * So each record is kept here until Postgres says its WAL is on disk, and made again if
 * Postgres crashed before that. Only both crashing together (one machine losing power) can
 * still forget records, and send those messages again.
 *
 * "Postgres did not crash meanwhile" is read from one connection (the watcher): a crash
 * ends every connection, so a record made after the watcher connected, and found on disk
 * by a query on that same connection, was never forgotten. A record made while no watcher
 * was connected, or under one that has since been lost, is made again.
 */
export class SentRecords {
  private readonly pool: pg.Pool;
  private watcher: Watcher | null = null;
  private connecting: Promise<Watcher> | null = null;
  private epochs = 0;
  private unflushed: Array<{ record: SentRecord; epoch: number | null }> = [];
  private confirming: Promise<void> | null = null;
  private closed = false;

  private constructor(private readonly databaseUrl: string) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 2, connectionTimeoutMillis: 5_000, application_name: 'stemflow-worker-delivery', options: '-c synchronous_commit=off' });
    // An idle connection dropped by a Postgres restart is replaced on the next statement.
    this.pool.on('error', () => undefined);
  }

  /** Records for this database, watched from the start when Postgres answers (when it does not, the first look connects). */
  static async open(databaseUrl: string): Promise<SentRecords> {
    const records = new SentRecords(databaseUrl);
    await records.watch().catch(() => undefined);
    return records;
  }

  /**
   * The message is out. Recording it is worth waiting for through a database blip: giving up
   * here is the one way a message can go twice (the next claim finds it interrupted).
   */
  async record(record: SentRecord): Promise<void> {
    const epoch = this.watcher?.epoch ?? null;
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.pool.query({ name: 'record-sent', text: recordStatement(false), values: values(record) });
        break;
      } catch (error) {
        // About 30 s, whatever the error: unreachable, restarting, in recovery, a pool that timed out.
        if (attempt >= 30) throw error;
        await sleep(1_000);
      }
    }
    this.unflushed.push({ record, epoch });
    this.confirmSoon(CONFIRM_EVERY_MS);
  }

  /** Before the thread ends (no record is being made by then): what can be confirmed in a few seconds is. */
  async close(): Promise<void> {
    const deadline = Date.now() + 5_000;
    while ((this.unflushed.length || this.confirming) && Date.now() < deadline) {
      this.confirmSoon(0);
      await this.confirming;
    }
    this.closed = true;
    await Promise.all([this.watcher?.client.end().catch(() => undefined), this.pool.end()]);
  }

  private confirmSoon(delayMs: number): void {
    if (this.confirming || this.closed) return;
    this.confirming = sleep(delayMs)
      .then(() => this.confirm())
      .then((answered) => {
        this.confirming = null;
        if (this.unflushed.length) this.confirmSoon(answered ? CONFIRM_EVERY_MS : RETRY_AFTER_MS);
      });
  }

  /** One look: true when Postgres answered it. */
  private async confirm(): Promise<boolean> {
    const batch = this.unflushed;
    this.unflushed = [];
    try {
      const watcher = await this.watch();
      for (const { record, epoch } of batch) if (epoch !== watcher.epoch) await watcher.client.query(recordStatement(true), values(record));
      const { rows } = await watcher.client.query<{ mark: string }>(`SELECT pg_current_wal_insert_lsn()::text AS mark`);
      for (;;) {
        const flushed = await watcher.client.query<{ done: boolean }>(`SELECT pg_current_wal_flush_lsn() >= $1::pg_lsn AS done`, [rows[0].mark]);
        if (flushed.rows[0].done) return true;
        await sleep(CONFIRM_EVERY_MS);
      }
    } catch {
      this.unflushed = batch.concat(this.unflushed);
      if (this.watcher) this.lose(this.watcher.client);
      return false;
    }
  }

  /** The watcher, connected first if there is none. */
  private watch(): Promise<Watcher> {
    if (this.watcher) return Promise.resolve(this.watcher);
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.databaseUrl, connectionTimeoutMillis: 5_000, query_timeout: 10_000, application_name: 'stemflow-worker-delivery-watcher' });
      client.on('error', () => this.lose(client));
      try {
        await client.connect();
        if (this.closed) throw new Error('closed');
      } catch (error) {
        client.end().catch(() => undefined);
        throw error;
      }
      return (this.watcher = { client, epoch: (this.epochs += 1) });
    })().finally(() => (this.connecting = null));
    return this.connecting;
  }

  /** The watcher's connection is gone, or cannot be trusted: its epoch is never used again. */
  private lose(client: pg.Client): void {
    if (this.watcher?.client !== client) return;
    this.watcher = null;
    client.end().catch(() => undefined);
  }
}

interface Watcher {
  client: pg.Client;
  epoch: number;
}
