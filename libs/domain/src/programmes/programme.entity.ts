import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { KpiDefinition } from '../people/person-vocabulary.js';
import type { WorkflowPolicy } from './workflow-policy.js';

@Entity('programmes')
export class Programme {
  @PrimaryColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text', { nullable: true }) funder: string | null;
  @Column('text', { nullable: true }) aims: string | null;
  @Column('date', { name: 'starts_on' }) startsOn: string;
  @Column('date', { name: 'ends_on' }) endsOn: string;
  /** One of the self-evaluation frameworks in frameworks.json, e.g. `iris-ri`. */
  @Column('text', { name: 'framework_key' }) frameworkKey: string;
  @Column('jsonb', { name: 'kpi_definition' }) kpiDefinition: KpiDefinition;
  /** The colour of the programme's emails and pages, e.g. #0b5394. */
  @Column('text', { name: 'brand_colour' }) brandColour: string;
  /** Where the programme team is told of what needs a person (an ambassador request still short). */
  @Column('text', { name: 'team_email', nullable: true }) teamEmail: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

export const COHORT_STATUSES = ['planned', 'active', 'closed'] as const;
export type CohortStatus = (typeof COHORT_STATUSES)[number];

/** A wave of a programme: its schools share dates, an academic calendar and a workflow policy. */
@Entity('cohorts')
export class Cohort {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'programme_id' }) programmeId: string;
  @Column('text') name: string;
  @Column('date', { name: 'starts_on' }) startsOn: string;
  @Column('date', { name: 'ends_on' }) endsOn: string;
  @Column('text', { name: 'calendar_key' }) calendarKey: string;
  @Column('jsonb', { name: 'workflow_policy' }) workflowPolicy: WorkflowPolicy;
  @Column('text') status: CohortStatus;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
