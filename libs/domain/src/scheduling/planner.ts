import type { EntityManager } from 'typeorm';
import type { AcademicCalendar } from '../calendars/academic-calendar.js';
import { ENGLAND } from '../calendars/builtin-calendars.js';
import { termStartsBetween } from '../calendars/school-days.js';
import type { Transaction } from '../database/unit-of-work.js';
import { NotFound } from '../errors.js';
import { DEFAULT_WORKFLOW_POLICY, policyWithDefaults, ruleOffsetMs, type ReminderAnchor, type ReminderRule, type WorkflowPolicy } from '../programmes/workflow-policy.js';
import { planActions, ScheduledActionKinds, type PlannedAction } from './schedule.js';
import { replanCohortSurveys } from '../surveys/planning.js';

/**
 * Turns a cohort's reminder rules into scheduled actions for each subject they concern:
 * bookings (before a session starts, after it ends, after attendance), memberships (after
 * joining) and member schools (each term start). Planning is idempotent by key, and a
 * re-plan supersedes the cohort's future actions before planning them again, so editing
 * a policy or a calendar moves what is still to come and leaves the past alone.
 */
export interface CohortContext {
  cohortId: string | null;
  policy: WorkflowPolicy;
  calendar: AcademicCalendar;
  startsOn: string | null;
  endsOn: string | null;
}

const fmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });

export async function loadCalendar(manager: EntityManager, key: string): Promise<AcademicCalendar> {
  const [row]: Array<{ key: string; name: string; nation: AcademicCalendar['nation']; bank_holiday_region: AcademicCalendar['bankHolidayRegion']; note: string; years: AcademicCalendar['years'] }> =
    await manager.query(`SELECT key, name, nation, bank_holiday_region, note, years FROM academic_calendars WHERE key = $1`, [key]);
  if (!row) throw new NotFound('Academic calendar', key);
  return { key: row.key, name: row.name, nation: row.nation, bankHolidayRegion: row.bank_holiday_region, note: row.note, years: row.years };
}

export async function cohortContext(manager: EntityManager, cohortId: string | null): Promise<CohortContext> {
  if (!cohortId) return { cohortId: null, policy: DEFAULT_WORKFLOW_POLICY, calendar: ENGLAND, startsOn: null, endsOn: null };
  const [cohort]: Array<{ workflow_policy: WorkflowPolicy; calendar_key: string; starts_on: string; ends_on: string }> = await manager.query(
    `SELECT workflow_policy, calendar_key, to_char(starts_on, 'YYYY-MM-DD') AS starts_on, to_char(ends_on, 'YYYY-MM-DD') AS ends_on FROM cohorts WHERE id = $1`,
    [cohortId],
  );
  if (!cohort) throw new NotFound('Cohort', cohortId);
  return { cohortId, policy: policyWithDefaults(cohort.workflow_policy), calendar: await loadCalendar(manager, cohort.calendar_key), startsOn: cohort.starts_on, endsOn: cohort.ends_on };
}

export async function cohortOfPartnership(manager: EntityManager, partnershipId: string | null): Promise<string | null> {
  if (!partnershipId) return null;
  const [row]: Array<{ cohort_id: string | null }> = await manager.query(`SELECT cohort_id FROM partnerships WHERE id = $1`, [partnershipId]);
  return row?.cohort_id ?? null;
}

/**
 * `occurrence` names which anchor this is when a subject has several (a term: "2026/27
 * spring"), so that each gets its own action, and an edited date moves that action rather
 * than planning a second one.
 */
async function planRule(
  tx: Transaction,
  ctx: CohortContext,
  rule: ReminderRule,
  subject: { type: string; id: string },
  anchorAt: Date,
  recipient: string | null,
  why: string,
  occurrence = 'once',
  since = tx.now,
): Promise<number> {
  const actions = ruleActions(ctx, rule, subject, anchorAt, recipient, why, occurrence, since);
  await planActions(tx.manager, actions, tx.now);
  return actions.length;
}

