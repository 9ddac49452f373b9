import type { EnrichmentDetails } from '#domain';
import { count, londonDate, money } from '../../web/view-filters.js';
import { KEY_STAGE_NAMES, TYPE_NAMES } from './enrichment.form.js';

/** One version of an event as the service keeps it. */
export interface EventVersion {
  details: EnrichmentDetails;
  schoolIds: string[];
  occursOn: string | null;
  hostSchoolId: string | null;
}

export interface Change {
  what: string;
  before: string;
  after: string;
}

export const typeName = (type: string) => TYPE_NAMES[type as keyof typeof TYPE_NAMES] ?? type;

const stagesText = (stages: string[]) => (stages.length ? stages.map((k) => KEY_STAGE_NAMES[k as keyof typeof KEY_STAGE_NAMES] ?? k).join(', ') : 'None');
const listText = (items: string[]) => (items.length ? items.join(', ') : 'None');

/** What a correction changed, field by field, in words: each question whose answer differs from the version before. */
export function changesBetween(before: EventVersion, after: EventVersion, schoolNames: Map<string, string>): Change[] {
  const school = (id: string | null) => (id ? (schoolNames.get(id) ?? 'A school') : 'None');
  const others = (v: EventVersion) =>
    listText(
      v.schoolIds
        .filter((id) => id !== v.hostSchoolId)
        .map((id) => school(id))
        .sort(),
    );
  const b = before.details;
  const a = after.details;
  const fields: Array<[string, string, string]> = [
    ['Kind of event', typeName(b.type), typeName(a.type)],
    ['Title', b.title, a.title],
    // Versions kept before the day and host were kept with them say nothing of either.
    ...(before.occursOn && after.occursOn
      ? ([
          ['Date', londonDate(before.occursOn), londonDate(after.occursOn)],
          ['Host school', school(before.hostSchoolId), school(after.hostSchoolId)],
        ] as Array<[string, string, string]>)
      : []),
    ['Other schools that took part', others(before), others(after)],
    ['Pupils', count(b.audience.pupils), count(a.audience.pupils)],
    ['Parents', count(b.audience.parents), count(a.audience.parents)],
    ['Staff', count(b.audience.staff), count(a.audience.staff)],
    ['People from other schools', count(b.audience.otherSchools), count(a.audience.otherSchools)],
    ['Key stages', stagesText(b.keyStages), stagesText(a.keyStages)],
    ['STEM Ambassadors', count(b.ambassadorsInvolved), count(a.ambassadorsInvolved)],
    ['Cost', money(b.costPence), money(a.costPence)],
    ['Disadvantaged pupils', b.disadvantagedPupils === null ? 'Not recorded' : count(b.disadvantagedPupils), a.disadvantagedPupils === null ? 'Not recorded' : count(a.disadvantagedPupils)],
    ['Pupils by gender', JSON.stringify(b.gender), JSON.stringify(a.gender)],
    ['Careers content', JSON.stringify(b.careers), JSON.stringify(a.careers)],
  ];
  return fields
    .filter(([, was, now]) => was !== now)
    .map(([what, was, now]) => (what === 'Pupils by gender' || what === 'Careers content' ? { what, before: 'Earlier answer', after: 'Changed' } : { what, before: was, after: now }));
}
