import { randomUUID } from 'node:crypto';
import type { Transaction } from '../database/unit-of-work.js';
import { Conflict, NotFound } from '../errors.js';
import { commitBudget, recordBudgetLine } from '../partnerships/budget.js';
import { Person } from '../people/person.entity.js';
import { DEFAULT_WORKFLOW_POLICY, policyWithDefaults, type WorkflowPolicy } from '../programmes/workflow-policy.js';
import { planBookingRules } from '../scheduling/planner.js';
import { cancelPlannedActions, planAction, ScheduledActionKinds } from '../scheduling/schedule.js';
import { transition, type BookingAction, type BookingChange } from './booking-status.js';
import { CpdBooking, CpdCourse, CpdSession } from './cpd.entities.js';

/**
 * Everything that happens to a CPD booking, for the API and the worker alike. Each call
 * runs inside the caller's unit of work and takes the session's row lock first, so places
 * are counted under one lock (capacity holds under concurrency) and locks are always
 * taken in the same order: session, then partnership budget, then booking.
 */

export class AlreadyBooked extends Conflict {
  constructor(name: string) {
    super(`${name} already has a booking for this session`);
  }
}

export interface BookingPayload {
  bookingId: string;
  sessionId: string;
  personId: string;
  schoolId: string | null;
  partnershipId: string | null;
  from: string;
  to: string;
  reason: string | null;
  offerExpiresAt: string | null;
}

async function lockSession(tx: Transaction, sessionId: string): Promise<CpdSession> {
  const session = await tx.manager.findOne(CpdSession, { where: { id: sessionId }, lock: { mode: 'pessimistic_write' } });
  if (!session) throw new NotFound('Session', sessionId);
  return session;
}

/** The partnership that pays: the person's school's current partnership in a cohort of the course's programme. */
async function payingPartnership(tx: Transaction, schoolId: string | null, programmeId: string): Promise<{ partnershipId: string; policy: WorkflowPolicy } | null> {
  if (!schoolId) return null;
  const [row]: Array<{ partnership_id: string; workflow_policy: WorkflowPolicy }> = await tx.manager.query(
    `SELECT m.partnership_id, c.workflow_policy FROM partnership_members m
       JOIN partnerships p ON p.id = m.partnership_id JOIN cohorts c ON c.id = p.cohort_id
      WHERE m.school_id = $1 AND m.left_at IS NULL AND c.programme_id = $2
      ORDER BY c.starts_on DESC LIMIT 1`,
    [schoolId, programmeId],
  );
  return row ? { partnershipId: row.partnership_id, policy: policyWithDefaults(row.workflow_policy) } : null;
}

async function policyFor(tx: Transaction, booking: CpdBooking): Promise<WorkflowPolicy> {
  if (!booking.partnershipId) return DEFAULT_WORKFLOW_POLICY;
  const [row]: Array<{ workflow_policy: WorkflowPolicy }> = await tx.manager.query(`SELECT c.workflow_policy FROM partnerships p JOIN cohorts c ON c.id = p.cohort_id WHERE p.id = $1`, [
    booking.partnershipId,
  ]);
  return policyWithDefaults(row?.workflow_policy);
}

/**
 * A person asks for a place: confirmed if one is free (and the budget allows), else
 * waitlisted. What does not depend on the places left is read before the session's lock
 * is taken, so that concurrent requests queue on the lock for as short a time as possible;
 * two requests by the same person at once are settled by the unique index on live bookings.
 */
