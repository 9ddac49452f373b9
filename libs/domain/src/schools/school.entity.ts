import { Column, Entity, PrimaryColumn } from 'typeorm';
import { asNumber } from '../database/transformers.js';
import type { SchoolPhase } from './school-phase.js';
import type { SchoolStatus } from './school-status.js';

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

  /** WGS84, when recorded; otherwise matching works from the grid reference above. */
  @Column('double precision', { nullable: true })
  latitude: number | null;

  @Column('double precision', { nullable: true })
  longitude: number | null;

  @Column('text', { name: 'contact_name', nullable: true })
  contactName: string | null;

  @Column('text', { name: 'contact_email', nullable: true })
  contactEmail: string | null;

  @Column('text')
  status: SchoolStatus;

  @Column('text', { nullable: true })
  trust: string | null;

  /** Share of pupils eligible for free school meals, a disadvantage indicator. */
  @Column('numeric', { name: 'fsm_percent', nullable: true, transformer: asNumber })
  fsmPercent: number | null;

  @Column('text', { name: 'opportunity_area', nullable: true })
  opportunityArea: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;
}
