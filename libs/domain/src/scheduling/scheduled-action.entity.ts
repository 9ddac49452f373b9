import { Column, Entity, PrimaryColumn } from 'typeorm';

export const SCHEDULED_ACTION_STATUSES = ['planned', 'claimed', 'done', 'cancelled', 'superseded'] as const;
export type ScheduledActionStatus = (typeof SCHEDULED_ACTION_STATUSES)[number];

/**
 * Work due at a time, written when the decision is made: "expire the offer
 * for booking B at 09:00 on Friday". The ticker claims due rows; the preview is a query.
 */
@Entity('scheduled_actions')
export class ScheduledAction {
  @PrimaryColumn('uuid') id: string;
  @Column('text') kind: string;
  @Column('text', { unique: true }) key: string;
  @Column('text', { name: 'subject_type' }) subjectType: string;
  @Column('uuid', { name: 'subject_id' }) subjectId: string;
  @Column('timestamptz', { name: 'due_at' }) dueAt: Date;
  @Column('text') status: ScheduledActionStatus;
  @Column('jsonb') payload: Record<string, unknown>;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('uuid', { name: 'cohort_id', nullable: true }) cohortId: string | null;
  @Column('integer', { name: 'policy_version', nullable: true }) policyVersion: number | null;
  /** Who it will reach, as planned (the send resolves it again). */
  @Column('text', { nullable: true }) recipient: string | null;
  /** Why it is planned, in words, for the schedule preview. */
  @Column('text', { nullable: true }) description: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
