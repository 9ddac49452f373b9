import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { BUILT_IN_FRAMEWORKS, buildForm, DEFAULT_WORKFLOW_POLICY, ensureDatabase, INSTRUMENTS, itemValues, runMigrations, type InstrumentKey } from '#domain';

/**
 * The reports benchmark's data: a programme's whole history loaded straight into Postgres
 * with set-based SQL (INSERT … SELECT over generate_series), so that even the largest size
 * builds in minutes. Every row keeps the schema's keys and the domain's shapes: cohorts on
 * the England calendar, partnerships of 3 to 10 schools, people per school, bookings and
 * CPD records spread over terms, self-evaluations with their submitted revisions, surveys
 * with answers to the real instruments, ambassadors' requests and offers, enrichment events,
 * and a year of notifications and audit rows.
 */
export const SIZES = {
  S: { schools: 200, people: 3_000, attendances: 10_000, notifications: 20_000, programmes: 2, sessionsPerCourse: 6 },
  M: { schools: 2_000, people: 30_000, attendances: 100_000, notifications: 200_000, programmes: 3, sessionsPerCourse: 12 },
  L: { schools: 24_000, people: 450_000, attendances: 2_000_000, notifications: 3_000_000, programmes: 6, sessionsPerCourse: 30 },
} as const;
export type SizeName = keyof typeof SIZES;

/** Bumped whenever the data's shape changes, so that a kept database is built again. */
export const GENERATOR_VERSION = 1;

/** The "today" of the generated history: sessions after it are still to come, and nothing is recorded after it. */
const ANCHOR = '2026-12-01';

/** Share of schools that are members of a partnership; the rest are on the national register. */
const MEMBER_SHARE = 13 / 20;

const SERVER = process.env.BENCH_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';

export interface ReportsData {
  url: string;
  /** False when a kept database of the same size and generator was used as it was. */
  built: boolean;
  seconds: number;
  counts: Record<string, number>;
  /** The programme manager's programme, its running cohort, and its busiest school (for the timeline). */
  ids: { programmeId: string; cohortId: string; schoolId: string };
}

/**
 * The database for one size: kept between runs (`stemflow_bench_reports_<size>`) when its
 * marker names the same size and generator and no migration was pending; built afresh
 * otherwise.
 */
export async function reportsDatabase(size: SizeName, log: (line: string) => void): Promise<ReportsData> {
  const name = `stemflow_bench_reports_${size.toLowerCase()}`;
  const url = `${SERVER}/${name}`;
  await ensureDatabase(url);
  const pending = await runMigrations(url);
  const kept = await marker(url);
  if (kept && pending.length === 0 && kept.size === size && kept.generator === GENERATOR_VERSION) {
    log(`  kept database ${name} (built ${kept.built_at.toISOString().slice(0, 16).replace('T', ' ')} in ${Number(kept.seconds).toFixed(0)} s): not built again`);
    return { url, built: false, seconds: Number(kept.seconds), counts: kept.counts, ids: kept.ids };
  }
  if (kept || (await holdsData(url))) {
    const why = kept ? `size ${kept.size}, generator ${kept.generator}${pending.length > 0 ? `, ${pending.length} migration(s) since` : ''}` : 'an unfinished build';
    log(`  ${name} holds other data (${why}): dropping it`);
    const admin = new pg.Client({ connectionString: `${SERVER}/postgres` });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
    await ensureDatabase(url);
    await runMigrations(url);
  }
  log(`  building ${name}…`);
  const started = performance.now();
  const client = new pg.Client({ connectionString: url, application_name: 'stemflow-bench-generator' });
  await client.connect();
  try {
    const { counts, ids } = await generate(client, size, log);
    const seconds = (performance.now() - started) / 1000;
    await client.query(
      `CREATE TABLE bench_reports_marker (size text NOT NULL, generator integer NOT NULL, built_at timestamptz NOT NULL, seconds numeric NOT NULL, counts jsonb NOT NULL, ids jsonb NOT NULL)`,
    );
    await client.query(`INSERT INTO bench_reports_marker VALUES ($1, $2, now(), $3, $4, $5)`, [size, GENERATOR_VERSION, seconds, JSON.stringify(counts), JSON.stringify(ids)]);
    log(`  built ${name} in ${seconds.toFixed(0)} s`);
    return { url, built: true, seconds, counts, ids };
  } finally {
    await client.end();
  }
}

interface Marker {
  size: SizeName;
  generator: number;
  built_at: Date;
  seconds: string;
  counts: Record<string, number>;
  ids: ReportsData['ids'];
}

async function marker(url: string): Promise<Marker | undefined> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const [{ found }] = (await client.query(`SELECT to_regclass('bench_reports_marker') IS NOT NULL AS found`)).rows;
    if (!found) return undefined;
    return (await client.query(`SELECT * FROM bench_reports_marker LIMIT 1`)).rows[0];
  } finally {
    await client.end();
  }
}

/** Whether an earlier build left rows behind (one that stopped before its marker). */
async function holdsData(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(`SELECT 1 FROM schools LIMIT 1`)).rowCount === 1;
  } finally {
    await client.end();
  }
}

/** Tables loaded by the million at L: their secondary indexes are built once at the end rather than row by row. */
const BULK_TABLES = [
  'notifications',
  'notification_attempts',
  'audit_log',
  'cpd_records',
  'cpd_bookings',
  'cpd_booking_history',
  'budget_entries',
  'survey_invitations',
  'survey_responses',
  'survey_response_revisions',
  'scheduled_actions',
];

