import { THREE_SCHOOLS_CSV } from '../support/fixtures.js';
import { ADMIN_TOKEN, TestPlatform } from '../support/platform.js';

/** What every caller can rely on: problem bodies for bad input, nothing stored, tokens, health and docs. */
describe('the API contract', () => {
  let platform: TestPlatform;
  const unknownId = '6f1d8a52-5b0e-4c1e-9a57-2f7c1d0e9b11';

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'api-contract', startWorker: false });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  async function storedCounts() {
    return {
      schools: await platform.count('schools'),
      partnerships: await platform.count('partnerships'),
      members: await platform.count('partnership_members'),
      events: await platform.count('outbox_events'),
    };
  }

  function expectProblem(answer: { status: number; headers: Headers; body: any }, status: number) {
    expect(answer.status).toBe(status);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body).toMatchObject({ status, type: expect.stringContaining('/problems/'), title: expect.any(String) });
    expect(JSON.stringify(answer.body)).not.toMatch(/at \S+ \(|node_modules|QueryFailedError/);
  }

  describe('bad input gets a 4xx problem and stores nothing', () => {
    it.each([
      ['missing fields', '/api/v1/schools', { name: 'No URN School' }, ['urn', 'phase']],
      ['unknown fields', '/api/v1/schools', { urn: 123456, name: 'X', phase: 'primary', headteacher: 'Ms Y' }, ['headteacher']],
      ['wrong types', '/api/v1/schools', { urn: '123456', name: 7, phase: 'primary', pupils: 'many' }, ['urn', 'name', 'pupils']],
      ['a bad email', '/api/v1/schools', { urn: 123456, name: 'X', phase: 'primary', contactEmail: 'nobody' }, ['contactEmail']],
      ['an unknown phase', '/api/v1/schools', { urn: 123456, name: 'X', phase: 'kindergarten' }, ['phase']],
      ['an empty partnership', '/api/v1/partnerships', {}, ['name']],
      ['an array for a body', '/api/v1/partnerships', [{ name: 'x' }], []],
    ])('%s', async (_label, path, body, fields) => {
      const before = await storedCounts();
      const answer = await platform.http('POST', path, body);
      expectProblem(answer, 400);
      for (const field of fields) expect(answer.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await storedCounts()).toEqual(before);
    });

    it('malformed JSON', async () => {
      const before = await storedCounts();
      const answer = await platform.http('POST', '/api/v1/partnerships', '{"name": ', { 'content-type': 'application/json' });
      expectProblem(answer, 400);
      expect(answer.body.detail).toBe('The body is not valid JSON.');
      expect(await storedCounts()).toEqual(before);
    });

    it('an unknown partnership, an unknown school, a malformed id', async () => {
      const before = await storedCounts();
      const school = (await platform.http('POST', '/api/v1/schools', { urn: 654321, name: 'Lone School', phase: 'primary' })).body;
      const afterSchool = await storedCounts();
      expectProblem(await platform.http('POST', `/api/v1/partnerships/${unknownId}/members`, { schoolId: school.id }), 404);
      const partnership = (await platform.http('POST', '/api/v1/partnerships', { name: 'Real Partnership' })).body;
      const afterPartnership = await storedCounts();
      expectProblem(await platform.http('POST', `/api/v1/partnerships/${partnership.id}/members`, { schoolId: unknownId }), 404);
      expectProblem(await platform.http('POST', `/api/v1/partnerships/not-a-uuid/members`, { schoolId: school.id }), 400);
      expectProblem(await platform.http('POST', `/api/v1/partnerships/${partnership.id}/members`, { schoolId: 'nope' }), 400);
      expectProblem(await platform.http('GET', `/api/v1/schools/${unknownId}`), 404);
      expectProblem(await platform.http('GET', `/api/v1/notifications/${unknownId}`), 404);
      expectProblem(await platform.http('GET', `/api/v1/schools?page=0`), 400);
      expectProblem(await platform.http('GET', `/api/v1/schools?pageSize=lots`), 400);
      expectProblem(await platform.http('GET', `/api/v1/notifications?status=lost`), 400);
      expectProblem(await platform.http('GET', `/api/v1/no-such-route`), 404);
      expect(afterSchool.schools).toBe(before.schools + 1);
      expect(await storedCounts()).toEqual(afterPartnership);
    });

    it('a duplicate URN is a conflict', async () => {
      await platform.http('POST', '/api/v1/schools', { urn: 765432, name: 'First', phase: 'secondary' });
      const before = await storedCounts();
      expectProblem(await platform.http('POST', '/api/v1/schools', { urn: 765432, name: 'Second', phase: 'secondary' }), 409);
      expect(await storedCounts()).toEqual(before);
    });
  });

  describe('importing a GIAS file with broken rows', () => {
    it('imports the good rows and reports each bad one by line', async () => {
      const csv = [
        'URN,EstablishmentName,PhaseOfEducation (name),Postcode,NumberOfPupils,ContactEmail',
        '200001,Good One Primary,Primary,TS1 1AA,100,a@one.example.sch.uk',
        '2000x2,Bad URN School,Primary,TS1 1AB,100,',
        '200003,,Secondary,TS1 1AC,100,',
        '200004,Good Four Academy,Secondary,TS1 1AD,eight hundred,',
        '200005,Stray "quote School,Primary,TS1 1AE,100,,one too many',
        '200006,Good Six Primary,Primary,TS1 1AF,,',
        '200001,Good One Again,Primary,TS1 1AA,100,',
      ].join('\n');
      const before = await platform.count('schools');
      const answer = await platform.http('POST', '/api/v1/schools/import', csv);
      expect(answer.status).toBe(200);
      expect(answer.body.created).toBe(2);
      expect(answer.body.errors.map((e: { line: number }) => e.line)).toEqual([3, 4, 5, 6, 8]);
      expect(answer.body.errors[0].message).toContain('URN must be a 5 to 7 digit number');
      expect(answer.body.errors[4].message).toContain('already appeared on line 2');
      expect(await platform.count('schools')).toBe(before + 2);
      const stored = await platform.query(`SELECT urn, name FROM schools WHERE urn BETWEEN 200001 AND 200006 ORDER BY urn`);
      expect(stored).toEqual([
        { urn: 200001, name: 'Good One Primary' },
        { urn: 200006, name: 'Good Six Primary' },
      ]);
    });

    it('refuses a file without the GIAS columns, or that is not CSV', async () => {
      const before = await storedCounts();
      const noColumns = await platform.http('POST', '/api/v1/schools/import', 'Name,Town\nA School,Leeds\n');
      expectProblem(noColumns, 400);
      expect(noColumns.body.errors.map((e: { field: string }) => e.field)).toEqual(['URN', 'EstablishmentName', 'PhaseOfEducation (name)']);
      expectProblem(await platform.http('POST', '/api/v1/schools/import', ''), 400);
      expectProblem(await platform.http('POST', '/api/v1/schools/import', { csv: 'URN' }), 415);
      expect(await storedCounts()).toEqual(before);
    });

    it('updates a school whose row changed, and says so', async () => {
      await platform.http('POST', '/api/v1/schools/import', THREE_SCHOOLS_CSV);
      const changed = THREE_SCHOOLS_CSV.replace('Hillside Academy,Secondary,Academy converter,Middlesbrough,TS5 7EX,1050', 'Hillside Academy,Secondary,Academy converter,Middlesbrough,TS5 7EX,1075');
      const answer = await platform.http('POST', '/api/v1/schools/import', changed);
      expect(answer.body).toEqual({ created: 0, updated: 1, unchanged: 2, errors: [] });
      const [event] = await platform.query(`SELECT payload FROM outbox_events WHERE type = 'school.updated' ORDER BY recorded_at DESC LIMIT 1`);
      expect(event.payload.changed).toEqual(['pupils']);
    });
  });

  describe('tokens', () => {
    it('needs a valid bearer token on every /api route but health and docs', async () => {
      expectProblem(await platform.http('GET', '/api/v1/schools', undefined, { authorization: '' }), 401);
      expectProblem(await platform.http('GET', '/api/v1/schools', undefined, { authorization: 'Bearer not-a-real-token-at-all' }), 401);
      expect((await platform.http('GET', '/health', undefined, { authorization: '' })).status).toBe(200);
      const docs = await platform.http('GET', '/api/docs-json', undefined, { authorization: '' });
      expect(docs.status).toBe(200);
      expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/api/v1/schools', '/api/v1/schools/import', '/api/v1/partnerships/{id}/members', '/api/v1/notifications']));
    });

    it('creates stored tokens with `npm run token`, hashed, with their role', async () => {
      const partnership = (await platform.http('POST', '/api/v1/partnerships', { name: 'Token Partnership' })).body;
      // A partnership's token is an educational lead's: a role takes one kind of scope.
      const made = await platform.run('node', ['dist/tools/token.js', '--role', 'educational_lead', '--scope', `partnership:${partnership.id}`], { DATABASE_URL: platform.databaseUrl });
      expect(made.code).toBe(0);
      const token = made.stdout.trim();
      expect(token).toMatch(/^sf_[A-Za-z0-9_-]{43}$/);
      const stored = await platform.query(`SELECT token_hash, role, scope FROM api_tokens`);
      expect(stored).toHaveLength(1);
      expect(stored[0].token_hash).not.toContain(token.slice(3));
      expect(stored[0]).toMatchObject({ role: 'educational_lead', scope: `partnership:${partnership.id}` });
      expect((await platform.http('GET', '/api/v1/partnerships', undefined, { authorization: `Bearer ${token}` })).status).toBe(200);
      // The clock is the admin's alone.
      expectProblem(await platform.http('GET', '/api/v1/admin/clock', undefined, { authorization: `Bearer ${token}` }), 403);

      const refused = await platform.run('node', ['dist/tools/token.js', '--role', 'wizard'], { DATABASE_URL: platform.databaseUrl });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('--role must be one of admin, programme_manager');
    });

    it('keeps the queue dashboard for admins', async () => {
      const anonymous = await fetch(`http://127.0.0.1:${platform.apiPort}/admin/queues`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toContain('Basic');
      const basic = `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}`;
      const admin = await fetch(`http://127.0.0.1:${platform.apiPort}/admin/queues`, { headers: { authorization: basic } });
      expect(admin.status).toBe(200);
      expect(await admin.text()).toContain('<div id="root">');
    });
  });

  describe('the clock', () => {
    it('cannot be moved when CLOCK=system', async () => {
      expect((await platform.http('GET', '/api/v1/admin/clock')).body.mode).toBe('system');
      expectProblem(await platform.http('POST', '/api/v1/admin/clock', { now: '2027-01-05T08:00:00Z' }), 404);
    });
  });

  describe('health', () => {
    it('reports the database, Redis and live workers', async () => {
      const answer = await platform.http('GET', '/health');
      expect(answer.status).toBe(200);
      expect(answer.body.details).toMatchObject({ database: { status: 'up' }, redis: { status: 'up' }, workers: { status: 'up', live: 0 } });
    });
  });
});
