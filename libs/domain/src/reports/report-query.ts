import type { EntityManager } from 'typeorm';

/** What every figure can be narrowed by (issue 6): programme, cohort, partnership, phase, dates. */
export interface ReportFilter {
  programmeId: string | null;
  cohortId: string | null;
  partnershipId: string | null;
  /** The school's phase (schools.phase). */
  phase: string | null;
  /** Inclusive dates, YYYY-MM-DD, on the date activity happened. */
  from: string | null;
  to: string | null;
  /** For "gone quiet": days without activity. */
  quietDays: number;
}

export const NO_FILTER: ReportFilter = { programmeId: null, cohortId: null, partnershipId: null, phase: null, from: null, to: null, quietDays: 90 };

/**
 * Runs SQL written with `:name` parameters, numbering them for pg: the figures share one
 * set of named filters and each query uses only some of them.
 *
 * With Postgres's JIT off, for this statement alone (`SET LOCAL`, so it holds through a
 * connection pooler too): a figure's plan is costed high because it joins many tables,
 * which makes Postgres compile it to machine code first, and compiling took seconds where
 * the query itself took a fraction of one. No figure reads enough rows to repay it.
 */
export async function namedQuery<T>(manager: EntityManager, sql: string, values: Record<string, unknown>): Promise<T[]> {
  const order: string[] = [];
  const text = sql.replace(/(?<![:\w]):([a-zA-Z]\w*)/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`report query names :${name}, which no filter provides`);
    let index = order.indexOf(name);
    if (index === -1) index = order.push(name) - 1;
    return `$${index + 1}`;
  });
  const parameters = order.map((name) => values[name]);
  const withoutJit = async (m: EntityManager): Promise<T[]> => {
    await m.query(`SET LOCAL jit = off`);
    return m.query(text, parameters);
  };
  return manager.queryRunner?.isTransactionActive ? withoutJit(manager) : manager.transaction(withoutJit);
}

/**
 * The partnerships a filter covers, with their cohort, and the schools that are members
 * of them. Every figure starts here, so a filter means the same thing in all of them.
 */
export const SCOPE = `
  scope AS (
    SELECT p.id AS partnership_id, p.name AS partnership, p.budget_pence, p.educational_lead_id, c.id AS cohort_id, c.name AS cohort, c.programme_id
      FROM partnerships p JOIN cohorts c ON c.id = p.cohort_id
     WHERE (CAST(:programmeId AS uuid) IS NULL OR c.programme_id = CAST(:programmeId AS uuid))
       AND (CAST(:cohortId AS uuid) IS NULL OR c.id = CAST(:cohortId AS uuid))
       AND (CAST(:partnershipId AS uuid) IS NULL OR p.id = CAST(:partnershipId AS uuid))
  ),
  members AS (
    SELECT m.school_id, m.joined_at, (m.joined_at AT TIME ZONE 'Europe/London')::date AS joined_on, m.left_at, sc.*, s.name AS school, s.status, s.phase, s.fsm_percent
      FROM partnership_members m JOIN scope sc ON sc.partnership_id = m.partnership_id JOIN schools s ON s.id = m.school_id
     WHERE (CAST(:phase AS text) IS NULL OR s.phase = CAST(:phase AS text))
  )`;

/** CPD records paid through a partnership in scope, in the date range, with the person and school phase. */
export const RECORDS = `
  records AS (
    SELECT r.*, sc.cohort_id, sc.cohort, sc.partnership, coalesce(s.phase, 'unknown') AS school_phase, pe.role, pe.slt, pe.subject_specialism, pe.gender
      FROM cpd_records r JOIN scope sc ON sc.partnership_id = r.partnership_id JOIN people pe ON pe.id = r.person_id LEFT JOIN schools s ON s.id = r.school_id
     WHERE (CAST(:phase AS text) IS NULL OR s.phase = CAST(:phase AS text))
       AND (CAST(:from AS date) IS NULL OR r.occurred_on >= CAST(:from AS date))
       AND (CAST(:to AS date) IS NULL OR r.occurred_on <= CAST(:to AS date))
  )`;

export function filterValues(filter: ReportFilter, now: Date): Record<string, unknown> {
  return { ...filter, now };
}
