import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A term's evaluations are found by cohort, term and school, many schools at a time. With
 * the key led by the school and a second index on (cohort, term), Postgres chose the second
 * whenever its statistics were older than the term's first evaluations, as they are while a
 * term-start fan-out is opening them, and read every evaluation of the term for each batch
 * of a hundred schools (20,000 schools: 200 batches, each reading up to 20,000 rows). Led by
 * cohort and term, the key serves both questions, and is the only index that can answer
 * either. Asking by school alone (earlier terms, evidence) gets an index of its own.
 */
export class TermEvaluationKey1765400000000 implements MigrationInterface {
  name = 'TermEvaluationKey1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE self_evaluations ADD CONSTRAINT self_evaluations_one_per_term UNIQUE (cohort_id, term_label, school_id)`);
    await q.query(`ALTER TABLE self_evaluations DROP CONSTRAINT self_evaluations_school_id_cohort_id_term_label_key`);
    await q.query(`DROP INDEX self_evaluations_cohort`);
    await q.query(`CREATE INDEX self_evaluations_school ON self_evaluations (school_id, opened_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX self_evaluations_school`);
    await q.query(`CREATE INDEX self_evaluations_cohort ON self_evaluations (cohort_id, term_label)`);
    await q.query(`ALTER TABLE self_evaluations ADD CONSTRAINT self_evaluations_school_id_cohort_id_term_label_key UNIQUE (school_id, cohort_id, term_label)`);
    await q.query(`ALTER TABLE self_evaluations DROP CONSTRAINT self_evaluations_one_per_term`);
  }
}
