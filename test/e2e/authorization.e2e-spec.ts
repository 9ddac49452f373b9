import { randomUUID } from 'node:crypto';
import { TestPlatform, type HttpAnswer } from '../support/platform.js';
import { addTeacher, buildProgramme } from '../support/programme.js';

/**
 * The authorization matrix: every route × every scoped role × a record outside the
 * token's scope. Tokens are scoped to programme A; programme B's records must answer
 * exactly as absent ones do (404, lists simply without them), a role a route does not
 * name gets 403, and no refused write changes a row.
 */

type ScopedRole = 'programme_manager' | 'educational_lead' | 'school_contact' | 'ambassador';
const SCOPED_ROLES: ScopedRole[] = ['programme_manager', 'educational_lead', 'school_contact', 'ambassador'];

// The @Roles lists in apps/api/src/*/*.controller.ts (admin may always; no route names the ambassador).
const READERS: ScopedRole[] = ['programme_manager', 'educational_lead', 'school_contact'];
const MANAGER_OR_LEAD: ScopedRole[] = ['programme_manager', 'educational_lead'];
const MANAGER: ScopedRole[] = ['programme_manager'];
const ADMIN: ScopedRole[] = [];

/** One programme's records. `school` is the school contact's school; `sibling` the other school of the partnership. */
interface Records {
  programme: string;
  cohort: string;
  partnership: string;
  school: string;
  sibling: string;
  teacher: string;
  siblingTeacher: string;
  lead: string;
  course: string;
  session: string;
  booking: string;
  /** Hosted by `school`, attended by `school` and `sibling`. */
  event: string;
  /** Hosted and attended by `sibling` alone. */
  siblingEvent: string;
  /** `school`'s request for STEM Ambassadors. */
  ambassadorRequest: string;
}

/** `{key}` names the record under test, `{own.key}` the token's own record (programme A). */
const fill = (template: string, target: Records, own: Records) =>
  template.replace(/\{(own\.)?(\w+)\}/g, (_, isOwn: string | undefined, key: keyof Records) => (isOwn ? own : target)[key]);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const sessionStart = new Date(Date.now() + 30 * DAY);
const sessionBody = () => ({
  startsAt: new Date(sessionStart.getTime() + DAY).toISOString(), endsAt: new Date(sessionStart.getTime() + DAY + 6 * HOUR).toISOString(), venue: 'Teesside University', capacity: 30,
});
const eventBody = (host: string, schools: string[], programmeId?: string) => ({
  ...(programmeId ? { programmeId } : {}),
  type: 'stem_club', title: 'Year 8 bridge-building challenge', occursOn: '2026-11-20', hostSchoolId: host, schoolIds: schools,
  audience: { pupils: 30, parents: 0, staff: 2, otherSchools: 0 }, keyStages: ['ks3'],
});

const ambassadorRequestBody = () => ({
  activityType: 'Careers talk', startsAt: new Date(sessionStart.getTime() + 2 * DAY).toISOString(), endsAt: new Date(sessionStart.getTime() + 2 * DAY + 2 * HOUR).toISOString(),
  keyStages: ['ks3'], numberWanted: 2,
});

const READS: Array<{ route: string; allowed: ScopedRole[] }> = [
  { route: '/schools/{school}', allowed: READERS },
  { route: '/schools/{school}/timeline', allowed: READERS },
  { route: '/schools/{school}/contacts', allowed: READERS },
  { route: '/schools/{school}/ofsted', allowed: READERS },
  { route: '/schools/{school}/status-history', allowed: READERS },
  { route: '/schools/{school}/cpd', allowed: READERS },
  { route: '/partnerships/{partnership}', allowed: READERS },
  { route: '/partnerships/{partnership}/members', allowed: READERS },
  { route: '/partnerships/{partnership}/budget', allowed: MANAGER_OR_LEAD },
  { route: '/programmes/{programme}', allowed: READERS },
  { route: '/programmes/{programme}/cohorts', allowed: READERS },
  { route: '/programmes/{programme}/kpis', allowed: MANAGER_OR_LEAD },
  { route: '/cohorts/{cohort}', allowed: READERS },
  { route: '/people/{teacher}', allowed: READERS },
  { route: '/people/{lead}', allowed: READERS },
  { route: '/people/{teacher}/cpd', allowed: READERS },
  { route: '/courses/{course}', allowed: READERS },
  { route: '/courses/{course}/sessions', allowed: READERS },
  { route: '/sessions/{session}', allowed: READERS },
  { route: '/sessions/{session}/bookings', allowed: READERS },
  { route: '/bookings/{booking}', allowed: READERS },
  { route: '/enrichment-events/{event}', allowed: READERS },
  { route: '/reports/budget-by-partnership?programmeId={programme}', allowed: MANAGER_OR_LEAD },
  { route: '/reports/participation-by-phase?partnershipId={partnership}', allowed: MANAGER_OR_LEAD },
  { route: '/sessions/{session}/feedback', allowed: READERS },
  { route: '/courses/{course}/feedback', allowed: READERS },
  { route: '/people/{teacher}/survey-responses', allowed: READERS },
  { route: '/schools/{school}/self-evaluations', allowed: READERS },
  { route: '/cohorts/{cohort}/self-evaluation', allowed: READERS },
  { route: '/cohorts/{cohort}/self-evaluations', allowed: READERS },
  { route: '/schools/{school}/ambassador-requests', allowed: READERS },
  { route: '/ambassador-requests/{ambassadorRequest}', allowed: READERS },
  { route: '/people/{teacher}/consents', allowed: READERS },
  { route: '/people/{teacher}/export', allowed: MANAGER },
];

