import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When an event's reaction finished: a published event whose job was lost or gave up is
 * found by the relay's sweep and published again (every reaction is idempotent).
 */
export class EventHandling1764400000000 implements MigrationInterface {
  name = 'EventHandling1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox_events ADD COLUMN handled_at timestamptz`);
    // Events already published before this column existed were handled then.
    await q.query(`UPDATE outbox_events SET handled_at = published_at WHERE published_at IS NOT NULL`);
    await q.query(`CREATE INDEX outbox_events_unhandled ON outbox_events (published_at) WHERE handled_at IS NULL AND published_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox_events DROP COLUMN handled_at`);
  }
}
