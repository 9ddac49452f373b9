import type pg from 'pg';
import { DEFAULT_WORKFLOW_POLICY } from '#domain';

/** The spring term 2027 starts on Monday 4 January (England); invitations go `inviteAfterDays` (3) later. */
const TERM_LABEL = '2026/27 spring';
const INVITE_AT = '2027-01-07T00:00:00Z';
const DEADLINE_AT = '2027-02-04T00:00:00Z';
/** Past term start + inviteAfterDays, inside the send window: every invitation is due at one tick and may go at once. */
export const FANOUT_DUE = '2027-01-07T10:00:00Z';

/**
 * Seeds, straight into the database, a cohort that has chosen its self-evaluation framework
 * and whose `n` member schools each have the spring term's `self_evaluation.open` action
 * planned (as `planSelfEvaluationTerms` plans it: same key, payload and due time), with the
 * virtual clock still before the term. Moving the clock to FANOUT_DUE makes all `n` due at
 * one tick; each opens a self-evaluation, issues its page link and decides the invitation
 * email. Used by the fan-out benchmark and the resilience suite.
 */
export async function seedTermStartFanout(db: pg.Pool, n: number): Promise<{ cohortId: string }> {
  await db.query(`UPDATE virtual_clock SET now = '2026-12-20T10:00:00Z'`);
  const [{ id: programme }] = (
    await db.query(
      `INSERT INTO programmes (id, name, starts_on, ends_on, framework_key, kpi_definition, created_at, updated_at)
     VALUES (gen_random_uuid(), 'Fan-out', '2026-09-01', '2027-08-31', 'iris-ri', '{"completeRecordRequires":["email"]}', now(), now()) RETURNING id`,
    )
  ).rows;
  const [{ id: cohortId }] = (
    await db.query(
      `INSERT INTO cohorts (id, programme_id, name, starts_on, ends_on, calendar_key, workflow_policy, status, created_at, updated_at)
     VALUES (gen_random_uuid(), $1, 'Wave', '2026-09-01', '2027-07-23', 'england', $2, 'active', now(), now()) RETURNING id`,
      [programme, JSON.stringify(DEFAULT_WORKFLOW_POLICY)],
    )
  ).rows;
  await db.query(
    `INSERT INTO cohort_self_evaluation (cohort_id, framework_key, element_keys, baseline_framework_keys, updated_at)
     VALUES ($1, 'iris-ri', ARRAY['1.5', '2.1'], ARRAY['ats-subject-rating', 'ats-maturity'], now())`,
    [cohortId],
  );
  const [{ id: partnership }] = (
    await db.query(`INSERT INTO partnerships (id, name, cohort_id, created_at, updated_at) VALUES (gen_random_uuid(), 'Fan-out Partnership', $1, now(), now()) RETURNING id`, [cohortId])
  ).rows;
  await db.query(
    `INSERT INTO schools (id, urn, name, phase, contact_name, contact_email, status, created_at, updated_at)
     SELECT gen_random_uuid(), 1000000 + g, 'School ' || g, 'primary', 'Lead ' || g, 'lead' || g || '@fanout.example.org', 'active', now(), now()
       FROM generate_series(1, $1) AS g`,
    [n],
  );
  await db.query(
    `INSERT INTO partnership_members (id, partnership_id, school_id, cohort_id, role, joined_at)
     SELECT gen_random_uuid(), $1, id, $2, 'member', '2026-09-01T00:00:00Z' FROM schools WHERE urn > 1000000`,
    [partnership, cohortId],
  );
  await db.query(
    `INSERT INTO scheduled_actions (id, kind, key, subject_type, subject_id, due_at, status, payload, cohort_id, policy_version, recipient, description, created_at, updated_at)
     SELECT gen_random_uuid(), 'self_evaluation.open', 'self-evaluation:open:' || $1::text || ':' || id || ':' || replace($4, ' ', '-'), 'school', id, $2::timestamptz, 'planned',
            jsonb_build_object('termLabel', $4::text, 'partnershipId', $5::text, 'deadlineAt', $3::text), $1::uuid, 1, contact_email, name || ', self-evaluation for the spring term 2026/27', now(), now()
       FROM schools WHERE urn > 1000000`,
    [cohortId, INVITE_AT, new Date(DEADLINE_AT).toISOString(), TERM_LABEL, partnership],
  );
  return { cohortId };
}
