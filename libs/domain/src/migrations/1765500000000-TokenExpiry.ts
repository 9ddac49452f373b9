import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API tokens expire, and remember roughly when they were last used. A token made before
 * this has no expiry of its own, so it is given one here: its creation plus the default
 * lifetime of 365 days (API_TOKEN_TTL_DAYS is not read by migrations), so that nothing
 * lives forever. A token already more than a year old stops working when this runs; its
 * holder asks for a new one.
 */
export class TokenExpiry1765500000000 implements MigrationInterface {
  name = 'TokenExpiry1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz`);
    await q.query(`UPDATE api_tokens SET expires_at = created_at + interval '365 days'`);
    await q.query(`ALTER TABLE api_tokens ALTER COLUMN expires_at SET NOT NULL`);
    await q.query(`ALTER TABLE api_tokens ADD COLUMN last_used_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_tokens DROP COLUMN last_used_at`);
    await q.query(`ALTER TABLE api_tokens DROP COLUMN expires_at`);
  }
}
