import type { CaughtMessage } from '#notifications/catcher/mail-catcher';
import { linkIn } from '../support/browser.js';
import { eventually, TestPlatform } from '../support/platform.js';
import { buildProgramme, type ProgrammeFixture } from '../support/programme.js';

/** STEM Ambassador requests through the API, the offer pages and the virtual clock. */
describe('STEM Ambassador requests', () => {
  let platform: TestPlatform;
  let crowd: ProgrammeFixture;
  let waves: ProgrammeFixture;
  const start = new Date('2027-01-11T09:00:00Z');
  // Middlesbrough; ambassadors live a few km away unless said otherwise.
  const here = { latitude: 54.5742, longitude: -1.235 };

  async function moveClock(to: string) {
    expect((await platform.http('POST', '/api/v1/admin/clock', { now: to })).status).toBe(200);
  }
  async function ok(method: string, path: string, body?: unknown) {
    const answer = await platform.http(method, path, body);
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
    return answer.body;
  }
  let n = 0;
  async function ambassador(over: Record<string, unknown> = {}) {
    n += 1;
    return ok('POST', '/api/v1/ambassadors', {
      name: `Ambassador ${String(n).padStart(2, '0')}`,
      email: `ambassador${n}@industry.example.com`,
      employer: `Employer ${n}`,
      sector: 'Engineering',
      skills: ['robotics'],
      keyStages: ['ks2', 'ks3'],
      postcode: 'TS1 3BA',
      latitude: here.latitude + 0.01 * (n % 5),
      longitude: here.longitude,
      travelRadiusKm: 30,
      availability: { weekdays: [1, 2, 3, 4, 5] },
      offersVirtual: false,
      check: { type: 'DBS', number: `00123456${String(n).padStart(4, '0')}`, checkedOn: '2025-06-01', expiresOn: '2029-06-01' },
      ...over,
    });
  }
  /** An ambassador's body with no position: placed by their postcode. */
  const bodyOf = (over: Record<string, unknown>) => ({ name: 'Placed Ambassador', keyStages: ['ks3'], postcode: 'TS5 6AB', travelRadiusKm: 20, availability: { weekdays: [1] }, ...over });
  async function prepareSchool(schoolId: string, contact: string) {
    await ok('PATCH', `/api/v1/schools/${schoolId}`, here);
    await ok('POST', `/api/v1/schools/${schoolId}/contacts`, { role: 'stem_lead', name: 'Amira Khan', email: contact });
  }
  /** Waits for exactly `count` caught messages that match (other workflows' mail, such as welcomes, may be about too). */
  const mailWhere = (match: (m: CaughtMessage) => boolean, count: number) =>
    eventually(async () => {
      const found = platform.catcher.messages.filter(match);
      if (found.length < count) throw new Error(`${found.length} of ${count} messages so far`);
      expect(found).toHaveLength(count);
      return found;
    });
  const offersTo = (email: string) => platform.catcher.messages.filter((m) => m.to[0] === email && m.subject.startsWith('Can you help?'));
  const post = (url: string, form: Record<string, string>) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: platform.baseUrl }, body: new URLSearchParams(form).toString() }).then(async (r) => ({
      status: r.status,
      html: await r.text(),
    }));
  const offersOf = async (requestId: string) =>
    platform.query<{ email: string; status: string; wave: number; decline_reason: string | null }>(
      `SELECT a.email, o.status, o.wave, o.decline_reason FROM ambassador_offers o JOIN ambassadors a ON a.id = o.ambassador_id WHERE o.request_id = $1 ORDER BY a.email`,
      [requestId],
    );

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'ambassador-requests', env: { CLOCK: 'virtual' } });
    await moveClock(start.toISOString());
    crowd = await buildProgramme(platform, { name: 'Crowd', schools: 2, urnBase: 610_000, workflowPolicy: { ambassadors: { waveSize: 25, offerHours: 72, escalateDaysBefore: 10 } } });
    waves = await buildProgramme(platform, {
      name: 'Waves',
      schools: 1,
      urnBase: 620_000,
      teamEmail: 'stem.team@programme.example.org',
      workflowPolicy: { ambassadors: { waveSize: 1, offerHours: 240, escalateDaysBefore: 10 } },
    });
    await prepareSchool(crowd.schoolIds[0], 'stem.lead@crowd.example.org');
    await prepareSchool(waves.schoolIds[0], 'stem.lead@waves.example.org');
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('20 ambassadors accept a request for 3 at the same moment: 3 confirmed, 17 told kindly it has filled, no error', async () => {
    const people = [];
    for (let i = 0; i < 20; i += 1) people.push(await ambassador());
    const request = await ok('POST', `/api/v1/schools/${crowd.schoolIds[0]}/ambassador-requests`, {
      activityType: 'Careers talk',
      startsAt: '2027-02-10T09:30:00Z',
      endsAt: '2027-02-10T11:30:00Z',
      keyStages: ['ks2'],
      numberWanted: 3,
      skillsWanted: ['robotics'],
      notes: 'Year 6',
    });
    expect(request).toMatchObject({ status: 'requested', numberWanted: 3 });

    const offers = await mailWhere((m) => m.subject.startsWith('Can you help?'), 20);
    expect(new Set(offers.map((m) => m.to[0]))).toEqual(new Set(people.map((p) => p.email)));
    expect(offers[0].subject).toBe('Can you help? Careers talk at Crowd School 1, Wed 10 Feb');
    await eventually(async () => expect((await ok('GET', `/api/v1/ambassador-requests/${request.id}`)).status).toBe('offered'));
    platform.catcher.clear();

    const answers = await Promise.all(offers.map((m) => post(linkIn(m, 'r'), { answer: 'accept' })));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(answers.filter((a) => a.html.includes('Thank you: you&#39;re going') || a.html.includes("Thank you: you're going"))).toHaveLength(3);
    expect(answers.filter((a) => a.html.includes('This request has just filled'))).toHaveLength(17);

    const rows = await offersOf(request.id);
    expect(rows.filter((r) => r.status === 'accepted')).toHaveLength(3);
    expect(rows.filter((r) => r.status === 'withdrawn')).toHaveLength(17);
    const view = await ok('GET', `/api/v1/ambassador-requests/${request.id}`);
    expect(view).toMatchObject({ status: 'filled', planned: { ambassadors: 3, accepted: 3 } });
    expect(view.team).toHaveLength(3);
    expect(view.team.every((t: { checkValid: boolean }) => t.checkValid)).toBe(true);

    // 3 confirmations, 17 kind "it has filled", and the school told who is coming: 21 messages.
    const ambassadorsAndSchool = new Set([...people.map((p) => p.email), 'stem.lead@crowd.example.org']);
    const mail = await mailWhere((m) => ambassadorsAndSchool.has(m.to[0]), 21);
    const accepted = new Set(rows.filter((r) => r.status === 'accepted').map((r) => r.email));
    expect(new Set(mail.filter((m) => m.subject.startsWith("You're going")).map((m) => m.to[0]))).toEqual(accepted);
    const filled = mail.filter((m) => m.subject === 'Thank you – Careers talk at Crowd School 1 has filled');
    expect(filled).toHaveLength(17);
    expect(filled.some((m) => accepted.has(m.to[0]))).toBe(false);
    const [told] = mail.filter((m) => m.to[0] === 'stem.lead@crowd.example.org');
    expect(told.subject).toBe('STEM Ambassadors coming to Careers talk, Wed 10 Feb');
    for (const p of people.filter((x) => accepted.has(x.email))) expect(told.text).toContain(`- ${p.name}, ${p.employer} (safeguarding check valid)`);
    // The school is vouched to, never shown a certificate.
    expect(told.text).not.toMatch(/00123456|2029|DBS/);
  });

  it('schools see who is coming and "check valid"; only staff see the checks themselves', async () => {
    const [request] = await platform.query<{ id: string }>(`SELECT id FROM ambassador_requests WHERE school_id = $1`, [crowd.schoolIds[0]]);
    const made = await platform.run('node', ['dist/tools/token.js', '--role', 'school_contact', '--scope', `school:${crowd.schoolIds[0]}`, '--name', 'school'], { DATABASE_URL: platform.databaseUrl });
    const token = made.stdout
      .trim()
      .split(/\s+/)
      .find((w) => w.startsWith('sf_'))!;
    const asSchool = await platform.http('GET', `/api/v1/ambassador-requests/${request.id}`, undefined, { authorization: `Bearer ${token}` });
    expect(asSchool.status).toBe(200);
    expect(asSchool.body.team).toHaveLength(3);
    expect(asSchool.body.offers).toBeUndefined();
    expect(asSchool.text).not.toMatch(/00123456|2029-06-01|"DBS"/);
    const asAdmin = await ok('GET', `/api/v1/ambassador-requests/${request.id}`);
    expect(asAdmin.offers[0].check).toEqual({ type: 'DBS', expiresOn: '2029-06-01' });
    const other = await platform.http('GET', `/api/v1/schools/${crowd.schoolIds[1]}/ambassador-requests`, undefined, { authorization: `Bearer ${token}` });
    expect(other.status).toBe(404);
  });

  it('waves: a decline asks the next; a check that lapses before the visit is never offered; an unanswered offer expires; the short request escalates with the reason', async () => {
    const nearest = await ambassador({ skills: ['astronomy'], latitude: here.latitude, longitude: here.longitude });
    const lapsing = await ambassador({
      skills: ['astronomy'],
      latitude: here.latitude + 0.001,
      longitude: here.longitude,
      check: { type: 'DBS', number: 'LAPSING-01', checkedOn: '2024-01-20', expiresOn: '2027-01-20' },
    });
    const further = await ambassador({ skills: ['astronomy'], latitude: here.latitude + 0.1, longitude: here.longitude });
    await ambassador({ skills: ['astronomy'], latitude: 51.5, longitude: -0.12 }); // London: out of range
    // The lapsing check has its renewal reminder planned 7 days before (60 and 30 are already past).
    const planned = await platform.query<{ key: string; status: string }>(`SELECT key, status FROM scheduled_actions WHERE kind = 'ambassador.check_renewal' AND subject_id = $1`, [lapsing.id]);
    expect(planned).toEqual([{ key: `check-renewal:${lapsing.id}:2027-01-20:7`, status: 'planned' }]);
    platform.catcher.clear();

    const request = await ok('POST', `/api/v1/schools/${waves.schoolIds[0]}/ambassador-requests`, {
      activityType: 'Stargazing evening',
      startsAt: '2027-03-10T17:30:00Z',
      endsAt: '2027-03-10T19:30:00Z',
      keyStages: ['ks3'],
      numberWanted: 1,
      skillsWanted: ['astronomy'],
    });
    const [first] = await mailWhere((m) => m.subject.startsWith('Can you help? Stargazing'), 1);
    expect(first.to[0]).toBe(nearest.email);

    // The lapsing ambassador's check expires; its renewal reminder went first. The offer runs 10 days.
    await moveClock('2027-01-21T08:00:00Z');
    await eventually(async () => expect(platform.catcher.messages.some((m) => m.to[0] === lapsing.email && m.subject === 'Your DBS check expires in 7 days')).toBe(true));
    const declined = await post(linkIn(first, 'r'), { answer: 'decline', reason: 'Away that week' });
    expect(declined.status).toBe(200);
    expect(declined.html).toContain('We will ask someone else');
    await eventually(async () => expect(offersTo(further.email)).toHaveLength(1));
    expect(offersTo(lapsing.email)).toHaveLength(0);
    expect(await offersOf(request.id)).toEqual([
      { email: nearest.email, status: 'declined', wave: 1, decline_reason: 'Away that week' },
      { email: further.email, status: 'offered', wave: 2, decline_reason: null },
    ]);

    // Nobody answers the second offer in its 10 days: it expires, and nobody eligible is left.
    await moveClock('2027-01-31T09:00:00Z');
    await eventually(async () => {
      const view = await ok('GET', `/api/v1/ambassador-requests/${request.id}`);
      expect(view.status).toBe('matching');
      expect(view.shortReason).toBe('0 of 1 accepted; 1 declined; 1 did not answer in time; nobody else eligible within range');
    });
    expect((await offersOf(request.id)).map((o) => o.status)).toEqual(['declined', 'expired']);

    // Ten days before, the programme team hears why.
    await moveClock('2027-02-28T18:00:00Z');
    const escalation = await eventually(async () => {
      const found = platform.catcher.messages.find((m: CaughtMessage) => m.to[0] === 'stem.team@programme.example.org');
      if (!found) throw new Error('no escalation yet');
      return found;
    });
    expect(escalation.subject).toBe('Ambassador request still short: Waves School 1, Wed 10 Mar');
    expect(escalation.text).toContain('Why: 0 of 1 accepted; 1 declined; 1 did not answer in time; nobody else eligible within range.');
    expect((await ok('GET', `/api/v1/ambassador-requests/${request.id}`)).escalatedAt).not.toBeNull();

    // The day passes with nobody coming: the request has expired.
    await moveClock('2027-03-10T18:00:00Z');
    await eventually(async () => expect((await ok('GET', `/api/v1/ambassador-requests/${request.id}`)).status).toBe('expired'));
  });

  it('after the day the school confirms delivery: planned against delivered is kept', async () => {
    await moveClock('2027-03-11T09:00:00Z');
    const [request] = await platform.query<{ id: string }>(`SELECT id FROM ambassador_requests WHERE school_id = $1`, [crowd.schoolIds[0]]);
    const delivered = await ok('POST', `/api/v1/ambassador-requests/${request.id}/delivery`, { delivered: true, pupilsReached: 58, notes: 'Brilliant' });
    expect(delivered).toMatchObject({ status: 'delivered', planned: { ambassadors: 3, accepted: 3 }, delivery: { delivered: true, pupilsReached: 58, ambassadorHours: 0 } });
  });

  it('a renewed check supersedes the reminders planned for the old one', async () => {
    const a = await ambassador({ check: { type: 'PVG', number: 'PVG-0001', checkedOn: '2024-06-01', expiresOn: '2027-06-01' } });
    const before = await platform.query<{ key: string; status: string }>(`SELECT key, status FROM scheduled_actions WHERE subject_id = $1 ORDER BY due_at`, [a.id]);
    expect(before.map((r) => r.status)).toEqual(['planned', 'planned', 'planned']);
    await ok('PATCH', `/api/v1/ambassadors/${a.id}`, { check: { type: 'PVG', number: 'PVG-0002', checkedOn: '2027-03-20', expiresOn: '2030-03-20' } });
    const after = await platform.query<{ key: string; status: string }>(`SELECT key, status FROM scheduled_actions WHERE subject_id = $1 ORDER BY due_at`, [a.id]);
    expect(after.filter((r) => r.key.includes(':2027-06-01:')).map((r) => r.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(after.filter((r) => r.key.includes(':2030-03-20:')).map((r) => r.status)).toEqual(['planned', 'planned', 'planned']);
  });

  it('an ambassador sent with a postcode and no position is placed where the schools there are; a postcode no school is near is refused by name', async () => {
    // Two schools at one postcode (one written as typed, without its space) and one elsewhere in the district.
    await ok('POST', '/api/v1/schools', { urn: 650_001, name: 'Linthorpe Primary', phase: 'primary', postcode: 'TS5 6AB', latitude: 54.56, longitude: -1.25 });
    await ok('POST', '/api/v1/schools', { urn: 650_002, name: 'Linthorpe Infants', phase: 'primary', postcode: 'ts56ab', latitude: 54.562, longitude: -1.252 });
    await ok('POST', '/api/v1/schools', { urn: 650_003, name: 'Acklam Grange', phase: 'secondary', postcode: 'TS5 7XY', latitude: 54.55, longitude: -1.26 });
    const placed = await ambassador({ postcode: 'ts5 6ab', latitude: undefined, longitude: undefined, check: undefined });
    expect(placed).toMatchObject({ postcode: 'TS5 6AB', latitude: 54.561, longitude: -1.251, locationPrecision: 'postcode' });

    // A new postcode with no position moves them; a position given is kept as given.
    const moved = await ok('PATCH', `/api/v1/ambassadors/${placed.id}`, { postcode: 'TS5 8ZZ' });
    expect(moved).toMatchObject({ postcode: 'TS5 8ZZ', locationPrecision: 'district' });
    expect(moved.latitude).toBeCloseTo((54.56 + 54.562 + 54.55) / 3, 5);
    expect(moved.longitude).toBeCloseTo((-1.25 - 1.252 - 1.26) / 3, 5);
    const [event] = await platform.query<{ fields: string[] }>(`SELECT payload->'fields' AS fields FROM outbox_events WHERE type = 'ambassador.updated' AND aggregate_id = $1`, [placed.id]);
    expect(event.fields).toEqual(expect.arrayContaining(['postcode', 'latitude', 'longitude']));
    const given = await ok('PATCH', `/api/v1/ambassadors/${placed.id}`, { postcode: 'TS5 7XY', latitude: 54.5, longitude: -1.3 });
    expect(given).toMatchObject({ postcode: 'TS5 7XY', latitude: 54.5, longitude: -1.3, locationPrecision: null });

    const count = await platform.count('ambassadors');
    const nowhere = await platform.http('POST', '/api/v1/ambassadors', bodyOf({ email: 'shetland@industry.example.com', postcode: 'ZE2 9AA' }));
    expect(nowhere.status).toBe(400);
    expect(nowhere.body.errors).toEqual([{ field: 'postcode', message: 'we could not place this postcode: give latitude and longitude' }]);
    const half = await platform.http('POST', '/api/v1/ambassadors', bodyOf({ email: 'half@industry.example.com', latitude: 54.5 }));
    expect(half.status).toBe(400);
    expect([...new Set(half.body.errors.map((e: { field: string }) => e.field))]).toEqual(['longitude']);
    expect(await platform.count('ambassadors')).toBe(count);
    const unmoved = await platform.http('PATCH', `/api/v1/ambassadors/${placed.id}`, { postcode: 'ZE2 9AA' });
    expect(unmoved.status).toBe(400);
    expect(unmoved.body.errors).toEqual([{ field: 'postcode', message: 'we could not place this postcode: give latitude and longitude' }]);
    expect(await ok('GET', `/api/v1/ambassadors/${placed.id}`)).toMatchObject({ postcode: 'TS5 7XY', latitude: 54.5, longitude: -1.3 });
  });
});