interface Write {
  route: string;
  /** What of programme B's the write names, when it is not the record in the path. */
  what?: string;
  allowed: ScopedRole[];
  body?: (target: Records, own: Records) => unknown;
}

/** Writes that name the record in the path. Bodies are valid, so only scope can refuse them. */
const PATH_WRITES: Write[] = [
  { route: 'PATCH /schools/{school}', allowed: MANAGER_OR_LEAD, body: () => ({ fsmPercent: 42.5, trust: 'Elsewhere Trust' }) },
  { route: 'POST /schools/{school}/status', allowed: MANAGER_OR_LEAD, body: () => ({ status: 'active', reason: 'Came to every network meeting' }) },
  { route: 'POST /schools/{school}/contacts', allowed: READERS, body: () => ({ role: 'stem_lead', name: 'Sam Patel', email: 'sam.patel@elsewhere.example.org' }) },
  { route: 'POST /schools/{school}/ofsted', allowed: MANAGER_OR_LEAD, body: () => ({ inspectedOn: '2026-10-01', rating: 1 }) },
  { route: 'PATCH /partnerships/{partnership}', allowed: MANAGER, body: () => ({ name: 'Renamed Partnership', area: 'Elsewhere' }) },
  { route: 'PUT /cohorts/{cohort}/self-evaluation', allowed: MANAGER, body: () => ({ frameworkKey: 'iris-ri', elementKeys: ['1.5'] }) },
  { route: 'POST /partnerships/{partnership}/members', allowed: MANAGER_OR_LEAD, body: (_, own) => ({ schoolId: own.school }) },
  { route: 'DELETE /partnerships/{partnership}/members/{school}', allowed: MANAGER_OR_LEAD },
  { route: 'POST /partnerships/{partnership}/budget/overrides', allowed: MANAGER, body: () => ({ amountPence: 50_000, reason: 'Trustees approved a second place' }) },
  { route: 'POST /programmes/{programme}/cohorts', allowed: MANAGER, body: () => ({ name: 'Wave 2', startsOn: '2027-09-01', endsOn: '2028-07-21', calendarKey: 'england' }) },
  { route: 'PATCH /cohorts/{cohort}', allowed: MANAGER, body: () => ({ status: 'closed' }) },
  { route: 'PATCH /people/{teacher}', allowed: READERS, body: () => ({ name: 'Renamed Teacher', careerStage: 'nqt' }) },
  { route: 'POST /courses/{course}/sessions', allowed: MANAGER, body: sessionBody },
  { route: 'POST /sessions/{session}/bookings', allowed: READERS, body: (_, own) => ({ personId: own.teacher }) },
  { route: 'POST /sessions/{session}/register', allowed: MANAGER_OR_LEAD, body: () => ({ attended: [], noShow: [] }) },
  { route: 'POST /bookings/{booking}/cancel', allowed: READERS, body: () => ({ reason: 'Supply cover fell through' }) },
  { route: 'POST /bookings/{booking}/accept', allowed: READERS },
  { route: 'POST /bookings/{booking}/decline', allowed: READERS },
  { route: 'PUT /enrichment-events/{event}', allowed: READERS, body: (_, own) => ({ ...eventBody(own.school, [own.school], own.programme), reason: 'Pupil count was the whole year group' }) },
  { route: 'POST /schools/{school}/ambassador-requests', allowed: READERS, body: ambassadorRequestBody },
  { route: 'POST /ambassador-requests/{ambassadorRequest}/cancel', allowed: READERS, body: () => ({ reason: 'The trip was moved' }) },
  { route: 'POST /ambassador-requests/{ambassadorRequest}/delivery', allowed: READERS, body: () => ({ delivered: true, pupilsReached: 30 }) },
];

