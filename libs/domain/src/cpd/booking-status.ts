import { Conflict, DomainError } from '../errors.js';

/**
 * CPD booking statuses. Each has a class, whether it holds a place at the
 * session, and whether it expires. Every change of status, from any entry point, goes
 * through `transition`.
 */
export const BOOKING_STATUSES = ['requested', 'confirmed', 'waitlisted', 'offered', 'cancelled', 'attended', 'no_show'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

export type StatusClass = 'positive' | 'pending' | 'negative';

export const BOOKING_STATUS_RULES: Record<BookingStatus, { class: StatusClass; holdsPlace: boolean; expires: boolean }> = {
  requested: { class: 'pending', holdsPlace: false, expires: false },
  confirmed: { class: 'positive', holdsPlace: true, expires: false },
  waitlisted: { class: 'pending', holdsPlace: false, expires: false },
  // A place offered from the waitlist is held for the person until the offer expires.
  offered: { class: 'pending', holdsPlace: true, expires: true },
  cancelled: { class: 'negative', holdsPlace: false, expires: false },
  attended: { class: 'positive', holdsPlace: true, expires: false },
  no_show: { class: 'negative', holdsPlace: true, expires: false },
};

export type BookingAction =
  | { type: 'place'; placeFree: boolean }
  | { type: 'cancel'; reason?: string }
  | { type: 'offer'; expiresAt: Date }
  | { type: 'accept' }
  | { type: 'decline' }
  | { type: 'expire' }
  | { type: 'attend' }
  | { type: 'miss' };

export const BookingEventTypes = {
  Confirmed: 'booking.confirmed',
  Waitlisted: 'booking.waitlisted',
  PlaceOffered: 'booking.place_offered',
  Cancelled: 'booking.cancelled',
  OfferExpired: 'booking.offer_expired',
  Attended: 'booking.attended',
  NoShow: 'booking.no_show',
} as const;
export type BookingEventType = (typeof BookingEventTypes)[keyof typeof BookingEventTypes];

export interface BookingChange {
  from: BookingStatus;
  to: BookingStatus;
  /** +1 when the booking now holds a place it did not, -1 when it gave one up. */
  placeDelta: -1 | 0 | 1;
  offerExpiresAt: Date | null;
  reason: string | null;
  event: BookingEventType | null;
}

export class IllegalBookingTransition extends Conflict {
  constructor(from: BookingStatus, action: BookingAction['type']) {
    super(`A ${from.replace('_', '-')} booking cannot be ${PAST[action]}`);
  }
}

export class OfferExpired extends DomainError {
  readonly kind = 'gone' as const;
  constructor() {
    super('This place offer has expired and has passed to the next person on the waitlist');
  }
}

const PAST: Record<BookingAction['type'], string> = {
  place: 'placed',
  cancel: 'cancelled',
  offer: 'offered a place',
  accept: 'accepted',
  decline: 'declined',
  expire: 'expired',
  attend: 'marked attended',
  miss: 'marked as a no-show',
};

/** The one transition function: where a booking may go from here, and what that causes. */
export function transition(booking: { status: BookingStatus; offerExpiresAt: Date | null }, action: BookingAction, now: Date): BookingChange {
  const from = booking.status;
  const to = (status: BookingStatus, event: BookingEventType | null, reason: string | null = null, offerExpiresAt: Date | null = null): BookingChange => {
    const held = BOOKING_STATUS_RULES[from].holdsPlace;
    const holds = BOOKING_STATUS_RULES[status].holdsPlace;
    return { from, to: status, placeDelta: held === holds ? 0 : holds ? 1 : -1, offerExpiresAt, reason, event };
  };
  switch (action.type) {
    case 'place':
      if (from !== 'requested') break;
      return action.placeFree ? to('confirmed', BookingEventTypes.Confirmed) : to('waitlisted', BookingEventTypes.Waitlisted);
    case 'cancel':
      if (!['requested', 'confirmed', 'waitlisted', 'offered'].includes(from)) break;
      return to('cancelled', BookingEventTypes.Cancelled, action.reason ?? 'cancelled');
    case 'offer':
      if (from !== 'waitlisted') break;
      return to('offered', BookingEventTypes.PlaceOffered, null, action.expiresAt);
    case 'accept':
      if (from !== 'offered') break;
      if (booking.offerExpiresAt && booking.offerExpiresAt.getTime() <= now.getTime()) throw new OfferExpired();
      return to('confirmed', BookingEventTypes.Confirmed, 'accepted a place offered from the waitlist');
    case 'decline':
      if (from !== 'offered') break;
      return to('cancelled', BookingEventTypes.Cancelled, 'declined the place offered');
    case 'expire':
      if (from !== 'offered') break;
      if (booking.offerExpiresAt && booking.offerExpiresAt.getTime() > now.getTime()) break;
      return to('cancelled', BookingEventTypes.OfferExpired, 'the place offered was not taken up in time');
    case 'attend':
      // A corrected register may turn a no-show into an attendance.
      if (from !== 'confirmed' && from !== 'no_show') break;
      return to('attended', BookingEventTypes.Attended);
    case 'miss':
      if (from !== 'confirmed' && from !== 'attended') break;
      return to('no_show', BookingEventTypes.NoShow);
  }
  throw new IllegalBookingTransition(from, action.type);
}

/** CPD units as the programme counts them: 1 unit = 5 hours (003_def1d3e673f8defb.txt). */
export function cpdUnits(hours: number): number {
  return Math.round((hours / 5) * 100) / 100;
}
