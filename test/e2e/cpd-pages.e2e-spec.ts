import type { Browser, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, phonePage, screenshot, withoutJavaScript } from '../support/browser.js';
import { makeStaff, openArea, signIn, suggestionsReady } from '../support/console.js';
import { eventually, TestPlatform } from '../support/platform.js';
import { addTeacher, buildProgramme, type ProgrammeFixture } from '../support/programme.js';

/** Every page is checked by axe at two widths; on a busy machine that takes a while. */
const STEP_TIMEOUT = 300_000;

/**
 * CPD in the console, as a programme manager runs it: a course and a session entered in
 * London time, two teachers booked and a third on the waiting list, the session moved
 * (everyone with a place gets a calendar update), the register taken on the day (hours in
 * the ledger, a feedback invitation to who came) and printed; other programmes' managers
 * find nothing there; a person booked or their CPD recorded by choosing them from the
 * suggestions offered as their name is typed. Driven by what a person reads, with
 * JavaScript and without.
 */
describe('CPD pages', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let base: string;
  let tees: ProgrammeFixture;
  let other: ProgrammeFixture;
  let courseId: string;
  let sessionId: string;
  const teachers: Record<string, { id: string; email: string }> = {};
  const MANAGER = 'priya.shah@cpd-pages.example.org';
  const OTHER_MANAGER = 'oscar.reid@cpd-pages.example.org';

  const shot = (page: Page, name: string) => screenshot(page, platform.artifactsDir, name);
  const moveClock = async (iso: string) => expect((await platform.http('POST', '/api/v1/admin/clock', { now: iso })).status).toBe(200);
  const mailTo = (email: string, subject: RegExp) => platform.catcher.messages.filter((m) => m.to.includes(email) && subject.test(m.subject));
  const arrives = (email: string, subject: RegExp, count = 1) =>
    eventually(async () => {
      const found = mailTo(email, subject);
      if (found.length < count) throw new Error(`no message to ${email} matching ${subject} yet`);
      return found[count - 1];
    });
  const done = (page: Page, text: string) => page.locator('.govuk-notification-banner--success').getByText(text).waitFor();

  beforeAll(async () => {
    // The manager signs in once a step, and again on the days of sessions: more than the five links an hour an address gets.
    platform = await TestPlatform.start({ name: 'cpd-pages', env: { CLOCK: 'virtual', SIGN_IN_EMAILS_PER_HOUR: '50' } });
    base = platform.baseUrl;
    await moveClock('2027-01-20T10:00:00Z');
    tees = await buildProgramme(platform, { name: 'Tees CPD', schools: 2, urnBase: 610_000 });
    other = await buildProgramme(platform, { name: 'Solent CPD', schools: 1, urnBase: 620_000 });
    teachers.amira = await addTeacher(platform, tees.schoolIds[0], 1, { name: 'Amira Khan' });
    teachers.ben = await addTeacher(platform, tees.schoolIds[1], 2, { name: 'Ben Jones' });
    teachers.chloe = await addTeacher(platform, tees.schoolIds[0], 3, { name: 'Chloe Price' });
    teachers.dev = await addTeacher(platform, tees.schoolIds[1], 4, { name: 'Dev Patel' });
    await addTeacher(platform, other.schoolIds[0], 5, { name: 'Amira Solent' });
    await makeStaff(platform, { role: 'programme_manager', scope: `programme:${tees.programmeId}`, name: 'Priya Shah', email: MANAGER });
    await makeStaff(platform, { role: 'programme_manager', scope: `programme:${other.programmeId}`, name: 'Oscar Reid', email: OTHER_MANAGER });
    browser = await launchBrowser();
  }, STEP_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  }, STEP_TIMEOUT);

  it(
    'a manager creates a course and a session in London time, books two teachers and waitlists a third, moves the session, and takes and prints the register',
    async () => {
      const page = await phonePage(browser);
      await signIn(page, platform, MANAGER);
      await openArea(page, 'CPD');
      await page.getByRole('heading', { name: 'CPD courses' }).waitFor();
      await expectAccessible(page);
      await shot(page, '01-courses-empty');

      // A course: asked again for what is missing, keeping what was typed.
      await page.getByRole('button', { name: 'Create a course' }).click();
      await page.getByRole('heading', { name: 'Create a course' }).waitFor();
      await page.getByLabel('Title', { exact: true }).fill('Practical physics');
      await page.getByRole('button', { name: 'Create course' }).click();
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
      await expect(page.title()).resolves.toMatch(/^Error: Create a course/);
      await page.locator('.govuk-error-summary').getByRole('link', { name: 'Select the subject' }).waitFor();
      await expect(page.getByLabel('Title', { exact: true }).inputValue()).resolves.toBe('Practical physics');
      await expectAccessible(page);
      await shot(page, '02-course-form-errors');
      await page.getByLabel('Science', { exact: true }).check();
      await page.getByLabel('Format', { exact: true }).selectOption({ label: 'Local' });
      await page.getByLabel('Hours of CPD', { exact: true }).fill('6');
      await page.getByLabel('Cost of a place', { exact: true }).fill('150');
      await page.getByLabel('Provider (optional)').fill('STEM Learning');
      await page.getByRole('button', { name: 'Create course' }).click();
      await done(page, 'Course created');
      await page.getByRole('heading', { name: 'Practical physics' }).waitFor();
      courseId = new URL(page.url()).pathname.split('/')[3];
      const [course] = await platform.query<{ programme_id: string; cost_pence: number; hours: number; subject: string }>(
        `SELECT programme_id, cost_pence, hours::float AS hours, subject FROM cpd_courses WHERE id = $1`,
        [courseId],
      );
      expect(course).toEqual({ programme_id: tees.programmeId, cost_pence: 15_000, hours: 6, subject: 'science' });

      // Its details corrected.
      await page.getByRole('link', { name: 'Change course details' }).click();
      await expect(page.getByLabel('Cost of a place', { exact: true }).inputValue()).resolves.toBe('150');
      await page.getByLabel('Title', { exact: true }).fill('Practical physics for non-specialists');
      await page.getByRole('button', { name: 'Save course' }).click();
      await done(page, 'Course details saved');
      await page.getByRole('heading', { name: 'Practical physics for non-specialists' }).waitFor();
      await expectAccessible(page);
      await shot(page, '03-course');

      // A session on 4 February 2027 at 9:30 in London (GMT then), two places.
      await page.getByRole('button', { name: 'Add a session' }).click();
      await page.getByRole('heading', { name: 'Add a session' }).waitFor();
      await page.getByRole('button', { name: 'Add session' }).click();
      await page.locator('.govuk-error-summary').getByRole('link', { name: 'Enter the date of the session' }).waitFor();
      await page.locator('.govuk-error-summary').getByRole('link', { name: 'Enter a venue, an online link, or both' }).waitFor();
      await expectAccessible(page);
      await shot(page, '04-session-form-errors');
      const date = page.getByRole('group', { name: 'Date' });
      await date.getByLabel('Day', { exact: true }).fill('4');
      await date.getByLabel('Month', { exact: true }).fill('2');
      await date.getByLabel('Year', { exact: true }).fill('2027');
      await page.getByLabel('Start time', { exact: true }).fill('9:30am');
      await page.getByLabel('End time', { exact: true }).fill('3:30pm');
      await page.getByLabel('Venue', { exact: true }).fill('Teesside University, Middlesbrough');
      await page.getByLabel('Places', { exact: true }).fill('2');
      await page.getByRole('button', { name: 'Add session' }).click();
      await done(page, 'Session added');
      await page.getByRole('heading', { name: '4 February 2027 at 9:30am' }).waitFor();
      await page.getByText('4 February 2027 at 9:30am to 3:30pm').waitFor();
      sessionId = new URL(page.url()).pathname.split('/')[3];
      const [stored] = await platform.query<{ starts_at: Date; ends_at: Date; capacity: number }>(`SELECT starts_at, ends_at, capacity FROM cpd_sessions WHERE id = $1`, [sessionId]);
      expect(stored.starts_at.toISOString()).toBe('2027-02-04T09:30:00.000Z');
      expect(stored.ends_at.toISOString()).toBe('2027-02-04T15:30:00.000Z');
      expect(stored.capacity).toBe(2);

      // Two teachers booked by name; a third, over capacity, waits. Another programme's namesake is not offered.
      const book = async (search: string, name: string) => {
        await suggestionsReady(page);
        await page.getByLabel('Name or email address').fill(search);
        await page.getByRole('button', { name: 'Search' }).click();
        await page.getByRole('button', { name: `Book ${name}` }).click();
      };
      await suggestionsReady(page);
      await page.getByLabel('Name or email address').fill('Amira');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('button', { name: 'Book Amira Khan' }).waitFor();
      await expect(page.getByRole('button', { name: 'Book Amira Solent' }).count()).resolves.toBe(0);
      await expectAccessible(page);
      await shot(page, '05-session-search');
      await page.getByRole('button', { name: 'Book Amira Khan' }).click();
      await done(page, 'Place confirmed');
      await book('ben', 'Ben Jones');
      await done(page, 'Place confirmed');
      await book('Chloe', 'Chloe Price');
      await done(page, 'The session is full: added to the waiting list');
      const places = page.getByRole('region', { name: 'People with places' });
      await places.getByRole('cell', { name: 'Amira Khan', exact: true }).waitFor();
      await places.getByRole('cell', { name: 'Tees CPD School 2', exact: true }).waitFor();
      await page.getByRole('region', { name: 'Waiting list' }).getByRole('cell', { name: 'Chloe Price', exact: true }).waitFor();
      await page.getByText('2 of 2').waitFor();
      await expectAccessible(page);
      await shot(page, '06-session-booked');
      const statuses = await platform.query<{ name: string; status: string }>(
        `SELECT p.name, b.status FROM cpd_bookings b JOIN people p ON p.id = b.person_id WHERE b.session_id = $1 ORDER BY p.name`,
        [sessionId],
      );
      expect(statuses).toEqual([
        { name: 'Amira Khan', status: 'confirmed' },
        { name: 'Ben Jones', status: 'confirmed' },
        { name: 'Chloe Price', status: 'waitlisted' },
      ]);
      await arrives(teachers.amira.email, /^Your place is confirmed/);
      await arrives(teachers.ben.email, /^Your place is confirmed/);

      // Moved by a day and half an hour: everyone with a place gets the new time and a calendar update.
      await page.getByRole('link', { name: 'Move this session' }).click();
      await page.getByRole('heading', { name: 'Move this session' }).waitFor();
      await expect(page.getByLabel('Start time', { exact: true }).inputValue()).resolves.toBe('09:30');
      await expectAccessible(page);
      await shot(page, '07-move-session');
      await page.getByRole('group', { name: 'Date' }).getByLabel('Day', { exact: true }).fill('5');
      await page.getByLabel('Start time', { exact: true }).fill('10:00');
      await page.getByLabel('End time', { exact: true }).fill('4pm');
      await page.getByRole('button', { name: 'Move session' }).click();
      await done(page, 'Session moved');
      await page.getByRole('heading', { name: '5 February 2027 at 10am' }).waitFor();
      for (const who of [teachers.amira, teachers.ben]) {
        const moved = await arrives(who.email, /^Session changed/);
        expect(moved.text).toContain('Friday, 5 February 2027 at 10:00 to 16:00');
        expect(moved.calendars).toHaveLength(1);
        expect(moved.calendars[0]).toContain('METHOD:REQUEST');
        expect(moved.calendars[0]).toContain('SEQUENCE:1');
        expect(moved.calendars[0]).toMatch(/DTSTART[^:\r\n]*:20270205T100000Z/);
        // The same entry as the confirmation's, so the calendar replaces it.
        const confirmed = mailTo(who.email, /^Your place is confirmed/)[0];
        expect(/UID:(.+)/.exec(moved.calendars[0])![1].trim()).toBe(/UID:(.+)/.exec(confirmed.calendars[0])![1].trim());
      }
      expect(mailTo(teachers.chloe.email, /^Session changed/)).toHaveLength(0);

      // The register to print for the day: names, schools, a column to sign.
      await page.getByRole('link', { name: 'Printable register' }).click();
      await page.getByRole('heading', { name: 'Practical physics for non-specialists' }).waitFor();
      const sheet = page.getByRole('region', { name: 'Register' });
      await sheet.getByRole('columnheader', { name: 'Signature' }).waitFor();
      await sheet.getByRole('cell', { name: 'Ben Jones', exact: true }).waitFor();
      await expect(sheet.getByRole('cell', { name: 'Chloe Price', exact: true }).count()).resolves.toBe(0);
      await expectAccessible(page);
      await shot(page, '08-register-printable');
      await page.emulateMedia({ media: 'print' });
      await page.setViewportSize({ width: 794, height: 1123 });
      await shot(page, '09-register-printed');
      await page.emulateMedia({ media: 'screen' });
      await page.setViewportSize({ width: 390, height: 844 });

      // On the day: one came (for five and a half hours), one did not.
      // A console session lasts hours, not weeks: on the day the manager signs in again.
      await moveClock('2027-02-05T12:00:00Z');
      await signIn(page, platform, MANAGER);
      await page.goto(`${base}/cpd/sessions/${sessionId}`);
      await page.getByRole('button', { name: 'Take the register' }).click();
      await page.getByRole('heading', { name: 'Register' }).waitFor();
      await expect(page.getByLabel('Hours for Amira Khan').inputValue()).resolves.toBe('6');
      await page.getByRole('button', { name: 'Save register' }).click();
      await page.locator('.govuk-error-summary').getByRole('link', { name: 'Select whether Amira Khan attended' }).waitFor();
      await expectAccessible(page);
      await shot(page, '10-register-errors');
      await page
        .getByRole('group', { name: /Amira Khan/ })
        .getByLabel('Attended', { exact: true })
        .check();
      await page.getByLabel('Hours for Amira Khan').fill('5.5');
      await page
        .getByRole('group', { name: /Ben Jones/ })
        .getByLabel('Did not attend', { exact: true })
        .check();
      await expectAccessible(page);
      await shot(page, '11-register');
      await page.getByRole('button', { name: 'Save register' }).click();
      await done(page, 'Register saved');
      await page.getByRole('region', { name: 'People with places' }).getByRole('cell', { name: 'Did not attend', exact: true }).waitFor();
      await expectAccessible(page);
      await shot(page, '12-register-saved');

      const ledger = async () => ({
        bookings: await platform.query<{ name: string; status: string }>(`SELECT p.name, b.status FROM cpd_bookings b JOIN people p ON p.id = b.person_id WHERE b.session_id = $1 ORDER BY p.name`, [
          sessionId,
        ]),
        records: await platform.query<{ person_id: string; hours: number; channel: string }>(`SELECT person_id, hours::float AS hours, channel FROM cpd_records WHERE course_id = $1`, [courseId]),
        history: (await platform.query(`SELECT 1 FROM cpd_booking_history h JOIN cpd_bookings b ON b.id = h.booking_id WHERE b.session_id = $1`, [sessionId])).length,
        budget: (await platform.query(`SELECT 1 FROM budget_entries WHERE partnership_id = $1`, [tees.partnershipId])).length,
      });
      const after = await ledger();
      expect(after.bookings).toEqual([
        { name: 'Amira Khan', status: 'attended' },
        { name: 'Ben Jones', status: 'no_show' },
        { name: 'Chloe Price', status: 'waitlisted' },
      ]);
      expect(after.records).toEqual([{ person_id: teachers.amira.id, hours: 5.5, channel: 'central' }]);
      const feedback = await arrives(teachers.amira.email, /^Feedback on your CPD/);
      expect(feedback.text).toContain('Practical physics for non-specialists');

      // The same register sent again changes nothing.
      await page.getByRole('button', { name: 'Take the register' }).click();
      await expect(
        page
          .getByRole('group', { name: /Amira Khan/ })
          .getByLabel('Attended', { exact: true })
          .isChecked(),
      ).resolves.toBe(true);
      await expect(page.getByLabel('Hours for Amira Khan').inputValue()).resolves.toBe('5.5');
      await page.getByRole('button', { name: 'Save register' }).click();
      await done(page, 'Register saved');
      expect(await ledger()).toEqual(after);
      expect(mailTo(teachers.ben.email, /^Feedback on your CPD/)).toHaveLength(0);
      expect(mailTo(teachers.amira.email, /^Feedback on your CPD/)).toHaveLength(1);
      await page.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    'records CPD from another channel in the same ledger',
    async () => {
      const page = await phonePage(browser);
      await signIn(page, platform, MANAGER);
      await page.goto(`${base}/cpd`);
      await page.getByRole('button', { name: 'Record CPD from another channel' }).click();
      await page.getByRole('heading', { name: 'Record CPD from another channel' }).waitFor();
      await page.getByLabel('Name or email address').fill('Dev');
      await page.getByRole('button', { name: 'Search' }).click();
      await expectAccessible(page);
      await page.getByRole('link', { name: 'Dev Patel' }).click();
      await page.getByRole('button', { name: 'Record CPD' }).click();
      await page.locator('.govuk-error-summary').getByRole('link', { name: 'Select where the CPD came from' }).waitFor();
      await expectAccessible(page);
      await shot(page, '13-record-errors');
      await page.getByLabel('Coaching', { exact: true }).check();
      await page.getByLabel('Subject', { exact: true }).selectOption({ label: 'Maths' });
      await page.getByLabel('What was it?', { exact: true }).fill('Coaching: planning practical maths');
      await page.getByLabel('Hours', { exact: true }).fill('1.5');
      const when = page.getByRole('group', { name: 'When was it?' });
      await when.getByLabel('Day', { exact: true }).fill('12');
      await when.getByLabel('Month', { exact: true }).fill('1');
      await when.getByLabel('Year', { exact: true }).fill('2027');
      await page.getByRole('button', { name: 'Record CPD' }).click();
      await done(page, 'CPD recorded');
      await expectAccessible(page);
      await shot(page, '14-recorded');
      const rows = await platform.query<{ channel: string; hours: number; occurred_on: string; subject: string; booking_id: string | null }>(
        `SELECT channel, hours::float AS hours, to_char(occurred_on, 'YYYY-MM-DD') AS occurred_on, subject, booking_id FROM cpd_records WHERE person_id = $1`,
        [teachers.dev.id],
      );
      expect(rows).toEqual([{ channel: 'coaching', hours: 1.5, occurred_on: '2027-01-12', subject: 'maths', booking_id: null }]);
      await page.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    "another programme's manager finds nothing at this session's addresses, and a bad address is a 4xx page",
    async () => {
      const page = await phonePage(browser);
      await signIn(page, platform, OTHER_MANAGER);
      await page.goto(`${base}/cpd`);
      await page.getByRole('heading', { name: 'CPD courses' }).waitFor();
      await expect(page.getByRole('link', { name: 'Practical physics for non-specialists' }).count()).resolves.toBe(0);
      for (const path of [
        `/cpd/courses/${courseId}`,
        `/cpd/courses/${courseId}/edit`,
        `/cpd/sessions/${sessionId}`,
        `/cpd/sessions/${sessionId}/register`,
        `/cpd/sessions/${sessionId}/register/print`,
        `/cpd/sessions/${sessionId}/move`,
      ]) {
        const answer = await page.goto(`${base}${path}`);
        expect([path, answer!.status()]).toEqual([path, 404]);
        await page.getByRole('heading', { name: 'Page not found' }).waitFor();
      }
      await expectAccessible(page);
      await shot(page, '15-not-found');
      for (const path of ['/cpd/sessions/not-a-session', '/cpd/courses/123/edit', '/cpd/bookings/x/cancel']) {
        const answer = await page.goto(`${base}${path}`);
        expect([path, answer!.status()]).toEqual([path, 400]);
      }
      const absent = await page.goto(`${base}/cpd/bookings/00000000-0000-4000-8000-000000000000/cancel`);
      expect(absent!.status()).toBe(404);
      await page.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    'with JavaScript off: a session cancelled with its calendar cancellations, and a register taken',
    async () => {
      // The next morning, two sessions through the API: one to cancel, one whose register is taken on the day.
      await moveClock('2027-02-06T09:00:00Z');
      const session = async (startsAt: string, endsAt: string) => {
        const made = await platform.http('POST', `/api/v1/courses/${courseId}/sessions`, { startsAt, endsAt, venue: 'Darlington Hub', capacity: 10 });
        expect(made.status).toBe(201);
        for (const who of [teachers.chloe, teachers.dev]) expect((await platform.http('POST', `/api/v1/sessions/${made.body.id}/bookings`, { personId: who.id })).status).toBe(201);
        return made.body.id as string;
      };
      const toCancel = await session('2027-03-01T09:00:00Z', '2027-03-01T12:00:00Z');
      const toRegister = await session('2027-02-10T09:00:00Z', '2027-02-10T12:00:00Z');

      // With JavaScript on first, for axe: one booking cancelled on its page.
      const checked = await phonePage(browser);
      await signIn(checked, platform, MANAGER);
      const amiras = await platform.http('POST', `/api/v1/sessions/${toCancel}/bookings`, { personId: teachers.amira.id });
      expect(amiras.status).toBe(201);
      await checked.goto(`${base}/cpd/sessions/${toCancel}`);
      await checked.getByRole('link', { name: "Cancel Amira Khan's booking" }).click();
      await checked.getByRole('heading', { name: "Cancel Amira Khan's booking" }).waitFor();
      await expectAccessible(checked);
      await shot(checked, '16-cancel-booking');
      await checked.getByLabel('Reason (optional)').fill('Supply cover fell through');
      await checked.getByRole('button', { name: 'Cancel booking' }).click();
      await done(checked, 'Booking cancelled');
      await checked.getByText('Cancelled bookings (1)').waitFor();
      expect((await platform.query<{ status: string }>(`SELECT status FROM cpd_bookings WHERE id = $1`, [amiras.body.id]))[0].status).toBe('cancelled');
      await arrives(teachers.amira.email, /^Booking cancelled/);
      await checked.getByRole('link', { name: 'Cancel this session' }).click();
      await checked.getByRole('heading', { name: 'Cancel this session' }).waitFor();
      await expectAccessible(checked);
      await shot(checked, '17-cancel-session');
      await checked.context().close();

      const page = await withoutJavaScript(browser);
      await signIn(page, platform, MANAGER);
      await page.goto(`${base}/cpd/sessions/${toCancel}`);
      await page.getByRole('link', { name: 'Cancel this session' }).click();
      await page.getByRole('button', { name: 'Cancel session' }).click();
      await page.locator('.govuk-error-summary').getByRole('link', { name: 'Enter why the session is cancelled' }).waitFor();
      await page.getByLabel('Why is it cancelled?').fill('The trainer is ill; it runs again in April');
      await page.getByRole('button', { name: 'Cancel session' }).click();
      await done(page, 'Session cancelled');
      await page.getByText('This session was cancelled').waitFor();
      await shot(page, '18-session-cancelled');
      for (const who of [teachers.chloe, teachers.dev]) {
        const cancelled = await eventually(async () => {
          const found = mailTo(who.email, /^Booking cancelled/).find((m) => m.text.includes('The trainer is ill'));
          if (!found) throw new Error('no cancellation yet');
          return found;
        });
        expect(cancelled.calendars[0]).toContain('METHOD:CANCEL');
      }
      expect((await platform.query(`SELECT 1 FROM cpd_bookings WHERE session_id = $1 AND status <> 'cancelled'`, [toCancel])).length).toBe(0);

      await moveClock('2027-02-10T10:00:00Z');
      await signIn(page, platform, MANAGER);
      await page.goto(`${base}/cpd/sessions/${toRegister}`);
      await page.getByRole('button', { name: 'Take the register' }).click();
      await page
        .getByRole('group', { name: /Chloe Price/ })
        .getByLabel('Attended', { exact: true })
        .check();
      await page
        .getByRole('group', { name: /Dev Patel/ })
        .getByLabel('Attended', { exact: true })
        .check();
      await page.getByRole('button', { name: 'Save register' }).click();
      await done(page, 'Register saved');
      await shot(page, '19-register-no-js');
      const records = await platform.query<{ name: string; hours: number }>(
        `SELECT p.name, r.hours::float AS hours FROM cpd_records r JOIN cpd_bookings b ON b.id = r.booking_id JOIN people p ON p.id = r.person_id WHERE b.session_id = $1 ORDER BY p.name`,
        [toRegister],
      );
      expect(records).toEqual([
        { name: 'Chloe Price', hours: 6 },
        { name: 'Dev Patel', hours: 6 },
      ]);
      await arrives(teachers.chloe.email, /^Feedback on your CPD/);
      await page.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    'a person is chosen from the suggestions offered as their name is typed, to book them or record their CPD; with JavaScript off the plain search books; a lead is offered only their own people',
    async () => {
      const made = await platform.http('POST', `/api/v1/courses/${courseId}/sessions`, { startsAt: '2027-03-15T09:00:00Z', endsAt: '2027-03-15T12:00:00Z', venue: 'Stockton Hub', capacity: 10 });
      expect(made.status).toBe(201);
      const later = made.body.id as string;
      const page = await phonePage(browser);
      await signIn(page, platform, MANAGER);
      await page.goto(`${base}/cpd/sessions/${later}`);
      const field = page.getByRole('combobox', { name: 'Name or email address' });
      await page.getByText('Teachers and staff at your schools: choosing one books them on the session').waitFor();
      await field.pressSequentially('ami');
      const amira = page.getByRole('option', { name: `Amira Khan (Tees CPD School 1, ${teachers.amira.email})` });
      await amira.waitFor();
      // Another programme's namesake is not offered.
      await expect(page.getByRole('option', { name: /Amira Solent/ }).count()).resolves.toBe(0);
      await shot(page, '20-booking-suggestions-phone');
      await expectAccessible(page);
      await amira.click();
      await done(page, 'Place confirmed');
      // Someone booked already is not offered again.
      await field.pressSequentially('amira');
      await page.getByRole('option', { name: 'No matches: press Search to look again' }).waitFor();

      // Without JavaScript (the same session): the plain search and the result's Book button.
      const plain = await withoutJavaScript(browser, { storageState: await page.context().storageState() });
      await plain.goto(`${base}/cpd/sessions/${later}`);
      await plain.getByLabel('Name or email address').fill('ben');
      await plain.getByRole('button', { name: 'Search' }).click();
      await plain.getByRole('button', { name: 'Book Ben Jones' }).click();
      await done(plain, 'Place confirmed');
      await plain.context().close();
      expect(await platform.query(`SELECT p.name, b.status FROM cpd_bookings b JOIN people p ON p.id = b.person_id WHERE b.session_id = $1 ORDER BY p.name`, [later])).toEqual([
        { name: 'Amira Khan', status: 'confirmed' },
        { name: 'Ben Jones', status: 'confirmed' },
      ]);

      // Whose CPD to record: choosing them opens the form for them, as choosing from the search's results does.
      await page.goto(`${base}/cpd/records/new`);
      await page.getByRole('combobox', { name: 'Name or email address' }).pressSequentially('chlo');
      const chloe = page.getByRole('option', { name: `Chloe Price (Tees CPD School 1, ${teachers.chloe.email})` });
      await chloe.waitFor();
      await expectAccessible(page);
      await shot(page, '21-record-suggestions-phone');
      await chloe.click();
      await page.getByText('Chloe Price, Tees CPD School 1').waitFor();
      await page.getByRole('button', { name: 'Record CPD' }).waitFor();
      expect(new URL(page.url()).searchParams.get('personId')).toBe(teachers.chloe.id);
      const ours = await page.request.get(`${base}/cpd/records/people/suggestions?q=amira`);
      expect(ours.headers()['cache-control']).toBe('no-store');
      expect(await ours.json()).toEqual([{ id: teachers.amira.id, label: `Amira Khan (Tees CPD School 1, ${teachers.amira.email})` }]);
      await page.context().close();

      // A lead of the other programme's partnership is offered its people, and finds no session of this programme.
      const LEAD = 'lena.ward@cpd-pages.example.org';
      await makeStaff(platform, { role: 'educational_lead', scope: `partnership:${other.partnershipId}`, name: 'Lena Ward', email: LEAD });
      const lead = await (await browser.newContext()).newPage();
      await signIn(lead, platform, LEAD);
      const theirs = await lead.request.get(`${base}/cpd/records/people/suggestions?q=amira`);
      expect([theirs.status(), (await theirs.json()).map((p: { label: string }) => p.label)]).toEqual([200, [expect.stringMatching(/^Amira Solent \(Solent CPD School 1, /)]]);
      expect((await lead.request.get(`${base}/cpd/sessions/${later}/people/suggestions?q=amira`)).status()).toBe(404);
      await lead.context().close();
    },
    STEP_TIMEOUT,
  );
});
