import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { TLSSocket } from 'node:tls';
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
/** Connections that carry records, each one statement at a time: enough for the records of SMTP_IN_FLIGHT messages and the ones answered while those run. */
const MAX_LINES = 4;

/**
 * A record on its way. `handedOver`: its statement is with the operating system, bound
 * for Postgres, which will make it even if this process dies now (see `RecordLine`).
 * `made`: Postgres has answered; it fails if the record could not be made for half a
 * minute. `handedOver` is also settled when `made` is.
 */
export interface RecordUnderWay {
  handedOver: Promise<void>;
  made: Promise<void>;
}

/**
 * A connection of its own for records, used for one statement at a time. A statement
 * written to a socket whose earlier answers have all been read is with the kernel once
 * the write returns; if the process is killed then, the kernel still delivers it, and
 * Postgres makes the record and commits before it finds no one listening. So a message
 * whose record is handed over no longer needs the next one to wait. Over TLS the bytes
 * pass through Node's TLS layer first, so there a record counts as handed over only once
 * Postgres has answered. (Through a pooler such as PgBouncer, a statement still waiting
 * for a server connection is dropped with its client: there a kill at that moment can
 * cost one more message sent twice.)
 */
class RecordLine {
  /** The connection ended or failed (a Postgres restart): not to be written to again. */
  lost = false;
  /** The plain socket the statements are written to; null over TLS. */
  private socket: Socket | null = null;

  private constructor(readonly client: pg.Client) {
    const lose = () => (this.lost = true);
    client.on('error', lose);
    client.on('end', lose);
  }

  static async open(config: pg.ClientConfig): Promise<RecordLine> {
    const line = new RecordLine(new pg.Client(config));
    await line.client.connect();
    // pg's own connection object, read-only: the socket the statements are written to.
    const stream = (line.client as unknown as { connection?: { stream?: unknown } }).connection?.stream;
    if (stream && typeof (stream as Socket).writableLength === 'number' && !(stream instanceof TLSSocket)) line.socket = stream as Socket;
    return line;
  }

  /** Resolves once what was written is with the kernel; never, over TLS (the answer settles the record instead). */
  handedOver(): Promise<void> {
    const socket = this.socket;
    if (!socket) return new Promise(() => undefined);
    if (socket.writableLength === 0) return Promise.resolve();
    return new Promise((resolve) => socket.once('drain', () => resolve()));
  }

  close(): Promise<void> {
    return this.client.end().catch(() => undefined);
  }
}

/**
 * The row goes to sent and the attempt is written, in one statement. The first time, the
 * statement's commit does not wait for the disk (set here, not on the connection, so that
 * it holds through a pooler). Made again after a crash, only while the row still stands as
 * this attempt's claim left it: had Postgres kept the record, or had someone else's claim
 * moved the row on, there is nothing to do; and that time the commit waits for the disk.
 */
function recordStatement(again: boolean): string {
  return `WITH sent AS (
            UPDATE notifications SET status = 'sent', sent_at = $2, subject = $3, smtp_response = $4, last_error = NULL, lease_until = NULL, updated_at = $2,
                   unsubscribe_token_hash = coalesce($8, unsubscribe_token_hash)
             WHERE id = $1${again ? ` AND status = 'sending' AND attempt_count = $6` : ''} RETURNING id)
          INSERT INTO notification_attempts (id, notification_id, attempt, outcome, error, smtp_response, started_at, finished_at)
          SELECT $5, id, $6, 'sent', NULL, $4, $7, $2 FROM sent${again ? '' : `, (SELECT set_config('synchronous_commit', 'off', true)) AS without_waiting_for_the_disk`}`;
}

const values = (r: SentRecord) => [r.notificationId, r.startedAt, r.subject, r.response, r.attemptId, r.attempt, r.startedAt, r.unsubscribeTokenHash];

/**
 * The delivery thread's records of messages sent.
 *
 * A record ends the one window in which a crash sends a message twice, and the next
 * message's end waits for it, so it is committed without waiting for Postgres to flush its
 * WAL to disk (synchronous_commit off): that wait was a third of the record's time. A
 * committed record is visible at once and outlives the worker; only Postgres crashing can
 * forget it. So each record is kept here until Postgres says its WAL is on disk, and made
 * again if Postgres crashed before that. Only both crashing together (one machine losing
 * power) can still forget records, and send those messages again.
 *
 * "Postgres did not crash meanwhile" is read from postgres_incarnation, an unlogged table
 * that crash recovery empties: a record made under one token, and found on disk while the
 * same token still stands, was never forgotten. A record made before the token was known,
 * or under one that has since changed, is made again.
 */
export class SentRecords {
  /** The token as last read; null until Postgres has answered. */
  private incarnation: string | null = null;
  private unflushed: Array<{ record: SentRecord; incarnation: string | null }> = [];
  private confirming: Promise<void> | null = null;
  private closed = false;
  private opened = 0;
  private readonly idle: RecordLine[] = [];
  private readonly waitingForLine: Array<{ resolve: (line: RecordLine) => void; reject: (error: unknown) => void }> = [];

