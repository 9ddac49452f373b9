import fc from 'fast-check';
import { TestPlatform } from '../support/platform.js';

/**
 * Every write route in the OpenAPI document, fed bad bodies: missing fields, unknown
 * fields, wrong types, broken JSON, and random objects. Each answer is a 4xx problem body
 * and nothing in the database changes.
 */
interface Schema {
  type?: string;
  $ref?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
}
interface WriteRoute {
  method: string;
  path: string;
  schema: Schema | null;
}

const RANDOM_ID = '0c6d8d8e-93f5-4f0e-8f6a-6b7c1c0b9a11';

describe('bad input on every write route', () => {
  let platform: TestPlatform;
  let routes: WriteRoute[];
  let components: Record<string, Schema>;

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'bad-input', startWorker: false });
    const docs = (await platform.http('GET', '/api/docs-json')).body;
    components = docs.components?.schemas ?? {};
    routes = [];
    for (const [path, item] of Object.entries<Record<string, any>>(docs.paths)) {
      for (const method of ['post', 'put', 'patch', 'delete']) {
        const operation = item[method];
        if (!operation) continue;
        const schema = operation.requestBody?.content?.['application/json']?.schema ?? null;
        routes.push({ method: method.toUpperCase(), path, schema });
      }
    }
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const resolve = (schema: Schema | null): Schema | null => {
    if (!schema) return null;
    if (schema.$ref) return resolve(components[schema.$ref.split('/').pop()!]);
    if (schema.allOf) return schema.allOf.map(resolve).reduce<Schema>((a, b) => ({ ...a, ...b, properties: { ...a.properties, ...b?.properties }, required: [...(a.required ?? []), ...(b?.required ?? [])] }), {});
    return schema;
  };

  const wrongValue = (schema: Schema | undefined): unknown => {
    const s = resolve(schema ?? null);
    switch (s?.type) {
      case 'string':
        return 12345;
      case 'integer':
      case 'number':
        return 'not a number';
      case 'boolean':
        return 'yes';
      case 'array':
        return 'not a list';
      default:
        return 'not an object';
    }
  };

  async function snapshot(): Promise<Record<string, number>> {
    // A refused write is itself audited (audit_log): checked apart, below, to hold refusals only.
    const tables = await platform.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('migrations', 'audit_log') ORDER BY tablename`);
    const counts: Record<string, number> = {};
    for (const { tablename } of tables) counts[tablename] = await platform.count(tablename);
    return counts;
  }

  const concrete = (path: string, id = RANDOM_ID) => path.replace(/\{[^}]+\}/g, id);

  async function expectRefused(route: WriteRoute, body: unknown, options: { path?: string; raw?: string } = {}): Promise<number> {
    const path = options.path ?? concrete(route.path);
    const answer = options.raw !== undefined
      ? await platform.http(route.method, path, options.raw, { 'content-type': 'application/json' })
      : await platform.http(route.method, path, body);
    if (answer.status < 400 || answer.status >= 500) throw new Error(`${route.method} ${path} with ${options.raw ?? JSON.stringify(body)} answered ${answer.status}: ${answer.text}`);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body.status).toBe(answer.status);
    return answer.status;
  }

  it('finds the write routes to test', () => {
    expect(routes.length).toBeGreaterThanOrEqual(25);
  });

  it('refuses missing, unknown and mistyped fields, broken JSON and malformed ids, storing nothing', async () => {
    const before = await snapshot();
    let cases = 0;
    for (const route of routes) {
      const schema = resolve(route.schema);
      if (route.path.includes('{')) {
        await expectRefused(route, {}, { path: concrete(route.path, 'not-a-uuid') });
        cases += 1;
      }
      if (!schema) continue;
      if (route.path === '/api/v1/schools/import') continue;
      await expectRefused(route, { unexpectedField: true });
      await expectRefused(route, [1, 2, 3]);
      await expectRefused(route, null, { raw: '{"broken": ' });
      cases += 3;
      if (schema.required?.length) {
        await expectRefused(route, {});
        cases += 1;
      }
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        await expectRefused(route, { [name]: wrongValue(property) });
        cases += 1;
      }
    }
    expect(await snapshot()).toEqual(before);
    expect(await platform.query(`SELECT count(*)::int AS n FROM audit_log WHERE status < 400`)).toEqual([{ n: 0 }]);
    process.stdout.write(`bad input: ${cases} fixed cases over ${routes.length} write routes\n`);
  });

  it('refuses random bodies with fields no route knows', async () => {
    const before = await snapshot();
    let tried = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes.filter((r) => r.schema)),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }).map((k) => `x_${k}`), fc.jsonValue(), { minKeys: 1, maxKeys: 4 }),
        fc.dictionary(fc.constantFrom('name', 'urn', 'phase', 'personId', 'status', 'hours', 'schoolId', 'now'), fc.jsonValue(), { maxKeys: 3 }),
        async (route, unknown, known) => {
          tried += 1;
          await expectRefused(route, { ...known, ...unknown });
        },
      ),
      { numRuns: 150, seed: 20261123 },
    );
    expect(await snapshot()).toEqual(before);
    process.stdout.write(`bad input: ${tried} generated bodies\n`);
  });

  it('answers random tokens on the public pages with "link not valid", never a 5xx', async () => {
    let tried = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 80 }),
        fc.constantFrom('GET', 'POST'),
        fc.constantFrom('u', 'e', 'r', 's', 'dashboard/sign-in'),
        fc.boolean(),
        fc.string({ maxLength: 300 }),
        async (token, method, page, renew, body) => {
          tried += 1;
          // The fresh-link route exists for the three kinds of page people open from emails.
          const suffix = renew && method === 'POST' && ['e', 'r', 's'].includes(page) ? '/renew' : '';
          const answer = await fetch(`http://127.0.0.1:${platform.apiPort}/${page}/${encodeURIComponent(token)}${suffix}`, {
            method, ...(method === 'POST' ? { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {}),
          });
          expect(answer.status).toBe(404);
        },
      ),
      { numRuns: 150, seed: 11 },
    );
    expect(await platform.count('communication_preferences')).toBe(0);
    expect(await platform.count('page_links')).toBe(0);
    expect(await platform.count('outbox_events WHERE type = \'page_link.renewal_requested\'')).toBe(0);
    process.stdout.write(`bad input: ${tried} random page tokens\n`);
  });

  it('slows down anyone guessing page tokens', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 120; i += 1) statuses.push((await fetch(`http://127.0.0.1:${platform.apiPort}/u/guess-number-${i}-abcdefghijklmnop`)).status);
    expect(new Set(statuses)).toEqual(new Set([404, 429]));
    const limited = await fetch(`http://127.0.0.1:${platform.apiPort}/u/one-more-guess-abcdefghijklmnop`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
  });

  it('refuses random bytes as a school import', async () => {
    const before = await snapshot();
    const route = routes.find((r) => r.path === '/api/v1/schools/import')!;
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 400 }), async (text) => {
        const answer = await platform.http('POST', route.path, text, { 'content-type': 'text/csv' });
        // Without the GIAS header no row can be imported: a 400 problem, never a 5xx.
        expect(answer.status).toBe(400);
      }),
      { numRuns: 60, seed: 7 },
    );
    expect(await snapshot()).toEqual(before);
  });
});
