import { DateTime } from 'luxon';
import type { EntityManager } from 'typeorm';
import type { AcademicCalendar } from '../calendars/academic-calendar.js';
import { isSchoolDay, LONDON } from '../calendars/school-days.js';
import { ScheduledActionKinds } from './schedule.js';

export interface ScheduleEntry {
  actionId: string;
  kind: string;
  dueAt: string;
  status: string;
  recipient: string | null;
  why: string | null;
  subject: { type: string; id: string };
  ruleId: string | null;
  policyVersion: number | null;
  reason: string | null;
  /** The deadline an invitation sets (a self-evaluation's), when it sets one. */
  deadlineAt: string | null;
}

/** A condition on `scheduled_actions a` that narrows a schedule to what its reader may see, with its named parameters. */
export interface ScheduleScope {
  condition: string;
  params: Record<string, unknown>;
}

/**
 * What will be sent, to whom, when and why: read from the very rows the ticker claims,
 * so the preview cannot disagree with what happens. `scope` keeps to the entries its
 * reader may see (an educational lead: their own partnership's).
 */
export async function cohortSchedule(
  manager: EntityManager,
  cohortId: string,
  from: Date,
  to: Date,
  scope?: ScheduleScope,
): Promise<{ cohortId: string; from: string; to: string; entries: ScheduleEntry[] }> {
  const [sql, params] = manager.connection.driver.escapeQueryWithParameters(
    `SELECT a.id, a.kind, a.due_at, a.status, a.recipient, a.description, a.subject_type, a.subject_id, a.payload, a.policy_version, a.reason
       FROM scheduled_actions a
      WHERE a.cohort_id = :cohortId AND a.due_at >= :from AND a.due_at < :to AND a.status IN ('planned', 'claimed', 'done') AND (${scope?.condition ?? 'TRUE'})
      ORDER BY a.due_at, a.key
      LIMIT 5000`,
    { ...scope?.params, cohortId, from, to },
  );
  const rows: Array<{
    id: string;
    kind: string;
    due_at: Date;
    status: string;
    recipient: string | null;
    description: string | null;
    subject_type: string;
    subject_id: string;
    payload: Record<string, unknown>;
    policy_version: number | null;
    reason: string | null;
  }> = await manager.query(sql, params);
  return {
    cohortId,
    from: from.toISOString(),
    to: to.toISOString(),
    entries: rows.map((r) => ({
      actionId: r.id,
      kind: r.kind,
      dueAt: new Date(r.due_at).toISOString(),
      status: r.status,
      recipient: r.recipient,
      why: r.description,
      subject: { type: r.subject_type, id: r.subject_id },
      ruleId: typeof r.payload.ruleId === 'string' ? r.payload.ruleId : null,
      policyVersion: r.policy_version,
      reason: r.reason,
      deadlineAt: typeof r.payload.deadlineAt === 'string' ? r.payload.deadlineAt : null,
    })),
  };
}

/** What a person running a cohort would want to know about an entry of its schedule. */
export type ScheduleWarning = 'no_recipient' | 'deadline_not_a_school_day';

/** Kinds whose recipient is decided when they are planned, and stored on the action. */
const RECIPIENT_ON_ACTION: readonly string[] = [
  ScheduledActionKinds.SendReminder,
  ScheduledActionKinds.OpenSelfEvaluation,
  ScheduledActionKinds.InviteToImpactSurvey,
  ScheduledActionKinds.RemindSurvey,
];

/**
 * Flags an entry that will not do what it is planned for, or will ask something awkward of
 * schools: an email with nobody to send it to (the worker supersedes it when it falls due),
 * a deadline that falls on a day the calendar gives no school day (a weekend, a break, a
 * bank holiday).
 */
export function scheduleWarnings(
  entry: Pick<ScheduleEntry, 'kind' | 'recipient' | 'subject' | 'deadlineAt'>,
  context: { calendar: AcademicCalendar; partnershipsWithoutLead: ReadonlySet<string>; teamEmail: string | null },
): ScheduleWarning[] {
  const warnings: ScheduleWarning[] = [];
  const nobody =
    (RECIPIENT_ON_ACTION.includes(entry.kind) && !entry.recipient) ||
    (entry.kind === ScheduledActionKinds.SelfEvaluationOverdueNotice && context.partnershipsWithoutLead.has(entry.subject.id)) ||
    (entry.kind === ScheduledActionKinds.AmbassadorEscalation && !context.teamEmail);
  if (nobody) warnings.push('no_recipient');
  if (entry.deadlineAt) {
    const day = DateTime.fromISO(entry.deadlineAt, { zone: LONDON }).toISODate();
    if (day && !isSchoolDay(day, context.calendar)) warnings.push('deadline_not_a_school_day');
  }
  return warnings;
}

/** What a change to a cohort would do to its schedule: entries it adds, moves to another time, and drops. */
export interface ScheduleChanges {
  added: ScheduleEntry[];
  moved: Array<ScheduleEntry & { from: string }>;
  dropped: ScheduleEntry[];
}

/**
 * The difference between a cohort's schedule before and after a change. A re-plan keeps an
 * action's identity when it plans the same decision again (at a new time, or the same), so
 * entries are matched by id: one only after is added, one only before is dropped.
 */
export function scheduleChanges(before: ScheduleEntry[], after: ScheduleEntry[]): ScheduleChanges {
  const was = new Map(before.map((e) => [e.actionId, e]));
  const now = new Set(after.map((e) => e.actionId));
  const added: ScheduleEntry[] = [];
  const moved: Array<ScheduleEntry & { from: string }> = [];
  for (const entry of after) {
    const old = was.get(entry.actionId);
    if (!old) added.push(entry);
    else if (old.dueAt !== entry.dueAt) moved.push({ ...entry, from: old.dueAt });
  }
  return { added, moved, dropped: before.filter((e) => !now.has(e.actionId)) };
}
