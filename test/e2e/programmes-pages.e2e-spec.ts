import type { Browser, Page } from 'playwright-core';
import { londonDateTime } from '../../apps/api/src/web/view-filters.js';
import { expectAccessible, launchBrowser, phonePage, screenshot, withoutJavaScript } from '../support/browser.js';
import { makeStaff, openArea, signIn } from '../support/console.js';
import { TestPlatform } from '../support/platform.js';
import { buildProgramme, type ProgrammeFixture } from '../support/programme.js';

/**
 * Programmes and cohorts in the console, as their people use them: an admin creates a
 * programme, its manager keeps its details, adds a cohort with its dates and calendar,
 * chooses its self-evaluation framework, and changes its workflow policy one group of
 * settings at a time, after a dry run that says which planned emails the change would add,
 * move or drop, beside the schedule read in London time. Driven by what a person reads.
 */
const STEP_TIMEOUT = 240_000;

describe('programmes and cohorts at /programmes', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let base: string;
  let tees: ProgrammeFixture;
  let otherProgrammeId: string;
  const ADMIN = 'ada.admin@programmes.example.org';
  const MANAGER = 'mo.manager@programmes.example.org';
  const OTHER_MANAGER = 'olu.other@programmes.example.org';
  const LEAD = 'lee.lead@programmes.example.org';
  // The fixture's cohort starts with settings of its own, so that a reset to the defaults would show.
  const STARTING_POLICY = { sendWindow: { opens: '08:30', closes: '15:45' }, cpd: { offerHours: 24 }, surveys: { maxReminders: 1 } };

  const shot = (page: Page, name: string) => screenshot(page, platform.artifactsDir, name);
  const ok = (method: string, path: string, body?: unknown) => platform.ok(method, path, body);
  const policyOf = async (cohortId: string) => (await platform.query<{ workflow_policy: any }>(`SELECT workflow_policy FROM cohorts WHERE id = $1`, [cohortId]))[0].workflow_policy;
  const cohortUrl = () => `${base}/programmes/${tees.programmeId}/cohorts/${tees.cohortId}`;

  async function signedIn(email: string, { phone = false } = {}): Promise<Page> {
    const page = phone ? await phonePage(browser) : await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(page, platform, email);
    return page;
  }

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'programmes-pages', env: { CLOCK: 'virtual' } });
    base = `http://127.0.0.1:${platform.apiPort}`;
    await ok('POST', '/api/v1/admin/clock', { now: '2026-12-01T10:00:00Z' });
    tees = await buildProgramme(platform, { name: 'Tees STEM', schools: 2, urnBase: 880_000, workflowPolicy: STARTING_POLICY });
    otherProgrammeId = (
      await ok('POST', '/api/v1/programmes', { name: 'Other Programme', startsOn: '2026-09-01', endsOn: '2027-08-31', frameworkKey: 'iris-ri', kpiDefinition: { completeRecordRequires: ['email'] } })
    ).id;
    await makeStaff(platform, { role: 'admin', name: 'Ada Admin', email: ADMIN });
    await makeStaff(platform, { role: 'programme_manager', scope: `programme:${tees.programmeId}`, name: 'Mo Manager', email: MANAGER });
    await makeStaff(platform, { role: 'programme_manager', scope: `programme:${otherProgrammeId}`, name: 'Olu Other', email: OTHER_MANAGER });
    await makeStaff(platform, { role: 'educational_lead', scope: `partnership:${tees.partnershipId}`, name: 'Lee Lead', email: LEAD });
    browser = await launchBrowser();
  }, STEP_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  }, STEP_TIMEOUT);

  it(
    'an admin creates a programme from the Programmes area, told what to fix first, and changes its details',
    async () => {
      const page = await signedIn(ADMIN);
      await openArea(page, 'Programmes');
      await page.getByRole('heading', { name: 'Programmes', level: 1 }).waitFor();
      await expect(page.getByRole('link', { name: 'Tees STEM' }).isVisible()).resolves.toBe(true);
      await expectAccessible(page);
      await shot(page, '01-programmes');

      await page.getByRole('button', { name: 'Create a programme' }).click();
      await page.getByRole('heading', { name: 'Create a programme' }).waitFor();
      await page.getByRole('button', { name: 'Create programme' }).click();
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
      await expect(page.title()).resolves.toBe('Error: Create a programme – stemflow');
      const summary = page.locator('.govuk-error-summary');
      await expect(summary.getByRole('link').allTextContents()).resolves.toEqual([
        'Enter the programme’s name',
        'Enter the date the programme starts',
        'Enter the date the programme ends',
        'Choose the self-evaluation framework',
      ]);
      await expectAccessible(page);
      await shot(page, '02-create-programme-errors');

      await page.getByLabel('Name', { exact: true }).fill('Aspire to STEM');
      await page.getByLabel('Funder (optional)').fill('The Careers & Enterprise Company');
      const starts = page.getByRole('group', { name: 'Starts' });
      await starts.getByLabel('Day').fill('1');
      await starts.getByLabel('Month').fill('9');
      await starts.getByLabel('Year').fill('2027');
      const ends = page.getByRole('group', { name: 'Ends' });
      await ends.getByLabel('Day').fill('31');
      await ends.getByLabel('Month').fill('8');
      await ends.getByLabel('Year').fill('2029');
      await page.getByLabel('STEM Research & Innovation Framework').check();
      await page.getByLabel('Colour').fill('#7B2D8B');
      await page.getByLabel('Team email address (optional)').fill('Aspire.Team@Example.org');
      await page.getByLabel('Role', { exact: true }).check();
      await page.getByLabel('Recruitment target (optional)').fill('880');
      await shot(page, '03-create-programme-filled');
      await page.getByRole('button', { name: 'Create programme' }).click();
      await page.getByText('Programme created').waitFor();
      await page.getByRole('heading', { name: 'Aspire to STEM' }).waitFor();
      await expectAccessible(page);
      await shot(page, '04-programme-created');

      const [row] = await platform.query<any>(`SELECT * FROM programmes WHERE name = 'Aspire to STEM'`);
      expect({
        funder: row.funder,
        startsOn: row.starts_on.toISOString?.().slice(0, 10) ?? row.starts_on,
        colour: row.brand_colour,
        team: row.team_email,
        kpi: row.kpi_definition,
        framework: row.framework_key,
      }).toMatchObject({
        funder: 'The Careers & Enterprise Company',
        colour: '#7B2D8B',
        team: 'aspire.team@example.org',
        kpi: { completeRecordRequires: ['email', 'role'], recruitmentTarget: 880 },
        framework: 'iris-ri',
      });

      await page.getByRole('link', { name: 'Change the programme’s details' }).click();
      await page.getByRole('heading', { name: 'Change the programme’s details' }).waitFor();
      await page.getByLabel('Colour').fill('blue');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.locator('#brandColour-error').getByText('Enter the colour as a hex code, like #0b5394').waitFor();
      await expect(page.getByLabel('Colour').inputValue()).resolves.toBe('blue');
      await expectAccessible(page);
      await shot(page, '05-edit-programme-error');
      await page.getByLabel('Colour').fill('#0b5394');
      await page.getByLabel('Funder (optional)').fill('');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText('Programme details saved').waitFor();
      const [saved] = await platform.query<any>(`SELECT funder, brand_colour, team_email FROM programmes WHERE id = $1`, [row.id]);
      expect(saved).toEqual({ funder: null, brand_colour: '#0b5394', team_email: 'aspire.team@example.org' });
      await page.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    "a manager changes their programme's details, adds a cohort with its dates and calendar, and chooses the framework of a cohort",
    async () => {
      const page = await signedIn(MANAGER, { phone: true });
      await page.goto(`${base}/programmes`);
      await expect(page.getByRole('button', { name: 'Create a programme' }).count()).resolves.toBe(0);
      await expect(page.getByRole('link', { name: 'Other Programme' }).count()).resolves.toBe(0);
      await page.getByRole('link', { name: 'Tees STEM' }).click();
      await page.getByRole('heading', { name: 'Tees STEM' }).waitFor();
      await expectAccessible(page);
      await shot(page, '06-programme-phone');

      await page.getByRole('link', { name: 'Change the programme’s details' }).click();
      await page.getByLabel('Team email address (optional)').fill('tees.team@example.org');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText('Programme details saved').waitFor();
      expect((await platform.query<{ team_email: string }>(`SELECT team_email FROM programmes WHERE id = $1`, [tees.programmeId]))[0].team_email).toBe('tees.team@example.org');

      await page.getByRole('button', { name: 'Add a cohort' }).click();
      await page.getByRole('heading', { name: 'Add a cohort' }).waitFor();
      await page.getByLabel('Cohort name').fill('Wave 2');
      const starts = page.getByRole('group', { name: 'Starts' });
      await starts.getByLabel('Day').fill('1');
      await starts.getByLabel('Month').fill('9');
      await starts.getByLabel('Year').fill('2027');
      const ends = page.getByRole('group', { name: 'Ends' });
      await ends.getByLabel('Day').fill('30');
      await ends.getByLabel('Month').fill('2');
      await ends.getByLabel('Year').fill('2028');
      await page.getByRole('button', { name: 'Add cohort' }).click();
      await page.locator('#endsOn-error').getByText('The date the cohort ends must be a real date').waitFor();
      await expect(ends.getByLabel('Day').inputValue()).resolves.toBe('30');
      await expectAccessible(page);
      await shot(page, '07-new-cohort-error');
      await ends.getByLabel('Day').fill('21');
      await ends.getByLabel('Month').fill('7');
      await page.getByLabel('England', { exact: false }).check();
      await page.getByRole('button', { name: 'Add cohort' }).click();
      await page.getByText('Cohort created').waitFor();
      await page.getByRole('heading', { name: 'Wave 2' }).waitFor();
      const [wave2] = await platform.query<any>(
        `SELECT id, to_char(starts_on, 'YYYY-MM-DD') AS starts, to_char(ends_on, 'YYYY-MM-DD') AS ends, calendar_key, status FROM cohorts WHERE name = 'Wave 2'`,
      );
      expect(wave2).toMatchObject({ starts: '2027-09-01', ends: '2028-07-21', calendar_key: 'england', status: 'planned' });
      await expectAccessible(page);
      await shot(page, '08-cohort-created-phone');

      // The fixture's cohort has no framework yet: nothing termly is planned until it has one.
      await page.goto(cohortUrl());
      await page.getByText('Not chosen yet').waitFor();
      await page.getByRole('link', { name: 'Choose the self-evaluation framework' }).click();
      await page.getByRole('heading', { name: 'Choose the self-evaluation framework' }).waitFor();
      await expectAccessible(page);
      await page.getByLabel('STEM maturity grid (Aspire to STEM)').check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('heading', { name: 'Choose the elements schools work on' }).waitFor();
      await page.getByRole('button', { name: 'Save framework' }).click();
      await page.locator('#elementKeys-error').getByText('Choose the elements schools work on this year').waitFor();
      await expectAccessible(page);
      await shot(page, '09-framework-elements-error');
      await page.locator('input[name="elementKeys"]').first().check();
      await page.getByRole('button', { name: 'Save framework' }).click();
      await page.getByText('Self-evaluation framework saved').waitFor();
      const [choice] = await platform.query<any>(`SELECT framework_key, element_keys FROM cohort_self_evaluation WHERE cohort_id = $1`, [tees.cohortId]);
      expect(choice.element_keys).toHaveLength(1);
      expect(choice.framework_key).toBe('ats-maturity');
      await page.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    "shows the cohort's schedule in London time with what needs attention, and changes one policy setting after a dry run, leaving every other as it was",
    async () => {
      const page = await signedIn(MANAGER);
      await page.goto(cohortUrl());
      await page.getByRole('heading', { name: 'Schedule' }).waitFor();

      // The spring term's invitations, read from the very rows the worker claims, shown in London time.
      const planned = await platform.query<{ due_at: Date; description: string }>(
        `SELECT due_at, description FROM scheduled_actions WHERE cohort_id = $1 AND kind = 'self_evaluation.open' AND status = 'planned' ORDER BY due_at`,
        [tees.cohortId],
      );
      expect(planned.length).toBeGreaterThanOrEqual(2);
      const timeline = page.locator('.app-schedule');
      await timeline.getByText(londonDateTime(planned[0].due_at)).first().waitFor();
      await expect(timeline.getByRole('heading', { name: 'Self-evaluation invitation' }).count()).resolves.toBeGreaterThanOrEqual(2);
      // The schools have no contact address, and the partnership no lead: the page says so.
      await timeline.getByText('Nobody to send it to').first().waitFor();
      await expectAccessible(page);
      await shot(page, '10-cohort-schedule');

      const before = await policyOf(tees.cohortId);
      expect(before).toMatchObject({ version: 1, ...STARTING_POLICY, selfEvaluation: { inviteAfterDays: 3 } });

      // A number out of the policy's range is refused in the policy's own words.
      await page.getByLabel('Days after a term starts that schools are invited').fill('400');
      await page.locator('#policy-selfEvaluation').getByRole('button', { name: 'Check what this changes' }).click();
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
      await page.locator('.govuk-error-summary').getByText('Days after a term starts that schools are invited must be a whole number from 0 to 60').waitFor();
      await expect(page.getByLabel('Days after a term starts that schools are invited').inputValue()).resolves.toBe('400');
      await expectAccessible(page);
      await shot(page, '11-policy-error');

      await page.getByLabel('Days after a term starts that schools are invited').fill('5');
      await page.locator('#policy-selfEvaluation').getByRole('button', { name: 'Check what this changes' }).click();
      const preview = page.locator('#preview');
      await preview.getByRole('heading', { name: 'What saving this change to the termly self-evaluation would do' }).waitFor();
      await expect(preview.getByRole('cell', { name: 'Moved' }).count()).resolves.toBeGreaterThanOrEqual(2);
      await preview.getByText(/\d+ added, \d+ moved, \d+ dropped/).waitFor();
      expect(await policyOf(tees.cohortId)).toEqual(before);
      await expectAccessible(page);
      await shot(page, '12-policy-dry-run');

      await preview.getByRole('button', { name: 'Save this change' }).click();
      await page.getByText('Termly self-evaluation saved').waitFor();
      const after = await policyOf(tees.cohortId);
      expect(after).toEqual({ ...before, version: 2, selfEvaluation: { ...before.selfEvaluation, inviteAfterDays: 5 } });
      const moved = await platform.query<{ due_at: Date }>(`SELECT due_at FROM scheduled_actions WHERE cohort_id = $1 AND kind = 'self_evaluation.open' AND status = 'planned' ORDER BY due_at`, [
        tees.cohortId,
      ]);
      expect(moved[0].due_at.getTime() - planned[0].due_at.getTime()).toBe(2 * 86_400_000);
      await page.locator('.app-schedule').getByText(londonDateTime(moved[0].due_at)).first().waitFor();

      // A reminder rule on its own: only that rule's timing changes.
      await page.getByLabel('How long before a CPD session starts (rule “session-day-before”)').fill('2');
      await page.locator('form[action$="/reminders/session-day-before"]').getByRole('button', { name: 'Save' }).click();
      await page.getByText('Reminder rule saved').waitFor();
      const third = await policyOf(tees.cohortId);
      expect(third).toEqual({ ...after, version: 3, reminders: after.reminders.map((r: any) => (r.id === 'session-day-before' ? { ...r, offset: 2 } : r)) });
      await expectAccessible(page);
      await shot(page, '13-policy-saved');
      await page.setViewportSize({ width: 390, height: 844 });
      await shot(page, '14-cohort-phone');
      await page.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    "the API's PATCH of a policy changes only the settings it names, and its dry run lists what would move",
    async () => {
      const before = await policyOf(tees.cohortId);
      const dry = await ok('PATCH', `/api/v1/cohorts/${tees.cohortId}?dryRun=true`, { workflowPolicy: { selfEvaluation: { inviteAfterDays: 6 } } });
      expect(dry.changes.moved.length).toBeGreaterThanOrEqual(2);
      expect(dry.changes.moved.every((e: { kind: string }) => e.kind === 'self_evaluation.open' || e.kind === 'self_evaluation.overdue_notice' || e.kind === 'reminder.send')).toBe(true);
      expect(await policyOf(tees.cohortId)).toEqual(before);

      const saved = await ok('PATCH', `/api/v1/cohorts/${tees.cohortId}`, { workflowPolicy: { cpd: { offerHours: 36 }, sendWindow: { closes: '17:00' } } });
      expect(saved.changed).toEqual(['workflowPolicy']);
      expect(await policyOf(tees.cohortId)).toEqual({ ...before, version: before.version + 1, cpd: { offerHours: 36 }, sendWindow: { opens: '08:30', closes: '17:00' } });

      const refused = await platform.http('PATCH', `/api/v1/cohorts/${tees.cohortId}`, { workflowPolicy: { cpd: { offerHours: 0 } } });
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('workflowPolicy.cpd.offerHours');

      const schedule = await ok('GET', `/api/v1/cohorts/${tees.cohortId}/schedule`);
      expect(schedule.entries.some((e: { warnings: string[] }) => e.warnings.includes('no_recipient'))).toBe(true);

      const renamed = await ok('PATCH', `/api/v1/programmes/${otherProgrammeId}`, { funder: 'A Funder', teamEmail: null });
      expect({ funder: renamed.funder, teamEmail: renamed.teamEmail, name: renamed.name }).toEqual({ funder: 'A Funder', teamEmail: null, name: 'Other Programme' });
    },
    STEP_TIMEOUT,
  );

  it(
    "a manager of another programme gets 'Page not found' at this programme's addresses, a lead reads their cohort without forms, and bad ids get a 4xx page",
    async () => {
      const page = await signedIn(OTHER_MANAGER);
      const theirs = [
        `/programmes/${tees.programmeId}`,
        `/programmes/${tees.programmeId}/edit`,
        `/programmes/${tees.programmeId}/cohorts/new`,
        `/programmes/${tees.programmeId}/cohorts/${tees.cohortId}`,
        `/programmes/${tees.programmeId}/cohorts/${tees.cohortId}/self-evaluation`,
        `/programmes/${otherProgrammeId}/cohorts/${tees.cohortId}`,
      ];
      for (const path of theirs) {
        const answer = await page.goto(`${base}${path}`);
        expect({ path, status: answer!.status() }).toEqual({ path, status: 404 });
        await page.getByRole('heading', { name: 'Page not found' }).waitFor();
      }
      await expectAccessible(page);
      await shot(page, '15-not-found');
      // A form sent to another programme's cohort is refused the same way, and changes nothing.
      await page.goto(`${base}/programmes`);
      const token = await page.locator('input[name="_csrf"]').first().inputValue();
      const before = await policyOf(tees.cohortId);
      const sent = await page.request.post(`${base}/programmes/${tees.programmeId}/cohorts/${tees.cohortId}/policy/cpd`, {
        form: { _csrf: token, 'cpd-offerHours': '1', action: 'save' },
        headers: { origin: base },
        maxRedirects: 0,
      });
      expect(sent.status()).toBe(404);
      expect(await policyOf(tees.cohortId)).toEqual(before);
      // Only an admin creates a programme.
      expect((await page.goto(`${base}/programmes/new`))!.status()).toBe(403);

      for (const [path, status] of [
        ['/programmes/not-a-programme', 400],
        [`/programmes/${otherProgrammeId}/cohorts/42`, 400],
        [`/programmes/${otherProgrammeId}/cohorts/00000000-0000-4000-8000-000000000000`, 404],
      ] as const) {
        const answer = await page.goto(`${base}${path}`);
        expect({ path, status: answer!.status() }).toEqual({ path, status });
      }
      const unknownGroup = await page.request.post(`${base}/programmes/${otherProgrammeId}/cohorts/00000000-0000-4000-8000-000000000000/policy/colour`, {
        form: { _csrf: token },
        headers: { origin: base },
        maxRedirects: 0,
      });
      expect(unknownGroup.status()).toBeGreaterThanOrEqual(400);
      expect(unknownGroup.status()).toBeLessThan(500);
      await shot(page, '16-bad-id');
      await page.context().close();

      const lead = await signedIn(LEAD);
      await lead.goto(cohortUrl());
      await lead.getByRole('heading', { name: 'Workflow policy' }).waitFor();
      await expect(lead.getByRole('button', { name: 'Save' }).count()).resolves.toBe(0);
      await lead.getByText('Days after a term starts that schools are invited').waitFor();
      await lead.locator('.app-schedule').getByText('Self-evaluation invitation').first().waitFor();
      await expectAccessible(lead);
      await shot(lead, '17-lead-read-only');
      expect((await lead.goto(`${base}/programmes/${tees.programmeId}/edit`))!.status()).toBe(403);
      await lead.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    'with JavaScript off, a manager adds a cohort and changes its send window after checking what it changes',
    async () => {
      const page = await withoutJavaScript(browser);
      await signIn(page, platform, MANAGER);
      await openArea(page, 'Programmes');
      await page.getByRole('link', { name: 'Tees STEM' }).click();
      await page.getByRole('button', { name: 'Add a cohort' }).click();
      await page.getByLabel('Cohort name').fill('Wave 3');
      for (const [group, day, month, year] of [
        ['Starts', '1', '9', '2028'],
        ['Ends', '20', '7', '2029'],
      ]) {
        const dates = page.getByRole('group', { name: group });
        await dates.getByLabel('Day').fill(day);
        await dates.getByLabel('Month').fill(month);
        await dates.getByLabel('Year').fill(year);
      }
      await page.getByRole('button', { name: 'Add cohort' }).click();
      await page.getByText('Cohort created').waitFor();
      const [wave3] = await platform.query<{ id: string; workflow_policy: any }>(`SELECT id, workflow_policy FROM cohorts WHERE name = 'Wave 3'`);

      await page.getByLabel('Closes at').fill('5pm');
      await page.locator('#policy-sendWindow').getByRole('button', { name: 'Check what this changes' }).click();
      await page.locator('#preview').getByRole('heading', { name: 'What saving this change to the send window would do' }).waitFor();
      await shot(page, '18-no-js-dry-run');
      await page.locator('#preview').getByRole('button', { name: 'Save this change' }).click();
      await page.getByText('Send window saved').waitFor();
      await expect(page.getByLabel('Closes at').inputValue()).resolves.toBe('17:00');
      expect((await policyOf(wave3.id)).sendWindow).toEqual({ opens: wave3.workflow_policy.sendWindow.opens, closes: '17:00' });
      await shot(page, '19-no-js-saved');
      await page.context().close();
    },
    STEP_TIMEOUT,
  );
});
