import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A CPD session can be moved or cancelled once people have booked it. Every booking's
 * calendar entry follows the session: each change raises the session's calendar sequence,
 * which the invitations carry so that mail clients replace the entry they hold (RFC 5546).
 * A cancelled session keeps its row (and its bookings' history) and takes no more bookings.
 */
export class SessionChanges1765563190000 implements MigrationInterface {
  name = 'SessionChanges1765563190000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cpd_sessions ADD COLUMN calendar_sequence integer NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE cpd_sessions ADD COLUMN cancelled_at timestamptz`);
    await q.query(`ALTER TABLE cpd_sessions ADD COLUMN cancelled_reason text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cpd_sessions DROP COLUMN cancelled_reason`);
    await q.query(`ALTER TABLE cpd_sessions DROP COLUMN cancelled_at`);
    await q.query(`ALTER TABLE cpd_sessions DROP COLUMN calendar_sequence`);
  }
}
