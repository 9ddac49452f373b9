import { BOOKING_STATUSES, IllegalBookingTransition, OfferExpired, cpdUnits, transition, type BookingAction, type BookingStatus } from './booking-status.js';

const now = new Date('2026-10-01T09:00:00Z');
const later = new Date('2026-10-03T09:00:00Z');
const booking = (status: BookingStatus, offerExpiresAt: Date | null = null) => ({ status, offerExpiresAt });

describe('the booking transition function', () => {
  it('places a new request: confirmed when a place is free, waitlisted when not', () => {
    expect(transition(booking('requested'), { type: 'place', placeFree: true }, now)).toMatchObject({ to: 'confirmed', placeDelta: 1, event: 'booking.confirmed' });
    expect(transition(booking('requested'), { type: 'place', placeFree: false }, now)).toMatchObject({ to: 'waitlisted', placeDelta: 0, event: 'booking.waitlisted' });
  });

  it('frees the place when a confirmed or offered booking is cancelled', () => {
    expect(transition(booking('confirmed'), { type: 'cancel' }, now)).toMatchObject({ to: 'cancelled', placeDelta: -1 });
    expect(transition(booking('offered', later), { type: 'cancel' }, now)).toMatchObject({ to: 'cancelled', placeDelta: -1 });
    expect(transition(booking('waitlisted'), { type: 'cancel' }, now)).toMatchObject({ to: 'cancelled', placeDelta: 0 });
  });

  it('holds a place for an offer, until it is accepted, declined or expires', () => {
    expect(transition(booking('waitlisted'), { type: 'offer', expiresAt: later }, now)).toMatchObject({ to: 'offered', placeDelta: 1, offerExpiresAt: later });
    expect(transition(booking('offered', later), { type: 'accept' }, now)).toMatchObject({ to: 'confirmed', placeDelta: 0 });
    expect(transition(booking('offered', later), { type: 'decline' }, now)).toMatchObject({ to: 'cancelled', placeDelta: -1 });
    expect(transition(booking('offered', now), { type: 'expire' }, later)).toMatchObject({ to: 'cancelled', placeDelta: -1, event: 'booking.offer_expired' });
  });

  it('refuses to accept an offer after it expired, and to expire one that has not', () => {
    expect(() => transition(booking('offered', now), { type: 'accept' }, later)).toThrow(OfferExpired);
    expect(() => transition(booking('offered', later), { type: 'expire' }, now)).toThrow(IllegalBookingTransition);
  });

  it('records attendance on confirmed bookings, and lets a register be corrected', () => {
    expect(transition(booking('confirmed'), { type: 'attend' }, now)).toMatchObject({ to: 'attended', placeDelta: 0 });
    expect(transition(booking('confirmed'), { type: 'miss' }, now)).toMatchObject({ to: 'no_show', placeDelta: 0 });
    expect(transition(booking('no_show'), { type: 'attend' }, now)).toMatchObject({ to: 'attended' });
    expect(transition(booking('attended'), { type: 'miss' }, now)).toMatchObject({ to: 'no_show' });
  });

  const legal: Record<BookingStatus, Array<BookingAction['type']>> = {
    requested: ['place', 'cancel'],
    confirmed: ['cancel', 'attend', 'miss'],
    waitlisted: ['cancel', 'offer'],
    offered: ['cancel', 'accept', 'decline', 'expire'],
    cancelled: [],
    attended: ['miss'],
    no_show: ['attend'],
  };
  const actions: BookingAction[] = [
    { type: 'place', placeFree: true },
    { type: 'cancel' },
    { type: 'offer', expiresAt: later },
    { type: 'accept' },
    { type: 'decline' },
    { type: 'expire' },
    { type: 'attend' },
    { type: 'miss' },
  ];
  for (const status of BOOKING_STATUSES) {
    for (const action of actions) {
      const allowed = legal[status].includes(action.type);
      it(`${allowed ? 'allows' : 'refuses'} ${action.type} from ${status}`, () => {
        // An offer that is still open cannot expire; one that has lapsed cannot be accepted.
        const subject = booking(status, action.type === 'expire' ? now : later);
        const run = () => transition(subject, action, action.type === 'expire' ? later : now);
        if (allowed) expect(run().from).toBe(status);
        else expect(run).toThrow(IllegalBookingTransition);
      });
    }
  }

  it('counts CPD units as hours / 5', () => {
    expect(cpdUnits(5)).toBe(1);
    expect(cpdUnits(12.5)).toBe(2.5);
    expect(cpdUnits(3)).toBe(0.6);
  });
});
