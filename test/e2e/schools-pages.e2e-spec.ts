import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, screenshot, withoutJavaScript } from '../support/browser.js';
import { makeStaff, signIn } from '../support/console.js';
import { TestPlatform } from '../support/platform.js';
import { buildProgramme, type ProgrammeFixture } from '../support/programme.js';

/**
 * A programme manager's week with schools, in a browser: upload a GIAS extract and check
 * what it would do (line by line, an error among them) before confirming it; find schools
 * by name, by URN and by phase; open a school, change its status and record an Ofsted
 * judgement. An educational lead sees their partnership's schools and no others. Driven by
 * what a person reads, with JavaScript on (axe on every page) and off.
 */
const STEP_TIMEOUT = 240_000;
const MANAGER = 'nadia.brooks@schools-pages.example.org';
const LEAD = 'owen.price@schools-pages.example.org';

const HEADER = 'URN,EstablishmentName,PhaseOfEducation (name),TypeOfEstablishment (name),LA (name),Postcode,NumberOfPupils,ContactName,ContactEmail';

describe('schools in the console', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let base: string;
  let ours: ProgrammeFixture;
  let theirs: ProgrammeFixture;
  const shot = (page: Page, name: string) => screenshot(page, platform.artifactsDir, name);

  beforeAll(async () => {
    // Each person signs in once, and their browser is reused; the hourly sign-in emails are not this suite's subject.
    platform = await TestPlatform.start({ name: 'schools-pages', env: { SIGN_IN_EMAILS_PER_HOUR: '1000' } });
    base = `http://127.0.0.1:${platform.apiPort}`;
    ours = await buildProgramme(platform, { name: 'Tees Physics', schools: 2, urnBase: 720_100 });
    theirs = await buildProgramme(platform, { name: 'Wear Maths', schools: 1, urnBase: 720_200 });
    await makeStaff(platform, { role: 'programme_manager', scope: `programme:${ours.programmeId}`, name: 'Nadia Brooks', email: MANAGER });
    await makeStaff(platform, { role: 'educational_lead', scope: `partnership:${ours.partnershipId}`, name: 'Owen Price', email: LEAD });
    browser = await launchBrowser();
  }, STEP_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  }, STEP_TIMEOUT);

  const sessions = new Map<string, BrowserContext>();
  /** A new tab in the person's signed-in browser (signing in the first time). */
  async function signedIn(email: string, { javaScript = true } = {}): Promise<Page> {
    const key = `${email} ${javaScript}`;
    const context = sessions.get(key);
    if (context) return context.newPage();
    const page = javaScript ? await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage() : await withoutJavaScript(browser);
    await signIn(page, platform, email);
    sessions.set(key, page.context());
    return page;
  }

  /** A screenshot at a phone's width, to look at; the page goes back to a laptop's after. */
  async function atPhoneWidth(page: Page, name: string): Promise<void> {
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, name);
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  const csvFile = (lines: string[]) => ({ name: 'gias-extract.csv', mimeType: 'text/csv', buffer: Buffer.from([HEADER, ...lines].join('\n')) });

  it(
    'uploads a GIAS extract, shows what it would create, update and refuse by line before anything changes, then imports it on confirming',
    async () => {
      const page = await signedIn(MANAGER);
      await page.getByRole('link', { name: 'Schools', exact: true }).first().click();
      await page.getByRole('heading', { name: 'Schools', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Upload a GIAS extract' }).click();
      await page.getByRole('heading', { name: 'Upload a GIAS extract' }).waitFor();
      await expectAccessible(page);
      await shot(page, '01-upload');

      // Nothing chosen: the page says so, and nothing is stored.
      await page.getByRole('button', { name: 'Upload and preview' }).click();
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
      await expect(page.title()).resolves.toMatch(/^Error: Upload a GIAS extract/);
      await expect(page.locator('#file-error').textContent()).resolves.toContain('Select a GIAS extract');
      await expectAccessible(page);

      await page
        .getByLabel('GIAS extract (CSV)')
        .setInputFiles(
          csvFile([
            '720301,Beechwood Primary School,Primary,Community school,Middlesbrough,TS4 3EY,420,Amira Khan,stem.lead@beechwood.example.sch.uk',
            '720302,Hillside Academy,Secondary,Academy converter,Middlesbrough,TS5 7EX,1050,Tom Reilly,t.reilly@hillside.example.sch.uk',
            '720303,Broken Phase School,Kindergarten,Community school,Redcar and Cleveland,TS10 2AY,100,,',
            '720100,Tees Physics School 1,Primary,,,,,Sam Patel,sam.patel@tees1.example.sch.uk',
            '720200,Wear Maths School 1,Primary,,,,,Someone Else,someone@wear.example.sch.uk',
          ]),
        );
      await page.getByRole('button', { name: 'Upload and preview' }).click();
      await page.getByRole('heading', { name: 'Check the GIAS extract before importing it' }).waitFor();
      const counts = page.locator('.govuk-summary-list');
      await expect(counts.locator('.govuk-summary-list__row', { hasText: 'Schools to create' }).locator('dd').textContent()).resolves.toContain('2');
      await expect(counts.locator('.govuk-summary-list__row', { hasText: 'Schools to update' }).locator('dd').textContent()).resolves.toContain('1');
      await expect(counts.locator('.govuk-summary-list__row', { hasText: 'Lines with errors' }).locator('dd').textContent()).resolves.toContain('2');
      const errors = page.getByRole('region', { name: 'Lines with errors' });
      await expect(errors.getByRole('row', { name: /^4 / }).textContent()).resolves.toContain('is not a phase GIAS uses (got "Kindergarten")');
      await expect(errors.getByRole('row', { name: /^6 / }).textContent()).resolves.toContain("not one of this programme's schools");
      const changes = page.getByRole('region', { name: 'Schools to create or update' });
      await expect(changes.getByRole('row', { name: /Beechwood Primary School/ }).textContent()).resolves.toContain('Created');
      await expect(changes.getByRole('row', { name: /Tees Physics School 1/ }).textContent()).resolves.toMatch(/Updated: .*contact/i);
      // A preview changes nothing.
      await expect(platform.query(`SELECT urn FROM schools WHERE urn IN (720301, 720302)`)).resolves.toEqual([]);
      await expect(platform.query(`SELECT contact_email FROM schools WHERE urn = 720100`)).resolves.toEqual([{ contact_email: null }]);
      await expectAccessible(page);
      await shot(page, '02-preview');

      await page.getByRole('button', { name: 'Import these schools' }).click();
      await page.getByRole('heading', { name: 'GIAS extract imported', level: 1 }).waitFor();
      await expectAccessible(page);
      await shot(page, '03-imported');
      const imported = await platform.query(`SELECT urn, name, phase, contact_email FROM schools WHERE urn IN (720301, 720302, 720303, 720100, 720200) ORDER BY urn`);
      expect(imported).toEqual([
        { urn: 720100, name: 'Tees Physics School 1', phase: 'primary', contact_email: 'sam.patel@tees1.example.sch.uk' },
        { urn: 720200, name: 'Wear Maths School 1', phase: 'primary', contact_email: null },
        { urn: 720301, name: 'Beechwood Primary School', phase: 'primary', contact_email: 'stem.lead@beechwood.example.sch.uk' },
        { urn: 720302, name: 'Hillside Academy', phase: 'secondary', contact_email: 't.reilly@hillside.example.sch.uk' },
      ]);

      // Confirming again (a double submit, or the back button) imports nothing twice.
      const url = page.url();
      const again = await page.request.post(url, { form: { _csrf: await page.locator('input[name=_csrf]').first().getAttribute('value') } as Record<string, string> });
      expect(again.status()).toBeLessThan(500);
      await expect(platform.query(`SELECT count(*)::int AS n FROM outbox_events WHERE type = 'school.created' AND payload->>'urn' IN ('720301', '720302')`)).resolves.toEqual([{ n: 2 }]);
    },
    STEP_TIMEOUT,
  );

  it(
    'finds schools by name, by URN and by phase, and pages through them',
    async () => {
      const page = await signedIn(MANAGER);
      await page.goto(`${base}/schools`);
      await expectAccessible(page);
      await shot(page, '04-schools');
      await atPhoneWidth(page, '04-schools-phone');

      await page.getByLabel('Name, URN, postcode or local authority').fill('beechwood');
      await page.getByRole('button', { name: 'Find schools' }).click();
      await page.getByRole('link', { name: 'Beechwood Primary School' }).waitFor();
      await expect(page.getByRole('region', { name: 'Schools found' }).getByRole('row').count()).resolves.toBe(2);
      await expectAccessible(page);
      await shot(page, '05-found-by-name');

      await page.getByLabel('Name, URN, postcode or local authority').fill('720302');
      await page.getByRole('button', { name: 'Find schools' }).click();
      await page.getByRole('link', { name: 'Hillside Academy' }).waitFor();
      await expect(page.getByRole('region', { name: 'Schools found' }).getByRole('row').count()).resolves.toBe(2);

      // A postcode typed as people type it.
      await page.getByLabel('Name, URN, postcode or local authority').fill('ts43ey');
      await page.getByRole('button', { name: 'Find schools' }).click();
      await page.getByRole('link', { name: 'Beechwood Primary School' }).waitFor();

      await page.getByLabel('Name, URN, postcode or local authority').fill('');
      await page.getByLabel('Phase').selectOption({ label: 'Secondary' });
      await page.getByRole('button', { name: 'Find schools' }).click();
      await page.getByRole('link', { name: 'Hillside Academy' }).waitFor();
      const found = await page.getByRole('region', { name: 'Schools found' }).getByRole('link').allTextContents();
      expect(found).toContain('Tees Physics School 2');
      expect(found).not.toContain('Beechwood Primary School');
      expect(found).not.toContain('Tees Physics School 1');
      expect(new URL(page.url()).searchParams.get('phase')).toBe('secondary');
      await shot(page, '06-filtered-by-phase');

      await page.getByLabel('Phase').selectOption({ label: 'Any phase' });
      await page.getByLabel('Partnership').selectOption({ label: 'Tees Physics Partnership (Wave 1)' });
      await page.getByRole('button', { name: 'Find schools' }).click();
      await page.getByRole('link', { name: 'Tees Physics School 1' }).waitFor();
      await expect(page.getByRole('region', { name: 'Schools found' }).getByRole('link').allTextContents()).resolves.toEqual(['Tees Physics School 1', 'Tees Physics School 2']);

      // Another programme's school is not in the manager's list, nor found by its URN.
      await page.goto(`${base}/schools?q=720200`);
      await expect(page.getByRole('status').textContent()).resolves.toContain('No schools match');

      // Paging: 60 more register schools make two pages.
      await platform.query(
        `INSERT INTO schools (id, urn, name, phase, status, created_at, updated_at)
         SELECT gen_random_uuid(), 730000 + g, 'Paging School ' || lpad(g::text, 3, '0'), 'primary', 'invited', now(), now() FROM generate_series(1, 60) g`,
      );
      await page.goto(`${base}/schools?q=Paging`);
      await expect(page.getByRole('status').textContent()).resolves.toMatch(/Showing 1 to 50 of 60 schools/);
      await page.getByRole('navigation', { name: 'Pages of schools' }).getByRole('link', { name: /Next/ }).click();
      await page.getByRole('link', { name: 'Paging School 060' }).waitFor();
      // The next page is the schools after the last one shown (quick however deep), so it says how many match, not their place.
      await expect(page.getByRole('status').textContent()).resolves.toMatch(/^\s*60 schools that match\s*$/);
      await expect(
        page
          .getByRole('navigation', { name: 'Pages of schools' })
          .getByRole('link', { name: /Previous/ })
          .getAttribute('href'),
      ).resolves.toMatch(/^\/schools\?q=Paging&before=/);
      await expectAccessible(page);
      await shot(page, '07-second-page');

      // A tampered filter is a page saying so, not a 500.
      const bad = await page.goto(`${base}/schools?phase=kindergarten`);
      expect(bad?.status()).toBe(400);
    },
    STEP_TIMEOUT,
  );

  it(
    "opens a school's page, changes its status and records an Ofsted judgement, with the forms' errors on the way",
    async () => {
      const page = await signedIn(MANAGER);
      const schoolId = ours.schoolIds[0];
      await page.goto(`${base}/schools?q=Tees Physics School 1`);
      await page.getByRole('link', { name: 'Tees Physics School 1' }).click();
      await page.getByRole('heading', { name: 'Tees Physics School 1', level: 1 }).waitFor();
      expect(new URL(page.url()).pathname).toBe(`/schools/${schoolId}`);
      await expect(page.locator('.govuk-summary-list').textContent()).resolves.toContain('sam.patel@tees1.example.sch.uk');
      await page.getByRole('heading', { name: 'Timeline' }).waitFor();
      await expect(page.locator('.moj-timeline').textContent()).resolves.toContain('Joined Tees Physics Partnership');
      await expectAccessible(page);
      await shot(page, '08-school');
      await atPhoneWidth(page, '08-school-phone');

      await page.getByRole('button', { name: 'Change status' }).click();
      await page.getByRole('heading', { name: 'Change status' }).waitFor();
      await expectAccessible(page);
      await page.getByRole('button', { name: 'Change status' }).click();
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
      await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Select the new status');
      await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Enter the reason for the change');
      await expectAccessible(page);
      await shot(page, '09-status-errors');
      await page.getByLabel('Active', { exact: true }).check();
      await page.getByLabel('Why is it changing?').fill('Two teachers came to the autumn CPD');
      await page.getByRole('button', { name: 'Change status' }).click();
      await page.getByText('Status changed to Active').waitFor();
      await expect(platform.query(`SELECT status FROM schools WHERE id = $1`, [schoolId])).resolves.toEqual([{ status: 'active' }]);
      await expect(platform.query(`SELECT from_status, to_status, reason FROM school_status_changes WHERE school_id = $1 ORDER BY changed_at`, [schoolId])).resolves.toEqual([
        { from_status: 'invited', to_status: 'joined', reason: 'joined Tees Physics Partnership' },
        { from_status: 'joined', to_status: 'active', reason: 'Two teachers came to the autumn CPD' },
      ]);
      await expect(page.getByRole('region', { name: 'Status history' }).textContent()).resolves.toContain('Two teachers came to the autumn CPD');
      await shot(page, '10-status-changed');

      await page.getByRole('button', { name: 'Record an Ofsted judgement' }).click();
      await page.getByRole('heading', { name: 'Record an Ofsted judgement' }).waitFor();
      await expectAccessible(page);
      await page.getByLabel('Month').fill('3');
      await page.getByRole('button', { name: 'Record judgement' }).click();
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
      await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('The date of the inspection must include a day and year');
      await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Select the judgement');
      await expect(page.getByLabel('Month').inputValue()).resolves.toBe('3');
      await expectAccessible(page);
      await shot(page, '11-ofsted-errors');
      await page.getByLabel('Day').fill('12');
      await page.getByLabel('Year').fill('2025');
      await page.getByLabel('Good').check();
      await page.getByRole('button', { name: 'Record judgement' }).click();
      await page.getByText('Ofsted judgement recorded').waitFor();
      await expect(platform.query(`SELECT to_char(inspected_on, 'YYYY-MM-DD') AS day, rating FROM ofsted_inspections WHERE school_id = $1`, [schoolId])).resolves.toEqual([
        { day: '2025-03-12', rating: 2 },
      ]);
      await expect(page.getByRole('region', { name: 'Ofsted judgements' }).textContent()).resolves.toContain('12 March 2025');
      await shot(page, '12-ofsted-recorded');

      // The same inspection again: said on the form, not a 409 page.
      await page.goto(`${base}/schools/${schoolId}/ofsted`);
      await page.getByLabel('Day').fill('12');
      await page.getByLabel('Month').fill('3');
      await page.getByLabel('Year').fill('2025');
      await page.getByLabel('Outstanding').check();
      await page.getByRole('button', { name: 'Record judgement' }).click();
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
      await expect(page.locator('#inspectedOn-error').textContent()).resolves.toContain('already recorded');

      // A register school is the manager's to read, not to change: no actions, and the forms answer 403.
      const [register] = await platform.query<{ id: string }>(`SELECT id FROM schools WHERE urn = 720301`);
      await page.goto(`${base}/schools/${register.id}`);
      await page.getByRole('heading', { name: 'Beechwood Primary School' }).waitFor();
      await expect(page.getByRole('button', { name: 'Change status' }).count()).resolves.toBe(0);
      const refused = await page.goto(`${base}/schools/${register.id}/status`);
      expect(refused?.status()).toBe(403);
    },
    STEP_TIMEOUT,
  );

  it(
    "keeps an educational lead to their partnership's schools: another's is not found, a bad id is refused, and importing is not theirs",
    async () => {
      const page = await signedIn(LEAD);
      await page.getByRole('link', { name: 'Schools', exact: true }).first().click();
      await page.getByRole('heading', { name: 'Schools', level: 1 }).waitFor();
      await expect(page.getByRole('region', { name: 'Schools found' }).getByRole('link').allTextContents()).resolves.toEqual(['Tees Physics School 1', 'Tees Physics School 2']);
      await expect(page.getByRole('button', { name: 'Upload a GIAS extract' }).count()).resolves.toBe(0);
      await expectAccessible(page);

      for (const path of [`/schools/${theirs.schoolIds[0]}`, `/schools/${theirs.schoolIds[0]}/status`, `/schools/${theirs.schoolIds[0]}/ofsted`]) {
        const answer = await page.goto(`${base}${path}`);
        expect(answer?.status()).toBe(404);
        await page.getByRole('heading', { name: 'Page not found' }).waitFor();
      }
      await expectAccessible(page);
      await shot(page, '13-lead-not-found');

      const [register] = await platform.query<{ id: string }>(`SELECT id FROM schools WHERE urn = 720301`);
      expect((await page.goto(`${base}/schools/${register.id}`))?.status()).toBe(404);
      expect((await page.goto(`${base}/schools/not-a-school`))?.status()).toBe(400);
      expect((await page.goto(`${base}/schools/import`))?.status()).toBe(403);
      const [upload] = await platform.query<{ id: string }>(`SELECT id FROM school_imports LIMIT 1`);
      expect((await page.goto(`${base}/schools/import/${upload.id}`))?.status()).toBe(404);

      // Their own school: they may change it.
      await page.goto(`${base}/schools/${ours.schoolIds[1]}`);
      await page.getByRole('button', { name: 'Change status' }).waitFor();
    },
    STEP_TIMEOUT,
  );

  it('answers the same preview on the API (a dry run writes nothing) and the same search and filters', async () => {
    const csv = [HEADER, '720305,Marske Primary,Primary,Community school,Redcar and Cleveland,TS11 6AA,200,,', '720306,No Phase School,,,,,,,'].join('\n');
    const before = await platform.count('schools');
    const preview = await platform.http('POST', '/api/v1/schools/import?dryRun=true', csv, { 'content-type': 'text/csv' });
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({
      created: 1,
      updated: 0,
      unchanged: 0,
      errors: [{ line: 3, message: 'PhaseOfEducation (name) is required' }],
      dryRun: true,
      changes: [{ line: 2, urn: 720305, name: 'Marske Primary', outcome: 'created', changed: [] }],
    });
    expect(await platform.count('schools')).toBe(before);

    const found = await platform.http('GET', '/api/v1/schools?q=middlesbrough&phase=secondary');
    expect(found.body.items.map((s: { name: string }) => s.name)).toEqual(['Hillside Academy']);
    const inPartnership = await platform.http('GET', `/api/v1/schools?cohortId=${ours.cohortId}`);
    expect(inPartnership.body).toMatchObject({ total: 2, items: [{ name: 'Tees Physics School 1' }, { name: 'Tees Physics School 2' }] });
    expect((await platform.http('GET', '/api/v1/schools?partnershipId=not-an-id')).status).toBe(400);
  });

  it(
    'works with JavaScript off: upload, preview, confirm, find the school and change its status',
    async () => {
      const page = await signedIn(MANAGER, { javaScript: false });
      await page.goto(`${base}/schools/import`);
      await page
        .getByLabel('GIAS extract (CSV)')
        .setInputFiles(csvFile(['720304,Saltburn Primary School,Primary,Community school,Redcar and Cleveland,TS12 1HJ,210,Lee Moss,l.moss@saltburn.example.sch.uk']));
      await page.getByRole('button', { name: 'Upload and preview' }).click();
      await page.getByRole('heading', { name: 'Check the GIAS extract before importing it' }).waitFor();
      await page.getByRole('button', { name: 'Import these schools' }).click();
      await page.getByRole('heading', { name: 'GIAS extract imported', level: 1 }).waitFor();
      await expect(platform.query(`SELECT name FROM schools WHERE urn = 720304`)).resolves.toEqual([{ name: 'Saltburn Primary School' }]);

      await page.goto(`${base}/schools`);
      await page.getByLabel('Name, URN, postcode or local authority').fill('Redcar');
      await page.getByRole('button', { name: 'Find schools' }).click();
      await page.getByRole('link', { name: 'Saltburn Primary School' }).waitFor();
      await page.goto(`${base}/schools/${ours.schoolIds[1]}`);
      await page.getByRole('button', { name: 'Change status' }).click();
      await page.getByLabel('Withdrawn').check();
      await page.getByLabel('Why is it changing?').fill('The head asked to stop for this year');
      await page.getByRole('button', { name: 'Change status' }).click();
      await page.getByText('Status changed to Withdrawn').waitFor();
      await expect(platform.query(`SELECT status FROM schools WHERE id = $1`, [ours.schoolIds[1]])).resolves.toEqual([{ status: 'withdrawn' }]);
      await shot(page, '14-no-javascript');
    },
    STEP_TIMEOUT,
  );
});
