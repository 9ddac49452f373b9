import type { EntityManager } from 'typeorm';
import { schoolLocation, type LatLon } from './distance.js';

/**
 * How closely a postcode was placed: where schools with that very postcode are, or the
 * middle of the schools in its sector ("TS1 3", a few streets) or its district ("TS1", a
 * town's part), when none has the full postcode.
 */
export const POSTCODE_PRECISIONS = ['postcode', 'sector', 'district'] as const;
export type PostcodePrecision = (typeof POSTCODE_PRECISIONS)[number];

export interface PlacedPostcode extends LatLon {
  precision: PostcodePrecision;
}

/** A UK postcode's parts: "TS1 3BA" is district (outward code) TS1, sector TS1 3. */
export interface PostcodeParts {
  postcode: string;
  district: string;
  sector: string;
}

// The outward code (area letters, district digit, perhaps a digit or letter) and the inward
// code (sector digit, unit letters), as Royal Mail writes them.
const POSTCODE = /^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9])([A-Z]{2})$/;

/** "ts13ba", " TS1  3BA " and "TS1 3BA" are the same postcode; null when it is not one. */
export function parsePostcode(text: string): PostcodeParts | null {
  const match = POSTCODE.exec(text.replace(/\s+/g, '').toUpperCase());
  if (!match) return null;
  const [, district, sectorDigit, unit] = match;
  return { postcode: `${district} ${sectorDigit}${unit}`, district, sector: `${district} ${sectorDigit}` };
}

/** A school as placing a postcode reads it: its postcode and what says where it is. */
export interface PlacedSchool {
  postcode: string | null;
  latitude: number | null;
  longitude: number | null;
  easting: number | null;
  northing: number | null;
}

/**
 * Where a postcode is, from the schools of its district: the position of the schools with
 * the same postcode, else the middle of those in the same sector, else of the district's;
 * null when the district has no located school. A mean of latitudes and longitudes is
 * fine within a district, a few kilometres across.
 */
export function placeAmongSchools(postcode: PostcodeParts, schools: PlacedSchool[]): PlacedPostcode | null {
  const located = schools.flatMap((school) => {
    const at = schoolLocation(school);
    const parts = school.postcode ? parsePostcode(school.postcode) : null;
    return at && parts?.district === postcode.district ? [{ parts, at }] : [];
  });
  const levels: Array<[PostcodePrecision, (parts: PostcodeParts) => boolean]> = [
    ['postcode', (parts) => parts.postcode === postcode.postcode],
    ['sector', (parts) => parts.sector === postcode.sector],
    ['district', () => true],
  ];
  for (const [precision, same] of levels) {
    const points = located.filter((school) => same(school.parts)).map((school) => school.at);
    if (points.length === 0) continue;
    const mean = (pick: (p: LatLon) => number) => points.reduce((sum, p) => sum + pick(p), 0) / points.length;
    return { latitude: round(mean((p) => p.latitude)), longitude: round(mean((p) => p.longitude)), precision };
  }
  return null;
}

/** Six decimal places of a degree are 0.1 m: more would be noise from the mean. */
const round = (degrees: number) => Math.round(degrees * 1e6) / 1e6;

/**
 * Where a UK postcode is, from the schools the platform holds (no postcode service is at
 * hand): see placeAmongSchools. One query, of the district's schools, by the index on a
 * school's district (schools_postcode_district) written the same way as here, so a
 * postcode stored without its space ("TS13BA") is found too.
 */
export async function locatePostcode(manager: Pick<EntityManager, 'query'>, postcode: string): Promise<PlacedPostcode | null> {
  const parts = parsePostcode(postcode);
  if (!parts) return null;
  const schools: PlacedSchool[] = await manager.query(
    `SELECT postcode, latitude, longitude, easting, northing FROM schools
      WHERE left(upper(replace(postcode, ' ', '')), -3) = $1
        AND ((latitude IS NOT NULL AND longitude IS NOT NULL) OR (easting IS NOT NULL AND northing IS NOT NULL))`,
    [parts.district],
  );
  return placeAmongSchools(parts, schools);
}
