import type { Browser, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, screenshot, withoutJavaScript } from '../support/browser.js';
import { makeStaff, openArea, signIn } from '../support/console.js';
import { TestPlatform } from '../support/platform.js';
import { buildProgramme, type ProgrammeFixture } from '../support/programme.js';

/** A select as the page's script sees it (the suite's types have no DOM). */
type SelectBox = { options: Array<{ value: string }>; selectedIndex: number };

/** Every page is checked by axe at two widths; on a busy machine that takes a while. */
const STEP_TIMEOUT = 600_000;

/**
 * Enrichment events in the console: a programme manager records one (after the form's
 * refusals) and corrects it twice, each correction kept and shown newest first with who,
 * when, why and what changed; a lead records one for their own school and cannot name
 * another partnership's, whose lead cannot open the event; bad addresses answer 4xx; and
 * the same journey with JavaScript off.
 */
describe('enrichment pages', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let base: string;
  let ours: ProgrammeFixture;
  let theirs: ProgrammeFixture;
  const MANAGER = 'rhea.fenwick@harbour.example.org';
  const LEAD = 'sam.okafor@harbour.example.org';
  const OTHER_LEAD = 'olu.bakare@moorland.example.org';
  /** Made by the first journey, used by the next ones. */
  let eventId = '';

  const shot = (page: Page, name: string) => screenshot(page, platform.artifactsDir, name);
  const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { name, level: 1 }).waitFor();
  const summaryLink = (page: Page, text: string) => page.locator('.govuk-error-summary').getByRole('link', { name: text }).waitFor();
  const eventCount = async () => (await platform.query<{ n: number }>(`SELECT count(*)::int AS n FROM enrichment_events`))[0].n;
  const newPage = async () => (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();

  async function fillEvent(
    page: Page,
    fields: { type?: string; title?: string; day?: string; month?: string; year?: string; host?: string; pupils?: string; staff?: string; stages?: string[]; cost?: string },
  ) {
    if (fields.type) await page.getByLabel('Kind of event').selectOption({ label: fields.type });
    if (fields.title !== undefined) await page.getByLabel('Title').fill(fields.title);
    if (fields.day !== undefined) await page.getByLabel('Day', { exact: true }).fill(fields.day);
    if (fields.month !== undefined) await page.getByLabel('Month', { exact: true }).fill(fields.month);
    if (fields.year !== undefined) await page.getByLabel('Year', { exact: true }).fill(fields.year);
    if (fields.host) await page.getByLabel('Host school').selectOption({ label: fields.host });
    if (fields.pupils !== undefined) await page.getByLabel('Pupils', { exact: true }).fill(fields.pupils);
    if (fields.staff !== undefined) await page.getByLabel('Staff (optional)').fill(fields.staff);
    for (const stage of fields.stages ?? []) await page.getByLabel(stage, { exact: true }).check();
    if (fields.cost !== undefined) await page.getByLabel('Cost (optional)').fill(fields.cost);
  }

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'enrichment-pages', env: { CLOCK: 'virtual', SIGN_IN_EMAILS_PER_HOUR: '50' } });
    base = platform.baseUrl;
    const clock = await platform.http('POST', '/api/v1/admin/clock', { now: '2027-01-12T10:00:00Z' });
    if (clock.status >= 300) throw new Error(`clock: ${clock.status}`);
    ours = await buildProgramme(platform, { name: 'Harbour', schools: 2, urnBase: 640000 });
    theirs = await buildProgramme(platform, { name: 'Moorland', schools: 1, urnBase: 650000 });
    await makeStaff(platform, { role: 'programme_manager', scope: `programme:${ours.programmeId}`, name: 'Rhea Fenwick', email: MANAGER });
    await makeStaff(platform, { role: 'educational_lead', scope: `partnership:${ours.partnershipId}`, name: 'Sam Okafor', email: LEAD });
    await makeStaff(platform, { role: 'educational_lead', scope: `partnership:${theirs.partnershipId}`, name: 'Olu Bakare', email: OTHER_LEAD });
    browser = await launchBrowser();
  }, STEP_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  }, STEP_TIMEOUT);

  it(
    'a manager records an event after the form says what is missing, and corrects it twice; both corrections are kept and shown newest first',
    async () => {
      const page = await newPage();
      await signIn(page, platform, MANAGER);
      await openArea(page, 'Enrichment');
      await heading(page, 'Enrichment events');
      await page.getByText('No enrichment events yet').waitFor();
      await expectAccessible(page);
      await shot(page, '01-no-events');

      await page.getByRole('button', { name: 'Record an event' }).click();
      await heading(page, 'Record an enrichment event');
      await expectAccessible(page);
      await page.getByRole('button', { name: 'Record event' }).click();
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
      await expect(page.title()).resolves.toBe('Error: Record an enrichment event – stemflow');
      for (const message of [
        'Select what kind of event it was',
        'Enter the event’s title, like Year 8 bridge-building challenge',
        'Enter the date it took place',
        'Select the school that hosted it',
        'Enter the number of pupils who took part',
      ]) {
        await summaryLink(page, message);
      }
      await fillEvent(page, { type: 'Competition', title: 'Year 8 bridge-building challenge', day: '20', pupils: 'thirty' });
      await page.getByRole('button', { name: 'Record event' }).click();
      await summaryLink(page, 'The date it took place must include a month and year');
      await page.locator('#pupils-error').getByText('Enter the number of pupils as a whole number, like 30').waitFor();
      await expect(page.getByLabel('Title').inputValue()).resolves.toBe('Year 8 bridge-building challenge');
      await expect(page.getByLabel('Day', { exact: true }).inputValue()).resolves.toBe('20');
      await expectAccessible(page);
      await shot(page, '02-record-errors');

      await fillEvent(page, { month: '11', year: '2026', host: 'Harbour School 1 (URN 640000)', pupils: '30', staff: '2', stages: ['Key stage 3'], cost: '£120' });
      await page.getByRole('button', { name: 'Record event' }).click();
      await heading(page, 'Year 8 bridge-building challenge');
      await page.getByText('Enrichment event recorded').waitFor();
      eventId = new URL(page.url()).pathname.split('/')[2];
      const [made] = await platform.query<{ programme_id: string; host_school_id: string; occurs_on: string; version: number; details: any }>(
        `SELECT programme_id, host_school_id, to_char(occurs_on, 'YYYY-MM-DD') AS occurs_on, version, details FROM enrichment_events WHERE id = $1`,
        [eventId],
      );
      expect(made).toMatchObject({ programme_id: ours.programmeId, host_school_id: ours.schoolIds[0], occurs_on: '2026-11-20', version: 1 });
      expect(made.details).toMatchObject({ type: 'competition', audience: { pupils: 30, parents: 0, staff: 2, otherSchools: 0 }, keyStages: ['ks3'], costPence: 12000 });
      await page.getByText('20 November 2026').first().waitFor();
      await page.getByRole('heading', { name: 'Recorded (version 1)' }).waitFor();
      await expectAccessible(page);
      await shot(page, '03-event-recorded');

      // The first correction: the count was the year group's.
      await page.getByRole('button', { name: 'Correct this event' }).click();
      await heading(page, 'Correct Year 8 bridge-building challenge');
      await expect(page.getByLabel('Pupils', { exact: true }).inputValue()).resolves.toBe('30');
      await fillEvent(page, { pupils: '28' });
      await page.getByRole('button', { name: 'Save correction' }).click();
      await summaryLink(page, 'Enter why it is corrected');
      await expect(page.getByLabel('Pupils', { exact: true }).inputValue()).resolves.toBe('28');
      await expectAccessible(page);
      await shot(page, '04-correct-errors');
      await page.getByLabel('Why are you correcting it?').fill('Two pupils were off sick on the day');
      await page.getByRole('button', { name: 'Save correction' }).click();
      await page.getByText('Correction saved; the earlier version is kept in the history').waitFor();

      // The second: it moved a day and to the other school.
      await page.getByRole('button', { name: 'Correct this event' }).click();
      await fillEvent(page, { day: '21', host: 'Harbour School 2 (URN 640001)' });
      await page.getByLabel('Why are you correcting it?').fill('It was held at the secondary school, the day after');
      await page.getByRole('button', { name: 'Save correction' }).click();
      await page.getByText('Correction saved; the earlier version is kept in the history').waitFor();

      await expect(page.locator('.moj-timeline__title').allTextContents()).resolves.toEqual(['Corrected (version 3)', 'Corrected (version 2)', 'Recorded (version 1)']);
      const items = page.locator('.moj-timeline__item');
      await items.nth(0).getByText('Why: It was held at the secondary school, the day after').waitFor();
      await items.nth(0).getByText('Date: 20 November 2026 changed to 21 November 2026').waitFor();
      await items.nth(0).getByText('Host school: Harbour School 1 changed to Harbour School 2').waitFor();
      await items.nth(1).getByText('Why: Two pupils were off sick on the day').waitFor();
      await items.nth(1).getByText('Pupils: 30 changed to 28').waitFor();
      for (let i = 0; i < 3; i += 1) await items.nth(i).getByText('by Rhea Fenwick').waitFor();
      const versions = await platform.query<{ version: number; reason: string | null; pupils: number; occurs_on: string; host_school_id: string; by: string }>(
        `SELECT v.version, v.reason, (v.details->'audience'->>'pupils')::int AS pupils, to_char(v.occurs_on, 'YYYY-MM-DD') AS occurs_on, v.host_school_id, t.email AS by
           FROM enrichment_event_versions v JOIN api_tokens t ON t.id = v.recorded_by WHERE v.event_id = $1 ORDER BY v.version`,
        [eventId],
      );
      expect(versions).toEqual([
        { version: 1, reason: null, pupils: 30, occurs_on: '2026-11-20', host_school_id: ours.schoolIds[0], by: MANAGER },
        { version: 2, reason: 'Two pupils were off sick on the day', pupils: 28, occurs_on: '2026-11-20', host_school_id: ours.schoolIds[0], by: MANAGER },
        { version: 3, reason: 'It was held at the secondary school, the day after', pupils: 28, occurs_on: '2026-11-21', host_school_id: ours.schoolIds[1], by: MANAGER },
      ]);
      expect(await platform.query(`SELECT version, host_school_id, to_char(occurs_on, 'YYYY-MM-DD') AS occurs_on FROM enrichment_events WHERE id = $1`, [eventId])).toEqual([
        { version: 3, host_school_id: ours.schoolIds[1], occurs_on: '2026-11-21' },
      ]);
      await expectAccessible(page);
      await shot(page, '05-event-corrected-twice');
      await page.setViewportSize({ width: 390, height: 844 });
      await shot(page, '05-event-corrected-twice-phone');
      await page.setViewportSize({ width: 1280, height: 900 });

      // The list, and its filters.
      await page.getByRole('link', { name: 'Back to enrichment events' }).click();
      const table = page.getByRole('table', { name: /Enrichment events/ });
      await table.getByRole('link', { name: 'Year 8 bridge-building challenge' }).waitFor();
      await table.getByText('corrected 2 times').waitFor();
      await page.getByLabel('Partnership').selectOption({ label: 'Harbour Partnership' });
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.getByText('1 event match').waitFor();
      await page.getByLabel('From', { exact: true }).fill('2026-11-22');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.getByText('0 events match').waitFor();
      await page.getByLabel('From', { exact: true }).fill('2026-11-21');
      await page.getByLabel('To', { exact: true }).fill('2026-11-01');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await summaryLink(page, 'The "to" date must be the same as or after the "from" date');
      await page.getByLabel('To', { exact: true }).fill('2026-11-21');
      await page.getByLabel('School', { exact: true }).selectOption({ label: 'Harbour School 2' });
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.getByText('1 event match').waitFor();
      await expectAccessible(page);
      await shot(page, '06-events-filtered');
      await page.setViewportSize({ width: 390, height: 844 });
      await shot(page, '06-events-filtered-phone');
      await page.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    "a lead records an event for their partnership's school, and cannot pick or post another partnership's school",
    async () => {
      const page = await newPage();
      await signIn(page, platform, LEAD);
      await openArea(page, 'Enrichment');
      await page
        .getByRole('table', { name: /Enrichment events/ })
        .getByRole('link', { name: 'Year 8 bridge-building challenge' })
        .waitFor();
      await page.getByRole('button', { name: 'Record an event' }).click();
      await heading(page, 'Record an enrichment event');
      const offered = await page.getByLabel('Host school').locator('option').allTextContents();
      expect(offered).toEqual(['Select a school', 'Harbour School 1 (URN 640000)', 'Harbour School 2 (URN 640001)']);
      await fillEvent(page, {
        type: 'STEM club',
        title: 'Lunchtime coding club',
        day: '8',
        month: '1',
        year: '2027',
        host: 'Harbour School 2 (URN 640001)',
        pupils: '14',
        stages: ['Key stage 3', 'Key stage 4'],
      });
      await page.getByRole('button', { name: 'Record event' }).click();
      await heading(page, 'Lunchtime coding club');
      await page.getByText('Enrichment event recorded').waitFor();
      const [club] = await platform.query<{ host_school_id: string; key_stages: string[] }>(
        `SELECT host_school_id, details->'keyStages' AS key_stages FROM enrichment_events WHERE details->>'title' = 'Lunchtime coding club'`,
      );
      expect(club).toEqual({ host_school_id: ours.schoolIds[1], key_stages: ['ks3', 'ks4'] });
      await expectAccessible(page);
      await shot(page, '07-lead-recorded');

      // Another partnership's school, slipped into the form, is refused and nothing is written.
      const before = await eventCount();
      await page.goto(`${base}/enrichment/new`);
      await fillEvent(page, { type: 'Visit', title: 'Someone else’s visit', day: '9', month: '1', year: '2027', host: 'Harbour School 1 (URN 640000)', pupils: '10' });
      await page.getByLabel('Host school').evaluate((select, id) => {
        (select as unknown as SelectBox).options[1].value = id;
      }, theirs.schoolIds[0]);
      const [answer] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Record event' }).click()]);
      expect(answer.status()).toBe(404);
      await heading(page, 'Page not found');
      expect(await eventCount()).toBe(before);

      // And the lead's correction of the manager's event may not move it there either.
      await page.goto(`${base}/enrichment/${eventId}/correct`);
      await page.getByLabel('Why are you correcting it?').fill('Trying another school');
      await page.getByLabel('Host school').evaluate((select, id) => {
        (select as unknown as SelectBox).options[1].value = id;
        (select as unknown as SelectBox).selectedIndex = 1;
      }, theirs.schoolIds[0]);
      const [refused] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Save correction' }).click()]);
      expect(refused.status()).toBe(404);
      expect(await platform.query(`SELECT version FROM enrichment_events WHERE id = $1`, [eventId])).toEqual([{ version: 3 }]);
      await page.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    'another partnership’s lead gets "Page not found" for the event, and bad addresses answer 4xx',
    async () => {
      const page = await newPage();
      await signIn(page, platform, OTHER_LEAD);
      await page.goto(`${base}/enrichment`);
      await page.getByText('No enrichment events yet').waitFor();
      for (const path of [`/enrichment/${eventId}`, `/enrichment/${eventId}/correct`]) {
        const answer = await page.goto(`${base}${path}`);
        expect([path, answer?.status()]).toEqual([path, 404]);
        await heading(page, 'Page not found');
      }
      await expectAccessible(page);
      await shot(page, '08-other-lead-not-found');

      for (const path of ['/enrichment/not-an-id', '/enrichment/42/correct', '/enrichment?schoolId=nope', '/enrichment?from=2027-02-31', '/enrichment?page=-1']) {
        const answer = await page.goto(`${base}${path}`);
        expect([path, answer?.status()]).toEqual([path, 400]);
      }
      const missing = await page.goto(`${base}/enrichment/00000000-0000-4000-8000-000000000000`);
      expect(missing?.status()).toBe(404);
      await page.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    'works with JavaScript off: record an event and correct it',
    async () => {
      const page = await withoutJavaScript(browser);
      await signIn(page, platform, MANAGER);
      await page.goto(`${base}/enrichment/new`);
      await page.getByRole('button', { name: 'Record event' }).click();
      await summaryLink(page, 'Select what kind of event it was');
      await fillEvent(page, { type: 'Careers event', title: 'Engineers at work fair', day: '3', month: '12', year: '2026', host: 'Harbour School 1 (URN 640000)', pupils: '120' });
      await page.getByRole('button', { name: 'Record event' }).click();
      await heading(page, 'Engineers at work fair');
      await page.getByText('Enrichment event recorded').waitFor();
      await page.getByRole('button', { name: 'Correct this event' }).click();
      await fillEvent(page, { pupils: '96' });
      await page.getByLabel('Why are you correcting it?').fill('Year 11 were on study leave');
      await page.getByRole('button', { name: 'Save correction' }).click();
      await page.getByText('Correction saved; the earlier version is kept in the history').waitFor();
      await page.getByText('Pupils: 120 changed to 96').waitFor();
      expect(await platform.query(`SELECT version, (details->'audience'->>'pupils')::int AS pupils FROM enrichment_events WHERE details->>'title' = 'Engineers at work fair'`)).toEqual([
        { version: 2, pupils: 96 },
      ]);
      await shot(page, '09-no-js-corrected');
      await page.context().close();
    },
    STEP_TIMEOUT,
  );
});
