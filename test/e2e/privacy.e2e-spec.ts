import { FIGURES } from '#domain';
import { linkIn } from '../support/browser.js';
import { eventually, TestPlatform } from '../support/platform.js';
import { buildProgramme, type ProgrammeFixture } from '../support/programme.js';

/**
 * Personal data under UK GDPR, through the public API: consent withdrawn after a reminder
 * was planned stops it; a person's export holds all their records and nobody else's;
 * erasing ten people leaves every report's figures as they were and their names and
 * addresses in no answer; retention runs daily and on demand with counts; every write is
 * audited append-only; a school never sees a safeguarding check.
 */
describe('privacy: consent, export, erasure, retention, audit', () => {
  let platform: TestPlatform;
  let fixture: ProgrammeFixture;
  let sessionId: string;
  const people: Array<{ id: string; name: string; email: string }> = [];
  const policy = { surveys: { feedbackOpenDays: 14, reminderAfterDays: 3, reminderGapDays: 4, maxReminders: 2, impactAfterDays: 30, impactOpenDays: 21 } };

  const ok = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const answer = await platform.http(method, path, body, headers);
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
    return answer.body;
  };
  const moveClock = (iso: string) => ok('POST', '/api/v1/admin/clock', { now: iso });
  // Names that are never part of one another ("Pq1x" is not inside "Pq10x").
  const nameOf = (n: number) => `Pq${n}x Privacyson`;
  const emailOf = (n: number) => `pq${n}x@privacy.example.org`;
  const fixturePerson = () => people[0];
  const withdrawer = () => people[1];
  const erased = () => people.slice(2, 12);

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'privacy', env: { CLOCK: 'virtual', RETENTION_EXPIRED_LINK_DAYS: '30' } });
    await moveClock('2027-03-01T10:00:00Z');
    fixture = await buildProgramme(platform, { name: 'Privacy', schools: 2, urnBase: 951_000, workflowPolicy: policy });
    for (let n = 0; n < 14; n += 1) {
      const person = await ok('POST', '/api/v1/people', {
        schoolId: fixture.schoolIds[n % 2],
        name: nameOf(n),
        email: emailOf(n),
        role: n % 3 === 0 ? 'middle_leader' : 'teacher',
        slt: n % 4 === 0,
        subjectSpecialism: ['science', 'maths', 'computing'][n % 3],
        careerStage: n % 2 ? 'experienced' : 'nqt',
        gender: ['female', 'male', 'non_binary'][n % 3],
        consentToContact: true,
      });
      people.push({ id: person.id, name: nameOf(n), email: emailOf(n) });
    }
    const course = await ok('POST', '/api/v1/courses', { programmeId: fixture.programmeId, title: 'Forces in the primary classroom', subject: 'science', format: 'local', hours: 6, costPence: 1500 });
    const session = await ok('POST', `/api/v1/courses/${course.id}/sessions`, { startsAt: '2027-03-02T09:30:00Z', endsAt: '2027-03-02T15:30:00Z', venue: 'Hub school', capacity: 20 });
    sessionId = session.id;
    const bookings: string[] = [];
    for (const p of people.slice(0, 13)) bookings.push((await ok('POST', `/api/v1/sessions/${session.id}/bookings`, { personId: p.id })).id);
    await moveClock('2027-03-02T16:00:00Z');
    await ok('POST', `/api/v1/sessions/${session.id}/register`, { attended: bookings.slice(0, 12), noShow: bookings.slice(12) });
    await eventually(async () => expect(platform.catcher.messages.filter((m) => m.subject.startsWith('Feedback on your CPD'))).toHaveLength(12));
    // The fixture person and the ten to be erased answer the survey, in their own words too.
    for (const p of [fixturePerson(), ...erased()]) {
      const link = linkIn(
        platform.catcher.messages.find((m) => m.to.includes(p.email) && m.subject.startsWith('Feedback on your CPD'))!,
        's',
      );
      const answers = {
        satisfaction: 'excellent',
        quality: 'very_good',
        well_organised: 'agree',
        relevant: 'agree',
        outcomes_met: 'agree',
        impact_practice: 'agree_strongly',
        impact_students: 'agree',
        share_learning: 'agree',
        subject_knowledge: 'agree',
        online_resources: 'very_useful',
        why_useful: `${p.name} found the practical demos useful`,
      };
      const sent = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: platform.baseUrl }, body: new URLSearchParams(answers).toString() });
      expect(sent.status).toBe(200);
    }
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('a withdrawn consent stops a survey reminder that was already planned, and says why', async () => {
    const w = withdrawer();
    const planned = await platform.query(`SELECT a.status FROM scheduled_actions a JOIN survey_invitations i ON i.id = a.subject_id WHERE a.kind = 'survey.remind' AND i.person_id = $1`, [w.id]);
    expect(planned.map((r) => r.status)).toEqual(['planned', 'planned']);
    const after = await ok('POST', `/api/v1/people/${w.id}/consents`, { purpose: 'surveys', granted: false, how: 'page' });
    expect(after.current.find((c: any) => c.purpose === 'surveys')).toMatchObject({ granted: false, how: 'page' });
    expect(after.log.map((e: any) => [e.purpose, e.granted])).toEqual([
      ['surveys', true],
      ['surveys', false],
    ]);
    expect((await ok('GET', `/api/v1/people/${w.id}`)).consentToContact).toBe(false);

    await moveClock('2027-03-05T16:05:00Z');
    await eventually(async () => {
      const [action] = await platform.query(
        `SELECT a.status, a.reason FROM scheduled_actions a JOIN survey_invitations i ON i.id = a.subject_id WHERE a.kind = 'survey.remind' AND i.person_id = $1 ORDER BY a.due_at`,
        [w.id],
      );
      expect(action).toEqual({ status: 'superseded', reason: 'the person has withdrawn consent to be contacted' });
    });
    expect(platform.catcher.messages.filter((m) => m.to.includes(w.email) && m.subject.startsWith('Reminder'))).toHaveLength(0);
  });

  it('each purpose is given and withdrawn on its own, and the log keeps every change', async () => {
    const f = fixturePerson();
    // The other purposes are separate: withdrawing programme communications leaves surveys as they were.
    await ok('POST', `/api/v1/people/${f.id}/consents`, { purpose: 'programme_communications', granted: false });
    const consents = await ok('GET', `/api/v1/people/${f.id}/consents`);
    expect(Object.fromEntries(consents.current.map((c: any) => [c.purpose, c.granted]))).toEqual({ programme_communications: false, surveys: true, news: false, data_sharing: false });
    await ok('POST', `/api/v1/people/${f.id}/consents`, { purpose: 'programme_communications', granted: true, how: 'manager' });
  });

  it("a person's export holds every record of theirs and nobody else's, as JSON and as a page", async () => {
    const f = fixturePerson();
    const data = await ok('GET', `/api/v1/people/${f.id}/export`);
    expect(data.person).toMatchObject({ id: f.id, name: f.name, email: f.email });
    const count = async (sql: string) => (await platform.query(sql, [f.id, f.email]))[0].n;
    expect(data.bookings).toHaveLength(await count(`SELECT count(*)::int AS n FROM cpd_bookings WHERE person_id = $1 AND $2::text IS NOT NULL`));
    expect(data.bookings[0]).toMatchObject({ course: 'Forces in the primary classroom', status: 'attended' });
    expect(data.cpdRecords).toHaveLength(await count(`SELECT count(*)::int AS n FROM cpd_records WHERE person_id = $1 AND $2::text IS NOT NULL`));
    expect(data.surveyInvitations).toHaveLength(await count(`SELECT count(*)::int AS n FROM survey_invitations WHERE person_id = $1 AND $2::text IS NOT NULL`));
    expect(data.surveyResponses).toHaveLength(1);
    expect(data.surveyResponses[0].answers.why_useful).toBe(`${f.name} found the practical demos useful`);
    expect(data.notifications).toHaveLength(await count(`SELECT count(*)::int AS n FROM notifications WHERE lower(recipient_email) = $2 AND $1::uuid IS NOT NULL`));
    expect(data.notifications.map((n: any) => n.subject)).toEqual(expect.arrayContaining([expect.stringContaining('Your place is confirmed'), expect.stringContaining('Feedback on your CPD')]));
    expect(data.pageLinks.length).toBeGreaterThan(0);
    expect(data.consents.log.map((e: any) => [e.purpose, e.granted])).toEqual([
      ['surveys', true],
      ['programme_communications', false],
      ['programme_communications', true],
    ]);
    expect(data.auditTrail.map((a: any) => a.route)).toEqual(expect.arrayContaining(['/api/v1/people/:id/consents']));
    const text = JSON.stringify(data);
    for (const other of people.slice(1)) {
      expect(text).not.toContain(other.email);
      expect(text).not.toContain(other.name);
      expect(text).not.toContain(other.id);
    }
    const page = await platform.http('GET', `/api/v1/people/${f.id}/export`, undefined, { accept: 'text/html' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    // The console's page, without the console's navigation: a token holder has no session.
    expect(page.text).toMatch(/<h2 class="govuk-heading-m" id="surveyResponses">Survey answers<\/h2>/);
    expect(page.text).toContain(f.email);
    expect(page.text).toContain(`${f.name} found the practical demos useful`);
    expect(page.text).not.toContain('govuk-service-navigation');
    const asked = (await platform.http('GET', `/api/v1/people/${f.id}/export?format=html`)).text;
    expect(asked).toMatch(/<h1 class="govuk-heading-l"><span class="govuk-caption-l">[^<]+<\/span>Everything held about a person<\/h1>/);
    expect(asked).toContain('<title>Everything held about a person – stemflow</title>');
  });

  it('erasing ten people leaves every figure of every report as it was, and their names and addresses in no answer', async () => {
    const filters = ['', `?programmeId=${fixture.programmeId}`, `?cohortId=${fixture.cohortId}`, `?partnershipId=${fixture.partnershipId}`, '?phase=primary', '?from=2027-01-01&to=2027-12-31'];
    const figures = async () => {
      const all: Record<string, unknown> = {};
      for (const figure of FIGURES) for (const filter of filters) all[`${figure.key}${filter}`] = (await ok('GET', `/api/v1/reports/${figure.key}${filter}`)).rows;
      return all;
    };
    const before = await figures();
    expect(Object.values(before).some((rows) => Array.isArray(rows) && rows.length > 0)).toBe(true);
    for (const p of erased()) {
      const outcome = await ok('POST', `/api/v1/people/${p.id}/erase`);
      expect(outcome.pseudonym).toMatch(/^Erased person [0-9a-f]{12}$/);
    }
    expect((await platform.http('POST', `/api/v1/people/${erased()[0].id}/erase`)).status).toBe(409);
    expect(await figures()).toEqual(before);

    const answers: string[] = [];
    const collect = async (path: string) => {
      const answer = await platform.http('GET', path);
      // A failed answer names no one either: only a page that answered proves anything.
      expect([path, answer.status]).toEqual([path, 200]);
      answers.push(answer.text);
    };
    await collect('/api/v1/people?pageSize=200');
    for (const schoolId of fixture.schoolIds) {
      await collect(`/api/v1/people?schoolId=${schoolId}`);
      await collect(`/api/v1/schools/${schoolId}/timeline`);
      await collect(`/api/v1/schools/${schoolId}/cpd`);
    }
    await collect(`/api/v1/sessions/${sessionId}/bookings`);
    await collect(`/api/v1/sessions/${sessionId}/feedback`);
    await collect('/api/v1/notifications?pageSize=200');
    await collect('/api/v1/audit?pageSize=200');
    for (const p of erased()) {
      await collect(`/api/v1/people/${p.id}`);
      await collect(`/api/v1/people/${p.id}/export`);
      await collect(`/api/v1/people/${p.id}/export?format=html`);
      await collect(`/api/v1/people/${p.id}/cpd`);
      await collect(`/api/v1/people/${p.id}/survey-responses`);
      await collect(`/api/v1/people/${p.id}/consents`);
    }
    for (const figure of FIGURES) await collect(`/api/v1/reports/${figure.key}?format=csv`);
    const everything = answers.join('\n');
    expect(everything).toContain(fixturePerson().name);
    for (const p of erased()) {
      expect(everything).not.toContain(p.name);
      expect(everything).not.toContain(p.email);
      expect(everything.toLowerCase()).not.toContain(`pq${people.indexOf(p)}x`);
    }
    // Their own words are gone; their ratings still count.
    const [response] = (await ok('GET', `/api/v1/people/${erased()[0].id}/export`)).surveyResponses;
    expect(response.answers.why_useful).toBeUndefined();
    expect(response.answers.satisfaction).toBe('excellent');
    // Nothing more can be recorded against an erased person.
    expect((await platform.http('PATCH', `/api/v1/people/${erased()[0].id}`, { name: 'Back again' })).status).toBe(409);
  });

  it('records every write with who, what, when and the request id; admins filter it; rows cannot be changed', async () => {
    const f = fixturePerson();
    await ok('POST', `/api/v1/people/${f.id}/consents`, { purpose: 'data_sharing', granted: true }, { 'x-request-id': 'privacy-audit-check' });
    const page = await eventually(async () => {
      const found = await ok('GET', `/api/v1/audit?subjectType=people&subjectId=${f.id}&actor=admin`);
      // The row is written with the change; its status once the answer has gone, a moment later.
      expect(found.items.find((r: any) => r.requestId === 'privacy-audit-check')?.status).toBe(201);
      return found;
    });
    expect(page.items.find((r: any) => r.requestId === 'privacy-audit-check')).toMatchObject({
      method: 'POST',
      route: '/api/v1/people/:id/consents',
      subjectType: 'people',
      subjectId: f.id,
      status: 201,
      role: 'admin',
      actorType: 'token',
      outcome: 'committed',
    });
    const pages = await ok('GET', '/api/v1/audit?pageSize=200&from=2027-01-01T00:00:00Z&to=2028-01-01T00:00:00Z');
    // A survey page submission is recorded with its emailed link as the actor and the invitation as the subject.
    expect(pages.items.find((r: any) => r.route === '/s/:token' && r.method === 'POST')).toMatchObject({ actorType: 'page_link', subjectType: 'survey_invitation', status: 200, outcome: 'committed' });
    expect(pages.items.filter((r: any) => r.route === '/api/v1/people/:id/erase')).toHaveLength(11);
    expect((await ok('GET', '/api/v1/audit?from=2030-01-01T00:00:00Z')).total).toBe(0);
    await expect(platform.query(`UPDATE audit_log SET status = 200`)).rejects.toThrow(/append-only/);
    await expect(platform.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
  });

  it("enforces retention daily on the clock and on an admin's request, with what it removed", async () => {
    const run = await ok('POST', '/api/v1/admin/retention/run');
    expect(run.removed).toEqual({ surveyTextAnswers: 0, notificationBodies: 0, expiredLinks: 0, dashboardSessions: 0 });
    // A year on, the first survey links (expired after 14 days) are past the 30 days kept.
    await moveClock('2028-03-10T10:00:00Z');
    const daily = await eventually(async () => {
      const runs = await ok('GET', '/api/v1/admin/retention-runs');
      const found = runs.items.find((r: any) => r.trigger === 'daily' && r.ranAt >= '2028-03-10');
      expect(found).toBeDefined();
      return found;
    });
    expect(daily.removed.expiredLinks).toBeGreaterThan(0);
    // Emails delivered more than 365 days before keep their ledger row and subject, not their data.
    expect(daily.removed.notificationBodies).toBeGreaterThan(0);
    const [sent] = await platform.query(`SELECT subject, data FROM notifications WHERE status = 'sent' ORDER BY created_at LIMIT 1`);
    expect(sent.subject).toBeTruthy();
    expect(Object.keys(sent.data)).toEqual(['retentionRemovedAt']);
    expect(daily.policy).toEqual({ surveyTextDays: 730, notificationBodyDays: 365, expiredLinkDays: 30 });
    expect(await platform.query(`SELECT count(*)::int AS n FROM page_links WHERE expires_at < '2028-02-01'`)).toEqual([{ n: 0 }]);
    // The next day's run is planned.
    expect(await platform.query(`SELECT count(*)::int AS n FROM scheduled_actions WHERE kind = 'privacy.enforce_retention' AND status = 'planned'`)).toEqual([{ n: 1 }]);
  });

  it('shows safeguarding details to admins and programme managers only; a school sees "check valid" and nothing else', async () => {
    const ambassador = await ok('POST', '/api/v1/ambassadors', {
      name: 'Avery Checked',
      email: 'avery@industry.example.com',
      employer: 'Tees Engineering',
      sector: 'Engineering',
      skills: ['robotics'],
      keyStages: ['ks2', 'ks3'],
      postcode: 'TS1 3BA',
      latitude: 54.57,
      longitude: -1.23,
      travelRadiusKm: 50,
      availability: { weekdays: [1, 2, 3, 4, 5] },
      offersVirtual: true,
      check: { type: 'DBS', number: '001234567890', checkedOn: '2027-06-01', expiresOn: '2030-06-01' },
    });
    expect((await ok('GET', `/api/v1/ambassadors/${ambassador.id}`)).check).toMatchObject({ type: 'DBS', number: '001234567890' });
    const token = async (role: string, scope: string) => {
      // Made on the suite's virtual clock (a year and more ahead), so that it has not expired by the suite's date.
      const made = await platform.run('node', ['dist/tools/token.js', '--role', role, '--scope', scope, '--name', `${role} privacy`], { DATABASE_URL: platform.databaseUrl, CLOCK: 'virtual' });
      if (made.code !== 0) throw new Error(made.stderr);
      return made.stdout.trim().split(/\s+/).pop()!;
    };
    const as = (t: string, method: string, path: string, body?: unknown) => platform.http(method, path, body, { authorization: `Bearer ${t}` });
    const manager = await token('programme_manager', `programme:${fixture.programmeId}`);
    expect((await as(manager, 'GET', `/api/v1/ambassadors/${ambassador.id}`)).body.check).toMatchObject({ number: '001234567890', expiresOn: '2030-06-01' });
    const school = await token('school_contact', `school:${fixture.schoolIds[0]}`);
    const request = await as(school, 'POST', `/api/v1/schools/${fixture.schoolIds[0]}/ambassador-requests`, {
      activityType: 'Careers talk',
      startsAt: '2028-04-20T09:00:00Z',
      endsAt: '2028-04-20T11:00:00Z',
      keyStages: ['ks3'],
      numberWanted: 1,
    });
    expect(request.status === 201 ? 201 : request.text).toBe(201);
    const seen = [
      await as(school, 'GET', `/api/v1/ambassadors/${ambassador.id}`),
      await as(school, 'GET', '/api/v1/ambassadors'),
      await as(school, 'GET', `/api/v1/schools/${fixture.schoolIds[0]}/ambassador-requests`),
      await as(school, 'GET', `/api/v1/ambassador-requests/${request.body.id}`),
    ];
    expect(seen.map((a) => a.status)).toEqual([403, 403, 200, 200]);
    for (const answer of seen) {
      expect(answer.text).not.toContain('001234567890');
      expect(answer.text).not.toContain('2030-06-01');
      expect(answer.text).not.toMatch(/"check"|DBS|checkNumber|expiresOn/);
    }
    // Schools may not export or erase anyone.
    expect((await as(school, 'GET', `/api/v1/people/${fixturePerson().id}/export`)).status).toBe(403);
    expect((await as(school, 'POST', `/api/v1/people/${fixturePerson().id}/erase`)).status).toBe(403);
  });
});
