import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Personal data as UK GDPR expects: a log of what each person agreed to and
 * how, the erasures done, the retention runs with what they removed, and an append-only
 * audit of every write.
 */
export class Privacy1765100000000 implements MigrationInterface {
  name = 'Privacy1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE consent_log (
      id uuid PRIMARY KEY,
      -- Entries made in the same instant (one request, or a frozen virtual clock) keep their order.
      seq bigint GENERATED ALWAYS AS IDENTITY,
      person_id uuid REFERENCES people (id),
      email text,
      purpose text NOT NULL CHECK (purpose IN ('programme_communications', 'surveys', 'data_sharing')),
      granted boolean NOT NULL,
      how text NOT NULL CHECK (how IN ('page', 'import', 'manager', 'api')),
      by_token_id uuid,
      request_id text,
      at timestamptz NOT NULL,
      CHECK (person_id IS NOT NULL OR email IS NOT NULL)
    )`);
    await q.query(`CREATE INDEX consent_log_person ON consent_log (person_id, purpose, at) WHERE person_id IS NOT NULL`);
    await q.query(`CREATE INDEX consent_log_email ON consent_log (lower(email), purpose, at) WHERE email IS NOT NULL`);
    // What people agreed to before the log existed becomes its first entry.
    await q.query(`INSERT INTO consent_log (id, person_id, purpose, granted, how, at)
      SELECT gen_random_uuid(), id, 'surveys', consent_to_contact, 'import', created_at FROM people`);

    await q.query(`CREATE TABLE erasures (
      id uuid PRIMARY KEY,
      subject_type text NOT NULL CHECK (subject_type IN ('person', 'ambassador')),
      subject_id uuid NOT NULL,
      pseudonym text NOT NULL,
      counts jsonb NOT NULL,
      by_token_id uuid,
      request_id text,
      at timestamptz NOT NULL,
      UNIQUE (subject_type, subject_id)
    )`);
    await q.query(`ALTER TABLE people ADD COLUMN erased_at timestamptz`);
    await q.query(`ALTER TABLE ambassadors ADD COLUMN erased_at timestamptz`);

    await q.query(`CREATE TABLE retention_runs (
      id uuid PRIMARY KEY,
      trigger text NOT NULL CHECK (trigger IN ('daily', 'admin')),
      policy jsonb NOT NULL,
      removed jsonb NOT NULL,
      ran_at timestamptz NOT NULL
    )`);

    await q.query(`CREATE TABLE audit_log (
      id uuid PRIMARY KEY,
      at timestamptz NOT NULL,
      actor_type text NOT NULL CHECK (actor_type IN ('token', 'page_link', 'unsubscribe_link', 'dashboard', 'anonymous')),
      actor_id text,
      role text,
      method text NOT NULL,
      route text NOT NULL,
      subject_type text,
      subject_id text,
      status integer NOT NULL,
      request_id text
    )`);
    await q.query(`CREATE INDEX audit_log_at ON audit_log (at)`);
    await q.query(`CREATE INDEX audit_log_subject ON audit_log (subject_type, subject_id, at)`);
    await q.query(`CREATE INDEX audit_log_actor ON audit_log (actor_id, at)`);
    // Append-only: the record of who changed what cannot itself be changed, even by the app.
    await q.query(`CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`);
    await q.query(`CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
    await q.query(`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP FUNCTION audit_log_append_only()`);
    await q.query(`DROP TABLE retention_runs`);
    await q.query(`ALTER TABLE ambassadors DROP COLUMN erased_at`);
    await q.query(`ALTER TABLE people DROP COLUMN erased_at`);
    await q.query(`DROP TABLE erasures`);
    await q.query(`DROP TABLE consent_log`);
  }
}
