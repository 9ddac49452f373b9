import { createHash, randomUUID } from 'node:crypto';
import { FormClient } from '../support/forms.js';
import { eventually, TestPlatform, type HttpAnswer } from '../support/platform.js';
import { buildProgramme, type ProgrammeFixture } from '../support/programme.js';

/**
 * API tokens through the API and the token tool: made with a role and a scope that fit
 * and a record that exists, used, listed without their secrets, revoked with effect from
 * the next request, expired on the platform's clock, dashboard sessions ending with their
 * token; a programme manager handing out tokens only inside their own programme.
 */
describe('tokens: made, used, listed, revoked, expired', () => {
  let platform: TestPlatform;
  let A: ProgrammeFixture;
  let B: ProgrammeFixture;
  let ambassadorId: string;
  /** Every secret the suite was given: none may ever be listed. */
  const secrets: string[] = [];

  const ok = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const answer = await platform.http(method, path, body, headers);
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
    return answer.body;
  };
  const as = (secret: string, method: string, path: string, body?: unknown) => platform.http(method, path, body, { authorization: `Bearer ${secret}` });
  const now = async () => new Date((await ok('GET', '/api/v1/admin/clock')).now);
  const moveClock = (instant: Date) => ok('POST', '/api/v1/admin/clock', { now: instant.toISOString() });
  const days = (n: number) => n * 86_400_000;
  const fields = (answer: HttpAnswer) => (answer.body.errors ?? []).map((e: { field: string }) => e.field);
  const made = (answer: HttpAnswer) => {
    if (answer.status !== 201) throw new Error(`POST /api/v1/tokens: ${answer.status} ${answer.text}`);
    secrets.push(answer.body.token);
    return answer.body as { id: string; token: string; expiresAt: string; createdAt: string; scope: string | null };
  };
  const tool = (args: string[], env: Record<string, string> = {}) => platform.run('node', ['dist/tools/token.js', ...args], { DATABASE_URL: platform.databaseUrl, CLOCK: 'virtual', ...env });

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'tokens', env: { CLOCK: 'virtual', API_TOKEN_TTL_DAYS: '200' } });
    await moveClock(new Date('2027-01-05T08:00:00Z'));
    A = await buildProgramme(platform, { name: 'Tokens A', schools: 2, urnBase: 871_000 });
    B = await buildProgramme(platform, { name: 'Tokens B', schools: 1, urnBase: 872_000 });
    ambassadorId = (
      await ok('POST', '/api/v1/ambassadors', {
        name: 'Tam Tokens',
        email: 'tam@industry.example.com',
        employer: 'Tees Engineering',
        sector: 'Engineering',
        skills: ['robotics'],
        keyStages: ['ks3'],
        postcode: 'TS1 3BA',
        latitude: 54.57,
        longitude: -1.23,
        travelRadiusKm: 50,
        availability: { weekdays: [1, 2, 3, 4, 5] },
        offersVirtual: true,
      })
    ).id;
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('makes a token whose secret is shown once, lets it work, lists it without the secret, and refuses it from the moment it is revoked', async () => {
    const at = await now();
    const answer = await platform.http('POST', '/api/v1/tokens', { name: 'Lead of A', role: 'educational_lead', scope: `partnership:${A.partnershipId.toUpperCase()}`, email: 'Lead@A.example.org' });
    const token = made(answer);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(token).toMatchObject({ role: 'educational_lead', scope: `partnership:${A.partnershipId}`, email: 'lead@a.example.org', revokedAt: null, createdAt: at.toISOString() });
    expect(token.token).toMatch(/^sf_[A-Za-z0-9_-]{43}$/);
    // API_TOKEN_TTL_DAYS is 200 in this suite.
    expect(token.expiresAt).toBe(new Date(at.getTime() + days(200)).toISOString());

    expect((await as(token.token, 'GET', `/api/v1/partnerships/${A.partnershipId}`)).status).toBe(200);
    expect((await as(token.token, 'GET', `/api/v1/partnerships/${B.partnershipId}`)).status).toBe(404);

    const listed = await ok('GET', '/api/v1/tokens');
    const item = listed.items.find((t: { id: string }) => t.id === token.id);
    expect(item).toEqual({
      id: token.id,
      name: 'Lead of A',
      role: 'educational_lead',
      scope: `partnership:${A.partnershipId}`,
      email: 'lead@a.example.org',
      createdAt: token.createdAt,
      expiresAt: token.expiresAt,
      revokedAt: null,
      lastUsedAt: at.toISOString(),
    });

    const revoked = await ok('POST', `/api/v1/tokens/${token.id}/revoke`);
    expect(revoked.revokedAt).toBe(at.toISOString());
    const refused = await as(token.token, 'GET', `/api/v1/partnerships/${A.partnershipId}`);
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toBe('That token has been revoked.');
    // Revoking again changes nothing.
    expect(await ok('POST', `/api/v1/tokens/${token.id}/revoke`)).toEqual(revoked);
    // The bootstrap ADMIN_TOKEN is not stored, so there is nothing to revoke; an unknown id is absent.
    expect((await platform.http('POST', `/api/v1/tokens/${randomUUID()}/revoke`)).status).toBe(404);
    expect((await platform.http('GET', '/api/v1/programmes')).status).toBe(200);

    // Every write is audited, the making and each revocation.
    const audit = await ok('GET', `/api/v1/audit?subjectType=tokens&subjectId=${token.id}`);
    expect(audit.items.map((r: { route: string; status: number }) => [r.route, r.status])).toEqual([
      ['/api/v1/tokens/:id/revoke', 200],
      ['/api/v1/tokens/:id/revoke', 200],
    ]);
    expect(
      (await ok('GET', '/api/v1/audit?pageSize=200')).items.some((r: { route: string; method: string; status: number }) => r.route === '/api/v1/tokens' && r.method === 'POST' && r.status === 201),
    ).toBe(true);
  });

  it('refuses a machine token named as one still in use, whatever the case, and frees the name once that token is revoked', async () => {
    const first = made(await platform.http('POST', '/api/v1/tokens', { name: 'Nightly export', role: 'school_contact', scope: `school:${A.schoolIds[0]}` }));
    const again = await platform.http('POST', '/api/v1/tokens', { name: 'NIGHTLY export ', role: 'school_contact', scope: `school:${A.schoolIds[1]}` });
    expect({ status: again.status, fields: fields(again) }).toEqual({ status: 409, fields: ['name'] });
    await expect(platform.query(`SELECT count(*)::int AS n FROM api_tokens WHERE lower(name) = 'nightly export'`)).resolves.toEqual([{ n: 1 }]);
    expect((await platform.http('POST', `/api/v1/tokens/${first.id}/revoke`)).status).toBeLessThan(300);
    made(await platform.http('POST', '/api/v1/tokens', { name: 'Nightly export', role: 'school_contact', scope: `school:${A.schoolIds[0]}` }));
  });

  it('expires a token on the platform clock, answering that it expired; lifetimes are chosen within limits', async () => {
    const at = await now();
    const short = made(await platform.http('POST', '/api/v1/tokens', { name: 'Two days', role: 'school_contact', scope: `school:${A.schoolIds[0]}`, expiresInDays: 2 }));
    expect(short.expiresAt).toBe(new Date(at.getTime() + days(2)).toISOString());
    expect((await as(short.token, 'GET', `/api/v1/schools/${A.schoolIds[0]}`)).status).toBe(200);

    for (const expiresInDays of [0, 3651, 1.5, '7']) {
      const refused = await platform.http('POST', '/api/v1/tokens', { name: 'Bad lifetime', role: 'school_contact', scope: `school:${A.schoolIds[0]}`, expiresInDays });
      expect({ expiresInDays, status: refused.status, fields: fields(refused) }).toEqual({ expiresInDays, status: 400, fields: expect.arrayContaining(['expiresInDays']) });
    }
    const fromTool = await tool(['--role', 'school_contact', '--scope', `school:${A.schoolIds[1]}`, '--name', 'Tool, five days', '--expires-in-days', '5']);
    expect(fromTool.code).toBe(0);
    secrets.push(fromTool.stdout.trim());
    const [stored] = await platform.query(`SELECT created_at, expires_at FROM api_tokens WHERE name = 'Tool, five days'`);
    // Made on the platform's (virtual) clock, not the machine's.
    expect(stored.created_at.toISOString()).toBe(at.toISOString());
    expect(stored.expires_at.toISOString()).toBe(new Date(at.getTime() + days(5)).toISOString());
    const badTool = await tool(['--role', 'school_contact', '--scope', `school:${A.schoolIds[1]}`, '--expires-in-days', 'forever']);
    expect(badTool.code).toBe(2);
    expect(badTool.stderr).toContain('--expires-in-days must be a whole number of days from 1 to 3650');

    await moveClock(new Date(at.getTime() + days(2)));
    const expired = await as(short.token, 'GET', `/api/v1/schools/${A.schoolIds[0]}`);
    expect(expired.status).toBe(401);
    expect(expired.body.detail).toBe(`That token expired at ${short.expiresAt}; ask for a new one.`);
    expect((await as(fromTool.stdout.trim(), 'GET', `/api/v1/schools/${A.schoolIds[1]}`)).status).toBe(200);
  });

  it('refuses a role and scope that do not fit, or a scope naming nothing, from the API and the tool alike; a stored one that does not fit is refused when used', async () => {
    const before = await platform.count('api_tokens');
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['a lead scoped to a school', { role: 'educational_lead', scope: `school:${A.schoolIds[0]}` }, 'scope'],
      ['a programme manager with no scope', { role: 'programme_manager' }, 'scope'],
      ['an admin with a scope', { role: 'admin', scope: `programme:${A.programmeId}` }, 'scope'],
      ['a school contact scoped to a partnership', { role: 'school_contact', scope: `partnership:${A.partnershipId}` }, 'scope'],
      ['a scope that is not kind:uuid', { role: 'school_contact', scope: 'school:42' }, 'scope'],
      ['a partnership that does not exist', { role: 'educational_lead', scope: `partnership:${randomUUID()}` }, 'scope'],
      ['an ambassador that does not exist', { role: 'ambassador', scope: `ambassador:${randomUUID()}` }, 'scope'],
      ['a role that does not exist', { role: 'wizard' }, 'role'],
    ];
    for (const [what, body, field] of cases) {
      const answer = await platform.http('POST', '/api/v1/tokens', { name: what, ...body });
      expect({ what, status: answer.status, type: answer.headers.get('content-type'), fields: fields(answer) }).toEqual({
        what,
        status: 400,
        type: expect.stringContaining('application/problem+json'),
        fields: [field],
      });
    }
    const misfit = await tool(['--role', 'educational_lead', '--scope', `school:${A.schoolIds[0]}`]);
    expect(misfit.code).toBe(2);
    expect(misfit.stderr).toContain('--scope: an educational lead token is scoped to a partnership, not a school (expected partnership:<uuid>)');
    expect(misfit.stdout).toBe('');
    const absent = randomUUID();
    const nothing = await tool(['--role', 'educational_lead', '--scope', `partnership:${absent}`]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain(`--scope: no partnership has the id ${absent}`);
    expect(await platform.count('api_tokens')).toBe(before);
    // An ambassador's token names a real ambassador.
    made(await platform.http('POST', '/api/v1/tokens', { name: 'Tam', role: 'ambassador', scope: `ambassador:${ambassadorId}` }));

    // A token made before the rule, a lead scoped to a school, as it might be in the table.
    const secret = 'sf_' + 'x'.repeat(43);
    await platform.query(`INSERT INTO api_tokens (id, name, token_hash, role, scope, created_at, expires_at) VALUES ($1, 'old lead', $2, 'educational_lead', $3, $4, $5)`, [
      randomUUID(),
      createHash('sha256').update(secret).digest('hex'),
      `school:${A.schoolIds[0]}`,
      await now(),
      new Date((await now()).getTime() + days(30)),
    ]);
    for (const path of [`/api/v1/programmes/${A.programmeId}`, `/api/v1/programmes/${B.programmeId}/kpis`, '/api/v1/programmes']) {
      const refused = await as(secret, 'GET', path);
      expect({ path, status: refused.status }).toEqual({ path, status: 401 });
      expect(refused.body.detail).toContain('an educational lead token is scoped to a partnership, not a school');
    }
  });

  it('lets a programme manager make, list and revoke tokens inside their own programme only, never an admin token', async () => {
    const managerToken = made(await platform.http('POST', '/api/v1/tokens', { name: 'Manager of A', role: 'programme_manager', scope: `programme:${A.programmeId}`, expiresInDays: 100 }));
    const manager = managerToken.token;
    const leadOfB = made(await platform.http('POST', '/api/v1/tokens', { name: 'Lead of B', role: 'educational_lead', scope: `partnership:${B.partnershipId}` }));
    const before = await platform.count('api_tokens');

    const inside = [
      { role: 'educational_lead', scope: `partnership:${A.partnershipId}` },
      { role: 'school_contact', scope: `school:${A.schoolIds[1]}` },
      { role: 'programme_manager', scope: `programme:${A.programmeId}` },
    ];
    const mine: string[] = [];
    for (const body of inside) {
      const answer = await as(manager, 'POST', '/api/v1/tokens', { name: `By manager: ${body.role}`, ...body });
      // The suite's usual lifetime is 200 days, but a token never outlives the one that made it.
      expect(made(answer).expiresAt).toBe(managerToken.expiresAt);
      mine.push(answer.body.id);
    }
    const outside: Array<[Record<string, unknown>, number]> = [
      [{ role: 'educational_lead', scope: `partnership:${B.partnershipId}` }, 404],
      [{ role: 'school_contact', scope: `school:${B.schoolIds[0]}` }, 404],
      [{ role: 'programme_manager', scope: `programme:${B.programmeId}` }, 404],
      [{ role: 'programme_manager', scope: `programme:${randomUUID()}` }, 404],
      [{ role: 'admin' }, 403],
      [{ role: 'ambassador', scope: `ambassador:${ambassadorId}` }, 403],
    ];
    for (const [body, status] of outside) {
      const answer = await as(manager, 'POST', '/api/v1/tokens', { name: 'Reaching out', ...body });
      expect({ body, status: answer.status, secret: answer.body?.token }).toEqual({ body, status, secret: undefined });
    }
    // Another programme's record answers exactly as an absent one.
    const other = await as(manager, 'POST', '/api/v1/tokens', { name: 'x', role: 'programme_manager', scope: `programme:${B.programmeId}` });
    const missing = await as(manager, 'POST', '/api/v1/tokens', { name: 'x', role: 'programme_manager', scope: `programme:${randomUUID()}` });
    const blanked = (answer: HttpAnswer) => String(answer.body.detail).replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<id>');
    expect(blanked(other)).toBe(blanked(missing));
    expect(await platform.count('api_tokens')).toBe(before + inside.length);

    const listed = await as(manager, 'GET', '/api/v1/tokens?pageSize=200');
    expect(listed.status).toBe(200);
    const scopes = listed.body.items.map((t: { scope: string | null }) => t.scope);
    expect(listed.body.items.map((t: { id: string }) => t.id)).toEqual(expect.arrayContaining(mine));
    expect(scopes.every((s: string | null) => s !== null && [`programme:${A.programmeId}`, `partnership:${A.partnershipId}`, ...A.schoolIds.map((id) => `school:${id}`)].includes(s))).toBe(true);
    expect(listed.body.total).toBe(listed.body.items.length);

    expect((await as(manager, 'POST', `/api/v1/tokens/${leadOfB.id}/revoke`)).status).toBe(404);
    expect((await as(leadOfB.token, 'GET', `/api/v1/partnerships/${B.partnershipId}`)).status).toBe(200);
    const revoked = await as(manager, 'POST', `/api/v1/tokens/${mine[0]}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();

    // Leads, schools and ambassadors manage no tokens.
    const lead = made(await platform.http('POST', '/api/v1/tokens', { name: 'Lead', role: 'educational_lead', scope: `partnership:${A.partnershipId}` })).token;
    const school = made(await platform.http('POST', '/api/v1/tokens', { name: 'School', role: 'school_contact', scope: `school:${A.schoolIds[0]}` })).token;
    const ambassador = made(await platform.http('POST', '/api/v1/tokens', { name: 'Ambassador', role: 'ambassador', scope: `ambassador:${ambassadorId}` })).token;
    for (const secret of [lead, school, ambassador]) {
      expect((await as(secret, 'GET', '/api/v1/tokens')).status).toBe(403);
      expect((await as(secret, 'POST', '/api/v1/tokens', { name: 'x', role: 'school_contact', scope: `school:${A.schoolIds[0]}` })).status).toBe(403);
      expect((await as(secret, 'POST', `/api/v1/tokens/${mine[1]}/revoke`)).status).toBe(403);
    }
  });

  it('lists page by page and never shows a secret or a hash', async () => {
    const total = await platform.count('api_tokens');
    const first = await ok('GET', '/api/v1/tokens?pageSize=2');
    expect({ page: first.page, pageSize: first.pageSize, total: first.total, items: first.items.length }).toEqual({ page: 1, pageSize: 2, total, items: 2 });
    const all = await platform.http('GET', '/api/v1/tokens?pageSize=200');
    expect(all.body.items).toHaveLength(total);
    const hashes = (await platform.query<{ token_hash: string }>(`SELECT token_hash FROM api_tokens`)).map((r) => r.token_hash);
    expect(secrets.length).toBeGreaterThan(10);
    for (const secret of [...secrets, ...hashes]) expect(all.text).not.toContain(secret);
    for (const item of all.body.items) expect(Object.keys(item).sort()).toEqual(['createdAt', 'email', 'expiresAt', 'id', 'lastUsedAt', 'name', 'revokedAt', 'role', 'scope']);
  });

  it("ends a token's dashboard sessions when it is revoked or expires, and sends no sign-in link for it", async () => {
    const base = `http://127.0.0.1:${platform.apiPort}`;
    const dashboard = (cookie: string) => fetch(`${base}/dashboard`, { redirect: 'manual', headers: { cookie } });
    const requested = async () => Number((await platform.query(`SELECT count(*)::int AS n FROM outbox_events WHERE type = 'dashboard.sign_in_requested'`))[0].n);
    const signIn = async (email: string): Promise<string> => {
      const sent = platform.catcher.messages.length;
      const browser = new FormClient(base);
      expect((await browser.send('/', { email })).status).toBe(303);
      const message = await eventually(async () => {
        const found = platform.catcher.messages.slice(sent).find((m) => m.to.includes(email) && m.subject === 'Sign in to the stemflow dashboard');
        expect(found).toBeDefined();
        return found!;
      });
      const link = message.text.match(/http:\/\/\S+(\/sign-in\/[A-Za-z0-9_-]{43})/)![1];
      expect((await browser.send(link)).status).toBe(303);
      expect((await dashboard(browser.cookie)).status).toBe(200);
      return browser.cookie;
    };

    const revokedOne = made(await platform.http('POST', '/api/v1/tokens', { name: 'Revoked manager', role: 'programme_manager', scope: `programme:${A.programmeId}`, email: 'revoked@a.example.org' }));
    const revokedSession = await signIn('revoked@a.example.org');
    await ok('POST', `/api/v1/tokens/${revokedOne.id}/revoke`);
    expect((await dashboard(revokedSession)).status).toBe(303);

    const expiring = made(await platform.http('POST', '/api/v1/tokens', { name: 'Expiring manager', role: 'programme_manager', scope: `programme:${A.programmeId}`, email: 'expiring@a.example.org' }));
    const expiringSession = await signIn('expiring@a.example.org');
    // Its expiry passes a minute ago, well inside the session's own twelve hours.
    await platform.query(`UPDATE api_tokens SET expires_at = $2 WHERE id = $1`, [expiring.id, new Date((await now()).getTime() - 60_000)]);
    expect((await dashboard(expiringSession)).status).toBe(303);

    // Neither address is sent a link any more; the page answers as it does for any address.
    const asked = await requested();
    for (const email of ['revoked@a.example.org', 'expiring@a.example.org']) expect((await new FormClient(base).send('/', { email })).status).toBe(303);
    expect(await requested()).toBe(asked);
  });
});
