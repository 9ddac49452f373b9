import fc from 'fast-check';
import { TestPlatform } from '../support/platform.js';
import { addTeacher, buildProgramme } from '../support/programme.js';

/**
 * Every write route in the OpenAPI document, fed bad bodies: missing fields, unknown
 * fields, wrong types, broken JSON, and random objects. Each answer is a 4xx problem body
 * and nothing in the database changes. Bodies generated from each route's own schema may
 * be valid, so those are accepted or refused; a refusal still stores nothing.
 */
interface Schema {
  type?: string;
  $ref?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  enum?: unknown[];
  format?: string;
  example?: unknown;
  description?: string;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
}
interface WriteRoute {
  method: string;
  path: string;
  schema: Schema | null;
}

const RANDOM_ID = '0c6d8d8e-93f5-4f0e-8f6a-6b7c1c0b9a11';

/** Marks a property a generated body leaves out. */
const LEFT_OUT = Symbol('left out');

type Format = 'date' | 'date-time' | 'uuid' | 'email';

// Strings of the right type that break naive code: blank, long, outside Latin-1, control
// characters, a lone surrogate, and text that means something to SQL, HTML or Handlebars.
const AWKWARD_TEXT = [
  '',
  ' ',
  '\t\n',
  'null',
  'undefined',
  '0',
  "'; DROP TABLE schools; --",
  "O'Brien\\",
  '<script>alert(1)</script>',
  '{{constructor.constructor}}',
  '{{> layout}}',
  '../../etc/passwd',
  '%00',
  '\u0000',
  '\u202eevil',
  'Zoë Brontë-Łukasiewicz',
  '學校',
  '🧪👩🏽‍🔬',
  '\ud800',
  'é'.repeat(2_000),
  'x'.repeat(10_001),
];
// Numbers where a whole, small, positive one is usually meant.
const AWKWARD_NUMBERS = [0, -0, -1, 0.5, -2.75, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, 1e21, 1e308, -1e308, 5e-324];
const MALFORMED: Record<Format, string[]> = {
  date: ['2026-02-30', '2026-13-01', '2026-00-10', '26-09-01', '2026/09/01', '01/09/2026', '2026-9-1', '2026-09-01T00:00:00Z', '0000-00-00', '+275760-09-13', 'tomorrow'],
  'date-time': ['2027-03-10 09:30', '2027-02-29T09:30:00Z', '2027-03-10T24:00:01Z', '2027-03-10T09:30:00+99:00', '2027-03-10T09:30', '1e12', 'now'],
  uuid: ['not-a-uuid', '0c6d8d8e93f54f0e8f6a6b7c1c0b9a11', '0c6d8d8e-93f5-4f0e-8f6a-6b7c1c0b9a1', '{0c6d8d8e-93f5-4f0e-8f6a-6b7c1c0b9a11}', 'zc6d8d8e-93f5-4f0e-8f6a-6b7c1c0b9a11', "' OR '1'='1"],
  email: ['no-at-sign', 'a@', '@example.org', 'a@b', 'a b@example.org', 'a@@example.org', `${'x'.repeat(250)}@example.org`, 'a@example.org\r\nBcc: b@example.org'],
};
// Well-formed, but at the edges: the first and last days, a leap day, a London clock change.
const EDGE_WELL_FORMED: Record<Format, string[]> = {
  date: ['0001-01-01', '9999-12-31', '2028-02-29', '1970-01-01'],
  'date-time': ['1970-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2027-03-10T09:30:00.123456+14:00', '2027-03-28T01:30:00Z', '2027-10-31T01:30:00+01:00'],
  uuid: ['00000000-0000-0000-0000-000000000000', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF'],
  email: ['a@b.co', "o'brien+stem@example.org", 'ünïcødé@exämple.org'],
};
const WRONG_TYPE: Record<string, unknown[]> = {
  string: [12345, true, ['text'], { text: 'x' }],
  number: ['12', '', true, [1], { value: 1 }],
  boolean: ['true', 1, 0, [], {}],
  array: ['a', 1, true, {}, { 0: 'a', length: 1 }],
  object: ['x', 1, true, [], [{}]],
};
// Own keys that merge code can mistake for the prototype.
const PROTOTYPE_TRICKS = [JSON.parse('{"__proto__": {"polluted": true}}'), JSON.parse('{"constructor": {"prototype": {"polluted": true}}}')];

/** The format a string property has, from its schema, else from its example, name or description. */
function formatOf(schema: Schema, name: string): Format | undefined {
  if (schema.format === 'date' || schema.format === 'date-time' || schema.format === 'uuid' || schema.format === 'email') return schema.format;
  if (typeof schema.example === 'string') {
    if (/^\d{4}-\d{2}-\d{2}$/.test(schema.example)) return 'date';
    if (/^\d{4}-\d{2}-\d{2}T/.test(schema.example)) return 'date-time';
    if (/^[^@\s]+@[^@\s]+$/.test(schema.example)) return 'email';
  }
  if (schema.type === 'string' && (/Ids?$/.test(name) || /\bids\b/i.test(schema.description ?? ''))) return 'uuid';
  return undefined;
}

/** The kind of record an id names: `hostSchoolId` a school, "Booking ids of those who came" bookings. */
function kindOf(name: string, description = ''): string {
  const word = /Ids?$/.test(name) ? name.replace(/Ids?$/, '').replace(/.*(?=[A-Z])/, '') : (/(\w+) ids\b/i.exec(description)?.[1] ?? name);
  return word.toLowerCase().replace(/-/g, '_');
}

/** Every place inside a JSON value (object keys and array indexes), shallowest first. */
function placesIn(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const place = [...prefix, Array.isArray(value) ? Number(key) : key];
    return [place, ...placesIn(child, place)];
  });
}

