import { EnrichmentCorrectionForm, EnrichmentEventForm, eventBody, formValues, readEventForm } from './enrichment.form.js';
import { changesBetween } from './event-history.js';

describe('the enrichment event forms', () => {
  const school = '0b9f1c1e-3c2a-4c8e-9f6b-5d2b8e1a7c40';
  const other = '1c9f1c1e-3c2a-4c8e-9f6b-5d2b8e1a7c41';
  const filled = { type: 'competition', title: ' Bridge challenge ', 'occursOn-day': '20', 'occursOn-month': '11', 'occursOn-year': '2026', hostSchoolId: school, pupils: '1,200' };

  it('asks its questions in order, the date among them, and keeps what was typed', async () => {
    const read = await readEventForm(EnrichmentEventForm, { title: 'Bridges', keyStages: 'ks3' });
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.errors.list.map((e) => e.text)).toEqual([
      'Select what kind of event it was',
      'Enter the date it took place',
      'Select the school that hosted it',
      'Enter the number of pupils who took part',
    ]);
    expect(read.errors.list[1].href).toBe('#occursOn-day');
    expect(read.values).toMatchObject({ title: 'Bridges', keyStages: ['ks3'] });
  });

  it('refuses a date that is not a real day and counts that are not whole numbers', async () => {
    const read = await readEventForm(EnrichmentEventForm, { ...filled, 'occursOn-day': '31', 'occursOn-month': '2', pupils: '12.5', cost: 'lots' });
    expect(read.ok ? [] : read.errors.list.map((e) => e.text)).toEqual([
      'The date it took place must be a real date, like 1 9 2027',
      'Enter the number of pupils as a whole number, like 30',
      'Enter the cost in pounds and pence, like 120 or 99.50',
    ]);
  });

  it('gives the service the event: the day as ISO, counts as numbers, unanswered counts as none, the cost in pence', async () => {
    const read = await readEventForm(EnrichmentEventForm, { ...filled, keyStages: ['ks2', 'ks3'], cost: '£99.50', parents: '' });
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(eventBody(read.form, read.occursOn)).toMatchObject({
      type: 'competition',
      title: 'Bridge challenge',
      occursOn: '2026-11-20',
      hostSchoolId: school,
      schoolIds: [],
      audience: { pupils: 1200, parents: 0, staff: 0, otherSchools: 0 },
      keyStages: ['ks2', 'ks3'],
      costPence: 9950,
    });
  });

  it('keeps in a correction what the form does not ask: the programme, the other schools, gender and careers', async () => {
    const read = await readEventForm(EnrichmentCorrectionForm, { ...filled, reason: 'Wrong count' });
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const kept = { programmeId: 'p', hostSchoolId: school, schoolIds: [school, other], gender: { female: 1, male: 2, otherOrNotSaid: 0 }, careers: null, disadvantagedPupils: 4 };
    expect(eventBody(read.form, read.occursOn, kept)).toMatchObject({ programmeId: 'p', schoolIds: [other], gender: kept.gender, careers: undefined, disadvantagedPupils: 4 });
    expect((await readEventForm(EnrichmentCorrectionForm, filled)).ok).toBe(false);
  });

  it('shows an event in its form as it was recorded', () => {
    const values = formValues({
      type: 'visit',
      title: 'Lab visit',
      occursOn: '2027-02-04',
      hostSchoolId: school,
      audience: { pupils: 30, parents: 0, staff: 2, otherSchools: 0 },
      keyStages: ['ks4'],
      ambassadorsInvolved: 1,
      costPence: 12050,
    });
    expect(values).toMatchObject({ 'occursOn-day': '4', 'occursOn-month': '2', 'occursOn-year': '2027', pupils: '30', staff: '2', keyStages: ['ks4'], cost: '120.50' });
  });

  it('says what a correction changed, in words', () => {
    const details = {
      type: 'visit' as const,
      title: 'Lab visit',
      audience: { pupils: 30, parents: 0, staff: 2, otherSchools: 0 },
      keyStages: ['ks4' as const],
      gender: null,
      disadvantagedPupils: null,
      careers: null,
      ambassadorsInvolved: 0,
      costPence: 0,
    };
    const names = new Map([
      [school, 'Beacon Primary'],
      [other, 'Cliffside Academy'],
    ]);
    const before = { details, schoolIds: [school], occursOn: '2027-02-04', hostSchoolId: school };
    const after = { details: { ...details, audience: { ...details.audience, pupils: 28 } }, schoolIds: [other], occursOn: '2027-02-05', hostSchoolId: other };
    expect(changesBetween(before, after, names)).toEqual([
      { what: 'Date', before: '4 February 2027', after: '5 February 2027' },
      { what: 'Host school', before: 'Beacon Primary', after: 'Cliffside Academy' },
      { what: 'Pupils', before: '30', after: '28' },
    ]);
  });
});
