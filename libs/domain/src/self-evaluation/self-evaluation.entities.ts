import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { EvaluationAnswers, EvaluationForm } from './form.js';
import type { FrameworkGroup } from './frameworks.js';

export const SELF_EVALUATION_KINDS = ['termly', 'baseline'] as const;
export type SelfEvaluationKind = (typeof SELF_EVALUATION_KINDS)[number];
/** open: invited, nothing saved yet; draft: saved, not submitted; submitted: may still be edited until the deadline. */
export type SelfEvaluationStatus = 'open' | 'draft' | 'submitted';

/** One school's self-evaluation for one term of one cohort (or its baseline at joining). */
@Entity('self_evaluations')
export class SelfEvaluation {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'school_id' }) schoolId: string;
  @Column('uuid', { name: 'cohort_id' }) cohortId: string;
  @Column('uuid', { name: 'partnership_id' }) partnershipId: string;
  @Column('text') kind: SelfEvaluationKind;
  /** "2026/27 spring", or "baseline". */
  @Column('text', { name: 'term_label' }) termLabel: string;
  @Column('jsonb') form: EvaluationForm;
  @Column('jsonb') answers: EvaluationAnswers;
  @Column('text') status: SelfEvaluationStatus;
  @Column('integer') revision: number;
  @Column('integer', { name: 'submitted_revision', nullable: true }) submittedRevision: number | null;
  @Column('timestamptz', { name: 'opened_at' }) openedAt: Date;
  @Column('timestamptz', { name: 'deadline_at' }) deadlineAt: Date;
  @Column('timestamptz', { name: 'submitted_at', nullable: true }) submittedAt: Date | null;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

/** Every save and submission, kept: the history of a form reopened and edited. */
@Entity('self_evaluation_revisions')
export class SelfEvaluationRevision {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'self_evaluation_id' }) selfEvaluationId: string;
  @Column('integer') revision: number;
  @Column('text') action: 'draft' | 'submit';
  @Column('jsonb') answers: EvaluationAnswers;
  @Column('text', { name: 'by_email' }) byEmail: string;
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt: Date;
}

/** A framework a programme uploaded as JSON. */
@Entity('self_evaluation_frameworks')
export class UploadedFramework {
  @PrimaryColumn('text') key: string;
  @Column('text') name: string;
  @Column('text', { nullable: true }) publisher: string | null;
  @Column('jsonb') levels: string[];
  @Column('jsonb') groups: FrameworkGroup[];
  /** The programme it belongs to; none when an admin uploaded it for every programme. */
  @Column('uuid', { name: 'programme_id', nullable: true }) programmeId: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
}

/** What a cohort's schools evaluate each term, and at joining. */
@Entity('cohort_self_evaluation')
export class CohortSelfEvaluationChoice {
  @PrimaryColumn('uuid', { name: 'cohort_id' }) cohortId: string;
  @Column('text', { name: 'framework_key' }) frameworkKey: string;
  @Column('text', { name: 'element_keys', array: true }) elementKeys: string[];
  @Column('text', { name: 'baseline_framework_keys', array: true }) baselineFrameworkKeys: string[];
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
