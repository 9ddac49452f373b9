import type { Browser, Locator, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, phonePage, screenshot, withoutJavaScript } from '../support/browser.js';
import { makeStaff, openArea, signIn } from '../support/console.js';
import { TestPlatform } from '../support/platform.js';
import { buildProgramme, type ProgrammeFixture } from '../support/programme.js';

/**
 * Academic calendars in the console, as a programme team uses them when their local
 * authority's term dates are not the default's: a manager finds the calendars from the
 * Programmes area, copies the England default (which other programmes follow too, so it is
 * not theirs to change), adds a cohort on the copy, and changes one term's dates and breaks,
 * told how many cohorts' schedules were replanned; dates that are not dates, or that break
 * the calendar's rules, are said on their fields and change nothing. A lead reads calendars
 * and changes none. Driven by what a person reads.
 */
const STEP_TIMEOUT = 360_000;

describe('academic calendars at /calendars', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let base: string;
  let tees: ProgrammeFixture;
  const MANAGER = 'mo.manager@calendars.example.org';
  const LEAD = 'lee.lead@calendars.example.org';
  const ENGLAND = 'England (typical local authority dates)';
  const COPY = 'middlesbrough-schools';

  const shot = (page: Page, name: string) => screenshot(page, platform.artifactsDir, name);
  const ok = (method: string, path: string, body?: unknown) => platform.ok(method, path, body);
  const calendarRow = async (key: string) =>
    (await platform.query<{ name: string; nation: string; version: number; years: any[] }>(`SELECT name, nation, version, years FROM academic_calendars WHERE key = $1`, [key]))[0];
  const calendarKeys = async () => (await platform.query<{ key: string }>(`SELECT key FROM academic_calendars ORDER BY key`)).map((r) => r.key);

  async function signedIn(email: string, { phone = false } = {}): Promise<Page> {
    const page = phone ? await phonePage(browser) : await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(page, platform, email);
    return page;
  }

  /** Types a date into a GOV.UK date input found by its legend inside `within`. */
  async function typeDate(within: Page | Locator, legend: string, [day, month, year]: [string, string, string]) {
    const group = within.getByRole('group', { name: legend, exact: true });
    await group.getByLabel('Day').fill(day);
    await group.getByLabel('Month').fill(month);
    await group.getByLabel('Year').fill(year);
  }

  /** Sends the page's form with its button, and answers the status the form's POST got. */
  async function send(page: Page, button: string): Promise<number> {
    const [answer] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: button }).click()]);
    await page.waitForLoadState();
    return answer.status();
  }

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'calendars-pages', env: { CLOCK: 'virtual' } });
    base = `http://127.0.0.1:${platform.apiPort}`;
    await ok('POST', '/api/v1/admin/clock', { now: '2026-12-01T10:00:00Z' });
    tees = await buildProgramme(platform, { name: 'Tees STEM', schools: 1, urnBase: 890_000 });
    // Another programme's cohort follows the England default too: it is not Tees's to change.
    await buildProgramme(platform, { name: 'Other Programme', schools: 1, urnBase: 891_000 });
    await makeStaff(platform, { role: 'programme_manager', scope: `programme:${tees.programmeId}`, name: 'Mo Manager', email: MANAGER });
    await makeStaff(platform, { role: 'educational_lead', scope: `partnership:${tees.partnershipId}`, name: 'Lee Lead', email: LEAD });
    browser = await launchBrowser();
  }, STEP_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  }, STEP_TIMEOUT);

  it(
    "a manager finds the calendars from a new cohort's calendar choice, and copies the England default other programmes follow",
    async () => {
      const page = await signedIn(MANAGER);
      // From the new cohort's calendar choice, as a manager finds that none has their dates.
      await openArea(page, 'Programmes');
      await page.getByRole('link', { name: 'Academic calendars' }).waitFor();
      await page.getByRole('link', { name: 'Tees STEM' }).click();
      await page.getByRole('button', { name: 'Add a cohort' }).click();
      await page.getByRole('link', { name: 'Add or change term dates' }).click();
      await page.getByRole('heading', { name: 'Academic calendars', level: 1 }).waitFor();
      const england = page.getByRole('row').filter({ has: page.getByRole('link', { name: ENGLAND }) });
      await expect(england.getByRole('cell').allTextContents()).resolves.toEqual([ENGLAND, 'England', '2025/26 to 2027/28']);
      await expectAccessible(page);
      await shot(page, '01-calendars');

      await page.getByRole('link', { name: ENGLAND }).click();
      await page.getByRole('heading', { name: ENGLAND }).waitFor();
      await page.getByRole('link', { name: 'Tees STEM: Wave 1' }).waitFor();
      await page.getByText('1 cohort of other programmes').waitFor();
      await page.getByText('Other programmes’ cohorts follow this calendar too').waitFor();
      await page.getByRole('heading', { name: 'Spring term 2026/27' }).waitFor();
      const springCard = page.locator('.govuk-summary-card').filter({ has: page.getByRole('heading', { name: 'Spring term 2026/27' }) });
      await springCard.getByText('25 March 2027').waitFor();
      await springCard.getByText('February half-term: 15 February 2027 to 19 February 2027').waitFor();
      await expect(page.getByRole('link', { name: /^Change/ }).count()).resolves.toBe(0);
      await expectAccessible(page);
      await shot(page, '02-england-shared');

      await page.getByRole('button', { name: 'Copy this calendar' }).click();
      await page.getByRole('heading', { name: 'Copy this calendar' }).waitFor();
      await expect(page.getByLabel('England', { exact: true }).isChecked()).resolves.toBe(true);
      await page.getByLabel('Key (optional)').fill('Not A Key!');
      expect(await send(page, 'Copy calendar')).toBe(422);
      await expect(page.title()).resolves.toBe(`Error: Copy ${ENGLAND} – stemflow`);
      await expect(page.locator('.govuk-error-summary').getByRole('link').allTextContents()).resolves.toEqual([
        'Enter a name for the new calendar, like Middlesbrough schools',
        'Enter a key of 2 to 41 lower-case letters, numbers and hyphens, like middlesbrough',
      ]);
      await expect(page.getByLabel('Key (optional)').inputValue()).resolves.toBe('Not A Key!');
      await expectAccessible(page);
      await shot(page, '03-copy-errors');
      await page.getByLabel('Name of the new calendar').fill('Middlesbrough schools');
      await page.getByLabel('Key (optional)').fill('');
      await page.getByRole('button', { name: 'Copy calendar' }).click();
      await page.getByText('Calendar copied').waitFor();
      await page.getByRole('heading', { name: 'Middlesbrough schools' }).waitFor();
      await page.getByText('No cohort follows it yet').waitFor();
      const copied = await calendarRow(COPY);
      expect({ name: copied.name, nation: copied.nation, version: copied.version }).toEqual({ name: 'Middlesbrough schools', nation: 'england', version: 1 });
      expect(copied.years).toEqual((await calendarRow('england')).years);

      // A second copy under the same key is refused on the key, and makes nothing.
      await page.getByRole('button', { name: 'Copy this calendar' }).click();
      await page.getByLabel('Name of the new calendar').fill('Middlesbrough schools');
      expect(await send(page, 'Copy calendar')).toBe(422);
      await page.locator('#key-error').getByText(`There is already a calendar with the key ${COPY}: enter another`).waitFor();
      expect(await calendarKeys()).toEqual(['england', COPY, 'scotland']);
      await page.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    "a manager adds a cohort on the copy, and changes the spring term's end and breaks, told the cohort's schedule was replanned",
    async () => {
      const page = await signedIn(MANAGER);
      // The copy is a choice for a new cohort.
      await page.goto(`${base}/programmes/${tees.programmeId}/cohorts/new`);
      await page.getByLabel('Cohort name').fill('Wave 2');
      await typeDate(page, 'Starts', ['4', '1', '2027']);
      await typeDate(page, 'Ends', ['21', '7', '2027']);
      await page.getByLabel('Middlesbrough schools').check();
      await page.getByRole('button', { name: 'Add cohort' }).click();
      await page.getByText('Cohort created').waitFor();

      await page.goto(`${base}/calendars/${COPY}`);
      await page.getByRole('link', { name: 'Tees STEM: Wave 2' }).waitFor();
      await page.getByRole('link', { name: 'Change the spring term 2026/27' }).click();
      await page.getByRole('heading', { name: 'Spring term 2026/27' }).waitFor();
      await expect(page.getByRole('group', { name: 'Term ends' }).getByLabel('Day').inputValue()).resolves.toBe('25');
      await expect(page.getByRole('group', { name: 'Break 1', exact: true }).getByLabel('Name').inputValue()).resolves.toBe('February half-term');
      await expectAccessible(page);
      await shot(page, '04-term');

      await typeDate(page, 'Term ends', ['26', '3', '2027']);
      const added = page.getByRole('group', { name: 'Break 2', exact: true });
      await added.getByLabel('Name').fill('Inset day');
      await typeDate(added, 'Starts', ['8', '1', '2027']);
      await typeDate(added, 'Ends', ['8', '1', '2027']);
      await page.getByRole('button', { name: 'Save term dates' }).click();
      await page.getByText('Spring term 2026/27 saved. 1 cohort’s schedule was replanned to the new dates.').waitFor();
      const saved = page.locator('.govuk-summary-card').filter({ has: page.getByRole('heading', { name: 'Spring term 2026/27' }) });
      await saved.getByText('26 March 2027').waitFor();
      await saved.getByText('Inset day: 8 January 2027', { exact: true }).waitFor();
      await expectAccessible(page);
      await shot(page, '05-term-saved');

      const after = await calendarRow(COPY);
      expect(after.version).toBe(2);
      expect(after.years[1].terms[1]).toEqual({
        name: 'spring',
        starts: '2027-01-04',
        ends: '2027-03-26',
        breaks: [
          { name: 'Inset day', starts: '2027-01-08', ends: '2027-01-08' },
          { name: 'February half-term', starts: '2027-02-15', ends: '2027-02-19' },
        ],
      });
      // Only the term changed: every other term is the default's.
      const england2 = (await calendarRow('england')).years;
      expect(after.years.map((y: any, yi: number) => y.terms.filter((_: unknown, ti: number) => !(yi === 1 && ti === 1)))).toEqual(
        england2.map((y: any, yi: number) => y.terms.filter((_: unknown, ti: number) => !(yi === 1 && ti === 1))),
      );
      await page.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    "a date that is not a date, or one that breaks the calendar's rules, is said on its field, keeps what was typed and changes nothing",
    async () => {
      const page = await signedIn(MANAGER, { phone: true });
      await page.goto(`${base}/calendars/${COPY}/years/2/terms/2`);
      const before = await calendarRow(COPY);

      await typeDate(page, 'Term ends', ['31', '2', '2027']);
      expect(await send(page, 'Save term dates')).toBe(422);
      await expect(page.title()).resolves.toBe(`Error: Spring term 2026/27, Middlesbrough schools – stemflow`);
      await expect(page.locator('.govuk-error-summary').getByRole('link').allTextContents()).resolves.toEqual(['The date the term ends must be a real date, like 1 9 2027']);
      await page.locator('#ends-error').getByText('The date the term ends must be a real date').waitFor();
      await expect(page.getByRole('group', { name: 'Term ends' }).getByLabel('Day').inputValue()).resolves.toBe('31');
      await expectAccessible(page);
      await shot(page, '06-bad-date-phone');
      expect(await calendarRow(COPY)).toEqual(before);

      // Real dates the calendar's rules refuse: into the summer term, and a break outside the term.
      await typeDate(page, 'Term ends', ['20', '4', '2027']);
      const third = page.getByRole('group', { name: 'Break 3', exact: true });
      await third.getByLabel('Name').fill('May Day');
      await typeDate(third, 'Starts', ['3', '5', '2027']);
      await typeDate(third, 'Ends', ['3', '5', '2027']);
      expect(await send(page, 'Save term dates')).toBe(422);
      await expect(page.locator('.govuk-error-summary').getByRole('link').allTextContents()).resolves.toEqual([
        'The term must end before the summer term 2026/27 starts, on 12 April 2027',
        'Break 3 must be inside the term, from 4 January 2027 to 20 April 2027',
      ]);
      await page.locator('#ends-error').getByText('The term must end before the summer term 2026/27 starts').waitFor();
      await page.locator('#breaks-2-starts-error').getByText('Break 3 must be inside the term').waitFor();
      await expect(third.getByLabel('Name').inputValue()).resolves.toBe('May Day');
      await page.getByRole('link', { name: 'Break 3 must be inside the term, from 4 January 2027 to 20 April 2027' }).click();
      await expect(page.evaluate('document.activeElement && document.activeElement.id')).resolves.toBe('breaks-2-starts-day');
      await expectAccessible(page);
      await shot(page, '07-rules-refused-phone');
      expect(await calendarRow(COPY)).toEqual(before);
      await page.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    'a lead reads calendars from their cohort without a way to change them, and what they send is refused; bad addresses are "Page not found"',
    async () => {
      const lead = await signedIn(LEAD);
      await lead.goto(`${base}/programmes/${tees.programmeId}/cohorts/${tees.cohortId}`);
      await lead.getByText('Terms and holidays', { exact: true }).click();
      await lead.getByRole('link', { name: `Every term of ${ENGLAND}` }).click();
      await lead.getByRole('heading', { name: ENGLAND }).waitFor();
      await lead.getByRole('heading', { name: 'Summer term 2027/28' }).waitFor();
      await lead.getByRole('link', { name: 'Tees STEM: Wave 1' }).waitFor();
      await expect(lead.getByRole('link', { name: /^Change/ }).count()).resolves.toBe(0);
      await expect(lead.getByRole('button', { name: 'Copy this calendar' }).count()).resolves.toBe(0);
      await expect(lead.getByText('Other programmes’ cohorts follow this calendar too').count()).resolves.toBe(0);
      await expectAccessible(lead);
      await shot(lead, '08-lead-reads');
      await lead.goto(`${base}/calendars`);
      await lead.getByRole('link', { name: 'Middlesbrough schools' }).waitFor();
      await expect(lead.getByText('open it and copy it').count()).resolves.toBe(0);

      const before = { keys: await calendarKeys(), copy: await calendarRow(COPY) };
      expect((await lead.goto(`${base}/calendars/${COPY}/years/2/terms/2`))!.status()).toBe(403);
      expect((await lead.goto(`${base}/calendars/${COPY}/copy`))!.status()).toBe(403);
      await lead.goto(`${base}/calendars/${COPY}`);
      const token = await lead.locator('input[name="_csrf"]').first().inputValue();
      const post = (path: string, form: Record<string, string>) => lead.request.post(`${base}${path}`, { form: { _csrf: token, ...form }, headers: { origin: base }, maxRedirects: 0 });
      const sent = await post(`/calendars/${COPY}/years/2/terms/2`, { 'starts-day': '5', 'starts-month': '1', 'starts-year': '2027', 'ends-day': '26', 'ends-month': '3', 'ends-year': '2027' });
      expect(sent.status()).toBe(403);
      expect((await post(`/calendars/${COPY}/copy`, { name: 'Lead calendar', nation: 'england' })).status()).toBe(403);
      expect({ keys: await calendarKeys(), copy: await calendarRow(COPY) }).toEqual(before);
      await lead.context().close();

      // A manager may not change the default other programmes follow, by its address or by a form.
      const manager = await signedIn(MANAGER);
      const refused = await manager.goto(`${base}/calendars/england/years/2/terms/2`);
      expect(refused!.status()).toBe(403);
      await manager.getByText('copy it to make a calendar of your own').waitFor();
      await manager.goto(`${base}/calendars/england`);
      const managerToken = await manager.locator('input[name="_csrf"]').first().inputValue();
      const englandBefore = await calendarRow('england');
      const changed = await manager.request.post(`${base}/calendars/england/years/2/terms/2`, {
        form: { _csrf: managerToken, 'starts-day': '5', 'starts-month': '1', 'starts-year': '2027', 'ends-day': '26', 'ends-month': '3', 'ends-year': '2027' },
        headers: { origin: base },
        maxRedirects: 0,
      });
      expect(changed.status()).toBe(403);
      expect(await calendarRow('england')).toEqual(englandBefore);

      for (const path of [
        '/calendars/Not_A_Key',
        '/calendars/no-such-calendar',
        '/calendars/no-such-calendar/copy',
        '/calendars/england/years/4/terms/1',
        '/calendars/england/years/0/terms/1',
        '/calendars/england/years/1/terms/4',
        '/calendars/england/years/one/terms/1',
        `/calendars/${COPY}/years/1/terms/-1`,
      ]) {
        const answer = await manager.goto(`${base}${path}`);
        expect({ path, status: answer!.status() }).toEqual({ path, status: 404 });
      }
      await manager.getByRole('heading', { name: 'Page not found' }).waitFor();
      await shot(manager, '09-not-found');
      await manager.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    'with JavaScript off, a manager removes a break and the change is saved',
    async () => {
      const page = await withoutJavaScript(browser);
      await signIn(page, platform, MANAGER);
      await page.goto(`${base}/calendars`);
      await page.getByRole('link', { name: 'Middlesbrough schools' }).click();
      await page.getByRole('link', { name: 'Change the spring term 2026/27' }).click();
      const inset = page.getByRole('group', { name: 'Break 1', exact: true });
      await expect(inset.getByLabel('Name').inputValue()).resolves.toBe('Inset day');
      await inset.getByLabel('Remove this break').check();
      await page.getByRole('button', { name: 'Save term dates' }).click();
      await page.getByText('Spring term 2026/27 saved.').waitFor();
      await shot(page, '10-no-js-break-removed');
      expect((await calendarRow(COPY)).years[1].terms[1].breaks).toEqual([{ name: 'February half-term', starts: '2027-02-15', ends: '2027-02-19' }]);
      await page.context().close();
    },
    STEP_TIMEOUT,
  );
});
