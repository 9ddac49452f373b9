import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each version of an enrichment event keeps who recorded it (the account or token that wrote
 * it), its day and its host school, so an event's page can say who made each correction,
 * when, why and what it changed, the day and the host included. Versions written before
 * this name nobody; the latest of each event takes the event's own day and host, which are
 * that version's.
 */
export class EnrichmentCorrectors1765620000000 implements MigrationInterface {
  name = 'EnrichmentCorrectors1765620000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE enrichment_event_versions ADD COLUMN recorded_by uuid, ADD COLUMN occurs_on date, ADD COLUMN host_school_id uuid`);
    await q.query(`UPDATE enrichment_event_versions v SET occurs_on = e.occurs_on, host_school_id = e.host_school_id FROM enrichment_events e WHERE e.id = v.event_id AND e.version = v.version`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE enrichment_event_versions DROP COLUMN recorded_by, DROP COLUMN occurs_on, DROP COLUMN host_school_id`);
  }
}
