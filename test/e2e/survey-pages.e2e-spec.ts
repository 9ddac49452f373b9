import type { Browser, Page } from 'playwright-core';
import { launchBrowser, linkIn, phonePage, screenshot } from '../support/browser.js';
import { eventually, TestPlatform } from '../support/platform.js';
import { addTeacher, buildProgramme } from '../support/programme.js';

/**
 * The post-CPD feedback survey as a teacher meets it, in headless Chromium on a phone:
 * attendance recorded through the API → the invitation in the mail catcher → open the
 * link, answer, submit, reopen and edit; a missing answer, a tampered link and an expired
 * one (which offers a fresh link to the same address).
 */
describe('the feedback survey page', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let page: Page;
  let sessionId: string;
  let courseId: string;
  let teacher: { id: string; email: string };
  let surveyLink: string;

  const ok = async (method: string, path: string, body?: unknown) => {
    const answer = await platform.http(method, path, body);
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
    return answer.body;
  };
  const moveClock = (iso: string) => ok('POST', '/api/v1/admin/clock', { now: iso });
  const question = (name: string) => page.getByRole('group', { name, exact: true });
  const submit = async (name: RegExp) => {
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/s/')), page.getByRole('button', { name }).click()]);
    await page.waitForLoadState();
    return response;
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

  it("shows the form with the course and date at the top, and puts a missing answer's error next to its question", async () => {
    const opened = await page.goto(surveyLink);
    expect(opened?.status()).toBe(200);
    expect(opened?.headers()['cache-control']).toBe('no-store');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Feedback on your CPD');
    await expect(page.locator('.evidence').textContent()).resolves.toBe('About: Practical physics for non-specialists, 2 February 2027');
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
    const satisfaction = question('How satisfied were you with the session overall?');
    await expect(satisfaction.locator('.error').textContent()).resolves.toContain('Please choose an answer');
    await expect(satisfaction.getAttribute('aria-describedby')).resolves.toBe('q-satisfaction-error');
    await expect(page.getByRole('alert').textContent()).resolves.toContain('How satisfied were you with the session overall?: Please choose an answer');
    // What was answered is kept.
    await expect(question('How useful were the online resources?').getByLabel('Quite useful').isChecked()).resolves.toBe(true);
    await expect(page.getByLabel('Why was it useful (or not)?').inputValue()).resolves.toBe('Experiments I can run on Monday with kit we already have.');
    await screenshot(page, platform.artifactsDir, 'survey-missing-answer');
    expect(await platform.count('survey_responses')).toBe(0);
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
    await expect(page.locator('.notice').textContent()).resolves.toMatch(/^You sent your answers on 2 February 2027 at 16:00\. You can change them until 16 February 2027/);
    await question('How satisfied were you with the session overall?').getByLabel('Excellent').check();
    const edited = await submit(/Save my changes/);
    expect(edited.status()).toBe(200);
    await expect(page.getByRole('status').textContent()).resolves.toBe('Your changes are saved.');
    await screenshot(page, platform.artifactsDir, 'survey-edited');
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
    const freshLink = linkIn(fresh, 's');
    expect(freshLink).not.toBe(surveyLink);
    expect((await page.goto(freshLink))?.status()).toBe(200);
    await expect(question('How satisfied were you with the session overall?').getByLabel('Excellent').isChecked()).resolves.toBe(true);
    // A resubmission through the fresh link is one more revision of the same response.
    expect((await submit(/Save my changes/)).status()).toBe(200);
    expect(await platform.query(`SELECT count(*)::int AS responses, max(revision)::int AS revision FROM survey_responses`)).toEqual([{ responses: 1, revision: 3 }]);
  });

  it('says the survey has closed once it has, and offers no fresh link', async () => {
    await moveClock('2027-02-17T10:00:00Z');
    const closed = await page.goto(surveyLink);
    expect(closed?.status()).toBe(410);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('This link has expired');
    await expect(page.getByRole('button', { name: 'Send me a fresh link' }).count()).resolves.toBe(0);
  });
});
