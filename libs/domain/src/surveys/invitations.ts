import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Transaction } from '../database/unit-of-work.js';
import { Conflict, InvalidInput, NotFound } from '../errors.js';
import { EventTypes } from '../events/event-types.js';
import type { WorkflowPolicy } from '../programmes/workflow-policy.js';
import { INSTRUMENTS, validateAnswers, type Answers, type InstrumentKey } from './instruments.js';
import { SurveyInvitation, SurveyResponse, SurveyResponseRevision } from './survey.entities.js';

const DAY = 86_400_000;

/**
 * A link in a survey email opens the survey for a week at most, and never past its close:
 * an old or forwarded email stops opening someone's answers, each reminder carries a fresh
 * link, and an expired link to a survey still open can be exchanged for a fresh one sent
 * to the same address.
 */
export const SURVEY_LINK_DAYS = 7;

export function surveyLinkExpiry(now: Date, closesAt: Date): Date {
  const cap = new Date(now.getTime() + SURVEY_LINK_DAYS * DAY);
  return cap < closesAt ? cap : closesAt;
}

/** The subject type of survey page links and survey scheduled actions. */
export const SURVEY_SUBJECT = 'survey_invitation';

export const invitationKey = (instrument: InstrumentKey, subject: { bookingId?: string | null; enrichmentEventId?: string | null; personId: string }): string =>
  subject.bookingId ? `${instrument}:booking:${subject.bookingId}` : `${instrument}:event:${subject.enrichmentEventId}:person:${subject.personId}`;

/**
 * When each reminder to a non-responder falls due: the first `reminderAfterDays` after the
 * invitation, then every `reminderGapDays`, `maxReminders` at most, and none at or after the
 * invitation's close (a reminder to answer what can no longer be answered is noise).
 */
export function reminderTimes(invitedAt: Date, closesAt: Date, surveys: WorkflowPolicy['surveys']): Date[] {
  const times: Date[] = [];
  for (let n = 0; n < surveys.maxReminders; n += 1) {
    const due = new Date(invitedAt.getTime() + (surveys.reminderAfterDays + n * surveys.reminderGapDays) * DAY);
    if (due >= closesAt) break;
    times.push(due);
  }
  return times;
}

/**
 * Why a planned reminder should not go, or null to send it: the person answered, the
 * invitation closed, or they objected to surveys (`consentToContact`: the surveys purpose
 * as decided by consentFor, checked when it falls due, so an objection made after planning
 * still stops it).
 */
export function whyNoReminder(invitation: Pick<SurveyInvitation, 'status' | 'expiresAt'>, person: { consentToContact: boolean; email: string | null } | null, now: Date): string | null {
  if (invitation.status === 'responded') return 'the person has responded';
  if (invitation.status === 'expired' || invitation.expiresAt <= now) return 'the invitation has expired';
  if (!person) return 'the person is gone';
  if (!person.consentToContact) return 'the person has withdrawn consent to be contacted';
  if (!person.email) return 'the person has no email address';
  return null;
}

export interface InvitationRequest {
  instrumentKey: InstrumentKey;
  purpose: string;
  personId: string;
  email: string;
  bookingId?: string | null;
  sessionId?: string | null;
  courseId?: string | null;
  enrichmentEventId?: string | null;
  schoolId?: string | null;
  partnershipId?: string | null;
  cohortId?: string | null;
  expiresAt: Date;
}

/** Invites idempotently by key, inside the caller's transaction: `created` is false when it already existed. */
export async function inviteToSurvey(manager: EntityManager, request: InvitationRequest, now: Date): Promise<{ invitation: SurveyInvitation; created: boolean }> {
  const key = invitationKey(request.instrumentKey, request);
  const inserted: Array<{ id: string }> = await manager.query(
    `INSERT INTO survey_invitations (id, key, instrument_key, instrument_version, purpose, person_id, booking_id, session_id, course_id, enrichment_event_id, school_id, partnership_id,
       cohort_id, email, opens_at, expires_at, reminders_sent, status, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, lower($14), $15, $16, 0, 'invited', $15, $15)
     ON CONFLICT DO NOTHING RETURNING id`,
    [
      randomUUID(),
      key,
      request.instrumentKey,
      INSTRUMENTS[request.instrumentKey].version,
      request.purpose,
      request.personId,
      request.bookingId ?? null,
      request.sessionId ?? null,
      request.courseId ?? null,
      request.enrichmentEventId ?? null,
      request.schoolId ?? null,
      request.partnershipId ?? null,
      request.cohortId ?? null,
      request.email,
      now,
      request.expiresAt,
    ],
  );
  const invitation = await manager.findOneByOrFail(SurveyInvitation, { key });
  return { invitation, created: inserted.length === 1 };
}

/** Why someone who took part was not asked to take a survey: counted beside the invited in every response rate. */
export const NOT_ASKED_REASONS = ['objected', 'no_email'] as const;
export type NotAskedReason = (typeof NOT_ASKED_REASONS)[number];

