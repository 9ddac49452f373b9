import { eventually, TestPlatform } from '../support/platform.js';

/**
 * The scheduling engine on the virtual clock, with two workers: reminder rules become
 * scheduled actions, the ticker claims them once, nudges wait for school days, a worker
 * that was down catches up sensibly, and an edited calendar moves what is still to come.
 */
describe('the scheduling engine', () => {
  let platform: TestPlatform;
  let programmeId: string;
  let cohortId: string;
  let partnershipId: string;
  let courseId: string;
  const schools: Array<{ id: string; email: string }> = [];
  const policy = {
    version: 1,
    reminders: [
      { id: 'session-day-before', anchor: 'before_session_start', offset: 1, unit: 'days', audience: ['positive'], recipients: 'participant', template: 'booking.session_reminder' },
      { id: 'term-start', anchor: 'term_start', offset: 2, unit: 'days', audience: ['positive'], recipients: 'school_contact', template: 'school.term_start' },
    ],
  };

  const ok = async (method: string, path: string, body?: unknown) => {
    const answer = await platform.http(method, path, body);
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
    return answer.body;
  };
  const moveClock = (iso: string) => ok('POST', '/api/v1/admin/clock', { now: iso });
  const actionsOf = (key: string) => platform.query(`SELECT status, reason, due_at FROM scheduled_actions WHERE key LIKE $1 ORDER BY key`, [key]);
  const sentTo = (email: string) => platform.catcher.messages.filter((m) => m.to.includes(email));
  const reminders = (email: string) => sentTo(email).filter((m) => !m.subject.startsWith('Your place is confirmed'));

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'scheduling', env: { CLOCK: 'virtual' } });
    await platform.startWorker();
    await moveClock('2027-01-01T10:00:00Z');
    programmeId = (
      await ok('POST', '/api/v1/programmes', {
        name: 'Scheduling',
        startsOn: '2026-09-01',
        endsOn: '2027-08-31',
        frameworkKey: 'iris-ri',
        brandColour: '#7b2d8b',
        kpiDefinition: { completeRecordRequires: ['email'] },
      })
    ).id;
    const calendar = await ok('GET', '/api/v1/calendars/england');
    await ok('POST', '/api/v1/calendars', { key: 'scheduling-test', nation: 'england', name: 'Test LA', years: calendar.years });
    cohortId = (
      await ok('POST', `/api/v1/programmes/${programmeId}/cohorts`, {
        name: 'Wave 1',
        startsOn: '2026-09-01',
        endsOn: '2027-07-23',
        calendarKey: 'scheduling-test',
        status: 'active',
        workflowPolicy: policy,
      })
    ).id;
    partnershipId = (await ok('POST', '/api/v1/partnerships', { name: 'Scheduling Partnership', cohortId, budgetPounds: 100_000 })).id;
    const rows = ['URN,EstablishmentName,PhaseOfEducation (name),ContactName,ContactEmail'];
    for (let i = 0; i < 40; i += 1) rows.push(`${500_000 + i},Scheduling School ${i + 1},Primary,Contact ${i + 1},contact${i + 1}@scheduling.example.org`);
    expect((await ok('POST', '/api/v1/schools/import', rows.join('\n'))).created).toBe(40);
    const listed = (await ok('GET', '/api/v1/schools?q=Scheduling&pageSize=100')).items as Array<{ id: string; contactEmail: string }>;
    for (const school of listed) {
      await ok('POST', `/api/v1/partnerships/${partnershipId}/members`, { schoolId: school.id });
      schools.push({ id: school.id, email: school.contactEmail });
    }
    courseId = (await ok('POST', '/api/v1/courses', { programmeId, title: 'Coding the micro:bit', subject: 'computing', format: 'local', hours: 3, costPence: 0 })).id;
    await eventually(async () => expect(platform.catcher.messages.filter((m) => m.subject.startsWith('Welcome to'))).toHaveLength(40));
    platform.catcher.clear();
  });
  afterAll(async () => {
    await platform?.stop();
  });

  async function bookSession(startsAt: string, teacher: string) {
    const session = await ok('POST', `/api/v1/courses/${courseId}/sessions`, { startsAt, endsAt: new Date(Date.parse(startsAt) + 3 * 3_600_000).toISOString(), venue: 'Hub school', capacity: 10 });
    const person = await ok('POST', '/api/v1/people', {
      schoolId: schools[0].id,
      name: teacher,
      email: `${teacher.toLowerCase().replace(/ /g, '.')}@scheduling.example.org`,
      role: 'teacher',
      consentToContact: true,
    });
    const booking = await ok('POST', `/api/v1/sessions/${session.id}/bookings`, { personId: person.id });
    expect(booking.status).toBe('confirmed');
    return { session, person, booking };
  }

  it("plans each school's term starts when it joins, and the preview shows them with the reason", async () => {
    const schedule = await ok('GET', `/api/v1/cohorts/${cohortId}/schedule?from=2027-01-01T00:00:00Z&to=2027-05-01T00:00:00Z`);
    const termStarts = schedule.entries.filter((e: { ruleId: string }) => e.ruleId === 'term-start');
    expect(termStarts).toHaveLength(80);
    // Two days after each term starts (midnight in London, an hour earlier in UTC in summer).
    expect(new Set(termStarts.map((e: { dueAt: string }) => e.dueAt))).toEqual(new Set(['2027-01-06T00:00:00.000Z', '2027-04-13T23:00:00.000Z']));
    expect(termStarts[0]).toMatchObject({ status: 'planned', policyVersion: 1, recipient: expect.stringMatching(/@scheduling\.example\.org$/) });
    expect(termStarts[0].why).toMatch(/^Scheduling School \d+, start of the spring term 2026\/27 — rule "term-start"$/);
  });

  it("sends every due action once with two workers running, in the programme's colours", async () => {
    await moveClock('2027-01-06T10:00:00Z');
    const emails = await eventually(async () => {
      const caught = platform.catcher.messages.filter((m) => m.subject === 'A new term with Scheduling Partnership');
      expect(caught).toHaveLength(40);
      return caught;
    });
    expect(new Set(emails.map((m) => m.to[0])).size).toBe(40);
    expect(emails[0].html).toContain('background:#7b2d8b');
    expect(emails[0].headers['list-unsubscribe']).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/u\/[A-Za-z0-9_-]+>$/);
    expect(emails[0].headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    const actions = await platform.query(`SELECT status, count(*)::int AS n FROM scheduled_actions WHERE key LIKE 'reminder:term-start:%' AND due_at < '2027-02-01' GROUP BY status`);
    expect(actions).toEqual([{ status: 'done', n: 40 }]);
    expect(await platform.query(`SELECT count(*)::int AS n FROM notifications WHERE kind = 'school.term_start'`)).toEqual([{ n: 40 }]);
  });

  it("holds a weekend nudge until Monday at the window's opening", async () => {
    platform.catcher.clear();
    // Monday 22 February 2027, the first day back after half-term: its day-before reminder falls on the Sunday.
    const weekend = await bookSession('2027-02-22T13:00:00Z', 'Wendy Weekend');
    await moveClock('2027-02-21T14:00:00Z');
    const held = await eventually(async () => {
      const [row] = await platform.query(`SELECT status, not_before FROM notifications WHERE kind = 'booking.session_reminder' AND recipient_email = $1`, [weekend.person.email]);
      expect(row).toBeDefined();
      return row;
    });
    expect(held.status).toBe('queued');
    expect(new Date(held.not_before).toISOString()).toBe('2027-02-22T09:00:00.000Z');
    await moveClock('2027-02-21T20:00:00Z');
    expect(reminders(weekend.person.email)).toHaveLength(0);
    await moveClock('2027-02-22T09:01:00Z');
    await eventually(async () => expect(reminders(weekend.person.email).map((m) => m.subject)).toEqual(['Tomorrow: Coding the micro:bit']));
  });

  it('catches up after the workers were down: the reminder still useful goes once, the stale one is superseded', async () => {
    await moveClock('2027-03-01T08:00:00Z');
    const stillUseful = await bookSession('2027-03-03T14:00:00Z', 'Una Useful');
    const stale = await bookSession('2027-03-02T14:00:00Z', 'Sam Stale');
    for (const worker of platform.workers) await platform.kill(worker, 'SIGTERM');
    // Both reminders fall due while no worker runs; by the time one is back, Sam's session has begun.
    await moveClock('2027-03-02T15:00:00Z');
    await platform.startWorker();
    await moveClock('2027-03-02T15:01:00Z');
    await eventually(async () => {
      const [useful] = await actionsOf(`reminder:session-day-before:booking:${stillUseful.booking.id}:%`);
      const [old] = await actionsOf(`reminder:session-day-before:booking:${stale.booking.id}:%`);
      expect(useful.status).toBe('done');
      expect(old).toMatchObject({ status: 'superseded', reason: 'its moment has passed: the session has already started' });
    });
    await eventually(async () => expect(reminders(stillUseful.person.email)).toHaveLength(1));
    expect(reminders(stale.person.email)).toHaveLength(0);
  });

  it('moves what is still to come when the calendar is edited, and sends nothing at the old time', async () => {
    const before = await ok('GET', `/api/v1/cohorts/${cohortId}/schedule?from=2027-04-01T00:00:00Z&to=2027-05-01T00:00:00Z`);
    expect(new Set(before.entries.map((e: { dueAt: string }) => e.dueAt))).toEqual(new Set(['2027-04-13T23:00:00.000Z']));
    const calendar = await ok('GET', '/api/v1/calendars/scheduling-test');
    const summer = calendar.years[1].terms[2];
    expect(summer.starts).toBe('2027-04-12');
    summer.starts = '2027-04-19';
    const saved = await ok('PUT', '/api/v1/calendars/scheduling-test', { years: calendar.years });
    expect(saved.version).toBe(2);
    expect(saved.replanned[0]).toMatchObject({ cohortId });

    const after = await ok('GET', `/api/v1/cohorts/${cohortId}/schedule?from=2027-04-01T00:00:00Z&to=2027-05-01T00:00:00Z`);
    expect(new Set(after.entries.map((e: { dueAt: string }) => e.dueAt))).toEqual(new Set(['2027-04-20T23:00:00.000Z']));
    expect(after.entries).toHaveLength(40);
    // Spring's actions, already done, are untouched.
    expect(await platform.query(`SELECT count(*)::int AS n FROM scheduled_actions WHERE key LIKE 'reminder:term-start:%' AND status = 'done'`)).toEqual([{ n: 40 }]);

    platform.catcher.clear();
    await moveClock('2027-04-14T10:00:00Z');
    await platform.http('GET', '/health');
    const [{ n: due }] = await platform.query(`SELECT count(*)::int AS n FROM scheduled_actions WHERE status = 'planned' AND due_at <= '2027-04-14T10:00:00Z' AND key LIKE 'reminder:term-start:%'`);
    expect(due).toBe(0);
    await moveClock('2027-04-21T10:00:00Z');
    await eventually(async () => expect(platform.catcher.messages.filter((m) => m.subject.startsWith('A new term'))).toHaveLength(40));
  });

  it('holds a bank-holiday nudge until the next school day, and sends at once when no school day comes before the session', async () => {
    // Tuesday 4 May 2027 follows the Early May bank holiday.
    const afterBankHoliday = await bookSession('2027-05-04T12:00:00Z', 'Bella Bankholiday');
    // Tuesday 1 June 2027 falls in the May half-term: no school day before it to wait for.
    const inHalfTerm = await bookSession('2027-06-01T12:00:00Z', 'Hal Halfterm');
    await moveClock('2027-05-03T13:00:00Z');
    const held = await eventually(async () => {
      const [row] = await platform.query(`SELECT status, not_before FROM notifications WHERE kind = 'booking.session_reminder' AND recipient_email = $1`, [afterBankHoliday.person.email]);
      expect(row).toBeDefined();
      return row;
    });
    expect(held.status).toBe('queued');
    expect(new Date(held.not_before).toISOString()).toBe('2027-05-04T08:00:00.000Z'); // 09:00 BST
    await moveClock('2027-05-04T08:05:00Z');
    await eventually(async () => expect(reminders(afterBankHoliday.person.email)).toHaveLength(1));
    await moveClock('2027-05-31T13:00:00Z');
    await eventually(async () => expect(reminders(inHalfTerm.person.email)).toHaveLength(1));
  });

  it('previews a policy change without saving it', async () => {
    const changed = { ...policy, reminders: policy.reminders.map((r) => (r.id === 'term-start' ? { ...r, offset: 5 } : r)) };
    const dry = await ok('PATCH', `/api/v1/cohorts/${cohortId}?dryRun=true&from=2027-09-01T00:00:00Z&to=2027-09-30T00:00:00Z`, { workflowPolicy: changed });
    expect(dry).toMatchObject({ dryRun: true, changed: ['workflowPolicy'] });
    expect(dry.workflowPolicy.version).toBe(2);
    const cohort = await ok('GET', `/api/v1/cohorts/${cohortId}`);
    expect(cohort.workflowPolicy.version).toBe(1);
    expect(cohort.workflowPolicy.reminders[1].offset).toBe(2);
  });

  it('stops nudges to someone who unsubscribed, keeps their history, and lets an admin resend', async () => {
    const [message] = platform.catcher.messages.filter((m) => m.to[0] === schools[1].email);
    const link = /\/u\/([A-Za-z0-9_-]+)/.exec(message.text)![1];
    const page = await fetch(`http://127.0.0.1:${platform.apiPort}/u/${link}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Stop start-of-term emails?');
    const done = await fetch(`http://127.0.0.1:${platform.apiPort}/u/${link}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(done.status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${platform.apiPort}/u/not-a-real-token-at-all-xyz`)).status).toBe(404);

    const history = await ok('GET', `/api/v1/notifications/recipients/${schools[1].email}`);
    expect(history.optedOut).toEqual([{ kind: 'school.term_start', at: expect.any(String), source: 'unsubscribe link' }]);
    const termMail = history.notifications.find((n: { kind: string; status: string }) => n.kind === 'school.term_start' && n.status === 'sent');
    const resent = await platform.http('POST', `/api/v1/notifications/${termMail.id}/resend`);
    expect(resent.status).toBe(201);
    expect(resent.body.resendOf).toBe(termMail.id);
    // The preference holds at send time, even for a resend.
    await eventually(async () => expect((await ok('GET', `/api/v1/notifications/${resent.body.id}`)).status).toBe('skipped'));
    const welcome = history.notifications.find((n: { kind: string }) => n.kind === 'school.welcome');
    const again = await platform.http('POST', `/api/v1/notifications/${welcome.id}/resend`);
    await eventually(async () => expect((await ok('GET', `/api/v1/notifications/${again.body.id}`)).status).toBe('sent'));
  });

  it('simulates a stretch of the year from the command line', async () => {
    await moveClock('2027-09-01T00:00:00Z');
    const run = await platform.run(
      'node',
      ['dist/tools/simulate.js', '--cohort', cohortId, '--from', '2027-09-01', '--to', '2027-09-10', '--step', '1d', '--api', `http://127.0.0.1:${platform.apiPort}`],
      {
        DATABASE_URL: platform.databaseUrl,
        ADMIN_TOKEN: platform.env().ADMIN_TOKEN!,
      },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('100%  2027-09-10 00:00');
    expect(run.stdout).toMatch(/Simulated 2027-09-01 to 2027-09-10 in [\d.]+ s \(10 steps\)/);
    expect((await ok('GET', '/api/v1/admin/clock')).now).toBe('2027-09-10T00:00:00.000Z');
    const refused = await platform.run('node', ['dist/tools/simulate.js', '--cohort', 'nope'], {});
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--cohort must be a cohort id');
  });

  it('renders any template with sample data', async () => {
    const preview = await ok('GET', '/api/v1/templates/booking.confirmed/preview?programmeName=Aspire%20to%20STEM&brandColour=%23123456');
    expect(preview.subject).toBe('Your place is confirmed: Practical physics for non-specialists, Wed 10 Feb');
    expect(preview.html).toContain('background:#123456');
    expect(preview.calendar).toContain('BEGIN:VEVENT');
    expect((await platform.http('GET', '/api/v1/templates/no.such.thing/preview')).status).toBe(404);
  });
});
