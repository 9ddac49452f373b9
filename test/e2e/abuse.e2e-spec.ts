import { request as httpRequest, Agent } from 'node:http';
import { strFromU8, unzipSync } from 'fflate';
import { Redis } from 'ioredis';
import { FormClient } from '../support/forms.js';
import { eventually, TestPlatform } from '../support/platform.js';
import { buildProgramme } from '../support/programme.js';

/**
 * What someone trying to wear stemflow down would send: page requests by the hundred, sign-in
 * emails to one address, JSON nested a megabyte deep, two thousand health probes at once,
 * addresses with line breaks in them, and names that a spreadsheet would run as formulas.
 */
const BAD_ADDRESS = '"stem\r\nlead"@example.org';
const SIGN_IN_SUBJECT = 'Sign in to the stemflow dashboard';

describe('abuse and bad input', () => {
  let platform: TestPlatform;
  let fixture: Awaited<ReturnType<typeof buildProgramme>>;
  const base = () => `http://127.0.0.1:${platform.apiPort}`;

  /** Forgets every client's page count, so each test starts with a whole minute's allowance. */
  async function forgetPageCounts(): Promise<void> {
    const redis = new Redis(platform.redisUrl);
    try {
      const keys = await redis.keys(`${platform.queuePrefix}:limits:pages:*`);
      if (keys.length > 0) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
  }

  /** One browser asking for sign-in links, its form token read from the sign-in page. */
  let signInForm: FormClient;

  /** One request to one kind of page reached from an email, or the sign-in form, in turn. */
  const pageRequest = (i: number, headers: Record<string, string> = {}) => {
    const kind = i % 5;
    if (kind === 4) return signInForm.send('/', { email: `nobody${i}@abuse.example.org` }, headers);
    return fetch(`${base()}/${['u', 'e', 's', 'r'][kind]}/guess-${i}-abcdefghijklmnopqrstuvwxyz`, { headers });
  };

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'abuse', env: { PAGE_REQUESTS_PER_MINUTE: '100', SIGN_IN_EMAILS_PER_HOUR: '3' } });
    fixture = await buildProgramme(platform, { name: 'Abuse', schools: 1, urnBase: 930_000 });
    signInForm = new FormClient(base, () => platform.baseUrl);
    await signInForm.open('/');
  });
  afterAll(async () => {
    await platform?.stop();
  });
  beforeEach(forgetPageCounts);

  it('refuses an address with a line break wherever one comes in, storing nothing', async () => {
    const tables = ['people', 'ambassadors', 'schools', 'school_contacts', 'programmes', 'api_tokens', 'outbox_events'];
    const counts = async () => Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await platform.count(t)])));
    const before = await counts();
    const person = { schoolId: fixture.schoolIds[0], name: 'Sam Patel', role: 'teacher' };
    const refusals: Array<[string, string, unknown, string]> = [
      ['POST', '/api/v1/people', { ...person, email: BAD_ADDRESS }, 'email'],
      ['POST', '/api/v1/people', { ...person, name: 'Sam\r\nPatel', email: 'sam@abuse.example.org' }, 'name'],
      ['POST', `/api/v1/schools/${fixture.schoolIds[0]}/contacts`, { role: 'stem_lead', name: 'Sam Patel', email: BAD_ADDRESS }, 'email'],
      ['POST', '/api/v1/schools', { urn: 930_500, name: 'Line Break Academy', phase: 'primary', contactEmail: BAD_ADDRESS }, 'contactEmail'],
      ['POST', '/api/v1/schools', { urn: 930_501, name: 'Line Break Academy', phase: 'primary', contactName: 'Sam\nPatel' }, 'contactName'],
      ['POST', '/api/v1/programmes', { name: 'Broken team', funder: 'F', startsOn: '2026-09-01', endsOn: '2027-08-31', frameworkKey: 'ats-maturity', teamEmail: BAD_ADDRESS }, 'teamEmail'],
      [
        'POST',
        '/api/v1/ambassadors',
        {
          name: 'Jo Okafor',
          email: BAD_ADDRESS,
          keyStages: ['ks2'],
          postcode: 'TS1 3BA',
          latitude: 54.57,
          longitude: -1.23,
          travelRadiusKm: 30,
          availability: { weekdays: [1, 2] },
          check: { type: 'DBS', number: '001234567890', checkedOn: '2025-06-01', expiresOn: '2029-06-01' },
        },
        'email',
      ],
    ];
    for (const [method, path, body, field] of refusals) {
      const answer = await platform.http(method, path, body);
      expect({ path, status: answer.status, type: answer.headers.get('content-type') }).toEqual({ path, status: 400, type: expect.stringContaining('application/problem+json') });
      expect(answer.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await counts()).toEqual(before);

    const teacher = await platform.http('POST', '/api/v1/people', { ...person, email: 'sam.patel@abuse.example.org' });
    expect(teacher.status).toBe(201);
    const patch = await platform.http('PATCH', `/api/v1/people/${teacher.body.id}`, { email: BAD_ADDRESS });
    expect(patch.status).toBe(400);
    expect((await platform.query('SELECT email FROM people WHERE id = $1', [teacher.body.id]))[0].email).toBe('sam.patel@abuse.example.org');

    // The school import reports the row and imports the others; a name's line break is flattened.
    const csv = [
      'URN,EstablishmentName,PhaseOfEducation (name),ContactName,ContactEmail',
      `930600,Quoted Address Primary,Primary,Sam Patel,"""stem\r\nlead""@example.org"`,
      '930601,"Two Line\r\nAcademy",Secondary,"Kim\nLead",kim@abuse.example.org',
    ].join('\n');
    const imported = await platform.http('POST', '/api/v1/schools/import', csv);
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ created: 1, errors: [{ line: expect.any(Number), message: expect.stringContaining('ContactEmail') }] });
    expect(await platform.query('SELECT urn, name, contact_name FROM schools WHERE urn IN (930600, 930601)')).toEqual([{ urn: 930601, name: 'Two Line Academy', contact_name: 'Kim Lead' }]);

    // The sign-in form and the token tool hold to the same rule.
    const tokensAndSignIns = async () => [await platform.count('api_tokens'), await platform.count(`outbox_events WHERE type = 'dashboard.sign_in_requested'`)];
    const beforeSignIn = await tokensAndSignIns();
    const signIn = await signInForm.send('/', { email: BAD_ADDRESS });
    expect(signIn.status).toBe(422);
    const tool = await platform.run('node', ['dist/tools/token.js', '--role', 'programme_manager', '--scope', `programme:${fixture.programmeId}`, '--email', BAD_ADDRESS], {
      DATABASE_URL: platform.databaseUrl,
    });
    expect(tool.code).toBe(2);
    expect(tool.stderr).toContain('without spaces, line breaks or control characters');

    expect(await tokensAndSignIns()).toEqual(beforeSignIn);
  });

  it('refuses JSON nested deeper than 32 levels with a 400, storing nothing', async () => {
    const before = await platform.count('programmes');
    const nested = (depth: number) => `{"name": ${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
    for (const body of [nested(33), nested(5_000), '['.repeat(900_000)]) {
      const answer = await platform.http('POST', '/api/v1/programmes', body, { 'content-type': 'application/json' });
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body.detail).toBe('The body nests objects or arrays more than 32 levels deep.');
    }
    // At 32 levels the body is read, and refused for what it says, not for its depth.
    const shallow = await platform.http('POST', '/api/v1/programmes', nested(32), { 'content-type': 'application/json' });
    expect(shallow.status).toBe(400);
    expect(shallow.body.detail).not.toContain('levels deep');
    expect(await platform.count('programmes')).toBe(before);
  });

  it('neutralises cells that would start a formula in a report CSV and in the zip, and leaves numbers alone', async () => {
    const formula = '=HYPERLINK("http://evil.example","Open")';
    const made = await platform.http('POST', '/api/v1/partnerships', { name: formula, area: '@Tees', cohortId: fixture.cohortId, budgetPounds: 1_000 });
    expect(made.status).toBe(201);
    const quoted = `"'=HYPERLINK(""http://evil.example"",""Open"")"`;
    const csv = await platform.http('GET', `/api/v1/reports/budget-by-partnership?programmeId=${fixture.programmeId}&format=csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.text.split('\n')).toContain(`Wave 1,${quoted},1000.00,0.00,0.00,0.00,1000.00`);
    expect(csv.text).not.toMatch(/(^|,)=HYPERLINK/m);

    const zip = await fetch(`${base()}/api/v1/reports/export.zip?programmeId=${fixture.programmeId}`, { headers: { authorization: 'Bearer test-admin-token-0123456789' } });
    const budget = strFromU8(unzipSync(new Uint8Array(await zip.arrayBuffer()))['budget.csv']);
    expect(budget).toContain(`Wave 1,${quoted},1000.00`);
    expect(budget).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  it('sends one address only a few sign-in emails an hour, answering every request the same', async () => {
    const made = await platform.run('node', ['dist/tools/token.js', '--role', 'programme_manager', '--scope', `programme:${fixture.programmeId}`, '--email', 'capped@abuse.example.org'], {
      DATABASE_URL: platform.databaseUrl,
    });
    expect(made.code).toBe(0);
    const pages = new Set<string>();
    for (let i = 0; i < 8; i += 1) {
      const answer = await signInForm.send('/', { email: i % 2 ? 'Capped@Abuse.example.org' : 'capped@abuse.example.org' });
      expect(answer.status).toBe(303);
      pages.add(answer.headers.get('location')!);
    }
    expect(pages.size).toBe(1);
    // SIGN_IN_EMAILS_PER_HOUR is 3 here: the API decides before anything is queued.
    expect(await platform.count(`outbox_events WHERE type = 'dashboard.sign_in_requested'`)).toBe(3);
    await eventually(async () => {
      expect(await platform.count(`outbox_events WHERE type = 'dashboard.sign_in_requested' AND published_at IS NULL`)).toBe(0);
      expect(await platform.count(`notifications WHERE recipient_email = 'capped@abuse.example.org' AND status <> 'sent'`)).toBe(0);
      expect(platform.catcher.messages.filter((m) => m.subject === SIGN_IN_SUBJECT && m.to.includes('capped@abuse.example.org'))).toHaveLength(3);
    });
    expect(await platform.count(`notifications WHERE recipient_email = 'capped@abuse.example.org'`)).toBe(3);
  });

  it('answers 2,000 concurrent health probes, each with 200 or a quick 503, and drops none', async () => {
    // node:http rather than fetch: fetch gives up connecting after 10 s on a busy machine.
    const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
    const probe = () =>
      new Promise<{ status: number; retryAfter?: string } | { error: string }>((done) => {
        const req = httpRequest(`${base()}/health`, { agent }, (res) => {
          res.resume();
          res.on('end', () => done({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined }));
          res.on('error', (error) => done({ error: error.message }));
        });
        req.on('error', (error) => done({ error: `${(error as NodeJS.ErrnoException).code ?? ''} ${error.message}` }));
        req.end();
      });
    let sampling = true;
    let mostConnections = 0;
    const sampler = (async () => {
      while (sampling) {
        const [{ n }] = await platform.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'stemflow-api' AND state <> 'idle'`,
        );
        mostConnections = Math.max(mostConnections, n);
      }
    })();
    const answers = await Promise.all(Array.from({ length: 2_000 }, probe));
    sampling = false;
    await sampler;
    agent.destroy();
    const dropped = answers.filter((a) => 'error' in a);
    expect(dropped).toEqual([]);
    const statuses = answers.map((a) => ('status' in a ? a.status : 0));
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    expect(answers.filter((a) => 'status' in a && a.status === 503 && !a.retryAfter)).toEqual([]);
    // One look at the database a second answers every probe; before, each held a connection.
    expect(mostConnections).toBeLessThanOrEqual(2);
    process.stdout.write(
      `abuse: 2000 concurrent /health: ${statuses.filter((s) => s === 200).length} × 200, ${statuses.filter((s) => s === 503).length} × 503, most busy API connections ${mostConnections}\n`,
    );
    expect((await fetch(`${base()}/health`)).status).toBe(200);
  }, 120_000);

  it('answers the 101st page request in a minute, across every kind of page, with 429 and Retry-After; a forged X-Forwarded-For does not reset it', async () => {
    for (let i = 0; i < 100; i += 1) {
      const answer = await pageRequest(i, { 'x-forwarded-for': `203.0.113.${i}` });
      expect({ i, status: answer.status }).toEqual({ i, status: i % 5 === 4 ? 303 : 404 });
    }
    for (let i = 100; i < 105; i += 1) {
      const answer = await pageRequest(i, { 'x-forwarded-for': `198.51.100.${i}` });
      expect(answer.status).toBe(429);
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }
    // A browser is shown a page saying to wait.
    const page = await fetch(`${base()}/s/guess-abcdefghijklmnopqrstuvwxyz`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(page.status).toBe(429);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await page.text()).toContain('Please wait a moment');
  });

  it('behind a trusted proxy, counts each forwarded client on its own, and a client cannot forge its way past', async () => {
    await platform.kill(platform.api!, 'SIGTERM');
    await platform.startApi({ TRUST_PROXY: 'loopback' });
    for (let i = 0; i < 100; i += 1) {
      // The proxy appends the address it saw; what the client claimed comes before it and is not believed.
      const answer = await pageRequest(i, { 'x-forwarded-for': `10.9.8.${i}, 192.0.2.10` });
      expect({ i, status: answer.status }).toEqual({ i, status: i % 5 === 4 ? 303 : 404 });
    }
    expect((await pageRequest(100, { 'x-forwarded-for': '192.0.2.10' })).status).toBe(429);
    expect((await pageRequest(101, { 'x-forwarded-for': '10.0.0.1, 192.0.2.10' })).status).toBe(429);
    expect((await pageRequest(102, { 'x-forwarded-for': '192.0.2.11' })).status).toBe(404);
    expect((await pageRequest(103)).status).toBe(404);
  });
});