/** Writes on the token's own records (or none) that name one of programme B's records in the body. */
const BODY_WRITES: Write[] = [
  { route: 'POST /people', what: 'a school of programme B for a new person', allowed: READERS, body: (t) => ({ schoolId: t.school, name: 'New Teacher', email: 'new.teacher@elsewhere.example.org', role: 'teacher' }) },
  { route: 'PATCH /people/{own.teacher}', what: 'a school of programme B to move its teacher to', allowed: READERS, body: (t) => ({ schoolId: t.school }) },
  { route: 'POST /partnerships', what: 'a cohort of programme B', allowed: MANAGER, body: (t) => ({ name: 'Poached Partnership', cohortId: t.cohort }) },
  { route: 'POST /partnerships/{own.partnership}/members', what: 'a school of programme B to join', allowed: MANAGER_OR_LEAD, body: (t) => ({ schoolId: t.sibling }) },
  { route: 'DELETE /partnerships/{own.partnership}/members/{school}', what: 'a school of programme B to remove', allowed: MANAGER_OR_LEAD },
  { route: 'POST /courses', what: 'programme B', allowed: MANAGER, body: (t) => ({ programmeId: t.programme, title: 'Poached course', subject: 'science', format: 'local', hours: 6, costPence: 0 }) },
  { route: 'POST /sessions/{own.session}/bookings', what: 'a teacher of programme B to book', allowed: READERS, body: (t) => ({ personId: t.teacher }) },
  { route: 'POST /cpd-records', what: 'a teacher of programme B', allowed: READERS, body: (t) => ({ personId: t.teacher, channel: 'coaching', subject: 'science', title: 'Coaching: practicals', hours: 2, occurredOn: '2026-11-12' }) },
  { route: 'POST /enrichment-events', what: 'programme B', allowed: READERS, body: (t, own) => eventBody(own.school, [own.school], t.programme) },
  { route: 'POST /enrichment-events', what: 'a school of programme B that attended', allowed: READERS, body: (t, own) => eventBody(own.school, [own.school, t.school]) },
  { route: 'PUT /enrichment-events/{own.event}', what: 'a school of programme B that attended', allowed: READERS, body: (t, own) => ({ ...eventBody(own.school, [own.school, t.school], own.programme), reason: 'Another school came too' }) },
  { route: 'PATCH /partnerships/{own.partnership}', what: "a teacher of programme B as its partnership's lead", allowed: MANAGER, body: (t) => ({ educationalLeadId: t.teacher }) },
  { route: 'POST /partnerships', what: "a teacher of programme B as the new partnership's lead", allowed: MANAGER, body: (t, own) => ({ name: 'Led From Elsewhere', cohortId: own.cohort, educationalLeadId: t.teacher }) },
  // Last: if one of these two slips through, B's lead becomes visible to programme A's tokens.
  { route: 'PATCH /partnerships/{own.partnership}', what: "programme B's educational lead as its partnership's lead", allowed: MANAGER, body: (t) => ({ educationalLeadId: t.lead }) },
  { route: 'POST /partnerships', what: "programme B's educational lead as the new partnership's lead", allowed: MANAGER, body: (t, own) => ({ name: 'Led From Elsewhere', cohortId: own.cohort, educationalLeadId: t.lead }) },
];

const LISTS: Array<{ list: string; allowed: ScopedRole[]; own: keyof Records; read: string }> = [
  { list: '/schools?pageSize=200', allowed: READERS, own: 'school', read: '/schools/' },
  { list: '/partnerships?pageSize=200', allowed: READERS, own: 'partnership', read: '/partnerships/' },
  { list: '/programmes', allowed: READERS, own: 'programme', read: '/programmes/' },
  { list: '/people?pageSize=200', allowed: READERS, own: 'teacher', read: '/people/' },
  { list: '/courses?pageSize=200', allowed: READERS, own: 'course', read: '/courses/' },
  { list: '/enrichment-events?pageSize=200', allowed: READERS, own: 'event', read: '/enrichment-events/' },
];

