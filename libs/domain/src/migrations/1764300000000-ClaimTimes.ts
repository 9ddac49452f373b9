import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When (in real time, not the domain clock) a scheduled action was claimed, so a claim
 * whose job Redis lost can be found and given a new job.
 */
export class ClaimTimes1764300000000 implements MigrationInterface {
  name = 'ClaimTimes1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE scheduled_actions ADD COLUMN claimed_at timestamptz`);
    await q.query(`CREATE INDEX scheduled_actions_claimed ON scheduled_actions (claimed_at) WHERE status = 'claimed'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE scheduled_actions DROP COLUMN claimed_at`);
  }
}
