import { Column, Entity, PrimaryColumn } from 'typeorm';
import { asNumber } from '../database/transformers.js';

/** A delivery partnership (hub) of neighbouring schools, 3–10 typically (003_def1d3e673f8defb.txt). */
@Entity('partnerships')
export class Partnership {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('text', { nullable: true })
  area: string | null;

  @Column('uuid', { name: 'cohort_id', nullable: true })
  cohortId: string | null;

  /** A person with the educational_lead role: needs analysis, action plans, coaching. */
  @Column('uuid', { name: 'educational_lead_id', nullable: true })
  educationalLeadId: string | null;

  /** The budget for CPD (e.g. £25,000), in pence; the ledger in budget_entries draws on it. */
  @Column('bigint', { name: 'budget_pence', transformer: asNumber })
  budgetPence: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;
}