/** Routes no scoped role may call; no id in them is looked at before the role is. */
const ADMIN_ROUTES: Write[] = [
  { route: 'GET /notifications', allowed: ADMIN },
  { route: `GET /notifications/${randomUUID()}`, allowed: ADMIN },
  { route: 'GET /admin/clock', allowed: ADMIN },
  { route: 'POST /admin/clock', allowed: ADMIN, body: () => ({ now: '2027-01-05T08:00:00Z' }) },
  { route: 'POST /programmes', allowed: ADMIN, body: () => ({ name: 'Rogue', startsOn: '2026-09-01', endsOn: '2027-08-31', frameworkKey: 'ats-maturity', kpiDefinition: { completeRecordRequires: ['email'] } }) },
];

const split = (route: string) => {
  const [method, path] = route.split(' ');
  return { method, path };
};

/** A role the route does not name: 403. Otherwise out of scope reads as absent: 404. */
const expectation = (allowed: ScopedRole[], role: ScopedRole, inScope: boolean) => (!allowed.includes(role) ? 403 : inScope ? 200 : 404);

const readCases = READS.flatMap(({ route, allowed }) =>
  SCOPED_ROLES.flatMap((role) =>
    (['own', 'other'] as const).map((whose) => {
      const expected = expectation(allowed, role, whose === 'own');
      return { title: `${role} GET ${route} on ${whose === 'own' ? "programme A's" : "programme B's"} record → ${expected}`, route, role, whose, expected };
    }),
  ),
);

const writeCases = (writes: Write[]) =>
  writes.flatMap((write) =>
    SCOPED_ROLES.map((role) => {
      const expected = expectation(write.allowed, role, false);
      return { title: `${role} ${write.route} naming ${write.what ?? "programme B's record"} → ${expected}, nothing stored`, write, role, expected };
    }),
  );

const TABLES = [
  'programmes', 'cohorts', 'partnerships', 'partnership_members', 'schools', 'school_status_changes', 'school_contacts', 'ofsted_inspections', 'people',
  'cpd_courses', 'cpd_sessions', 'cpd_bookings', 'cpd_booking_history', 'budget_entries', 'cpd_records', 'enrichment_events', 'enrichment_event_schools',
  'enrichment_event_versions', 'scheduled_actions', 'outbox_events', 'notifications', 'survey_invitations', 'survey_responses',
  'cohort_self_evaluation', 'self_evaluation_frameworks', 'ambassador_requests', 'ambassador_offers', 'offer_answers',
];
const SNAPSHOT_SQL = TABLES.map(
  (t) => `SELECT '${t}' AS name, count(*)::int AS rows, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS digest FROM ${t} x`,
).join(' UNION ALL ');

const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** A problem answer with its ids blanked, to compare the answer for B's record with the one for an absent record. */
const problemOf = (answer: HttpAnswer) => ({ status: answer.status, title: answer.body?.title, detail: String(answer.body?.detail ?? '').replace(UUIDS, '<id>') });