/** The actions one rule asks for about one subject: each send still in the future after `since`. */
function ruleActions(
  ctx: CohortContext,
  rule: ReminderRule,
  subject: { type: string; id: string },
  anchorAt: Date,
  recipient: string | null,
  why: string,
  occurrence: string,
  since: Date,
): PlannedAction[] {
  const actions: PlannedAction[] = [];
  for (let index = 0; index < rule.maxSends; index += 1) {
    const dueAt = new Date(anchorAt.getTime() + ruleOffsetMs(rule, index));
    if (dueAt <= since) continue;
    actions.push({
      kind: ScheduledActionKinds.SendReminder,
      key: reminderKey(rule.id, subject.type, subject.id, occurrence, index),
      subjectType: subject.type,
      subjectId: subject.id,
      dueAt,
      payload: { ruleId: rule.id, sendIndex: index, anchor: rule.anchor, anchorAt: anchorAt.toISOString(), occurrence },
      cohortId: ctx.cohortId,
      policyVersion: ctx.policy.version,
      recipient,
      description: `${why} — rule "${rule.id}"${rule.maxSends > 1 ? ` (send ${index + 1} of ${rule.maxSends})` : ''}`,
    });
  }
  return actions;
}

const rulesFor = (ctx: CohortContext, anchors: ReminderAnchor[]) => ctx.policy.reminders.filter((r) => anchors.includes(r.anchor));

/** A booking as its reminders speak of it: the session's times, the course, and the person booked. */
interface BookedPlace {
  id: string;
  startsAt: Date;
  endsAt: Date;
  title: string;
  email: string | null;
  name: string;
}

/**
 * Rules anchored on a booking's session or on its attendance. `since` is when the place was
 * confirmed: a reaction that runs later still plans what was in the future then, and the
 * ticker and the reminder's own check decide whether it is still worth sending.
 */
export async function planBookingRules(tx: Transaction, bookingId: string, anchors: ReminderAnchor[] = ['before_session_start', 'after_session_end'], since: Date = tx.now): Promise<number> {
  const [row]: Array<{ partnership_id: string | null; starts_at: Date; ends_at: Date; title: string; email: string | null; name: string }> = await tx.manager.query(
    `SELECT b.partnership_id, s.starts_at, s.ends_at, c.title, p.email, p.name
       FROM cpd_bookings b JOIN cpd_sessions s ON s.id = b.session_id JOIN cpd_courses c ON c.id = s.course_id JOIN people p ON p.id = b.person_id
      WHERE b.id = $1 AND b.status IN ('confirmed', 'attended', 'no_show')`,
    [bookingId],
  );
  if (!row) return 0;
  const ctx = await cohortContext(tx.manager, await cohortOfPartnership(tx.manager, row.partnership_id));
  const booking = { id: bookingId, startsAt: new Date(row.starts_at), endsAt: new Date(row.ends_at), title: row.title, email: row.email, name: row.name };
  const actions = bookingActions(ctx, booking, anchors, since, tx.now);
  await planActions(tx.manager, actions, tx.now);
  return actions.length;
}

function bookingActions(ctx: CohortContext, booking: BookedPlace, anchors: ReminderAnchor[], since: Date, now: Date): PlannedAction[] {
  return rulesFor(ctx, anchors).flatMap((rule) => {
    const anchorAt = rule.anchor === 'before_session_start' ? booking.startsAt : rule.anchor === 'after_session_end' ? booking.endsAt : now;
    const when = rule.anchor === 'after_attendance' ? 'after attending' : rule.anchor === 'after_session_end' ? 'after' : 'before';
    return ruleActions(ctx, rule, { type: 'booking', id: booking.id }, anchorAt, booking.email, `${booking.name}, ${when} ${booking.title} (${fmt.format(booking.startsAt)})`, 'once', since);
  });
}

/** A current member school as its actions speak of it. */
interface MemberSchool {
  membershipId: string;
  joinedAt: Date;
  schoolId: string;
  schoolName: string;
  email: string | null;
  partnershipId: string;
  partnershipName: string;
}

/** Rules anchored on a school joining a partnership, and the term starts it is now part of. */
export async function planMembershipRules(tx: Transaction, membershipId: string): Promise<number> {
  const [row]: Array<{ cohort_id: string | null; joined_at: Date; school_id: string; school: string; email: string | null; partnership: string; partnership_id: string }> = await tx.manager.query(
    `SELECT m.cohort_id, m.joined_at, m.school_id, s.name AS school, s.contact_email AS email, p.name AS partnership, p.id AS partnership_id
       FROM partnership_members m JOIN schools s ON s.id = m.school_id JOIN partnerships p ON p.id = m.partnership_id
      WHERE m.id = $1 AND m.left_at IS NULL`,
    [membershipId],
  );
  if (!row?.cohort_id) return 0;
  const ctx = await cohortContext(tx.manager, row.cohort_id);
  const member = {
    membershipId,
    joinedAt: new Date(row.joined_at),
    schoolId: row.school_id,
    schoolName: row.school,
    email: row.email,
    partnershipId: row.partnership_id,
    partnershipName: row.partnership,
  };
  const actions = membershipActions(ctx, cohortTerms(ctx), member, await choosesSelfEvaluation(tx, ctx), tx.now);
  await planActions(tx.manager, actions, tx.now);
  return actions.length;
}

