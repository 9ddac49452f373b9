import type { EntityManager } from 'typeorm';

export interface Branding {
  programmeName: string;
  brandColour: string;
}

/** The programme an email speaks for, found from whatever the workflow holds. */
export async function brandingFor(manager: EntityManager, from: { cohortId?: string | null; partnershipId?: string | null; courseId?: string | null }): Promise<Branding | Record<string, never>> {
  const [row]: Array<{ name: string; brand_colour: string }> = from.courseId
    ? await manager.query(`SELECT p.name, p.brand_colour FROM programmes p JOIN cpd_courses c ON c.programme_id = p.id WHERE c.id = $1`, [from.courseId])
    : from.cohortId
      ? await manager.query(`SELECT p.name, p.brand_colour FROM programmes p JOIN cohorts c ON c.programme_id = p.id WHERE c.id = $1`, [from.cohortId])
      : from.partnershipId
        ? await manager.query(`SELECT p.name, p.brand_colour FROM programmes p JOIN cohorts c ON c.programme_id = p.id JOIN partnerships x ON x.cohort_id = c.id WHERE x.id = $1`, [from.partnershipId])
        : [];
  return row ? { programmeName: row.name, brandColour: row.brand_colour } : {};
}
