import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SchoolStatus } from './school-status.js';

@Entity('school_status_changes')
export class SchoolStatusChange {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'school_id' }) schoolId: string;
  @Column('text', { name: 'from_status', nullable: true }) fromStatus: SchoolStatus | null;
  @Column('text', { name: 'to_status' }) toStatus: SchoolStatus;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('timestamptz', { name: 'changed_at' }) changedAt: Date;
}

export const CONTACT_ROLES = ['stem_lead', 'head', 'careers_lead', 'other'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

export const CONTACT_ROLE_NAMES: Record<ContactRole, string> = { stem_lead: 'STEM lead', head: 'Headteacher', careers_lead: 'Careers lead', other: 'Other' };

/** Who held a role at the school, and when: a handover ends one row and starts the next. */
@Entity('school_contacts')
export class SchoolContact {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'school_id' }) schoolId: string;
  @Column('text') role: ContactRole;
  @Column('text') name: string;
  @Column('text', { nullable: true }) email: string | null;
  @Column('timestamptz', { name: 'from_at' }) fromAt: Date;
  @Column('timestamptz', { name: 'until_at', nullable: true }) untilAt: Date | null;
}

/** Ofsted's grades by number; a new school not yet graded has none. */
export const OFSTED_RATING_NAMES: Record<number, string> = { 1: 'Outstanding', 2: 'Good', 3: 'Requires improvement', 4: 'Inadequate' };

/** 1 Outstanding, 2 Good, 3 Requires improvement, 4 Inadequate; null for a new school not yet graded. */
@Entity('ofsted_inspections')
export class OfstedInspection {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'school_id' }) schoolId: string;
  @Column('date', { name: 'inspected_on' }) inspectedOn: string;
  @Column('integer', { nullable: true }) rating: number | null;
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt: Date;
}