/**
 * Records, idempotently by the invitation's key, that a person was not asked to take a
 * survey they would have been asked to take, and why: the other half of a response rate.
 * `notificationId` names the skipped ledger row that shows it, when there is an address.
 */
export async function recordNotAsked(
  manager: EntityManager,
  request: Omit<InvitationRequest, 'email' | 'expiresAt' | 'purpose'>,
  reason: NotAskedReason,
  notificationId: string | null,
  now: Date,
): Promise<void> {
  await manager.query(
    `INSERT INTO survey_not_asked (id, key, instrument_key, person_id, booking_id, session_id, course_id, enrichment_event_id, school_id, partnership_id, cohort_id, reason, notification_id, decided_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (key) DO NOTHING`,
    [
      randomUUID(),
      invitationKey(request.instrumentKey, request),
      request.instrumentKey,
      request.personId,
      request.bookingId ?? null,
      request.sessionId ?? null,
      request.courseId ?? null,
      request.enrichmentEventId ?? null,
      request.schoolId ?? null,
      request.partnershipId ?? null,
      request.cohortId ?? null,
      reason,
      notificationId,
      now,
    ],
  );
}

/** What a survey is about, for its page and its emails: "Practical physics, 10 February 2027". */
export interface SurveySubject {
  title: string;
  /** When it took place (ISO), if known. */
  occurredAt: string | null;
  personName: string;
  programmeName: string | null;
}

export async function surveySubject(manager: EntityManager, invitation: SurveyInvitation): Promise<SurveySubject> {
  const [row]: Array<{ title: string | null; occurred_at: Date | null; person: string; programme: string | null }> = await manager.query(
    `SELECT coalesce(c.title, e.details->>'title') AS title, coalesce(s.starts_at, e.occurs_on::timestamptz) AS occurred_at, p.name AS person,
            coalesce(pc.name, pe.name) AS programme
       FROM survey_invitations i JOIN people p ON p.id = i.person_id
       LEFT JOIN cpd_sessions s ON s.id = i.session_id LEFT JOIN cpd_courses c ON c.id = coalesce(i.course_id, s.course_id)
       LEFT JOIN programmes pc ON pc.id = c.programme_id
       LEFT JOIN enrichment_events e ON e.id = i.enrichment_event_id LEFT JOIN programmes pe ON pe.id = e.programme_id
      WHERE i.id = $1`,
    [invitation.id],
  );
  return { title: row?.title ?? 'your activity', occurredAt: row?.occurred_at ? new Date(row.occurred_at).toISOString() : null, personName: row?.person ?? '', programmeName: row?.programme ?? null };
}

/**
 * Stores a submission, or an edit of one, in one transaction: the invitation is locked so
 * two tabs submitting at once make two revisions in order, never a lost one. An edit keeps
 * the answers it replaces as a revision; the invitation's close ends editing too.
 */
export async function submitSurveyResponse(tx: Transaction, invitationId: string, input: Record<string, unknown>): Promise<{ response: SurveyResponse; edited: boolean }> {
  const invitation = await tx.manager.findOne(SurveyInvitation, { where: { id: invitationId }, lock: { mode: 'pessimistic_write' } });
  if (!invitation) throw new NotFound('Survey invitation', invitationId);
  if (invitation.expiresAt <= tx.now || invitation.status === 'expired') throw new Conflict('This survey has closed: answers can no longer be changed');
  const instrument = INSTRUMENTS[invitation.instrumentKey];
  const { answers, problems } = validateAnswers(instrument, input);
  if (problems.length > 0) throw new InvalidInput('Some answers need attention', problems);

  let response = await tx.manager.findOneBy(SurveyResponse, { invitationId });
  const edited = response !== null;
  if (response) {
    response.revision += 1;
    response.answers = answers;
    response.updatedAt = tx.now;
    await tx.manager.update(SurveyResponse, { id: response.id }, { answers: answers as never, revision: response.revision, updatedAt: tx.now });
  } else {
    response = tx.manager.create(SurveyResponse, {
      id: randomUUID(),
      invitationId,
      instrumentKey: invitation.instrumentKey,
      instrumentVersion: invitation.instrumentVersion,
      personId: invitation.personId,
      sessionId: invitation.sessionId,
      courseId: invitation.courseId,
      enrichmentEventId: invitation.enrichmentEventId,
      schoolId: invitation.schoolId,
      answers,
      revision: 1,
      submittedAt: tx.now,
      updatedAt: tx.now,
    });
    await tx.manager.insert(SurveyResponse, response as never);
    await tx.manager.update(SurveyInvitation, { id: invitationId }, { status: 'responded', respondedAt: tx.now, updatedAt: tx.now });
  }
  await tx.manager.insert(SurveyResponseRevision, { responseId: response.id, revision: response.revision, answers: answers as never, recordedAt: tx.now });
  tx.record({
    type: EventTypes.SurveyResponded,
    aggregateType: 'survey_invitation',
    aggregateId: invitationId,
    payload: { invitationId, responseId: response.id, instrumentKey: invitation.instrumentKey, personId: invitation.personId, sessionId: invitation.sessionId, revision: response.revision },
  });
  return { response, edited };
}

export type { Answers };