function replacedAt(value: unknown, place: Array<string | number>, replacement: unknown): unknown {
  const copy = structuredClone(value);
  let parent: any = copy;
  for (const key of place.slice(0, -1)) parent = parent[key];
  const last = place[place.length - 1];
  if (replacement !== LEFT_OUT) parent[last] = replacement;
  else if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete parent[last];
  return copy;
}

/** A body as a failure message shows it: long strings cut, so the message stays readable. */
const shown = (body: unknown) => JSON.stringify(body, (_key, value) => (typeof value === 'string' && value.length > 80 ? `${value.slice(0, 40)}…(${value.length} chars)` : value));

describe('bad input on every write route', () => {
  let platform: TestPlatform;
  let routes: WriteRoute[];
  let components: Record<string, Schema>;

  beforeAll(async () => {
    // The page limit as shipped; a trusted proxy on loopback lets the random-token cases come
    // from clients of their own, so that only the guessing test meets the limit.
    platform = await TestPlatform.start({ name: 'bad-input', startWorker: false, env: { PAGE_REQUESTS_PER_MINUTE: '100', TRUST_PROXY: 'loopback' } });
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
    if (schema.allOf)
      return schema.allOf.map(resolve).reduce<Schema>((a, b) => ({ ...a, ...b, properties: { ...a.properties, ...b?.properties }, required: [...(a.required ?? []), ...(b?.required ?? [])] }), {});
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

  let countRows = '';
  /** Rows in every table, in one round trip: cheap enough to take around each generated request. */
  async function snapshot(): Promise<Record<string, number>> {
    if (!countRows) {
      // A refused write is itself audited (audit_log): checked apart, below, to hold refusals only.
      const tables = await platform.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('migrations', 'audit_log') ORDER BY tablename`);
      countRows = `SELECT ${tables.map(({ tablename }) => `(SELECT count(*) FROM "${tablename}")::int AS "${tablename}"`).join(', ')}`;
    }
    const [counts] = await platform.query<Record<string, number>>(countRows);
    return counts;
  }

  const concrete = (path: string, id = RANDOM_ID) => path.replace(/\{[^}]+\}/g, id);

  async function expectRefused(route: WriteRoute, body: unknown, options: { path?: string; raw?: string } = {}): Promise<number> {
    const path = options.path ?? concrete(route.path);
    const answer = options.raw !== undefined ? await platform.http(route.method, path, options.raw, { 'content-type': 'application/json' }) : await platform.http(route.method, path, body);
    if (answer.status < 400 || answer.status >= 500) throw new Error(`${route.method} ${path} with ${options.raw ?? JSON.stringify(body)} answered ${answer.status}: ${answer.text}`);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body.status).toBe(answer.status);
    return answer.status;
  }

  /** Stored ids (calendar keys for calendars) by table: filled once records of every kind exist. */
  const stored = new Map<string, string[]>();

  /** Ids of stored records of a kind (`schools`, `school`, `person`), else of any kind. */
  const storedOf = (kind: string): string[] => {
    const plural = kind === 'person' || kind === 'people' ? 'people' : kind.endsWith('s') ? kind : `${kind}s`;
    const table = [...stored.keys()].find((t) => t === plural || t.endsWith(`_${plural}`));
    return table ? stored.get(table)! : [...stored.values()].flat();
  };

  const wellFormed = (format: Format, s: Schema, name: string): fc.Arbitrary<string> => {
    const instants = fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2029-12-31T23:59:59Z'), noInvalidDate: true });
    switch (format) {
      case 'date':
        return instants.map((d) => d.toISOString().slice(0, 10));
      case 'date-time':
        return instants.map((d) => d.toISOString());
      case 'uuid': {
        const ids = storedOf(kindOf(name, s.description));
        return ids.length > 0 ? fc.oneof({ arbitrary: fc.constantFrom(...ids), weight: 3 }, fc.uuid()) : fc.uuid();
      }
      case 'email':
        return fc.oneof(fc.emailAddress(), fc.stringMatching(/^[a-z]{1,12}\.[a-z]{1,12}@example\.org$/));
    }
  };

  /** The schema of an array's items, told what the array's description says of them. */
  const itemsOf = (s: Schema): Schema => ({ description: s.description, ...resolve(s.items ?? null) });

  /** A value a caller would send: the example or one near it, an enum member, a well-formed date, a stored id. */
  const plausible = (schema: Schema | undefined, name: string, depth: number): fc.Arbitrary<unknown> => {
    const s = resolve(schema ?? null) ?? {};
    const example = s.example === undefined ? [] : [fc.constant(s.example)];
    if (s.enum) return fc.constantFrom(...s.enum);
    const format = formatOf(s, name);
    if (format) return fc.oneof(...example, wellFormed(format, s, name));
    switch (s.type) {
      case 'string':
        return fc.oneof(...example, ...example, fc.string({ minLength: 1, maxLength: 30 }));
      case 'number':
      case 'integer': {
        // Within a tenth of the example, as precise as the example: a latitude stays in Britain.
        const near =
          typeof s.example === 'number'
            ? [
                fc.integer({ min: 90, max: 110 }).map((percent) => {
                  const value = ((s.example as number) * percent) / 100;
                  return Number.isInteger(s.example) ? Math.round(value) : Math.round(value * 100) / 100;
                }),
              ]
            : [];
        return fc.oneof(...example, ...near, fc.integer({ min: s.minimum ?? 0, max: s.maximum ?? 100 }));
      }
      case 'boolean':
        return fc.boolean();
      case 'array':
        return fc.oneof(...example, fc.uniqueArray(plausible(itemsOf(s), name, depth + 1), { minLength: 1, maxLength: 3, selector: (v) => JSON.stringify(v) }));
      default:
        if (s.properties && depth < 4) return plausibleBody(s, depth + 1);
        return example[0] ?? fc.constant({});
    }
  };

  const outOfEnum = (members: unknown[]) => {
    const first = String(members[0]);
    return fc.constantFrom(first.toUpperCase(), ` ${first}`, `${first}\u0000`, '', 'not_in_the_list', members.join(','), members);
  };

  /** A value of the right type with awkward content, or of the wrong type. */
  const awkward = (schema: Schema | undefined, name: string, depth: number): fc.Arbitrary<unknown> => {
    const s = resolve(schema ?? null) ?? {};
    const format = formatOf(s, name);
    let rightType: fc.Arbitrary<unknown>;
    if (s.enum) rightType = fc.oneof(fc.constantFrom(...s.enum), outOfEnum(s.enum));
    else if (format) rightType = fc.oneof(wellFormed(format, s, name), fc.constantFrom(...EDGE_WELL_FORMED[format]), fc.constantFrom(...MALFORMED[format]));
    else if (s.type === 'string')
      rightType = fc.oneof(fc.constantFrom(...AWKWARD_TEXT), fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }));
    else if (s.type === 'number' || s.type === 'integer') {
      const bounds = [s.minimum, s.maximum].flatMap((b) => (b === undefined ? [] : [b - 1, b, b + 1]));
      rightType = fc.oneof(fc.constantFrom(...AWKWARD_NUMBERS, ...bounds), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
    } else if (s.type === 'boolean') rightType = fc.boolean();
    else if (s.type === 'array') {
      const item = fc.oneof(plausible(itemsOf(s), name, depth + 1), awkward(itemsOf(s), name, depth + 1));
      rightType = fc.oneof(
        fc.constant([]),
        fc.array(item, { maxLength: 5 }),
        item.map((v) => [v, v]),
        fc.array(fc.array(item, { maxLength: 2 }), { minLength: 1, maxLength: 2 }),
        item.map((v) => Array(300).fill(v)),
      );
    } else if (s.properties && depth < 4) rightType = anyBody(s, depth + 1);
    else {
      // A free-form object (a calendar's years, a workflow policy): its example with one place changed, or anything.
      const places = placesIn(s.example);
      const changed =
        places.length === 0
          ? []
          : [
              fc
                .tuple(fc.constantFrom(...places), fc.oneof(fc.constant(LEFT_OUT), fc.constantFrom(null, '', -1, 1.5, 'x'.repeat(10_001), '2026-02-30', [], {}), fc.jsonValue({ maxDepth: 1 })))
                .map(([place, value]) => replacedAt(s.example, place, value)),
            ];
      rightType = fc.oneof(...changed, ...changed, fc.object({ maxDepth: 2 }), fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(...PROTOTYPE_TRICKS));
    }
    return fc.oneof({ arbitrary: rightType, weight: 3 }, { arbitrary: fc.constantFrom(null, ...(WRONG_TYPE[s.type === 'integer' ? 'number' : (s.type ?? 'object')] ?? WRONG_TYPE.object)), weight: 1 });
  };

  /** Every required property and some optional ones, each plausible. */
  const plausibleBody = (s: Schema, depth: number): fc.Arbitrary<Record<string, unknown>> =>
    fc.record(Object.fromEntries(Object.entries(s.properties ?? {}).map(([name, property]) => [name, plausible(property, name, depth)])), { requiredKeys: s.required ?? [] });

  /** A plausible body, as is or with one property left out or made awkward. */
  const nearlyValidBody = (s: Schema, depth: number): fc.Arbitrary<Record<string, unknown>> => {
    const changes = Object.entries(s.properties ?? {}).map(([name, property]) => fc.tuple(fc.constant(name), fc.oneof(fc.constant<unknown>(LEFT_OUT), awkward(property, name, depth))));
    if (changes.length === 0) return plausibleBody(s, depth);
    return fc.tuple(plausibleBody(s, depth), fc.option(fc.oneof(...changes), { freq: 3 })).map(([body, change]) => {
      if (!change) return body;
      const [name, value] = change;
      const { [name]: _dropped, ...rest } = body;
      return value === LEFT_OUT ? rest : { ...rest, [name]: value };
    });
  };

  /** Any property may be missing, required or not; most present ones are awkward. */
  const awkwardBody = (s: Schema, depth: number): fc.Arbitrary<Record<string, unknown>> =>
    fc.record(
      Object.fromEntries(
        Object.entries(s.properties ?? {}).map(([name, property]) => [name, fc.oneof(plausible(property, name, depth), awkward(property, name, depth), awkward(property, name, depth))]),
      ),
      { requiredKeys: [] },
    );

  const anyBody = (s: Schema, depth: number) => fc.oneof(nearlyValidBody(s, depth), awkwardBody(s, depth));

  /** The route's path with each parameter a stored id, a random uuid, or a malformed id. */
  const pathOf = (route: WriteRoute): fc.Arbitrary<string> => {
    const segments = route.path.split('/');
    return fc
      .tuple(
        ...segments.map((segment, i) => {
          const parameter = /^\{(.+)\}$/.exec(segment)?.[1];
          if (!parameter) return fc.constant(segment);
          const ids = storedOf(kindOf(parameter === 'id' || parameter === 'key' ? segments[i - 1] : parameter));
          return fc
            .oneof({ arbitrary: ids.length > 0 ? fc.constantFrom(...ids) : fc.uuid(), weight: 3 }, fc.uuid(), fc.constantFrom(...MALFORMED.uuid, 'x'.repeat(300), '0', '-1', 'NaN', 'ENGLAND'))
            .map(encodeURIComponent);
        }),
      )
      .map((parts) => parts.join('/'));
  };

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
        fc.dictionary(
          fc.string({ minLength: 1, maxLength: 12 }).map((k) => `x_${k}`),
          fc.jsonValue(),
          { minKeys: 1, maxKeys: 4 },
        ),
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
        fc.constantFrom('u', 'e', 'r', 's', 'sign-in'),
        fc.boolean(),
        fc.string({ maxLength: 300 }),
        async (token, method, page, renew, body) => {
          tried += 1;
          // The fresh-link route exists for the three kinds of page people open from emails.
          const suffix = renew && method === 'POST' && ['e', 'r', 's'].includes(page) ? '/renew' : '';
          const client = { 'x-forwarded-for': `198.18.${tried >> 8}.${tried & 255}` };
          const answer = await fetch(`http://127.0.0.1:${platform.apiPort}/${page}/${encodeURIComponent(token)}${suffix}`, {
            method,
            ...(method === 'POST' ? { body, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: platform.baseUrl, ...client } } : { headers: client }),
          });
          expect(answer.status).toBe(404);
        },
      ),
      { numRuns: 150, seed: 11 },
    );
    expect(await platform.count('communication_preferences')).toBe(0);
    expect(await platform.count('page_links')).toBe(0);
    expect(await platform.count("outbox_events WHERE type = 'page_link.renewal_requested'")).toBe(0);
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

  it("answers bodies generated from each route's schema by accepting them, or by refusing them and storing nothing", async () => {
    const created = async (path: string, body: unknown) => {
      const answer = await platform.http('POST', path, body);
      if (answer.status >= 300) throw new Error(`POST ${path}: ${answer.status} ${answer.text}`);
      return answer.body;
    };
    // Records of every kind for generated paths and bodies to point at, so that requests get past "not found".
    // This suite runs on the real clock: sessions and requests are some weeks ahead of it.
    const weeksAhead = (weeks: number, time: string) => `${new Date(Date.now() + weeks * 7 * 86_400_000).toISOString().slice(0, 10)}T${time}Z`;
    const { programmeId, schoolIds } = await buildProgramme(platform, { name: 'Generated', schools: 2, urnBase: 990_000 });
    const teacher = await addTeacher(platform, schoolIds[0], 1);
    const course = await created('/api/v1/courses', { programmeId, title: 'Practical physics', subject: 'science', format: 'local', hours: 6, costPence: 0 });
    const session = await created(`/api/v1/courses/${course.id}/sessions`, { startsAt: weeksAhead(8, '09:00:00'), endsAt: weeksAhead(8, '15:00:00'), venue: 'Hub', capacity: 20 });
    await created(`/api/v1/sessions/${session.id}/bookings`, { personId: teacher.id });
    await created('/api/v1/enrichment-events', {
      programmeId,
      type: 'stem_club',
      title: 'Rocket day',
      occursOn: '2026-11-20',
      hostSchoolId: schoolIds[0],
      schoolIds,
      audience: { pupils: 60, parents: 4, staff: 3, otherSchools: 0 },
      keyStages: ['ks2'],
    });
    await created('/api/v1/ambassadors', {
      name: 'Jo Okafor',
      email: 'jo.okafor@generated.example.org',
      keyStages: ['ks2', 'ks3'],
      postcode: 'TS1 3BA',
      latitude: 54.57,
      longitude: -1.23,
      travelRadiusKm: 30,
      availability: { weekdays: [1, 2, 3, 4, 5] },
      check: { type: 'DBS', number: '001234567890', checkedOn: '2025-06-01', expiresOn: '2029-06-01' },
    });
    await created(`/api/v1/schools/${schoolIds[0]}/ambassador-requests`, {
      activityType: 'Careers talk',
      startsAt: weeksAhead(10, '09:30:00'),
      endsAt: weeksAhead(10, '11:30:00'),
      keyStages: ['ks2'],
      numberWanted: 1,
    });
    const keyed = await platform.query<{ table: string; column: string }>(
      `SELECT table_name AS table, min(column_name) AS column FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name NOT IN ('migrations', 'audit_log') AND ((column_name = 'id' AND data_type = 'uuid') OR column_name = 'key')
        GROUP BY table_name`,
    );
    for (const { table, column } of keyed)
      stored.set(
        table,
        (await platform.query<{ v: string }>(`SELECT "${column}"::text AS v FROM "${table}" LIMIT 10`)).map((r) => r.v),
      );

    const withBodies = routes.filter((r) => r.schema);
    const tried = new Set<string>();
    let accepted = 0;
    let refused = 0;
    let counts = await snapshot();
    for (const [index, route] of withBodies.entries()) {
      await fc.assert(
        fc.asyncProperty(pathOf(route), anyBody(resolve(route.schema)!, 0), async (path, body) => {
          tried.add(`${route.method} ${route.path}`);
          const answer = await platform.http(route.method, path, body);
          const request = `${route.method} ${path} with ${shown(body)}`;
          const before = counts;
          // An accepted body may store rows: later cases compare against what is there now.
          counts = await snapshot();
          if (answer.status >= 200 && answer.status < 300) {
            accepted += 1;
            return;
          }
          if (answer.status < 400 || answer.status >= 500) throw new Error(`${request} answered ${answer.status}: ${answer.text}`);
          refused += 1;
          if (!answer.headers.get('content-type')?.includes('application/problem+json') || answer.body?.status !== answer.status) {
            throw new Error(`${request} answered ${answer.status} without a problem body: ${answer.text}`);
          }
          const changed = Object.keys(counts)
            .filter((t) => counts[t] !== before[t])
            .map((t) => `${t} ${before[t]} → ${counts[t]}`);
          if (changed.length > 0) throw new Error(`${request} was refused (${answer.status}: ${answer.body.detail}) yet stored rows: ${changed.join(', ')}`);
        }),
        { numRuns: 40, seed: 20261124 + index },
      );
    }
    expect([...tried].sort()).toEqual(withBodies.map((r) => `${r.method} ${r.path}`).sort());
    process.stdout.write(`bad input: ${accepted + refused} schema-generated cases over ${withBodies.length} write routes (${accepted} accepted, ${refused} refused)\n`);
  }, 300_000);
});
