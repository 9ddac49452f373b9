import type { Transaction } from '../database/unit-of-work.js';
import type { WorkflowPolicy } from '../programmes/workflow-policy.js';
import { planActions, ScheduledActionKinds, type PlannedAction } from '../scheduling/schedule.js';
import { INSTRUMENTS } from './instruments.js';
import { reminderTimes, SURVEY_SUBJECT } from './invitations.js';
import { MoreThan } from 'typeorm';
import { SurveyInvitation } from './survey.entities.js';

const DAY = 86_400_000;

interface PlanContext {
  cohortId: string | null;
  policy: WorkflowPolicy;
}

/** The impact survey for an attended booking, the cohort's `impactAfterDays` after attendance. */
export async function planImpactSurvey(tx: Transaction, ctx: PlanContext, booking: AttendedBooking): Promise<void> {
  await planActions(tx.manager, [impactSurveyAction(ctx, booking)], tx.now);
}

interface AttendedBooking {
  id: string;
  attendedAt: Date;
  email: string | null;
  person: string;
  title: string;
}

function impactSurveyAction(ctx: PlanContext, booking: AttendedBooking): PlannedAction {
  return {
    kind: ScheduledActionKinds.InviteToImpactSurvey,
    key: `survey-impact:${booking.id}`,
    subjectType: 'booking',
    subjectId: booking.id,
    dueAt: new Date(booking.attendedAt.getTime() + ctx.policy.surveys.impactAfterDays * DAY),
    payload: { attendedAt: booking.attendedAt.toISOString() },
    cohortId: ctx.cohortId,
    policyVersion: ctx.policy.version,
    recipient: booking.email,
    description: `${booking.person}, impact survey after ${booking.title}`,
  };
}

/** Reminders to answer an invitation, counted from when it went; each decides again when it falls due. */
export async function planSurveyReminders(tx: Transaction, ctx: PlanContext, invitation: SurveyInvitation, invitedAt: Date, personName: string): Promise<number> {
  const actions = surveyReminderActions(ctx, invitation, invitedAt, personName);
  await planActions(tx.manager, actions, tx.now);
  return actions.length;
}

function surveyReminderActions(ctx: PlanContext, invitation: SurveyInvitation, invitedAt: Date, personName: string): PlannedAction[] {
  const instrument = INSTRUMENTS[invitation.instrumentKey];
  const times = reminderTimes(invitedAt, invitation.expiresAt, ctx.policy.surveys);
  return times.map((dueAt, index) => ({
    kind: ScheduledActionKinds.RemindSurvey,
    key: `survey-reminder:${invitation.id}:${index}`,
    subjectType: SURVEY_SUBJECT,
    subjectId: invitation.id,
    dueAt,
    payload: { reminderIndex: index, instrumentKey: invitation.instrumentKey },
    cohortId: ctx.cohortId,
    policyVersion: ctx.policy.version,
    recipient: invitation.email,
    description: `${personName}, reminder ${index + 1} of ${times.length} to answer "${instrument.name}" if not yet answered`,
  }));
}

/**
 * After a cohort's policy changed (inside `replanCohort`, whose first step superseded the
 * cohort's future survey actions): impact surveys still to come and reminders to people
 * who have not answered are planned again under the new timings. Sent ones stay as they were.
 */
export async function replanCohortSurveys(tx: Transaction, ctx: PlanContext): Promise<number> {
  const impacts: Array<{ id: string; attended_at: string; email: string | null; person: string; title: string }> = await tx.manager.query(
    `SELECT b.id, a.payload->>'attendedAt' AS attended_at, p.email, p.name AS person, c.title
       FROM scheduled_actions a JOIN cpd_bookings b ON b.id = a.subject_id JOIN people p ON p.id = b.person_id
       JOIN cpd_sessions s ON s.id = b.session_id JOIN cpd_courses c ON c.id = s.course_id
      WHERE a.cohort_id = $1 AND a.kind = $2 AND a.status = 'superseded' AND a.updated_at = $3 AND a.reason LIKE 're-planned%' AND b.status = 'attended'`,
    [ctx.cohortId, ScheduledActionKinds.InviteToImpactSurvey, tx.now],
  );
  const invitations = await tx.manager.find(SurveyInvitation, { where: { cohortId: ctx.cohortId ?? undefined, status: 'invited', expiresAt: MoreThan(tx.now) } });
  // Reminders count from when the invitation went (its email may have waited for the send window).
  const sent: Array<{ id: string; not_before: Date | null; name: string | null }> = invitations.length
    ? await tx.manager.query(
        `SELECT i.id, n.not_before, p.name
           FROM unnest($1::uuid[], $2::uuid[]) AS i(id, person_id) JOIN people p ON p.id = i.person_id
           LEFT JOIN notifications n ON n.idempotency_key = 'survey-invitation:' || i.id::text`,
        [invitations.map((i) => i.id), invitations.map((i) => i.personId)],
      )
    : [];
  const sentFor = new Map(sent.map((row) => [row.id, row]));
  const actions = [
    ...impacts.map((b) => impactSurveyAction(ctx, { id: b.id, attendedAt: new Date(b.attended_at), email: b.email, person: b.person, title: b.title })),
    ...invitations.flatMap((invitation) => {
      const row = sentFor.get(invitation.id);
      const invitedAt = row?.not_before && new Date(row.not_before) > invitation.createdAt ? new Date(row.not_before) : invitation.createdAt;
      return surveyReminderActions(ctx, invitation, invitedAt, row?.name ?? invitation.email);
    }),
  ];
  await planActions(tx.manager, actions, tx.now);
  return actions.length;
}
