import { Column, Entity, PrimaryColumn } from 'typeorm';

export const MEMBERSHIP_ROLES = ['lead', 'member'] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];

/** A school's time in a partnership; a current membership has no `leftAt`. */
@Entity('partnership_members')
export class Membership {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'partnership_id' })
  partnershipId: string;

  @Column('uuid', { name: 'school_id' })
  schoolId: string;

  /** Copied from the partnership so the database can hold "one partnership per cohort". */
  @Column('uuid', { name: 'cohort_id', nullable: true })
  cohortId: string | null;

  @Column('text')
  role: MembershipRole;

  @Column('timestamptz', { name: 'joined_at' })
  joinedAt: Date;

  @Column('timestamptz', { name: 'left_at', nullable: true })
  leftAt: Date | null;
}
