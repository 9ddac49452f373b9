import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Finding a school among the national register's 24,000: by part of its name, its local
 * authority or its postcode (trigram indexes, so "%beech%" is not a scan of every row), and
 * a list in name order paged through an index rather than a sort of the whole register.
 *
 * And a GIAS extract uploaded on the console's page waits here between its preview and the
 * person's confirming it: the file is read again when they confirm, so what is applied is
 * what was previewed, from one upload. Only the account that uploaded it may apply it, once;
 * its rows (contact names and addresses among them) are cleared when it is applied, and an
 * upload nobody confirmed is deleted after a day.
 */
export class SchoolSearch1765611000000 implements MigrationInterface {
  name = 'SchoolSearch1765611000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE INDEX schools_name_order ON schools (name, id)`);
    await q.query(`CREATE INDEX schools_name_trgm ON schools USING gin (name gin_trgm_ops)`);
    await q.query(`CREATE INDEX schools_local_authority_trgm ON schools USING gin (local_authority gin_trgm_ops)`);
    await q.query(`CREATE INDEX schools_postcode_trgm ON schools USING gin (postcode gin_trgm_ops)`);
    await q.query(`
      CREATE TABLE school_imports (
        id uuid PRIMARY KEY,
        api_token_id uuid,
        role text NOT NULL,
        file_name text,
        csv text,
        preview jsonb NOT NULL,
        applied jsonb,
        created_at timestamptz NOT NULL,
        applied_at timestamptz
      )`);
    await q.query(`CREATE INDEX school_imports_created ON school_imports (created_at) WHERE applied_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE school_imports`);
    await q.query(`DROP INDEX schools_postcode_trgm`);
    await q.query(`DROP INDEX schools_local_authority_trgm`);
    await q.query(`DROP INDEX schools_name_trgm`);
    await q.query(`DROP INDEX schools_name_order`);
  }
}
