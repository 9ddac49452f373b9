import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Programme managers and educational leads sign in to the dashboard with a link emailed to
 * the address on their token; a signed-in browser holds a session cookie whose hash is kept.
 */
export class DashboardSignIn1764900000000 implements MigrationInterface {
  name = 'DashboardSignIn1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_tokens ADD COLUMN email text`);
    await q.query(`CREATE INDEX api_tokens_email ON api_tokens (lower(email)) WHERE email IS NOT NULL AND revoked_at IS NULL`);
    await q.query(`ALTER TABLE page_links DROP CONSTRAINT page_links_purpose_check`);
    await q.query(`ALTER TABLE page_links ADD CONSTRAINT page_links_purpose_check CHECK (purpose IN ('self_evaluation', 'ambassador_offer', 'survey', 'dashboard_sign_in'))`);
    await q.query(`CREATE TABLE dashboard_sessions (
      id uuid PRIMARY KEY,
      token_hash text NOT NULL UNIQUE,
      api_token_id uuid NOT NULL REFERENCES api_tokens (id),
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      ended_at timestamptz
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dashboard_sessions`);
    await q.query(`DELETE FROM page_links WHERE purpose = 'dashboard_sign_in'`);
    await q.query(`ALTER TABLE page_links DROP CONSTRAINT page_links_purpose_check`);
    await q.query(`ALTER TABLE page_links ADD CONSTRAINT page_links_purpose_check CHECK (purpose IN ('self_evaluation', 'ambassador_offer', 'survey'))`);
    await q.query(`ALTER TABLE api_tokens DROP COLUMN email`);
  }
}