async function generate(client: pg.Client, size: SizeName, log: (line: string) => void): Promise<Pick<ReportsData, 'counts' | 'ids'>> {
  const spec = SIZES[size];
  const step = async (what: string, sql: string, params: unknown[] = []) => {
    const started = performance.now();
    const result = await client.query(sql, params);
    // Fresh tables have no statistics: without them the next step's joins can be planned as nested loops over millions.
    const made = /^\s*CREATE TEMP TABLE (\w+)/.exec(sql)?.[1] ?? /^\s*INSERT INTO (\w+)/.exec(sql)?.[1];
    if (made) await client.query(`ANALYZE ${made}`);
    const ms = performance.now() - started;
    if (ms > 2_000 || process.env.BENCH_VERBOSE) log(`    ${what}: ${result.rowCount ?? 0} rows, ${(ms / 1000).toFixed(1)} s`);
    return result;
  };
  const one = async (sql: string): Promise<number> => Number(Object.values((await client.query(sql)).rows[0])[0]);

  await client.query(`SET synchronous_commit = off`);
  await client.query(`SET work_mem = '256MB'`);
  await client.query(`SET maintenance_work_mem = '512MB'`);
  await client.query(`SELECT setseed(0.42)`);
  // At L the foreign keys' per-row checks would cost more than everything else: the same
  // generator has run with them on at S and M, so its keys are known to hold.
  if (size === 'L') await client.query(`SET session_replication_role = replica`);
  const indexes: Array<{ name: string; def: string }> = (
    await client.query(
      `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def FROM pg_index i
        WHERE i.indrelid = ANY (SELECT to_regclass(t) FROM unnest($1::text[]) t) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
      [BULK_TABLES],
    )
  ).rows;
  for (const { name } of indexes) await client.query(`DROP INDEX ${name}`);

  const np: number = spec.programmes;
  // Half of everything is the first programme's (the programme manager's); the rest is shared by the others.
  const programmeOf = (k: string) => (np === 1 ? '1' : `CASE WHEN ${k} % 2 = 0 THEN 1 ELSE 2 + (${k} / 2) % ${np - 1} END`);

  // Programmes and their cohorts: last year's wave (closed) and this year's (running).
  await step('programmes', `CREATE TEMP TABLE t_prog AS SELECT k, gen_random_uuid() AS id FROM generate_series(1, ${np}) k`);
  await step(
    'programmes',
    `INSERT INTO programmes (id, name, funder, aims, starts_on, ends_on, framework_key, kpi_definition, created_at, updated_at, brand_colour, team_email)
     SELECT id, (ARRAY['North East STEM Partnerships', 'Yorkshire Science Hubs', 'Tees Valley Maths', 'Cumbria Engineering', 'Humber Computing', 'Durham Technology'])[1 + (k - 1) % 6]
                || CASE WHEN k > 6 THEN ' ' || k ELSE '' END,
            'Bench Trust Fund', 'More pupils choosing STEM', '2025-09-01', '2028-08-31', 'iris-ri', '{"completeRecordRequires":["email","role"]}', '2025-06-01', '2025-06-01',
            '#0b5394', 'team' || k || '@programme.bench.example.org'
       FROM t_prog`,
  );
  await step(
    'cohorts',
    `CREATE TEMP TABLE t_cohort AS
     SELECT p.k AS prog, w AS wave, gen_random_uuid() AS id, p.id AS programme_id,
            (SELECT split_part(name, ' ', 1) FROM programmes WHERE id = p.id) || CASE WHEN p.k > 6 THEN ' ' || p.k ELSE '' END || CASE w WHEN 1 THEN ' 2025/26' ELSE ' 2026/27' END AS name,
            CASE w WHEN 1 THEN date '2025-09-01' ELSE date '2026-09-01' END AS starts_on,
            CASE w WHEN 1 THEN date '2026-07-22' ELSE date '2027-07-23' END AS ends_on
       FROM t_prog p CROSS JOIN generate_series(1, 2) w`,
  );
  await step(
    'cohorts',
    `INSERT INTO cohorts (id, programme_id, name, starts_on, ends_on, calendar_key, workflow_policy, status, created_at, updated_at)
     SELECT id, programme_id, name, starts_on, ends_on, 'england', $1, CASE wave WHEN 1 THEN 'closed' ELSE 'active' END, starts_on - 60, starts_on - 60 FROM t_cohort`,
    [JSON.stringify(DEFAULT_WORKFLOW_POLICY)],
  );
  const termlyElements = ['1.5', '2.1', '3.4', '5.3'];
  await step(
    'cohort self-evaluation',
    `INSERT INTO cohort_self_evaluation (cohort_id, framework_key, element_keys, baseline_framework_keys, updated_at)
     SELECT id, 'iris-ri', $1, ARRAY['ats-subject-rating', 'ats-maturity'], starts_on - 30 FROM t_cohort`,
    [termlyElements],
  );

  // The register: every school, about two thirds of them members of a partnership.
  await step('schools', `CREATE TEMP TABLE t_school AS SELECT g, gen_random_uuid() AS id, (g % 20) < ${Math.round(MEMBER_SHARE * 20)} AS member FROM generate_series(1, ${spec.schools}) g`);
  await step(
    'schools',
    `INSERT INTO schools (id, urn, name, phase, establishment_type, local_authority, postcode, pupils, contact_name, contact_email, created_at, updated_at, status, trust, fsm_percent, opportunity_area, latitude, longitude)
     SELECT id, 100000 + g,
            (ARRAY['Green','Oak','Beech','Hill','River','St Mary''s','Park','Church','Valley','North'])[1 + g % 10] || ' ' ||
            (ARRAY['Lane','Road','View','Side','Field','Wood','Gate','Bank'])[1 + (g / 10) % 8] || ' ' ||
            (ARRAY['Primary School','Academy','Infant School','Junior School','High School','Community College'])[1 + (g / 80) % 6] || ' ' || g,
            (ARRAY['primary','primary','primary','secondary','secondary','nursery','all_through','sixteen_plus','middle','primary'])[1 + (g / 3) % 10],
            'Community school',
            (ARRAY['Leeds','Middlesbrough','Redcar and Cleveland','Durham','Newcastle upon Tyne','Sunderland','York','Hartlepool','Darlington','Stockton-on-Tees'])[1 + (g / 7) % 10],
            (ARRAY['TS','DL','LS','NE','SR','YO','DH'])[1 + g % 7] || (1 + g % 29) || ' ' || (g % 10) || chr(65 + g % 26) || chr(65 + (g / 26) % 26),
            100 + (g * 7) % 1400, 'Office ' || g, CASE WHEN g % 20 = 7 THEN NULL ELSE 'office' || g || '@school' || g || '.bench.example.org' END,
            '2024-01-01', '2024-01-01',
            CASE WHEN member THEN (ARRAY['active','active','active','less_active','joined','active','less_active','joined','active','withdrawn'])[1 + (g / 20) % 10]
                 ELSE (ARRAY['invited','invited','invited','withdrawn','invited'])[1 + (g / 20) % 5] END,
            CASE WHEN g % 4 = 0 THEN 'Bench Learning Trust ' || (g % 50) END,
            CASE WHEN g % 10 = 3 THEN NULL ELSE round(((g * 37) % 600) / 10.0, 2) END,
            CASE WHEN g % 3 = 0 THEN 'Tees Valley' END,
            54.2 + ((g * 13) % 100) / 100.0, -1.9 + ((g * 17) % 100) / 100.0
       FROM t_school`,
  );
  await step('member schools', `CREATE TEMP TABLE t_member_school AS SELECT row_number() OVER (ORDER BY g) - 1 AS i, id AS school_id, g FROM t_school WHERE member`);
  const mn = await one(`SELECT count(*) FROM t_member_school`);

  // Partnerships of 3 to 10 schools, laid end to end over the member schools.
  await step(
    'partnerships',
    `CREATE TEMP TABLE t_part AS
     WITH sizes AS (SELECT k, 3 + (k * 5) % 8 AS size FROM generate_series(1, ${mn}) k),
          laid AS (SELECT k, size, sum(size) OVER (ORDER BY k) - size AS start FROM sizes),
          placed AS (SELECT k, size, start, ${programmeOf('k')} AS prog, CASE WHEN (k / 2) % 5 < 2 THEN 1 ELSE 2 END AS wave FROM laid WHERE start < ${mn})
     SELECT placed.*, gen_random_uuid() AS id, c.id AS cohort_id, c.starts_on,
            (ARRAY['Teesside','County Durham','Tyneside','Wearside','North Yorkshire','West Yorkshire','Humber','Cumbria'])[1 + k % 8] AS area
       FROM placed JOIN t_cohort c ON c.prog = placed.prog AND c.wave = placed.wave`,
  );
  // One educational lead for nine partnerships in ten; the tenth has none yet.
  await step('educational leads', `CREATE TEMP TABLE t_lead AS SELECT p.k, gen_random_uuid() AS id, p.prog FROM t_part p WHERE p.k % 10 <> 0`);
  await step(
    'educational leads',
    `INSERT INTO people (id, school_id, name, email, role, slt, phase, subject_specialism, career_stage, specialist, gender, consent_to_contact, created_at, updated_at, programme_id)
     SELECT l.id, NULL, (ARRAY['Alex','Sam','Jo','Chris','Pat','Robin'])[1 + l.k % 6] || ' Lead ' || l.k, 'lead' || l.k || '@leads.bench.example.org', 'educational_lead', false, NULL,
            'science', 'experienced', true, CASE WHEN l.k % 2 = 0 THEN 'female' ELSE 'male' END, true, '2025-06-01', '2025-06-01', p.id
       FROM t_lead l JOIN t_prog p ON p.k = l.prog`,
  );
  await step(
    'partnerships',
    `INSERT INTO partnerships (id, name, area, created_at, updated_at, cohort_id, educational_lead_id, budget_pence)
     SELECT p.id, p.area || ' Partnership ' || lpad(p.k::text, 5, '0'), p.area, p.starts_on - 30, p.starts_on - 30, p.cohort_id, l.id, 500000 + (p.k % 10) * 100000
       FROM t_part p LEFT JOIN t_lead l ON l.k = p.k`,
  );
  // Memberships: most join in the cohort's first weeks, one in ten mid-year; a few of last year's have left.
  await step(
    'memberships',
    `CREATE TEMP TABLE t_membership AS
     SELECT gen_random_uuid() AS id, m.i, m.school_id, m.g, p.id AS partnership_id, p.k AS pk, p.cohort_id, p.prog, p.wave, m.i = p.start AS is_lead, x.joined_at,
            CASE WHEN p.wave = 1 AND m.i % 33 = 5 THEN x.joined_at + interval '150 days' END AS left_at,
            -- One member school in nine has done nothing since it joined: the schools a lead should follow up.
            m.g % 9 = 4 AS quiet
       FROM t_member_school m JOIN t_part p ON m.i >= p.start AND m.i < p.start + p.size
       CROSS JOIN LATERAL (SELECT ((p.starts_on + (m.i % 40)::int + CASE WHEN m.i % 10 = 7 THEN 120 ELSE 0 END)::timestamp + interval '9 hours') AT TIME ZONE 'Europe/London' AS joined_at) x`,
  );
  await step(
    'memberships',
    `INSERT INTO partnership_members (id, partnership_id, school_id, role, joined_at, left_at, cohort_id)
     SELECT id, partnership_id, school_id, CASE WHEN is_lead THEN 'lead' ELSE 'member' END, joined_at, left_at, cohort_id FROM t_membership`,
  );

  // People: the leads above, and everyone else at a school (about fifteen a school).
  const leads = await one(`SELECT count(*) FROM t_lead`);
  await step('active memberships', `CREATE TEMP TABLE t_active AS SELECT row_number() OVER (ORDER BY i) - 1 AS ai, * FROM t_membership WHERE NOT quiet`);
  const active = await one(`SELECT count(*) FROM t_active`);
  await step('people', `CREATE TEMP TABLE t_person AS SELECT j, gen_random_uuid() AS id, 1 + (j % ${spec.schools}) AS g FROM generate_series(1, ${Math.max(0, spec.people - leads)}) j`);
  await step(
    'people',
    `INSERT INTO people (id, school_id, name, email, role, slt, phase, subject_specialism, career_stage, specialist, gender, consent_to_contact, created_at, updated_at, programme_id)
     SELECT p.id, s.id,
            (ARRAY['Amira','Ben','Chloe','Dev','Ella','Finn','Grace','Harry','Isla','Jack','Kiran','Lily','Mo','Nia','Owen','Priya'])[1 + p.j % 16] || ' ' ||
            (ARRAY['Smith','Jones','Taylor','Brown','Khan','Wilson','Patel','Walker','Wright','Green','Hall','Wood'])[1 + (p.j / 16) % 12] || ' ' || p.j,
            CASE WHEN p.j % 25 = 0 THEN NULL ELSE 'person' || p.j || '@school' || p.g || '.bench.example.org' END,
            (ARRAY['teacher','teacher','teacher','teacher','teacher','teacher','teacher','teacher','teacher','teacher','teacher',
                   'senior_leader','senior_leader','middle_leader','middle_leader','subject_leader','subject_leader','teaching_assistant','technician','trainee'])[1 + (p.j / 7) % 20],
            ((p.j / 7) % 20 IN (11, 12)) OR p.j % 17 = 0,
            CASE WHEN p.j % 9 = 0 THEN NULL ELSE (ARRAY['primary','secondary','primary','secondary','nursery','all_through','sixteen_plus'])[1 + p.g % 7] END,
            (ARRAY['science','technology','engineering','maths','computing','other',NULL])[1 + (p.j / 3) % 7],
            (ARRAY['nqt','rqt','experienced','experienced',NULL])[1 + (p.j / 5) % 5],
            (p.j / 3) % 7 < 5,
            (ARRAY['female','female','female','female','female','female','male','male','male',NULL,'non_binary','not_said'])[1 + (p.j / 11) % 12],
            p.j % 40 <> 0, '2025-01-01', '2025-01-01', NULL
       FROM t_person p JOIN t_school s ON s.g = p.g`,
  );
  await step(
    'people at member schools',
    `CREATE TEMP TABLE t_mperson AS
     SELECT row_number() OVER (ORDER BY pe.j) - 1 AS n, pe.id, pe.j, ms.school_id, ms.partnership_id, ms.cohort_id, ms.prog, pp.email IS NULL AS no_email, pp.consent_to_contact AS consent
       FROM t_person pe JOIN t_school s ON s.g = pe.g JOIN t_membership ms ON ms.school_id = s.id AND ms.left_at IS NULL JOIN people pp ON pp.id = pe.id
      WHERE NOT ms.quiet`,
  );
  await client.query(`CREATE INDEX ON t_mperson (n)`);
  await client.query(`CREATE INDEX ON t_mperson (id)`);
  const nmp = await one(`SELECT count(*) FROM t_mperson`);

  // CPD: seven in ten attendances are places booked through stemflow (about 22 booked a session).
  const bookings = Math.round((0.7 * spec.attendances) / 0.69);
  const courses = Math.ceil(bookings / 22 / spec.sessionsPerCourse);
  await step(
    'courses',
    `CREATE TEMP TABLE t_course AS
     SELECT c, gen_random_uuid() AS id, ${programmeOf('c')} AS prog,
            (ARRAY['science','technology','engineering','maths','computing','leadership','other'])[1 + c % 7] AS subject,
            (ARRAY[3, 6, 1.5, 12, 2, 18, 4])[1 + (c / 7) % 7]::numeric AS hours,
            CASE WHEN (c / 2) % 2 = 0 THEN 0 ELSE 5000 + (c % 5) * 5000 END AS cost,
            (ARRAY['residential','local','online','in_school','coaching','network_meeting','third_party'])[1 + (c / 3) % 7] AS format
       FROM generate_series(0, ${courses - 1}) c`,
  );
  await step(
    'courses',
    `INSERT INTO cpd_courses (id, programme_id, title, subject, format, hours, cost_pence, provider, created_at, updated_at)
     SELECT c.id, p.id, initcap(c.subject) || ': ' || (ARRAY['practical skills','subject knowledge','for non-specialists','assessment','in the primary classroom','leading the department'])[1 + (c.c / 7) % 6] || ' (' || c.c || ')',
            c.subject, c.format, c.hours, c.cost, CASE WHEN c.format = 'third_party' THEN 'Bench Science Centre' END, '2025-06-01', '2025-06-01'
       FROM t_course c JOIN t_prog p ON p.k = c.prog`,
  );
  // A course's sessions spread from September 2025 to March 2027, each course offset from the next.
  await step(
    'sessions',
    `CREATE TEMP TABLE t_sess AS
     WITH made AS (
       SELECT gen_random_uuid() AS id, c.id AS course_id, c.prog, c.hours, c.cost, c.subject, c.format, co.title, q,
              ((timestamp '2025-09-10 09:30' + ((((q - 1) * 570) / ${spec.sessionsPerCourse} + (c.c * 13) % (570 / ${spec.sessionsPerCourse})) || ' days')::interval) AT TIME ZONE 'Europe/London') AS starts_at
         FROM t_course c JOIN cpd_courses co ON co.id = c.id CROSS JOIN generate_series(1, ${spec.sessionsPerCourse}) q
     )
     SELECT made.*, made.starts_at + make_interval(mins => (least(made.hours, 6.5) * 60)::int) AS ends_at,
            row_number() OVER (PARTITION BY prog ORDER BY starts_at, id) - 1 AS k, count(*) OVER (PARTITION BY prog) AS nsp
       FROM made`,
  );
  await client.query(`CREATE INDEX ON t_sess (prog, k)`);
  await step(
    'sessions',
    `INSERT INTO cpd_sessions (id, course_id, starts_at, ends_at, venue, online_url, capacity, places_taken, offer_hours, created_at, updated_at, calendar_sequence)
     SELECT id, course_id, starts_at, ends_at, CASE WHEN format = 'online' THEN NULL ELSE 'Bench Science Learning Centre, room ' || (q % 5 + 1) END,
            CASE WHEN format = 'online' THEN 'https://meet.bench.example.org/' || id END, 40, 0, 48, starts_at - interval '90 days', starts_at - interval '90 days', 0
       FROM t_sess`,
  );
  // Each person takes a different session in each round, so no one holds two live places on one session.
  await step(
    'bookings',
    `CREATE TEMP TABLE t_booking AS
     SELECT DISTINCT ON (s.id, mp.id) gen_random_uuid() AS id, g.g, mp.id AS person_id, mp.school_id, mp.partnership_id, mp.cohort_id, mp.prog,
            s.id AS session_id, s.course_id, s.starts_at, s.ends_at, s.cost, s.hours, s.subject, s.title,
            CASE WHEN s.starts_at >= timestamptz '${ANCHOR}' THEN (CASE WHEN g.g % 33 = 0 THEN 'waitlisted' WHEN g.g % 29 = 0 THEN 'cancelled' ELSE 'confirmed' END)
                 ELSE (CASE WHEN g.g % 17 = 0 THEN 'cancelled' WHEN g.g % 16 = 0 THEN 'no_show' ELSE 'attended' END) END AS status,
            s.starts_at - make_interval(days => (10 + g.g % 40)::int) AS created_at
       FROM generate_series(0, ${bookings - 1}) g(g)
       JOIN t_mperson mp ON mp.n = g.g % ${nmp}
       -- The programme's session count first, so that the session is found by equality (a hash join), not by a filter over every session.
       JOIN (SELECT DISTINCT prog, nsp FROM t_sess) ps ON ps.prog = mp.prog
       JOIN t_sess s ON s.prog = mp.prog AND s.k = (mp.n * 7919 + g.g / ${nmp}) % ps.nsp`,
  );
  await step(
    'bookings',
    `INSERT INTO cpd_bookings (id, session_id, person_id, school_id, partnership_id, status, status_reason, queued_at, offer_expires_at, cost_pence, created_at, updated_at)
     SELECT id, session_id, person_id, school_id, partnership_id, status, CASE WHEN status = 'cancelled' THEN 'Cancelled by the school' END, created_at, NULL, cost, created_at,
            CASE WHEN status IN ('attended', 'no_show') THEN ends_at + interval '1 day' ELSE created_at END
       FROM t_booking`,
  );
  await step(
    'places taken',
    `UPDATE cpd_sessions s SET places_taken = x.n, capacity = greatest(40, x.n)
       FROM (SELECT session_id, count(*) AS n FROM t_booking WHERE status IN ('confirmed', 'attended', 'no_show') GROUP BY session_id) x WHERE s.id = x.session_id`,
  );
  await step(
    'booking history',
    `INSERT INTO cpd_booking_history (id, booking_id, from_status, to_status, reason, at)
     SELECT gen_random_uuid(), id, NULL, CASE WHEN status = 'waitlisted' THEN 'waitlisted' ELSE 'confirmed' END, NULL, created_at FROM t_booking
     UNION ALL
     SELECT gen_random_uuid(), id, 'confirmed', status, NULL, CASE WHEN status = 'cancelled' THEN created_at + interval '3 days' ELSE ends_at + interval '1 day' END
       FROM t_booking WHERE status IN ('attended', 'no_show', 'cancelled')`,
  );
  await step(
    'CPD records (booked)',
    `INSERT INTO cpd_records (id, person_id, school_id, partnership_id, booking_id, course_id, channel, subject, title, hours, occurred_on, provider, recorded_at)
     SELECT gen_random_uuid(), person_id, school_id, partnership_id, id, course_id, 'central', subject, title, hours, (starts_at AT TIME ZONE 'Europe/London')::date, NULL, ends_at + interval '1 day'
       FROM t_booking WHERE status = 'attended'`,
  );
  const booked = await one(`SELECT count(*) FROM t_booking WHERE status = 'attended'`);
  // The other attendances come from other channels: half on one of the programme's courses, half on a title of their own.
  await step(
    'courses by programme',
    `CREATE TEMP TABLE t_pcourse AS SELECT c.*, co.title, row_number() OVER (PARTITION BY c.prog ORDER BY c.c) - 1 AS ck, count(*) OVER (PARTITION BY c.prog) AS ncp FROM t_course c JOIN cpd_courses co ON co.id = c.id`,
  );
  await step(
    'CPD records (other channels)',
    `CREATE TEMP TABLE t_other AS
     SELECT gen_random_uuid() AS id, h, mp.id AS person_id, mp.school_id, mp.partnership_id,
            CASE WHEN h % 2 = 0 THEN pc.id END AS course_id,
            (ARRAY['local','third_party','coaching','online','in_school','network_meeting'])[1 + h % 6] AS channel,
            CASE WHEN h % 2 = 0 THEN pc.subject ELSE (ARRAY['science','maths','computing','engineering','technology','other'])[1 + (h / 2) % 6] END AS subject,
            CASE WHEN h % 2 = 0 THEN pc.title ELSE (ARRAY['Local network meeting','Subject knowledge online unit','In-school coaching','Practical science day','Maths hub workshop'])[1 + (h / 2) % 5] END AS title,
            CASE WHEN h % 2 = 0 THEN pc.hours ELSE (ARRAY[1, 1.5, 2, 3, 6, 0.5])[1 + (h / 3) % 6]::numeric END AS hours,
            date '2025-09-05' + ((h * 7) % 450)::int AS occurred_on
       FROM generate_series(0, ${Math.max(0, spec.attendances - booked) - 1}) h
       JOIN t_mperson mp ON mp.n = (h * 13) % ${nmp}
       JOIN (SELECT DISTINCT prog, ncp FROM t_pcourse) pn ON pn.prog = mp.prog
       JOIN t_pcourse pc ON pc.prog = mp.prog AND pc.ck = h % pn.ncp`,
  );
  await step(
    'CPD records (other channels)',
    `INSERT INTO cpd_records (id, person_id, school_id, partnership_id, booking_id, course_id, channel, subject, title, hours, occurred_on, provider, recorded_at)
     SELECT id, person_id, school_id, partnership_id, NULL, course_id, channel, subject, title, hours, occurred_on, CASE WHEN channel = 'third_party' THEN 'Bench Provider ' || h % 20 END,
            occurred_on + 2
       FROM t_other`,
  );
  // The budget ledger: a place costs its course's price (commitment), released on attendance or cancellation and spent on attendance.
  await step(
    'budget ledger',
    `INSERT INTO budget_entries (id, partnership_id, kind, amount_pence, booking_id, school_id, channel, reason, recorded_at)
     SELECT gen_random_uuid(), partnership_id, 'commitment', cost, id, school_id, 'central', NULL, created_at FROM t_booking WHERE cost > 0 AND status <> 'waitlisted'
     UNION ALL
     SELECT gen_random_uuid(), partnership_id, 'release', -cost, id, school_id, 'central', NULL, CASE WHEN status = 'cancelled' THEN created_at + interval '3 days' ELSE ends_at + interval '1 day' END
       FROM t_booking WHERE cost > 0 AND status IN ('attended', 'no_show', 'cancelled')
     UNION ALL
     SELECT gen_random_uuid(), partnership_id, 'spend', cost, id, school_id, 'central', NULL, ends_at + interval '1 day' FROM t_booking WHERE cost > 0 AND status IN ('attended', 'no_show')
     UNION ALL
     SELECT gen_random_uuid(), partnership_id, 'spend', 2500 + (h % 6) * 2500, NULL, school_id, channel, 'Invoice from the provider', occurred_on + 3
       FROM t_other WHERE channel = 'third_party' AND h % 3 = 0
     UNION ALL
     SELECT gen_random_uuid(), id, 'override', 50000, NULL, NULL, NULL, 'Top-up agreed by the programme board', starts_on + 60 FROM t_part WHERE k % 5 = 0`,
  );

  // Enrichment: events hosted by a member school, with up to two neighbours taking part; one in ten corrected once.
  await step(
    'enrichment events',
    `CREATE TEMP TABLE t_event AS
     SELECT e, gen_random_uuid() AS id, m.school_id AS host, m.ai AS hi, tp.id AS programme_id, date '2025-09-15' + ((e * 11) % 440)::int AS occurs_on,
            (ARRAY['stem_club','careers_event','competition','show','visit','ambassador_session','employer_encounter','other'])[1 + e % 8] AS type, s.phase
       FROM generate_series(0, ${Math.round(spec.schools * 1.5) - 1}) e
       JOIN t_active m ON m.ai = (e * 7) % ${active} JOIN t_prog tp ON tp.k = m.prog JOIN schools s ON s.id = m.school_id`,
  );
  const details = `jsonb_build_object('type', type, 'title', initcap(replace(type, '_', ' ')) || ' ' || e,
      'audience', jsonb_build_object('pupils', 20 + (e * 7) % 180 + %AUDIENCE%, 'parents', (e * 3) % 40, 'staff', 2 + e % 8, 'otherSchools', e % 3),
      'keyStages', CASE phase WHEN 'primary' THEN (CASE WHEN e % 3 = 0 THEN '["ks2"]' ELSE '["ks1","ks2"]' END)::jsonb WHEN 'nursery' THEN '["eyfs"]'::jsonb
                              WHEN 'secondary' THEN '["ks3","ks4"]'::jsonb WHEN 'all_through' THEN '["ks2","ks3"]'::jsonb WHEN 'sixteen_plus' THEN '["ks5"]'::jsonb ELSE '["ks3"]'::jsonb END,
      'gender', CASE WHEN e % 4 = 0 THEN NULL ELSE jsonb_build_object('female', 10 + e % 50, 'male', 10 + e % 45, 'otherOrNotSaid', e % 3) END,
      'disadvantagedPupils', CASE WHEN e % 5 = 0 THEN NULL ELSE (e * 5) % 30 END,
      'careers', CASE WHEN type = 'careers_event' THEN '{"roles":["Engineer","Lab technician"],"routes":["Apprenticeship","Degree"]}'::jsonb END,
      'ambassadorsInvolved', e % 4, 'costPence', (e % 5) * 1000)`;
  await step(
    'enrichment events',
    `INSERT INTO enrichment_events (id, programme_id, host_school_id, version, details, occurs_on, created_at, updated_at)
     SELECT id, programme_id, host, CASE WHEN e % 10 = 0 THEN 2 ELSE 1 END, ${details.replace('%AUDIENCE%', 'CASE WHEN e % 10 = 0 THEN 5 ELSE 0 END')}, occurs_on, occurs_on + 1, occurs_on + 1 FROM t_event`,
  );
  await step(
    'enrichment schools',
    `INSERT INTO enrichment_event_schools (event_id, school_id)
     SELECT DISTINCT te.id, m.school_id FROM t_event te CROSS JOIN generate_series(0, te.e % 3) o JOIN t_active m ON m.ai = (te.hi + o) % ${active}`,
  );
  await step(
    'enrichment versions',
    `INSERT INTO enrichment_event_versions (event_id, version, details, school_ids, reason, recorded_at, recorded_by, occurs_on, host_school_id)
     SELECT te.id, v, CASE WHEN v = 2 THEN ev.details ELSE ${details.replace('%AUDIENCE%', '0')} END,
            es.school_ids, CASE WHEN v = 2 THEN 'Audience recounted' END, te.occurs_on + v, NULL, te.occurs_on, te.host
       FROM t_event te JOIN enrichment_events ev ON ev.id = te.id
       JOIN (SELECT event_id, array_agg(school_id ORDER BY school_id) AS school_ids FROM enrichment_event_schools GROUP BY event_id) es ON es.event_id = te.id
       CROSS JOIN generate_series(1, ev.version) v`,
  );

  // Each school's record: Ofsted inspections (some since joining), contacts (some handed over), status history.
  await step(
    'Ofsted inspections',
    `INSERT INTO ofsted_inspections (id, school_id, inspected_on, rating, recorded_at)
     SELECT gen_random_uuid(), s.id, x.d, CASE WHEN (s.g + k) % 10 = 0 THEN NULL ELSE 1 + (s.g * 3 + k) % 4 END, x.d + 20
       FROM t_school s CROSS JOIN LATERAL generate_series(0, s.g % 4 - 1) k
       CROSS JOIN LATERAL (SELECT CASE WHEN k = 0 THEN date '2026-11-20' - ((s.g * 7) % 500)::int ELSE date '2024-06-30' - k * 900 - s.g % 200 END AS d) x`,
  );
  await step(
    'school contacts',
    `INSERT INTO school_contacts (id, school_id, role, name, email, from_at, until_at)
     SELECT gen_random_uuid(), id, 'stem_lead', 'STEM Lead ' || g, 'stemlead' || g || '@school' || g || '.bench.example.org', '2024-09-01'::timestamptz, NULL::timestamptz FROM t_school
     UNION ALL
     SELECT gen_random_uuid(), id, 'head', 'Head ' || g, 'head' || g || '@school' || g || '.bench.example.org', '2023-09-01', NULL FROM t_school WHERE g % 2 = 0
     UNION ALL
     SELECT gen_random_uuid(), id, 'stem_lead', 'Former STEM Lead ' || g, 'formerlead' || g || '@school' || g || '.bench.example.org', '2022-09-01', '2024-08-31' FROM t_school WHERE g % 3 = 0`,
  );
  await step(
    'status history',
    `INSERT INTO school_status_changes (id, school_id, from_status, to_status, reason, changed_at)
     SELECT gen_random_uuid(), m.school_id, 'invited', 'joined', 'Joined a partnership', m.joined_at FROM t_membership m
     UNION ALL
     SELECT gen_random_uuid(), m.school_id, 'joined', 'active', 'First CPD attended', m.joined_at + interval '45 days'
       FROM t_membership m JOIN schools s ON s.id = m.school_id WHERE s.status IN ('active', 'less_active', 'withdrawn')
     UNION ALL
     SELECT gen_random_uuid(), m.school_id, 'active', s.status, 'Termly review', m.joined_at + interval '200 days'
       FROM t_membership m JOIN schools s ON s.id = m.school_id WHERE s.status IN ('less_active', 'withdrawn')`,
  );

  // Self-evaluation: the baseline at joining (two whole frameworks) and each term's (the cohort's four elements) while a member.
  const framework = (key: string) => BUILT_IN_FRAMEWORKS.find((f) => f.key === key)!;
  const baselineForm = buildForm([{ framework: framework('ats-subject-rating') }, { framework: framework('ats-maturity') }]);
  const termlyForm = buildForm([{ framework: framework('iris-ri'), elementKeys: termlyElements }]);
  await step(
    'terms',
    `CREATE TEMP TABLE t_term AS
     SELECT (y->>'label') || ' ' || (t->>'name') AS label, (t->>'starts')::date AS starts
       FROM academic_calendars a CROSS JOIN jsonb_array_elements(a.years) y CROSS JOIN jsonb_array_elements(y->'terms') t WHERE a.key = 'england'`,
  );
  await step(
    'self-evaluations',
    `CREATE TEMP TABLE t_eval AS
     WITH opened AS (
       SELECT m.school_id, m.cohort_id, m.partnership_id, m.g, 'baseline' AS kind, 'baseline' AS term_label, 0 AS ti, m.joined_at AS opened_at FROM t_membership m
       UNION ALL
       -- A school that joins after a term's invitations went, but before their deadline, is invited when it joins.
       SELECT m.school_id, m.cohort_id, m.partnership_id, m.g, 'termly', t.label, row_number() OVER (PARTITION BY m.id ORDER BY t.starts)::int,
              greatest(((t.starts + 3)::timestamp + interval '7 hours') AT TIME ZONE 'Europe/London', m.joined_at + interval '1 hour')
         FROM t_membership m JOIN t_cohort c ON c.id = m.cohort_id
         JOIN t_term t ON t.starts BETWEEN c.starts_on AND c.ends_on AND t.starts + 31 > (m.joined_at AT TIME ZONE 'Europe/London')::date
                      AND t.starts + 3 <= date '${ANCHOR}' AND (m.left_at IS NULL OR t.starts + 3 < (m.left_at AT TIME ZONE 'Europe/London')::date)
     ),
     fated AS (SELECT opened.*, (g * 7 + ti * 3) % 20 AS v, opened_at + interval '28 days' AS deadline_at FROM opened)
     SELECT gen_random_uuid() AS id, fated.*,
            CASE WHEN v < 14 THEN 'submitted' WHEN v < 16 THEN 'draft' ELSE 'open' END AS status,
            CASE WHEN v = 13 THEN deadline_at + interval '5 days' WHEN v < 13 THEN opened_at + make_interval(days => 5 + g % 20) END AS submitted_at
       FROM fated`,
  );
  await step(
    'self-evaluations',
    `INSERT INTO self_evaluations (id, school_id, cohort_id, partnership_id, kind, term_label, form, answers, status, revision, submitted_revision, opened_at, deadline_at, submitted_at, updated_at)
     SELECT id, school_id, cohort_id, partnership_id, kind, term_label, CASE kind WHEN 'baseline' THEN $1::jsonb ELSE $2::jsonb END, '{}', status, 0, NULL, opened_at, deadline_at, submitted_at,
            coalesce(submitted_at, opened_at)
       FROM t_eval`,
    [JSON.stringify(baselineForm), JSON.stringify(termlyForm)],
  );
  // Levels: each school starts somewhere on each element's scale and tends to climb a step every two terms.
  const answers = (partial: string, lift: string) => `(SELECT jsonb_object_agg((sec->>'frameworkKey') || ':' || (el->>'key'), jsonb_build_object(
        'level', CASE WHEN ${partial} AND ord % 2 = 0 THEN NULL ELSE least(jsonb_array_length(sec->'levels'), 1 + abs(hashtext(e.g::text || (el->>'key'))::bigint) % jsonb_array_length(sec->'levels') + e.ti / 2 + ${lift}) END,
        'evidence', CASE WHEN e.g % 4 = 0 THEN 'Minutes of the STEM leads'' meeting' ELSE '' END, 'nextSteps', CASE WHEN e.g % 6 = 0 THEN 'Plan a STEM week' ELSE '' END))
      FROM jsonb_array_elements(se.form->'sections') sec CROSS JOIN LATERAL jsonb_array_elements(sec->'elements') WITH ORDINALITY x(el, ord))`;
  await step(
    'self-evaluation revisions',
    `INSERT INTO self_evaluation_revisions (id, self_evaluation_id, revision, action, answers, by_email, recorded_at)
     SELECT gen_random_uuid(), e.id, 1, 'draft', ${answers('true', '0')}, 'stemlead' || e.g || '@school' || e.g || '.bench.example.org', e.opened_at + interval '3 days'
       FROM t_eval e JOIN self_evaluations se ON se.id = e.id WHERE e.status = 'draft' OR (e.status = 'submitted' AND e.g % 3 = 0)
     UNION ALL
     SELECT gen_random_uuid(), e.id, CASE WHEN e.g % 3 = 0 THEN 2 ELSE 1 END, 'submit', ${answers('false', '0')}, 'stemlead' || e.g || '@school' || e.g || '.bench.example.org', e.submitted_at
       FROM t_eval e JOIN self_evaluations se ON se.id = e.id WHERE e.status = 'submitted'
     UNION ALL
     SELECT gen_random_uuid(), e.id, CASE WHEN e.g % 3 = 0 THEN 3 ELSE 2 END, 'submit', ${answers('false', '1')}, 'stemlead' || e.g || '@school' || e.g || '.bench.example.org',
            e.submitted_at + interval '2 days'
       FROM t_eval e JOIN self_evaluations se ON se.id = e.id WHERE e.status = 'submitted' AND e.g % 10 = 0`,
  );
  await step(
    'self-evaluations (latest answers)',
    `UPDATE self_evaluations se SET answers = r.answers, revision = r.revision, submitted_revision = CASE WHEN se.status = 'submitted' THEN r.revision END
       FROM (SELECT DISTINCT ON (self_evaluation_id) self_evaluation_id, revision, answers FROM self_evaluation_revisions ORDER BY self_evaluation_id, revision DESC) r
      WHERE r.self_evaluation_id = se.id`,
  );

  // STEM Ambassadors: the pool, member schools' requests, and the offers each request sent.
  const ambassadors = Math.max(60, Math.round(spec.schools * 0.3));
  await step('ambassadors', `CREATE TEMP TABLE t_amb AS SELECT a, gen_random_uuid() AS id FROM generate_series(0, ${ambassadors - 1}) a`);
  await step(
    'ambassadors',
    `INSERT INTO ambassadors (id, name, email, employer, sector, disciplines, skills, key_stages, postcode, latitude, longitude, travel_radius_km, availability, offers_virtual, status,
                              check_type, check_number, check_checked_on, check_expires_on, created_at, updated_at)
     SELECT id, 'Ambassador ' || a, 'ambassador' || a || '@employer' || (a % 50) || '.bench.example.org', 'Employer ' || (a % 50),
            (ARRAY['engineering','energy','health','digital','manufacturing'])[1 + a % 5], ARRAY['engineering'], ARRAY['careers_talk','workshop'], ARRAY['ks2','ks3','ks4'],
            'TS' || (1 + a % 29) || ' 1AA', 54.2 + (a % 100) / 100.0, -1.9 + (a % 70) / 100.0, 25 + a % 50, '{"weekdays":[1,2,3,4,5],"unavailable":[]}', a % 3 = 0,
            CASE WHEN a % 12 = 0 THEN 'paused' ELSE 'active' END, 'DBS', 'DBS' || lpad(a::text, 9, '0'), date '2025-01-15' + a % 300, date '2028-01-15' + a % 300, '2024-06-01', '2024-06-01'
       FROM t_amb`,
  );
  await step(
    'ambassador requests',
    `CREATE TEMP TABLE t_req AS
     WITH made AS (
       SELECT q, gen_random_uuid() AS id, m.school_id, CASE WHEN q % 5 = 0 THEN NULL ELSE m.cohort_id END AS cohort_id, s.phase,
              (timestamp '2025-10-01 10:00' + make_interval(days => ((q * 17) % 500)::int)) AT TIME ZONE 'Europe/London' AS starts_at
         FROM generate_series(0, ${Math.round(mn * 0.8) - 1}) q JOIN t_membership m ON m.i = (q * 3) % ${mn} JOIN schools s ON s.id = m.school_id
     ),
     fated AS (
       SELECT made.*, CASE WHEN starts_at < timestamptz '${ANCHOR}'
                      THEN (ARRAY['delivered','delivered','delivered','delivered','delivered','delivered','delivered','delivered','delivered','partially_filled','partially_filled',
                                  'filled','filled','filled','closed','expired','expired','cancelled','cancelled','cancelled'])[1 + q % 20]
                      ELSE (ARRAY['requested','matching','offered','filled','cancelled'])[1 + q % 5] END AS status
         FROM made
     )
     SELECT fated.*, CASE WHEN status = 'partially_filled' THEN 2 + q % 2 ELSE 1 + q % 3 END AS number_wanted FROM fated`,
  );
  await client.query(
    `ALTER TABLE t_req ADD COLUMN accepted_n int, ADD COLUMN offers_n int;
     UPDATE t_req SET accepted_n = CASE WHEN status IN ('delivered', 'filled', 'closed') THEN number_wanted WHEN status = 'partially_filled' THEN number_wanted - 1 ELSE 0 END;
     UPDATE t_req SET offers_n = CASE WHEN status IN ('requested', 'matching') THEN 0 WHEN status = 'offered' THEN 2 ELSE accepted_n + 1 + q % 2 END`,
  );
  await step(
    'ambassador requests',
    `INSERT INTO ambassador_requests (id, school_id, cohort_id, activity_type, starts_at, ends_at, key_stages, number_wanted, skills_wanted, virtual_acceptable, notes, status, short_reason,
                                      escalated_at, escalation_reason, delivered, pupils_reached, delivery_notes, delivery_confirmed_at, cancelled_reason, created_at, updated_at)
     SELECT id, school_id, cohort_id, (ARRAY['careers_talk','workshop','judging','mentoring','club_support'])[1 + q % 5], starts_at, starts_at + interval '2 hours',
            CASE phase WHEN 'primary' THEN ARRAY['ks2'] WHEN 'nursery' THEN ARRAY['eyfs'] WHEN 'sixteen_plus' THEN ARRAY['ks5'] WHEN 'all_through' THEN ARRAY['ks2','ks3'] ELSE ARRAY['ks3','ks4'] END,
            number_wanted, ARRAY['engineering'], q % 4 = 0, NULL, status, CASE WHEN status = 'partially_filled' THEN 'Not enough ambassadors free that day' END,
            NULL, NULL, CASE WHEN status = 'delivered' THEN true END, CASE WHEN status = 'delivered' THEN 30 + q % 90 END, NULL,
            CASE WHEN status = 'delivered' THEN starts_at + interval '2 days' END, CASE WHEN status = 'cancelled' THEN 'The school cancelled the activity' END,
            starts_at - make_interval(days => (20 + q % 40)::int), starts_at - interval '5 days'
       FROM t_req`,
  );
  await step(
    'ambassador offers',
    `INSERT INTO ambassador_offers (id, request_id, ambassador_id, wave, status, offered_at, expires_at, answered_at, decline_reason, withdrawn_reason, distance_km, hours_logged, hours_logged_at, updated_at)
     SELECT gen_random_uuid(), r.id, a.id, 1, x.status, r.starts_at - interval '19 days', r.starts_at - interval '16 days',
            CASE WHEN x.status IN ('accepted', 'declined') THEN r.starts_at - make_interval(days => 18 - o) END, CASE WHEN x.status = 'declined' THEN 'Not free that day' END, NULL,
            5 + (r.q + o) % 40, CASE WHEN x.status = 'accepted' AND r.status = 'delivered' THEN 2.5 END, CASE WHEN x.status = 'accepted' AND r.status = 'delivered' THEN r.starts_at + interval '3 days' END,
            r.starts_at - interval '5 days'
       FROM t_req r CROSS JOIN LATERAL generate_series(0, r.offers_n - 1) o JOIN t_amb a ON a.a = (r.q * 11 + o * 7) % ${ambassadors}
       CROSS JOIN LATERAL (SELECT CASE WHEN o < r.accepted_n THEN 'accepted' WHEN r.status = 'offered' THEN 'offered' WHEN o % 2 = 0 THEN 'declined' ELSE 'expired' END AS status) x`,
  );

  // Surveys: feedback after each attended place, the impact survey a term later; answered by some, not asked of those without an email or who objected.
  await step(
    'survey invitations',
    `CREATE TEMP TABLE t_inv AS
     SELECT gen_random_uuid() AS id, i.instrument, b.id AS booking_id, b.g, b.person_id, b.session_id, b.course_id, b.school_id, b.partnership_id, b.cohort_id, i.opens_at, i.open_days,
            mp.no_email, mp.consent, pe.email, pe.name
       FROM t_booking b JOIN t_mperson mp ON mp.id = b.person_id JOIN people pe ON pe.id = b.person_id
       CROSS JOIN LATERAL (VALUES ('cpd-feedback', b.ends_at + interval '2 hours', 14), ('cpd-impact', b.ends_at + interval '90 days', 28)) i(instrument, opens_at, open_days)
      WHERE b.status = 'attended' AND i.opens_at < timestamptz '${ANCHOR}'`,
  );
  await client.query(
    `ALTER TABLE t_inv ADD COLUMN asked boolean, ADD COLUMN status text, ADD COLUMN responded_at timestamptz;
     UPDATE t_inv SET asked = NOT no_email AND consent;
     UPDATE t_inv SET status = CASE WHEN (g * 7 + CASE instrument WHEN 'cpd-feedback' THEN 0 ELSE 3 END) % 100 < CASE instrument WHEN 'cpd-feedback' THEN 45 ELSE 30 END THEN 'responded'
                                    WHEN opens_at + make_interval(days => open_days) < timestamptz '${ANCHOR}' THEN 'expired' ELSE 'invited' END WHERE asked;
     UPDATE t_inv SET responded_at = opens_at + make_interval(days => 1 + g % 5) WHERE status = 'responded'`,
  );
  await step(
    'survey invitations',
    `INSERT INTO survey_invitations (id, key, instrument_key, instrument_version, purpose, person_id, booking_id, session_id, course_id, enrichment_event_id, school_id, partnership_id, cohort_id,
                                     email, opens_at, expires_at, reminders_sent, last_reminded_at, status, responded_at, created_at, updated_at)
     SELECT id, instrument || ':booking:' || booking_id, instrument, 1, instrument, person_id, booking_id, session_id, course_id, NULL, school_id, partnership_id, cohort_id,
            email, opens_at, opens_at + make_interval(days => open_days), CASE WHEN status = 'responded' THEN 0 ELSE 1 END,
            CASE WHEN status <> 'responded' THEN opens_at + interval '5 days' END, status, responded_at, opens_at, coalesce(responded_at, opens_at)
       FROM t_inv WHERE asked`,
  );
  await step(
    'surveys not asked',
    `INSERT INTO survey_not_asked (id, key, instrument_key, person_id, booking_id, session_id, course_id, enrichment_event_id, school_id, partnership_id, cohort_id, reason, notification_id, decided_at)
     SELECT id, instrument || ':booking:' || booking_id, instrument, person_id, booking_id, session_id, course_id, NULL, school_id, partnership_id, cohort_id,
            CASE WHEN no_email THEN 'no_email' ELSE 'objected' END, NULL, opens_at
       FROM t_inv WHERE NOT asked`,
  );
  await step(
    'survey responses',
    `INSERT INTO survey_responses (id, invitation_id, instrument_key, instrument_version, person_id, session_id, course_id, enrichment_event_id, school_id, answers, revision, submitted_at, updated_at)
     SELECT gen_random_uuid(), i.id, i.instrument, 1, i.person_id, i.session_id, i.course_id, NULL, i.school_id,
            CASE i.instrument WHEN 'cpd-feedback' THEN ${surveyAnswers('cpd-feedback')} ELSE ${surveyAnswers('cpd-impact')} END,
            CASE WHEN i.g % 10 = 0 THEN 2 ELSE 1 END, i.responded_at, i.responded_at + CASE WHEN i.g % 10 = 0 THEN interval '1 day' ELSE interval '0' END
       FROM t_inv i CROSS JOIN LATERAL (SELECT abs(hashtext(i.id::text)::bigint) * 7919 + i.g AS h) x WHERE i.status = 'responded'`,
  );
  await step(
    'survey response revisions',
    `INSERT INTO survey_response_revisions (response_id, revision, answers, recorded_at)
     SELECT r.id, v, r.answers, r.submitted_at + make_interval(days => v - 1) FROM survey_responses r CROSS JOIN generate_series(1, r.revision) v`,
  );

  // Notifications: every survey invitation's email (a few skipped), then the year's other mail up to the size's total.
  await step(
    'notifications (survey invitations)',
    `INSERT INTO notifications (id, idempotency_key, kind, recipient_email, recipient_name, data, status, not_before, attempt_count, subject, message_id, skip_reason, created_at, updated_at, sent_at,
                                priority, programme_id, cohort_id, partnership_id, school_id)
     SELECT gen_random_uuid(), 'survey-invitation:' || i.id, 'survey.invitation', i.email, i.name, jsonb_build_object('invitationId', i.id), CASE WHEN i.g % 25 = 0 THEN 'skipped' ELSE 'sent' END,
            i.opens_at, CASE WHEN i.g % 25 = 0 THEN 0 ELSE 1 END, CASE i.instrument WHEN 'cpd-feedback' THEN 'Feedback on your CPD' ELSE 'What difference has your CPD made?' END,
            '<' || i.id || '@bench.stemflow>', CASE WHEN i.g % 25 = 0 THEN 'the recipient unsubscribed from surveys' END, i.opens_at, i.opens_at,
            CASE WHEN i.g % 25 <> 0 THEN i.opens_at + interval '1 minute' END, 5, tp.id, i.cohort_id, i.partnership_id, i.school_id
       FROM t_inv i JOIN t_mperson mp ON mp.id = i.person_id JOIN t_prog tp ON tp.k = mp.prog WHERE i.asked`,
  );
  const surveyMail = await one(`SELECT count(*) FROM t_inv WHERE asked`);
  await step(
    'recipients',
    `CREATE TEMP TABLE t_recipient AS
     SELECT row_number() OVER (ORDER BY pe.j) - 1 AS n, pp.email, pp.name, pp.school_id, m.partnership_id, m.cohort_id, tp.id AS programme_id
       FROM t_person pe JOIN people pp ON pp.id = pe.id LEFT JOIN t_membership m ON m.school_id = pp.school_id AND m.left_at IS NULL LEFT JOIN t_prog tp ON tp.k = m.prog
      WHERE pp.email IS NOT NULL`,
  );
  await client.query(`CREATE INDEX ON t_recipient (n)`);
  const recipients = await one(`SELECT count(*) FROM t_recipient`);
  const otherMail = Math.max(0, spec.notifications - surveyMail);
  await step(
    'notifications (the rest of the year)',
    `INSERT INTO notifications (id, idempotency_key, kind, recipient_email, recipient_name, data, status, not_before, attempt_count, subject, message_id, skip_reason, last_error,
                                created_at, updated_at, sent_at, failed_at, priority, programme_id, cohort_id, partnership_id, school_id)
     SELECT gen_random_uuid(), x.kind || ':bench:' || o, x.kind, r.email, r.name, '{}', x.status, x.at, CASE WHEN x.status = 'skipped' THEN 0 ELSE 1 END,
            initcap(replace(split_part(x.kind, '.', 2), '_', ' ')), '<o' || o || '@bench.stemflow>', CASE WHEN x.status = 'skipped' THEN 'the recipient opted out of this kind of email' END,
            CASE WHEN x.status = 'failed' THEN '550 mailbox unavailable' END, x.at, x.at, CASE WHEN x.status = 'sent' THEN x.at + interval '1 minute' END,
            CASE WHEN x.status = 'failed' THEN x.at + interval '1 minute' END, 5,
            CASE WHEN x.scoped THEN r.programme_id END, CASE WHEN x.scoped THEN r.cohort_id END, CASE WHEN x.scoped THEN r.partnership_id END, CASE WHEN x.scoped THEN r.school_id END
       FROM generate_series(0, ${otherMail - 1}) o
       JOIN t_recipient r ON r.n = (o * 7) % ${recipients}
       CROSS JOIN LATERAL (SELECT (ARRAY['booking.confirmed','booking.session_reminder','school.term_start','self_evaluation.invitation','self_evaluation.reminder','survey.reminder',
                                         'booking.confirmed','survey.reminder','ambassador.request_filled','dashboard.sign_in'])[1 + o % 10] AS kind,
                                  CASE WHEN o % 100 < 95 THEN 'sent' WHEN o % 100 < 97 THEN 'failed' ELSE 'skipped' END AS status,
                                  timestamptz '${ANCHOR}' - make_interval(days => ((o * 37) % 365)::int, secs => (o::bigint * 7919) % 86400) AS at,
                                  o % 10 <> 9 AS scoped) x`,
  );
  await step(
    'notification attempts',
    `INSERT INTO notification_attempts (id, notification_id, attempt, outcome, error, smtp_response, started_at, finished_at)
     SELECT gen_random_uuid(), id, 1, CASE status WHEN 'sent' THEN 'sent' ELSE 'permanent_error' END, last_error, CASE WHEN status = 'sent' THEN '250 OK' ELSE '550 mailbox unavailable' END,
            not_before + interval '1 minute', not_before + interval '1 minute 2 seconds'
       FROM notifications WHERE status IN ('sent', 'failed')`,
  );

  // The audit log: a year of writes by the programmes' former tokens, half as many rows as emails.
  await step(
    'former tokens',
    `CREATE TEMP TABLE t_tok AS SELECT t, gen_random_uuid() AS id FROM generate_series(0, 7) t;
     INSERT INTO api_tokens (id, name, token_hash, role, scope, created_at, revoked_at, email, expires_at, last_used_at)
     SELECT t.id, 'Former manager ' || t.t, md5(t.id::text || 'bench'), 'programme_manager', 'programme:' || p.id, '2025-06-01', NULL, 'former' || t.t || '@programme.bench.example.org',
            '2026-06-01', '2026-05-31'
       FROM t_tok t JOIN t_prog p ON p.k = 1 + t.t % ${np}`,
  );
  await step(
    'audit log',
    `INSERT INTO audit_log (id, at, actor_type, actor_id, role, method, route, subject_type, subject_id, status, request_id, outcome)
     SELECT gen_random_uuid(), timestamptz '${ANCHOR}' - make_interval(days => ((u * 53) % 365)::int, secs => (u::bigint * 7919) % 86400), CASE WHEN u % 3 = 0 THEN 'dashboard' ELSE 'token' END,
            t.id::text, 'programme_manager', (ARRAY['POST','PATCH','POST','DELETE'])[1 + u % 4],
            (ARRAY['/api/v1/schools/:id/status','/api/v1/people','/api/v1/sessions/:id/bookings','/api/v1/partnerships/:id/members','/api/v1/cpd-records'])[1 + u % 5],
            'school', s.id::text, CASE WHEN u % 4 = 1 THEN 200 ELSE 201 END, 'bench-' || u, 'committed'
       FROM generate_series(0, ${Math.round(spec.notifications / 2) - 1}) u JOIN t_tok t ON t.t = u % 8 JOIN t_school s ON s.g = 1 + u % ${spec.schools}`,
  );

  // The running cohorts' schedule: each member school's next two term invitations, the overdue notices, and reminders for places to come.
  await step(
    'scheduled actions',
    `INSERT INTO scheduled_actions (id, kind, key, subject_type, subject_id, due_at, status, payload, reason, created_at, updated_at, cohort_id, policy_version, recipient, description, claimed_at, job_id)
     SELECT gen_random_uuid(), 'self_evaluation.open', 'self-evaluation:open:' || m.cohort_id || ':' || m.school_id || ':' || replace(t.label, ' ', '-'), 'school', m.school_id, x.due,
            CASE WHEN x.due < timestamptz '${ANCHOR}' THEN 'done' ELSE 'planned' END,
            jsonb_build_object('termLabel', t.label, 'partnershipId', m.partnership_id, 'deadlineAt', to_char((x.due + interval '28 days') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.000"Z"')),
            NULL, m.joined_at, m.joined_at, m.cohort_id, 1, s.contact_email, s.name || ', self-evaluation for the ' || split_part(t.label, ' ', 2) || ' term ' || split_part(t.label, ' ', 1), NULL::timestamptz, NULL::text
       FROM t_membership m JOIN schools s ON s.id = m.school_id JOIN t_cohort c ON c.id = m.cohort_id AND c.wave = 2
       JOIN t_term t ON t.starts BETWEEN c.starts_on AND c.ends_on CROSS JOIN LATERAL (SELECT (t.starts + 3)::timestamptz AS due) x
      WHERE m.left_at IS NULL
     UNION ALL
     SELECT gen_random_uuid(), 'self_evaluation.overdue_notice', 'self-evaluation:overdue:' || p.id || ':' || replace(t.label, ' ', '-'), 'partnership', p.id, (t.starts + 3 + 28 + 2)::timestamptz,
            CASE WHEN (t.starts + 33)::timestamptz < timestamptz '${ANCHOR}' THEN 'done' ELSE 'planned' END, jsonb_build_object('termLabel', t.label), NULL, p.starts_on, p.starts_on, p.cohort_id, 1, NULL,
            'Partnership ' || p.k || ', schools overdue with the ' || t.label || ' self-evaluation', NULL, NULL
       FROM t_part p JOIN t_cohort c ON c.id = p.cohort_id AND c.wave = 2 JOIN t_term t ON t.starts BETWEEN c.starts_on AND c.ends_on
     UNION ALL
     SELECT gen_random_uuid(), 'reminder.send', 'reminder:' || r.rule || ':booking:' || b.id || ':once:0', 'booking', b.id, b.starts_at - r.before,
            CASE WHEN b.starts_at - r.before < timestamptz '${ANCHOR}' THEN 'done' ELSE 'planned' END,
            jsonb_build_object('ruleId', r.rule, 'sendIndex', 0, 'anchor', 'before_session_start', 'anchorAt', to_char(b.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.000"Z"'), 'occurrence', 'once'),
            NULL, b.created_at, b.created_at, b.cohort_id, 1, pe.email, pe.name || ', before ' || b.title || ' — rule "' || r.rule || '"', NULL, NULL
       FROM t_booking b JOIN t_cohort c ON c.id = b.cohort_id AND c.wave = 2 JOIN people pe ON pe.id = b.person_id
       CROSS JOIN (VALUES ('session-week-before', interval '7 days'), ('session-day-before', interval '1 day')) r(rule, before)
      WHERE b.status IN ('confirmed', 'attended', 'no_show') AND b.starts_at > timestamptz '${ANCHOR}' - interval '30 days'`,
  );

  for (const { name, def } of indexes) await step(`index ${name}`, def);
  if (size === 'L') await client.query(`SET session_replication_role = DEFAULT`);
  await step('vacuum and analyze', `VACUUM (ANALYZE)`);

  const [ids] = (
    await client.query(
      `SELECT p.id AS "programmeId", (SELECT id FROM t_cohort WHERE prog = 1 AND wave = 2) AS "cohortId",
              (SELECT r.school_id FROM cpd_records r JOIN t_membership m ON m.school_id = r.school_id AND m.left_at IS NULL AND m.prog = 1
                GROUP BY r.school_id ORDER BY count(*) DESC, r.school_id LIMIT 1) AS "schoolId"
         FROM t_prog p WHERE p.k = 1`,
    )
  ).rows;
  const counts: Record<string, number> = {};
  for (const table of [
    'programmes',
    'cohorts',
    'partnerships',
    'schools',
    'partnership_members',
    'people',
    'cpd_courses',
    'cpd_sessions',
    'cpd_bookings',
    'cpd_records',
    'budget_entries',
    'enrichment_events',
    'self_evaluations',
    'self_evaluation_revisions',
    'ambassador_requests',
    'ambassador_offers',
    'survey_invitations',
    'survey_responses',
    'notifications',
    'audit_log',
    'scheduled_actions',
  ]) {
    counts[table] = await one(`SELECT count(*) FROM ${table}`);
  }
  return { counts, ids };
}

/**
 * A response's answers to an instrument, made in SQL from the instrument itself: each
 * scale or choice item one of its values (leaning towards the upper end, as real feedback
 * does), and an open answer from about one respondent in three. `h` is the response's hash.
 */
function surveyAnswers(key: InstrumentKey): string {
  const instrument = INSTRUMENTS[key];
  const pairs = instrument.items.map((item, k) => {
    const values = itemValues(instrument, item).map((v) => `'${v.value}'`);
    if (values.length === 0) return `'${item.key}', CASE WHEN (h / ${k + 2}) % 3 = 0 THEN 'It gave me practical ideas for lessons' END`;
    const n = values.length;
    // Two draws averaged, then nudged a step up: most answers sit in the upper half of the scale.
    const pick = `least(${n}, 1 + (((h / ${7 * k + 1}) % ${n}) + ((h / ${13 * k + 3}) % ${n}) + 1) / 2)`;
    return `'${item.key}', (ARRAY[${values.join(', ')}])[${item.type === 'choice' ? `1 + (h / ${7 * k + 1}) % ${n}` : pick}]`;
  });
  return `jsonb_strip_nulls(jsonb_build_object(${pairs.join(', ')}))`;
}
