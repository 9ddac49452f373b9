import type { Browser, Locator, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, linkIn, phonePage, screenshot, withoutJavaScript } from '../support/browser.js';
import { eventually, TestPlatform } from '../support/platform.js';
import { addTeacher, buildProgramme } from '../support/programme.js';

/** The questionnaire is checked by axe at two widths; on a busy machine that takes a while. */
const STEP_TIMEOUT = 300_000;

/**
 * The post-CPD feedback survey as a teacher meets it, in headless Chromium on a phone:
 * attendance recorded through the API → the invitation in the mail catcher → open the
 * link, answer, submit, reopen and edit; a missing answer (with JavaScript on and off), a
 * tampered link, an expired one (which offers a fresh link to the same address) and a
 * survey that closed while its form was open.
 */
describe('the feedback survey page', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let page: Page;
  let sessionId: string;
  let courseId: string;
  let teacher: { id: string; email: string };
  let surveyLink: string;
  let freshLink: string;

  const ok = async (method: string, path: string, body?: unknown) => {
    const answer = await platform.http(method, path, body);
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
    return answer.body;
  };
  const moveClock = (iso: string) => ok('POST', '/api/v1/admin/clock', { now: iso });
  const question = (name: string, on = page) => on.getByRole('group', { name, exact: true });
  const submit = async (name: RegExp, on = page) => {
    const [response] = await Promise.all([on.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/s/')), on.getByRole('button', { name }).click()]);
    await on.waitForLoadState();
    return response;
  };
  /** The page as it is, on a phone and on a laptop. */
  const screenshots = async (name: string) => {
    await screenshot(page, platform.artifactsDir, `${name}-390`);
    await page.setViewportSize({ width: 1280, height: 900 });
    await screenshot(page, platform.artifactsDir, `${name}-1280`);
    await page.setViewportSize({ width: 390, height: 844 });
  };
  /** What a screen reader says a control is described by: its hint and its error. */
  const description = async (control: Locator) => {
    const ids = (await control.getAttribute('aria-describedby')) ?? '';
    const texts = await Promise.all(ids.split(' ').map((id) => page.locator(`[id="${id}"]`).textContent()));
    return texts.map((t) => (t ?? '').replace(/\s+/g, ' ').trim()).join(' ');
  };

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'survey-pages', env: { CLOCK: 'virtual' } });
    browser = await launchBrowser();
    page = await phonePage(browser);
    await moveClock('2027-02-01T10:00:00Z');
    // No reminders in this suite: each email in the catcher is one the test asked for.
    const fixture = await buildProgramme(platform, { name: 'Survey Pages', schools: 1, urnBase: 930_000, workflowPolicy: { surveys: { maxReminders: 0 } } });
    teacher = await addTeacher(platform, fixture.schoolIds[0], 1);
    courseId = (await ok('POST', '/api/v1/courses', { programmeId: fixture.programmeId, title: 'Practical physics for non-specialists', subject: 'science', format: 'local', hours: 6, costPence: 0 }))
      .id;
    sessionId = (await ok('POST', `/api/v1/courses/${courseId}/sessions`, { startsAt: '2027-02-02T09:30:00Z', endsAt: '2027-02-02T15:30:00Z', venue: 'Teesside University', capacity: 20 })).id;
    const booking = await ok('POST', `/api/v1/sessions/${sessionId}/bookings`, { personId: teacher.id });
    await eventually(async () => expect(platform.catcher.messages.some((m) => m.subject.startsWith('Your place is confirmed'))).toBe(true));
    platform.catcher.clear();
    await moveClock('2027-02-02T16:00:00Z');
    await ok('POST', `/api/v1/sessions/${sessionId}/register`, { attended: [booking.id], noShow: [] });
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('emails the participant a feedback invitation as soon as attendance is recorded', async () => {
    const [email] = await platform.catcher.waitForCount(1);
    expect(email.to).toEqual([teacher.email]);
    expect(email.subject).toBe('Feedback on your CPD: Practical physics for non-specialists');
    expect(email.text).toContain('You can change your answers until');
    surveyLink = linkIn(email, 's');
    const [invitation] = await platform.query(`SELECT instrument_key, status, person_id, session_id, school_id, expires_at FROM survey_invitations`);
    expect(invitation).toMatchObject({ instrument_key: 'cpd-feedback', status: 'invited', person_id: teacher.id, session_id: sessionId });
    expect(new Date(invitation.expires_at).toISOString()).toBe('2027-02-16T16:00:00.000Z');
  });

  it(
    "shows the form with the course and date at the top, and puts a missing answer's error next to its question",
    async () => {
      const opened = await page.goto(surveyLink);
      expect(opened?.status()).toBe(200);
      expect(opened?.headers()['cache-control']).toBe('no-store');
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Feedback on your CPD');
      await expect(page.getByText('About: Practical physics for non-specialists, 2 February 2027', { exact: true }).count()).resolves.toBe(1);
      // Everything but the first question.
      await question('How would you rate the overall quality of the session?').getByLabel('Very good', { exact: true }).check();
      for (const statement of [
        'It was well organised and planned',
        'It was relevant and useful',
        'The learning outcomes were met',
        'It will have an impact on my future practice',
        'It will have an impact on the students I teach',
        'I will share this learning with colleagues',
        'It improved my subject knowledge and skills',
      ]) {
        await question(statement).getByLabel('Agree', { exact: true }).check();
      }
      await question('How useful were the online resources?').getByLabel('Quite useful').check();
      await page.getByLabel('Why was it useful (or not)?').fill('Experiments I can run on Monday with kit we already have.');
      const refused = await submit(/Send my answers/);
      expect(refused.status()).toBe(422);
      await expect(page.title()).resolves.toMatch(/^Error: Feedback on your CPD/);
      const satisfaction = question('How satisfied were you with the session overall?');
      await expect(description(satisfaction)).resolves.toBe('Error: Please choose an answer');
      const summary = page.getByRole('alert');
      await expect(summary.getByRole('heading').textContent()).resolves.toContain('There is a problem');
      // The only question left unanswered is the only one with an error.
      await expect(summary.getByRole('link').count()).resolves.toBe(1);
      await expect(page.getByText('Error: Please choose an answer', { exact: true }).count()).resolves.toBe(1);
      // The summary's link takes the reader to the question's first answer.
      await summary.getByRole('link', { name: 'How satisfied were you with the session overall?: Please choose an answer' }).click();
      await expect(satisfaction.getByLabel('Poor').and(page.locator(':focus')).count()).resolves.toBe(1);
      // What was answered is kept.
      await expect(question('How useful were the online resources?').getByLabel('Quite useful').isChecked()).resolves.toBe(true);
      await expect(page.getByLabel('Why was it useful (or not)?').inputValue()).resolves.toBe('Experiments I can run on Monday with kit we already have.');
      await screenshots('survey-missing-answer');
      await expectAccessible(page);
      expect(await platform.count('survey_responses')).toBe(0);
    },
    STEP_TIMEOUT,
  );

  it('refuses a missing answer the same way with JavaScript off, with the problem in focus and the typed answers kept', async () => {
    const plain = await withoutJavaScript(browser, { viewport: { width: 390, height: 844 } });
    try {
      await plain.goto(surveyLink);
      await question('How satisfied were you with the session overall?', plain).getByLabel('Fair', { exact: true }).check();
      await plain.getByLabel('Why was it useful (or not)?').fill('Typed with scripts off.');
      const refused = await submit(/Send my answers/, plain);
      expect(refused.status()).toBe(422);
      // Nine questions still need an answer; each is named in the summary, which has the focus.
      const summary = plain.getByRole('alert');
      await expect(summary.getByRole('link').count()).resolves.toBe(9);
      await expect(summary.getByRole('link', { name: 'How would you rate the overall quality of the session?: Please choose an answer' }).count()).resolves.toBe(1);
      await expect(plain.locator(':focus').getByRole('alert').count()).resolves.toBe(1);
      await expect(question('How satisfied were you with the session overall?', plain).getByLabel('Fair', { exact: true }).isChecked()).resolves.toBe(true);
      await expect(plain.getByLabel('Why was it useful (or not)?').inputValue()).resolves.toBe('Typed with scripts off.');
      expect(await platform.count('survey_responses')).toBe(0);
    } finally {
      await plain.context().close();
    }
  });

  it('stores the answers against the person, session and school, and thanks them', async () => {
    await question('How satisfied were you with the session overall?').getByLabel('Good', { exact: true }).check();
    const sent = await submit(/Send my answers/);
    expect(sent.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Thank you');
    const [response] = await platform.query(`SELECT person_id, session_id, course_id, school_id, revision, answers FROM survey_responses`);
    const [invitation] = await platform.query(`SELECT status, school_id FROM survey_invitations`);
    expect(response).toMatchObject({ person_id: teacher.id, session_id: sessionId, course_id: courseId, school_id: invitation.school_id, revision: 1 });
    expect(invitation.school_id).not.toBeNull();
    expect(response.answers).toMatchObject({ satisfaction: 'good', quality: 'very_good', relevant: 'agree', online_resources: 'quite_useful' });
    expect(invitation.status).toBe('responded');
  });

  it('reopens with the saved answers, and keeps each edit as history', async () => {
    await page.getByRole('link', { name: 'Change my answers' }).click();
    await page.waitForLoadState();
    await expect(question('How satisfied were you with the session overall?').getByLabel('Good', { exact: true }).isChecked()).resolves.toBe(true);
    const notice = (await page.getByRole('status').textContent())?.replace(/\s+/g, ' ');
    expect(notice).toContain('You sent your answers on 2 February 2027 at 4pm. You can change them until 16 February 2027 at 4pm.');
    await screenshots('survey-reopened');
    await question('How satisfied were you with the session overall?').getByLabel('Excellent').check();
    const edited = await submit(/Save my changes/);
    expect(edited.status()).toBe(200);
    await expect(page.getByRole('status').getByText('Your changes are saved.', { exact: true }).count()).resolves.toBe(1);
    await expect(page.getByRole('link', { name: 'Change my answers' }).getAttribute('href')).resolves.toBe(new URL(surveyLink).pathname);
    await screenshots('survey-edited');
    const revisions = await platform.query(`SELECT revision, answers->>'satisfaction' AS satisfaction FROM survey_response_revisions ORDER BY revision`);
    expect(revisions).toEqual([
      { revision: 1, satisfaction: 'good' },
      { revision: 2, satisfaction: 'excellent' },
    ]);
    expect(await platform.query(`SELECT revision, answers->>'satisfaction' AS satisfaction FROM survey_responses`)).toEqual([{ revision: 2, satisfaction: 'excellent' }]);
  });

  it("feeds the session's and the course's results: one response to one invitation, counted once however often edited", async () => {
    const results = await ok('GET', `/api/v1/sessions/${sessionId}/feedback`);
    expect(results).toMatchObject({ sessionId, instrumentKey: 'cpd-feedback', invitations: 1, responses: 1, responseRate: 100 });
    const satisfaction = results.items.find((i: { key: string }) => i.key === 'satisfaction');
    expect(satisfaction.distribution.map((d: { count: number }) => d.count)).toEqual([0, 0, 0, 0, 1]);
    expect(results.items.find((i: { key: string }) => i.key === 'why_useful').texts).toEqual(['Experiments I can run on Monday with kit we already have.']);
    const course = await ok('GET', `/api/v1/courses/${courseId}/feedback`);
    expect(course).toMatchObject({ courseId, invitations: 1, responses: 1 });
    const mine = await ok('GET', `/api/v1/people/${teacher.id}/survey-responses`);
    expect(mine.items).toEqual([expect.objectContaining({ instrumentKey: 'cpd-feedback', status: 'responded', response: expect.objectContaining({ revision: 2 }) })]);
  });

  it('answers a tampered link with a plain "not valid" page', async () => {
    const tampered = surveyLink.slice(0, -1) + (surveyLink.endsWith('A') ? 'B' : 'A');
    const answer = await page.goto(tampered);
    expect(answer?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('This link is not valid');
    const posted = await fetch(tampered, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: platform.baseUrl }, body: 'satisfaction=poor' });
    expect(posted.status).toBe(404);
    expect(await platform.query(`SELECT max(revision)::int AS n FROM survey_response_revisions`)).toEqual([{ n: 2 }]);
  });

  it('offers a fresh link to the same address once a link has expired while the survey is open, and the fresh one opens it', async () => {
    // A link lasts a week; the survey stays open for the cohort's fourteen days.
    await moveClock('2027-02-10T10:00:00Z');
    const expired = await page.goto(surveyLink);
    expect(expired?.status()).toBe(410);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('This link has expired');
    platform.catcher.clear();
    await page.getByRole('button', { name: 'Send me a fresh link' }).click();
    await page.waitForLoadState();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('A fresh link is on its way');
    const [fresh] = await platform.catcher.waitForCount(1);
    expect(fresh.to).toEqual([teacher.email]);
    expect(fresh.subject).toBe('Your fresh link to the survey');
    freshLink = linkIn(fresh, 's');
    expect(freshLink).not.toBe(surveyLink);
    expect((await page.goto(freshLink))?.status()).toBe(200);
    await expect(question('How satisfied were you with the session overall?').getByLabel('Excellent').isChecked()).resolves.toBe(true);
    // A resubmission through the fresh link is one more revision of the same response.
    expect((await submit(/Save my changes/)).status()).toBe(200);
    expect(await platform.query(`SELECT count(*)::int AS responses, max(revision)::int AS revision FROM survey_responses`)).toEqual([{ responses: 1, revision: 3 }]);
  });

  it('says the survey has closed when it closes while the form is open, and keeps the answers as they were', async () => {
    await page.goto(freshLink);
    // As the worker marks an invitation when its survey closes.
    await platform.query(`UPDATE survey_invitations SET status = 'expired'`);
    try {
      await question('How satisfied were you with the session overall?', page).getByLabel('Poor').check();
      expect((await submit(/Save my changes/)).status()).toBe(410);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('This survey has closed');
      await expect(page.getByText('It closed on 16 February 2027 at 4pm, so answers can no longer be sent or changed.', { exact: false }).count()).resolves.toBe(1);
      await screenshots('survey-closed');
      expect(await platform.query(`SELECT revision, answers->>'satisfaction' AS satisfaction FROM survey_responses`)).toEqual([{ revision: 3, satisfaction: 'excellent' }]);
    } finally {
      await platform.query(`UPDATE survey_invitations SET status = 'responded'`);
    }
  });

  it('says the survey has closed once it has, and offers no fresh link', async () => {
    await moveClock('2027-02-17T10:00:00Z');
    const closed = await page.goto(surveyLink);
    expect(closed?.status()).toBe(410);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('This link has expired');
    await expect(page.getByRole('button', { name: 'Send me a fresh link' }).count()).resolves.toBe(0);
  });
});
