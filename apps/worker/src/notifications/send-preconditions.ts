import type { EntityManager } from 'typeorm';
import { BOOKING_STATUS_RULES, BOOKING_STATUSES, CONSENT_PURPOSE_NAMES, consentFor, type ConsentPurpose, type StatusClass } from '#domain';
import { NotificationKinds, TRANSACTIONAL_KINDS, type Notification, type NotificationKind } from '#notifications';

/**
 * What each kind of message depends on, re-read just before it goes (DESIGN.md §3, step
 * 4): a reason to skip it, or null to send. A kind without an entry always goes.
 */
type Precondition = (manager: EntityManager, notification: Notification) => Promise<string | null>;

const PRECONDITIONS: Partial<Record<NotificationKind, Precondition>> = {
  [NotificationKinds.SchoolWelcome]: async (manager, notification) => {
    const rows: unknown[] = await manager.query(`SELECT 1 FROM partnership_members WHERE id = $1 AND left_at IS NULL`, [
      notification.data.membershipId,
    ]);
    return rows.length === 0 ? 'the school left the partnership before its welcome was sent' : null;
  },
  [NotificationKinds.BookingConfirmed]: (manager, n) => bookingIs(manager, n, ['confirmed', 'attended'], 'the booking was cancelled before its confirmation went'),
  [NotificationKinds.PlaceOffered]: (manager, n) => bookingIs(manager, n, ['offered'], 'the offer was answered or expired before it went'),
  // A reminder rule names the status classes it is for (a follow-up after the session is for attended bookings).
  [NotificationKinds.SessionReminder]: (manager, n) => {
    const classes = Array.isArray(n.data.audience) ? (n.data.audience as StatusClass[]) : ['positive'];
    const statuses = BOOKING_STATUSES.filter((s) => classes.includes(BOOKING_STATUS_RULES[s].class));
    return bookingIs(manager, n, statuses, 'the booking is no longer one this reminder is for');
  },
  [NotificationKinds.SurveyInvitation]: (manager, n) => surveyStillWanted(manager, n, ['invited', 'responded']),
  [NotificationKinds.SurveyReminder]: (manager, n) => surveyStillWanted(manager, n, ['invited']),
  [NotificationKinds.SelfEvaluationReminder]: async (manager, n) => {
    const rows: unknown[] = await manager.query(`SELECT 1 FROM self_evaluations WHERE id = $1 AND status <> 'submitted'`, [n.data.selfEvaluationId]);
    return rows.length === 0 ? 'the school submitted its self-evaluation before the reminder went' : null;
  },
};

/** A survey email goes only about a survey still open to them (their consent is checked for every kind, below). */
async function surveyStillWanted(manager: EntityManager, notification: Notification, statuses: string[]): Promise<string | null> {
  const [row]: Array<{ status: string }> = await manager.query(`SELECT i.status FROM survey_invitations i WHERE i.id = $1`, [notification.data.invitationId]);
  if (!row) return 'the survey invitation is gone';
  if (!statuses.includes(row.status)) return row.status === 'responded' ? 'the person has already responded' : 'the survey has closed';
  return null;
}

async function bookingIs(manager: EntityManager, notification: Notification, statuses: string[], reason: string): Promise<string | null> {
  const rows: unknown[] = await manager.query(`SELECT 1 FROM cpd_bookings WHERE id = $1 AND status = ANY($2::text[])`, [notification.data.bookingId, statuses]);
  return rows.length === 0 ? reason : null;
}

/**
 * The consent each kind of message needs, checked here and only here. Survey invitations
 * and reminders need consent to surveys; every other nudge is a programme communication.
 * Transactional mail (TRANSACTIONAL_KINDS: a booking confirmation, a fresh link they asked
 * for, the team an ambassador request gets) is the direct answer to something the person
 * did, so it needs no consent beyond their own action and always goes.
 */
export function consentPurposeOf(kind: string): ConsentPurpose | null {
  if (TRANSACTIONAL_KINDS.has(kind as NotificationKind)) return null;
  if (kind === NotificationKinds.SurveyInvitation || kind === NotificationKinds.SurveyReminder) return 'surveys';
  return 'programme_communications';
}

/**
 * Consent and preferences are honoured at send time: a withdrawal or opt-out made after
 * the decision still stops the message, and the ledger row keeps the reason.
 */
export async function reasonNotToSend(manager: EntityManager, notification: Notification): Promise<string | null> {
  const purpose = consentPurposeOf(notification.kind);
  if (purpose) {
    const consent = await consentFor(manager, { email: notification.recipientEmail }, purpose);
    if (!consent.granted) {
      return consent.withdrawn ? `the recipient has withdrawn consent to ${CONSENT_PURPOSE_NAMES[purpose]}` : `the recipient has not agreed to ${CONSENT_PURPOSE_NAMES[purpose]}`;
    }
  }
  if (!TRANSACTIONAL_KINDS.has(notification.kind as NotificationKind)) {
    const optedOut: unknown[] = await manager.query(
      `SELECT 1 FROM communication_preferences WHERE lower(email) = lower($1) AND (kind = $2 OR kind = '*')`,
      [notification.recipientEmail, notification.kind],
    );
    if (optedOut.length > 0) return 'the recipient has unsubscribed from these emails';
  }
  const check = PRECONDITIONS[notification.kind as NotificationKind];
  return check ? check(manager, notification) : null;
}
