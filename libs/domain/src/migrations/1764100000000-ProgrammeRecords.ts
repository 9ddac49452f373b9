import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The records a programme runs on: programmes and cohorts, partnerships in cohorts with a
 * budget ledger, school status, contacts and Ofsted history, people, CPD (courses,
 * sessions, bookings, one ledger of CPD hours for every channel), enrichment events with
 * their corrections, and scheduled actions.
 */
export class ProgrammeRecords1764100000000 implements MigrationInterface {
  name = 'ProgrammeRecords1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE programmes (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        funder text,
        aims text,
        starts_on date NOT NULL,
        ends_on date NOT NULL CHECK (ends_on >= starts_on),
        framework_key text NOT NULL,
        kpi_definition jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE cohorts (
        id uuid PRIMARY KEY,
        programme_id uuid NOT NULL REFERENCES programmes(id),
        name text NOT NULL,
        starts_on date NOT NULL,
        ends_on date NOT NULL CHECK (ends_on >= starts_on),
        calendar_key text NOT NULL,
        workflow_policy jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('planned', 'active', 'closed')),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX cohorts_programme ON cohorts (programme_id)`);

    await q.query(`
      CREATE TABLE people (
        id uuid PRIMARY KEY,
        school_id uuid REFERENCES schools(id),
        name text NOT NULL,
        email text,
        role text NOT NULL,
        slt boolean,
        phase text,
        subject_specialism text,
        career_stage text,
        specialist boolean,
        gender text,
        consent_to_contact boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX people_school ON people (school_id)`);
    await q.query(`CREATE UNIQUE INDEX people_email ON people (lower(email)) WHERE email IS NOT NULL`);

    await q.query(`ALTER TABLE partnerships ADD COLUMN cohort_id uuid REFERENCES cohorts(id)`);
    await q.query(`ALTER TABLE partnerships ADD COLUMN educational_lead_id uuid REFERENCES people(id)`);
    await q.query(`ALTER TABLE partnerships ADD COLUMN budget_pence bigint NOT NULL DEFAULT 0 CHECK (budget_pence >= 0)`);
    await q.query(`CREATE INDEX partnerships_cohort ON partnerships (cohort_id)`);

    // A school belongs to at most one partnership per cohort: the cohort is copied onto the
    // membership so that the database can hold the rule under concurrent joins.
    await q.query(`ALTER TABLE partnership_members ADD COLUMN cohort_id uuid REFERENCES cohorts(id)`);
    await q.query(`CREATE UNIQUE INDEX partnership_members_one_per_cohort ON partnership_members (cohort_id, school_id) WHERE left_at IS NULL AND cohort_id IS NOT NULL`);

    await q.query(`ALTER TABLE schools ADD COLUMN status text NOT NULL DEFAULT 'invited' CHECK (status IN ('invited', 'joined', 'active', 'less_active', 'withdrawn'))`);
    await q.query(`ALTER TABLE schools ADD COLUMN trust text`);
    await q.query(`ALTER TABLE schools ADD COLUMN fsm_percent numeric(5,2) CHECK (fsm_percent BETWEEN 0 AND 100)`);
    await q.query(`ALTER TABLE schools ADD COLUMN opportunity_area text`);
    await q.query(`
      CREATE TABLE school_status_changes (
        id uuid PRIMARY KEY,
        school_id uuid NOT NULL REFERENCES schools(id),
        from_status text,
        to_status text NOT NULL,
        reason text,
        changed_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX school_status_changes_school ON school_status_changes (school_id, changed_at)`);
    await q.query(`
      CREATE TABLE school_contacts (
        id uuid PRIMARY KEY,
        school_id uuid NOT NULL REFERENCES schools(id),
        role text NOT NULL CHECK (role IN ('stem_lead', 'head', 'careers_lead', 'other')),
        name text NOT NULL,
        email text,
        from_at timestamptz NOT NULL,
        until_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX school_contacts_current ON school_contacts (school_id, role) WHERE until_at IS NULL`);
    await q.query(`
      CREATE TABLE ofsted_inspections (
        id uuid PRIMARY KEY,
        school_id uuid NOT NULL REFERENCES schools(id),
        inspected_on date NOT NULL,
        rating integer CHECK (rating BETWEEN 1 AND 4),
        recorded_at timestamptz NOT NULL,
        UNIQUE (school_id, inspected_on)
      )`);

    await q.query(`
      CREATE TABLE cpd_courses (
        id uuid PRIMARY KEY,
        programme_id uuid NOT NULL REFERENCES programmes(id),
        title text NOT NULL,
        subject text NOT NULL,
        format text NOT NULL,
        hours numeric(6,2) NOT NULL CHECK (hours > 0),
        cost_pence integer NOT NULL CHECK (cost_pence >= 0),
        provider text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE cpd_sessions (
        id uuid PRIMARY KEY,
        course_id uuid NOT NULL REFERENCES cpd_courses(id),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
        venue text,
        online_url text,
        capacity integer NOT NULL CHECK (capacity >= 0),
        places_taken integer NOT NULL DEFAULT 0 CHECK (places_taken >= 0),
        offer_hours integer NOT NULL DEFAULT 48 CHECK (offer_hours > 0),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CHECK (places_taken <= capacity)
      )`);
    await q.query(`
      CREATE TABLE cpd_bookings (
        id uuid PRIMARY KEY,
        session_id uuid NOT NULL REFERENCES cpd_sessions(id),
        person_id uuid NOT NULL REFERENCES people(id),
        school_id uuid REFERENCES schools(id),
        partnership_id uuid REFERENCES partnerships(id),
        status text NOT NULL CHECK (status IN ('requested', 'confirmed', 'waitlisted', 'offered', 'cancelled', 'attended', 'no_show')),
        status_reason text,
        queued_at timestamptz NOT NULL,
        offer_expires_at timestamptz,
        cost_pence integer NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX cpd_bookings_one_live_per_person ON cpd_bookings (session_id, person_id) WHERE status <> 'cancelled'`);
    await q.query(`CREATE INDEX cpd_bookings_waitlist ON cpd_bookings (session_id, queued_at) WHERE status = 'waitlisted'`);
    await q.query(`CREATE INDEX cpd_bookings_person ON cpd_bookings (person_id)`);
    await q.query(`CREATE INDEX cpd_bookings_school ON cpd_bookings (school_id)`);
    await q.query(`
      CREATE TABLE cpd_booking_history (
        id uuid PRIMARY KEY,
        booking_id uuid NOT NULL REFERENCES cpd_bookings(id),
        from_status text,
        to_status text NOT NULL,
        reason text,
        at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX cpd_booking_history_booking ON cpd_booking_history (booking_id, at)`);

    await q.query(`
      CREATE TABLE budget_entries (
        id uuid PRIMARY KEY,
        partnership_id uuid NOT NULL REFERENCES partnerships(id),
        kind text NOT NULL CHECK (kind IN ('commitment', 'release', 'spend', 'override')),
        amount_pence bigint NOT NULL,
        booking_id uuid REFERENCES cpd_bookings(id),
        school_id uuid REFERENCES schools(id),
        channel text,
        reason text,
        recorded_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX budget_entries_partnership ON budget_entries (partnership_id)`);

    // One ledger of CPD hours, whatever the channel, so that no hours figure is "a minimum"
    // (003_def1d3e673f8defb.txt: only centrally booked CPD was captured).
    await q.query(`
      CREATE TABLE cpd_records (
        id uuid PRIMARY KEY,
        person_id uuid NOT NULL REFERENCES people(id),
        school_id uuid REFERENCES schools(id),
        partnership_id uuid REFERENCES partnerships(id),
        booking_id uuid UNIQUE REFERENCES cpd_bookings(id),
        course_id uuid REFERENCES cpd_courses(id),
        channel text NOT NULL,
        subject text NOT NULL,
        title text NOT NULL,
        hours numeric(6,2) NOT NULL CHECK (hours >= 0),
        occurred_on date NOT NULL,
        provider text,
        recorded_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX cpd_records_person ON cpd_records (person_id)`);
    await q.query(`CREATE INDEX cpd_records_school ON cpd_records (school_id)`);

    await q.query(`
      CREATE TABLE enrichment_events (
        id uuid PRIMARY KEY,
        programme_id uuid REFERENCES programmes(id),
        host_school_id uuid REFERENCES schools(id),
        version integer NOT NULL,
        details jsonb NOT NULL,
        occurs_on date NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE enrichment_event_schools (
        event_id uuid NOT NULL REFERENCES enrichment_events(id),
        school_id uuid NOT NULL REFERENCES schools(id),
        PRIMARY KEY (event_id, school_id)
      )`);
    await q.query(`CREATE INDEX enrichment_event_schools_school ON enrichment_event_schools (school_id)`);
    await q.query(`
      CREATE TABLE enrichment_event_versions (
        event_id uuid NOT NULL REFERENCES enrichment_events(id),
        version integer NOT NULL,
        details jsonb NOT NULL,
        school_ids uuid[] NOT NULL,
        reason text,
        recorded_at timestamptz NOT NULL,
        PRIMARY KEY (event_id, version)
      )`);

    await q.query(`
      CREATE TABLE scheduled_actions (
        id uuid PRIMARY KEY,
        kind text NOT NULL,
        key text NOT NULL UNIQUE,
        subject_type text NOT NULL,
        subject_id uuid NOT NULL,
        due_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('planned', 'claimed', 'done', 'cancelled', 'superseded')),
        payload jsonb NOT NULL DEFAULT '{}',
        reason text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX scheduled_actions_due ON scheduled_actions (due_at) WHERE status = 'planned'`);
    await q.query(`CREATE INDEX scheduled_actions_subject ON scheduled_actions (subject_type, subject_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'scheduled_actions',
      'enrichment_event_versions',
      'enrichment_event_schools',
      'enrichment_events',
      'cpd_records',
      'budget_entries',
      'cpd_booking_history',
      'cpd_bookings',
      'cpd_sessions',
      'cpd_courses',
      'ofsted_inspections',
      'school_contacts',
      'school_status_changes',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await q.query(`ALTER TABLE schools DROP COLUMN status, DROP COLUMN trust, DROP COLUMN fsm_percent, DROP COLUMN opportunity_area`);
    await q.query(`DROP INDEX IF EXISTS partnership_members_one_per_cohort`);
    await q.query(`ALTER TABLE partnership_members DROP COLUMN cohort_id`);
    await q.query(`ALTER TABLE partnerships DROP COLUMN cohort_id, DROP COLUMN educational_lead_id, DROP COLUMN budget_pence`);
    for (const table of ['people', 'cohorts', 'programmes']) await q.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
