import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Figures as the worker last worked them out, per figure and scope (a programme's id, or
 * "platform" for every programme at once): a national programme's figures read millions of
 * rows and take seconds, so the dashboard and the funder export read these instead, with
 * the time they were worked out. `took_ms` says how long the figure took, so that a figure
 * quick enough to work out when asked is never read from here. `head` holds the first rows
 * and `row_count` how many there are, so that a page showing a few rows of a figure with
 * hundreds of thousands reads a few kilobytes, not all of it.
 */
export class FigureSnapshots1765800000000 implements MigrationInterface {
  name = 'FigureSnapshots1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE figure_snapshots (
        figure_key text NOT NULL,
        scope text NOT NULL,
        computed_at timestamptz NOT NULL,
        took_ms integer NOT NULL CHECK (took_ms >= 0),
        row_count integer NOT NULL CHECK (row_count >= 0),
        head jsonb NOT NULL,
        rows jsonb NOT NULL,
        PRIMARY KEY (scope, figure_key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE figure_snapshots`);
  }
}
