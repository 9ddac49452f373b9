import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Schools, partnerships, the outbox, the notification ledger, API tokens and the virtual clock. */
export class Foundation1764000000000 implements MigrationInterface {
  name = 'Foundation1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE schools (
        id uuid PRIMARY KEY,
        urn integer NOT NULL UNIQUE,
        name text NOT NULL,
        phase text NOT NULL,
        establishment_type text,
        local_authority text,
        postcode text,
        pupils integer,
        easting integer,
        northing integer,
        contact_name text,
        contact_email text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE partnerships (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        area text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE partnership_members (
        id uuid PRIMARY KEY,
        partnership_id uuid NOT NULL REFERENCES partnerships(id),
        school_id uuid NOT NULL REFERENCES schools(id),
        role text NOT NULL CHECK (role IN ('lead', 'member')),
        joined_at timestamptz NOT NULL,
        left_at timestamptz
      )`);
    // A school is a current member of a partnership once at most; the database enforces it
    // so that two simultaneous joins cannot both succeed.
    await q.query(`CREATE UNIQUE INDEX partnership_members_current ON partnership_members (partnership_id, school_id) WHERE left_at IS NULL`);
    await q.query(`CREATE INDEX partnership_members_school ON partnership_members (school_id)`);

    await q.query(`
      CREATE TABLE outbox_events (
        id uuid PRIMARY KEY,
        type text NOT NULL,
        aggregate_type text NOT NULL,
        aggregate_id text NOT NULL,
        payload jsonb NOT NULL,
        request_id text,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        published_at timestamptz
      )`);
    await q.query(`CREATE INDEX outbox_events_unpublished ON outbox_events (recorded_at) WHERE published_at IS NULL`);
    await q.query(`CREATE INDEX outbox_events_aggregate ON outbox_events (aggregate_type, aggregate_id)`);

    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY,
        idempotency_key text NOT NULL UNIQUE,
        kind text NOT NULL,
        recipient_email text NOT NULL,
        recipient_name text,
        data jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'skipped')),
        not_before timestamptz NOT NULL,
        lease_until timestamptz,
        attempt_count integer NOT NULL DEFAULT 0,
        subject text,
        message_id text NOT NULL,
        smtp_response text,
        last_error text,
        request_id text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        sent_at timestamptz,
        failed_at timestamptz
      )`);
    await q.query(`CREATE INDEX notifications_recipient ON notifications (lower(recipient_email), created_at)`);
    await q.query(`CREATE INDEX notifications_open ON notifications (status, updated_at) WHERE status IN ('queued', 'sending')`);
    await q.query(`
      CREATE TABLE notification_attempts (
        id uuid PRIMARY KEY,
        notification_id uuid NOT NULL REFERENCES notifications(id),
        attempt integer NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('sent', 'transient_error', 'permanent_error', 'interrupted')),
        error text,
        smtp_response text,
        started_at timestamptz NOT NULL,
        finished_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX notification_attempts_notification ON notification_attempts (notification_id, attempt)`);

    await q.query(`
      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        role text NOT NULL CHECK (role IN ('admin', 'programme_manager', 'educational_lead', 'school_contact', 'ambassador')),
        scope text,
        created_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);

    await q.query(`
      CREATE TABLE virtual_clock (
        id integer PRIMARY KEY CHECK (id = 1),
        now timestamptz NOT NULL
      )`);
    await q.query(`INSERT INTO virtual_clock (id, now) VALUES (1, now())`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['virtual_clock', 'api_tokens', 'notification_attempts', 'notifications', 'outbox_events', 'partnership_members', 'partnerships', 'schools']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
