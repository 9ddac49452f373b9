import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaughtMessage } from '#notifications/catcher/mail-catcher';
import { FormClient } from '../support/forms.js';
import { eventually, TestPlatform } from '../support/platform.js';
import { addTeacher } from '../support/programme.js';

/** Every address in an email that opens something, by kind: the token is what must stay secret. */
const SECRET_LINK = /\/(e|r|s|u|sign-in)\/([A-Za-z0-9_-]{20,})/g;
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Secrets stay where they belong: the email, the browser, the person holding the token.
 * A run issues every kind of secret stemflow makes (self-evaluation, survey, offer,
 * unsubscribe and dashboard sign-in links, a dashboard session cookie, a stored API token)
 * and opens each, so every one passes through the API's request logs; then neither the
 * logs of the API and the worker, nor any column of any table, nor the API's answers
 * about those emails, nor the privacy export, holds any of them.
 */
describe('secrets in logs and data', () => {
  let platform: TestPlatform;
  let base: string;
  const contact = 'stem.lead@secrets.example.sch.uk';
  const manager = 'priya@secrets.example.org';
  let teacher: { id: string; email: string };
  let programmeId: string;
  /** Each secret issued, and what it is. */
  const secrets = new Map<string, string>();

  const ok = async (method: string, path: string, body?: unknown) => {
    const answer = await platform.http(method, path, body);
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
    return answer.body;
  };
  const moveClock = (iso: string) => ok('POST', '/api/v1/admin/clock', { now: iso });
  const mailTo = (email: string, subject: RegExp) =>
    eventually(async () => {
      const found = platform.catcher.messages.find((m) => m.to.includes(email) && subject.test(m.subject));
      if (!found) throw new Error(`no "${subject}" to ${email} yet`);
      return found;
    });
  /** A page opened as a browser opens it: from the same site, any cookie it holds, the page it came from. */
  const open = (path: string, init: { method?: string; cookie?: string; body?: string; referer?: string } = {}) =>
    fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: {
        origin: base,
        ...(init.referer ? { referer: `${base}${init.referer}` } : {}),
        ...(init.cookie ? { cookie: init.cookie } : {}),
        ...(init.body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: init.body,
    });
  const linksIn = (message: CaughtMessage) =>
    [...`${message.text}\n${message.html ?? ''}\n${JSON.stringify(message.headers)}`.matchAll(SECRET_LINK)].map(([, kind, token]) => ({ kind, token, path: `/${kind}/${token}` }));
  const leaked = (text: string) => [...secrets].filter(([secret]) => text.includes(secret)).map(([secret, what]) => `${what} (${secret})`);

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'secrets', env: { CLOCK: 'virtual', LOG_LEVEL: 'debug' } });
    base = `http://127.0.0.1:${platform.apiPort}`;
    // Tuesday 12 January 2027: the spring term's invitations are already due.
    await moveClock('2027-01-12T10:00:00Z');
    const programme = await ok('POST', '/api/v1/programmes', {
      name: 'Secrets',
      startsOn: '2026-09-01',
      endsOn: '2027-08-31',
      frameworkKey: 'iris-ri',
      kpiDefinition: { completeRecordRequires: ['email'] },
    });
    programmeId = programme.id;
    const cohort = await ok('POST', `/api/v1/programmes/${programme.id}/cohorts`, { name: 'Wave 1', startsOn: '2026-09-01', endsOn: '2027-07-23', calendarKey: 'england', status: 'active' });
    await ok('PUT', `/api/v1/cohorts/${cohort.id}/self-evaluation`, { frameworkKey: 'iris-ri', elementKeys: ['1.5', '2.1'] });
    const partnership = await ok('POST', '/api/v1/partnerships', { name: 'Secrets Partnership', cohortId: cohort.id });
    const school = await ok('POST', '/api/v1/schools', {
      urn: 931_001,
      name: 'Keyhole Academy',
      phase: 'secondary',
      contactName: 'Ola Oyelaran',
      contactEmail: contact,
      latitude: 54.5742,
      longitude: -1.235,
    });
    await ok('POST', `/api/v1/schools/${school.id}/contacts`, { role: 'stem_lead', name: 'Ola Oyelaran', email: contact });
    await ok('POST', `/api/v1/partnerships/${partnership.id}/members`, { schoolId: school.id });

    // An offer link: an ambassador asked to help.
    await ok('POST', '/api/v1/ambassadors', {
      name: 'Jo Okafor',
      email: 'jo@industry.example.com',
      employer: 'Tees Robotics Ltd',
      skills: ['coding'],
      keyStages: ['ks3'],
      postcode: 'TS1 3BA',
      latitude: 54.5842,
      longitude: -1.235,
      travelRadiusKm: 25,
      availability: { weekdays: [1, 2, 3, 4, 5] },
      check: { type: 'DBS', number: '009988776655', checkedOn: '2025-01-01', expiresOn: '2028-01-01' },
    });
    await ok('POST', `/api/v1/schools/${school.id}/ambassador-requests`, {
      activityType: 'Code club visit',
      startsAt: '2027-02-03T14:00:00Z',
      endsAt: '2027-02-03T15:30:00Z',
      keyStages: ['ks3'],
      numberWanted: 1,
      skillsWanted: ['coding'],
    });

    // A survey link: a teacher attends a CPD session.
    teacher = await addTeacher(platform, school.id, 1);
    const course = await ok('POST', '/api/v1/courses', { programmeId: programme.id, title: 'Practical physics', subject: 'science', format: 'local', hours: 6, costPence: 0 });
    const session = await ok('POST', `/api/v1/courses/${course.id}/sessions`, { startsAt: '2027-01-13T09:30:00Z', endsAt: '2027-01-13T15:30:00Z', venue: 'Teesside University', capacity: 20 });
    const booking = await ok('POST', `/api/v1/sessions/${session.id}/bookings`, { personId: teacher.id });
    await mailTo(teacher.email, /^Your place is confirmed/);
    await mailTo(contact, /self-evaluation is open/);
    await mailTo(contact, /^Welcome to Secrets Partnership/);
    await mailTo('jo@industry.example.com', /^Can you help\?/);
    await moveClock('2027-01-13T16:00:00Z');
    await ok('POST', `/api/v1/sessions/${session.id}/register`, { attended: [booking.id], noShow: [] });
    await mailTo(teacher.email, /^Feedback on your CPD/);

    // A stored API token, made with the token tool, for a programme manager who signs in to the dashboard.
    const made = await platform.run('node', ['dist/tools/token.js', '--role', 'programme_manager', '--scope', `programme:${programmeId}`, '--name', 'Priya', '--email', manager], {
      DATABASE_URL: platform.databaseUrl,
    });
    expect(made.code).toBe(0);
    secrets.set(made.stdout.trim(), 'the stored API token');
    expect((await platform.http('GET', `/api/v1/programmes/${programmeId}`, undefined, { authorization: `Bearer ${made.stdout.trim()}` })).status).toBe(200);
    expect((await new FormClient(base).send('/', { email: manager })).status).toBe(303);
    await mailTo(manager, /sign in/i);
  }, 240_000);
  afterAll(async () => {
    await platform?.stop();
  });

  it('opens every kind of link from the emails, and signs in to the dashboard with a session cookie', async () => {
    const links = platform.catcher.messages.flatMap(linksIn);
    for (const link of links) secrets.set(link.token, `a ${link.kind} link`);
    expect(new Set(links.map((l) => l.kind))).toEqual(new Set(['e', 'r', 's', 'u', 'sign-in']));

    for (const link of links.filter((l) => l.kind !== 'sign-in')) {
      expect((await open(link.path)).status).toBe(200);
      // A form sent from the page names the page it came from.
      if (link.kind !== 'u') expect([303, 410]).toContain((await open(`${link.path}/renew`, { method: 'POST', body: '', referer: link.path })).status);
      expect((await open(`${link.path}/nothing-here`)).status).toBe(404);
    }
    const unsubscribe = links.find((l) => l.kind === 'u')!;
    expect((await open(unsubscribe.path, { method: 'POST', body: '', referer: unsubscribe.path })).status).toBe(200);

    const signIn = links.find((l) => l.kind === 'sign-in')!;
    const browser = new FormClient(base);
    expect((await browser.open(signIn.path)).status).toBe(200);
    expect((await browser.send(signIn.path)).status).toBe(303);
    const session = browser.cookie.match(/stemflow_dashboard=([^;]+)/)![1];
    secrets.set(session, 'the dashboard session cookie');
    expect((await browser.open('/dashboard')).status).toBe(200);
    expect((await browser.send('/sign-out')).status).toBe(303);
    expect(secrets.size).toBeGreaterThanOrEqual(8);
  });

  it('keeps the link in an email the admin sends again: it is rendered from the link, not stored', async () => {
    const [survey] = await platform.query(`SELECT id FROM notifications WHERE kind = 'survey.invitation'`);
    await ok('POST', `/api/v1/notifications/${survey.id}/resend`);
    const again = await eventually(async () => {
      const sent = platform.catcher.messages.filter((m) => m.to.includes(teacher.email) && /^Feedback on your CPD/.test(m.subject));
      expect(sent).toHaveLength(2);
      return sent;
    });
    const surveyLinks = again.map((m) => linksIn(m).find((l) => l.kind === 's')!.token);
    expect(surveyLinks[1]).toBe(surveyLinks[0]);
    for (const m of again) for (const link of linksIn(m)) secrets.set(link.token, `a ${link.kind} link`);
  });

  it('sends an email queued before links were derived from LINK_SECRET with its link, which then opens its page, and forgets the link', async () => {
    // As migration 1765520000000 leaves such an email: its random token in clear, under legacyLinks, beside the link's hash.
    const legacyToken = randomBytes(32).toString('base64url');
    const [evaluation] = await platform.query(`SELECT id FROM self_evaluations WHERE kind = 'termly'`);
    await platform.query(
      `INSERT INTO page_links (id, key, token_hash, purpose, subject_type, subject_id, email, expires_at, closes_at, created_at)
       VALUES ($1, 'legacy-link', $2, 'self_evaluation', 'self_evaluation', $3, $4, '2027-03-01', '2027-03-01', '2027-01-10')`,
      [randomUUID(), sha256(legacyToken), evaluation.id, contact],
    );
    const id = randomUUID();
    await platform.query(
      `INSERT INTO notifications (id, idempotency_key, kind, recipient_email, recipient_name, data, status, not_before, attempt_count, message_id, priority, created_at, updated_at)
       VALUES ($1, 'legacy-email', 'page_link.renewed', $2, 'Ola Oyelaran', $3, 'queued', '2027-01-10', 0, $4, 1, '2027-01-10', '2027-01-10')`,
      [
        id,
        contact,
        { recipientName: 'Ola Oyelaran', what: 'your school’s self-evaluation', expiresAt: '2027-03-01T00:00:00.000Z', legacyLinks: { url: `${base}/e/${legacyToken}` } },
        `<${id}@stemflow.test>`,
      ],
    );
    // No job was ever made for it: the worker's sweep for due notifications without one sends it.
    const email = await eventually(async () => {
      const found = platform.catcher.messages.find((m) => m.text.includes(legacyToken));
      if (!found) throw new Error('the queued email has not gone yet');
      return found;
    }, 90_000);
    expect(email.to).toEqual([contact]);
    expect((await open(`/e/${legacyToken}`)).status).toBe(200);
    await eventually(async () => expect(await platform.query(`SELECT status, data ? 'legacyLinks' AS clear FROM notifications WHERE id = $1`, [id])).toEqual([{ status: 'sent', clear: false }]));
    secrets.set(legacyToken, 'a link from before LINK_SECRET');
  }, 120_000);

  it('answers no token about the emails, in the notifications list or in the privacy export', async () => {
    const list = await platform.http('GET', '/api/v1/notifications?pageSize=100');
    expect(list.body.total).toBeGreaterThanOrEqual(6);
    expect(leaked(list.text)).toEqual([]);
    for (const email of [teacher.email, contact, manager]) expect(leaked((await platform.http('GET', `/api/v1/notifications/recipients/${encodeURIComponent(email)}`)).text)).toEqual([]);
    const exported = await platform.http('GET', `/api/v1/people/${teacher.id}/export`);
    expect(exported.status).toBe(200);
    expect(leaked(exported.text)).toEqual([]);
  });

  it('stores no token, cookie or API token anywhere in the database: only their hashes', async () => {
    await eventually(async () => expect(await platform.query(`SELECT id FROM notifications WHERE status = 'sending'`)).toEqual([]));
    const tables = await platform.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`);
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['notifications', 'page_links', 'dashboard_sessions', 'api_tokens', 'audit_log', 'outbox_events']));
    let dump = '';
    for (const { table_name } of tables) {
      for (const row of await platform.query<{ line: string }>(`SELECT t::text AS line FROM "${table_name}" t`)) dump += `${table_name}: ${row.line}\n`;
    }
    expect(leaked(dump)).toEqual([]);
    // The dump is real: what opens each secret is there, as a hash only.
    for (const secret of secrets.keys()) expect(dump).toContain(sha256(secret));
  });

  it('logs every page opened, and in the logs of the API and the worker no token, cookie or API token', async () => {
    // The last request, so that its line in the log says everything before it is there too.
    expect((await platform.http('GET', `/api/v1/programmes/${programmeId}`, undefined, { 'x-request-id': 'secrets-last-request' })).status).toBe(200);
    await Promise.all([...platform.workers, platform.api!].map((child) => platform.kill(child, 'SIGTERM')));
    const logs = await eventually(async () => {
      const files = readdirSync(platform.artifactsDir).filter((f) => f.endsWith('.log'));
      expect(files).toEqual(expect.arrayContaining(['api.log', 'worker-1.log']));
      const text = files.map((f) => readFileSync(join(platform.artifactsDir, f), 'utf8')).join('\n');
      expect(text).toContain('"secrets-last-request"');
      return text;
    });
    for (const kind of ['e', 'r', 's', 'u', 'sign-in']) expect(logs).toContain(`"/${kind}/[redacted]`);
    expect(logs).toMatch(/"set-cookie":"\[redacted\]"/);
    expect(logs).toMatch(/"cookie":"\[redacted\]"/);
    expect(logs).toMatch(/"notification sent"/);
    expect(leaked(logs)).toEqual([]);
  });
});
