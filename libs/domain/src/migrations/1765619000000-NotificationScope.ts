import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What each notification is about (its programme, cohort, partnership and school), so the
 * email ledger is read by the same rule as the records it is about: a programme's managers
 * see their programme's emails, a lead their partnership's, not every programme's
 * recipients. Mail about no programme (a sign-in link, an ambassador's check renewal)
 * names none and stays the admins'.
 *
 * Rows decided before this carry no columns of their own; those whose data names its
 * partnership, school or cohort get them from there, and the rest stay admin-only.
 *
 * The ledger's list reads newest first, by scope, by kind or by status, and must stay quick
 * at hundreds of thousands of rows; the audit log's list reads newest first by route too.
 */
export class NotificationScope1765619000000 implements MigrationInterface {
  name = 'NotificationScope1765619000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications
      ADD COLUMN programme_id uuid REFERENCES programmes(id) ON DELETE SET NULL,
      ADD COLUMN cohort_id uuid REFERENCES cohorts(id) ON DELETE SET NULL,
      ADD COLUMN partnership_id uuid REFERENCES partnerships(id) ON DELETE SET NULL,
      ADD COLUMN school_id uuid REFERENCES schools(id) ON DELETE SET NULL`);

    // A value of the data that is an id, or null: data written by older code is not trusted to be one.
    const id = (key: string) => `(CASE WHEN (n.data->>'${key}') ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN (n.data->>'${key}')::uuid END)`;
    await q.query(`UPDATE notifications n SET
        partnership_id = (SELECT x.id FROM partnerships x WHERE x.id = ${id('partnershipId')}),
        school_id = (SELECT x.id FROM schools x WHERE x.id = ${id('schoolId')}),
        cohort_id = (SELECT x.id FROM cohorts x WHERE x.id = ${id('cohortId')})
      WHERE n.data ?| array['partnershipId', 'schoolId', 'cohortId']`);
    await q.query(`UPDATE notifications n SET cohort_id = p.cohort_id FROM partnerships p WHERE p.id = n.partnership_id AND n.cohort_id IS NULL`);
    await q.query(`UPDATE notifications n SET programme_id = c.programme_id FROM cohorts c WHERE c.id = n.cohort_id`);

    await q.query(`CREATE INDEX notifications_newest ON notifications (created_at DESC, id)`);
    await q.query(`CREATE INDEX notifications_programme ON notifications (programme_id, created_at DESC) WHERE programme_id IS NOT NULL`);
    await q.query(`CREATE INDEX notifications_partnership ON notifications (partnership_id, created_at DESC) WHERE partnership_id IS NOT NULL`);
    await q.query(`CREATE INDEX notifications_school ON notifications (school_id, created_at DESC) WHERE school_id IS NOT NULL`);
    await q.query(`CREATE INDEX notifications_kind ON notifications (kind, created_at DESC)`);
    await q.query(`CREATE INDEX notifications_status ON notifications (status, created_at DESC)`);
    await q.query(`CREATE INDEX audit_log_newest ON audit_log (at DESC, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of ['notifications_newest', 'notifications_programme', 'notifications_partnership', 'notifications_school', 'notifications_kind', 'notifications_status', 'audit_log_newest']) {
      await q.query(`DROP INDEX IF EXISTS ${index}`);
    }
    await q.query(`ALTER TABLE notifications DROP COLUMN programme_id, DROP COLUMN cohort_id, DROP COLUMN partnership_id, DROP COLUMN school_id`);
  }
}
