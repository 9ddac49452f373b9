import type { EntityManager } from 'typeorm';
import { BOOKING_STATUS_RULES, BOOKING_STATUSES, consentForMany, type StatusClass } from '#domain';
import { NotificationKinds, purposeOf, TRANSACTIONAL_KINDS, type KindPurpose, type Notification, type NotificationKind } from '#notifications';

/**
 * What each kind of message depends on, re-read just before it goes: a reason to skip it,
 * or null to send. A kind without an entry always goes.
 */
type Precondition = (manager: EntityManager, notification: Notification) => Promise<string | null>;

const PRECONDITIONS: Partial<Record<NotificationKind, Precondition>> = {
  [NotificationKinds.SchoolWelcome]: async (manager, notification) => {
    const rows: unknown[] = await manager.query(`SELECT 1 FROM partnership_members WHERE id = $1 AND left_at IS NULL`, [notification.data.membershipId]);
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
 * The consent each kind of message needs, checked here and only here: its purpose
 * (purposeOf) decided by the purpose rule (PURPOSE_RULES, decidePurpose). Service messages
 * answer something the person did, so they always go.
 */
export function consentPurposeOf(kind: string): Exclude<KindPurpose, 'service'> | null {
  const purpose = purposeOf(kind);
  return purpose === 'service' ? null : purpose;
}

/**
 * Consent and preferences are honoured at send time: a withdrawal or opt-out made after
 * the decision still stops the message, and the ledger row keeps the reason. Asked for a
 * batch at once (one statement for consent, one for opt-outs), answered in order: a reason
 * to skip each, or null to send it.
 */
export async function reasonsNotToSend(manager: EntityManager, notifications: Notification[]): Promise<Array<string | null>> {
  const reasons: Array<string | null> = notifications.map(() => null);
  const asked = notifications.flatMap((n, i) => {
    const purpose = consentPurposeOf(n.kind);
    return purpose ? [{ i, purpose, email: n.recipientEmail }] : [];
  });
  const consents = await consentForMany(manager, asked);
  asked.forEach(({ i }, k) => {
    if (!consents[k].allowed) reasons[i] = consents[k].reason;
  });

  const nudges = notifications.flatMap((n, i) => (reasons[i] === null && !TRANSACTIONAL_KINDS.has(n.kind as NotificationKind) ? [{ i, n }] : []));
  if (nudges.length > 0) {
    const optedOut: Array<{ i: number }> = await manager.query(
      `SELECT q.i::int AS i FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS q(email, kind, i)
        WHERE EXISTS (SELECT 1 FROM communication_preferences p WHERE lower(p.email) = lower(q.email) AND (p.kind = q.kind OR p.kind = '*'))`,
      [nudges.map(({ n }) => n.recipientEmail), nudges.map(({ n }) => n.kind)],
    );
    for (const { i } of optedOut) reasons[nudges[i - 1].i] = 'the recipient has unsubscribed from these emails';
  }

  await Promise.all(
    notifications.map(async (n, i) => {
      const check = PRECONDITIONS[n.kind as NotificationKind];
      if (reasons[i] === null && check) reasons[i] = await check(manager, n);
    }),
  );
  return reasons;
}
