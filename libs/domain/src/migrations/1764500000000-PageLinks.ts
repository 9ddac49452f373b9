import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Links in emails to pages that need no login: only the token's hash is kept. */
export class PageLinks1764500000000 implements MigrationInterface {
  name = 'PageLinks1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE page_links (
      id uuid PRIMARY KEY,
      key text NOT NULL UNIQUE,
      token_hash text NOT NULL UNIQUE,
      purpose text NOT NULL CHECK (purpose IN ('self_evaluation', 'ambassador_offer', 'survey')),
      subject_type text NOT NULL,
      subject_id uuid NOT NULL,
      email text NOT NULL,
      recipient_name text,
      person_id uuid,
      cohort_id uuid,
      expires_at timestamptz NOT NULL,
      closes_at timestamptz,
      renewal_of uuid REFERENCES page_links (id),
      first_opened_at timestamptz,
      revoked_at timestamptz,
      created_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX page_links_subject ON page_links (subject_type, subject_id)`);
    await q.query(`CREATE INDEX page_links_person ON page_links (person_id) WHERE person_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE page_links`);
  }
}
