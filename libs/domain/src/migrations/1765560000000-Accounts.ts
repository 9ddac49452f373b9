import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People who sign in are invited on a page and their sessions end when left idle: each
 * session keeps when it was last used (written at most once a minute), and an account's
 * sessions and links are found by the account.
 */
export class Accounts1765560000000 implements MigrationInterface {
  name = 'Accounts1765560000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dashboard_sessions ADD COLUMN last_seen_at timestamptz`);
    await q.query(`UPDATE dashboard_sessions SET last_seen_at = created_at`);
    await q.query(`ALTER TABLE dashboard_sessions ALTER COLUMN last_seen_at SET NOT NULL`);
    await q.query(`CREATE INDEX dashboard_sessions_account ON dashboard_sessions (api_token_id) WHERE ended_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX dashboard_sessions_account`);
    await q.query(`ALTER TABLE dashboard_sessions DROP COLUMN last_seen_at`);
  }
}
