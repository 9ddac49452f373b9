import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Survey invitations (one per instrument per booking, or per person per enrichment event),
 * the response each may have, and every edit of it kept as a revision.
 */
export class Surveys1764800000000 implements MigrationInterface {
  name = 'Surveys1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE survey_invitations (
      id uuid PRIMARY KEY,
      key text NOT NULL UNIQUE,
      instrument_key text NOT NULL,
      instrument_version integer NOT NULL,
      purpose text NOT NULL,
      person_id uuid NOT NULL REFERENCES people (id),
      booking_id uuid REFERENCES cpd_bookings (id),
      session_id uuid REFERENCES cpd_sessions (id),
      course_id uuid REFERENCES cpd_courses (id),
      enrichment_event_id uuid REFERENCES enrichment_events (id),
      school_id uuid REFERENCES schools (id),
      partnership_id uuid REFERENCES partnerships (id),
      cohort_id uuid REFERENCES cohorts (id),
      email text NOT NULL,
      opens_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      reminders_sent integer NOT NULL DEFAULT 0,
      last_reminded_at timestamptz,
      status text NOT NULL CHECK (status IN ('invited', 'responded', 'expired')),
      responded_at timestamptz,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE UNIQUE INDEX survey_invitations_one_per_booking ON survey_invitations (instrument_key, booking_id) WHERE booking_id IS NOT NULL`);
    await q.query(`CREATE INDEX survey_invitations_session ON survey_invitations (session_id) WHERE session_id IS NOT NULL`);
    await q.query(`CREATE INDEX survey_invitations_course ON survey_invitations (course_id) WHERE course_id IS NOT NULL`);
    await q.query(`CREATE INDEX survey_invitations_person ON survey_invitations (person_id)`);
    await q.query(`CREATE TABLE survey_responses (
      id uuid PRIMARY KEY,
      invitation_id uuid NOT NULL UNIQUE REFERENCES survey_invitations (id),
      instrument_key text NOT NULL,
      instrument_version integer NOT NULL,
      person_id uuid NOT NULL REFERENCES people (id),
      session_id uuid REFERENCES cpd_sessions (id),
      course_id uuid REFERENCES cpd_courses (id),
      enrichment_event_id uuid REFERENCES enrichment_events (id),
      school_id uuid REFERENCES schools (id),
      answers jsonb NOT NULL,
      revision integer NOT NULL,
      submitted_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX survey_responses_session ON survey_responses (session_id) WHERE session_id IS NOT NULL`);
    await q.query(`CREATE INDEX survey_responses_course ON survey_responses (course_id) WHERE course_id IS NOT NULL`);
    await q.query(`CREATE INDEX survey_responses_person ON survey_responses (person_id)`);
    await q.query(`CREATE TABLE survey_response_revisions (
      response_id uuid NOT NULL REFERENCES survey_responses (id),
      revision integer NOT NULL,
      answers jsonb NOT NULL,
      recorded_at timestamptz NOT NULL,
      PRIMARY KEY (response_id, revision)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['survey_response_revisions', 'survey_responses', 'survey_invitations']) await q.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
