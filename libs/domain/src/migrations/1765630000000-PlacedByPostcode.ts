import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A STEM Ambassador may be placed on the map by their postcode alone, from where the
 * platform's schools are: the schools of a postcode district are found by an index on the
 * district (the postcode less its last three characters, spaces aside, so "TS13BA" as a
 * school was created is found with "TS1 3BA"). The ambassador keeps how closely they were
 * placed, so their profile can say; a position typed in by hand keeps none.
 */
export class PlacedByPostcode1765630000000 implements MigrationInterface {
  name = 'PlacedByPostcode1765630000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX schools_postcode_district ON schools ((left(upper(replace(postcode, ' ', '')), -3)))`);
    await q.query(`ALTER TABLE ambassadors ADD COLUMN location_precision text CHECK (location_precision IN ('postcode', 'sector', 'district'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ambassadors DROP COLUMN location_precision`);
    await q.query(`DROP INDEX schools_postcode_district`);
  }
}
