import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * queued → sending (leased) → sent | failed; `skipped`, with its skip_reason, when the
 * sender would not send it (the recipient objected to its purpose, has not said yes to one
 * that needs it, unsubscribed, or the state it depended on changed: a school left the
 * partnership before its welcome was sent), or when the decision itself found the person
 * had objected (a survey they were not asked to take).
 */
export const NOTIFICATION_STATUSES = ['queued', 'sending', 'sent', 'failed', 'skipped'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** One decision to tell someone something: the row anyone asking "did it go out?" reads. */
@Entity('notifications')
export class Notification {
  @PrimaryColumn('uuid')
  id: string;

  /** What makes this decision unique, e.g. `welcome:{partnership}:{school}`: a second decision is a no-op. */
  @Column('text', { name: 'idempotency_key', unique: true })
  idempotencyKey: string;

  @Column('text')
  kind: string;

  @Column('text', { name: 'recipient_email' })
  recipientEmail: string;

  @Column('text', { name: 'recipient_name', nullable: true })
  recipientName: string | null;

  @Column('jsonb')
  data: Record<string, unknown>;

  @Column('text')
  status: NotificationStatus;

  @Column('timestamptz', { name: 'not_before' })
  notBefore: Date;

  /** Real time (not the domain clock): a lease is about whether a worker is alive. */
  @Column('timestamptz', { name: 'lease_until', nullable: true })
  leaseUntil: Date | null;

  @Column('integer', { name: 'attempt_count' })
  attemptCount: number;

  @Column('text', { nullable: true })
  subject: string | null;

  /** The Message-ID header, derived from the notification id so a resend after a crash is recognisable. */
  @Column('text', { name: 'message_id' })
  messageId: string;

  @Column('text', { name: 'smtp_response', nullable: true })
  smtpResponse: string | null;

  @Column('text', { name: 'last_error', nullable: true })
  lastError: string | null;

  /** Why it was not sent, when its status is skipped (also in last_error, where readers looked before). */
  @Column('text', { name: 'skip_reason', nullable: true })
  skipReason: string | null;

  @Column('text', { name: 'request_id', nullable: true })
  requestId: string | null;

  /** Lower goes first when the send rate holds messages back (1 transactional … 9 bulk). */
  @Column('integer')
  priority: number;

  /** The notification this one sends again, when an admin asked for a resend. */
  @Column('uuid', { name: 'resend_of', nullable: true })
  resendOf: string | null;

  /** The programme the email is sent for, whose managers see it; null for mail about no programme (admins only). */
  @Column('uuid', { name: 'programme_id', nullable: true })
  programmeId: string | null;

  @Column('uuid', { name: 'cohort_id', nullable: true })
  cohortId: string | null;

  /** The partnership it concerns, whose lead sees it. */
  @Column('uuid', { name: 'partnership_id', nullable: true })
  partnershipId: string | null;

  /** The school it concerns: its current owners see it, as they see the school's history. */
  @Column('uuid', { name: 'school_id', nullable: true })
  schoolId: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;

  @Column('timestamptz', { name: 'sent_at', nullable: true })
  sentAt: Date | null;

  @Column('timestamptz', { name: 'failed_at', nullable: true })
  failedAt: Date | null;
}
