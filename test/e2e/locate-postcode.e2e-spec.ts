import { randomUUID } from 'node:crypto';
import { gridToLatLon, locatePostcode } from '#domain';
import { TestPlatform } from '../support/platform.js';

/**
 * Placing a postcode from the schools the platform holds, against the migrated database:
 * the schools at the postcode, else the middle of its sector's, else its district's; one
 * query, which finds the district's schools by their index among thousands of others.
 */
describe('placing a postcode from the schools', () => {
  let platform: TestPlatform;
  const queries: string[] = [];
  // The rule is given what a transaction's manager gives it: queries, here counted.
  const manager = {
    query: async <T>(sql: string, params?: unknown[]): Promise<T> => {
      queries.push(sql);
      return (await platform.query(sql, params)) as T;
    },
  };
  const tees = { easting: 449500, northing: 520300 };

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'locate-postcode', startApi: false, startWorker: false });
    const school = (urn: number, postcode: string | null, at: Record<string, number | null>) =>
      platform.query(
        `INSERT INTO schools (id, urn, name, phase, postcode, latitude, longitude, easting, northing, created_at, updated_at)
         VALUES ($1, $2, $3, 'primary', $4, $5, $6, $7, $8, now(), now())`,
        [randomUUID(), urn, `School ${urn}`, postcode, at.latitude ?? null, at.longitude ?? null, at.easting ?? null, at.northing ?? null],
      );
    await school(700001, 'TS1 3BA', { latitude: 54.57, longitude: -1.23 });
    await school(700002, 'TS1 3BA', { latitude: 54.572, longitude: -1.232 });
    // As a school created through the API may be stored: no space, and only a grid reference.
    await school(700003, 'TS13ZZ', tees);
    await school(700004, 'TS1 4AB', { latitude: 54.6, longitude: -1.2 });
    await school(700005, 'TS1 5XX', {});
    await school(700006, 'TS10 1AA', { latitude: 54.61, longitude: -1.07 });
    // The rest of the register, so the planner has a reason to use the index.
    await platform.query(
      `INSERT INTO schools (id, urn, name, phase, postcode, latitude, longitude, created_at, updated_at)
       SELECT gen_random_uuid(), 800000 + i, 'Other ' || i, 'secondary', 'AB' || (i % 50) || ' ' || (i % 9) || 'CD', 57, -2, now(), now()
         FROM generate_series(1, 6000) AS i`,
    );
    await platform.query(`ANALYZE schools`);
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('places a postcode where its schools are, in one query by the district index', async () => {
    queries.length = 0;
    await expect(locatePostcode(manager, 'ts1 3ba')).resolves.toEqual({ latitude: 54.571, longitude: -1.231, precision: 'postcode' });
    expect(queries).toHaveLength(1);
    const plan = (await platform.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${queries[0]}`, ['TS1'])).map((row) => row['QUERY PLAN']).join('\n');
    expect(plan).toContain('schools_postcode_district');
    expect(plan).not.toContain('Seq Scan');
  });

  it('else the middle of the schools in its sector, a school placed by its grid reference among them', async () => {
    const grid = gridToLatLon(tees.easting, tees.northing);
    const placed = await locatePostcode(manager, 'TS1 3QQ');
    expect(placed?.precision).toBe('sector');
    expect(placed?.latitude).toBeCloseTo((54.57 + 54.572 + grid.latitude) / 3, 5);
    expect(placed?.longitude).toBeCloseTo((-1.23 - 1.232 + grid.longitude) / 3, 5);
  });

  it('else the middle of the district, without the schools of TS10 or those with no position', async () => {
    const grid = gridToLatLon(tees.easting, tees.northing);
    const placed = await locatePostcode(manager, 'TS1 5XX');
    expect(placed?.precision).toBe('district');
    expect(placed?.latitude).toBeCloseTo((54.57 + 54.572 + grid.latitude + 54.6) / 4, 5);
    expect(placed?.longitude).toBeCloseTo((-1.23 - 1.232 + grid.longitude - 1.2) / 4, 5);
  });

  it('places nothing where no school is, nor what is not a postcode, asking nothing of the database for that', async () => {
    await expect(locatePostcode(manager, 'ZE2 9AA')).resolves.toBeNull();
    queries.length = 0;
    await expect(locatePostcode(manager, 'TS1')).resolves.toBeNull();
    expect(queries).toEqual([]);
  });
});
