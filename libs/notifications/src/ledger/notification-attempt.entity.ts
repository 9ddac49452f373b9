import { Column, Entity, PrimaryColumn } from 'typeorm';

export const ATTEMPT_OUTCOMES = ['sent', 'transient_error', 'permanent_error', 'interrupted'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/** One try at handing a notification to the SMTP server, with what the server said. */
@Entity('notification_attempts')
export class NotificationAttempt {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'notification_id' })
  notificationId: string;

  @Column('integer')
  attempt: number;

  @Column('text')
  outcome: AttemptOutcome;

  @Column('text', { nullable: true })
  error: string | null;

  @Column('text', { name: 'smtp_response', nullable: true })
  smtpResponse: string | null;

  @Column('timestamptz', { name: 'started_at' })
  startedAt: Date;

  @Column('timestamptz', { name: 'finished_at' })
  finishedAt: Date;
}
