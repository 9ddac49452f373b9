import type { Transaction } from '../database/unit-of-work.js';
import type { WorkflowPolicy } from '../programmes/workflow-policy.js';
import { planAction, ScheduledActionKinds } from '../scheduling/schedule.js';
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
export async function planImpactSurvey(tx: Transaction, ctx: PlanContext, booking: { id: string; attendedAt: Date; email: string | null; person: string; title: string }): Promise<void> {
  await planAction(
    tx.manager,
    {
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
    },
    tx.now,
  );
}

/** Reminders to answer an invitation, counted from when it went; each decides again when it falls due. */
export async function planSurveyReminders(tx: Transaction, ctx: PlanContext, invitation: SurveyInvitation, invitedAt: Date, personName: string): Promise<number> {
  const instrument = INSTRUMENTS[invitation.instrumentKey];
  const times = reminderTimes(invitedAt, invitation.expiresAt, ctx.policy.surveys);
  for (const [index, dueAt] of times.entries()) {
    await planAction(
      tx.manager,
      {
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
      },
      tx.now,
    );
  }
  return times.length;
}

/**
 * After a cohort's policy changed (inside `replanCohort`, whose first step superseded the
 * cohort's future survey actions): impact surveys still to come and reminders to people
 * who have not answered are planned again under the new timings. Sent ones stay as they were.
 */
export async function replanCohortSurveys(tx: Transaction, ctx: PlanContext): Promise<number> {
  let planned = 0;
  const impacts: Array<{ id: string; attended_at: string; email: string | null; person: string; title: string }> = await tx.manager.query(
    `SELECT b.id, a.payload->>'attendedAt' AS attended_at, p.email, p.name AS person, c.title
       FROM scheduled_actions a JOIN cpd_bookings b ON b.id = a.subject_id JOIN people p ON p.id = b.person_id
       JOIN cpd_sessions s ON s.id = b.session_id JOIN cpd_courses c ON c.id = s.course_id
      WHERE a.cohort_id = $1 AND a.kind = $2 AND a.status = 'superseded' AND a.updated_at = $3 AND a.reason LIKE 're-planned%' AND b.status = 'attended'`,
    [ctx.cohortId, ScheduledActionKinds.InviteToImpactSurvey, tx.now],
  );
  for (const b of impacts) {
    await planImpactSurvey(tx, ctx, { id: b.id, attendedAt: new Date(b.attended_at), email: b.email, person: b.person, title: b.title });
    planned += 1;
  }
  const invitations = await tx.manager.find(SurveyInvitation, { where: { cohortId: ctx.cohortId ?? undefined, status: 'invited', expiresAt: MoreThan(tx.now) } });
  for (const invitation of invitations) {
    // Reminders count from when the invitation went (its email may have waited for the send window).
    const [sent]: Array<{ not_before: Date; name: string }> = await tx.manager.query(`SELECT n.not_before, p.name FROM people p LEFT JOIN notifications n ON n.idempotency_key = $2 WHERE p.id = $1`, [
      invitation.personId,
      `survey-invitation:${invitation.id}`,
    ]);
    const invitedAt = sent?.not_before && new Date(sent.not_before) > invitation.createdAt ? new Date(sent.not_before) : invitation.createdAt;
    planned += await planSurveyReminders(tx, ctx, invitation, invitedAt, sent?.name ?? invitation.email);
  }
  return planned;
}
