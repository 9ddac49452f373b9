import type { Browser, Locator } from 'playwright-core';
import { expectAccessible, launchBrowser, linkIn, phonePage, screenshot, withoutJavaScript } from '../support/browser.js';
import { eventually, TestPlatform } from '../support/platform.js';

/**
 * A school contact's self-evaluation in headless Chromium, from the link in the email:
 * choose levels, save a draft, reopen it, submit (with the errors an incomplete form gets),
 * reopen and edit, resubmit; a tampered link; an expired one renewed to the same address;
 * next term's form, showing what was chosen last time, filled in with JavaScript off.
 */
describe('the self-evaluation page', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let schoolId: string;
  let link: string;
  const contact = 'stem.lead@oakfield.example.sch.uk';

  const ok = async (method: string, path: string, body?: unknown) => {
    const answer = await platform.http(method, path, body);
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
    return answer.body;
  };
  const moveClock = (iso: string) => ok('POST', '/api/v1/admin/clock', { now: iso });
  const mailTo = (email: string, subject: RegExp) => platform.catcher.messages.filter((m) => m.to.includes(email) && subject.test(m.subject));
  /** What a screen reader says about a field beside its name: its hint and its error, as aria-describedby points to them. */
  const descriptionOf = async (field: Locator) => {
    const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
    const texts = await Promise.all(ids.map((id) => field.page().locator(`[id="${id}"]`).innerText()));
    return texts.join(' ').replace(/\s+/g, ' ').trim();
  };

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'self-evaluation-page', env: { CLOCK: 'virtual' } });
    browser = await launchBrowser();
    // Tuesday 12 January 2027: the spring term's invitations went on the 7th.
    await moveClock('2027-01-12T10:00:00Z');
    const programme = await ok('POST', '/api/v1/programmes', {
      name: 'Aspire Page',
      startsOn: '2026-09-01',
      endsOn: '2027-08-31',
      frameworkKey: 'iris-ri',
      brandColour: '#2d6a4f',
      kpiDefinition: { completeRecordRequires: ['email'] },
    });
    const cohort = await ok('POST', `/api/v1/programmes/${programme.id}/cohorts`, { name: 'Wave 1', startsOn: '2026-09-01', endsOn: '2027-07-23', calendarKey: 'england', status: 'active' });
    const chosen = await ok('PUT', `/api/v1/cohorts/${cohort.id}/self-evaluation`, { frameworkKey: 'iris-ri', elementKeys: ['1.5', '2.1'] });
    expect(chosen).toMatchObject({ chosen: true, frameworkKey: 'iris-ri', elementKeys: ['1.5', '2.1'] });
    const partnership = await ok('POST', '/api/v1/partnerships', { name: 'Oak Valley Partnership', cohortId: cohort.id });
    const school = await ok('POST', '/api/v1/schools', { urn: 930_001, name: 'Oakfield Academy', phase: 'secondary', contactName: 'Ola Oyelaran', contactEmail: contact });
    schoolId = school.id;
    await ok('POST', '/api/v1/enrichment-events', {
      programmeId: programme.id,
      type: 'ambassador_session',
      title: 'Engineers in the lab',
      occursOn: '2026-11-20',
      hostSchoolId: school.id,
      schoolIds: [school.id],
      audience: { pupils: 45, parents: 0, staff: 3, otherSchools: 0 },
      keyStages: ['ks3'],
    });
    await ok('POST', `/api/v1/partnerships/${partnership.id}/members`, { schoolId: school.id });
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('invites a school that joins mid-term at once, and the link in the email opens its page', async () => {
    const [invitation] = await eventually(async () => {
      const found = mailTo(contact, /^Your 2026\/27 spring self-evaluation is open: Oakfield Academy$/);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(invitation.text).toContain('1.5 Practices: Self-evaluation');
    link = linkIn(invitation, 'e');
    // The welcome carries the baseline's own link.
    const [welcome] = await eventually(async () => {
      const found = mailTo(contact, /^Welcome to Oak Valley Partnership/);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(linkIn(welcome, 'e')).not.toBe(link);
  });

  it('saves a draft, reopens it, refuses an incomplete submission beside the field, then submits', async () => {
    const page = await phonePage(browser);
    const opened = await page.goto(link);
    expect(opened?.status()).toBe(200);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Oakfield Academy: 2026/27 spring self-evaluation');
    const selfEvaluation = page.getByRole('group', { name: '1.5 Practices: Self-evaluation' });
    const practical = page.getByRole('group', { name: '2.1 Practical STEM' });
    // Evidence beside each element, never a level.
    await selfEvaluation.getByText('What stemflow holds for your school').waitFor();
    await selfEvaluation.getByText('Enrichment events: 1, reaching 45 pupils').waitFor();
    await selfEvaluation.getByText('STEM Ambassador encounters: 1').waitFor();
    await practical.getByText('Enrichment events: 1, reaching 45 pupils').waitFor();

    await selfEvaluation.getByLabel('Embedding').check();
    await selfEvaluation.getByLabel('How do we know? (evidence)').fill('Termly review minutes; pupil voice survey.');
    await selfEvaluation.getByLabel('Next steps').fill('Share the review with governors.');
    await page.getByRole('button', { name: 'Save draft' }).click();
    const saved = page.getByRole('status');
    await saved.getByText('Draft saved. You can come back to it from the same link until the deadline.').waitFor();
    await screenshot(page, platform.artifactsDir, 'draft-saved');

    // Reopened from the email: the draft is there, and the notice is not.
    await page.goto(link);
    expect(await selfEvaluation.getByLabel('Embedding').isChecked()).toBe(true);
    expect(await selfEvaluation.getByLabel('How do we know? (evidence)').inputValue()).toBe('Termly review minutes; pupil voice survey.');
    expect(await page.getByRole('status').count()).toBe(0);

    // Submitting without a level for 2.1: 422, the error beside that field and in the summary.
    await practical.getByLabel('Next steps').fill('Book the science technician for a club.');
    const [answer] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Submit', exact: true }).click()]);
    expect(answer.status()).toBe(422);
    expect(await page.title()).toMatch(/^Error: 2026\/27 spring self-evaluation · Oakfield Academy – /);
    const summary = page.getByRole('alert');
    expect(await summary.getByRole('heading').textContent()).toContain('There is a problem');
    expect(await summary.getByRole('link').allTextContents()).toEqual(['Choose a level for 2.1 Practical STEM']);
    // The summary is focused, and its link takes a person to the first level of 2.1.
    await eventually(async () => expect(await page.evaluate('document.activeElement.querySelector("[role=alert]") !== null')).toBe(true));
    await summary.getByRole('link', { name: 'Choose a level for 2.1 Practical STEM' }).click();
    await eventually(async () => expect(await practical.getByLabel('Starting out').evaluate((radio) => radio === radio.ownerDocument.activeElement)).toBe(true));
    expect(await descriptionOf(practical.getByRole('group', { name: 'Where is your school now?' }))).toBe('Error: Choose a level for 2.1 Practical STEM');
    expect(await selfEvaluation.getByText(/^Error:/).count()).toBe(0);
    // What was typed is kept.
    expect(await selfEvaluation.getByLabel('Embedding').isChecked()).toBe(true);
    expect(await practical.getByLabel('Next steps').inputValue()).toBe('Book the science technician for a club.');
    await screenshot(page, platform.artifactsDir, 'incomplete-submit');
    await expectAccessible(page);
    await page.setViewportSize({ width: 1280, height: 900 });
    await screenshot(page, platform.artifactsDir, 'incomplete-submit-1280');
    await page.setViewportSize({ width: 390, height: 844 });

    await practical.getByLabel('Starting out').check();
    await page.getByRole('button', { name: 'Submit', exact: true }).click();
    await page.getByRole('status').getByText('Thank you: your self-evaluation is submitted.').waitFor();
    await screenshot(page, platform.artifactsDir, 'submitted');
    const [comparison] = await eventually(async () => {
      const found = mailTo(contact, /^Oakfield Academy: 2026\/27 spring self-evaluation submitted$/);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(comparison.text).toContain('1.5 Practices: Self-evaluation: Embedding (new)');

    // Reopen and edit until the deadline; each submission is kept and compared.
    await page.goto(link);
    await practical.getByLabel('Embedding').check();
    expect(await page.getByRole('button', { name: 'Save draft' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Submit changes' }).click();
    await page.getByRole('status').getByText('Thank you: your self-evaluation is submitted.').waitFor();
    await eventually(async () => expect(mailTo(contact, /2026\/27 spring self-evaluation submitted$/)).toHaveLength(2));
    const [listed] = (await ok('GET', `/api/v1/schools/${schoolId}/self-evaluations`)).filter((e: { kind: string }) => e.kind === 'termly');
    const detail = await ok('GET', `/api/v1/self-evaluations/${listed.id}`);
    expect(detail.status).toBe('submitted');
    expect(detail.revisions.map((r: { action: string }) => r.action)).toEqual(['draft', 'submit', 'submit']);
    expect(detail.revisions[1].answers['iris-ri:2.1'].level).toBe(1);
    expect(detail.revisions[2].answers['iris-ri:2.1'].level).toBe(2);
    await page.context().close();
  });

  it('answers a tampered link with a plain "not valid" page', async () => {
    const page = await phonePage(browser);
    const token = link.split('/e/')[1];
    const tampered = `${link.split('/e/')[0]}/e/${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const answer = await page.goto(tampered);
    expect(answer?.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('This link is not valid');
    await page.context().close();
  });

  it('offers a fresh link from an expired one, sent to the same address, and the fresh link opens the form', async () => {
    // Links last two weeks; the form is open until 9 February.
    await moveClock('2027-01-27T10:00:00Z');
    const page = await phonePage(browser);
    const answer = await page.goto(link);
    expect(answer?.status()).toBe(410);
    await page.getByRole('button', { name: 'Send me a fresh link' }).click();
    await page.getByText('A fresh link is on its way').waitFor();
    const [fresh] = await eventually(async () => {
      const found = mailTo(contact, /^Your fresh link to your school's self-evaluation$/);
      expect(found).toHaveLength(1);
      return found;
    });
    const freshLink = linkIn(fresh, 'e');
    expect(freshLink).not.toBe(link);
    expect((await page.goto(freshLink))?.status()).toBe(200);
    expect(await page.getByRole('group', { name: '2.1 Practical STEM' }).getByLabel('Embedding').isChecked()).toBe(true);
    await page.context().close();
  });

  it("opens next term's form with what was chosen last time, and it works with JavaScript off", async () => {
    // Summer starts Monday 12 April 2027.
    await moveClock('2027-04-15T10:00:00Z');
    const [invitation] = await eventually(async () => {
      const found = mailTo(contact, /^Your 2026\/27 summer self-evaluation is open: Oakfield Academy$/);
      expect(found).toHaveLength(1);
      return found;
    });
    const page = await withoutJavaScript(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    expect((await page.goto(linkIn(invitation, 'e')))?.status()).toBe(200);
    const selfEvaluation = page.getByRole('group', { name: '1.5 Practices: Self-evaluation' });
    const practical = page.getByRole('group', { name: '2.1 Practical STEM' });
    expect(await descriptionOf(selfEvaluation.getByRole('group', { name: 'Where is your school now?' }))).toBe('Last time (2026/27 spring) you chose: Embedding');
    expect(await descriptionOf(practical.getByRole('group', { name: 'Where is your school now?' }))).toBe('Last time (2026/27 spring) you chose: Embedding');
    await screenshot(page, platform.artifactsDir, 'summer-last-time');

    // No script runs: the refused form still focuses its summary and keeps what was typed.
    await practical.getByLabel('Embedding').check();
    await practical.getByLabel('How do we know? (evidence)').fill('Two practicals a week in KS3.');
    const [refused] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Submit', exact: true }).click()]);
    expect(refused.status()).toBe(422);
    await eventually(async () => expect(await page.evaluate('document.activeElement.querySelector("[role=alert]") !== null')).toBe(true));
    expect(await page.getByRole('alert').getByRole('link').allTextContents()).toEqual(['Choose a level for 1.5 Practices: Self-evaluation']);
    expect(await practical.getByLabel('Embedding').isChecked()).toBe(true);
    expect(await practical.getByLabel('How do we know? (evidence)').inputValue()).toBe('Two practicals a week in KS3.');

    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByRole('status').getByText('Draft saved.').waitFor();
    await selfEvaluation.getByLabel('Established').check();
    await page.getByRole('button', { name: 'Submit', exact: true }).click();
    await page.getByRole('status').getByText('Thank you: your self-evaluation is submitted.').waitFor();
    await eventually(async () => expect(mailTo(contact, /^Oakfield Academy: 2026\/27 summer self-evaluation submitted$/)).toHaveLength(1));
    await page.context().close();
  });
});
