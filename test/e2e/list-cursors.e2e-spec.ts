import { randomUUID } from 'node:crypto';
import { linkIn } from '../support/browser.js';
import { makeStaff } from '../support/console.js';
import { FormClient } from '../support/forms.js';
import { eventually, TestPlatform, type HttpAnswer } from '../support/platform.js';

/**
 * The email ledger, the audit log and the people list paged by cursor, through the API and
 * the console: a reader following `next` sees every row that was there when they started
 * exactly once, and no row twice, while new rows keep arriving between pages (newer ones, or
 * names either end of the alphabet, and ones of the very instant or the very name a page
 * ended on); `previous` walks back the same way. A cursor cut short or
 * made up is a 400, never a 500. The count stops above ten thousand and says so.
 */
describe('lists paged by cursor while rows arrive', () => {
  let platform: TestPlatform;
  let base: string;
  const ADMIN = 'kit.keyset@stemflow.example.org';

  const ok = async (path: string) => {
    const answer = await platform.http('GET', path);
    if (answer.status !== 200) throw new Error(`GET ${path}: ${answer.status} ${answer.text}`);
    return answer.body as { items: Array<{ id: string }>; page: number | null; pageSize: number; total: number; totalIsAtLeast: boolean; next: string | null; previous: string | null };
  };
  const expectProblem = (answer: HttpAnswer, field?: string) => {
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    if (field) expect(answer.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  };

  /** Rows of one instant, microseconds included, many to an instant: a page often ends inside a run of ties. */
  const seedNotifications = (n: number, kind: string) =>
    platform.query(
      `INSERT INTO notifications (id, idempotency_key, kind, recipient_email, data, status, not_before, message_id, created_at, updated_at, sent_at)
       SELECT gen_random_uuid(), $2 || ':' || i, $2, 'seed' || i || '@keyset.example.org', '{}', 'sent', t, '<seed-' || $2 || i || '@stemflow>', t, t, t
         FROM generate_series(1, $1::int) i, LATERAL (SELECT timestamptz '2027-03-01 09:00:00.123456Z' - (i / 7) * interval '1 minute 0.000417 second' AS t) seed`,
      [n, kind],
    );
  /** Later than every row so far (the suite's rows are dated 2027), to the microsecond. */
  const LATER = `clock_timestamp() + interval '5 years'`;
  /** One new email: at the given instant (a tie with a page's edge), or later than all. */
  const addNotification = (at?: string) => {
    const id = randomUUID();
    return platform.query(
      `INSERT INTO notifications (id, idempotency_key, kind, recipient_email, data, status, not_before, message_id, created_at, updated_at)
       VALUES ($1, $2, 'survey.invitation', 'late@keyset.example.org', '{}', 'skipped', now(), $3, coalesce($4::timestamptz, ${LATER}), now())`,
      [id, `late:${id}`, `<${id}@stemflow>`, at ?? null],
    );
  };
  const addAudit = (at?: string) =>
    platform.query(`INSERT INTO audit_log (id, at, actor_type, method, route, outcome) VALUES ($1, coalesce($2::timestamptz, ${LATER}), 'anonymous', 'POST', '/late', 'committed')`, [
      randomUUID(),
      at ?? null,
    ]);

  /** People named in runs of ties ("Tess Tie 004" six times over), so a page often ends inside a run. */
  const seedPeople = (n: number, prefix: string) =>
    platform.query(
      `INSERT INTO people (id, name, role, consent_to_contact, created_at, updated_at)
       SELECT gen_random_uuid(), $2 || lpad((i / 6)::text, 3, '0'), 'teacher', true, now(), now() FROM generate_series(1, $1::int) i`,
      [n, prefix],
    );
  /** One new person: of the very name given (a tie with a page's edge), or, alternately, first and last in the alphabet. */
  let arrivals = 0;
  const addPerson = (name?: string) =>
    platform.query(`INSERT INTO people (id, name, role, consent_to_contact, created_at, updated_at) VALUES ($1, $2, 'teacher', true, now(), now())`, [
      randomUUID(),
      name ?? (arrivals++ % 2 ? `Zed Late ${arrivals}` : `Aaron Early ${arrivals}`),
    ]);

  /** Schools named in runs of ties too ("Tied Academy 004" six times over). */
  const seedSchools = (n: number) =>
    platform.query(
      `INSERT INTO schools (id, urn, name, phase, created_at, updated_at)
       SELECT gen_random_uuid(), 900000 + i, 'Tied Academy ' || lpad((i / 6)::text, 3, '0'), 'secondary', now(), now() FROM generate_series(1, $1::int) i`,
      [n],
    );
  let schoolArrivals = 0;
  const addSchool = (name?: string) => {
    schoolArrivals++;
    return platform.query(`INSERT INTO schools (id, urn, name, phase, created_at, updated_at) VALUES ($1, $2, $3, 'primary', now(), now())`, [
      randomUUID(),
      950000 + schoolArrivals,
      name ?? (schoolArrivals % 2 ? `Zenith School ${schoolArrivals}` : `Abbey School ${schoolArrivals}`),
    ]);
  };

  /**
   * Follows `next` from the first page to the last, adding rows before each fetch after the
   * first: two newer than anything (or either end of the alphabet), two of the exact instant
   * (or name) the last page ended on. Then follows `previous` back to the top, adding rows the
   * same way. Every row there at the start is seen once each way, none twice.
   */
  async function pageThrough(path: string, table: 'notifications' | 'audit_log' | 'people' | 'schools', add: (edge?: string) => Promise<unknown>) {
    const sortValue = { notifications: 'created_at::text', audit_log: 'at::text', people: 'name', schools: 'name' }[table];
    const atStart = (await platform.query<{ id: string }>(`SELECT id FROM ${table}`)).map((r) => r.id);
    expect(atStart.length).toBeGreaterThan(100);
    const instantOf = async (id: string) => (await platform.query<{ t: string }>(`SELECT ${sortValue} AS t FROM ${table} WHERE id = $1`, [id]))[0].t;

    const walk = async (first: string, onward: 'next' | 'previous', param: 'after' | 'before') => {
      const seen: string[] = [];
      let page = await ok(first);
      for (let fetched = 1; ; fetched++) {
        expect(fetched).toBeLessThan(100);
        seen.push(...(onward === 'next' ? page.items : [...page.items].reverse()).map((r) => r.id));
        const cursor = page[onward];
        if (!cursor) break;
        const edge = onward === 'next' ? page.items.at(-1)! : page.items[0];
        await add();
        await add(await instantOf(edge.id));
        await add(await instantOf(edge.id));
        await add();
        page = await ok(`${path}${path.includes('?') ? '&' : '?'}${param}=${cursor}`);
        expect(page.page).toBeNull();
      }
      return { seen, last: page };
    };

    const down = await walk(path, 'next', 'after');
    expect(new Set(down.seen).size).toBe(down.seen.length);
    expect(down.seen).toEqual(expect.arrayContaining(atStart));
    expect(down.last.next).toBeNull();
    expect(down.last.previous).not.toBeNull();

    const up = await walk(`${path}${path.includes('?') ? '&' : '?'}before=${down.last.previous}`, 'previous', 'before');
    expect(new Set(up.seen).size).toBe(up.seen.length);
    const olderThanLastPage = new Set(down.last.items.map((r) => r.id));
    expect(up.seen).toEqual(expect.arrayContaining(atStart.filter((id) => !olderThanLastPage.has(id))));
  }

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'list-cursors' });
    base = `http://127.0.0.1:${platform.apiPort}`;
    await seedNotifications(230, 'survey.invitation');
    await platform.query(
      `INSERT INTO audit_log (id, at, actor_type, method, route, outcome)
       SELECT gen_random_uuid(), timestamptz '2027-03-01 09:00:00.654321Z' - (i / 5) * interval '1.000001 second', 'anonymous', 'PATCH', '/seed/' || i, 'unchanged'
         FROM generate_series(1, 170) i`,
    );
    await seedPeople(150, 'Tess Tie ');
    await seedSchools(150);
    await makeStaff(platform, { role: 'admin', name: 'Kit Keyset', email: ADMIN });
  }, 600_000);

  afterAll(async () => {
    await platform?.stop();
  });

  it('shows every email once, none twice, following next and then previous while emails arrive', async () => {
    await pageThrough('/api/v1/notifications?pageSize=20', 'notifications', addNotification);
  });

  it('shows every audit entry once, none twice, following next and then previous while entries arrive', async () => {
    await pageThrough('/api/v1/audit?pageSize=20', 'audit_log', addAudit);
  });

  it('shows every person once, none twice, following next and then previous while people are added, names that tie among them', async () => {
    await pageThrough('/api/v1/people?pageSize=20', 'people', addPerson);
    // People of one name come in the order of their ids, so a page may end between two of them.
    const named = await ok('/api/v1/people?pageSize=200&q=Tess%20Tie%20004');
    expect(named.items.length).toBeGreaterThanOrEqual(6);
    const ids = named.items.map((p) => p.id);
    expect(ids).toEqual([...ids].sort());
  });

  it('shows every school once, none twice, following next and then previous while schools are added, names that tie among them', async () => {
    await pageThrough('/api/v1/schools?pageSize=20', 'schools', addSchool);
  });

  it('still answers page and pageSize, and hands out cursors from a numbered page', async () => {
    for (const path of ['/api/v1/notifications', '/api/v1/audit', '/api/v1/people', '/api/v1/schools']) {
      const first = await ok(`${path}?pageSize=10`);
      expect(first).toMatchObject({ page: 1, pageSize: 10, totalIsAtLeast: false, previous: null });
      expect(first.items).toHaveLength(10);
      expect(first.total).toBeGreaterThan(100);
      const second = await ok(`${path}?page=2&pageSize=10`);
      expect(second.page).toBe(2);
      expect((await ok(`${path}?pageSize=10&after=${first.next}`)).items).toEqual(second.items);
      expect((await ok(`${path}?pageSize=10&before=${second.previous}`)).items).toEqual(first.items);
    }
  });

  it('refuses a cursor it did not hand out, or two ways through the list at once, with a 400 problem', async () => {
    const { next } = await ok('/api/v1/audit?pageSize=5');
    const made = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const path of ['/api/v1/notifications', '/api/v1/audit']) {
      for (const bad of [
        'x',
        'not a cursor',
        next!.slice(0, -3),
        made(['2027-02-31T09:00:00.000000Z', randomUUID()]),
        made(['2027-03-01T09:00:00Z', randomUUID()]),
        made(['0000-01-01T09:00:00.000000Z', randomUUID()]),
        made(['2027-03-01T09:00:00.000000Z', 'x']),
        made({}),
      ]) {
        expectProblem(await platform.http('GET', `${path}?after=${encodeURIComponent(bad)}`), 'after');
        expectProblem(await platform.http('GET', `${path}?before=${encodeURIComponent(bad)}`), 'before');
      }
      expectProblem(await platform.http('GET', `${path}?after=${next}&before=${next}`));
      expectProblem(await platform.http('GET', `${path}?page=2&after=${next}`), 'after');
      expect((await platform.http('GET', `${path}?page=1&after=${next}`)).status).toBe(200);
    }

    const { next: byName } = await ok('/api/v1/people?pageSize=5');
    for (const bad of [
      'x',
      'not a cursor',
      byName!.slice(0, -3),
      made(['', randomUUID()]),
      made(['Tess\u0000Tie', randomUUID()]),
      made(['Tess Tie', 'x']),
      made([7, randomUUID()]),
      made(['Tess Tie', randomUUID(), 'more']),
      made({}),
    ]) {
      for (const path of ['/api/v1/people', '/api/v1/schools']) {
        expectProblem(await platform.http('GET', `${path}?after=${encodeURIComponent(bad)}`), 'after');
        expectProblem(await platform.http('GET', `${path}?before=${encodeURIComponent(bad)}`), 'before');
      }
    }
    for (const path of ['/api/v1/people', '/api/v1/schools']) {
      expectProblem(await platform.http('GET', `${path}?after=${byName}&before=${byName}`));
      expectProblem(await platform.http('GET', `${path}?page=2&after=${byName}`), 'after');
    }
    // A name as a newest-first list's cursor is no place in it.
    expectProblem(await platform.http('GET', `/api/v1/audit?after=${byName}`), 'after');
  });

  it('gives the console Newer and Older links carrying the filters, a 400 page for a broken one, and stops counting above ten thousand', async () => {
    const browser = new FormClient(base);
    expect((await browser.send('/', { email: ADMIN })).status).toBe(303);
    const message = await eventually(async () => {
      const sent = platform.catcher.messages.filter((m) => m.to.includes(ADMIN));
      if (sent.length === 0) throw new Error('no sign-in email yet');
      return sent[0];
    });
    const signIn = linkIn(message, 'sign-in');
    expect((await browser.open(signIn)).status).toBe(200);
    expect((await browser.send(signIn)).status).toBe(303);

    const html = async (path: string, status = 200) => {
      const answer = await browser.open(path);
      expect(answer.status).toBe(status);
      return (await answer.text()).replace(/&amp;/g, '&');
    };
    const hrefOf = (page: string, text: string) => page.match(new RegExp(`href="([^"]+)"[^>]*>\\s*(?:<svg[\\s\\S]*?</svg>\\s*)?<span class="govuk-pagination__link-title[^"]*">\\s*${text}`))?.[1];

    for (const list of ['/emails?status=sent', '/audit?method=PATCH']) {
      const first = await html(list);
      expect(hrefOf(first, 'Newer')).toBeUndefined();
      const older = hrefOf(first, 'Older')!;
      expect(older).toMatch(new RegExp(`^${list.replace('?', '\\?')}&after=`));
      const second = await html(older);
      expect(hrefOf(second, 'Newer')).toMatch(new RegExp(`^${list.replace('?', '\\?')}&before=`));
      expect(hrefOf(await html(hrefOf(second, 'Newer')!), 'Newer')).toBeUndefined();

      const broken = await html(`${older.slice(0, -4)}`, 400);
      expect(broken).toContain('There is a problem');
      expect(broken).toContain('This link to a page of the list is not complete');
    }
    expect(await html('/emails')).toMatch(/<strong>[\d,]+<\/strong> emails/);

    const people = '/people?q=Tess';
    const first = await html(people);
    expect(first).toMatch(/>\s*\d+ people found</);
    expect(hrefOf(first, 'Previous')).toBeUndefined();
    const later = hrefOf(first, 'Next')!;
    expect(later).toMatch(/^\/people\?q=Tess&after=/);
    const second = await html(later);
    expect(hrefOf(second, 'Previous')).toMatch(/^\/people\?q=Tess&before=/);
    expect(hrefOf(await html(hrefOf(second, 'Previous')!), 'Previous')).toBeUndefined();
    expect(await html(`${later.slice(0, -4)}`, 400)).toContain('This link to a page of the list is not complete');
    expect(await html('/people?page=2')).toMatch(/href="\/people\?before=/);

    const schools = '/schools?q=Tied';
    const firstSchools = await html(schools);
    expect(firstSchools).toMatch(/Showing 1 to 50 of \d+ schools that match/);
    expect(hrefOf(firstSchools, 'Previous')).toBeUndefined();
    const laterSchools = hrefOf(firstSchools, 'Next')!;
    expect(laterSchools).toMatch(/^\/schools\?q=Tied&after=/);
    const secondSchools = await html(laterSchools);
    expect(secondSchools).toMatch(/>\s*\d+ schools that match/);
    expect(hrefOf(secondSchools, 'Previous')).toMatch(/^\/schools\?q=Tied&before=/);
    expect(hrefOf(await html(hrefOf(secondSchools, 'Previous')!), 'Previous')).toBeUndefined();
    await html(`${laterSchools.slice(0, -4)}`, 400);

    await seedNotifications(10_050, 'many.more');
    expect(await ok('/api/v1/notifications?pageSize=1')).toMatchObject({ total: 10_001, totalIsAtLeast: true });
    expect(await ok('/api/v1/notifications?pageSize=1&kind=survey.invitation')).toMatchObject({ totalIsAtLeast: false });
    expect(await html('/emails')).toContain('<strong>More than 10,000</strong> emails');

    await seedPeople(10_050, 'Many More ');
    expect(await ok('/api/v1/people?pageSize=1')).toMatchObject({ total: 10_001, totalIsAtLeast: true });
    expect(await ok('/api/v1/people?pageSize=1&q=Tess')).toMatchObject({ totalIsAtLeast: false });
    expect(await html('/people')).toContain('More than 10,000 people');
  });
});
