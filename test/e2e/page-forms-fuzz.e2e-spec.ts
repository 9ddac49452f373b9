import fc from 'fast-check';
import { linkIn } from '../support/browser.js';
import { eventually, TestPlatform } from '../support/platform.js';
import { addTeacher, buildProgramme } from '../support/programme.js';

/**
 * The three pages people open from their emails, fed random form bodies: the page's own
 * field names with random values, repeated fields (which arrive as lists), fields no form
 * has, and no fields at all. Every answer is a page (200, 303 or 422), never a 5xx, and the
 * page still opens afterwards.
 */
describe('the pages opened from emails, under random form bodies', () => {
  let platform: TestPlatform;
  const links: Record<'e' | 'r' | 's', string> = {} as never;

  const ok = async (method: string, path: string, body?: unknown) => {
    const answer = await platform.http(method, path, body);
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
    return answer.body;
  };
  const moveClock = (iso: string) => ok('POST', '/api/v1/admin/clock', { now: iso });
  const mailTo = (email: string, subject: RegExp) =>
    eventually(async () => {
      const found = platform.catcher.messages.find((m) => m.to.includes(email) && subject.test(m.subject));
      if (!found) throw new Error(`no message to ${email} matching ${subject}`);
      return found;
    });

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'page-forms-fuzz', env: { CLOCK: 'virtual' } });
    await moveClock('2027-01-12T10:00:00Z');
    const fixture = await buildProgramme(platform, {
      name: 'Fuzz',
      schools: 1,
      urnBase: 960_000,
      workflowPolicy: { surveys: { maxReminders: 0 }, ambassadors: { waveSize: 2, offerHours: 72, escalateDaysBefore: 10 } },
    });
    const schoolId = fixture.schoolIds[0];
    const contact = 'stem.lead@fuzz.example.org';
    await ok('PATCH', `/api/v1/schools/${schoolId}`, { latitude: 54.57, longitude: -1.23 });
    await ok('POST', `/api/v1/schools/${schoolId}/contacts`, { role: 'stem_lead', name: 'Sam Lead', email: contact });
    await ok('PUT', `/api/v1/cohorts/${fixture.cohortId}/self-evaluation`, { frameworkKey: 'iris-ri', elementKeys: ['1.5', '2.1'] });
    // A school that joins mid-term, once the cohort has chosen its framework, is invited at once.
    const school = await ok('POST', '/api/v1/schools', { urn: 960_100, name: 'Fuzz Academy', phase: 'secondary', contactName: 'Kim Lead', contactEmail: 'kim@fuzz.example.org' });
    await ok('POST', `/api/v1/partnerships/${fixture.partnershipId}/members`, { schoolId: school.id });
    links.e = linkIn(await mailTo('kim@fuzz.example.org', /self-evaluation is open/), 'e');

    await ok('POST', '/api/v1/ambassadors', {
      name: 'Jo Okafor',
      email: 'jo@industry.example.com',
      employer: 'Tees Robotics Ltd',
      skills: ['coding'],
      keyStages: ['ks3'],
      postcode: 'TS1 3BA',
      latitude: 54.58,
      longitude: -1.23,
      travelRadiusKm: 25,
      availability: { weekdays: [1, 2, 3, 4, 5] },
      check: { type: 'DBS', number: '001122334455', checkedOn: '2025-01-01', expiresOn: '2029-01-01' },
    });
    await ok('POST', `/api/v1/schools/${schoolId}/ambassador-requests`, {
      activityType: 'Code club visit',
      startsAt: '2027-02-03T14:00:00Z',
      endsAt: '2027-02-03T15:30:00Z',
      keyStages: ['ks3'],
      numberWanted: 1,
      skillsWanted: ['coding'],
    });
    links.r = linkIn(await mailTo('jo@industry.example.com', /^Can you help/), 'r');

    const teacher = await addTeacher(platform, schoolId, 1);
    const course = await ok('POST', '/api/v1/courses', { programmeId: fixture.programmeId, title: 'Fuzzing forms', subject: 'computing', format: 'local', hours: 3, costPence: 0 });
    const session = await ok('POST', `/api/v1/courses/${course.id}/sessions`, { startsAt: '2027-01-12T12:00:00Z', endsAt: '2027-01-12T15:00:00Z', venue: 'Hub', capacity: 5 });
    const booking = await ok('POST', `/api/v1/sessions/${session.id}/bookings`, { personId: teacher.id });
    await moveClock('2027-01-12T16:00:00Z');
    await ok('POST', `/api/v1/sessions/${session.id}/register`, { attended: [booking.id], noShow: [] });
    links.s = linkIn(await mailTo(teacher.email, /^Feedback on your CPD/), 's');
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const body = (names: string[]) =>
    fc
      .array(
        fc.tuple(
          fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 20 })),
          fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('', '0', '-1', '999999', 'yes', 'no', 'accept', 'submit', 'draft')),
        ),
        { maxLength: 12 },
      )
      .map((pairs) => new URLSearchParams(pairs).toString());

  for (const page of ['e', 'r', 's'] as const) {
    it(`/${page}/: every random body gets a page, never a 5xx`, async () => {
      const html = await (await fetch(links[page])).text();
      const names = [...new Set([...html.matchAll(/name="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&')))];
      expect(names.length).toBeGreaterThan(0);
      const statuses = new Set<number>();
      await fc.assert(
        fc.asyncProperty(body(names), async (form) => {
          const answer = await fetch(links[page], { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: platform.baseUrl }, body: form, redirect: 'manual' });
          statuses.add(answer.status);
          expect(answer.status).toBeLessThan(500);
          expect([200, 303, 422]).toContain(answer.status);
        }),
        { numRuns: 60, seed: 20_261_123 },
      );
      expect((await fetch(links[page])).status).toBe(200);
      process.stdout.write(`page fuzz /${page}/: 60 bodies, answers ${[...statuses].sort().join(', ')}\n`);
    });
  }
});
