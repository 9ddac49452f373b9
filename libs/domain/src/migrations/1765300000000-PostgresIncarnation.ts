import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A token for Postgres's present run since its last crash. The table is unlogged, so crash
 * recovery (or a replica promoted in its place) leaves it empty, and whoever finds it empty
 * makes a new token. The SMTP delivery thread reads it to tell whether Postgres may have
 * forgotten records it made without waiting for the disk (sent-records.ts).
 */
export class PostgresIncarnation1765300000000 implements MigrationInterface {
  name = 'PostgresIncarnation1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE UNLOGGED TABLE postgres_incarnation (id smallint PRIMARY KEY CHECK (id = 1), token uuid NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE postgres_incarnation`);
  }
}
