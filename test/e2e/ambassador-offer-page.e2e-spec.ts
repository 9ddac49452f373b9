import type { Browser, Page } from 'playwright-core';
import type { CaughtMessage } from '#notifications/catcher/mail-catcher';
import { CHECKED_WIDTHS, expectAccessible, launchBrowser, linkIn, phonePage, screenshot, withoutJavaScript } from '../support/browser.js';
import { eventually, TestPlatform } from '../support/platform.js';
import { buildProgramme, type ProgrammeFixture } from '../support/programme.js';

/** Each page is checked by axe at two widths; on a busy machine that takes a while. */
const STEP_TIMEOUT = 300_000;

/** An ambassador's offer page in headless Chromium, opened from the email in the SMTP catcher. */
describe("an ambassador's offer page", () => {
  let platform: TestPlatform;
  let browser: Browser;
  let programme: ProgrammeFixture;
  let requestId: string;
  const links: Record<string, string> = {};
  const here = { latitude: 54.5742, longitude: -1.235 };
  const people = [
    { name: 'Jo Okafor', email: 'jo@industry.example.com', employer: 'Tees Robotics Ltd' },
    { name: 'Sam Reid', email: 'sam@industry.example.com', employer: 'North Sea Energy' },
    { name: 'Ola Berg', email: 'ola@industry.example.com', employer: 'Teesside University' },
  ];

  async function moveClock(to: string) {
    expect((await platform.http('POST', '/api/v1/admin/clock', { now: to })).status).toBe(200);
  }
  async function ok(method: string, path: string, body?: unknown) {
    const answer = await platform.http(method, path, body);
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
    return answer.body;
  }
  const mailTo = (email: string, subject: (s: string) => boolean) =>
    eventually(async () => {
      const found = platform.catcher.messages.find((m: CaughtMessage) => m.to[0] === email && subject(m.subject));
      if (!found) throw new Error(`no message to ${email} yet`);
      return found;
    });
  /** Submits the page's form and returns the HTTP status of the answer. */
  async function submit(page: Page, button: string): Promise<number> {
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: button }).click()]);
    await page.waitForLoadState();
    return response.status();
  }
  /** The page as it is now, at a phone's width and a laptop's, put back to the phone's after. */
  async function shots(page: Page, name: string) {
    const size = page.viewportSize()!;
    for (const width of CHECKED_WIDTHS) {
      await page.setViewportSize({ width, height: size.height });
      await screenshot(page, platform.artifactsDir, `${name}-${width}`);
    }
    await page.setViewportSize(size);
  }
  /** What the request's summary says against `key`. */
  const detail = async (page: Page, key: string) =>
    (
      await page
        .locator('.govuk-summary-list__row')
        .filter({ has: page.getByRole('term').getByText(key, { exact: true }) })
        .getByRole('definition')
        .textContent()
    )?.trim();
  const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
  const offerStatuses = async () =>
    Object.fromEntries(
      (
        await platform.query<{ email: string; status: string }>(`SELECT a.email, o.status FROM ambassador_offers o JOIN ambassadors a ON a.id = o.ambassador_id WHERE o.request_id = $1`, [requestId])
      ).map((r) => [r.email, r.status]),
    );

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'ambassador-offer-page', env: { CLOCK: 'virtual' } });
    await moveClock('2027-01-11T09:00:00Z');
    programme = await buildProgramme(platform, { name: 'Pages', schools: 1, urnBase: 630_000, workflowPolicy: { ambassadors: { waveSize: 3, offerHours: 72, escalateDaysBefore: 10 } } });
    await ok('PATCH', `/api/v1/schools/${programme.schoolIds[0]}`, here);
    await ok('POST', `/api/v1/schools/${programme.schoolIds[0]}/contacts`, { role: 'stem_lead', name: 'Amira Khan', email: 'stem.lead@pages.example.org' });
    for (const [i, p] of people.entries()) {
      await ok('POST', '/api/v1/ambassadors', {
        ...p,
        skills: ['coding'],
        keyStages: ['ks3'],
        postcode: 'TS1 3BA',
        latitude: here.latitude + 0.01 * (i + 1),
        longitude: here.longitude,
        travelRadiusKm: 25,
        availability: { weekdays: [1, 2, 3, 4, 5] },
        check: { type: 'DBS', number: `0099887766${i}`, checkedOn: '2025-01-01', expiresOn: '2028-01-01' },
      });
    }
    const request = await ok('POST', `/api/v1/schools/${programme.schoolIds[0]}/ambassador-requests`, {
      activityType: 'Code club visit',
      startsAt: '2027-02-03T14:00:00Z',
      endsAt: '2027-02-03T15:30:00Z',
      keyStages: ['ks3'],
      numberWanted: 2,
      skillsWanted: ['coding'],
      notes: 'Year 8 code club',
    });
    requestId = request.id;
    for (const p of people) links[p.email] = linkIn(await mailTo(p.email, (s) => s.startsWith('Can you help?')), 'r');
    browser = await launchBrowser();
  }, STEP_TIMEOUT);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  }, STEP_TIMEOUT);

  it(
    'says yes from the link in the email; a form sent without an answer is shown again with the error beside the field',
    async () => {
      const page = await phonePage(browser);
      const opened = await page.goto(links[people[0].email]);
      expect(opened?.status()).toBe(200);
      await expect(heading(page)).resolves.toBe('Can you help?');
      // The request as the email gave it, in the programme's name.
      expect(await detail(page, 'Activity')).toBe('Code club visit');
      expect(await detail(page, 'When')).toBe('Wednesday 3 February 2027 at 2pm to 3:30pm');
      expect(await detail(page, 'Key stages')).toBe('KS3');
      expect(await detail(page, 'From the school')).toBe('Year 8 code club');
      expect((await page.getByRole('banner').getByRole('link').first().textContent())?.trim()).toBe('Pages');
      await expectAccessible(page);

      // Sent without an answer: the summary and the question say so, and the reason typed stays.
      await page.getByLabel('Reason (optional)').fill('Typed before choosing');
      expect(await submit(page, 'Send my answer')).toBe(422);
      expect(await page.title()).toMatch(/^Error: Can you help\?/);
      expect(await page.getByRole('alert').textContent()).toContain('Choose yes or no');
      expect(await page.getByRole('link', { name: 'Choose yes or no' }).getAttribute('href')).toBe('#answer');
      expect(await page.getByLabel('Yes, I can come').getAttribute('id')).toBe('answer');
      const question = page.getByRole('group', { name: 'Can you come?' });
      expect(await question.getAttribute('aria-describedby')).toBe('answer-error');
      expect(await question.locator('#answer-error').textContent()).toContain('Choose yes or no');
      expect(await page.getByLabel('Reason (optional)').inputValue()).toBe('Typed before choosing');
      await expectAccessible(page);
      await shots(page, 'offer-error');

      await page.getByLabel('Reason (optional)').fill('');
      await page.getByLabel('Yes, I can come').check();
      expect(await submit(page, 'Send my answer')).toBe(200);
      await expect(heading(page)).resolves.toBe("You're going");
      expect(await page.getByRole('status').textContent()).toContain("you're going");
      expect(await page.getByLabel('Yes, I can come').isChecked()).toBe(true);
      await expectAccessible(page);
      await shots(page, 'offer-accepted');
      await page.context().close();
      expect(await offerStatuses()).toMatchObject({ [people[0].email]: 'accepted' });
      await mailTo(people[0].email, (s) => s.startsWith("You're going"));
    },
    STEP_TIMEOUT,
  );

  it(
    'says no with a reason, then reopens the page and changes the answer to yes, with JavaScript off; each answer is kept',
    async () => {
      const page = await withoutJavaScript(browser, { viewport: { width: 390, height: 844 } });
      await page.goto(links[people[1].email]);
      await page.getByLabel("No, I can't this time").check();
      await page.getByLabel('Reason (optional)').fill('Away that week');
      expect(await submit(page, 'Send my answer')).toBe(200);
      await expect(heading(page)).resolves.toBe('You said no to this request');
      expect(await page.getByRole('status').textContent()).toContain('We will ask someone else');
      expect(await page.getByLabel('Reason (optional)').inputValue()).toBe('Away that week');
      await shots(page, 'offer-declined');

      // Reopened from the email later: the answer is there to change.
      await page.goto(links[people[1].email]);
      expect(await page.getByLabel("No, I can't this time").isChecked()).toBe(true);
      await page.getByLabel('Yes, I can come').check();
      expect(await submit(page, 'Send my answer')).toBe(200);
      await expect(heading(page)).resolves.toBe("You're going");
      const history = await page.getByRole('table', { name: 'Your answers so far' }).textContent();
      expect(history).toContain('Said no');
      expect(history).toContain('Away that week');
      expect(history).toContain('Said yes');
      await page.context().close();

      // Two places, two yeses: the request has filled, the third ambassador is thanked, the school told.
      expect(await offerStatuses()).toEqual({ [people[0].email]: 'accepted', [people[1].email]: 'accepted', [people[2].email]: 'withdrawn' });
      expect((await mailTo(people[2].email, (s) => s.includes('has filled'))).subject).toBe('Thank you – Code club visit at Pages School 1 has filled');
      const told = await mailTo('stem.lead@pages.example.org', (s) => s.startsWith('STEM Ambassadors coming'));
      expect(told.text).toContain('- Jo Okafor, Tees Robotics Ltd (safeguarding check valid)');
      expect(told.text).toContain('- Sam Reid, North Sea Energy (safeguarding check valid)');
      const answers = await platform.query(
        `SELECT answer, reason FROM offer_answers a JOIN ambassador_offers o ON o.id = a.offer_id JOIN ambassadors m ON m.id = o.ambassador_id WHERE m.email = $1 ORDER BY a.answered_at`,
        [people[1].email],
      );
      expect(answers).toEqual([
        { answer: 'declined', reason: 'Away that week' },
        { answer: 'accepted', reason: null },
      ]);
    },
    STEP_TIMEOUT,
  );

  it('a resubmitted answer changes nothing', async () => {
    const again = await fetch(links[people[1].email], { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: platform.baseUrl }, body: 'answer=accept' });
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('You had already said yes');
    expect(await platform.count('offer_answers')).toBe(3);
  });

  it('a tampered token shows "link not valid" (404)', async () => {
    const page = await phonePage(browser);
    const link = links[people[0].email];
    const tampered = `${link.slice(0, -1)}${link.endsWith('A') ? 'B' : 'A'}`;
    const opened = await page.goto(tampered);
    expect(opened?.status()).toBe(404);
    await expect(heading(page)).resolves.toBe('This link is not valid');
    await page.context().close();
  });

  it(
    'an expired link (410) offers a fresh one, sent to the same address',
    async () => {
      // The third ambassador's link ran out with its offer, after 72 hours.
      await moveClock('2027-01-15T09:00:00Z');
      const page = await phonePage(browser);
      const opened = await page.goto(links[people[2].email]);
      expect(opened?.status()).toBe(410);
      await expect(heading(page)).resolves.toBe('This link has expired');
      expect(await submit(page, 'Send me a fresh link')).toBe(202);
      const fresh = await mailTo(people[2].email, (s) => s.startsWith('Your fresh link'));
      const reopened = await page.goto(linkIn(fresh, 'r'));
      expect(reopened?.status()).toBe(200);
      await expect(heading(page)).resolves.toBe('This request has filled');
      expect(await page.getByRole('main').textContent()).toContain('there is nothing more you need to do');
      await expectAccessible(page);
      await shots(page, 'offer-filled');
      await page.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    'an ambassador who withdraws frees the place; after the day an ambassador logs hours, and edits them',
    async () => {
      // Jo's link still opens weeks later: an accepted offer's page lasts until hours are logged.
      const page = await phonePage(browser);
      await page.goto(links[people[0].email]);
      await page.getByLabel('No, I can no longer come').check();
      await page.getByLabel('Reason (optional)').fill('Called away to a site visit');
      expect(await submit(page, 'Send my answer')).toBe(200);
      expect(await page.getByRole('status').textContent()).toContain('Your place is freed');
      await expect(heading(page)).resolves.toBe('You said no to this request');
      await eventually(async () => expect((await ok('GET', `/api/v1/ambassador-requests/${requestId}`)).status).toBe('partially_filled'));

      await moveClock('2027-02-03T16:00:00Z');
      await page.goto(links[people[1].email]);
      await expect(heading(page)).resolves.toBe('Log your hours');
      await page.getByLabel('Hours you gave').fill('30');
      expect(await submit(page, 'Log my hours')).toBe(422);
      expect(await page.getByRole('alert').textContent()).toContain('Enter hours as a number');
      expect(await page.locator('#hours-error').textContent()).toContain('Enter hours as a number');
      expect(await page.getByLabel('Hours you gave').getAttribute('aria-describedby')).toBe('hours-hint hours-error');
      expect(await page.getByLabel('Hours you gave').inputValue()).toBe('30');
      await expectAccessible(page);
      await shots(page, 'hours-error');
      await page.getByLabel('Hours you gave').fill('2.5');
      expect(await submit(page, 'Log my hours')).toBe(200);
      await expect(heading(page)).resolves.toBe('Your hours are logged');
      expect(await page.getByRole('status').textContent()).toContain('your hours are logged');

      await page.goto(links[people[1].email]);
      expect(await page.getByLabel('Hours you gave').inputValue()).toBe('2.5');
      await page.getByLabel('Hours you gave').fill('3');
      await page.getByLabel('Anything to tell the programme (optional)').fill('Included preparation');
      expect(await submit(page, 'Update my hours')).toBe(200);
      expect((await page.getByRole('table', { name: 'Your answers so far' }).textContent())?.match(/Logged hours/g)).toHaveLength(2);
      await expectAccessible(page);
      await shots(page, 'hours-logged');
      await page.context().close();

      const delivered = await ok('POST', `/api/v1/ambassador-requests/${requestId}/delivery`, { delivered: true, pupilsReached: 24 });
      expect(delivered).toMatchObject({ status: 'delivered', planned: { ambassadors: 2, accepted: 1 }, delivery: { delivered: true, pupilsReached: 24, ambassadorHours: 3, ambassadorsWithHours: 1 } });
    },
    STEP_TIMEOUT,
  );
});