  private constructor(
    private readonly pool: pg.Pool,
    private readonly lineConfig: pg.ClientConfig,
  ) {}

  /**
   * Records made on connections of their own (`lineConfig`), looked after through the
   * pool; the token is read first when Postgres answers (when it does not, the first look
   * reads it).
   */
  static async open(pool: pg.Pool, lineConfig: pg.ClientConfig): Promise<SentRecords> {
    const records = new SentRecords(pool, lineConfig);
    await records.readIncarnation().catch(() => undefined);
    return records;
  }

  /**
   * The message is out. Recording it is worth waiting for through a database blip: giving up
   * here is the one way a message can go twice (the next claim finds it interrupted).
   */
  record(record: SentRecord): RecordUnderWay {
    let handOver!: () => void;
    const handedOver = new Promise<void>((resolve) => (handOver = resolve));
    const made = this.make(record, handOver).finally(handOver);
    return { handedOver, made };
  }

  /** Before the thread ends (no record is being made by then): what can be confirmed in a few seconds is. The pool is the caller's to end. */
  async close(): Promise<void> {
    const deadline = Date.now() + 5_000;
    while ((this.unflushed.length || this.confirming) && Date.now() < deadline) {
      this.confirmSoon(0);
      await this.confirming;
    }
    this.closed = true;
    await Promise.all(this.idle.splice(0).map((line) => line.close()));
  }

  private async make(record: SentRecord, handOver: () => void): Promise<void> {
    const incarnation = this.incarnation;
    for (let attempt = 0; ; attempt += 1) {
      let line: RecordLine | undefined;
      try {
        line = await this.line();
        // Tried again, the statement is the one that applies only to the claim as it was:
        // the first may have been made, its answer lost with the connection.
        const answered = line.client.query(attempt === 0 ? { name: 'record-sent', text: recordStatement(false), values: values(record) } : { text: recordStatement(true), values: values(record) });
        if (attempt === 0) void line.handedOver().then(handOver);
        await answered;
        this.free(line);
        break;
      } catch (error) {
        if (line) this.drop(line);
        // About 30 s, whatever the error: unreachable, restarting, in recovery, a connection that timed out.
        if (attempt >= 30) throw error;
        await sleep(1_000);
      }
    }
    this.unflushed.push({ record, incarnation });
    this.confirmSoon(CONFIRM_EVERY_MS);
  }

  /** An idle line, a new one while there are fewer than MAX_LINES, or the next one freed. */
  private async line(): Promise<RecordLine> {
    for (let idle = this.idle.pop(); idle; idle = this.idle.pop()) {
      if (!idle.lost) return idle;
      this.opened -= 1;
      void idle.close();
    }
    if (this.opened >= MAX_LINES) return new Promise((resolve, reject) => this.waitingForLine.push({ resolve, reject }));
    this.opened += 1;
    try {
      return await RecordLine.open({ ...this.lineConfig, connectionTimeoutMillis: 5_000 });
    } catch (error) {
      this.opened -= 1;
      throw error;
    }
  }

  private free(line: RecordLine): void {
    const next = this.waitingForLine.shift();
    if (next) next.resolve(line);
    else this.idle.push(line);
  }

  /** A line that failed is closed; whoever waits for one gets a new one, or the error of opening it. */
  private drop(line: RecordLine): void {
    this.opened -= 1;
    void line.close();
    const next = this.waitingForLine.shift();
    if (next) this.line().then(next.resolve, next.reject);
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
      const { rows } = await this.pool.query<{ mark: string }>(`SELECT pg_current_wal_insert_lsn()::text AS mark`);
      for (;;) {
        const flushed = await this.pool.query<{ done: boolean }>(`SELECT pg_current_wal_flush_lsn() >= $1::pg_lsn AS done`, [rows[0].mark]);
        if (flushed.rows[0].done) break;
        await sleep(CONFIRM_EVERY_MS);
      }
      // Read after the flush: the same token now means no crash since the records were made.
      const incarnation = await this.readIncarnation();
      for (const entry of batch) if (entry.incarnation !== incarnation) await this.pool.query(recordStatement(true), values(entry.record));
      return true;
    } catch {
      this.unflushed = batch.concat(this.unflushed);
      return false;
    }
  }

  /**
   * Postgres's token, made when crash recovery has left none. (Two threads making it at once:
   * the one that waited on the other's insert cannot see its row yet, and reads again.)
   */
  private async readIncarnation(): Promise<string> {
    for (let attempt = 0; ; attempt += 1) {
      const { rows } = await this.pool.query<{ token: string }>(
        `WITH made AS (INSERT INTO postgres_incarnation (id, token) VALUES (1, gen_random_uuid()) ON CONFLICT (id) DO NOTHING RETURNING token)
         SELECT token FROM made UNION ALL SELECT token FROM postgres_incarnation WHERE id = 1`,
      );
      if (rows[0]) return (this.incarnation = rows[0].token);
      if (attempt >= 2) throw new Error('postgres_incarnation could not be read');
    }
  }
}
