import { readFile } from 'node:fs/promises';
import { strFromU8, unzipSync } from 'fflate';
import type { Browser, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, screenshot, withoutJavaScript } from '../support/browser.js';
import { makeStaff, signIn } from '../support/console.js';
import { TestPlatform } from '../support/platform.js';

/**
 * Reports in the console: a programme manager and an educational lead open Reports from
 * the navigation, read a figure with its definition, filter it, and take the figures away
 * as CSV and as the funder's zip; a filter out of their reach is "Page not found", a
 * filter that makes no sense is told beside the form. Driven by what a person reads.
 */
/** The dashboard is a long page, checked by axe at two widths; on a busy machine that takes a while. */
const STEP_TIMEOUT = 360_000;

describe('reports in the console', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let base: string;
  const id: Record<string, string> = {};
  const MANAGER = 'nadia.okafor@reports-pages.example.org';
  const LEAD = 'tom.reid@reports-pages.example.org';
  const shot = (page: Page, name: string) => screenshot(page, platform.artifactsDir, name);

  const ok = (method: string, path: string, body?: unknown) => platform.ok(method, path, body);

  /** The cell of a figure's table, in the row that mentions `rowText`. */
  const cell = (page: Page, figure: string, rowText: string, column: string) =>
    page.locator(`table[data-figure="${figure}"] tbody tr`, { hasText: rowText }).locator(`[data-column="${column}"]`).textContent();
  const rowsOf = (page: Page, figure: string) => page.locator(`table[data-figure="${figure}"] tbody tr`).count();

  async function download(page: Page, linkName: string | RegExp): Promise<{ name: string; body: Buffer }> {
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: linkName }).click()]);
    return { name: file.suggestedFilename(), body: await readFile((await file.path())!) };
  }

  async function openReports(page: Page): Promise<void> {
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { level: 1, name: 'Programme figures' }).waitFor();
    await expect(page.title()).resolves.toBe('Programme figures – stemflow');
  }

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'reports-pages' });
    base = `http://127.0.0.1:${platform.apiPort}`;
    const programme = (name: string) =>
      ok('POST', '/api/v1/programmes', { name, startsOn: '2026-09-01', endsOn: '2028-08-31', frameworkKey: 'ats-maturity', kpiDefinition: { completeRecordRequires: ['email'] } });
    const cohort = (programmeId: string, name: string) =>
      ok('POST', `/api/v1/programmes/${programmeId}/cohorts`, { name, startsOn: '2026-09-01', endsOn: '2027-07-23', calendarKey: 'england', status: 'active' });
    const partnership = async (name: string, cohortId: string, budgetPounds: number) => (await ok('POST', '/api/v1/partnerships', { name, area: 'Tees Valley', cohortId, budgetPounds })).id;
    let urn = 720_001;
    const schools = async (partnershipId: string, names: string[]) => {
      for (const name of names) {
        const school = await ok('POST', '/api/v1/schools', { urn: urn++, name, phase: /Primary/.test(name) ? 'primary' : 'secondary' });
        await ok('POST', `/api/v1/partnerships/${partnershipId}/members`, { schoolId: school.id });
      }
    };
    id.programme = (await programme('Northern Lights')).id;
    id.other = (await programme('Elsewhere Programme')).id;
    id.wave = (await cohort(id.programme, 'Wave 1')).id;
    id.otherWave = (await cohort(id.other, 'Other Wave')).id;
    id.alder = await partnership('Alder', id.wave, 12_000);
    id.birch = await partnership('Birch', id.wave, 8_000);
    id.xeno = await partnership('Xeno', id.otherWave, 5_000);
    await schools(id.alder, ['Ash Primary', 'Beech Secondary']);
    await schools(id.birch, ['Cedar Primary']);
    await schools(id.xeno, ['Fir Academy']);
    await makeStaff(platform, { role: 'programme_manager', scope: `programme:${id.programme}`, name: 'Nadia Okafor', email: MANAGER });
    await makeStaff(platform, { role: 'educational_lead', scope: `partnership:${id.alder}`, name: 'Tom Reid', email: LEAD });
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  }, STEP_TIMEOUT);

  it(
    'a programme manager opens Reports, reads a figure and its definition, filters by partnership, and downloads a CSV and the funder zip',
    async () => {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await signIn(page, platform, MANAGER);
      await openReports(page);
      await expectAccessible(page);
      await shot(page, '01-manager-reports');

      // The contents lead to a group, the group to its figures, each with its definition.
      await page.getByRole('navigation', { name: 'Figure groups' }).getByRole('link', { name: 'Budget' }).click();
      expect(new URL(page.url()).hash).toBe('#group-budget');
      const budget = page.getByRole('region', { name: 'Budget per partnership', exact: true });
      await budget.getByRole('heading', { name: 'Budget per partnership' }).waitFor();
      await expect(budget.getByText('Definition.').locator('..').textContent()).resolves.toContain("Each partnership's CPD budget from its ledger today");
      expect(await rowsOf(page, 'budget-by-partnership')).toBe(2);
      await expect(cell(page, 'budget-by-partnership', 'Alder', 'allocatedPence')).resolves.toBe('£12,000');
      await expect(cell(page, 'budget-by-partnership', 'Birch', 'availablePence')).resolves.toBe('£8,000');
      // The chart is drawn, with every bar's values in its description; the other programme is not in it.
      const chart = page.locator('svg.chart', { has: page.locator('title', { hasText: 'Budget per partnership: spent, committed, available' }) });
      await expect(chart.locator('desc').textContent()).resolves.toBe('Alder: Spent £0, Committed £0, Available £12,000; Birch: Spent £0, Committed £0, Available £8,000');
      await expect(cell(page, 'schools-by-status', 'Alder', 'schools')).resolves.toBe('2');
      expect(await page.locator('table[data-figure="schools-by-status"]').getByText('Xeno').count()).toBe(0);
      await expect(page.getByLabel('Partnership', { exact: true }).locator('option').allTextContents()).resolves.toEqual(['All', 'Alder (Wave 1)', 'Birch (Wave 1)']);

      await page.getByLabel('Partnership', { exact: true }).selectOption({ label: 'Birch (Wave 1)' });
      await page.getByRole('button', { name: 'Show figures' }).click();
      await page.waitForURL(/partnershipId=/);
      expect(new URL(page.url()).searchParams.get('partnershipId')).toBe(id.birch);
      await expect(page.getByLabel('Partnership', { exact: true }).inputValue()).resolves.toBe(id.birch);
      expect(await rowsOf(page, 'budget-by-partnership')).toBe(1);
      await expect(cell(page, 'budget-by-partnership', 'Birch', 'allocatedPence')).resolves.toBe('£8,000');
      await shot(page, '02-manager-reports-birch');

      // The downloads carry the filter that is on the page.
      const csv = await download(page, 'Download “Budget per partnership” as CSV');
      expect(csv.name).toBe('budget-by-partnership.csv');
      expect(csv.body.toString('utf8').trim().split(/\r?\n/)).toEqual([
        'Cohort,Partnership,Allocated (£),Overrides (£),Committed (£),Spent (£),Available (£)',
        'Wave 1,Birch,8000.00,0.00,0.00,0.00,8000.00',
      ]);
      const schoolsCsv = await download(page, 'Download “Schools by status” as CSV');
      expect(schoolsCsv.body.toString('utf8')).toContain('Wave 1,Birch,');
      expect(schoolsCsv.body.toString('utf8')).not.toContain('Alder');

      const zip = await download(page, /Download the funder export/);
      expect(zip.name).toBe('stemflow-funder-export.zip');
      const files = unzipSync(new Uint8Array(zip.body));
      expect(Object.keys(files)).toEqual(expect.arrayContaining(['README.csv', 'reach.csv', 'budget.csv']));
      const readme = strFromU8(files['README.csv']);
      expect(readme).toContain('budget-by-partnership');
      expect(readme).toContain(`partnershipId=${id.birch}`);
      const budgetFile = strFromU8(files['budget.csv']);
      expect(budgetFile).toContain('Budget per partnership');
      expect(budgetFile).toContain('Wave 1,Birch,8000.00');
      expect(budgetFile).not.toContain('Alder');

      // Clearing the filters shows every partnership again.
      await page.getByRole('link', { name: 'Clear filters' }).click();
      await page.waitForURL(`${base}/dashboard`);
      expect(await rowsOf(page, 'budget-by-partnership')).toBe(2);
      await page.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    'tells a person which filters cannot be used, with the error summary, and answers a filter out of their reach as "Page not found"',
    async () => {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await signIn(page, platform, MANAGER);

      const refused = await page.goto(`${base}/dashboard?partnershipId=not-an-id&phase=castle&from=2027-02-31&to=`);
      expect(refused!.status()).toBe(400);
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
      await expect(page.title()).resolves.toBe('Error: Programme figures – stemflow');
      const summary = page.locator('.govuk-error-summary');
      await expect(summary.getByRole('link', { name: 'Choose a partnership from the list' }).getAttribute('href')).resolves.toBe('#partnershipId');
      await expect(summary.getByRole('link', { name: 'Choose a school phase from the list' }).getAttribute('href')).resolves.toBe('#phase');
      await expect(summary.getByRole('link', { name: /Enter the first day to count as a real date/ }).getAttribute('href')).resolves.toBe('#from');
      await expect(page.locator('#partnershipId-error').textContent()).resolves.toContain('Choose a partnership from the list');
      await page.getByText('Correct the filters to see the figures.').waitFor();
      expect(await page.locator('svg.chart').count()).toBe(0);
      await expectAccessible(page);
      await shot(page, '03-filters-refused');

      // A range that ends before it starts: the service's rule, told beside the form.
      await page.goto(`${base}/dashboard`);
      await page.getByLabel('From', { exact: true }).fill('2027-03-01');
      await page.getByLabel('To', { exact: true }).fill('2026-10-01');
      await page.getByRole('button', { name: 'Show figures' }).click();
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
      await expect(summary.getByRole('link', { name: 'The date range ends before it starts' }).getAttribute('href')).resolves.toBe('#to');
      await expect(page.getByLabel('From', { exact: true }).inputValue()).resolves.toBe('2027-03-01');
      await shot(page, '04-range-refused');

      // Another programme's partnership, cohort or programme, a figure that does not exist: not found, as a page.
      for (const path of [
        `/dashboard?partnershipId=${id.xeno}`,
        `/dashboard?cohortId=${id.otherWave}`,
        `/dashboard?programmeId=${id.other}`,
        `/dashboard/csv/budget-by-partnership?partnershipId=${id.xeno}`,
        `/dashboard/export.zip?partnershipId=${id.xeno}`,
        '/dashboard/csv/no-such-figure',
      ]) {
        const answer = await page.goto(`${base}${path}`);
        expect({ path, status: answer!.status() }).toEqual({ path, status: 404 });
        await page.getByRole('heading', { name: 'Page not found' }).waitFor();
      }
      // A download asked for with a filter no page would send: a page saying so, not a 500.
      const bad = await page.goto(`${base}/dashboard/csv/budget-by-partnership?from=yesterday`);
      expect(bad!.status()).toBe(400);
      await page.getByText('Enter the first day to count as a real date').waitFor();
      await page.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    'an educational lead sees their partnership alone, and another partnership of the programme is not found',
    async () => {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await signIn(page, platform, LEAD);
      await openReports(page);
      await expect(page.getByLabel('Partnership', { exact: true }).locator('option').allTextContents()).resolves.toEqual(['All', 'Alder (Wave 1)']);
      await expect(page.getByLabel('Cohort').locator('option').allTextContents()).resolves.toEqual(['All', 'Northern Lights: Wave 1']);
      expect(await rowsOf(page, 'budget-by-partnership')).toBe(1);
      await expect(cell(page, 'budget-by-partnership', 'Alder', 'allocatedPence')).resolves.toBe('£12,000');
      const csv = await download(page, 'Download “Budget per partnership” as CSV');
      expect(csv.body.toString('utf8')).not.toContain('Birch');
      await expectAccessible(page);
      await shot(page, '05-lead-reports');

      const birch = await page.goto(`${base}/dashboard?partnershipId=${id.birch}`);
      expect(birch!.status()).toBe(404);
      await page.getByRole('heading', { name: 'Page not found' }).waitFor();
      await page.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    'fits a phone: at 320 px the page does not scroll sideways; tables scroll in their regions and charts scale',
    async () => {
      const context = await browser.newContext({ viewport: { width: 320, height: 800 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
      const page = await context.newPage();
      await signIn(page, platform, MANAGER);
      await page.goto(`${base}/dashboard`);
      await page.getByRole('heading', { name: 'Programme figures' }).waitFor();
      for (const width of [320, 390]) {
        await page.setViewportSize({ width, height: 800 });
        expect({ width, scrolls: await page.evaluate<number>('document.documentElement.scrollWidth') }).toEqual({ width, scrolls: width });
        const charts = await page.locator('svg.chart').evaluateAll((svgs) => svgs.map((svg) => svg.getBoundingClientRect().right));
        expect(charts.length).toBeGreaterThan(0);
        expect(Math.max(...charts)).toBeLessThanOrEqual(width);
        await shot(page, `06-phone-${width}`);
      }
      // The budget table is wider than a phone: it scrolls inside its focusable, named region.
      const region = page.getByRole('region', { name: 'Budget per partnership: table' });
      await expect(region.getAttribute('tabindex')).resolves.toBe('0');
      expect(await region.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
      await context.close();
    },
    STEP_TIMEOUT,
  );

  it(
    'filters without JavaScript: a plain form, and the figures it asks for',
    async () => {
      const page = await withoutJavaScript(browser);
      await signIn(page, platform, MANAGER);
      await openReports(page);
      await expect(page.locator('body.govuk-frontend-supported').count()).resolves.toBe(0);
      await page.getByLabel('Partnership', { exact: true }).selectOption({ label: 'Alder (Wave 1)' });
      await page.getByLabel('School phase').selectOption({ label: 'Primary' });
      await page.getByRole('button', { name: 'Show figures' }).click();
      await page.waitForURL(/partnershipId=/);
      const query = new URL(page.url()).searchParams;
      expect([query.get('partnershipId'), query.get('phase')]).toEqual([id.alder, 'primary']);
      expect(await rowsOf(page, 'budget-by-partnership')).toBe(1);
      await expect(cell(page, 'schools-by-status', 'Alder', 'schools')).resolves.toBe('1');
      await shot(page, '07-no-js-filtered');

      await page.getByLabel('From', { exact: true }).fill('2027-03-01');
      await page.getByLabel('To', { exact: true }).fill('2026-10-01');
      await page.getByRole('button', { name: 'Show figures' }).click();
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
      await shot(page, '08-no-js-range-refused');
      await page.context().close();
    },
    STEP_TIMEOUT,
  );
});
