import { randomUUID } from 'node:crypto';
import { In, type EntityManager } from 'typeorm';
import { NotFound } from '../errors.js';
import { BUILT_IN_FRAMEWORKS } from './builtin-frameworks.js';
import type { EvaluationAnswers, EvaluationForm } from './form.js';
import type { Framework } from './frameworks.js';
import { CohortSelfEvaluationChoice, SelfEvaluation, UploadedFramework, type SelfEvaluationKind } from './self-evaluation.entities.js';

/** The baseline at joining (003_def1d3e673f8defb.txt): subject self-rating and the maturity grid. */
export const DEFAULT_BASELINE_FRAMEWORKS = ['ats-subject-rating', 'ats-maturity'] as const;
export const BASELINE_TERM = 'baseline';

export function builtInFramework(key: string): Framework | undefined {
  return BUILT_IN_FRAMEWORKS.find((f) => f.key === key);
}

export function uploadedToFramework(row: UploadedFramework): Framework {
  return { key: row.key, name: row.name, publisher: row.publisher, levels: row.levels, groups: row.groups, builtIn: false };
}

/** A built-in framework, or one a programme uploaded. */
export async function findFramework(manager: EntityManager, key: string): Promise<Framework | undefined> {
  const builtIn = builtInFramework(key);
  if (builtIn) return builtIn;
  const row = await manager.findOneBy(UploadedFramework, { key });
  return row ? uploadedToFramework(row) : undefined;
}

export async function mustFindFramework(manager: EntityManager, key: string): Promise<Framework> {
  const found = await findFramework(manager, key);
  if (!found) throw new NotFound('Framework', key);
  return found;
}

/** What the cohort chose. Without a choice no termly invitations are planned; the baseline still opens. */
export async function cohortChoice(manager: EntityManager, cohortId: string): Promise<CohortSelfEvaluationChoice | null> {
  return manager.findOneBy(CohortSelfEvaluationChoice, { cohortId });
}

export interface OpenRequest {
  schoolId: string;
  cohortId: string;
  partnershipId: string;
  kind: SelfEvaluationKind;
  termLabel: string;
  form: EvaluationForm;
  deadlineAt: Date;
}

/** Opens a school's evaluation for a term, once: a retried decision finds the first one. */
export async function openSelfEvaluation(manager: EntityManager, request: OpenRequest, now: Date): Promise<{ evaluation: SelfEvaluation; created: boolean }> {
  const inserted: Array<{ id: string }> = await manager.query(
    `INSERT INTO self_evaluations (id, school_id, cohort_id, partnership_id, kind, term_label, form, answers, status, revision, opened_at, deadline_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, '{}', 'open', 0, $8, $9, $8)
     ON CONFLICT (school_id, cohort_id, term_label) DO NOTHING RETURNING id`,
    [randomUUID(), request.schoolId, request.cohortId, request.partnershipId, request.kind, request.termLabel, JSON.stringify(request.form), now, request.deadlineAt],
  );
  const evaluation = await manager.findOneByOrFail(SelfEvaluation, { schoolId: request.schoolId, cohortId: request.cohortId, termLabel: request.termLabel });
  return { evaluation, created: inserted.length === 1 };
}

/** `openSelfEvaluation` for many schools in one statement: each request's evaluation, new or opened before, in order. */
export async function openSelfEvaluations(manager: EntityManager, requests: OpenRequest[], now: Date): Promise<SelfEvaluation[]> {
  if (requests.length === 0) return [];
  const values: unknown[] = [];
  const rows = requests.map((r) => {
    const at = values.length;
    values.push(randomUUID(), r.schoolId, r.cohortId, r.partnershipId, r.kind, r.termLabel, JSON.stringify(r.form), now, r.deadlineAt);
    const p = (i: number) => `$${at + i}`;
    return `(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, '{}', 'open', 0, ${p(8)}, ${p(9)}, ${p(8)})`;
  });
  await manager.query(
    `INSERT INTO self_evaluations (id, school_id, cohort_id, partnership_id, kind, term_label, form, answers, status, revision, opened_at, deadline_at, updated_at)
     VALUES ${rows.join(', ')}
     ON CONFLICT (school_id, cohort_id, term_label) DO NOTHING`,
    values,
  );
  // Each by its key, one lookup per school: asked for all at once, Postgres read every
  // evaluation of the term for each batch whenever its statistics predated the term's first.
  const ids: Array<{ id: string }> = await manager.query(
    `SELECT e.id FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS k(school_id, cohort_id, term_label)
       CROSS JOIN LATERAL (SELECT id FROM self_evaluations
                            WHERE cohort_id = k.cohort_id AND term_label = k.term_label AND school_id = k.school_id LIMIT 1) e`,
    [requests.map((r) => r.schoolId), requests.map((r) => r.cohortId), requests.map((r) => r.termLabel)],
  );
  const found = new Map<string, SelfEvaluation>();
  const evaluations = ids.length > 0 ? await manager.findBy(SelfEvaluation, { id: In(ids.map((r) => r.id)) }) : [];
  for (const e of evaluations) found.set(`${e.schoolId}|${e.cohortId}|${e.termLabel}`, e);
  return requests.map((r) => found.get(`${r.schoolId}|${r.cohortId}|${r.termLabel}`)!);
}

