import { unzipSync, strFromU8 } from 'fflate';
import { launchBrowser, screenshot } from '../support/browser.js';
import { eventually, TestPlatform } from '../support/platform.js';

/**
 * The funder's figures on a small fixed data set whose every number was worked out by hand
 * (the comments show the sums). Two programmes, so that scope and filters have something
 * to leave out. The clock is virtual: schools join on 10 September 2026 and the figures
 * are read on 10 April 2027.
 */
describe('reports: every figure computed from records, with its definition', () => {
  let platform: TestPlatform;
  const id: Record<string, string> = {};

  const ok = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const answer = await platform.http(method, path, body, headers);
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
    return answer.body;
  };
  const moveClock = (iso: string) => ok('POST', '/api/v1/admin/clock', { now: iso });
  const figure = async (key: string, query = `programmeId=${id.programme}`, headers: Record<string, string> = {}) => ok('GET', `/api/v1/reports/${key}?${query}`, undefined, headers);
  const rows = async (key: string, query?: string) => (await figure(key, query)).rows;

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'reports', env: { CLOCK: 'virtual' } });
    await moveClock('2026-09-10T10:00:00Z');
    const programme = (name: string) =>
      ok('POST', '/api/v1/programmes', { name, startsOn: '2026-09-01', endsOn: '2028-08-31', frameworkKey: 'ats-maturity', kpiDefinition: { completeRecordRequires: ['email'] } });
    id.programme = (await programme('Reports Programme')).id;
    id.other = (await programme('Other Programme')).id;
    const cohort = (programmeId: string, name: string) =>
      ok('POST', `/api/v1/programmes/${programmeId}/cohorts`, { name, startsOn: '2026-09-01', endsOn: '2027-07-23', calendarKey: 'england', status: 'active' });
    id.wave = (await cohort(id.programme, 'Wave 1')).id;
    id.otherWave = (await cohort(id.other, 'Other Wave')).id;
    const lead = (name: string) => ok('POST', '/api/v1/people', { name, email: `${name.toLowerCase().replace(/ /g, '.')}@leads.example.org`, role: 'educational_lead', consentToContact: true });
    const partnership = async (name: string, cohortId: string, budgetPounds: number, leadName: string) =>
      (await ok('POST', '/api/v1/partnerships', { name, cohortId, budgetPounds, educationalLeadId: (await lead(leadName)).id })).id;
    id.alpha = await partnership('Alpha', id.wave, 10_000, 'Alice Lead');
    id.beta = await partnership('Beta', id.wave, 5_000, 'Bob Lead');
    id.x = await partnership('Xeno', id.otherWave, 5_000, 'Xena Lead');

    const school = async (key: string, urn: number, name: string, phase: string, partnershipId: string, fsmPercent: number | null) => {
      id[key] = (await ok('POST', '/api/v1/schools', { urn, name, phase })).id;
      if (fsmPercent !== null) await ok('PATCH', `/api/v1/schools/${id[key]}`, { fsmPercent });
      await ok('POST', `/api/v1/partnerships/${partnershipId}/members`, { schoolId: id[key] });
    };
    await school('s1', 610_001, 'Ash Primary', 'primary', id.alpha, 25);
    await school('s2', 610_002, 'Birch Secondary', 'secondary', id.alpha, 40);
    await school('s3', 610_003, 'Cedar Primary', 'primary', id.alpha, 10);
    await school('s4', 610_004, 'Damson Primary', 'primary', id.beta, null);
    await school('s5', 610_005, 'Elm Secondary', 'secondary', id.beta, 15);
    await school('s6', 610_006, 'Fir Academy', 'secondary', id.x, 50);

    // Ofsted before joining.
    await ok('POST', `/api/v1/schools/${id.s1}/ofsted`, { inspectedOn: '2024-05-01', rating: 3 });
    await ok('POST', `/api/v1/schools/${id.s2}/ofsted`, { inspectedOn: '2023-01-10', rating: 2 });
    await ok('POST', `/api/v1/schools/${id.s3}/ofsted`, { inspectedOn: '2022-06-01', rating: 2 });
    await ok('POST', `/api/v1/schools/${id.s5}/ofsted`, { inspectedOn: '2025-02-02', rating: 4 });

    const person = async (key: string, schoolKey: string, name: string, extra: Record<string, unknown>) => {
      id[key] = (await ok('POST', '/api/v1/people', { schoolId: id[schoolKey], name, email: `${key}@schools.example.org`, consentToContact: true, ...extra })).id;
    };
    await person('p1', 's1', 'Ann', { role: 'teacher', slt: false, subjectSpecialism: 'science', gender: 'female' });
    await person('p2', 's1', 'Ben', { role: 'senior_leader', slt: true, subjectSpecialism: 'maths', gender: 'male' });
    await person('p3', 's2', 'Cat', { role: 'teacher', slt: false, subjectSpecialism: 'computing', gender: 'female' });
    await person('p4', 's2', 'Dan', { role: 'technician', slt: false });
    await person('p5', 's4', 'Eve', { role: 'subject_leader', slt: false, subjectSpecialism: 'engineering', gender: 'not_said' });
    await person('p6', 's5', 'Fay', { role: 'teacher', slt: false, subjectSpecialism: 'science', gender: 'female' });
    await person('p7', 's6', 'Gus', { role: 'teacher', slt: false, subjectSpecialism: 'science', gender: 'male' });

    const course = async (programmeId: string, title: string, subject: string, hours: number, costPence: number) =>
      (await ok('POST', '/api/v1/courses', { programmeId, title, subject, format: 'local', hours, costPence })).id;
    const science = await course(id.programme, 'Practical science', 'science', 6, 10_000);
    const maths = await course(id.programme, 'Maths mastery', 'maths', 30, 5_000);
    const session = async (courseId: string, startsAt: string) =>
      (await ok('POST', `/api/v1/courses/${courseId}/sessions`, { startsAt, endsAt: new Date(Date.parse(startsAt) + 6 * 3_600_000).toISOString(), venue: 'Hub', capacity: 20 })).id;
    id.ss1 = await session(science, '2026-10-05T09:00:00Z');
    id.ss2 = await session(maths, '2026-11-02T09:00:00Z');
    const later = await session(science, '2027-06-01T09:00:00Z');
    const book = async (sessionId: string, personKey: string) => (await ok('POST', `/api/v1/sessions/${sessionId}/bookings`, { personId: id[personKey] })).id as string;
    const ss1 = [await book(id.ss1, 'p1'), await book(id.ss1, 'p2'), await book(id.ss1, 'p3'), await book(id.ss1, 'p5')];
    const ss2 = [await book(id.ss2, 'p2'), await book(id.ss2, 'p6')];
    await book(later, 'p3'); // still committed: £100 for Birch Secondary

    await moveClock('2026-10-05T16:00:00Z');
    await ok('POST', `/api/v1/sessions/${id.ss1}/register`, { attended: ss1.slice(0, 3), noShow: [ss1[3]] });
    await moveClock('2026-11-02T16:00:00Z');
    await ok('POST', `/api/v1/sessions/${id.ss2}/register`, { attended: ss2, noShow: [] });

    await moveClock('2027-04-10T10:00:00Z');
    const record = (personKey: string, channel: string, subject: string, title: string, hours: number, occurredOn: string) =>
      ok('POST', '/api/v1/cpd-records', { personId: id[personKey], channel, subject, title, hours, occurredOn });
    await record('p1', 'coaching', 'maths', 'Coaching: maths', 1.5, '2026-10-20');
    await record('p4', 'in_school', 'science', 'Technician training', 3, '2026-11-10');
    await record('p6', 'online', 'computing', 'Online computing', 20, '2026-11-12');
    await record('p2', 'third_party', 'leadership', 'Leading STEM residential', 70, '2026-11-20');
    await record('p7', 'online', 'science', 'Other programme course', 10, '2026-11-20');

    // Ofsted since joining.
    await ok('POST', `/api/v1/schools/${id.s1}/ofsted`, { inspectedOn: '2027-03-01', rating: 2 });
    await ok('POST', `/api/v1/schools/${id.s2}/ofsted`, { inspectedOn: '2027-02-01', rating: 3 });
    await ok('POST', `/api/v1/schools/${id.s4}/ofsted`, { inspectedOn: '2027-01-15', rating: 2 });
    await ok('POST', `/api/v1/schools/${id.s5}/ofsted`, { inspectedOn: '2027-04-01', rating: 4 });

    await ok('POST', `/api/v1/schools/${id.s2}/status`, { status: 'active', reason: 'Regular CPD since October' });
    await ok('POST', `/api/v1/schools/${id.s3}/status`, { status: 'withdrawn', reason: 'New head withdrew from the programme' });

    const event = (type: string, host: string, schools: string[], occursOn: string, audience: number[], keyStages: string[], programmeId = id.programme) =>
      ok('POST', '/api/v1/enrichment-events', {
        programmeId,
        type,
        title: `${type} ${occursOn}`,
        occursOn,
        hostSchoolId: id[host],
        schoolIds: schools.map((s) => id[s]),
        audience: { pupils: audience[0], parents: audience[1], staff: audience[2], otherSchools: audience[3] },
        keyStages,
      });
    await event('stem_club', 's1', ['s1', 's2'], '2026-11-20', [30, 0, 2, 0], ['ks2', 'ks3']);
    await event('careers_event', 's5', ['s5'], '2027-01-15', [120, 10, 4, 1], ['ks4']);
    await event('stem_club', 's4', ['s4'], '2027-02-01', [12, 0, 1, 0], ['ks2']);
    await event('show', 's6', ['s6'], '2027-01-20', [200, 0, 5, 0], ['ks3'], id.other);
  }, 180_000);
  afterAll(async () => {
    await platform?.stop();
  });

  it('lists every figure with its definition and columns', async () => {
    const { items } = await ok('GET', '/api/v1/reports');
    expect(items.map((f: { key: string }) => f.key)).toEqual([
      'schools-by-status',
      'time-to-first-activity',
      'schools-gone-quiet',
      'participation-by-phase',
      'cpd-by-subject',
      'community-events',
      'feedback-by-course',
      'feedback-by-role',
      'impact-survey-results',
      'survey-response-rates',
      'self-evaluation-levels',
      'self-evaluation-gain',
      'self-evaluation-not-returned',
      'ambassador-requests',
      'ambassador-delivery',
      'budget-by-partnership',
      'budget-by-school',
      'ofsted-movement',
      'cpd-unit-bands',
      'outcomes-by-cpd-unit-band',
      'participants-by-gender',
      'participants-by-disadvantage',
      'enrichment-by-key-stage',
      'ambassador-requests-by-key-stage',
    ]);
    for (const item of items) expect(item.definition.length).toBeGreaterThan(60);
    const answer = await figure('schools-by-status');
    expect(answer).toMatchObject({ key: 'schools-by-status', title: 'Schools by status', definition: items[0].definition, filter: { programmeId: id.programme } });
  });

  it('counts schools by status today', async () => {
    expect(await rows('schools-by-status')).toEqual([
      { cohort: 'Wave 1', partnership: 'Alpha', status: 'active', schools: 1 },
      { cohort: 'Wave 1', partnership: 'Alpha', status: 'joined', schools: 1 },
      { cohort: 'Wave 1', partnership: 'Alpha', status: 'withdrawn', schools: 1 },
      { cohort: 'Wave 1', partnership: 'Beta', status: 'joined', schools: 2 },
    ]);
  });

  it('measures the time from joining to first activity, and finds the schools gone quiet', async () => {
    // Alpha: Ash and Birch first active on 5 Oct (25 days); Cedar never. Beta: Elm on 2 Nov (53), Damson's club on 1 Feb (144): median 98.5.
    expect(await rows('time-to-first-activity')).toEqual([
      { cohort: 'Wave 1', partnership: 'Alpha', schools: 3, schoolsActive: 2, schoolsNotYetActive: 1, medianDaysToFirstActivity: 25 },
      { cohort: 'Wave 1', partnership: 'Beta', schools: 2, schoolsActive: 2, schoolsNotYetActive: 0, medianDaysToFirstActivity: 98.5 },
    ]);
    // 90 days before 10 April is 10 January: Ash and Birch were last active on 20 November; Cedar has withdrawn.
    const quiet = { cohort: 'Wave 1', partnership: 'Alpha', joinedOn: '2026-09-10', lastActivityOn: '2026-11-20', educationalLead: 'Alice Lead', educationalLeadEmail: 'alice.lead@leads.example.org' };
    expect(await rows('schools-gone-quiet')).toEqual([
      { ...quiet, school: 'Ash Primary' },
      { ...quiet, school: 'Birch Secondary' },
    ]);
    const in30 = await rows('schools-gone-quiet', `programmeId=${id.programme}&quietDays=30`);
    expect(in30.map((r: { school: string; lastActivityOn: string }) => [r.school, r.lastActivityOn])).toEqual([
      ['Ash Primary', '2026-11-20'],
      ['Birch Secondary', '2026-11-20'],
      ['Damson Primary', '2027-02-01'],
      ['Elm Secondary', '2027-01-15'],
    ]);
  });

  it("counts participation as the seed's monitoring table does, unique people apart from attendances", async () => {
    const none = { scienceSpecialists: 0, technologySpecialists: 0, engineeringSpecialists: 0, mathsSpecialists: 0, computingSpecialists: 0, otherSpecialists: 0 };
    expect(await rows('participation-by-phase')).toEqual([
      // Ash: Ann (6 + 1.5 h), Ben (6 + 30 + 70 h). Spend: Ann £100, Ben £100 + £50, and Damson's no-show £100 (the place was paid for).
      {
        cohort: 'Wave 1',
        phase: 'primary',
        uniqueParticipants: 2,
        attendances: 5,
        teachersInclSlt: 2,
        slt: 1,
        ...none,
        scienceSpecialists: 1,
        mathsSpecialists: 1,
        hours: 113.5,
        cpdUnits: 22.7,
        spendPence: 35_000,
        costPerParticipantPence: 17_500,
        shareOfHoursPercent: 65.8,
      },
      // Birch: Cat (6 h), Dan the technician (3 h); Elm: Fay (30 + 20 h). Spend: Cat £100, Fay £50.
      {
        cohort: 'Wave 1',
        phase: 'secondary',
        uniqueParticipants: 3,
        attendances: 4,
        teachersInclSlt: 2,
        slt: 0,
        ...none,
        scienceSpecialists: 1,
        computingSpecialists: 1,
        hours: 59,
        cpdUnits: 11.8,
        spendPence: 15_000,
        costPerParticipantPence: 5_000,
        shareOfHoursPercent: 34.2,
      },
      {
        cohort: 'Wave 1',
        phase: 'all',
        uniqueParticipants: 5,
        attendances: 9,
        teachersInclSlt: 4,
        slt: 1,
        ...none,
        scienceSpecialists: 2,
        mathsSpecialists: 1,
        computingSpecialists: 1,
        hours: 172.5,
        cpdUnits: 34.5,
        spendPence: 50_000,
        costPerParticipantPence: 10_000,
        shareOfHoursPercent: 100,
      },
    ]);
    expect(await rows('cpd-by-subject')).toEqual([
      { cohort: 'Wave 1', subject: 'computing', cpdEvents: 1, attendances: 1, uniqueParticipants: 1, hours: 20, cpdUnits: 4, shareOfHoursPercent: 11.6 },
      { cohort: 'Wave 1', subject: 'leadership', cpdEvents: 1, attendances: 1, uniqueParticipants: 1, hours: 70, cpdUnits: 14, shareOfHoursPercent: 40.6 },
      // One maths session (Ben, Fay) and one coaching record (Ann).
      { cohort: 'Wave 1', subject: 'maths', cpdEvents: 2, attendances: 3, uniqueParticipants: 3, hours: 61.5, cpdUnits: 12.3, shareOfHoursPercent: 35.7 },
      { cohort: 'Wave 1', subject: 'science', cpdEvents: 2, attendances: 4, uniqueParticipants: 4, hours: 21, cpdUnits: 4.2, shareOfHoursPercent: 12.2 },
    ]);
    expect(await rows('community-events')).toEqual([
      { cohort: 'Wave 1', type: 'careers_event', events: 1, pupils: 120, parents: 10, staff: 4, otherSchools: 1 },
      { cohort: 'Wave 1', type: 'stem_club', events: 2, pupils: 42, parents: 0, staff: 3, otherSchools: 0 },
    ]);
  });

  it("shows each partnership's budget from its ledger, and by school and channel", async () => {
    expect(await rows('budget-by-partnership')).toEqual([
      { cohort: 'Wave 1', partnership: 'Alpha', allocatedPence: 1_000_000, overridesPence: 0, committedPence: 10_000, spentPence: 35_000, availablePence: 955_000 },
      { cohort: 'Wave 1', partnership: 'Beta', allocatedPence: 500_000, overridesPence: 0, committedPence: 0, spentPence: 15_000, availablePence: 485_000 },
    ]);
    expect(await rows('budget-by-school')).toEqual([
      { cohort: 'Wave 1', partnership: 'Alpha', school: 'Ash Primary', channel: 'central', committedPence: 0, spentPence: 25_000 },
      { cohort: 'Wave 1', partnership: 'Alpha', school: 'Birch Secondary', channel: 'central', committedPence: 10_000, spentPence: 10_000 },
      { cohort: 'Wave 1', partnership: 'Beta', school: 'Damson Primary', channel: 'central', committedPence: 0, spentPence: 10_000 },
      { cohort: 'Wave 1', partnership: 'Beta', school: 'Elm Secondary', channel: 'central', committedPence: 0, spentPence: 5_000 },
    ]);
  });

  it('follows Ofsted movement since joining, and CPD-unit bands', async () => {
    expect(await rows('ofsted-movement')).toEqual([
      { cohort: 'Wave 1', movement: 'declined', schools: 1, medianDaysJoiningToInspection: 144 },
      { cohort: 'Wave 1', movement: 'improved', schools: 1, medianDaysJoiningToInspection: 172 },
      { cohort: 'Wave 1', movement: 'no rating before joining', schools: 1, medianDaysJoiningToInspection: 127 },
      { cohort: 'Wave 1', movement: 'not inspected since joining', schools: 1, medianDaysJoiningToInspection: null },
      { cohort: 'Wave 1', movement: 'same', schools: 1, medianDaysJoiningToInspection: 203 },
    ]);
    // Ann 7.5 h, Cat 6 h, Dan 3 h: under 10 units; Fay 50 h: 10 units; Ben 106 h: 21.2 units.
    expect(await rows('cpd-unit-bands')).toEqual([
      { cohort: 'Wave 1', band: 'under 10', participants: 3, schools: 2, hours: 16.5 },
      { cohort: 'Wave 1', band: '10 to 20', participants: 1, schools: 1, hours: 50 },
      { cohort: 'Wave 1', band: 'over 20', participants: 1, schools: 1, hours: 106 },
    ]);
  });

  it('suppresses every small cell of an equality breakdown, so that totals cannot give one back', async () => {
    // Female 3, male 1, not recorded 1: all under 5, total 5 shown.
    expect(await rows('participants-by-gender')).toEqual([{ cohort: 'Wave 1', female: null, male: null, nonBinary: 0, notSaid: 0, notRecorded: null, total: 5 }]);
    // Fay at Elm (15%); Ann, Ben at Ash (25%); Cat, Dan at Birch (40%).
    expect(await rows('participants-by-disadvantage')).toEqual([{ cohort: 'Wave 1', fsmUnder20: null, fsm20To35: null, fsmOver35: null, fsmUnknown: 0, total: 5 }]);
    expect(await rows('enrichment-by-key-stage')).toEqual([{ cohort: 'Wave 1', eyfs: 0, ks1: 0, ks2: null, ks3: null, ks4: null, ks5: 0, events: 3 }]);
    // Both programmes (an admin without a filter): the other cohort's one participant makes a total under 5, hidden whole.
    const all = await rows('participants-by-gender', '');
    expect(all).toEqual([
      { cohort: 'Other Wave', female: 0, male: null, nonBinary: 0, notSaid: 0, notRecorded: 0, total: null },
      { cohort: 'Wave 1', female: null, male: null, nonBinary: 0, notSaid: 0, notRecorded: null, total: 5 },
    ]);
  });

  it('narrows every figure by partnership, phase and dates', async () => {
    const [beta] = await rows('participation-by-phase', `partnershipId=${id.beta}&phase=secondary`);
    expect(beta).toMatchObject({ phase: 'secondary', uniqueParticipants: 1, attendances: 2, hours: 50, spendPence: 5_000 });
    // From November: Ben's maths and residential, Fay's maths and online, Dan's training.
    const fromNovember = await rows('participation-by-phase', `programmeId=${id.programme}&from=2026-11-01`);
    expect(fromNovember.find((r: { phase: string }) => r.phase === 'all')).toMatchObject({ uniqueParticipants: 3, attendances: 5, hours: 153 });
    const bad = await platform.http('GET', `/api/v1/reports/participation-by-phase?from=2027-01-01&to=2026-01-01`);
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect((await platform.http('GET', '/api/v1/reports/no-such-figure')).status).toBe(404);
    expect((await platform.http('GET', `/api/v1/reports/schools-by-status?phase=castle`)).status).toBe(400);
  });

  it('answers the same rows as CSV, money in pounds', async () => {
    const csv = await platform.http('GET', `/api/v1/reports/budget-by-partnership?programmeId=${id.programme}&format=csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.text.trim().split('\n')).toEqual([
      'Cohort,Partnership,Allocated (£),Overrides (£),Committed (£),Spent (£),Available (£)',
      'Wave 1,Alpha,10000.00,0.00,100.00,350.00,9550.00',
      'Wave 1,Beta,5000.00,0.00,0.00,150.00,4850.00',
    ]);
    const byAccept = await platform.http('GET', `/api/v1/reports/participants-by-gender?programmeId=${id.programme}`, undefined, { accept: 'text/csv' });
    expect(byAccept.text.trim().split('\n')[1]).toBe('Wave 1,,,0,0,,5');
  });

  const token = async (role: string, scope: string, extra: string[] = []) => {
    const made = await platform.run('node', ['dist/tools/token.js', '--role', role, '--scope', scope, '--name', `${role} reports`, ...extra], { DATABASE_URL: platform.databaseUrl });
    if (made.code !== 0) throw new Error(made.stderr);
    return made.stdout.trim();
  };

  it('holds a programme manager to their programme and a lead to their partnership', async () => {
    const manager = { authorization: `Bearer ${await token('programme_manager', `programme:${id.programme}`)}` };
    const lead = { authorization: `Bearer ${await token('educational_lead', `partnership:${id.beta}`)}` };
    const school = { authorization: `Bearer ${await token('school_contact', `school:${id.s1}`)}` };
    const asManager = await platform.http('GET', '/api/v1/reports/budget-by-partnership', undefined, manager);
    expect(asManager.body.rows.map((r: { partnership: string }) => r.partnership)).toEqual(['Alpha', 'Beta']);
    expect((await platform.http('GET', `/api/v1/reports/budget-by-partnership?programmeId=${id.other}`, undefined, manager)).status).toBe(404);
    const asLead = await platform.http('GET', `/api/v1/reports/budget-by-partnership?programmeId=${id.programme}`, undefined, lead);
    expect(asLead.body.rows.map((r: { partnership: string }) => r.partnership)).toEqual(['Beta']);
    expect((await platform.http('GET', `/api/v1/reports/budget-by-partnership?partnershipId=${id.alpha}`, undefined, lead)).status).toBe(404);
    expect((await platform.http('GET', '/api/v1/reports/budget-by-partnership', undefined, school)).status).toBe(403);
  });

  it('exports one CSV per figure group and a README of definitions, as a zip', async () => {
    const answer = await fetch(`http://127.0.0.1:${platform.apiPort}/api/v1/reports/export.zip?programmeId=${id.programme}`, { headers: { authorization: 'Bearer test-admin-token-0123456789' } });
    expect(answer.headers.get('content-type')).toBe('application/zip');
    const files = unzipSync(new Uint8Array(await answer.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual([
      'README.csv',
      'ambassadors.csv',
      'budget.csv',
      'equality.csv',
      'feedback.csv',
      'ofsted.csv',
      'outcomes.csv',
      'participation.csv',
      'reach.csv',
      'self-evaluation.csv',
    ]);
    const readme = strFromU8(files['README.csv']);
    expect(readme.split('\n')[0]).toBe('File,Figure,Title,Definition,Small cells,Filter,Computed at');
    expect(readme).toContain('participation.csv,participation-by-phase,Participation by cohort and phase,"From CPD records');
    expect(strFromU8(files['budget.csv'])).toContain(
      'Budget per partnership\nCohort,Partnership,Allocated (£),Overrides (£),Committed (£),Spent (£),Available (£)\nWave 1,Alpha,10000.00,0.00,100.00,350.00,9550.00',
    );
  });

  it('signs a programme manager in to the dashboard by email, draws the figures, and filters them', async () => {
    await token('programme_manager', `programme:${id.programme}`, ['--email', 'Manager@Reports.example.org', '--name', 'Priya (programme manager)']);
    const browser = await launchBrowser();
    try {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      const base = `http://127.0.0.1:${platform.apiPort}`;
      await page.goto(`${base}/dashboard`);
      await page.getByRole('heading', { name: 'Sign in to stemflow' }).waitFor();
      // An address nobody registered gets the same answer, and no email.
      await page.getByLabel('Email address').fill('someone@else.example.org');
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('heading', { name: 'Check your email' }).waitFor();
      await page.goto(`${base}/`);
      await page.getByLabel('Email address').fill('manager@reports.example.org');
      await page.getByRole('button', { name: 'Continue' }).click();
      const email = await eventually(async () => {
        const found = platform.catcher.messages.find((m) => m.subject === 'Sign in to the stemflow dashboard');
        expect(found).toBeDefined();
        return found!;
      });
      expect(platform.catcher.messages.filter((m) => m.subject === 'Sign in to the stemflow dashboard')).toHaveLength(1);
      expect(email.to).toEqual(['manager@reports.example.org']);
      const link = email.text.match(/http:\/\/\S+\/sign-in\/[A-Za-z0-9_-]{43}/)![0];

      await page.goto(link);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: /^Welcome/ }).waitFor();
      await page.goto(`${base}/dashboard`);
      await page.getByRole('heading', { name: 'Programme figures' }).waitFor();
      expect(await page.locator('svg.chart').count()).toBeGreaterThanOrEqual(7);
      expect(await page.locator('svg.chart title').first().textContent()).toBe('Member schools by status, per partnership');
      const allRow = page.locator('table[data-figure="participation-by-phase"] tbody tr').last();
      expect(await allRow.locator('[data-column="uniqueParticipants"]').textContent()).toBe('5');
      expect(await page.locator('table[data-figure="participants-by-gender"] [data-column="female"]').first().textContent()).toBe('<5');
      await screenshot(page, platform.artifactsDir, 'dashboard');

      await page.getByLabel('Partnership', { exact: true }).selectOption({ label: 'Beta (Wave 1)' });
      await page.getByRole('button', { name: 'Show figures' }).click();
      await page.waitForURL(/partnershipId=/);
      expect(await page.locator('table[data-figure="participation-by-phase"] tbody tr').last().locator('[data-column="uniqueParticipants"]').textContent()).toBe('1');
      expect(await page.locator('table[data-figure="budget-by-partnership"] tbody tr').count()).toBe(1);
      await screenshot(page, platform.artifactsDir, 'dashboard-beta');

      // The same CSV the API gives, through the signed-in session.
      const csv = await page.request.get(`${base}/dashboard/csv/budget-by-partnership?partnershipId=${id.beta}`);
      expect((await csv.text()).trim().split('\n')[1]).toBe('Wave 1,Beta,5000.00,0.00,0.00,150.00,4850.00');

      // A sign-in link works once; signing out ends the session.
      const again = await page.request.post(link, { headers: { origin: base } });
      expect(again.status()).toBe(404);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in to stemflow' }).waitFor();
      const after = await page.request.get(`${base}/dashboard`, { maxRedirects: 0 });
      expect(after.status()).toBe(303);
    } finally {
      await browser.close();
    }
  });
});
