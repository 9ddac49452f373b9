import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A claimed scheduled action remembers the job that carries it: a batch job's id is not the
 * action's, and the sweep that revives lost claims must ask BullMQ about the right job.
 */
export class FanoutBatches1765200000000 implements MigrationInterface {
  name = 'FanoutBatches1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE scheduled_actions ADD COLUMN job_id text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE scheduled_actions DROP COLUMN job_id`);
  }
}