function membershipActions(ctx: CohortContext, terms: CohortTerm[], member: MemberSchool, selfEvaluates: boolean, now: Date): PlannedAction[] {
  return [
    ...rulesFor(ctx, ['after_joining']).flatMap((rule) =>
      ruleActions(ctx, rule, { type: 'membership', id: member.membershipId }, member.joinedAt, member.email, `${member.schoolName}, after joining ${member.partnershipName}`, 'once', now),
    ),
    ...termStartActions(ctx, terms, member.schoolId, member.schoolName, member.email, now),
    ...(selfEvaluates ? selfEvaluationTermActions(ctx, terms, member, now) : []),
  ];
}

const DAY = 86_400_000;

type CohortTerm = ReturnType<typeof termStartsBetween>[number];

/** The terms that start while the cohort runs, from its first day to the end of its last. */
function cohortTerms(ctx: CohortContext): CohortTerm[] {
  if (!ctx.startsOn || !ctx.endsOn) return [];
  return termStartsBetween(ctx.calendar, new Date(`${ctx.startsOn}T00:00:00Z`), new Date(new Date(`${ctx.endsOn}T00:00:00Z`).getTime() + DAY));
}

/** Whether the cohort has chosen what its schools evaluate: until it has, no term's self-evaluation is planned. */
async function choosesSelfEvaluation(tx: Transaction, ctx: CohortContext): Promise<boolean> {
  if (!ctx.cohortId || !ctx.startsOn || !ctx.endsOn) return false;
  const chosen: unknown[] = await tx.manager.query(`SELECT 1 FROM cohort_self_evaluation WHERE cohort_id = $1`, [ctx.cohortId]);
  return chosen.length > 0;
}

/**
 * Each term's self-evaluation for a member school: opened `inviteAfterDays` after the term
 * starts, due `deadlineDays` later, and one overdue notice per partnership after that. A
 * school joining after this term's invitation went, but before its deadline, is invited
 * at once with the full time to answer. Planned only once the cohort has chosen what its
 * schools evaluate.
 */
export async function planSelfEvaluationTerms(
  tx: Transaction,
  ctx: CohortContext,
  member: { schoolId: string; schoolName: string; email: string | null; partnershipId: string; partnershipName: string },
): Promise<number> {
  if (!(await choosesSelfEvaluation(tx, ctx))) return 0;
  const actions = selfEvaluationTermActions(ctx, cohortTerms(ctx), member, tx.now);
  await planActions(tx.manager, actions, tx.now);
  return actions.length;
}

function selfEvaluationTermActions(
  ctx: CohortContext,
  terms: CohortTerm[],
  member: { schoolId: string; schoolName: string; email: string | null; partnershipId: string; partnershipName: string },
  now: Date,
): PlannedAction[] {
  if (!ctx.cohortId) return [];
  const { inviteAfterDays, deadlineDays, overdueNoticeAfterDays } = ctx.policy.selfEvaluation;
  const actions: PlannedAction[] = [];
  for (const { term, yearLabel, startsAt } of terms) {
    const termLabel = `${yearLabel} ${term.name}`;
    const inviteAt = new Date(startsAt.getTime() + inviteAfterDays * DAY);
    const termDeadline = new Date(inviteAt.getTime() + deadlineDays * DAY);
    const late = inviteAt <= now;
    if (late && now >= termDeadline) continue;
    actions.push({
      kind: ScheduledActionKinds.OpenSelfEvaluation,
      key: `self-evaluation:open:${ctx.cohortId}:${member.schoolId}:${termLabel.replace(/\s+/g, '-')}`,
      subjectType: 'school',
      subjectId: member.schoolId,
      dueAt: late ? now : inviteAt,
      payload: { termLabel, partnershipId: member.partnershipId, deadlineAt: (late ? new Date(now.getTime() + deadlineDays * DAY) : termDeadline).toISOString() },
      cohortId: ctx.cohortId,
      policyVersion: ctx.policy.version,
      recipient: member.email,
      description: `${member.schoolName}, self-evaluation for the ${term.name} term ${yearLabel}${late ? ' (joined after the invitations went)' : ''}`,
    });
    const noticeAt = new Date(termDeadline.getTime() + overdueNoticeAfterDays * DAY);
    if (noticeAt > now) {
      actions.push({
        kind: ScheduledActionKinds.SelfEvaluationOverdueNotice,
        key: `self-evaluation:overdue:${member.partnershipId}:${termLabel.replace(/\s+/g, '-')}`,
        subjectType: 'partnership',
        subjectId: member.partnershipId,
        dueAt: noticeAt,
        payload: { termLabel },
        cohortId: ctx.cohortId,
        policyVersion: ctx.policy.version,
        recipient: null,
        description: `${member.partnershipName}, schools overdue with the ${term.name} term ${yearLabel} self-evaluation`,
      });
    }
  }
  return actions;
}

