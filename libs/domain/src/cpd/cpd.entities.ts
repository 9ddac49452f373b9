import { Column, Entity, PrimaryColumn } from 'typeorm';
import { asNumber } from '../database/transformers.js';
import type { BookingStatus } from './booking-status.js';
import type { CpdChannel, CpdFormat, CpdSubject } from './cpd-vocabulary.js';

@Entity('cpd_courses')
export class CpdCourse {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'programme_id' }) programmeId: string;
  @Column('text') title: string;
  @Column('text') subject: CpdSubject;
  @Column('text') format: CpdFormat;
  @Column('numeric', { transformer: asNumber }) hours: number;
  /** What one place costs the partnership's budget, in pence. */
  @Column('integer', { name: 'cost_pence' }) costPence: number;
  @Column('text', { nullable: true }) provider: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

@Entity('cpd_sessions')
export class CpdSession {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'course_id' }) courseId: string;
  @Column('timestamptz', { name: 'starts_at' }) startsAt: Date;
  @Column('timestamptz', { name: 'ends_at' }) endsAt: Date;
  @Column('text', { nullable: true }) venue: string | null;
  @Column('text', { name: 'online_url', nullable: true }) onlineUrl: string | null;
  @Column('integer') capacity: number;
  /** Places held by bookings (confirmed, offered, attended, no-show); changed only by the capacity rule. */
  @Column('integer', { name: 'places_taken' }) placesTaken: number;
  @Column('integer', { name: 'offer_hours' }) offerHours: number;
  /** Raised by every move or cancellation, so each booking's calendar entry is replaced, not doubled. */
  @Column('integer', { name: 'calendar_sequence', default: 0 }) calendarSequence: number;
  @Column('timestamptz', { name: 'cancelled_at', nullable: true }) cancelledAt: Date | null;
  @Column('text', { name: 'cancelled_reason', nullable: true }) cancelledReason: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

@Entity('cpd_bookings')
export class CpdBooking {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'session_id' }) sessionId: string;
  @Column('uuid', { name: 'person_id' }) personId: string;
  @Column('uuid', { name: 'school_id', nullable: true }) schoolId: string | null;
  /** The partnership whose budget pays for the place, when the school is in one. */
  @Column('uuid', { name: 'partnership_id', nullable: true }) partnershipId: string | null;
  @Column('text') status: BookingStatus;
  @Column('text', { name: 'status_reason', nullable: true }) statusReason: string | null;
  /** Waitlist order: first come, first offered. */
  @Column('timestamptz', { name: 'queued_at' }) queuedAt: Date;
  @Column('timestamptz', { name: 'offer_expires_at', nullable: true }) offerExpiresAt: Date | null;
  @Column('integer', { name: 'cost_pence' }) costPence: number;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

/** An entry of CPD hours, from any channel: attendance at a booked session, local, third-party, coaching. */
@Entity('cpd_records')
export class CpdRecord {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'person_id' }) personId: string;
  @Column('uuid', { name: 'school_id', nullable: true }) schoolId: string | null;
  @Column('uuid', { name: 'partnership_id', nullable: true }) partnershipId: string | null;
  @Column('uuid', { name: 'booking_id', nullable: true }) bookingId: string | null;
  @Column('uuid', { name: 'course_id', nullable: true }) courseId: string | null;
  @Column('text') channel: CpdChannel;
  @Column('text') subject: CpdSubject;
  @Column('text') title: string;
  @Column('numeric', { transformer: asNumber }) hours: number;
  @Column('date', { name: 'occurred_on' }) occurredOn: string;
  @Column('text', { nullable: true }) provider: string | null;
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt: Date;
}

export const BUDGET_ENTRY_KINDS = ['commitment', 'release', 'spend', 'override'] as const;
export type BudgetEntryKind = (typeof BUDGET_ENTRY_KINDS)[number];

/** A line of a partnership's budget ledger; the balance is the sum, never a stored figure. */
@Entity('budget_entries')
export class BudgetEntry {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'partnership_id' }) partnershipId: string;
  @Column('text') kind: BudgetEntryKind;
  /** Positive for commitments and spend; negative for releases; an override adds budget. */
  @Column('bigint', { name: 'amount_pence', transformer: asNumber }) amountPence: number;
  @Column('uuid', { name: 'booking_id', nullable: true }) bookingId: string | null;
  @Column('uuid', { name: 'school_id', nullable: true }) schoolId: string | null;
  @Column('text', { nullable: true }) channel: string | null;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt: Date;
}
