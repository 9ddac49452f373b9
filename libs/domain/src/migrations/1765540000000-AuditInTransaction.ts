import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A write's audit row is written in the transaction that commits the write, so a client
 * that disconnects before its answer cannot leave a change without its row. The answer's
 * status is known only later, so a committed row starts without one and may be given it
 * exactly once; nothing else about any row can change. `outcome` says which kind a row is:
 * `committed` (written with the change), `unchanged` (written after an answer whose
 * request committed nothing), `unknown` (rows from before this migration, written after
 * the answer, which cannot say whether a change committed).
 */
export class AuditInTransaction1765540000000 implements MigrationInterface {
  name = 'AuditInTransaction1765540000000';

  async up(q: QueryRunner): Promise<void> {
    // A constant default fills the existing rows without rewriting or updating them.
    await q.query(`ALTER TABLE audit_log ADD COLUMN outcome text NOT NULL DEFAULT 'unknown' CHECK (outcome IN ('committed', 'unchanged', 'unknown'))`);
    await q.query(`ALTER TABLE audit_log ALTER COLUMN outcome DROP DEFAULT`);
    await q.query(`ALTER TABLE audit_log ALTER COLUMN status DROP NOT NULL`);
    await q.query(`CREATE FUNCTION audit_log_answered_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status IS NULL AND NEW.status IS NOT NULL AND (to_jsonb(NEW) - 'status') = (to_jsonb(OLD) - 'status') THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit_log is append-only: a row''s status can be filled once, and nothing else changed';
      END $$`);
    await q.query(`DROP TRIGGER audit_log_append_only ON audit_log`);
    await q.query(`CREATE TRIGGER audit_log_append_only BEFORE DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
    await q.query(`CREATE TRIGGER audit_log_answered_once BEFORE UPDATE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_answered_once()`);
  }

  async down(q: QueryRunner): Promise<void> {
    // A committed write whose answer never came keeps a status of 0 rather than no row.
    await q.query(`UPDATE audit_log SET status = 0 WHERE status IS NULL`);
    await q.query(`DROP TRIGGER audit_log_answered_once ON audit_log`);
    await q.query(`DROP FUNCTION audit_log_answered_once()`);
    await q.query(`DROP TRIGGER audit_log_append_only ON audit_log`);
    await q.query(`CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
    await q.query(`ALTER TABLE audit_log ALTER COLUMN status SET NOT NULL`);
    await q.query(`ALTER TABLE audit_log DROP COLUMN outcome`);
  }
}
