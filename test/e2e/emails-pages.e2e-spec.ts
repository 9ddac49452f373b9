import type { Browser, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, phonePage, screenshot, withoutJavaScript } from '../support/browser.js';
import { makeStaff, openArea, signIn } from '../support/console.js';
import { eventually, TestPlatform } from '../support/platform.js';
import { addTeacher, buildProgramme, emailedLinks, type EmailedLinks } from '../support/programme.js';

/**
 * The email ledger and the audit log in a browser. A programme whose people the worker has
 * emailed (a self-evaluation invitation, an ambassador's offer, a feedback survey) and one
 * teacher who objected to surveys, so their survey was decided and not sent. Its programme
 * manager finds an email by recipient, filters by status, reads the message as the teacher
 * saw it, sends it again, sees the one not sent with its reason, and what the cohort still
 * has to send. Another programme's manager and another partnership's lead cannot open it.
 * The admin filters the audit log and sees a retention run.
 */
const STEP_TIMEOUT = 300_000;

describe('the email ledger and the audit log pages', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let base: string;
  let world: EmailedLinks;
  let objector: { id: string; email: string };
  let other: { programmeId: string; partnershipId: string };
  const MANAGER = 'asha.patel@ledger-console.example.org';
  const OTHER_MANAGER = 'owen.other@elsewhere.example.org';
  const OTHER_LEAD = 'lena.lead@elsewhere.example.org';
  const ADMIN = 'ada.admin@stemflow.example.org';

  const ok = (method: string, path: string, body?: unknown) => platform.ok(method, path, body);
  const shot = (page: Page, name: string) => screenshot(page, platform.artifactsDir, name);
  const surveyFor = async (email: string) =>
    (
      await platform.query<{ id: string; status: string; skip_reason: string | null }>(
        `SELECT id, status, skip_reason FROM notifications WHERE recipient_email = $1 AND kind = 'survey.invitation' AND resend_of IS NULL`,
        [email],
      )
    )[0];

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'emails-pages', env: { CLOCK: 'virtual' } });
    base = `http://127.0.0.1:${platform.apiPort}`;
    world = await emailedLinks(platform, { name: 'Ledger', urnBase: 962_000 });

    // A teacher who objected to surveys attends a session of their own: their survey is decided, and not sent.
    objector = await addTeacher(platform, world.schoolId, 2, { name: 'Olu Objects', consentToContact: false });
    const course = await ok('POST', '/api/v1/courses', { programmeId: world.fixture.programmeId, title: 'Forces in motion', subject: 'science', format: 'local', hours: 3, costPence: 0 });
    const session = await ok('POST', `/api/v1/courses/${course.id}/sessions`, { startsAt: '2027-01-13T09:30:00Z', endsAt: '2027-01-13T12:30:00Z', venue: 'Hub', capacity: 5 });
    const booking = await ok('POST', `/api/v1/sessions/${session.id}/bookings`, { personId: objector.id });
    await ok('POST', '/api/v1/admin/clock', { now: '2027-01-13T13:00:00Z' });
    await ok('POST', `/api/v1/sessions/${session.id}/register`, { attended: [booking.id], noShow: [] });
    await eventually(async () => expect((await surveyFor(objector.email))?.status).toBe('skipped'));
    await eventually(async () => expect((await surveyFor(world.teacher.email))?.status).toBe('sent'));

    const elsewhere = await buildProgramme(platform, { name: 'Elsewhere', schools: 1, urnBase: 963_000 });
    other = { programmeId: elsewhere.programmeId, partnershipId: elsewhere.partnershipId };
    await ok('POST', '/api/v1/admin/retention/run');

    await makeStaff(platform, { role: 'programme_manager', scope: `programme:${world.fixture.programmeId}`, name: 'Asha Patel', email: MANAGER });
    await makeStaff(platform, { role: 'programme_manager', scope: `programme:${other.programmeId}`, name: 'Owen Other', email: OTHER_MANAGER });
    await makeStaff(platform, { role: 'educational_lead', scope: `partnership:${other.partnershipId}`, name: 'Lena Lead', email: OTHER_LEAD });
    await makeStaff(platform, { role: 'admin', name: 'Ada Admin', email: ADMIN });
    browser = await launchBrowser();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  }, STEP_TIMEOUT);

  it(
    'lets a programme manager find an email by recipient, filter by status, read it as the teacher saw it, and send it again',
    async () => {
      const page = await phonePage(browser);
      await signIn(page, platform, MANAGER);
      await openArea(page, 'Emails');
      await page.getByRole('heading', { name: 'Emails', level: 1 }).waitFor();
      await expectAccessible(page);
      await shot(page, '01-emails-phone');

      await page.getByLabel('Recipient').fill(world.teacher.email);
      await page.getByLabel('Status').selectOption({ label: 'Sent' });
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForURL(/status=sent/);
      const table = page.getByRole('region', { name: 'Emails' });
      // The teacher's booking confirmation and their survey invitation, both sent.
      await table.getByRole('cell', { name: 'CPD booking confirmed', exact: true }).waitFor();
      await expect(table.getByRole('cell', { name: 'Survey invitation', exact: true }).count()).resolves.toBe(1);
      await expect(table.getByRole('cell', { name: 'Self-evaluation invitation', exact: true }).count()).resolves.toBe(0);
      await expectAccessible(page);
      await shot(page, '02-emails-found');

      // Filtered by a status it does not have, the same email is not there.
      await page.getByLabel('Status').selectOption({ label: 'Failed' });
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.getByText('0 emails match').waitFor();
      await page.getByLabel('Status').selectOption({ label: 'Sent' });
      await page.getByRole('button', { name: 'Apply filters' }).click();

      await page.getByRole('link', { name: /^Teacher 1\s*: Survey invitation$/ }).click();
      await page.getByRole('heading', { name: `Survey invitation to Teacher 1` }).waitFor();
      const id = new URL(page.url()).pathname.split('/')[2];
      await page.getByRole('heading', { name: /^Subject: Feedback on your CPD/ }).waitFor();
      const text = await page.locator('.app-email-text').textContent();
      expect(text).toContain('Teacher 1');
      // The teacher's own link is theirs alone: its token is not on the page.
      expect(text).not.toContain(world.links.s.split('/').pop());
      expect(await page.content()).not.toContain(world.links.s.split('/').pop());
      await expect(page.getByRole('cell', { name: 'Sent' }).count()).resolves.toBeGreaterThan(0);
      await expectAccessible(page);
      await shot(page, '03-email-phone');

      // The HTML as it looks in an email: a page of its own under the email policy, sandboxed.
      const html = await page.context().request.get(`${base}/emails/${id}/message`);
      expect(html.status()).toBe(200);
      expect(html.headers()['content-security-policy']).toContain('sandbox');
      expect(html.headers()['content-security-policy']).toContain("default-src 'none'");
      expect(await html.text()).toContain('Feedback on your CPD');

      const before = platform.catcher.messages.filter((m) => m.to.includes(world.teacher.email) && /^Feedback on your CPD/.test(m.subject)).length;
      await page.getByRole('button', { name: 'Resend this email' }).click();
      await page.getByText('The email is being sent again.').waitFor();
      const again = new URL(page.url()).pathname.split('/')[2];
      expect(again).not.toBe(id);
      await page.getByRole('link', { name: 'The earlier email' }).waitFor();
      await expectAccessible(page);
      await shot(page, '04-resent');

      await eventually(async () => {
        const sent = platform.catcher.messages.filter((m) => m.to.includes(world.teacher.email) && /^Feedback on your CPD/.test(m.subject));
        expect(sent.length).toBe(before + 1);
      });
      const [row] = await platform.query<{ resend_of: string; status: string; programme_id: string; school_id: string }>(
        `SELECT resend_of, status, programme_id, school_id FROM notifications WHERE id = $1`,
        [again],
      );
      expect(row).toMatchObject({ resend_of: id, programme_id: world.fixture.programmeId, school_id: world.schoolId });
      await eventually(async () => expect((await platform.query<{ status: string }>(`SELECT status FROM notifications WHERE id = $1`, [again]))[0].status).toBe('sent'));
      await page.reload();
      await page.getByRole('cell', { name: 'Sent' }).first().waitFor();
      await page.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    'shows the survey decided and not sent, with its reason, and what the cohort still has to send',
    async () => {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await signIn(page, platform, MANAGER);
      await page.goto(`${base}/emails`);
      await page.getByLabel('Status').selectOption({ label: 'Not sent' });
      await page.getByLabel('Kind of email').selectOption({ label: 'Survey invitation' });
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.getByText('1 email match').waitFor();
      await page.getByText('The recipient objected to evaluation surveys').waitFor();
      await expectAccessible(page);
      await shot(page, '05-not-sent-desktop');

      await page.getByRole('link', { name: /^Olu Objects\s*: Survey invitation$/ }).click();
      await page.getByRole('heading', { name: 'Survey invitation to Olu Objects' }).waitFor();
      await page.getByText('None: it was decided not to send it.').waitFor();
      await page.getByText('The recipient objected to evaluation surveys').waitFor();
      await page.getByText('It was not sent. This is what it would have said', { exact: false }).waitFor();
      await expectAccessible(page);
      await shot(page, '06-not-sent-email');
      const skipped = await surveyFor(objector.email);
      expect(skipped.skip_reason).toBe('the recipient objected to evaluation surveys');
      expect(page.url()).toBe(`${base}/emails/${skipped.id}`);

      await page.getByRole('link', { name: 'All emails' }).click();
      await page.getByRole('link', { name: 'Still to go' }).click();
      await page.getByRole('heading', { name: 'Still to go' }).waitFor();
      const schedule = page.getByRole('region', { name: 'Still to go' });
      await schedule.getByText('A STEM Ambassador offer lapses').first().waitFor();
      await schedule.getByText('jo@industry.example.com').first().waitFor();
      // Times in London: the offer made at 10am on 12 January lapses 72 hours later.
      await schedule.getByRole('cell', { name: '15 January 2027 at 10am' }).first().waitFor();
      await expectAccessible(page);
      await shot(page, '07-still-to-go');
      await page.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    "answers another programme's manager and another partnership's lead as if the email did not exist, and refuses a bad id with a page",
    async () => {
      const id = (await surveyFor(world.teacher.email)).id;
      for (const email of [OTHER_MANAGER, OTHER_LEAD]) {
        const page = await phonePage(browser);
        await signIn(page, platform, email);
        const answer = await page.goto(`${base}/emails/${id}`);
        expect(answer?.status()).toBe(404);
        await page.getByRole('heading', { name: 'Page not found' }).waitFor();
        await shot(page, `08-not-found-${email.split('@')[0]}`);
        expect((await page.context().request.get(`${base}/emails/${id}/message`)).status()).toBe(404);
        const resend = await page.context().request.post(`${base}/emails/${id}/resend`, { form: {}, maxRedirects: 0 });
        expect(resend.status()).toBeGreaterThanOrEqual(400);
        expect(resend.status()).toBeLessThan(500);
        // Their list has none of the other programme's emails.
        await page.goto(`${base}/emails?recipient=${encodeURIComponent(world.teacher.email)}`);
        await page.getByText('0 emails match').waitFor();
        await expectAccessible(page);
        const bad = await page.goto(`${base}/emails/not-an-id`);
        expect(bad?.status()).toBe(400);
        // The audit log is the admins'.
        expect((await page.goto(`${base}/audit`))?.status()).toBe(403);
        await expect(page.getByRole('link', { name: 'Audit log' }).count()).resolves.toBe(0);
        await page.context().close();
      }
      expect((await platform.query<{ n: string }>(`SELECT count(*) AS n FROM notifications WHERE resend_of = $1`, [id]))[0].n).toBe('1');
    },
    STEP_TIMEOUT,
  );

  it(
    'works with JavaScript off: find, open and resend',
    async () => {
      const page = await withoutJavaScript(browser);
      await signIn(page, platform, MANAGER);
      await openArea(page, 'Emails');
      await page.getByLabel('Recipient').fill('kim@');
      await page.getByLabel('Kind of email').selectOption({ label: 'Self-evaluation invitation' });
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.getByText('1 email match').waitFor();
      await page.getByRole('link', { name: /: Self-evaluation invitation$/ }).click();
      await page.getByRole('heading', { name: /^Subject: / }).waitFor();
      await page.getByRole('button', { name: 'Resend this email' }).click();
      await page.getByText('The email is being sent again.').waitFor();
      await shot(page, '09-no-javascript-resent');
      await eventually(async () => expect(platform.catcher.messages.filter((m) => m.to.includes('kim@ledger.example.org') && /self-evaluation is open/.test(m.subject)).length).toBe(2));
      await page.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    'lets the admin filter the audit log and see the retention runs with what each removed',
    async () => {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await signIn(page, platform, ADMIN);
      await openArea(page, 'Audit log');
      await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
      await expectAccessible(page);
      await shot(page, '10-audit-log');

      // The manager's resends, by who did them.
      await page.getByLabel('Who').fill(MANAGER);
      await page.getByLabel('Kind of record').selectOption({ label: 'emails' });
      await page.getByLabel('Action').selectOption({ label: 'Created or acted' });
      await page.getByLabel('Outcome').selectOption({ label: 'Changed something' });
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.getByText('2 entries match').waitFor();
      const log = page.getByRole('region', { name: 'Audit log' });
      await expect(log.getByText('Asha Patel').count()).resolves.toBe(2);
      await expect(log.getByText('POST /emails/:id/resend').count()).resolves.toBe(2);
      await expectAccessible(page);
      await shot(page, '11-audit-filtered');

      await page.getByLabel('From').fill('2027-01-14');
      await page.getByLabel('To').fill('2027-01-13');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.locator('#to-error').getByText('The "to" date must be the same as or after the "from" date').waitFor();
      await expect(page.title()).resolves.toBe('Error: Audit log – stemflow');
      await expectAccessible(page);

      await page.getByRole('link', { name: 'Retention runs' }).click();
      await page.getByRole('heading', { name: 'Retention runs' }).waitFor();
      const runs = page.getByRole('region', { name: 'Retention runs' });
      // The daily runs, and the one the admin asked for, each with what it removed.
      const byAdmin = runs.getByRole('row').filter({ hasText: 'An admin' });
      await byAdmin.getByText("Emails' contents:").waitFor();
      await runs.getByRole('row').filter({ hasText: 'The daily run' }).first().waitFor();
      await expectAccessible(page);
      await shot(page, '12-retention-runs');

      // The admin sees every programme's emails.
      await page.goto(`${base}/emails`);
      await page
        .getByRole('link', { name: /Sign-in link$/ })
        .first()
        .waitFor();
      await page.context().close();
    },
    STEP_TIMEOUT,
  );
});