/** The school's submitted evaluations opened before this one, latest first: what "last term" means. */
export async function earlierSubmitted(
  manager: EntityManager,
  evaluation: Pick<SelfEvaluation, 'id' | 'schoolId' | 'openedAt'>,
): Promise<Array<{ form: EvaluationForm; answers: EvaluationAnswers; termLabel: string }>> {
  const rows: Array<{ form: EvaluationForm; answers: EvaluationAnswers; term_label: string }> = await manager.query(
    `SELECT form, answers, term_label FROM self_evaluations WHERE school_id = $1 AND id <> $2 AND status = 'submitted' AND opened_at <= $3 ORDER BY opened_at DESC, id LIMIT 20`,
    [evaluation.schoolId, evaluation.id, evaluation.openedAt],
  );
  return rows.map((r) => ({ form: r.form, answers: r.answers, termLabel: r.term_label }));
}

export interface SchoolEvidence {
  /** From when the figures count (a year before `until`). */
  since: string;
  until: string;
  cpdHoursBySubject: Array<{ subject: string; hours: number }>;
  enrichmentEvents: number;
  pupilsReached: number;
  ambassadorEncounters: number;
}

/**
 * What the platform holds that bears on a school's self-evaluation, over the past year:
 * CPD hours by subject (every channel, cpd_records), enrichment events and the pupils they
 * reached, and encounters with STEM Ambassadors (enrichment events with ambassadors, and
 * delivered ambassador visits, one per ambassador who came). Shown beside each element, never turned
 * into a level: the school decides its level (000_8c0eceec8b4e6747.txt, 002_4732e8eb9c668dac.txt).
 */
export async function schoolEvidence(manager: EntityManager, schoolId: string, until: Date): Promise<SchoolEvidence> {
  const since = new Date(until.getTime() - 365 * 86_400_000);
  const sinceDay = since.toISOString().slice(0, 10);
  const untilDay = until.toISOString().slice(0, 10);
  const cpd: Array<{ subject: string; hours: string }> = await manager.query(
    `SELECT subject, sum(hours) AS hours FROM cpd_records WHERE school_id = $1 AND occurred_on BETWEEN $2 AND $3 GROUP BY subject ORDER BY sum(hours) DESC, subject`,
    [schoolId, sinceDay, untilDay],
  );
  const [events]: Array<{ events: string; pupils: string | null; ambassador: string }> = await manager.query(
    `SELECT count(*) AS events,
            sum(coalesce((e.details->'audience'->>'pupils')::int, 0)) AS pupils,
            count(*) FILTER (WHERE e.details->>'type' = 'ambassador_session' OR coalesce((e.details->>'ambassadorsInvolved')::int, 0) > 0) AS ambassador
       FROM enrichment_events e JOIN enrichment_event_schools s ON s.event_id = e.id
      WHERE s.school_id = $1 AND e.occurs_on BETWEEN $2 AND $3`,
    [schoolId, sinceDay, untilDay],
  );
  // Ambassador visits the school confirmed as delivered, one encounter per ambassador who came.
  const [visits]: Array<{ encounters: string }> = await manager.query(
    `SELECT count(o.id) AS encounters FROM ambassador_requests r JOIN ambassador_offers o ON o.request_id = r.id AND o.status = 'accepted'
      WHERE r.school_id = $1 AND r.delivered IS TRUE AND (r.starts_at AT TIME ZONE 'Europe/London')::date BETWEEN $2 AND $3`,
    [schoolId, sinceDay, untilDay],
  );
  return {
    since: sinceDay,
    until: untilDay,
    cpdHoursBySubject: cpd.map((r) => ({ subject: r.subject, hours: Number(r.hours) })),
    enrichmentEvents: Number(events?.events ?? 0),
    pupilsReached: Number(events?.pupils ?? 0),
    ambassadorEncounters: Number(events?.ambassador ?? 0) + Number(visits?.encounters ?? 0),
  };
}

/** Status of one school for a term, as the programme team reads it. */
export function evaluationState(evaluation: Pick<SelfEvaluation, 'status' | 'deadlineAt'> | null, now: Date): 'submitted' | 'draft' | 'not started' | 'overdue' | 'not invited' {
  if (!evaluation) return 'not invited';
  if (evaluation.status === 'submitted') return 'submitted';
  if (evaluation.deadlineAt <= now) return 'overdue';
  return evaluation.status === 'draft' ? 'draft' : 'not started';
}
