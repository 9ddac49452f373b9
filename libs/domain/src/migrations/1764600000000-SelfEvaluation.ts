import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Termly self-evaluation: uploaded frameworks, each cohort's choice, the evaluations and every revision of them. */
export class SelfEvaluation1764600000000 implements MigrationInterface {
  name = 'SelfEvaluation1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE self_evaluation_frameworks (
      key text PRIMARY KEY,
      name text NOT NULL,
      publisher text,
      levels jsonb NOT NULL,
      groups jsonb NOT NULL,
      programme_id uuid REFERENCES programmes (id),
      created_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE TABLE cohort_self_evaluation (
      cohort_id uuid PRIMARY KEY REFERENCES cohorts (id),
      framework_key text NOT NULL,
      element_keys text[] NOT NULL,
      baseline_framework_keys text[] NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE TABLE self_evaluations (
      id uuid PRIMARY KEY,
      school_id uuid NOT NULL REFERENCES schools (id),
      cohort_id uuid NOT NULL REFERENCES cohorts (id),
      partnership_id uuid NOT NULL REFERENCES partnerships (id),
      kind text NOT NULL CHECK (kind IN ('termly', 'baseline')),
      term_label text NOT NULL,
      form jsonb NOT NULL,
      answers jsonb NOT NULL DEFAULT '{}',
      status text NOT NULL CHECK (status IN ('open', 'draft', 'submitted')),
      revision integer NOT NULL DEFAULT 0,
      submitted_revision integer,
      opened_at timestamptz NOT NULL,
      deadline_at timestamptz NOT NULL,
      submitted_at timestamptz,
      updated_at timestamptz NOT NULL,
      UNIQUE (school_id, cohort_id, term_label)
    )`);
    await q.query(`CREATE INDEX self_evaluations_cohort ON self_evaluations (cohort_id, term_label)`);
    await q.query(`CREATE TABLE self_evaluation_revisions (
      id uuid PRIMARY KEY,
      self_evaluation_id uuid NOT NULL REFERENCES self_evaluations (id),
      revision integer NOT NULL,
      action text NOT NULL CHECK (action IN ('draft', 'submit')),
      answers jsonb NOT NULL,
      by_email text NOT NULL,
      recorded_at timestamptz NOT NULL,
      UNIQUE (self_evaluation_id, revision)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE self_evaluation_revisions`);
    await q.query(`DROP TABLE self_evaluations`);
    await q.query(`DROP TABLE cohort_self_evaluation`);
    await q.query(`DROP TABLE self_evaluation_frameworks`);
  }
}
