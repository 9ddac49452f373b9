import { randomUUID } from 'node:crypto';
import type { Transaction } from '../database/unit-of-work.js';
import { Conflict, InvalidInput, NotFound } from '../errors.js';
import { actOnBooking } from './bookings.js';
import { CpdBooking, CpdCourse, CpdRecord, CpdSession } from './cpd.entities.js';

export interface RegisterOutcome {
  attended: number;
  noShow: number;
  unchanged: number;
  /** Attendances already recorded whose hours the register corrected. */
  hoursCorrected: number;
}

/**
 * Records a session's register in one go. The same register twice changes nothing; a
 * corrected one moves people between attended and no-show. An attendance writes the hours
 * into the one CPD ledger (channel "central"): the course's hours, or those the register gives
 * for the person (who left at lunch); a correction to no-show takes them out.
 */
export async function recordRegister(tx: Transaction, sessionId: string, attendedIds: string[], noShowIds: string[], hoursOf: Record<string, number> = {}): Promise<RegisterOutcome> {
  const overlap = attendedIds.filter((id) => noShowIds.includes(id));
  if (overlap.length > 0)
    throw new InvalidInput(
      'A booking cannot be both attended and a no-show',
      overlap.map((id) => ({ field: 'noShow', message: `${id} is also in attended` })),
    );
  const session = await tx.manager.findOne(CpdSession, { where: { id: sessionId }, lock: { mode: 'pessimistic_write' } });
  if (!session) throw new NotFound('Session', sessionId);
  if (session.startsAt > tx.now) throw new Conflict('The register can be recorded once the session has started');
  const course = await tx.manager.findOneByOrFail(CpdCourse, { id: session.courseId });
  const wanted = new Map<string, 'attended' | 'no_show'>([...attendedIds.map((id) => [id, 'attended'] as const), ...noShowIds.map((id) => [id, 'no_show'] as const)]);
  const bookings = wanted.size
    ? await tx.manager
        .createQueryBuilder(CpdBooking, 'b')
        .where('b.id IN (:...ids)', { ids: [...wanted.keys()] })
        .getMany()
    : [];
  const problems = [...wanted.keys()]
    .map((id) => {
      const booking = bookings.find((b) => b.id === id);
      if (!booking || booking.sessionId !== sessionId) return { field: 'bookings', message: `${id} is not a booking for this session` };
      if (!['confirmed', 'attended', 'no_show'].includes(booking.status)) return { field: 'bookings', message: `${id} is ${booking.status}, not a confirmed place` };
      return null;
    })
    .filter((p): p is { field: string; message: string } => p !== null);
  if (problems.length > 0) throw new InvalidInput('Only confirmed places can go on the register', problems);

  const strays = Object.keys(hoursOf).filter((id) => wanted.get(id) !== 'attended');
  if (strays.length > 0)
    throw new InvalidInput(
      'Hours are recorded only for those who attended',
      strays.map((id) => ({ field: 'hours', message: `${id} is not in attended` })),
    );

  const outcome: RegisterOutcome = { attended: 0, noShow: 0, unchanged: 0, hoursCorrected: 0 };
  for (const booking of bookings.sort((a, b) => a.id.localeCompare(b.id))) {
    const target = wanted.get(booking.id)!;
    const hours = hoursOf[booking.id] ?? course.hours;
    if (booking.status === target) {
      outcome.unchanged += 1;
      if (target === 'attended' && hoursOf[booking.id] !== undefined) {
        const [, corrected]: [unknown, number] = await tx.manager.query(`UPDATE cpd_records SET hours = $1 WHERE booking_id = $2 AND hours <> $1`, [hours, booking.id]);
        outcome.hoursCorrected += corrected;
      }
      continue;
    }
    await actOnBooking(tx, booking.id, { type: target === 'attended' ? 'attend' : 'miss' });
    if (target === 'attended') {
      outcome.attended += 1;
      await tx.manager.query(
        `INSERT INTO cpd_records (id, person_id, school_id, partnership_id, booking_id, course_id, channel, subject, title, hours, occurred_on, provider, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'central', $7, $8, $9, ($10::timestamptz AT TIME ZONE 'Europe/London')::date, $11, $12)
         ON CONFLICT (booking_id) DO NOTHING`,
        [randomUUID(), booking.personId, booking.schoolId, booking.partnershipId, booking.id, course.id, course.subject, course.title, hours, session.startsAt, course.provider, tx.now],
      );
    } else {
      outcome.noShow += 1;
      await tx.manager.delete(CpdRecord, { bookingId: booking.id });
    }
  }
  return outcome;
}
