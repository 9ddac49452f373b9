import { linkIn } from '../support/browser.js';
import { eventually, TestPlatform } from '../support/platform.js';
import { buildProgramme } from '../support/programme.js';

/**
 * Erasing a STEM Ambassador: their name, address and check go from every record and every
 * copy (their own emails, the school's "who is coming" email, the event log), their links
 * stop working, they leave the pool, and the ambassador figures read the same.
 */
describe('erasing a STEM Ambassador', () => {
  let platform: TestPlatform;
  let requestId: string;
  let joId: string;
  const jo = { name: 'Jo Okafor', email: 'jo.okafor@industry.example.com', employer: 'Tees Robotics Ltd' };
  let link: string;

  const ok = async (method: string, path: string, body?: unknown) => {
    const answer = await platform.http(method, path, body);
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
    return answer.body;
  };
  const figures = async () => {
    const out: Record<string, unknown> = {};
    for (const key of ['ambassador-requests', 'ambassador-delivery', 'ambassador-requests-by-key-stage']) out[key] = (await ok('GET', `/api/v1/reports/${key}`)).rows;
    return out;
  };

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'privacy-ambassador', env: { CLOCK: 'virtual' } });
    await ok('POST', '/api/v1/admin/clock', { now: '2027-01-11T09:00:00Z' });
    const fixture = await buildProgramme(platform, { name: 'Erase', schools: 1, urnBase: 970_000, workflowPolicy: { ambassadors: { waveSize: 2, offerHours: 72, escalateDaysBefore: 10 } } });
    const schoolId = fixture.schoolIds[0];
    await ok('PATCH', `/api/v1/schools/${schoolId}`, { latitude: 54.57, longitude: -1.23 });
    await ok('POST', `/api/v1/schools/${schoolId}/contacts`, { role: 'stem_lead', name: 'Amira Khan', email: 'stem.lead@erase.example.org' });
    joId = (
      await ok('POST', '/api/v1/ambassadors', {
        ...jo,
        skills: ['coding'],
        keyStages: ['ks3'],
        postcode: 'TS1 3BA',
        latitude: 54.58,
        longitude: -1.23,
        travelRadiusKm: 25,
        availability: { weekdays: [1, 2, 3, 4, 5] },
        check: { type: 'DBS', number: '001122334455', checkedOn: '2025-01-01', expiresOn: '2029-01-01' },
      })
    ).id;
    requestId = (
      await ok('POST', `/api/v1/schools/${schoolId}/ambassador-requests`, {
        activityType: 'Code club visit',
        startsAt: '2027-02-03T14:00:00Z',
        endsAt: '2027-02-03T15:30:00Z',
        keyStages: ['ks3'],
        numberWanted: 1,
        skillsWanted: ['coding'],
      })
    ).id;
    const offer = await eventually(async () => {
      const found = platform.catcher.messages.find((m) => m.to.includes(jo.email) && m.subject.startsWith('Can you help'));
      expect(found).toBeDefined();
      return found!;
    });
    link = linkIn(offer, 'r');
    const accepted = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: platform.baseUrl }, body: 'answer=accept' });
    expect(accepted.status).toBe(200);
    // The school is told who is coming, by name.
    await eventually(async () => expect(platform.catcher.messages.some((m) => m.to.includes('stem.lead@erase.example.org') && m.text.includes(jo.name))).toBe(true));
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('leaves no trace of their name or address, keeps what they did, and the figures read the same', async () => {
    const before = await figures();
    const erased = await ok('POST', `/api/v1/ambassadors/${joId}/erase`, {});
    expect(erased.pseudonym).toMatch(/^Erased person [0-9a-f]{12}$/);
    expect((await platform.http('POST', `/api/v1/ambassadors/${joId}/erase`, {})).status).toBe(409);
    expect(await figures()).toEqual(before);

    const answers = [
      await platform.http('GET', `/api/v1/ambassadors/${joId}`),
      await platform.http('GET', '/api/v1/ambassadors'),
      await platform.http('GET', `/api/v1/ambassador-requests/${requestId}`),
      await platform.http('GET', '/api/v1/notifications?pageSize=200'),
    ];
    // Asked by their old address, the ledger holds nothing for it any more.
    expect((await ok('GET', `/api/v1/notifications/recipients/${encodeURIComponent(jo.email)}`)).notifications).toEqual([]);
    for (const answer of answers) {
      expect(answer.status).toBeLessThan(500);
      for (const secret of [jo.name, jo.email, jo.employer, '001122334455', 'Okafor']) expect(answer.text).not.toContain(secret);
    }
    const profile = answers[0].body;
    expect(profile).toMatchObject({ name: erased.pseudonym, status: 'left' });
    // Stored copies: the school's email, the event log.
    const [copies] = await platform.query(
      `SELECT (SELECT count(*)::int FROM notifications WHERE data::text ILIKE '%okafor%' OR subject ILIKE '%okafor%' OR recipient_email ILIKE '%okafor%') AS mail,
              (SELECT count(*)::int FROM outbox_events WHERE payload::text ILIKE '%okafor%') AS events`,
    );
    expect(copies).toEqual({ mail: 0, events: 0 });
    // What they did stays: the accepted offer counts.
    const [offer] = await platform.query(`SELECT status FROM ambassador_offers WHERE ambassador_id = $1`, [joId]);
    expect(offer.status).toBe('accepted');
    expect((await fetch(link)).status).toBe(404);
  });
});
