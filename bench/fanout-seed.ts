import type pg from 'pg';

/** A Wednesday in the spring term, inside the send window: every seeded action is due then. */
export const FANOUT_DUE = '2027-01-06T10:00:00Z';

/**
 * Seeds, straight into the database, a cohort whose `n` member schools are each due one
 * start-of-term email at FANOUT_DUE, and sets the virtual clock there. Used by the fan-out
 * benchmark and the resilience suite; the tick that follows does the rest.
 */
export async function seedTermStartFanout(db: pg.Pool, n: number): Promise<{ cohortId: string }> {
  await db.query(`UPDATE virtual_clock SET now = $1`, [FANOUT_DUE]);
  const [{ id: programme }] = (await db.query(
    `INSERT INTO programmes (id, name, starts_on, ends_on, framework_key, kpi_definition, created_at, updated_at)
     VALUES (gen_random_uuid(), 'Fan-out', '2026-09-01', '2027-08-31', 'iris-ri', '{"completeRecordRequires":["email"]}', now(), now()) RETURNING id`,
  )).rows;
  const policy = {
    version: 1,
    sendWindow: { opens: '09:00', closes: '16:30' },
    cpd: { offerHours: 48 },
    reminders: [{ id: 'term-start', anchor: 'term_start', offset: 0, unit: 'days', audience: ['positive'], recipients: 'school_contact', template: 'school.term_start', maxSends: 1, minGapHours: 0 }],
  };
  const [{ id: cohortId }] = (await db.query(
    `INSERT INTO cohorts (id, programme_id, name, starts_on, ends_on, calendar_key, workflow_policy, status, created_at, updated_at)
     VALUES (gen_random_uuid(), $1, 'Wave', '2026-09-01', '2027-07-23', 'england', $2, 'active', now(), now()) RETURNING id`,
    [programme, JSON.stringify(policy)],
  )).rows;
  const [{ id: partnership }] = (await db.query(
    `INSERT INTO partnerships (id, name, cohort_id, created_at, updated_at) VALUES (gen_random_uuid(), 'Fan-out Partnership', $1, now(), now()) RETURNING id`,
    [cohortId],
  )).rows;
  await db.query(
    `INSERT INTO schools (id, urn, name, phase, contact_name, contact_email, status, created_at, updated_at)
     SELECT gen_random_uuid(), 1000000 + g, 'School ' || g, 'primary', 'Lead ' || g, 'lead' || g || '@fanout.example.org', 'active', now(), now()
       FROM generate_series(1, $1) AS g`,
    [n],
  );
  await db.query(
    `INSERT INTO partnership_members (id, partnership_id, school_id, cohort_id, role, joined_at)
     SELECT gen_random_uuid(), $1, id, $2, 'member', now() FROM schools WHERE urn > 1000000`,
    [partnership, cohortId],
  );
  await db.query(
    `INSERT INTO scheduled_actions (id, kind, key, subject_type, subject_id, due_at, status, payload, cohort_id, policy_version, created_at, updated_at)
     SELECT gen_random_uuid(), 'reminder.send', 'reminder:term-start:school:' || id || ':2026/27-spring:0', 'school', id, $2::timestamptz, 'planned',
            jsonb_build_object('ruleId', 'term-start', 'sendIndex', 0, 'anchor', 'term_start', 'anchorAt', $3::text, 'occurrence', '2026/27 spring'), $1, 1, now(), now()
       FROM schools WHERE urn > 1000000`,
    [cohortId, FANOUT_DUE, new Date(FANOUT_DUE).toISOString()],
  );
  return { cohortId };
}
