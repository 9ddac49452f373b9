import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SchoolPhase } from './school-phase.js';

/** A school, keyed by its URN from Get Information About Schools (GIAS). */
@Entity('schools')
export class School {
  @PrimaryColumn('uuid')
  id: string;

  @Column('integer', { unique: true })
  urn: number;

  @Column('text')
  name: string;

  @Column('text')
  phase: SchoolPhase;

  @Column('text', { name: 'establishment_type', nullable: true })
  establishmentType: string | null;

  @Column('text', { name: 'local_authority', nullable: true })
  localAuthority: string | null;

  @Column('text', { nullable: true })
  postcode: string | null;

  @Column('integer', { nullable: true })
  pupils: number | null;

  /** British National Grid metres: distances between schools and ambassadors need no projection. */
  @Column('integer', { nullable: true })
  easting: number | null;

  @Column('integer', { nullable: true })
  northing: number | null;

  @Column('text', { name: 'contact_name', nullable: true })
  contactName: string | null;

  @Column('text', { name: 'contact_email', nullable: true })
  contactEmail: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;
}
