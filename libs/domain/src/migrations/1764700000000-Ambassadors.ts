import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * STEM Ambassadors, their safeguarding checks, schools' requests for them, the offers each
 * request makes and every answer to an offer. Schools and programmes gain what matching and
 * escalation need: coordinates, and the programme team's address.
 */
export class Ambassadors1764700000000 implements MigrationInterface {
  name = 'Ambassadors1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE schools ADD COLUMN latitude double precision, ADD COLUMN longitude double precision`);
    await q.query(`ALTER TABLE programmes ADD COLUMN team_email text`);
    await q.query(`CREATE TABLE ambassadors (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      email text NOT NULL,
      employer text,
      sector text,
      disciplines text[] NOT NULL DEFAULT '{}',
      skills text[] NOT NULL DEFAULT '{}',
      key_stages text[] NOT NULL DEFAULT '{}',
      postcode text NOT NULL,
      latitude double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
      longitude double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
      travel_radius_km integer NOT NULL CHECK (travel_radius_km BETWEEN 0 AND 500),
      availability jsonb NOT NULL,
      offers_virtual boolean NOT NULL DEFAULT false,
      status text NOT NULL CHECK (status IN ('active', 'paused', 'left')),
      check_type text CHECK (check_type IN ('DBS', 'PVG')),
      check_number text,
      check_checked_on date,
      check_expires_on date,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE UNIQUE INDEX ambassadors_email ON ambassadors (lower(email))`);
    await q.query(`CREATE TABLE ambassador_requests (
      id uuid PRIMARY KEY,
      school_id uuid NOT NULL REFERENCES schools (id),
      cohort_id uuid REFERENCES cohorts (id),
      activity_type text NOT NULL,
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
      key_stages text[] NOT NULL,
      number_wanted integer NOT NULL CHECK (number_wanted BETWEEN 1 AND 20),
      skills_wanted text[] NOT NULL DEFAULT '{}',
      virtual_acceptable boolean NOT NULL DEFAULT false,
      notes text,
      status text NOT NULL CHECK (status IN ('requested', 'matching', 'offered', 'filled', 'partially_filled', 'delivered', 'closed', 'expired', 'cancelled')),
      short_reason text,
      escalated_at timestamptz,
      escalation_reason text,
      delivered boolean,
      pupils_reached integer,
      delivery_notes text,
      delivery_confirmed_at timestamptz,
      cancelled_reason text,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX ambassador_requests_school ON ambassador_requests (school_id, starts_at)`);
    await q.query(`CREATE TABLE ambassador_offers (
      id uuid PRIMARY KEY,
      request_id uuid NOT NULL REFERENCES ambassador_requests (id),
      ambassador_id uuid NOT NULL REFERENCES ambassadors (id),
      wave integer NOT NULL,
      status text NOT NULL CHECK (status IN ('offered', 'accepted', 'declined', 'expired', 'withdrawn')),
      offered_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      answered_at timestamptz,
      decline_reason text,
      withdrawn_reason text,
      distance_km double precision,
      hours_logged numeric(5, 2),
      hours_logged_at timestamptz,
      updated_at timestamptz NOT NULL,
      UNIQUE (request_id, ambassador_id)
    )`);
    await q.query(`CREATE INDEX ambassador_offers_ambassador ON ambassador_offers (ambassador_id, offered_at)`);
    await q.query(`CREATE TABLE offer_answers (
      id uuid PRIMARY KEY,
      offer_id uuid NOT NULL REFERENCES ambassador_offers (id),
      answer text NOT NULL CHECK (answer IN ('accepted', 'declined', 'withdrew', 'too_late', 'hours_logged')),
      reason text,
      hours numeric(5, 2),
      answered_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX offer_answers_offer ON offer_answers (offer_id, answered_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE offer_answers`);
    await q.query(`DROP TABLE ambassador_offers`);
    await q.query(`DROP TABLE ambassador_requests`);
    await q.query(`DROP TABLE ambassadors`);
    await q.query(`ALTER TABLE programmes DROP COLUMN team_email`);
    await q.query(`ALTER TABLE schools DROP COLUMN latitude, DROP COLUMN longitude`);
  }
}
