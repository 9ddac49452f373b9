import { linkIn } from '../support/browser.js';
import { eventually, TestPlatform } from '../support/platform.js';

/**
 * A cohort's termly self-evaluation on the virtual clock: invitations after each term
 * starts (never to a withdrawn school; at once to one joining mid-term), reminders only to
 * schools that have not submitted, the lead told exactly which are overdue, and on
 * submission a comparison with last term.
 */
describe('a cohort term run of self-evaluation', () => {
  let platform: TestPlatform;
  let cohortId: string;
  let partnershipId: string;
  const schools: Record<'A' | 'B' | 'C' | 'W' | 'D', { id: string; email: string; name: string }> = {} as never;
  const lead = 'lead@oakvalley.example.org';

  const ok = async (method: string, path: string, body?: unknown) => {
    const answer = await platform.http(method, path, body);
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
    return answer.body;
  };
  const moveClock = (iso: string) => ok('POST', '/api/v1/admin/clock', { now: iso });
  const mail = (subject: RegExp) => platform.catcher.messages.filter((m) => subject.test(m.subject));
  const recipients = (subject: RegExp) =>
    mail(subject)
      .map((m) => m.to[0])
      .sort();
  const emails = (...keys: Array<keyof typeof schools>) => keys.map((k) => schools[k].email).sort();
  const invitationOf = (key: keyof typeof schools, term: string) => mail(new RegExp(`^Your ${term} self-evaluation is open`)).find((m) => m.to.includes(schools[key].email))!;

  /** The school's page, posted as the browser would. */
  async function post(url: string, fields: Record<string, string>) {
    const answer = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: platform.baseUrl },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
    return answer.status;
  }

  async function join(key: keyof typeof schools, urn: number) {
    const email = `stem.lead@school-${key.toLowerCase()}.example.sch.uk`;
    const school = await ok('POST', '/api/v1/schools', { urn, name: `Oak Valley School ${key}`, phase: 'secondary', contactName: `Contact ${key}`, contactEmail: email });
    await ok('POST', `/api/v1/partnerships/${partnershipId}/members`, { schoolId: school.id });
    schools[key] = { id: school.id, email, name: school.name };
  }

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'self-evaluation-term', env: { CLOCK: 'virtual' } });
    await moveClock('2026-12-01T10:00:00Z');
    const programme = await ok('POST', '/api/v1/programmes', {
      name: 'Aspire Term',
      startsOn: '2026-09-01',
      endsOn: '2027-08-31',
      frameworkKey: 'iris-ri',
      kpiDefinition: { completeRecordRequires: ['email'] },
    });
    cohortId = (await ok('POST', `/api/v1/programmes/${programme.id}/cohorts`, { name: 'Wave 1', startsOn: '2026-09-01', endsOn: '2027-07-23', calendarKey: 'england', status: 'active' })).id;
    const leadPerson = await ok('POST', '/api/v1/people', { name: 'Lee Lead', email: lead, role: 'educational_lead' });
    partnershipId = (await ok('POST', '/api/v1/partnerships', { name: 'Oak Valley Partnership', cohortId, educationalLeadId: leadPerson.id })).id;
    await join('A', 940_001);
    await join('B', 940_002);
    await join('C', 940_003);
    await join('W', 940_004);
    expect((await ok('GET', `/api/v1/cohorts/${cohortId}/self-evaluation`)).chosen).toBe(false);
    await ok('PUT', `/api/v1/cohorts/${cohortId}/self-evaluation`, { frameworkKey: 'iris-ri', elementKeys: ['1.5', '2.1'] });
    await ok('POST', `/api/v1/schools/${schools.W.id}/status`, { status: 'withdrawn', reason: 'New head, stepping back' });
    await eventually(async () => expect(mail(/^Welcome to Oak Valley Partnership/)).toHaveLength(4));
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('refuses a choice naming elements the framework does not have', async () => {
    const refused = await platform.http('PUT', `/api/v1/cohorts/${cohortId}/self-evaluation`, { frameworkKey: 'iris-ri', elementKeys: ['1.5', '9.9'] });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.text).toContain('elementKeys[1]');
    expect((await ok('GET', `/api/v1/cohorts/${cohortId}/self-evaluation`)).elementKeys).toEqual(['1.5', '2.1']);
  });

  it('invites every active school after the term starts, and not the withdrawn one', async () => {
    // Spring starts on Monday 4 January 2027; invitations three days later.
    await moveClock('2027-01-07T10:00:00Z');
    await eventually(async () => expect(recipients(/^Your 2026\/27 spring self-evaluation is open/)).toEqual(emails('A', 'B', 'C')));
    const [withdrawn] = await platform.query(`SELECT status, reason FROM scheduled_actions WHERE kind = 'self_evaluation.open' AND subject_id = $1 AND payload->>'termLabel' = '2026/27 spring'`, [
      schools.W.id,
    ]);
    expect(withdrawn).toEqual({ status: 'superseded', reason: 'the school has withdrawn' });
    const status = await ok('GET', `/api/v1/cohorts/${cohortId}/self-evaluations?term=2026/27%20spring`);
    expect(status.schools.map((s: { schoolName: string; status: string }) => `${s.schoolName}: ${s.status}`)).toEqual([
      'Oak Valley School A: not started',
      'Oak Valley School B: not started',
      'Oak Valley School C: not started',
      'Oak Valley School W: not invited',
    ]);
  });

  it('A submits, B saves a draft; a school joining mid-term is invited at once', async () => {
    expect(await post(linkIn(invitationOf('A', '2026/27 spring'), 'e'), { 'level-0': '1', 'evidence-0': 'Minutes', 'next-0': 'Review', 'level-1': '2', action: 'submit' })).toBe(303);
    expect(await post(linkIn(invitationOf('B', '2026/27 spring'), 'e'), { 'level-0': '2', action: 'draft' })).toBe(303);
    await eventually(async () => expect(recipients(/^Oak Valley School A: 2026\/27 spring self-evaluation submitted$/)).toEqual([lead, schools.A.email].sort()));

    await moveClock('2027-01-20T10:00:00Z');
    await join('D', 940_005);
    await eventually(async () => expect(recipients(/^Your 2026\/27 spring self-evaluation is open/)).toEqual(emails('A', 'B', 'C', 'D')));
    const status = await ok('GET', `/api/v1/cohorts/${cohortId}/self-evaluations?term=2026/27%20spring`);
    expect(Object.fromEntries(status.schools.map((s: { schoolName: string; status: string }) => [s.schoolName.slice(-1), s.status]))).toEqual({
      A: 'submitted',
      B: 'draft',
      C: 'not started',
      D: 'not started',
      W: 'not invited',
    });
  });

  it('reminds only the schools that have not submitted, each time with a working link', async () => {
    // A week before the 4 February deadline, and two days before it.
    await moveClock('2027-01-28T10:00:00Z');
    await eventually(async () => expect(recipients(/^Reminder: .*2026\/27 spring self-evaluation/)).toEqual(emails('B', 'C')));
    const [skipped] = await platform.query(
      `SELECT a.status, a.reason FROM scheduled_actions a JOIN self_evaluations e ON e.id = a.subject_id WHERE a.key LIKE 'reminder:self-evaluation-week-before:%' AND e.school_id = $1 AND e.term_label = '2026/27 spring'`,
      [schools.A.id],
    );
    expect(skipped).toEqual({ status: 'superseded', reason: 'the school has submitted its self-evaluation' });
    const reminder = mail(/^Reminder: /).find((m) => m.to.includes(schools.C.email))!;
    expect((await fetch(linkIn(reminder, 'e'))).status).toBe(200);

    await moveClock('2027-02-02T10:00:00Z');
    await eventually(async () => expect(recipients(/^Reminder: .*2026\/27 spring self-evaluation/)).toEqual(emails('B', 'B', 'C', 'C')));
  });

  it('tells the educational lead exactly which schools are overdue, once', async () => {
    await moveClock('2027-02-05T10:00:00Z');
    const [notice] = await eventually(async () => {
      const found = mail(/^Oak Valley Partnership: .* not submitted the 2026\/27 spring self-evaluation$/);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(notice.to).toEqual([lead]);
    expect(notice.subject).toBe('Oak Valley Partnership: 2 schools have not submitted the 2026/27 spring self-evaluation');
    const listed = notice.text
      .split('\n')
      .filter((l) => l.startsWith('- '))
      .map((l) => l.replace(/ \(.*$/, ''));
    // D joined late and has until 17 February; A submitted; W withdrew.
    expect(listed).toEqual(['- Oak Valley School B', '- Oak Valley School C']);
    expect(notice.text).toContain('Oak Valley School B (draft saved');
  });

  it('on submission in the summer term, compares each element with the spring', async () => {
    // Summer starts Monday 12 April 2027.
    await moveClock('2027-04-15T10:00:00Z');
    await eventually(async () => expect(recipients(/^Your 2026\/27 summer self-evaluation is open/)).toEqual(emails('A', 'B', 'C', 'D')));
    const page = await fetch(linkIn(invitationOf('A', '2026/27 summer'), 'e'));
    expect(await page.text()).toContain('Last time (2026/27 spring) you chose: <strong>Starting out</strong>');
    expect(await post(linkIn(invitationOf('A', '2026/27 summer'), 'e'), { 'level-0': '2', 'level-1': '2', action: 'submit' })).toBe(303);
    const compared = await eventually(async () => {
      const found = mail(/^Oak Valley School A: 2026\/27 summer self-evaluation submitted$/);
      expect(found.map((m) => m.to[0]).sort()).toEqual([lead, schools.A.email].sort());
      return found;
    });
    for (const message of compared) {
      expect(message.text).toContain('Compared with 2026/27 spring:');
      expect(message.text).toContain('- 1.5 Practices: Self-evaluation: Starting out → Embedding (up)');
      expect(message.text).toContain('- 2.1 Practical STEM: Embedding → Embedding (same)');
    }
  });

  it('takes a framework uploaded as JSON, refuses a malformed one, and a cohort can choose it', async () => {
    const grid = {
      key: 'oak-valley-grid',
      name: 'Oak Valley STEM grid',
      levels: ['Emerging', 'Developing', 'Secure'],
      groups: [
        {
          name: 'Leadership',
          elements: [
            { key: 'vision', name: 'Vision for STEM', summary: 'Why STEM matters here.' },
            { key: 'time', name: 'Time for STEM' },
          ],
        },
      ],
    };
    const uploaded = await platform.http('POST', '/api/v1/frameworks', grid);
    expect(uploaded.status).toBe(201);
    expect((await ok('GET', '/api/v1/frameworks')).map((f: { key: string }) => f.key)).toEqual(['iris-ri', 'scotland-stem-sei', 'ats-maturity', 'ats-subject-rating', 'oak-valley-grid']);
    expect((await ok('GET', '/api/v1/frameworks/oak-valley-grid')).groups[0].elements[1]).toEqual({ key: 'time', code: null, name: 'Time for STEM', summary: '' });
    const again = await platform.http('POST', '/api/v1/frameworks', grid);
    expect(again.status).toBe(400);
    expect(again.text).toContain('is already the key of another framework');
    const repeated = await platform.http('POST', '/api/v1/frameworks', {
      ...grid,
      key: 'broken-grid',
      groups: [
        {
          name: 'G',
          elements: [
            { key: 'a', name: 'A' },
            { key: 'a', name: 'B' },
          ],
        },
      ],
    });
    expect(repeated.status).toBe(400);
    expect(repeated.text).toContain('groups[0].elements[1].key');
    expect((await platform.http('GET', '/api/v1/frameworks/broken-grid')).status).toBe(404);
    const chosen = await ok('PUT', `/api/v1/cohorts/${cohortId}/self-evaluation`, { frameworkKey: 'oak-valley-grid', elementKeys: ['vision'] });
    expect(chosen).toMatchObject({ frameworkKey: 'oak-valley-grid', elementKeys: ['vision'] });
  });
});
