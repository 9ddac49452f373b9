import type { Browser, Page } from 'playwright-core';
import { gridToLatLon } from '#domain';
import { expectAccessible, launchBrowser, linkIn, phonePage, screenshot, withoutJavaScript } from '../support/browser.js';
import { makeStaff, openArea, signIn } from '../support/console.js';
import { THREE_SCHOOLS_CSV } from '../support/fixtures.js';
import { eventually, TestPlatform } from '../support/platform.js';
import { buildProgramme, type ProgrammeFixture } from '../support/programme.js';

/** Every page is checked by axe at two widths; on a busy machine that takes a while. */
const STEP_TIMEOUT = 300_000;

/**
 * STEM Ambassadors in the console, as a programme manager works with them: the pool with
 * each safeguarding check flagged when it has expired or is about to, an ambassador's
 * profile, schools' requests by status, a request's offers by wave and why it escalated,
 * cancelling a request with a reason (the ambassadors offered it are told) and recording
 * a delivery; adding an ambassador to the pool and changing their profile, placed on the
 * map by their postcode from the schools there or by a position typed in; another
 * programme's manager and another partnership's lead find nothing, and a lead may add or
 * change no one.
 */
describe('STEM Ambassador pages', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let base: string;
  let tees: ProgrammeFixture;
  let other: ProgrammeFixture;
  let visitId: string;
  let talkId: string;
  let joId: string;
  const MANAGER = 'priya.shah@ambassador-pages.example.org';
  const OTHER_MANAGER = 'oscar.reid@ambassador-pages.example.org';
  const OTHER_LEAD = 'lena.ward@ambassador-pages.example.org';
  const JO = 'jo@industry.example.com';

  const shot = (page: Page, name: string) => screenshot(page, platform.artifactsDir, name);
  const ok = (method: string, path: string, body?: unknown) => platform.ok(method, path, body);
  const moveClock = (iso: string) => ok('POST', '/api/v1/admin/clock', { now: iso });
  const mailTo = (email: string, match: (m: { subject: string; text: string }) => boolean) =>
    eventually(async () => {
      const found = platform.catcher.messages.find((m) => m.to.includes(email) && match(m));
      if (!found) throw new Error(`no matching message to ${email} yet`);
      return found;
    });
  const done = (page: Page, text: string) => page.locator('.govuk-notification-banner--success').getByText(text).waitFor();
  const ambassador = (name: string, email: string, expiresOn: string, skills: string[]) =>
    ok('POST', '/api/v1/ambassadors', {
      name,
      email,
      employer: `${name.split(' ')[1]} Engineering Ltd`,
      skills,
      keyStages: ['ks3', 'ks4'],
      postcode: 'TS1 3BA',
      latitude: 54.58,
      longitude: -1.23,
      travelRadiusKm: 25,
      availability: { weekdays: [1, 2, 3, 4, 5] },
      check: { type: 'DBS', number: '001122334455', checkedOn: '2024-01-01', expiresOn },
    });

  beforeAll(async () => {
    // The manager signs in for each step and again once the activity has happened.
    platform = await TestPlatform.start({ name: 'ambassadors-pages', env: { CLOCK: 'virtual', SIGN_IN_EMAILS_PER_HOUR: '50' } });
    base = platform.baseUrl;
    await moveClock('2027-01-12T10:00:00Z');
    const policy = { ambassadors: { waveSize: 2, offerHours: 72, escalateDaysBefore: 10 } };
    tees = await buildProgramme(platform, { name: 'Tees Ambassadors', schools: 1, urnBase: 630_000, workflowPolicy: policy });
    other = await buildProgramme(platform, { name: 'Solent Ambassadors', schools: 1, urnBase: 640_000, workflowPolicy: policy });
    const schoolId = tees.schoolIds[0];
    // Schools of the national register, placed by their grid references: where postcodes are.
    await ok('POST', '/api/v1/schools/import', THREE_SCHOOLS_CSV);
    await ok('PATCH', `/api/v1/schools/${schoolId}`, { latitude: 54.57, longitude: -1.23 });
    await ok('POST', `/api/v1/schools/${schoolId}/contacts`, { role: 'stem_lead', name: 'Sam Lead', email: 'stem.lead@tees-school.example.org' });
    joId = (await ambassador('Jo Okafor', JO, '2029-01-01', ['coding'])).id;
    await ambassador('Ravi Mehta', 'ravi@industry.example.com', '2027-02-20', ['coding', 'robotics']);
    await ambassador('Pat Doyle', 'pat@industry.example.com', '2026-12-01', ['coding']);
    const request = (activityType: string, startsAt: string, endsAt: string, numberWanted: number) =>
      ok('POST', `/api/v1/schools/${schoolId}/ambassador-requests`, { activityType, startsAt, endsAt, keyStages: ['ks3'], numberWanted, skillsWanted: ['coding'] });
    visitId = (await request('Code club visit', '2027-02-03T14:00:00Z', '2027-02-03T15:30:00Z', 1)).id;
    // Within ten days of the talk and more wanted than the pool holds: it escalates at once.
    talkId = (await request('Careers talk', '2027-01-19T09:30:00Z', '2027-01-19T10:30:00Z', 3)).id;
    const offer = await mailTo(JO, (m) => m.subject.startsWith('Can you help') && m.text.includes('Code club visit'));
    const accepted = await fetch(linkIn(offer, 'r'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: platform.baseUrl },
      body: new URLSearchParams({ answer: 'accept' }).toString(),
    });
    expect(accepted.status).toBeLessThan(400);
    await eventually(async () => {
      const [talk] = await platform.query<{ escalated_at: Date | null }>(`SELECT escalated_at FROM ambassador_requests WHERE id = $1`, [talkId]);
      if (!talk.escalated_at) throw new Error('not escalated yet');
    });
    await makeStaff(platform, { role: 'programme_manager', scope: `programme:${tees.programmeId}`, name: 'Priya Shah', email: MANAGER });
    await makeStaff(platform, { role: 'programme_manager', scope: `programme:${other.programmeId}`, name: 'Oscar Reid', email: OTHER_MANAGER });
    await makeStaff(platform, { role: 'educational_lead', scope: `partnership:${other.partnershipId}`, name: 'Lena Ward', email: OTHER_LEAD });
    browser = await launchBrowser();
  }, STEP_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  }, STEP_TIMEOUT);

  it(
    'a manager reads the pool with each check flagged, an ambassador, the requests by status, and a request with its waves and why it escalated',
    async () => {
      const page = await phonePage(browser);
      await signIn(page, platform, MANAGER);
      await openArea(page, 'STEM Ambassadors');
      await page.getByRole('heading', { name: 'STEM Ambassadors', level: 1 }).waitFor();
      const rowOf = (name: string) => page.getByRole('row').filter({ has: page.getByRole('link', { name }) });
      await rowOf('Jo Okafor').getByText('Valid').waitFor();
      await rowOf('Ravi Mehta').getByText('Expires in 39 days').waitFor();
      await rowOf('Pat Doyle').getByText('Expired').waitFor();
      await expect(rowOf('Ravi Mehta').textContent()).resolves.toMatch(/coding, robotics[\s\S]*KS3, KS4[\s\S]*20 February 2027/);
      await expectAccessible(page);
      await shot(page, '01-ambassadors');

      await page.getByLabel('Name, employer or skill').fill('robotics');
      await page.getByRole('button', { name: 'Find ambassadors' }).click();
      await page.getByText('1 ambassador matching').waitFor();
      await page.getByRole('link', { name: 'Ravi Mehta' }).click();
      await page.getByRole('heading', { name: 'Ravi Mehta' }).waitFor();
      await page.getByText('Expires in 39 days').waitFor();
      await page.getByText('001122334455').waitFor();
      await expectAccessible(page);
      await shot(page, '02-ambassador');

      // A renewed check recorded: the dates the wrong way round are refused, keeping what was typed.
      await page.getByRole('button', { name: 'Record a safeguarding check' }).click();
      await page.getByRole('heading', { name: 'Record a safeguarding check' }).waitFor();
      await page.getByLabel('Certificate number').fill('009988776655');
      await page.getByLabel('Date of the check').fill('2027-01-11');
      await page.getByLabel('Expires on').fill('2027-01-01');
      await page.getByRole('button', { name: 'Save check' }).click();
      await page.locator('.govuk-error-summary').getByRole('link', { name: 'The expiry date must be after the date the check was made' }).waitFor();
      await expect(page.getByLabel('Certificate number').inputValue()).resolves.toBe('009988776655');
      await expectAccessible(page);
      await shot(page, '02b-check-errors');
      await page.getByLabel('Expires on').fill('2030-01-11');
      await page.getByRole('button', { name: 'Save check' }).click();
      await done(page, 'Safeguarding check saved');
      await page.getByText('11 January 2030').waitFor();
      const [ravi] = await platform.query<{ check_number: string; expires: string; status: string }>(
        `SELECT check_number, to_char(check_expires_on, 'YYYY-MM-DD') AS expires, status FROM ambassadors WHERE email = 'ravi@industry.example.com'`,
      );
      expect(ravi).toEqual({ check_number: '009988776655', expires: '2030-01-11', status: 'active' });

      await page.goto(`${base}/ambassadors`);
      await page.getByRole('link', { name: "Schools' requests for ambassadors" }).click();
      await page.getByRole('heading', { name: 'Ambassador requests' }).waitFor();
      await page.getByText('2 requests').waitFor();
      await expectAccessible(page);
      await shot(page, '03-requests');
      await page.getByLabel('Status').selectOption({ label: 'Filled' });
      await page.getByRole('button', { name: 'Show requests' }).click();
      await page.getByText('1 request filled').waitFor();
      await expect(page.getByRole('link', { name: 'Careers talk' }).count()).resolves.toBe(0);
      await page.getByRole('link', { name: 'Code club visit' }).click();

      await page.getByRole('heading', { name: 'Code club visit' }).waitFor();
      // 14:00 UTC in February is 14:00 in London.
      await page.getByText('3 February 2027 at 2pm to 3:30pm').waitFor();
      const wave = page.getByRole('table', { name: 'Wave 1' });
      await wave.getByRole('row').filter({ hasText: 'Jo Okafor' }).getByText('Accepted').waitFor();
      await wave.getByRole('row').filter({ hasText: 'Ravi Mehta' }).waitFor();
      await expect(wave.textContent()).resolves.not.toContain('Pat Doyle');
      await page.getByText('Delivery can be recorded once the activity has started').waitFor();
      await expectAccessible(page);
      await shot(page, '04-request');

      await page.goto(`${base}/ambassadors/requests`);
      await page.getByRole('link', { name: 'Careers talk' }).click();
      await page.getByRole('heading', { name: 'Careers talk' }).waitFor();
      await page.locator('.govuk-inset-text strong', { hasText: 'Escalated 12 January 2027' }).waitFor();
      const [talk] = await platform.query<{ escalation_reason: string }>(`SELECT escalation_reason FROM ambassador_requests WHERE id = $1`, [talkId]);
      expect(talk.escalation_reason).toMatch(/0 of 3 accepted/);
      await page.locator('.govuk-inset-text').getByText(talk.escalation_reason).waitFor();
      await expectAccessible(page);
      await shot(page, '05-request-escalated');

      // Cancelling asks why before anything is done.
      await page.getByRole('button', { name: 'Cancel this request' }).click();
      await page.getByRole('heading', { name: 'Cancel this request' }).waitFor();
      await page.getByRole('button', { name: 'Cancel request' }).click();
      await page.locator('.govuk-error-summary').getByRole('link', { name: 'Enter why the request is cancelled' }).waitFor();
      await expect(page.title()).resolves.toMatch(/^Error: Cancel this request/);
      await expectAccessible(page);
      await shot(page, '06-cancel-errors');
      expect((await platform.query<{ status: string }>(`SELECT status FROM ambassador_requests WHERE id = $1`, [talkId]))[0].status).toBe('offered');
      await page.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    'with JavaScript off: a request cancelled with a reason, and the ambassadors offered it told',
    async () => {
      const page = await withoutJavaScript(browser);
      await signIn(page, platform, MANAGER);
      await page.goto(`${base}/ambassadors/requests/${talkId}`);
      await page.getByRole('button', { name: 'Cancel this request' }).click();
      await page.getByLabel('Why is it cancelled?').fill('The careers fair moved to the summer term');
      await page.getByRole('button', { name: 'Cancel request' }).click();
      await done(page, 'Request cancelled');
      await page.getByText('The careers fair moved to the summer term').waitFor();
      await shot(page, '07-cancelled-no-js');
      const [talk] = await platform.query<{ status: string; cancelled_reason: string }>(`SELECT status, cancelled_reason FROM ambassador_requests WHERE id = $1`, [talkId]);
      expect(talk).toEqual({ status: 'cancelled', cancelled_reason: 'The careers fair moved to the summer term' });
      const offers = await platform.query<{ status: string }>(`SELECT status FROM ambassador_offers WHERE request_id = $1`, [talkId]);
      expect(offers.length).toBeGreaterThan(0);
      expect(offers.every((o) => o.status === 'withdrawn')).toBe(true);
      const told = await mailTo(JO, (m) => m.subject.startsWith('Cancelled: Careers talk'));
      expect(told.text).toContain('has cancelled its request for Careers talk');
      await expect(page.getByRole('button', { name: 'Cancel this request' }).count()).resolves.toBe(0);
      // A second cancel, as from a back button, is refused with a page.
      const again = await platform.http('POST', `/api/v1/ambassador-requests/${talkId}/cancel`, { reason: 'again' });
      expect(again.status).toBe(409);
      await page.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    'once the visit has happened the manager records its delivery',
    async () => {
      await moveClock('2027-02-03T16:00:00Z');
      const page = await phonePage(browser);
      await signIn(page, platform, MANAGER);
      await page.goto(`${base}/ambassadors/requests/${visitId}`);
      await page.getByRole('button', { name: 'Record delivery' }).click();
      await page.locator('.govuk-error-summary').getByRole('link', { name: 'Select whether the activity took place with the ambassadors' }).waitFor();
      await expectAccessible(page);
      await page.getByLabel('Yes', { exact: true }).check();
      await page.getByLabel('Pupils reached (optional)').fill('58');
      await page.getByLabel('Notes (optional)').fill('Year 8 built line followers');
      await page.getByRole('button', { name: 'Record delivery' }).click();
      await done(page, 'Delivery recorded');
      await page.getByText('Year 8 built line followers').waitFor();
      await expectAccessible(page);
      await shot(page, '08-delivered');
      const [visit] = await platform.query<{ status: string; delivered: boolean; pupils_reached: number; delivery_notes: string }>(
        `SELECT status, delivered, pupils_reached, delivery_notes FROM ambassador_requests WHERE id = $1`,
        [visitId],
      );
      expect(visit).toEqual({ status: 'delivered', delivered: true, pupils_reached: 58, delivery_notes: 'Year 8 built line followers' });
      await page.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    "another programme's manager and another partnership's lead find nothing; bad ids are refused",
    async () => {
      for (const email of [OTHER_MANAGER, OTHER_LEAD]) {
        const page = await phonePage(browser);
        await signIn(page, platform, email);
        await openArea(page, 'STEM Ambassadors');
        await page.getByRole('heading', { level: 1 }).waitFor();
        await page.goto(`${base}/ambassadors/requests`);
        await page.getByText('0 requests').waitFor();
        await expectAccessible(page);
        for (const path of [`/ambassadors/requests/${visitId}`, `/ambassadors/requests/${talkId}/cancel`, `/ambassadors/requests/00000000-0000-4000-8000-000000000000`]) {
          const answer = await page.goto(`${base}${path}`);
          expect([email, path, answer!.status()]).toEqual([email, path, 404]);
          await page.getByRole('heading', { name: 'Page not found' }).waitFor();
        }
        for (const path of ['/ambassadors/requests/not-a-request', '/ambassadors/requests/123/cancel', '/ambassadors/jo']) {
          // Not an id at all: refused before anything is looked up (a lead is refused the pool's pages first).
          const status = (await page.goto(`${base}${path}`))!.status();
          expect([email, path, status >= 400 && status < 500]).toEqual([email, path, true]);
        }
        if (email === OTHER_LEAD) {
          // The pool is the programme managers': a lead is sent to their schools' requests.
          await page.goto(`${base}/ambassadors`);
          await page.getByRole('heading', { name: 'Ambassador requests' }).waitFor();
          expect((await page.goto(`${base}/ambassadors/${joId}`))!.status()).toBe(403);
        }
        await shot(page, email === OTHER_LEAD ? '10-lead-not-found' : '09-other-manager-not-found');
        await page.context().close();
      }
    },
    STEP_TIMEOUT,
  );

  it(
    'a manager adds an ambassador, putting a mistake right, and changes one answer on their profile; a lead may do neither',
    async () => {
      const AMARA = 'amara.nwosu@bridges.example.com';
      const stored = () => platform.query<Record<string, unknown>>(`SELECT * FROM ambassadors WHERE email = $1`, [AMARA]);
      const page = await phonePage(browser);
      await signIn(page, platform, MANAGER);
      await page.goto(`${base}/ambassadors`);
      await page.getByRole('button', { name: 'Add a STEM Ambassador' }).click();
      await page.getByRole('heading', { name: 'Add a STEM Ambassador', level: 1 }).waitFor();
      await expectAccessible(page);
      await shot(page, '11-add-ambassador');

      await page.getByLabel('Full name').fill('Amara Nwosu');
      await page.getByLabel('Email address').fill(AMARA);
      await page.getByLabel('Employer (optional)').fill('Nwosu Bridges Ltd');
      await page.getByLabel('STEM disciplines (optional)').fill('Civil engineering');
      await page.getByLabel('Skills schools can ask for (optional)').fill('bridges, careers talk');
      await page.getByLabel('Key stage 2').check();
      await page.getByRole('group', { name: 'Will they give sessions online?' }).getByLabel('Yes').check();
      await page.getByLabel('Postcode they travel from').fill('TS5 6AB');
      await page.getByText('Enter the position yourself').click();
      await page.getByLabel('Latitude').fill('54.5601');
      await page.getByLabel('Longitude').fill('-1.2542');
      // The mistakes: a distance in words, and no day ticked.
      await page.getByLabel('How far will they travel?').fill('thirty');
      await page.getByLabel('First day away').fill('2027-04-01');
      await page.getByLabel('Last day away').fill('2027-04-14');
      await page.getByLabel('DBS (England, Wales, Northern Ireland)').check();
      await page.getByLabel('Certificate number').fill('001234567890');
      await page.getByLabel('Date of the check').fill('2027-01-20');
      await page.getByLabel('Expires on').fill('2030-01-20');
      const refused = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/ambassadors'));
      await page.getByRole('button', { name: 'Add ambassador' }).click();
      expect((await refused).status()).toBe(422);
      const summary = page.locator('.govuk-error-summary');
      await summary.getByRole('link', { name: 'Enter how far they will travel as a whole number of kilometres, like 25' }).waitFor();
      await summary.getByRole('link', { name: 'Select the days they are usually free' }).waitFor();
      await expect(summary.getByRole('link').count()).resolves.toBe(2);
      await expect(page.title()).resolves.toMatch(/^Error: Add a STEM Ambassador/);
      await page.locator('#travelRadiusKm-error').getByText('whole number of kilometres').waitFor();
      // What was typed is all still there, the boxes ticked included; nothing is stored.
      await expect(page.getByLabel('Full name').inputValue()).resolves.toBe('Amara Nwosu');
      await expect(page.getByLabel('Skills schools can ask for (optional)').inputValue()).resolves.toBe('bridges, careers talk');
      await expect(page.getByLabel('Key stage 2').isChecked()).resolves.toBe(true);
      await expect(page.getByLabel('Last day away').inputValue()).resolves.toBe('2027-04-14');
      await expect(page.getByLabel('Expires on').inputValue()).resolves.toBe('2030-01-20');
      await expect(stored()).resolves.toEqual([]);
      await expectAccessible(page);
      await shot(page, '12-add-ambassador-errors');

      await summary.getByRole('link', { name: 'Select the days they are usually free' }).click();
      await page.getByLabel('Monday').check();
      await page.getByLabel('Wednesday').check();
      await page.getByLabel('How far will they travel?').fill('30');
      await page.getByRole('button', { name: 'Add ambassador' }).click();
      await done(page, 'STEM Ambassador added to the pool');
      await page.getByRole('heading', { name: 'Amara Nwosu', level: 1 }).waitFor();
      const profile = page.locator('.govuk-summary-list').first();
      await profile.getByText('bridges, careers talk').waitFor();
      await profile.getByText('Monday, Wednesday').waitFor();
      await profile.getByText('1 April 2027 to 14 April 2027').waitFor();
      await page.getByText('20 January 2030').waitFor();
      await profile.getByText('Entered by hand').waitFor();
      await page.locator('.govuk-tag', { hasText: 'Valid' }).waitFor();
      // A manager keeps the pool's working fields: no Change link for the name or email.
      await expect(page.getByRole('link', { name: 'Change email' }).count()).resolves.toBe(0);
      await expectAccessible(page);
      await shot(page, '13-ambassador-added');
      const [amara] = await stored();
      expect(amara).toMatchObject({
        name: 'Amara Nwosu',
        employer: 'Nwosu Bridges Ltd',
        sector: null,
        disciplines: ['Civil engineering'],
        skills: ['bridges', 'careers talk'],
        key_stages: ['ks2'],
        postcode: 'TS5 6AB',
        latitude: 54.5601,
        longitude: -1.2542,
        travel_radius_km: 30,
        availability: { weekdays: [1, 3], unavailable: [{ from: '2027-04-01', to: '2027-04-14' }] },
        offers_virtual: true,
        status: 'active',
        location_precision: null,
        check_type: 'DBS',
        check_number: '001234567890',
      });
      const amaraId = amara.id as string;

      await page.getByRole('link', { name: 'Change employer' }).click();
      await page.getByRole('heading', { name: 'Change Amara Nwosu’s profile' }).waitFor();
      await expect(page.getByLabel('Full name').count()).resolves.toBe(0);
      await page.getByText('Only Amara Nwosu or a platform admin may change their name and email address').waitFor();
      await expect(page.getByLabel('Employer (optional)').inputValue()).resolves.toBe('Nwosu Bridges Ltd');
      await expect(page.getByLabel('How far will they travel?').inputValue()).resolves.toBe('30');
      await expect(page.getByLabel('Wednesday').isChecked()).resolves.toBe(true);
      await expect(page.getByRole('group', { name: 'Time away 1' }).getByLabel('First day away').inputValue()).resolves.toBe('2027-04-01');
      await expect(page.getByRole('group', { name: 'Time away 2' }).getByLabel('First day away').inputValue()).resolves.toBe('');
      await expect(page.getByLabel('Certificate number').count()).resolves.toBe(0);
      await expectAccessible(page);
      await shot(page, '14-change-profile');
      // A long address in the note wraps rather than pushing the page sideways on a phone.
      await expect(page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')).resolves.toBe(0);
      await page.getByLabel('Employer (optional)').fill('Tees Valley Bridges Ltd');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await done(page, 'Profile saved');
      await profile.getByText('Tees Valley Bridges Ltd').waitFor();
      await shot(page, '15-profile-saved');
      const [changed] = await stored();
      expect(changed).toEqual({ ...amara, employer: 'Tees Valley Bridges Ltd', updated_at: expect.any(Date) });
      // Sent as a PATCH of what changed, so the record's history names only that.
      const updates = await platform.query<{ fields: string[] }>(`SELECT payload->'fields' AS fields FROM outbox_events WHERE type = 'ambassador.updated' AND aggregate_id = $1`, [amaraId]);
      expect(updates).toEqual([{ fields: ['employer'] }]);
      const missing = await page.goto(`${base}/ambassadors/00000000-0000-4000-8000-000000000000/edit`);
      expect(missing!.status()).toBe(404);
      await page.getByRole('heading', { name: 'Page not found' }).waitFor();
      await page.context().close();

      // A lead works with their schools' requests: the pool's forms are refused them, and a form sent anyway changes nothing.
      const lead = await phonePage(browser);
      await signIn(lead, platform, OTHER_LEAD);
      for (const path of ['/ambassadors/new', `/ambassadors/${amaraId}/edit`]) {
        expect([path, (await lead.goto(`${base}${path}`))!.status()]).toEqual([path, 403]);
        await lead.getByRole('heading', { name: 'You cannot do that' }).waitFor();
      }
      await expectAccessible(lead);
      await shot(lead, '16-lead-cannot-add');
      const token = await lead.locator('input[name="_csrf"]').first().inputValue();
      const post = (path: string, form: Record<string, string>) => lead.request.post(`${base}${path}`, { form: { _csrf: token, ...form }, headers: { origin: base }, maxRedirects: 0 });
      const answers = [
        (
          await post('/ambassadors', {
            name: 'Lee Lead',
            email: 'lee@lead.example.com',
            keyStages: 'ks2',
            postcode: 'TS1 3BA',
            latitude: '54.5',
            longitude: '-1.2',
            travelRadiusKm: '5',
            weekdays: '1',
            status: 'active',
          })
        ).status(),
        (await post(`/ambassadors/${amaraId}/edit`, { employer: 'Taken Over Ltd' })).status(),
      ];
      expect(answers).toEqual([403, 403]);
      await expect(stored()).resolves.toEqual([changed]);
      await expect(platform.query(`SELECT 1 FROM ambassadors WHERE email = 'lee@lead.example.com'`)).resolves.toEqual([]);
      await lead.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    'a manager adds an ambassador by their postcode alone, placed where the schools there are, and is told when a postcode cannot be placed',
    async () => {
      const DEV = 'dev.patel@tees-chemicals.example.com';
      const stored = () =>
        platform.query<{ postcode: string; latitude: number; longitude: number; location_precision: string | null }>(
          `SELECT postcode, latitude, longitude, location_precision FROM ambassadors WHERE email = $1`,
          [DEV],
        );
      const page = await phonePage(browser);
      await signIn(page, platform, MANAGER);
      await page.goto(`${base}/ambassadors/new`);
      await page.getByLabel('Full name').fill('Dev Patel');
      await page.getByLabel('Email address').fill(DEV);
      await page.getByLabel('Key stage 3').check();
      await page.getByRole('group', { name: 'Will they give sessions online?' }).getByLabel('No').check();
      // Shetland: no school the platform knows is anywhere near.
      await page.getByLabel('Postcode they travel from').fill('ZE2 9AA');
      await page.getByLabel('How far will they travel?').fill('20');
      await page.getByLabel('Tuesday').check();
      await expect(page.getByLabel('Latitude').isVisible()).resolves.toBe(false);
      await shot(page, '17-add-by-postcode');
      const refused = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/ambassadors'));
      await page.getByRole('button', { name: 'Add ambassador' }).click();
      expect((await refused).status()).toBe(422);
      const summary = page.locator('.govuk-error-summary');
      const unplaced = 'We could not place this postcode from the schools we know: check it, or enter the position yourself';
      await summary.getByRole('link', { name: unplaced }).waitFor();
      await expect(summary.getByRole('link').count()).resolves.toBe(1);
      await page.locator('#postcode-error').getByText(unplaced).waitFor();
      await expect(page.title()).resolves.toMatch(/^Error: Add a STEM Ambassador/);
      // The position's questions are shown, as the message points to them; what was typed is kept.
      await page.getByLabel('Latitude').waitFor();
      await expect(page.getByLabel('Postcode they travel from').inputValue()).resolves.toBe('ZE2 9AA');
      await expect(stored()).resolves.toEqual([]);
      await expectAccessible(page);
      await shot(page, '18-postcode-not-placed');

      // Beechwood Primary's postcode, typed as people type it: placed where the school is.
      await page.getByLabel('Postcode they travel from').fill('ts43ey');
      await page.getByRole('button', { name: 'Add ambassador' }).click();
      await done(page, 'STEM Ambassador added to the pool');
      const profile = page.locator('.govuk-summary-list').first();
      await profile.getByText('Placed by postcode: where the schools at TS4 3EY are').waitFor();
      await expectAccessible(page);
      await shot(page, '19-placed-by-postcode');
      const beechwood = gridToLatLon(451200, 518300);
      const [dev] = await stored();
      expect(dev).toMatchObject({ postcode: 'TS4 3EY', location_precision: 'postcode' });
      expect(dev.latitude).toBeCloseTo(beechwood.latitude, 5);
      expect(dev.longitude).toBeCloseTo(beechwood.longitude, 5);
      expect(dev.latitude).toBeGreaterThan(54.5);
      expect(dev.latitude).toBeLessThan(54.6);
      const devId = (await platform.query<{ id: string }>(`SELECT id FROM ambassadors WHERE email = $1`, [DEV]))[0].id;
      await page.context().close();

      // With JavaScript off: a move to a postcode whose sector has no school is placed by its
      // district, and a position typed in is theirs.
      const plain = await withoutJavaScript(browser);
      await signIn(plain, platform, MANAGER);
      await plain.goto(`${base}/ambassadors/${devId}/edit`);
      await expect(plain.getByLabel('Latitude').isVisible()).resolves.toBe(false);
      await plain.getByLabel('Postcode they travel from').fill('TS5 9ZZ');
      await plain.getByRole('button', { name: 'Save changes' }).click();
      await done(plain, 'Profile saved');
      await plain.getByText('Placed by postcode (district TS5)').waitFor();
      await shot(plain, '20-placed-by-district-no-js');
      const hillside = gridToLatLon(448900, 516700);
      const [moved] = await stored();
      expect(moved).toMatchObject({ postcode: 'TS5 9ZZ', location_precision: 'district' });
      expect(moved.latitude).toBeCloseTo(hillside.latitude, 5);
      expect(moved.longitude).toBeCloseTo(hillside.longitude, 5);

      await plain.getByRole('link', { name: 'Change position on the map' }).click();
      await plain.getByText('Enter the position yourself').click();
      await plain.getByLabel('Latitude').fill('54.5523');
      await plain.getByLabel('Longitude').fill('-1.2611');
      await shot(plain, '21-position-by-hand-no-js');
      await plain.getByRole('button', { name: 'Save changes' }).click();
      await done(plain, 'Profile saved');
      await plain.getByText('Entered by hand').waitFor();
      await expect(stored()).resolves.toEqual([{ postcode: 'TS5 9ZZ', latitude: 54.5523, longitude: -1.2611, location_precision: null }]);
      await plain.context().close();
    },
    STEP_TIMEOUT,
  );
});
