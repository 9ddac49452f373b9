import { Column, Entity, PrimaryColumn } from 'typeorm';
import { asNumber } from '../database/transformers.js';
import type { PostcodePrecision } from './locate.js';

export const AMBASSADOR_STATUSES = ['active', 'paused', 'left'] as const;
export type AmbassadorStatus = (typeof AMBASSADOR_STATUSES)[number];

/** DBS in England, Wales and Northern Ireland; PVG (Protecting Vulnerable Groups) in Scotland. */
export const CHECK_TYPES = ['DBS', 'PVG'] as const;
export type CheckType = (typeof CHECK_TYPES)[number];

/**
 * When an ambassador can go into schools: the weekdays they can usually do (ISO numbers,
 * Monday 1 … Sunday 7), and date ranges (inclusive, YYYY-MM-DD, London dates) they cannot.
 */
export interface Availability {
  weekdays: number[];
  unavailable: Array<{ from: string; to: string }>;
}

/** A STEM Ambassador: a volunteer from industry or research who visits schools. */
@Entity('ambassadors')
export class Ambassador {
  @PrimaryColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text') email: string;
  @Column('text', { nullable: true }) employer: string | null;
  @Column('text', { nullable: true }) sector: string | null;
  @Column('text', { array: true }) disciplines: string[];
  @Column('text', { array: true }) skills: string[];
  @Column('text', { name: 'key_stages', array: true }) keyStages: string[];
  @Column('text') postcode: string;
  @Column('double precision') latitude: number;
  @Column('double precision') longitude: number;
  /** How closely the position was placed from the postcode; null when it was given by hand. */
  @Column('text', { name: 'location_precision', nullable: true }) locationPrecision: PostcodePrecision | null;
  @Column('integer', { name: 'travel_radius_km' }) travelRadiusKm: number;
  @Column('jsonb') availability: Availability;
  @Column('boolean', { name: 'offers_virtual' }) offersVirtual: boolean;
  @Column('text') status: AmbassadorStatus;
  /** The safeguarding check: seen by admins and programme managers only; schools see "check valid". */
  @Column('text', { name: 'check_type', nullable: true }) checkType: CheckType | null;
  @Column('text', { name: 'check_number', nullable: true }) checkNumber: string | null;
  @Column('date', { name: 'check_checked_on', nullable: true }) checkCheckedOn: string | null;
  @Column('date', { name: 'check_expires_on', nullable: true }) checkExpiresOn: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

export const REQUEST_STATUSES = ['requested', 'matching', 'offered', 'filled', 'partially_filled', 'delivered', 'closed', 'expired', 'cancelled'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
/** A request in one of these takes no more answers and makes no more offers. */
export const FINISHED_REQUEST_STATUSES: readonly RequestStatus[] = ['delivered', 'closed', 'expired', 'cancelled'];

export const OFFER_STATUSES = ['offered', 'accepted', 'declined', 'expired', 'withdrawn'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

/** A school's request for ambassadors to come to an activity. */
@Entity('ambassador_requests')
export class AmbassadorRequest {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'school_id' }) schoolId: string;
  @Column('uuid', { name: 'cohort_id', nullable: true }) cohortId: string | null;
  @Column('text', { name: 'activity_type' }) activityType: string;
  @Column('timestamptz', { name: 'starts_at' }) startsAt: Date;
  @Column('timestamptz', { name: 'ends_at' }) endsAt: Date;
  @Column('text', { name: 'key_stages', array: true }) keyStages: string[];
  @Column('integer', { name: 'number_wanted' }) numberWanted: number;
  @Column('text', { name: 'skills_wanted', array: true }) skillsWanted: string[];
  @Column('boolean', { name: 'virtual_acceptable' }) virtualAcceptable: boolean;
  @Column('text', { nullable: true }) notes: string | null;
  @Column('text') status: RequestStatus;
  /** Why the request is short, in words, when matching has run out of people to ask. */
  @Column('text', { name: 'short_reason', nullable: true }) shortReason: string | null;
  @Column('timestamptz', { name: 'escalated_at', nullable: true }) escalatedAt: Date | null;
  @Column('text', { name: 'escalation_reason', nullable: true }) escalationReason: string | null;
  @Column('boolean', { nullable: true }) delivered: boolean | null;
  @Column('integer', { name: 'pupils_reached', nullable: true }) pupilsReached: number | null;
  @Column('text', { name: 'delivery_notes', nullable: true }) deliveryNotes: string | null;
  @Column('timestamptz', { name: 'delivery_confirmed_at', nullable: true }) deliveryConfirmedAt: Date | null;
  @Column('text', { name: 'cancelled_reason', nullable: true }) cancelledReason: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

/** One ambassador asked to come to one request. */
@Entity('ambassador_offers')
export class AmbassadorOffer {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'request_id' }) requestId: string;
  @Column('uuid', { name: 'ambassador_id' }) ambassadorId: string;
  @Column('integer') wave: number;
  @Column('text') status: OfferStatus;
  @Column('timestamptz', { name: 'offered_at' }) offeredAt: Date;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt: Date;
  @Column('timestamptz', { name: 'answered_at', nullable: true }) answeredAt: Date | null;
  @Column('text', { name: 'decline_reason', nullable: true }) declineReason: string | null;
  @Column('text', { name: 'withdrawn_reason', nullable: true }) withdrawnReason: string | null;
  @Column('double precision', { name: 'distance_km', nullable: true }) distanceKm: number | null;
  @Column('numeric', { name: 'hours_logged', nullable: true, transformer: asNumber }) hoursLogged: number | null;
  @Column('timestamptz', { name: 'hours_logged_at', nullable: true }) hoursLoggedAt: Date | null;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

export const OFFER_ANSWERS = ['accepted', 'declined', 'withdrew', 'too_late', 'hours_logged'] as const;
export type OfferAnswerKind = (typeof OFFER_ANSWERS)[number];

/** Every answer an ambassador gave to an offer, in order: the page can be reopened and changed. */
@Entity('offer_answers')
export class OfferAnswer {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'offer_id' }) offerId: string;
  @Column('text') answer: OfferAnswerKind;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('numeric', { nullable: true, transformer: asNumber }) hours: number | null;
  @Column('timestamptz', { name: 'answered_at' }) answeredAt: Date;
}
