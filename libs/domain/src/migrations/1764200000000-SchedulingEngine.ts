import type { MigrationInterface, QueryRunner } from 'typeorm';
import { BUILTIN_CALENDARS } from '../calendars/builtin-calendars.js';

/**
 * Academic calendars as editable data, what the schedule preview needs on each scheduled
 * action (cohort, policy version, recipient, why), and the ledger's delivery fields:
 * priority, resends, unsubscribe tokens and per-person preferences.
 */
export class SchedulingEngine1764200000000 implements MigrationInterface {
  name = 'SchedulingEngine1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE academic_calendars (
        key text PRIMARY KEY,
        name text NOT NULL,
        nation text NOT NULL CHECK (nation IN ('england', 'scotland')),
        bank_holiday_region text NOT NULL CHECK (bank_holiday_region IN ('ENG', 'SCT', 'NIR')),
        note text NOT NULL,
        years jsonb NOT NULL,
        version integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    for (const calendar of BUILTIN_CALENDARS) {
      await q.query(`INSERT INTO academic_calendars (key, name, nation, bank_holiday_region, note, years) VALUES ($1, $2, $3, $4, $5, $6)`, [
        calendar.key,
        calendar.name,
        calendar.nation,
        calendar.bankHolidayRegion,
        calendar.note,
        JSON.stringify(calendar.years),
      ]);
    }
    await q.query(`ALTER TABLE scheduled_actions ADD COLUMN cohort_id uuid REFERENCES cohorts(id)`);
    await q.query(`ALTER TABLE scheduled_actions ADD COLUMN policy_version integer`);
    await q.query(`ALTER TABLE scheduled_actions ADD COLUMN recipient text`);
    await q.query(`ALTER TABLE scheduled_actions ADD COLUMN description text`);
    await q.query(`CREATE INDEX scheduled_actions_cohort ON scheduled_actions (cohort_id, due_at)`);

    await q.query(`ALTER TABLE programmes ADD COLUMN brand_colour text NOT NULL DEFAULT '#0b5394' CHECK (brand_colour ~ '^#[0-9a-fA-F]{6}$')`);
    await q.query(`ALTER TABLE notifications ADD COLUMN priority integer NOT NULL DEFAULT 5`);
    await q.query(`ALTER TABLE notifications ADD COLUMN resend_of uuid REFERENCES notifications(id)`);
    await q.query(`ALTER TABLE notifications ADD COLUMN unsubscribe_token_hash text UNIQUE`);
    await q.query(`CREATE INDEX notifications_deferred ON notifications (not_before) WHERE status = 'queued' AND not_before > created_at`);
    await q.query(`
      CREATE TABLE communication_preferences (
        email text NOT NULL,
        kind text NOT NULL,
        opted_out_at timestamptz NOT NULL,
        source text NOT NULL,
        PRIMARY KEY (email, kind)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE communication_preferences`);
    await q.query(`ALTER TABLE notifications DROP COLUMN priority, DROP COLUMN resend_of, DROP COLUMN unsubscribe_token_hash`);
    await q.query(`ALTER TABLE programmes DROP COLUMN brand_colour`);
    await q.query(`ALTER TABLE scheduled_actions DROP COLUMN cohort_id, DROP COLUMN policy_version, DROP COLUMN recipient, DROP COLUMN description`);
    await q.query(`DROP TABLE academic_calendars`);
  }
}
