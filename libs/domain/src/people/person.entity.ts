import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PersonRole } from './person-vocabulary.js';

/** A teacher or member of staff (or an educational lead), with the fields the funder counts. */
@Entity('people')
export class Person {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'school_id', nullable: true }) schoolId: string | null;
  /** For staff without a school (educational leads): the programme that recorded them, which owns their record. */
  @Column('uuid', { name: 'programme_id', nullable: true }) programmeId: string | null;
  @Column('text') name: string;
  @Column('text', { nullable: true }) email: string | null;
  @Column('text') role: PersonRole;
  @Column('boolean', { nullable: true }) slt: boolean | null;
  @Column('text', { nullable: true }) phase: string | null;
  @Column('text', { name: 'subject_specialism', nullable: true }) subjectSpecialism: string | null;
  @Column('text', { name: 'career_stage', nullable: true }) careerStage: string | null;
  @Column('boolean', { nullable: true }) specialist: boolean | null;
  @Column('text', { nullable: true }) gender: string | null;
  @Column('boolean', { name: 'consent_to_contact' }) consentToContact: boolean;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