/** The cohort's `before_deadline` reminder rules for one open self-evaluation, counted back from its deadline. */
export async function planSelfEvaluationReminders(tx: Transaction, evaluationId: string): Promise<number> {
  const [row]: Array<{ cohort_id: string; deadline_at: Date; term_label: string; school: string; email: string | null; status: string }> = await tx.manager.query(
    `SELECT e.cohort_id, e.deadline_at, e.term_label, s.name AS school, s.contact_email AS email, e.status
       FROM self_evaluations e JOIN schools s ON s.id = e.school_id WHERE e.id = $1`,
    [evaluationId],
  );
  if (!row || row.status === 'submitted') return 0;
  const ctx = await cohortContext(tx.manager, row.cohort_id);
  let planned = 0;
  for (const rule of rulesFor(ctx, ['before_deadline'])) {
    planned += await planRule(
      tx,
      ctx,
      rule,
      { type: 'self_evaluation', id: evaluationId },
      new Date(row.deadline_at),
      row.email,
      `${row.school}, before the ${row.term_label} self-evaluation deadline`,
      row.term_label,
    );
  }
  return planned;
}

/**
 * `planSelfEvaluationReminders` for a batch of evaluations just opened in one cohort, in one
 * statement; a submitted one gets none.
 */
export async function planSelfEvaluationRemindersFor(tx: Transaction, ctx: CohortContext, evaluations: OpenEvaluation[]): Promise<number> {
  const actions = evaluationReminderActions(ctx, evaluations, tx.now);
  await planActions(tx.manager, actions, tx.now);
  return actions.length;
}

interface OpenEvaluation {
  id: string;
  deadlineAt: Date;
  termLabel: string;
  status: string;
  school: string;
  email: string | null;
}

function evaluationReminderActions(ctx: CohortContext, evaluations: OpenEvaluation[], now: Date): PlannedAction[] {
  return evaluations
    .filter((e) => e.status !== 'submitted')
    .flatMap((e) =>
      rulesFor(ctx, ['before_deadline']).flatMap((rule) =>
        ruleActions(ctx, rule, { type: 'self_evaluation', id: e.id }, e.deadlineAt, e.email, `${e.school}, before the ${e.termLabel} self-evaluation deadline`, e.termLabel, now),
      ),
    );
}

function termStartActions(ctx: CohortContext, terms: CohortTerm[], schoolId: string, schoolName: string, email: string | null, now: Date): PlannedAction[] {
  const rules = rulesFor(ctx, ['term_start']);
  return terms.flatMap(({ term, yearLabel, startsAt }) =>
    rules.flatMap((rule) => ruleActions(ctx, rule, { type: 'school', id: schoolId }, startsAt, email, `${schoolName}, start of the ${term.name} term ${yearLabel}`, `${yearLabel} ${term.name}`, now)),
  );
}

/**
 * Re-plans a cohort after its policy or calendar changed, inside the caller's transaction:
 * future planned reminders are superseded, then every subject is planned again; keys that
 * come back are revived with their new time.
 */
