import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Consent by purpose (docs/consent-by-purpose.md). Evaluation surveys rest on the
 * programme's legitimate interest, so with nothing recorded they go; `consent_to_contact`
 * now says whether the person objected to them, and defaults to "not objected".
 *
 * Which existing falses were a choice? The column was only ever written by the people API,
 * whose create wrote `consentToContact ?? false`, and by PATCH. Since the Privacy migration
 * the API logs a surveys entry whenever a client sends the field, so a person with false
 * and no surveys entry in the consent log never said anything: the false was the default,
 * and they are set to true (nothing recorded, surveys go). People created before the
 * Privacy migration all got an `import` entry copied from the column then, so their false
 * cannot be told apart from a choice: it is kept, as an objection, and shown as recorded
 * by import on the day the person was created. An erased person keeps false.
 *
 * Also: news and marketing joins the purposes one can say yes to; a skipped notification
 * keeps its reason in a column of its own; and a survey not asked for (no email address,
 * an objection) is recorded, so response rates can say who was not asked and why.
 */
export class ConsentByPurpose1765550000000 implements MigrationInterface {
  name = 'ConsentByPurpose1765550000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE consent_log DROP CONSTRAINT IF EXISTS consent_log_purpose_check`);
    await q.query(`ALTER TABLE consent_log ADD CONSTRAINT consent_log_purpose_check CHECK (purpose IN ('programme_communications', 'surveys', 'news', 'data_sharing'))`);

    await q.query(`ALTER TABLE people ALTER COLUMN consent_to_contact SET DEFAULT true`);
    await q.query(`UPDATE people p SET consent_to_contact = true
      WHERE p.consent_to_contact = false AND p.erased_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM consent_log c WHERE c.purpose = 'surveys' AND (c.person_id = p.id OR (p.email IS NOT NULL AND lower(c.email) = lower(p.email))))`);

    await q.query(`ALTER TABLE notifications ADD COLUMN skip_reason text`);
    await q.query(`UPDATE notifications SET skip_reason = last_error WHERE status = 'skipped'`);
    await q.query(`CREATE INDEX notifications_skipped ON notifications (created_at) WHERE status = 'skipped'`);

    await q.query(`CREATE TABLE survey_not_asked (
      id uuid PRIMARY KEY,
      key text NOT NULL UNIQUE,
      instrument_key text NOT NULL,
      person_id uuid NOT NULL REFERENCES people (id),
      booking_id uuid REFERENCES cpd_bookings (id),
      session_id uuid REFERENCES cpd_sessions (id),
      course_id uuid REFERENCES cpd_courses (id),
      enrichment_event_id uuid REFERENCES enrichment_events (id),
      school_id uuid REFERENCES schools (id),
      partnership_id uuid REFERENCES partnerships (id),
      cohort_id uuid REFERENCES cohorts (id),
      reason text NOT NULL CHECK (reason IN ('objected', 'no_email')),
      notification_id uuid REFERENCES notifications (id),
      decided_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX survey_not_asked_partnership ON survey_not_asked (partnership_id)`);
    await q.query(`CREATE INDEX survey_not_asked_person ON survey_not_asked (person_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE survey_not_asked`);
    await q.query(`DROP INDEX notifications_skipped`);
    await q.query(`ALTER TABLE notifications DROP COLUMN skip_reason`);
    // The falses the up migration turned to true were defaults, not choices: nothing to restore.
    await q.query(`ALTER TABLE people ALTER COLUMN consent_to_contact SET DEFAULT false`);
    await q.query(`DELETE FROM consent_log WHERE purpose = 'news'`);
    await q.query(`ALTER TABLE consent_log DROP CONSTRAINT consent_log_purpose_check`);
    await q.query(`ALTER TABLE consent_log ADD CONSTRAINT consent_log_purpose_check CHECK (purpose IN ('programme_communications', 'surveys', 'data_sharing'))`);
  }
}
