import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The people list in name order, paged through an index rather than a sort of everyone: at
 * national scale (450,000 people) a page deep in the list, or the page after a cursor, starts
 * at its place in (name, id) instead of reading and sorting every person before it. And
 * finding a person by part of their name or email address (trigram indexes, as the schools
 * have), so a search is not a read of every person either.
 */
export class PeopleByName1765730000000 implements MigrationInterface {
  name = 'PeopleByName1765730000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX people_name_order ON people (name, id)`);
    await q.query(`CREATE INDEX people_name_trgm ON people USING gin (name gin_trgm_ops)`);
    await q.query(`CREATE INDEX people_email_trgm ON people USING gin (email gin_trgm_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX people_email_trgm`);
    await q.query(`DROP INDEX people_name_trgm`);
    await q.query(`DROP INDEX people_name_order`);
  }
}
