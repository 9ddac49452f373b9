import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Staff recorded without a school (educational leads) belong to the programme whose manager
 * recorded them, so that another programme's manager can neither read, change nor erase them
 * before they lead a partnership. Existing leads take the programme of a partnership they
 * lead; one who leads none (or partnerships of more than one programme) stays with no
 * programme, which only admins may change.
 */
export class Ownership1765510000000 implements MigrationInterface {
  name = 'Ownership1765510000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE people ADD COLUMN IF NOT EXISTS programme_id uuid REFERENCES programmes(id)`);
    await q.query(`
      UPDATE people pe SET programme_id = sole.programme_id
        FROM (SELECT p.educational_lead_id AS person_id, min(c.programme_id::text)::uuid AS programme_id
                FROM partnerships p JOIN cohorts c ON c.id = p.cohort_id
               WHERE p.educational_lead_id IS NOT NULL
               GROUP BY p.educational_lead_id
              HAVING count(DISTINCT c.programme_id) = 1) sole
       WHERE pe.id = sole.person_id AND pe.school_id IS NULL AND pe.programme_id IS NULL`);
    await q.query(`CREATE INDEX IF NOT EXISTS people_programme ON people (programme_id) WHERE programme_id IS NOT NULL`);
    await q.query(`CREATE INDEX IF NOT EXISTS partnerships_educational_lead ON partnerships (educational_lead_id) WHERE educational_lead_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS partnerships_educational_lead`);
    await q.query(`DROP INDEX IF EXISTS people_programme`);
    await q.query(`ALTER TABLE people DROP COLUMN IF EXISTS programme_id`);
  }
}