describe("authorization: every route × every scoped role × a record outside the token's scope", () => {
  let platform: TestPlatform;
  let A: Records;
  let B: Records;
  /** Ids no record has: what "absent" answers look like. */
  const missing = {} as Records;
  const tokens = {} as Record<ScopedRole, string>;
  let revokedToken: string;

  async function created(path: string, body: unknown): Promise<any> {
    const answer = await platform.http('POST', `/api/v1${path}`, body);
    if (answer.status !== 201 && answer.status !== 200) throw new Error(`POST ${path}: ${answer.status} ${answer.text}`);
    return answer.body;
  }

  async function arrange(name: string, urnBase: number): Promise<Records> {
    const fixture = await buildProgramme(platform, { name, schools: 2, urnBase });
    const [school, sibling] = fixture.schoolIds;
    const teacher = await addTeacher(platform, school, urnBase);
    const siblingTeacher = await addTeacher(platform, sibling, urnBase + 1);
    const lead = await created('/people', { name: `${name} Lead`, email: `lead.${urnBase}@stemflow.example.org`, role: 'educational_lead' });
    const led = await platform.http('PATCH', `/api/v1/partnerships/${fixture.partnershipId}`, { educationalLeadId: lead.id });
    if (led.status !== 200) throw new Error(`PATCH partnership lead: ${led.status} ${led.text}`);
    const course = await created('/courses', { programmeId: fixture.programmeId, title: `${name} practical physics`, subject: 'science', format: 'local', hours: 6, costPence: 10_000 });
    const session = await created(`/courses/${course.id}/sessions`, sessionBody());
    const booking = await created(`/sessions/${session.id}/bookings`, { personId: teacher.id });
    await created(`/sessions/${session.id}/bookings`, { personId: siblingTeacher.id });
    const event = await created('/enrichment-events', eventBody(school, [school, sibling], fixture.programmeId));
    const siblingEvent = await created('/enrichment-events', eventBody(sibling, [sibling], fixture.programmeId));
    const ambassadorRequest = await created(`/schools/${school}/ambassador-requests`, ambassadorRequestBody());
    for (const id of [school, sibling]) {
      await created(`/schools/${id}/ofsted`, { inspectedOn: '2024-05-14', rating: 2 });
      await created(`/schools/${id}/contacts`, { role: 'stem_lead', name: 'Jo Bloggs', email: `stem.lead.${id.slice(0, 8)}@school.example.org` });
    }
    return {
      programme: fixture.programmeId, cohort: fixture.cohortId, partnership: fixture.partnershipId, school, sibling, teacher: teacher.id,
      siblingTeacher: siblingTeacher.id, lead: lead.id, course: course.id, session: session.id, booking: booking.id, event: event.id, siblingEvent: siblingEvent.id,
      ambassadorRequest: ambassadorRequest.id,
    };
  }

  async function token(role: string, scope: string, name = `${role} token`): Promise<string> {
    const made = await platform.run('node', ['dist/tools/token.js', '--role', role, '--scope', scope, '--name', name], { DATABASE_URL: platform.databaseUrl });
    if (made.code !== 0) throw new Error(`token: ${made.stderr}`);
    return made.stdout.trim();
  }

  const as = (credential: string | null) => ({ authorization: credential === null ? '' : `Bearer ${credential}` });
  const send = (credential: string | null, method: string, path: string, body?: unknown) => platform.http(method, `/api/v1${path}`, body, as(credential));

  async function snapshot(): Promise<Map<string, { rows: number; digest: string }>> {
    const rows = await platform.query<{ name: string; rows: number; digest: string }>(SNAPSHOT_SQL);
    return new Map(rows.map((r) => [r.name, { rows: r.rows, digest: r.digest }]));
  }
  /** Tables whose rows changed, e.g. "cpd_bookings: 4 → 5 rows". */
  const changes = (before: Map<string, { rows: number; digest: string }>, after: Map<string, { rows: number; digest: string }>) =>
    TABLES.filter((t) => before.get(t)!.digest !== after.get(t)!.digest).map((t) => `${t}: ${before.get(t)!.rows} → ${after.get(t)!.rows} rows`);

  /** A write naming B's record is refused exactly as one naming an absent record, and no row changes. */
  async function expectRefused(role: ScopedRole, write: Write, expected: number) {
    const { method, path } = split(write.route);
    const before = await snapshot();
    const answer = await send(tokens[role], method, fill(path, B, A), write.body?.(B, A));
    const absent = await send(tokens[role], method, fill(path, missing, A), write.body?.(missing, A));
    expect({ answer: problemOf(answer), changed: changes(before, await snapshot()) }).toEqual({
      answer: expected === 404 ? problemOf(absent) : expect.objectContaining({ status: expected }),
      changed: [],
    });
    expect(absent.status).toBe(expected);
  }

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'authorization', startWorker: false });
    [A, B] = await Promise.all([arrange('Programme A', 810_000), arrange('Programme B', 820_000)]);
    for (const key of Object.keys(A) as Array<keyof Records>) missing[key] = randomUUID();
    // A token's scope must name a record that exists, so the ambassador's token is for a real ambassador.
    const ambassador = await created('/ambassadors', {
      name: 'Matrix Ambassador', email: 'matrix.ambassador@industry.example.com', employer: 'Tees Engineering', sector: 'Engineering', skills: ['robotics'], keyStages: ['ks3'],
      postcode: 'TS1 3BA', latitude: 54.57, longitude: -1.23, travelRadiusKm: 50, availability: { weekdays: [1, 2, 3, 4, 5] }, offersVirtual: true,
    });
    const made = await Promise.all([
      token('programme_manager', `programme:${A.programme}`),
      token('educational_lead', `partnership:${A.partnership}`),
      token('school_contact', `school:${A.school}`),
      token('ambassador', `ambassador:${ambassador.id}`),
      token('programme_manager', `programme:${A.programme}`, 'revoked in test'),
    ]);
    [tokens.programme_manager, tokens.educational_lead, tokens.school_contact, tokens.ambassador, revokedToken] = made;
    // It worked until it was revoked.
    expect((await send(revokedToken, 'GET', `/programmes/${A.programme}`)).status).toBe(200);
    await platform.query(`UPDATE api_tokens SET revoked_at = now() WHERE name = 'revoked in test'`);
  });
  afterAll(async () => {
    await platform?.stop();
  });

  describe('a role a route does not name gets 403', () => {
    it.each(ADMIN_ROUTES.flatMap((write) => SCOPED_ROLES.map((role) => ({ title: `${role} ${write.route} → 403, nothing stored`, write, role }))))('$title', async ({ write, role }) => {
      await expectRefused(role, write, 403);
    });
  });

  describe('reads by id', () => {
    it.each(readCases)('$title', async ({ route, role, whose, expected }) => {
      const answer = await send(tokens[role], 'GET', fill(route, whose === 'own' ? A : B, A));
      expect(answer.status).toBe(expected);
      // Out of scope reads exactly as absent does.
      if (expected === 404) expect(problemOf(answer)).toEqual(problemOf(await send(tokens[role], 'GET', fill(route, missing, A))));
    });
  });

  describe("writes naming programme B's record in the path", () => {
    it.each(writeCases(PATH_WRITES))('$title', async ({ write, role, expected }) => {
      await expectRefused(role, write, expected);
    });
  });

  describe('lists', () => {
    const cases = LISTS.flatMap((l) => SCOPED_ROLES.map((role) => ({ ...l, role, expected: l.allowed.includes(role) ? 200 : 403 })));
    const ids = (answer: HttpAnswer): string[] => (Array.isArray(answer.body) ? answer.body : answer.body.items).map((item: { id: string }) => item.id);

    it.each(cases)("$role GET $list → $expected, holding its own record and no id of programme B's", async ({ list, own, role, expected }) => {
      const answer = await send(tokens[role], 'GET', list);
      expect(answer.status).toBe(expected);
      if (expected !== 200) return;
      expect(ids(answer)).toContain(A[own]);
      expect(Object.values(B).filter((id) => answer.text.includes(id))).toEqual([]);
    });

    it('the school contact lists exactly its own school', async () => {
      const answer = await send(tokens.school_contact, 'GET', '/schools?pageSize=200');
      expect(ids(answer)).toEqual([A.school]);
      expect(answer.body.total).toBe(1);
    });

    it.each(cases.filter((c) => c.expected === 200))('$role: every item of GET $list can be read by id with the same token', async ({ list, read, role }) => {
      const listed = ids(await send(tokens[role], 'GET', list));
      const unreadable = [];
      for (const id of listed) {
        const answer = await send(tokens[role], 'GET', `${read}${id}`);
        if (answer.status !== 200) unreadable.push({ id, status: answer.status, own: Object.entries(A).find(([, v]) => v === id)?.[0] });
      }
      expect(unreadable).toEqual([]);
    });
  });

  describe('without a valid token', () => {
    const routes = [
      ...READS.map((r): Write => ({ route: `GET ${r.route}`, allowed: r.allowed })),
      ...LISTS.map((l): Write => ({ route: `GET ${l.list}`, allowed: l.allowed })),
      ...PATH_WRITES,
      ...BODY_WRITES,
      ...ADMIN_ROUTES,
    ];
    const credentials: Array<[string, () => string | null]> = [
      ['no token', () => null],
      ['a garbage token', () => 'not-a-real-token-at-all'],
      ['a well-formed unknown token', () => `sf_${'A'.repeat(43)}`],
      ['a revoked token', () => revokedToken],
    ];
    it.each(credentials.flatMap(([kind, credential]) => routes.map(({ route, what, body }) => ({ title: `${kind}: ${route}${what ? ` naming ${what}` : ''} → 401`, route, body, credential }))))(
      '$title',
      async ({ route, body, credential }) => {
        const { method, path } = split(route);
        const before = method === 'GET' ? undefined : await snapshot();
        const answer = await send(credential(), method, fill(path, A, A), body?.(A, A));
        expect(answer.status).toBe(401);
        expect(answer.headers.get('www-authenticate')).toBe('Bearer');
        if (before) expect(changes(before, await snapshot())).toEqual([]);
      },
    );
  });

  describe("writes naming programme B's record in the body", () => {
    it.each(writeCases(BODY_WRITES))('$title', async ({ write, role, expected }) => {
      await expectRefused(role, write, expected);
    });
  });
});