export async function requestPlace(tx: Transaction, sessionId: string, personId: string): Promise<CpdBooking> {
  const found = await tx.manager.findOneBy(CpdSession, { id: sessionId });
  if (!found) throw new NotFound('Session', sessionId);
  if (found.cancelledAt) throw new Conflict('This session is cancelled; book another one');
  if (found.startsAt <= tx.now) throw new Conflict('This session has already started; book a later one');
  const [course, person] = await Promise.all([tx.manager.findOneByOrFail(CpdCourse, { id: found.courseId }), tx.manager.findOneBy(Person, { id: personId })]);
  if (!person) throw new NotFound('Person', personId);
  const live: unknown[] = await tx.manager.query(`SELECT 1 FROM cpd_bookings WHERE session_id = $1 AND person_id = $2 AND status <> 'cancelled'`, [sessionId, personId]);
  if (live.length > 0) throw new AlreadyBooked(person.name);
  const paying = await payingPartnership(tx, person.schoolId, course.programmeId);

  const session = await lockSession(tx, sessionId);
  const booking = tx.manager.create(CpdBooking, {
    id: randomUUID(),
    sessionId,
    personId,
    schoolId: person.schoolId,
    partnershipId: paying?.partnershipId ?? null,
    status: 'requested',
    statusReason: null,
    queuedAt: tx.now,
    offerExpiresAt: null,
    costPence: course.costPence,
    createdAt: tx.now,
    updatedAt: tx.now,
  });
  const change = transition(booking, { type: 'place', placeFree: session.placesTaken < session.capacity }, tx.now);
  // The request is written already placed: one insert, and one history line "requested → …".
  await apply(tx, session, booking, change, true);
  return booking;
}

/** Any later action on a booking: cancel, accept or decline an offer, expire it, attend, miss. */
export async function actOnBooking(tx: Transaction, bookingId: string, action: BookingAction): Promise<CpdBooking> {
  const found = await tx.manager.findOneBy(CpdBooking, { id: bookingId });
  if (!found) throw new NotFound('Booking', bookingId);
  const session = await lockSession(tx, found.sessionId);
  const booking = await tx.manager.findOneOrFail(CpdBooking, { where: { id: bookingId }, lock: { mode: 'pessimistic_write' } });
  const change = transition(booking, action, tx.now);
  await apply(tx, session, booking, change);
  return booking;
}

async function apply(tx: Transaction, session: CpdSession, booking: CpdBooking, change: BookingChange, isNew = false): Promise<void> {
  const wasConfirmed = change.from === 'confirmed';
  const becomesConfirmed = change.to === 'confirmed';

  booking.status = change.to;
  booking.statusReason = change.reason;
  booking.offerExpiresAt = change.offerExpiresAt;
  booking.updatedAt = tx.now;
  if (isNew) await insertPlaced(tx, session, booking, change);
  else await tx.manager.update(CpdBooking, { id: booking.id }, { status: booking.status, statusReason: booking.statusReason, offerExpiresAt: booking.offerExpiresAt, updatedAt: tx.now });
  // A confirmation the budget cannot cover throws here and the whole transaction rolls back.
  if (becomesConfirmed && booking.partnershipId) {
    await commitBudget(tx.manager, { partnershipId: booking.partnershipId, amountPence: booking.costPence, bookingId: booking.id, schoolId: booking.schoolId, channel: 'central' }, tx.now);
  }
  if (wasConfirmed && change.to === 'cancelled' && booking.partnershipId) {
    await recordBudgetLine(
      tx.manager,
      { partnershipId: booking.partnershipId, kind: 'release', amountPence: -booking.costPence, bookingId: booking.id, schoolId: booking.schoolId, channel: 'central', reason: change.reason },
      tx.now,
    );
  }
  // The register turns a commitment into spend, whether the person came or not: the place was paid for.
  if (wasConfirmed && (change.to === 'attended' || change.to === 'no_show') && booking.partnershipId) {
    await recordBudgetLine(
      tx.manager,
      { partnershipId: booking.partnershipId, kind: 'release', amountPence: -booking.costPence, bookingId: booking.id, schoolId: booking.schoolId, channel: 'central', reason: 'register recorded' },
      tx.now,
    );
    await recordBudgetLine(
      tx.manager,
      { partnershipId: booking.partnershipId, kind: 'spend', amountPence: booking.costPence, bookingId: booking.id, schoolId: booking.schoolId, channel: 'central' },
      tx.now,
    );
  }

  if (!isNew) {
    if (change.placeDelta !== 0) {
      session.placesTaken += change.placeDelta;
      await tx.manager.update(CpdSession, { id: session.id }, { placesTaken: session.placesTaken });
    }
    await history(tx, booking.id, change.from, change.to, change.reason);
  }
  if (change.event) {
    tx.record({
      type: change.event,
      aggregateType: 'booking',
      aggregateId: booking.id,
      payload: {
        bookingId: booking.id,
        sessionId: booking.sessionId,
        personId: booking.personId,
        schoolId: booking.schoolId,
        partnershipId: booking.partnershipId,
        from: change.from,
        to: change.to,
        reason: change.reason,
        offerExpiresAt: change.offerExpiresAt?.toISOString() ?? null,
      } satisfies BookingPayload,
    });
  }

  // Reminders for a confirmed place are planned by the worker when it reacts to
  // booking.confirmed: the booking's transaction, which holds the session's lock, stays short.
  // After-session messages stay planned for attended and no-show bookings: each rule's audience decides at send time.
  if (change.to === 'cancelled') await cancelPlannedActions(tx.manager, 'booking', booking.id, 'booking cancelled', tx.now);
  if (change.to === 'attended') await planBookingRules(tx, booking.id, ['after_attendance']);
  if (change.to === 'offered' && change.offerExpiresAt) {
    await planAction(
      tx.manager,
      {
        kind: ScheduledActionKinds.ExpireOffer,
        key: `expire-offer:${booking.id}:${change.offerExpiresAt.toISOString()}`,
        subjectType: 'booking',
        subjectId: booking.id,
        dueAt: change.offerExpiresAt,
      },
      tx.now,
    );
  }
  // A place came free: the first person waiting is offered it.
  if (change.placeDelta === -1 && session.startsAt > tx.now) await offerNextPlace(tx, session);
}

