import { gridToLatLon } from './distance.js';
import { parsePostcode, placeAmongSchools, type PlacedSchool } from './locate.js';

const school = (postcode: string | null, at: Partial<PlacedSchool> = {}): PlacedSchool => ({ postcode, latitude: null, longitude: null, easting: null, northing: null, ...at });

describe('placing a postcode', () => {
  it('reads a postcode however it is typed into its district and sector, and refuses what is not one', () => {
    expect(parsePostcode(' ts13ba ')).toEqual({ postcode: 'TS1 3BA', district: 'TS1', sector: 'TS1 3' });
    expect(parsePostcode('SW1A 1AA')).toEqual({ postcode: 'SW1A 1AA', district: 'SW1A', sector: 'SW1A 1' });
    expect(parsePostcode('m1  1ae')).toEqual({ postcode: 'M1 1AE', district: 'M1', sector: 'M1 1' });
    expect(parsePostcode('EC1A1BB')?.district).toBe('EC1A');
    for (const text of ['', 'TS1', 'TS1 3', 'TS1 3B', '123 456', 'TS1 3BAA', 'erased']) expect([text, parsePostcode(text)]).toEqual([text, null]);
  });

  it('prefers the schools at the very postcode, then the middle of its sector, then of its district', () => {
    const schools = [school('TS1 3BA', { latitude: 54.57, longitude: -1.23 }), school('TS1 3ZZ', { latitude: 54.59, longitude: -1.25 }), school('TS1 4AB', { latitude: 54.61, longitude: -1.27 })];
    expect(placeAmongSchools(parsePostcode('TS1 3BA')!, schools)).toEqual({ latitude: 54.57, longitude: -1.23, precision: 'postcode' });
    expect(placeAmongSchools(parsePostcode('TS1 3XY')!, schools)).toEqual({ latitude: 54.58, longitude: -1.24, precision: 'sector' });
    expect(placeAmongSchools(parsePostcode('TS1 9XY')!, schools)).toEqual({ latitude: 54.59, longitude: -1.25, precision: 'district' });
  });

  it('places a school by its grid reference when it has no coordinates, reads its postcode however it was stored, and skips one with neither', () => {
    const grid = { easting: 449500, northing: 520300 };
    const placed = placeAmongSchools(parsePostcode('TS1 3BA')!, [school('ts13ba', grid), school('TS1 3BA'), school(null, { latitude: 1, longitude: 1 })]);
    const expected = gridToLatLon(grid.easting, grid.northing);
    expect(placed?.precision).toBe('postcode');
    expect(placed?.latitude).toBeCloseTo(expected.latitude, 5);
    expect(placed?.longitude).toBeCloseTo(expected.longitude, 5);
  });

  it('places nothing when no located school is in the district, nor one from another district with a similar name', () => {
    expect(placeAmongSchools(parsePostcode('TS1 3BA')!, [])).toBeNull();
    expect(placeAmongSchools(parsePostcode('TS1 3BA')!, [school('TS1 3BA')])).toBeNull();
    expect(placeAmongSchools(parsePostcode('TS1 3BA')!, [school('TS10 3BA', { latitude: 54.6, longitude: -1.1 })])).toBeNull();
  });
});