export async function replanCohort(tx: Transaction, cohortId: string): Promise<{ superseded: number; planned: number }> {
  const ctx = await cohortContext(tx.manager, cohortId);
  const [, superseded]: [unknown, number] = await tx.manager.query(
    `UPDATE scheduled_actions SET status = 'superseded', reason = $3, updated_at = $2
      WHERE cohort_id = $1 AND kind = $4 AND status = 'planned' AND due_at > $2 AND payload->>'anchor' <> 'after_attendance'`,
    [cohortId, tx.now, `re-planned under policy version ${ctx.policy.version}`, ScheduledActionKinds.SendReminder],
  );
  const [, supersededSelfEvaluation]: [unknown, number] = await tx.manager.query(
    `UPDATE scheduled_actions SET status = 'superseded', reason = $3, updated_at = $2
      WHERE cohort_id = $1 AND kind = ANY($4::text[]) AND status = 'planned' AND due_at > $2`,
    [
      cohortId,
      tx.now,
      `re-planned under policy version ${ctx.policy.version}`,
      [ScheduledActionKinds.OpenSelfEvaluation, ScheduledActionKinds.SelfEvaluationOverdueNotice, ScheduledActionKinds.InviteToImpactSurvey, ScheduledActionKinds.RemindSurvey],
    ],
  );
  // Everything the cohort's subjects need is read in a few statements and planned in bulk:
  // a preview of a policy change re-plans the whole cohort while the manager waits.
  const members: Array<{ id: string; joined_at: Date; school_id: string; school: string; email: string | null; partnership: string; partnership_id: string }> = await tx.manager.query(
    `SELECT m.id, m.joined_at, m.school_id, s.name AS school, s.contact_email AS email, p.name AS partnership, p.id AS partnership_id
       FROM partnership_members m JOIN schools s ON s.id = m.school_id JOIN partnerships p ON p.id = m.partnership_id
      WHERE m.cohort_id = $1 AND m.left_at IS NULL`,
    [cohortId],
  );
  const terms = cohortTerms(ctx);
  const selfEvaluates = await choosesSelfEvaluation(tx, ctx);
  const bookings: Array<{ id: string; starts_at: Date; ends_at: Date; title: string; email: string | null; name: string }> = await tx.manager.query(
    `SELECT b.id, s.starts_at, s.ends_at, c.title, pe.email, pe.name
       FROM cpd_bookings b JOIN partnerships p ON p.id = b.partnership_id JOIN cpd_sessions s ON s.id = b.session_id
       JOIN cpd_courses c ON c.id = s.course_id JOIN people pe ON pe.id = b.person_id
      WHERE p.cohort_id = $1 AND b.status IN ('confirmed', 'attended', 'no_show') AND s.ends_at > $2::timestamptz - interval '400 days'`,
    [cohortId, tx.now],
  );
  const open: Array<{ id: string; deadline_at: Date; term_label: string; school: string; email: string | null; status: string }> = await tx.manager.query(
    `SELECT e.id, e.deadline_at, e.term_label, s.name AS school, s.contact_email AS email, e.status
       FROM self_evaluations e JOIN schools s ON s.id = e.school_id
      WHERE e.cohort_id = $1 AND e.status <> 'submitted' AND e.deadline_at > $2`,
    [cohortId, tx.now],
  );
  const actions = [
    ...members.flatMap((m) =>
      membershipActions(
        ctx,
        terms,
        { membershipId: m.id, joinedAt: new Date(m.joined_at), schoolId: m.school_id, schoolName: m.school, email: m.email, partnershipId: m.partnership_id, partnershipName: m.partnership },
        selfEvaluates,
        tx.now,
      ),
    ),
    ...bookings.flatMap((b) =>
      bookingActions(
        ctx,
        { id: b.id, startsAt: new Date(b.starts_at), endsAt: new Date(b.ends_at), title: b.title, email: b.email, name: b.name },
        ['before_session_start', 'after_session_end'],
        tx.now,
        tx.now,
      ),
    ),
    ...evaluationReminderActions(
      ctx,
      open.map((e) => ({ id: e.id, deadlineAt: new Date(e.deadline_at), termLabel: e.term_label, status: e.status, school: e.school, email: e.email })),
      tx.now,
    ),
  ];
  await planActions(tx.manager, actions, tx.now);
  const planned = actions.length + (await replanCohortSurveys(tx, ctx));
  // Superseded rows that were planned again are live once more; count only what stays superseded.
  const [{ n }]: Array<{ n: string }> = await tx.manager.query(
    `SELECT count(*) AS n FROM scheduled_actions WHERE cohort_id = $1 AND status = 'superseded' AND updated_at = $2 AND reason LIKE 're-planned%'`,
    [cohortId, tx.now],
  );
  return { superseded: Math.min(superseded + supersededSelfEvaluation, Number(n)), planned };
}

/** One key per rule, subject, occurrence and send: the scheduled action's and the notification's alike. */
export function reminderKey(ruleId: string, subjectType: string, subjectId: string, occurrence: string, sendIndex: number): string {
  return `reminder:${ruleId}:${subjectType}:${subjectId}:${occurrence.replace(/\s+/g, '-')}:${sendIndex}`;
}