async function offerNextPlace(tx: Transaction, session: CpdSession): Promise<void> {
  if (session.placesTaken >= session.capacity || session.cancelledAt) return;
  const next = await tx.manager.findOne(CpdBooking, { where: { sessionId: session.id, status: 'waitlisted' }, order: { queuedAt: 'ASC', id: 'ASC' }, lock: { mode: 'pessimistic_write' } });
  if (!next) return;
  const policy = await policyFor(tx, next);
  const hours = Math.min(session.offerHours, policy.cpd.offerHours);
  // An offer never outlives the session it is for.
  const expiresAt = new Date(Math.min(tx.now.getTime() + hours * 3_600_000, session.startsAt.getTime()));
  await apply(tx, session, next, transition(next, { type: 'offer', expiresAt }, tx.now));
}

/**
 * A new booking, its first history line and the session's places taken, in one statement:
 * this runs under the session's lock, and every statement there is time that everyone else
 * booking the same session waits.
 */
async function insertPlaced(tx: Transaction, session: CpdSession, booking: CpdBooking, change: BookingChange): Promise<void> {
  const [insert, params] = tx.manager.createQueryBuilder().insert().into(CpdBooking).values(booking).returning('id').getQueryAndParameters();
  const at = (i: number) => `$${params.length + i}`;
  const places = change.placeDelta !== 0 ? `, places AS (UPDATE cpd_sessions SET places_taken = ${at(6)} WHERE id = ${at(7)})` : '';
  session.placesTaken += change.placeDelta;
  await tx.manager.query(
    `WITH booking AS (${insert}),
          line AS (INSERT INTO cpd_booking_history (id, booking_id, from_status, to_status, reason, at) SELECT ${at(1)}, id, ${at(2)}, ${at(3)}, ${at(4)}, ${at(5)} FROM booking)${places}
     SELECT 1`,
    [...params, randomUUID(), change.from, change.to, change.reason, tx.now, ...(places ? [session.placesTaken, session.id] : [])],
  );
}

async function history(tx: Transaction, bookingId: string, from: string | null, to: string, reason: string | null): Promise<void> {
  await tx.manager.query(`INSERT INTO cpd_booking_history (id, booking_id, from_status, to_status, reason, at) VALUES ($1, $2, $3, $4, $5, $6)`, [randomUUID(), bookingId, from, to, reason, tx.now]);
}
