/** A point on the earth in degrees (WGS84, or close enough for travel distances). */
export interface LatLon {
  latitude: number;
  longitude: number;
}

const EARTH_RADIUS_KM = 6371.0088;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in kilometres (haversine): "as the crow flies", which is what a travel radius means. */
export function distanceKm(a: LatLon, b: LatLon): number {
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * British National Grid easting/northing (as GIAS publishes for every school) to latitude
 * and longitude, by Ordnance Survey's inverse transverse Mercator on the Airy 1830
 * ellipsoid. The datum shift to WGS84 (about 100 m) is left out: a travel radius is
 * counted in kilometres, and no network geocoder is at hand.
 */
export function gridToLatLon(easting: number, northing: number): LatLon {
  const a = 6377563.396;
  const b = 6356256.909;
  const f0 = 0.9996012717;
  const lat0 = rad(49);
  const lon0 = rad(-2);
  const n0 = -100000;
  const e0 = 400000;
  const e2 = 1 - (b * b) / (a * a);
  const n = (a - b) / (a + b);
  const meridional = (phi: number) =>
    b *
    f0 *
    ((1 + n + (5 / 4) * n ** 2 + (5 / 4) * n ** 3) * (phi - lat0) -
      (3 * n + 3 * n ** 2 + (21 / 8) * n ** 3) * Math.sin(phi - lat0) * Math.cos(phi + lat0) +
      ((15 / 8) * n ** 2 + (15 / 8) * n ** 3) * Math.sin(2 * (phi - lat0)) * Math.cos(2 * (phi + lat0)) -
      (35 / 24) * n ** 3 * Math.sin(3 * (phi - lat0)) * Math.cos(3 * (phi + lat0)));
  let phi = lat0;
  let m = 0;
  do {
    phi = (northing - n0 - m) / (a * f0) + phi;
    m = meridional(phi);
  } while (Math.abs(northing - n0 - m) >= 0.00001);
  const sin = Math.sin(phi);
  const nu = (a * f0) / Math.sqrt(1 - e2 * sin * sin);
  const rho = (a * f0 * (1 - e2)) / (1 - e2 * sin * sin) ** 1.5;
  const eta2 = nu / rho - 1;
  const tan = Math.tan(phi);
  const sec = 1 / Math.cos(phi);
  const vii = tan / (2 * rho * nu);
  const viii = (tan / (24 * rho * nu ** 3)) * (5 + 3 * tan ** 2 + eta2 - 9 * tan ** 2 * eta2);
  const ix = (tan / (720 * rho * nu ** 5)) * (61 + 90 * tan ** 2 + 45 * tan ** 4);
  const x = sec / nu;
  const xi = (sec / (6 * nu ** 3)) * (nu / rho + 2 * tan ** 2);
  const xii = (sec / (120 * nu ** 5)) * (5 + 28 * tan ** 2 + 24 * tan ** 4);
  const xiia = (sec / (5040 * nu ** 7)) * (61 + 662 * tan ** 2 + 1320 * tan ** 4 + 720 * tan ** 6);
  const de = easting - e0;
  const lat = phi - vii * de ** 2 + viii * de ** 4 - ix * de ** 6;
  const lon = lon0 + x * de - xi * de ** 3 + xii * de ** 5 - xiia * de ** 7;
  return { latitude: (lat * 180) / Math.PI, longitude: (lon * 180) / Math.PI };
}

/** Where a school is: its own coordinates when recorded, else from its GIAS grid reference. */
export function schoolLocation(school: { latitude: number | null; longitude: number | null; easting: number | null; northing: number | null }): LatLon | null {
  if (school.latitude !== null && school.longitude !== null) return { latitude: school.latitude, longitude: school.longitude };
  if (school.easting !== null && school.northing !== null) return gridToLatLon(school.easting, school.northing);
  return null;
}
