import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { EnrichmentDetails } from './enrichment-details.js';

/** An enrichment event; a correction writes a new version and keeps the old one. */
@Entity('enrichment_events')
export class EnrichmentEvent {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'programme_id', nullable: true }) programmeId: string | null;
  @Column('uuid', { name: 'host_school_id', nullable: true }) hostSchoolId: string | null;
  @Column('integer') version: number;
  @Column('jsonb') details: EnrichmentDetails;
  @Column('date', { name: 'occurs_on' }) occursOn: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
