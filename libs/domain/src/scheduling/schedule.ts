import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';

/** Kinds of scheduled action; each has exactly one handler in the worker. */
export const ScheduledActionKinds = {
  ExpireOffer: 'cpd.expire_offer',
  /** A reminder rule of a cohort's workflow policy falling due for one subject. */
  SendReminder: 'reminder.send',
  /** The impact survey for an attended booking, about a term after attendance. */
  InviteToImpactSurvey: 'survey.invite_impact',
  /** A reminder to someone who has not yet answered a survey invitation. */
  RemindSurvey: 'survey.remind',
  /** A school's termly self-evaluation opening: invitation with its page link. */
  OpenSelfEvaluation: 'self_evaluation.open',
  /** After a term's deadline, the educational lead hears which schools have not submitted. */
  SelfEvaluationOverdueNotice: 'self_evaluation.overdue_notice',
  /** An ambassador's offer left unanswered past its time. */
  AmbassadorOfferExpiry: 'ambassador.offer_expiry',
  /** A request still short some days before its activity goes to the programme team. */
  AmbassadorEscalation: 'ambassador.request_escalation',
  /** A request's activity begins: open offers end, and a request nobody accepted expires. */
  AmbassadorActivityStart: 'ambassador.activity_start',
  /** A reminder to renew a safeguarding check, 60, 30 and 7 days before it expires. */
  AmbassadorCheckRenewal: 'ambassador.check_renewal',
  /** The daily removal of personal records older than the retention policy allows. */
  EnforceRetention: 'privacy.enforce_retention',
  /** Every figure worked out again for the platform and each programme, and kept. */
  RefreshFigureSnapshots: 'reports.refresh_snapshots',
} as const;
export type ScheduledActionKind = (typeof ScheduledActionKinds)[keyof typeof ScheduledActionKinds];

export interface PlannedAction {
  kind: ScheduledActionKind;
  /** Unique per decision, e.g. `expire-offer:{booking}:{expiresAt}`: planning twice is a no-op. */
  key: string;
  subjectType: string;
  subjectId: string;
  dueAt: Date;
  payload?: Record<string, unknown>;
  cohortId?: string | null;
  policyVersion?: number | null;
  recipient?: string | null;
  description?: string | null;
}

/**
 * Plans work for later, inside the caller's transaction. Re-planning the same key moves
 * a still-planned action; one already claimed or done is left alone.
 */
export async function planAction(manager: EntityManager, action: PlannedAction, now: Date): Promise<void> {
  // A re-plan first supersedes a cohort's future actions, then plans again: a key planned
  // again comes back to life with its new time; one not planned again stays superseded.
  await manager.query(
    `INSERT INTO scheduled_actions (id, kind, key, subject_type, subject_id, due_at, status, payload, cohort_id, policy_version, recipient, description, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'planned', $7, $8, $9, $10, $11, $12, $12)
     ON CONFLICT (key) DO UPDATE SET due_at = EXCLUDED.due_at, payload = EXCLUDED.payload, status = 'planned', reason = NULL,
       cohort_id = EXCLUDED.cohort_id, policy_version = EXCLUDED.policy_version, recipient = EXCLUDED.recipient, description = EXCLUDED.description,
       updated_at = EXCLUDED.updated_at
       WHERE scheduled_actions.status = 'planned' OR (scheduled_actions.status = 'superseded' AND scheduled_actions.reason LIKE 're-planned%')`,
    [
      randomUUID(),
      action.kind,
      action.key,
      action.subjectType,
      action.subjectId,
      action.dueAt,
      JSON.stringify(action.payload ?? {}),
      action.cohortId ?? null,
      action.policyVersion ?? null,
      action.recipient ?? null,
      action.description ?? null,
      now,
    ],
  );
}

/**
 * `planAction` for many at once, in one statement (a batch of invitations plans its reminders
 * together, a cohort's re-plan its whole future). A key planned twice in the list ends as its
 * last plan says, as it would planned one by one.
 */
export async function planActions(manager: EntityManager, actions: PlannedAction[], now: Date): Promise<void> {
  const byKey = new Map<string, PlannedAction>();
  for (const action of actions) byKey.set(action.key, action);
  const distinct = [...byKey.values()];
  if (distinct.length === 0) return;
  await manager.query(
    `INSERT INTO scheduled_actions (id, kind, key, subject_type, subject_id, due_at, status, payload, cohort_id, policy_version, recipient, description, created_at, updated_at)
     SELECT a.id, a.kind, a.key, a.subject_type, a.subject_id, a.due_at, 'planned', a.payload, a.cohort_id, a.policy_version, a.recipient, a.description, $12::timestamptz, $12::timestamptz
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::timestamptz[], $7::jsonb[], $8::uuid[], $9::int[], $10::text[], $11::text[])
         AS a(id, kind, key, subject_type, subject_id, due_at, payload, cohort_id, policy_version, recipient, description)
     ON CONFLICT (key) DO UPDATE SET due_at = EXCLUDED.due_at, payload = EXCLUDED.payload, status = 'planned', reason = NULL,
       cohort_id = EXCLUDED.cohort_id, policy_version = EXCLUDED.policy_version, recipient = EXCLUDED.recipient, description = EXCLUDED.description,
       updated_at = EXCLUDED.updated_at
       WHERE scheduled_actions.status = 'planned' OR (scheduled_actions.status = 'superseded' AND scheduled_actions.reason LIKE 're-planned%')`,
    [
      distinct.map(() => randomUUID()),
      distinct.map((a) => a.kind),
      distinct.map((a) => a.key),
      distinct.map((a) => a.subjectType),
      distinct.map((a) => a.subjectId),
      distinct.map((a) => a.dueAt.toISOString()),
      distinct.map((a) => JSON.stringify(a.payload ?? {})),
      distinct.map((a) => a.cohortId ?? null),
      distinct.map((a) => a.policyVersion ?? null),
      distinct.map((a) => a.recipient ?? null),
      distinct.map((a) => a.description ?? null),
      now,
    ],
  );
}

/** Cancels what is still planned for a subject (a cancelled booking gets no reminder). */
export async function cancelPlannedActions(manager: EntityManager, subjectType: string, subjectId: string, reason: string, now: Date, kinds?: ScheduledActionKind[]): Promise<number> {
  const [, count]: [unknown, number] = await manager.query(
    `UPDATE scheduled_actions SET status = 'cancelled', reason = $3, updated_at = $4
      WHERE subject_type = $1 AND subject_id = $2 AND status = 'planned' AND ($5::text[] IS NULL OR kind = ANY($5::text[]))`,
    [subjectType, subjectId, reason, now, kinds ?? null],
  );
  return count;
}
