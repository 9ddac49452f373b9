import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Answers, InstrumentKey } from './instruments.js';

export const INVITATION_STATUSES = ['invited', 'responded', 'expired'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

/**
 * One person asked to answer one instrument about one thing (a booking's session, an
 * enrichment event). "Did it go out, and did they answer?" is this row.
 */
@Entity('survey_invitations')
export class SurveyInvitation {
  @PrimaryColumn('uuid') id: string;
  /** Unique per decision to invite: `cpd-feedback:booking:{id}`, so deciding twice invites once. */
  @Column('text', { unique: true }) key: string;
  @Column('text', { name: 'instrument_key' }) instrumentKey: InstrumentKey;
  @Column('integer', { name: 'instrument_version' }) instrumentVersion: number;
  /** The campaign it belongs to (post-CPD feedback, impact, enrichment feedback). */
  @Column('text') purpose: string;
  @Column('uuid', { name: 'person_id' }) personId: string;
  @Column('uuid', { name: 'booking_id', nullable: true }) bookingId: string | null;
  @Column('uuid', { name: 'session_id', nullable: true }) sessionId: string | null;
  @Column('uuid', { name: 'course_id', nullable: true }) courseId: string | null;
  @Column('uuid', { name: 'enrichment_event_id', nullable: true }) enrichmentEventId: string | null;
  @Column('uuid', { name: 'school_id', nullable: true }) schoolId: string | null;
  @Column('uuid', { name: 'partnership_id', nullable: true }) partnershipId: string | null;
  @Column('uuid', { name: 'cohort_id', nullable: true }) cohortId: string | null;
  @Column('text') email: string;
  @Column('timestamptz', { name: 'opens_at' }) opensAt: Date;
  /** When answering (and editing an answer) ends. */
  @Column('timestamptz', { name: 'expires_at' }) expiresAt: Date;
  @Column('integer', { name: 'reminders_sent' }) remindersSent: number;
  @Column('timestamptz', { name: 'last_reminded_at', nullable: true }) lastRemindedAt: Date | null;
  @Column('text') status: InvitationStatus;
  @Column('timestamptz', { name: 'responded_at', nullable: true }) respondedAt: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

/** The answers to one invitation, stored against the person, the session and the school. */
@Entity('survey_responses')
export class SurveyResponse {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'invitation_id', unique: true }) invitationId: string;
  @Column('text', { name: 'instrument_key' }) instrumentKey: InstrumentKey;
  @Column('integer', { name: 'instrument_version' }) instrumentVersion: number;
  @Column('uuid', { name: 'person_id' }) personId: string;
  @Column('uuid', { name: 'session_id', nullable: true }) sessionId: string | null;
  @Column('uuid', { name: 'course_id', nullable: true }) courseId: string | null;
  @Column('uuid', { name: 'enrichment_event_id', nullable: true }) enrichmentEventId: string | null;
  @Column('uuid', { name: 'school_id', nullable: true }) schoolId: string | null;
  @Column('jsonb') answers: Answers;
  /** 1 for the first submission; each edit adds one and keeps the answers it replaced as history. */
  @Column('integer') revision: number;
  @Column('timestamptz', { name: 'submitted_at' }) submittedAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

@Entity('survey_response_revisions')
export class SurveyResponseRevision {
  @PrimaryColumn('uuid', { name: 'response_id' }) responseId: string;
  @PrimaryColumn('integer') revision: number;
  @Column('jsonb') answers: Answers;
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt: Date;
}
