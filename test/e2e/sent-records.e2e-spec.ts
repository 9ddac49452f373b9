import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { ensureDatabase, runMigrations } from '#domain';
import { SentRecords, type SentRecord } from '../../apps/worker/src/notifications/delivery/sent-records.js';
import { eventually } from '../support/platform.js';
import { PrivateServices } from '../support/private-services.js';

/**
 * The delivery thread records a sent message without waiting for Postgres to put the
 * record on disk, and keeps it until it is there. Postgres crashing in between forgets the
 * record; the thread makes it again, so the message is not taken for one cut off mid-send
 * and sent a second time. The WAL writer is slowed here (wal_writer_delay 10 s) so that a
 * crash straight after a record is sure to find it not yet written.
 */
describe('records of messages sent', () => {
  let services: PrivateServices;
  let db: pg.Pool;
  let url: string;

  beforeAll(async () => {
    services = await PrivateServices.start({ postgresSettings: { wal_writer_delay: '10s' } });
    url = `${services.databaseServer}/stemflow_sent_records`;
    await ensureDatabase(url);
    await runMigrations(url);
    db = new pg.Pool({ connectionString: url, max: 2 });
    db.on('error', () => undefined);
  });
  afterAll(async () => {
    await db?.end();
    await services?.stop();
  });

  /** A notification claimed for its first attempt: what the sender hands the thread. */
  async function claimed(email: string): Promise<SentRecord> {
    const id = randomUUID();
    await db.query(
      `INSERT INTO notifications (id, idempotency_key, kind, recipient_email, data, status, not_before, lease_until, attempt_count, message_id, created_at, updated_at)
       VALUES ($1, $2, 'school_welcome', $3, '{}', 'sending', now(), now() + interval '1 minute', 1, $4, now(), now())`,
      [id, `sent-records:${id}`, email, `<${id}@stemflow.test>`],
    );
    return { notificationId: id, attempt: 1, response: '250 OK: queued', startedAt: new Date().toISOString(), subject: 'Welcome', attemptId: randomUUID(), unsubscribeTokenHash: null };
  }

  const ledger = async (id: string) =>
    (
      await db.query<{ status: string; attempts: number }>(
        `SELECT status, (SELECT count(*)::int FROM notification_attempts WHERE notification_id = n.id) AS attempts FROM notifications n WHERE id = $1`,
        [id],
      )
    ).rows[0];

  it('makes again a record that a Postgres crash forgot', async () => {
    const kept = await claimed('kept@records.example.org');
    const bare = await claimed('bare@records.example.org');
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    pool.on('error', () => undefined);
    const records = await SentRecords.open(pool, { connectionString: url });
    try {
      await records.record(kept).made;
      expect(await ledger(kept.notificationId)).toEqual({ status: 'sent', attempts: 1 });
      // Committed without waiting for the disk: the WAL written is not all flushed.
      const [{ waiting }] = (await db.query(`SELECT pg_current_wal_flush_lsn() < pg_current_wal_insert_lsn() AS waiting`)).rows;
      expect(waiting).toBe(true);
      // The same record made as the thread makes it, but kept by nobody: what a crash does to it.
      const plain = new pg.Client({ connectionString: url, options: '-c synchronous_commit=off' });
      await plain.connect();
      await plain.query(`UPDATE notifications SET status = 'sent' WHERE id = $1`, [bare.notificationId]);
      await plain.end();

      services.crashPostgres();
      await services.startPostgres();

      await eventually(async () => expect(await ledger(kept.notificationId)).toEqual({ status: 'sent', attempts: 1 }), 30_000);
      // The crash did forget what it had not written out.
      expect((await ledger(bare.notificationId)).status).toBe('sending');
    } finally {
      await records.close();
      await pool.end();
    }
  });

  /**
   * The next message may end once a record is handed over, before Postgres has answered:
   * by then the statement is with the operating system, which delivers it even if the
   * worker is killed. Here the test holds the notification's row, so the record waits in
   * Postgres; its process says it is handed over and is killed at once (SIGKILL, nothing
   * runs after); the row let go, the record is made all the same.
   */
  it('makes a record handed over even when its process is killed straight after', async () => {
    const sent = await claimed('killed@records.example.org');
    const holder = await db.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM notifications WHERE id = $1 FOR UPDATE`, [sent.notificationId]);
      const module = new URL('../../dist/apps/worker/src/notifications/delivery/sent-records.js', import.meta.url).href;
      const recorder = spawn(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import pg from 'pg';
           const { SentRecords } = await import(${JSON.stringify(module)});
           const pool = new pg.Pool({ connectionString: process.env.URL, max: 2 });
           const records = await SentRecords.open(pool, { connectionString: process.env.URL });
           await records.record(JSON.parse(process.env.RECORD)).handedOver;
           process.stdout.write('handed over');
           setInterval(() => undefined, 1_000);`,
        ],
        { cwd: fileURLToPath(new URL('../..', import.meta.url)), env: { ...process.env, URL: url, RECORD: JSON.stringify(sent) }, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const exited = once(recorder, 'exit');
      await new Promise<void>((resolve, reject) => {
        recorder.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('handed over') && resolve());
        void exited.then(() => reject(new Error('the recording process ended before handing its record over')));
      });
      recorder.kill('SIGKILL');
      await exited;
      // Still waiting for the row: the process is gone, its statement is not.
      expect(await ledger(sent.notificationId)).toEqual({ status: 'sending', attempts: 0 });
      await holder.query('COMMIT');
      await eventually(async () => expect(await ledger(sent.notificationId)).toEqual({ status: 'sent', attempts: 1 }), 10_000);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      holder.release();
    }
  });
});
