import type { Transaction } from '../database/unit-of-work.js';
import { EventTypes } from '../events/event-types.js';
import { Conflict, InvalidInput, NotFound } from '../errors.js';
import { planBookingRules } from '../scheduling/planner.js';
import { actOnBooking } from './bookings.js';
import { CpdBooking, CpdSession } from './cpd.entities.js';

export interface SessionChange {
  startsAt: Date;
  endsAt: Date;
  venue: string | null;
  onlineUrl: string | null;
}

/** What the worker needs to tell everyone holding a place that the session moved. */
export interface SessionMovedPayload {
  sessionId: string;
  calendarSequence: number;
  from: { startsAt: string; endsAt: string; venue: string | null; onlineUrl: string | null };
}

async function lockOpenSession(tx: Transaction, sessionId: string): Promise<CpdSession> {
  const session = await tx.manager.findOne(CpdSession, { where: { id: sessionId }, lock: { mode: 'pessimistic_write' } });
  if (!session) throw new NotFound('Session', sessionId);
  if (session.cancelledAt) throw new Conflict('This session is cancelled');
  if (session.startsAt <= tx.now) throw new Conflict('This session has already started; it can no longer be moved or cancelled');
  return session;
}

/**
 * Moves a session to a new time or place. Everyone holding a place is told, with a calendar
 * update that replaces the entry they have (the worker reacts to the event), and the
 * reminders planned for their places move with the session.
 */
export async function moveSession(tx: Transaction, sessionId: string, change: SessionChange): Promise<CpdSession> {
  if (change.endsAt <= change.startsAt) throw new InvalidInput('A session must end after it starts', [{ field: 'endsAt', message: 'must be after startsAt' }]);
  if (!change.venue && !change.onlineUrl) throw new InvalidInput('A session needs a venue or an online link', [{ field: 'venue', message: 'or onlineUrl is required' }]);
  if (change.startsAt <= tx.now) throw new InvalidInput('A session can only move to a time still to come', [{ field: 'startsAt', message: 'must be in the future' }]);
  const session = await lockOpenSession(tx, sessionId);
  const from = { startsAt: session.startsAt.toISOString(), endsAt: session.endsAt.toISOString(), venue: session.venue, onlineUrl: session.onlineUrl };
  const same =
    session.startsAt.getTime() === change.startsAt.getTime() && session.endsAt.getTime() === change.endsAt.getTime() && session.venue === change.venue && session.onlineUrl === change.onlineUrl;
  if (same) return session;
  Object.assign(session, change, { calendarSequence: session.calendarSequence + 1, updatedAt: tx.now });
  await tx.manager.update(
    CpdSession,
    { id: session.id },
    { startsAt: session.startsAt, endsAt: session.endsAt, venue: session.venue, onlineUrl: session.onlineUrl, calendarSequence: session.calendarSequence, updatedAt: tx.now },
  );
  const confirmed = await tx.manager.find(CpdBooking, { where: { sessionId, status: 'confirmed' }, select: { id: true } });
  for (const booking of confirmed) await planBookingRules(tx, booking.id, ['before_session_start', 'after_session_end']);
  tx.record({
    type: EventTypes.SessionMoved,
    aggregateType: 'session',
    aggregateId: session.id,
    payload: { sessionId: session.id, calendarSequence: session.calendarSequence, from } satisfies SessionMovedPayload,
  });
  return session;
}

/**
 * Cancels a session: every live booking is cancelled with the reason (each person gets the
 * cancellation with its calendar cancellation, as for any cancelled booking), nobody waiting
 * is offered a place, and the session takes no more bookings.
 */
export async function cancelSession(tx: Transaction, sessionId: string, reason: string): Promise<CpdSession> {
  const session = await lockOpenSession(tx, sessionId);
  session.cancelledAt = tx.now;
  session.cancelledReason = reason;
  session.calendarSequence += 1;
  session.updatedAt = tx.now;
  await tx.manager.update(CpdSession, { id: session.id }, { cancelledAt: tx.now, cancelledReason: reason, calendarSequence: session.calendarSequence, updatedAt: tx.now });
  const live = await tx.manager
    .createQueryBuilder(CpdBooking, 'b')
    .select('b.id', 'id')
    .where('b.session_id = :sessionId', { sessionId })
    .andWhere(`b.status IN ('requested', 'confirmed', 'waitlisted', 'offered')`)
    .orderBy('b.id')
    .getRawMany<{ id: string }>();
  for (const { id } of live) await actOnBooking(tx, id, { type: 'cancel', reason: `the session was cancelled: ${reason}` });
  tx.record({ type: EventTypes.SessionCancelled, aggregateType: 'session', aggregateId: session.id, payload: { sessionId: session.id, reason, bookingsCancelled: live.length } });
  return session;
}
