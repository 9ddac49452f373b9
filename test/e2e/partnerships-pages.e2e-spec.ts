import type { Browser, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, phonePage, screenshot, withoutJavaScript } from '../support/browser.js';
import { makeStaff, openArea, signIn, suggestionsReady } from '../support/console.js';
import { TestPlatform } from '../support/platform.js';
import { buildProgramme, type ProgrammeFixture } from '../support/programme.js';

/** Every page is checked by axe at two widths; on a busy machine that takes a while. */
const STEP_TIMEOUT = 600_000;

/**
 * Partnerships and people in the console, as a programme manager runs them in a browser:
 * a partnership made with its lead and budget, schools found by name or URN and added and
 * removed (or chosen from the suggestions offered as a name is typed), an override
 * recorded with its reason, a teacher added and changed, their consents, CPD record and the
 * recruitment KPI; everything held about a person, and their erasure; and what a lead, a
 * tampered form and a bad address are answered. Driven by what a person reads, with
 * JavaScript and without.
 */
describe('partnerships and people pages', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let base: string;
  let ours: ProgrammeFixture;
  let theirs: ProgrammeFixture;
  const MANAGER = 'mina.okoro@partnerships.example.org';
  const OTHER_LEAD = 'olu.bakare@elsewhere.example.org';
  const URN = { beacon: 610001, cliffside: 610002, dunmore: 610003, estuary: 610004 };
  const schoolIds: Record<keyof typeof URN, string> = { beacon: '', cliffside: '', dunmore: '', estuary: '' };
  /** Made by the first journey, used by the next ones. */
  let partnershipId = '';
  let teacherId = '';

  const shot = (page: Page, name: string) => screenshot(page, platform.artifactsDir, name);
  const ok = (method: string, path: string, body?: unknown) => platform.ok(method, path, body);
  const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { name, level: 1 }).waitFor();
  const currentMembers = async (id: string) =>
    (await platform.query<{ school_id: string }>(`SELECT school_id FROM partnership_members WHERE partnership_id = $1 AND left_at IS NULL`, [id])).map((r) => r.school_id).sort();

  beforeAll(async () => {
    // The suite moves the clock six hours on between steps; a day's idle allowance keeps the manager signed in across them.
    // Each journey signs its person in afresh, the manager more than the five times an hour a real address may ask.
    platform = await TestPlatform.start({ name: 'partnerships-pages', env: { CLOCK: 'virtual', SESSION_IDLE_MINUTES: '1440', SIGN_IN_EMAILS_PER_HOUR: '20' } });
    base = platform.baseUrl;
    await ok('POST', '/api/v1/admin/clock', { now: '2027-01-12T10:00:00Z' });
    ours = await buildProgramme(platform, { name: 'Harbour', schools: 0, urnBase: 600000 });
    theirs = await buildProgramme(platform, { name: 'Moorland', schools: 1, urnBase: 620000 });
    // Schools on the register, which the manager recruits from.
    const names = { beacon: 'Beacon Primary School', cliffside: 'Cliffside Academy', dunmore: 'Dunmore Church School', estuary: 'Estuary High School' };
    for (const key of Object.keys(URN) as Array<keyof typeof URN>) {
      schoolIds[key] = (await ok('POST', '/api/v1/schools', { urn: URN[key], name: names[key], phase: 'primary', localAuthority: 'Redcar and Cleveland', postcode: 'TS10 1AA' })).id;
    }
    await makeStaff(platform, { role: 'programme_manager', scope: `programme:${ours.programmeId}`, name: 'Mina Okoro', email: MANAGER });
    await makeStaff(platform, { role: 'educational_lead', scope: `partnership:${theirs.partnershipId}`, name: 'Olu Bakare', email: OTHER_LEAD });
    browser = await launchBrowser();
  }, STEP_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  }, STEP_TIMEOUT);

  it(
    'a manager creates a partnership with its lead and budget, adds two schools by name and URN, removes one, and records an override with its reason',
    async () => {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await signIn(page, platform, MANAGER);
      await expectAccessible(page);

      // The lead is staff without a school, recorded by the programme.
      await openArea(page, 'People');
      await heading(page, 'People');
      await page.getByRole('button', { name: 'Add a person' }).click();
      await heading(page, 'Add a person');
      await page.getByLabel('Full name').fill('Lee Ashworth');
      await page.getByLabel('Email address').fill('lee.ashworth@harbour.example.org');
      await page.getByLabel('Role').selectOption({ label: 'Educational lead' });
      await page.getByLabel('School').selectOption({ label: 'No school (staff such as an educational lead)' });
      await page.getByRole('button', { name: 'Add person' }).click();
      await heading(page, 'Lee Ashworth');
      const [lead] = await platform.query<{ id: string; programme_id: string; school_id: string | null }>(
        `SELECT id, programme_id, school_id FROM people WHERE email = 'lee.ashworth@harbour.example.org'`,
      );
      expect(lead).toMatchObject({ programme_id: ours.programmeId, school_id: null });

      await openArea(page, 'Partnerships');
      await heading(page, 'Partnerships');
      await page.getByRole('link', { name: 'Harbour Partnership' }).waitFor();
      await page.getByText('Moorland Partnership').waitFor({ state: 'detached' });
      await expectAccessible(page);
      await shot(page, '01-partnerships');

      await page.getByRole('button', { name: 'Create a partnership' }).click();
      await heading(page, 'Create a partnership');
      await page.getByRole('button', { name: 'Create partnership' }).click();
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
      await expect(page.title()).resolves.toBe('Error: Create a partnership – stemflow');
      for (const message of ['Enter the partnership’s name', 'Select the cohort its schools are in', 'Enter the budget, in pounds']) {
        await page.locator('.govuk-error-summary').getByRole('link', { name: message }).waitFor();
      }
      await page.getByLabel('Name').fill('Redcar Coast Partnership');
      await page.getByLabel('CPD budget').fill('25,000.50');
      await page.getByRole('button', { name: 'Create partnership' }).click();
      await page.locator('#budget-error').getByText('Enter the budget in whole pounds, like 25000').waitFor();
      await expect(page.getByLabel('Name').inputValue()).resolves.toBe('Redcar Coast Partnership');
      await expectAccessible(page);
      await shot(page, '02-create-partnership-errors');

      await page.getByLabel('Area (optional)').fill('Redcar and Cleveland');
      await page.getByLabel('Cohort').selectOption({ label: 'Wave 1' });
      await page.getByLabel('Educational lead').selectOption({ label: 'Lee Ashworth (lee.ashworth@harbour.example.org)' });
      await page.getByLabel('CPD budget').fill('£25,000');
      await page.getByRole('button', { name: 'Create partnership' }).click();
      await heading(page, 'Redcar Coast Partnership');
      await page.getByText('Partnership created').waitFor();
      partnershipId = new URL(page.url()).pathname.split('/')[2];
      const [made] = await platform.query<{ cohort_id: string; educational_lead_id: string; budget_pence: string; area: string }>(
        `SELECT cohort_id, educational_lead_id, budget_pence, area FROM partnerships WHERE id = $1`,
        [partnershipId],
      );
      expect(made).toEqual({ cohort_id: ours.cohortId, educational_lead_id: lead.id, budget_pence: '2500000', area: 'Redcar and Cleveland' });
      await page.getByText('£25,000').first().waitFor();
      await expectAccessible(page);
      await shot(page, '03-partnership-created');

      // Found by name, then by URN.
      await suggestionsReady(page);
      await page.getByLabel('School name or URN').fill('beacon');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('button', { name: 'Add Beacon Primary School' }).click();
      await page.getByText('School added to the partnership').waitFor();
      await suggestionsReady(page);
      await page.getByLabel('School name or URN').fill(String(URN.cliffside));
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('table', { name: /1 school found/ }).waitFor();
      await expectAccessible(page);
      await shot(page, '04-school-search');
      await page.getByRole('button', { name: 'Add Cliffside Academy' }).click();
      await page.getByText('School added to the partnership').waitFor();
      expect(await currentMembers(partnershipId)).toEqual([schoolIds.beacon, schoolIds.cliffside].sort());

      await page.getByRole('button', { name: 'Remove Beacon Primary School' }).click();
      await page.getByText('School removed from the partnership').waitFor();
      expect(await currentMembers(partnershipId)).toEqual([schoolIds.cliffside]);
      await page.getByRole('table', { name: 'Schools that left' }).getByText('Beacon Primary School').waitFor();
      await shot(page, '05-school-removed');

      await page.getByRole('button', { name: 'Record a budget override' }).click();
      await heading(page, /Record a budget override/);
      await page.getByLabel('Amount to add').fill('500');
      await page.getByRole('button', { name: 'Record override' }).click();
      await page.locator('#reason-error').getByText('Enter the reason for the override').waitFor();
      await expect(page.getByLabel('Amount to add').inputValue()).resolves.toBe('500');
      await expectAccessible(page);
      await shot(page, '06-override-error');
      await page.getByLabel('Reason').fill('Trustees agreed a second residential place for Cliffside');
      await page.getByRole('button', { name: 'Record override' }).click();
      await page.getByText('Budget override recorded').waitFor();
      const ledger = page.getByRole('table', { name: 'Ledger' });
      await ledger.getByRole('cell', { name: 'Trustees agreed a second residential place for Cliffside' }).waitFor();
      await ledger.getByRole('cell', { name: '£500' }).waitFor();
      expect(await platform.query(`SELECT kind, amount_pence::int AS amount_pence, reason FROM budget_entries WHERE partnership_id = $1`, [partnershipId])).toEqual([
        { kind: 'override', amount_pence: 50000, reason: 'Trustees agreed a second residential place for Cliffside' },
      ]);
      await page.getByText('£25,500').first().waitFor();
      await expectAccessible(page);
      await shot(page, '07-ledger');
      await page.setViewportSize({ width: 390, height: 844 });
      await shot(page, '07-ledger-phone');
      await page.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    'a manager adds a teacher and changes their email, and sees their consents, CPD record and the recruitment KPI',
    async () => {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await signIn(page, platform, MANAGER);
      await page.goto(`${base}/people/new`);
      await heading(page, 'Add a person');
      await page.getByLabel('Full name').fill('Tessa Marlow');
      await page.getByLabel('Email address').fill('tessa at cliffside');
      await page.getByRole('button', { name: 'Add person' }).click();
      await page.locator('#email-error').getByText('Enter an email address in the correct format, like name@school.org.uk').waitFor();
      await page.locator('.govuk-error-summary').getByRole('link', { name: 'Select their role' }).waitFor();
      await expectAccessible(page);
      await shot(page, '08-add-person-errors');

      await page.getByLabel('Email address').fill('t.marlow@cliffside.example.sch.uk');
      await page.getByLabel('Role').selectOption({ label: 'Teacher' });
      await page.getByLabel('School').selectOption({ label: `Cliffside Academy (URN ${URN.cliffside})` });
      await page.getByRole('group', { name: 'On the senior leadership team?' }).getByLabel('No').check();
      await page.getByLabel('Subject specialism').selectOption({ label: 'Science' });
      await page.getByLabel('Career stage').selectOption({ label: 'Experienced' });
      await page.getByLabel('They agreed to surveys').check();
      await page.getByRole('button', { name: 'Add person' }).click();
      await heading(page, /Tessa Marlow/);
      await page.getByText('Person added').waitFor();
      const [teacher] = await platform.query<{ id: string; school_id: string; role: string; email: string }>(`SELECT id, school_id, role, email FROM people WHERE name = 'Tessa Marlow'`);
      expect(teacher).toMatchObject({ school_id: schoolIds.cliffside, role: 'teacher', email: 't.marlow@cliffside.example.sch.uk' });
      teacherId = teacher.id;

      await page.getByRole('link', { name: 'Change details' }).click();
      await heading(page, 'Change Tessa Marlow’s details');
      await expect(page.getByLabel('Email address').inputValue()).resolves.toBe('t.marlow@cliffside.example.sch.uk');
      await expectAccessible(page);
      await shot(page, '09-change-person');
      await page.getByLabel('Email address').fill('tessa.marlow@cliffside.example.sch.uk');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText('Details saved').waitFor();
      expect((await platform.query(`SELECT email FROM people WHERE id = $1`, [teacherId]))[0]).toEqual({ email: 'tessa.marlow@cliffside.example.sch.uk' });
      // One answer about surveys, given once: saving other details recorded no second one.
      expect(await platform.query(`SELECT purpose, granted FROM consent_log WHERE person_id = $1`, [teacherId])).toEqual([{ purpose: 'surveys', granted: true }]);

      // A course booked at the partnership's cost, and attended.
      const course = await ok('POST', '/api/v1/courses', { programmeId: ours.programmeId, title: 'Practical science for KS2', subject: 'science', format: 'local', hours: 3, costPence: 12000 });
      const session = await ok('POST', `/api/v1/courses/${course.id}/sessions`, { startsAt: '2027-01-12T12:00:00Z', endsAt: '2027-01-12T15:00:00Z', venue: 'Cliffside Academy', capacity: 10 });
      const booking = await ok('POST', `/api/v1/sessions/${session.id}/bookings`, { personId: teacherId });
      await ok('POST', '/api/v1/admin/clock', { now: '2027-01-12T16:00:00Z' });
      await ok('POST', `/api/v1/sessions/${session.id}/register`, { attended: [booking.id], noShow: [] });

      await page.goto(`${base}/people/${teacherId}`);
      const consents = page.getByRole('table', { name: 'Consents by purpose' });
      await consents.getByRole('row', { name: /Evaluation surveys Yes 12 January 2027/ }).waitFor();
      await consents.getByRole('row', { name: /News and marketing No Nothing recorded/ }).waitFor();
      await page.getByText('3 hours of CPD').waitFor();
      await page
        .getByRole('table', { name: 'Bookings' })
        .getByRole('row', { name: /Practical science for KS2 12 January 2027 at 12pm Attended/ })
        .waitFor();
      await page.getByRole('table', { name: 'Hours recorded' }).getByRole('cell', { name: 'Practical science for KS2' }).waitFor();
      await expectAccessible(page);
      await shot(page, '10-person');
      await page.setViewportSize({ width: 390, height: 844 });
      await shot(page, '10-person-phone');
      await page.setViewportSize({ width: 1280, height: 900 });

      // Found in the list by name, and by partnership.
      await openArea(page, 'People');
      await page.getByLabel('Name or email address').fill('marlow');
      await page.getByRole('button', { name: 'Find people' }).click();
      await page
        .getByRole('table', { name: /1 person found/ })
        .getByRole('link', { name: 'Tessa Marlow' })
        .waitFor();
      await page.goto(`${base}/people`);
      await page.getByLabel('Partnership').selectOption({ label: 'Redcar Coast Partnership' });
      await page.getByRole('button', { name: 'Find people' }).click();
      const found = page.getByRole('table', { name: /2 people found/ });
      await found.getByRole('link', { name: 'Tessa Marlow' }).waitFor();
      await found.getByRole('link', { name: 'Lee Ashworth' }).waitFor();
      await expectAccessible(page);
      await shot(page, '11-people');

      // The KPI, by the programme's own definition: Tessa's record holds every field it requires.
      await page.goto(`${base}/partnerships/${partnershipId}`);
      await page.getByText('1 complete record of 1 person at the partnership’s schools, against the programme’s target of 100').waitFor();
      await page.getByRole('table', { name: 'Recruitment by school' }).getByRole('row', { name: 'Cliffside Academy 1 1' }).waitFor();
      // The place was committed and then spent, beside the override.
      const ledger = page.getByRole('table', { name: 'Ledger' });
      await ledger.getByRole('row', { name: /Commitment .*£120/ }).waitFor();
      await ledger.getByRole('row', { name: /Spend .*£120/ }).waitFor();
      await expectAccessible(page);
      await shot(page, '12-partnership-kpi');
      await page.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    'the lead sees their partnership and its people; a lead of another partnership gets "Page not found" for them',
    async () => {
      const LEAD = 'lee.ashworth@harbour.example.org';
      await makeStaff(platform, { role: 'educational_lead', scope: `partnership:${partnershipId}`, name: 'Lee Ashworth', email: LEAD });
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await signIn(page, platform, LEAD);
      await openArea(page, 'Partnerships');
      await page.getByRole('link', { name: 'Redcar Coast Partnership' }).click();
      await heading(page, 'Redcar Coast Partnership');
      await page.getByRole('button', { name: 'Remove Cliffside Academy' }).waitFor();
      // A lead changes members, not the budget.
      await expect(page.getByRole('button', { name: 'Record a budget override' }).count()).resolves.toBe(0);
      await expectAccessible(page);
      await shot(page, '13-lead-partnership');
      await page.goto(`${base}/partnerships`);
      await expect(page.getByRole('table', { name: 'Partnerships' }).getByRole('link').allTextContents()).resolves.toEqual(['Redcar Coast Partnership']);
      await page.goto(`${base}/partnerships/${theirs.partnershipId}`);
      await heading(page, 'Page not found');
      const answer = await page.goto(`${base}/partnerships/${partnershipId}/budget/override`);
      expect(answer?.status()).toBe(403);
      await page.context().close();

      const other = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await signIn(other, platform, OTHER_LEAD);
      for (const path of [`/partnerships/${partnershipId}`, `/people/${teacherId}`, `/people/${teacherId}/edit`]) {
        const refused = await other.goto(`${base}${path}`);
        expect(refused?.status()).toBe(404);
        await heading(other, 'Page not found');
      }
      await expectAccessible(other);
      await shot(other, '14-other-lead-not-found');
      await other.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    'a tampered form (another programme’s school) and bad addresses answer a 4xx page and change nothing',
    async () => {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await signIn(page, platform, MANAGER);
      await page.goto(`${base}/partnerships/${partnershipId}?q=Dunmore`);
      const add = page.getByRole('button', { name: 'Add Dunmore Church School' });
      await add.waitFor();
      const theirSchool = theirs.schoolIds[0];
      await page
        .locator('form:has(button:text("Add")) input[name="schoolId"]')
        .first()
        .evaluate((input, id) => input.setAttribute('value', id), theirSchool);
      await add.click();
      await heading(page, 'Page not found');
      expect(await currentMembers(partnershipId)).toEqual([schoolIds.cliffside]);
      expect(await currentMembers(theirs.partnershipId)).toEqual([theirSchool]);

      // Not an id at all: refused before anything is looked up.
      await page.goto(`${base}/partnerships/${partnershipId}?q=Dunmore`);
      await page
        .locator('form:has(button:text("Add")) input[name="schoolId"]')
        .first()
        .evaluate((input) => input.setAttribute('value', 'not-a-school'));
      await page.getByRole('button', { name: 'Add Dunmore Church School' }).click();
      await page.locator('.govuk-error-summary').getByText('Select a school to add').waitFor();
      expect(await currentMembers(partnershipId)).toEqual([schoolIds.cliffside]);

      // A remove form whose school is not in the partnership finds nothing to remove.
      await page.goto(`${base}/partnerships/${partnershipId}`);
      await page
        .locator(`form[action$="/schools/${schoolIds.cliffside}/remove"]`)
        .evaluate((form) => form.setAttribute('action', form.getAttribute('action')!.replace(/schools\/[^/]+/, 'schools/00000000-0000-4000-8000-000000000000')));
      await page.getByRole('button', { name: 'Remove Cliffside Academy' }).click();
      await heading(page, 'Page not found');
      expect(await currentMembers(partnershipId)).toEqual([schoolIds.cliffside]);

      for (const path of ['/partnerships/not-an-id', '/partnerships/123/budget/override', '/people/not-an-id', '/people/42/edit', '/people?schoolId=nope', '/partnerships?page=-1']) {
        const answer = await page.goto(`${base}${path}`);
        expect([path, answer?.status()]).toEqual([path, 400]);
      }
      await heading(page, 'There is a problem with that request');
      await expectAccessible(page);
      await shot(page, '15-bad-id');
      await page.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    'works with JavaScript off: create a partnership, add and remove a school, record an override, add a person and change them',
    async () => {
      const page = await withoutJavaScript(browser);
      await signIn(page, platform, MANAGER);
      await page.goto(`${base}/partnerships/new`);
      await page.getByLabel('Name').fill('Saltburn Partnership');
      await page.getByLabel('Cohort').selectOption({ label: 'Wave 1' });
      await page.getByLabel('CPD budget').fill('10000');
      await page.getByRole('button', { name: 'Create partnership' }).click();
      await heading(page, 'Saltburn Partnership');
      const saltburn = new URL(page.url()).pathname.split('/')[2];
      await page.getByLabel('School name or URN').fill(String(URN.estuary));
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('button', { name: 'Add Estuary High School' }).click();
      await page.getByText('School added to the partnership').waitFor();
      await page.getByLabel('School name or URN').fill('Dunmore');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('button', { name: 'Add Dunmore Church School' }).click();
      await page.getByText('School added to the partnership').waitFor();
      await page.getByRole('button', { name: 'Remove Estuary High School' }).click();
      await page.getByText('School removed from the partnership').waitFor();
      expect(await currentMembers(saltburn)).toEqual([schoolIds.dunmore]);
      await page.getByRole('button', { name: 'Record a budget override' }).click();
      await page.getByLabel('Amount to add').fill('250.50');
      await page.getByLabel('Reason').fill('Supply cover for the network meeting');
      await page.getByRole('button', { name: 'Record override' }).click();
      await page.getByRole('table', { name: 'Ledger' }).getByRole('cell', { name: 'Supply cover for the network meeting' }).waitFor();
      expect(await platform.query(`SELECT amount_pence::int AS amount_pence FROM budget_entries WHERE partnership_id = $1 AND kind = 'override'`, [saltburn])).toEqual([{ amount_pence: 25050 }]);
      await shot(page, '16-no-js-partnership');

      await page.goto(`${base}/people/new`);
      await page.getByLabel('Full name').fill('Dev Patel');
      await page.getByLabel('Role').selectOption({ label: 'Technician' });
      await page.getByLabel('School').selectOption({ label: `Dunmore Church School (URN ${URN.dunmore})` });
      await page.getByRole('button', { name: 'Add person' }).click();
      await page.getByText('Person added').waitFor();
      await page.getByRole('link', { name: 'Change details' }).click();
      // Someone else's address is refused beside the field, naming no one.
      await page.getByLabel('Email address').fill('tessa.marlow@cliffside.example.sch.uk');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.locator('#email-error').getByText('This email address is already used by someone on the platform').waitFor();
      await page.getByLabel('Email address').fill('dev.patel@dunmore.example.sch.uk');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText('Details saved').waitFor();
      expect(await platform.query(`SELECT email, role, school_id FROM people WHERE name = 'Dev Patel'`)).toEqual([
        { email: 'dev.patel@dunmore.example.sch.uk', role: 'technician', school_id: schoolIds.dunmore },
      ]);
      await shot(page, '17-no-js-person');
      await page.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    'a school is chosen from the suggestions offered as its name or URN is typed, and added; with JavaScript off the plain search adds it; a lead is offered nothing out of reach',
    async () => {
      // A school on the register that no one has recruited yet.
      const grangetown = (await ok('POST', '/api/v1/schools', { urn: 610005, name: 'Grangetown Primary School', phase: 'primary', localAuthority: 'Redcar and Cleveland' })).id;
      const page = await phonePage(browser);
      // The suggestions' script, its styles and its requests are all within the pages' policy.
      const refused: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
      });
      await signIn(page, platform, MANAGER);
      await page.goto(`${base}/partnerships/${partnershipId}`);
      await heading(page, 'Redcar Coast Partnership');
      const field = page.getByRole('combobox', { name: 'School name or URN' });
      await page.getByText('Schools on the register, or already in your programme: choosing one adds it to the partnership').waitFor();

      // A school already in the partnership is not offered.
      await field.pressSequentially('cliff');
      await page.getByRole('option', { name: 'No matches: press Search to look again' }).waitFor();
      await field.fill('');
      await field.pressSequentially('beac');
      const beacon = page.getByRole('option', { name: `Beacon Primary School (URN ${URN.beacon}, TS10 1AA)` });
      await beacon.waitFor();
      await shot(page, '18-school-suggestions-phone');
      await expectAccessible(page);
      await beacon.click();
      await page.getByText('School added to the partnership').waitFor();
      expect(await currentMembers(partnershipId)).toEqual([schoolIds.beacon, schoolIds.cliffside].sort());

      // By URN, with the keyboard; a school without a postcode is named by its local authority.
      await field.pressSequentially('610005');
      await page.getByRole('option', { name: 'Grangetown Primary School (URN 610005, Redcar and Cleveland)' }).waitFor();
      await field.press('ArrowDown');
      await page.keyboard.press('Enter');
      await page.getByText('School added to the partnership').waitFor();
      expect(await currentMembers(partnershipId)).toEqual([schoolIds.beacon, schoolIds.cliffside, grangetown].sort());

      // Enter in the field searches, as it does without JavaScript, and the search stays in the field.
      await field.pressSequentially('estuary');
      await page.getByRole('option', { name: `Estuary High School (URN ${URN.estuary}, TS10 1AA)` }).waitFor();
      await field.press('Enter');
      await page.getByRole('table', { name: /1 school found/ }).waitFor();
      await expect(field.inputValue()).resolves.toBe('estuary');
      await page.setViewportSize({ width: 1280, height: 900 });
      await expectAccessible(page);
      await shot(page, '19-school-search-with-suggestions');
      expect(refused).toEqual([]);

      // Without JavaScript (the same session): the same field, a plain search, and the result's Add button.
      const plain = await withoutJavaScript(browser, { storageState: await page.context().storageState() });
      await plain.goto(`${base}/partnerships/${partnershipId}`);
      await plain.getByLabel('School name or URN').fill('estu');
      await plain.getByRole('button', { name: 'Search' }).click();
      await plain.getByRole('button', { name: 'Add Estuary High School' }).click();
      await plain.getByText('School added to the partnership').waitFor();
      expect(await currentMembers(partnershipId)).toEqual([schoolIds.beacon, schoolIds.cliffside, schoolIds.estuary, grangetown].sort());
      await shot(plain, '20-no-js-school-added');
      await plain.context().close();

      // The suggestions are the search's schools less the partnership's own, as JSON kept by no one.
      await ok('DELETE', `/api/v1/partnerships/${partnershipId}/members/${grangetown}`);
      const suggested = await page.request.get(`${base}/partnerships/${partnershipId}/schools/suggestions?q=school`);
      expect(suggested.status()).toBe(200);
      expect(suggested.headers()['content-type']).toMatch(/^application\/json/);
      expect(suggested.headers()['cache-control']).toBe('no-store');
      expect(await suggested.json()).toEqual([
        { id: schoolIds.dunmore, label: `Dunmore Church School (URN ${URN.dunmore}, TS10 1AA)` },
        { id: grangetown, label: 'Grangetown Primary School (URN 610005, Redcar and Cleveland)' },
      ]);
      await page.context().close();

      // The partnership's lead reaches only its own schools, all in it already: nothing on the register, nothing of another programme.
      const lead = await (await browser.newContext()).newPage();
      await signIn(lead, platform, 'lee.ashworth@harbour.example.org');
      for (const q of ['school', 'Grangetown', 'Moorland', String(URN.beacon)]) {
        const answer = await lead.request.get(`${base}/partnerships/${partnershipId}/schools/suggestions?q=${q}`);
        expect([q, answer.status(), await answer.json()]).toEqual([q, 200, []]);
      }
      await lead.context().close();
      // Another partnership's lead does not find this partnership at all; in their own, the register's school is not theirs to add.
      const other = await (await browser.newContext()).newPage();
      await signIn(other, platform, OTHER_LEAD);
      expect((await other.request.get(`${base}/partnerships/${partnershipId}/schools/suggestions?q=school`)).status()).toBe(404);
      const theirOwn = await other.request.get(`${base}/partnerships/${theirs.partnershipId}/schools/suggestions?q=school`);
      expect([theirOwn.status(), await theirOwn.json()]).toEqual([200, []]);
      await other.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    'a manager reads everything held about a person and erases them; the lead may do neither',
    async () => {
      const NAME = 'Nia Castell';
      const EMAIL = 'nia.castell@cliffside.example.sch.uk';
      const person = await ok('POST', '/api/v1/people', { schoolId: schoolIds.cliffside, name: NAME, email: EMAIL, role: 'subject_leader', subjectSpecialism: 'maths', consentToContact: true });
      const course = await ok('POST', '/api/v1/courses', { programmeId: ours.programmeId, title: 'Mastery in maths', subject: 'maths', format: 'local', hours: 2, costPence: 4500 });
      const session = await ok('POST', `/api/v1/courses/${course.id}/sessions`, { startsAt: '2027-02-10T15:30:00Z', endsAt: '2027-02-10T17:30:00Z', venue: 'Cliffside Academy', capacity: 10 });
      await ok('POST', `/api/v1/sessions/${session.id}/bookings`, { personId: person.id });

      const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await signIn(page, platform, MANAGER);
      await page.goto(`${base}/people/${person.id}`);
      await heading(page, NAME);
      await page.getByRole('link', { name: 'Everything held about this person' }).click();
      // The caption names them.
      await heading(page, `${NAME} Everything held about a person`);
      for (const section of ['The person', 'What they agreed to', 'CPD bookings', 'Emails to them', 'Partnerships they lead', 'Changes made to their record']) {
        await page.getByRole('heading', { name: section, level: 2 }).waitFor();
      }
      const details = page.locator('.govuk-summary-list').first();
      await details.getByText(EMAIL).waitFor();
      await details.getByText('Subject leader').waitFor();
      await page
        .getByRole('region', { name: 'CPD bookings' })
        .getByRole('row', { name: /Mastery in maths/ })
        .waitFor();
      await page.getByRole('region', { name: 'What they agreed to: Every answer they gave' }).getByRole('cell', { name: 'Yes' }).first().waitFor();
      // Sections with nothing in them say so.
      await page
        .locator('section', { has: page.getByRole('heading', { name: 'Partnerships they lead' }) })
        .getByText('Nothing held.')
        .waitFor();
      await expectAccessible(page);
      await shot(page, '18-export');
      await page.setViewportSize({ width: 390, height: 844 });
      await shot(page, '18-export-phone');
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.emulateMedia({ media: 'print' });
      await shot(page, '18-export-print');
      await page.emulateMedia({ media: 'screen' });

      await page.getByRole('link', { name: `Back to ${NAME}` }).click();
      await page.getByRole('link', { name: 'Erase their personal data' }).click();
      await heading(page, `Erase ${NAME}’s personal data?`);
      await page.getByText('This cannot be undone.').waitFor();
      await expectAccessible(page);
      await shot(page, '19-erase');
      await page.setViewportSize({ width: 390, height: 844 });
      await shot(page, '19-erase-phone');
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.getByRole('button', { name: 'Erase personal data' }).click();
      await page.getByText('Personal data erased').waitFor();
      await heading(page, /Erased person [0-9a-f]{12}/);
      const [erased] = await platform.query<{ name: string; email: string | null; erased_at: Date | null }>(`SELECT name, email, erased_at FROM people WHERE id = $1`, [person.id]);
      expect(erased.erased_at).toBeInstanceOf(Date);
      expect(erased).toMatchObject({ name: expect.stringMatching(/^Erased person [0-9a-f]{12}$/), email: null });
      // Erased, they can be neither changed nor erased again; what is still held names them by the made-up name only.
      await expect(page.getByRole('link', { name: 'Change details' }).count()).resolves.toBe(0);
      await expect(page.getByRole('link', { name: 'Erase their personal data' }).count()).resolves.toBe(0);
      await expectAccessible(page);
      await shot(page, '20-erased');
      await page.goto(`${base}/people/${person.id}/erase`);
      await heading(page, /Personal data erased/);
      await expect(page.getByRole('button', { name: 'Erase personal data' }).count()).resolves.toBe(0);
      await shot(page, '21-already-erased');
      await page.getByRole('link', { name: 'Everything still held about this person' }).click();
      await heading(page, /Everything held about a person/);
      const text = await page.locator('main').innerText();
      expect(text).toContain(erased.name);
      expect(text).not.toContain(NAME);
      expect(text).not.toContain(EMAIL);
      await page.context().close();

      const lead = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await signIn(lead, platform, 'lee.ashworth@harbour.example.org');
      await lead.goto(`${base}/people/${teacherId}`);
      await heading(lead, /Tessa Marlow/);
      await expect(lead.getByRole('link', { name: 'Everything held about this person' }).count()).resolves.toBe(0);
      await expect(lead.getByRole('link', { name: 'Erase their personal data' }).count()).resolves.toBe(0);
      for (const path of [`/people/${teacherId}/export`, `/people/${teacherId}/erase`]) {
        expect((await lead.goto(`${base}${path}`))?.status()).toBe(403);
      }
      expect((await platform.query(`SELECT erased_at FROM people WHERE id = $1`, [teacherId]))[0].erased_at).toBeNull();
      await lead.context().close();
    },
    STEP_TIMEOUT,
  );
});
