import { distanceKm, gridToLatLon, schoolLocation } from './distance.js';

describe('distance', () => {
  it('measures great-circle kilometres (London to Manchester is about 262 km)', () => {
    const london = { latitude: 51.5074, longitude: -0.1278 };
    const manchester = { latitude: 53.4808, longitude: -2.2426 };
    expect(distanceKm(london, manchester)).toBeGreaterThan(258);
    expect(distanceKm(london, manchester)).toBeLessThan(266);
    expect(distanceKm(london, london)).toBe(0);
  });

  it("turns a GIAS grid reference into latitude and longitude within a few hundred metres (OS's worked example: Caister water tower)", () => {
    // Ordnance Survey's guide: E 651409.903, N 313177.270 is 52°39'27.2531"N 1°43'4.5177"E on OSGB36.
    const point = gridToLatLon(651409.903, 313177.27);
    expect(point.latitude).toBeCloseTo(52.65757, 4);
    expect(point.longitude).toBeCloseTo(1.717922, 4);
  });

  it("prefers a school's own coordinates, falls back to its grid reference, and knows when it has neither", () => {
    expect(schoolLocation({ latitude: 54.5, longitude: -1.2, easting: 1, northing: 1 })).toEqual({ latitude: 54.5, longitude: -1.2 });
    const fromGrid = schoolLocation({ latitude: null, longitude: null, easting: 451200, northing: 518300 })!;
    expect(fromGrid.latitude).toBeGreaterThan(54.5);
    expect(fromGrid.latitude).toBeLessThan(54.6);
    expect(schoolLocation({ latitude: null, longitude: null, easting: null, northing: null })).toBeNull();
  });
});
