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
  /** The ambassador token's own profile (own); a pool ambassador (shared). */
  ambassador: string;
}

/** `{key}` names the record under test, `{own.key}` the token's own record (programme A). */
const fill = (template: string, target: Records, own: Records) => template.replace(/\{(own\.)?(\w+)\}/g, (_, isOwn: string | undefined, key: keyof Records) => (isOwn ? own : target)[key]);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const sessionStart = new Date(Date.now() + 30 * DAY);
const sessionBody = () => ({
  startsAt: new Date(sessionStart.getTime() + DAY).toISOString(),
  endsAt: new Date(sessionStart.getTime() + DAY + 6 * HOUR).toISOString(),
  venue: 'Teesside University',
  capacity: 30,
});
const eventBody = (host: string, schools: string[], programmeId?: string) => ({
  ...(programmeId ? { programmeId } : {}),
  type: 'stem_club',
  title: 'Year 8 bridge-building challenge',
  occursOn: '2026-11-20',
  hostSchoolId: host,
  schoolIds: schools,
  audience: { pupils: 30, parents: 0, staff: 2, otherSchools: 0 },
  keyStages: ['ks3'],
});

const ambassadorRequestBody = () => ({
  activityType: 'Careers talk',
  startsAt: new Date(sessionStart.getTime() + 2 * DAY).toISOString(),
  endsAt: new Date(sessionStart.getTime() + 2 * DAY + 2 * HOUR).toISOString(),
  keyStages: ['ks3'],
  numberWanted: 2,
});

/**
 * The worlds every record-naming operation is tried against, from programme A's tokens:
 * - own: programme A's records (the token's own scope);
 * - sibling: another partnership of programme A (its school, teacher, places, event, request);
 * - other: programme B's records;
 * - moved: a school that left A's partnership for B's, and a teacher it took on since;
 * - shared: a school on the register (in no partnership) with a teacher, and a pool ambassador.
 */
type World = 'own' | 'sibling' | 'other' | 'moved' | 'shared';
const WORLDS: World[] = ['own', 'sibling', 'other', 'moved', 'shared'];
const WORLD_TITLE: Record<World, string> = {
  own: "programme A's record",
  sibling: "A's sibling partnership's record",
  other: "programme B's record",
  moved: 'a school that moved from A to B',
  shared: 'a shared record',
};

/** The records each world holds (built in beforeAll); an operation needing another is not tried there. */
const ALL_KEYS = [
  'programme',
  'cohort',
  'partnership',
  'school',
  'sibling',
  'teacher',
  'siblingTeacher',
  'lead',
  'course',
  'session',
  'booking',
  'event',
  'siblingEvent',
  'ambassadorRequest',
  'ambassador',
];
const HELD: Record<World, string[]> = {
  own: ALL_KEYS,
  sibling: ['partnership', 'school', 'teacher', 'booking', 'event', 'ambassadorRequest'],
  other: ALL_KEYS,
  moved: ['school', 'teacher'],
  shared: ['school', 'teacher', 'ambassador'],
};

/** What each role may do with school- and partnership-level records of each world (docs/ownership.md). */
const REACH: Record<ScopedRole, Record<World, 'change' | 'read' | 'none'>> = {
  programme_manager: { own: 'change', sibling: 'change', other: 'none', moved: 'none', shared: 'read' },
  educational_lead: { own: 'change', sibling: 'none', other: 'none', moved: 'none', shared: 'none' },
  school_contact: { own: 'change', sibling: 'none', other: 'none', moved: 'none', shared: 'none' },
  ambassador: { own: 'change', sibling: 'none', other: 'none', moved: 'none', shared: 'none' },
};

/** 'ok' is 2xx; 'absent' is the very answer an absent record gets; 'skip': not tried (a change in scope). */
type Outcome = 200 | 403 | 'absent' | 'skip';

/**
 * One entry per operation of the OpenAPI document, keyed "METHOD /path" as the document
 * spells it (without /api/v1). `params` names the record each path parameter takes (a key
 * of Records, filled from the world under test) or a fixed value ("=value"); `query` the
 * same for a query string. An operation without an entry fails the suite by name.
 */
interface Entry {
  allowed: ScopedRole[];
  params?: Record<string, string>;
  query?: string;
  body?: (target: Records, own: Records) => unknown;
  /** Other records the same parameters are tried with, e.g. a lead as well as a teacher for /people/{id}. */
  alsoWith?: Array<Record<string, string>>;
  /** Outcomes that differ from the rule in REACH, by world and role. */
  except?: Partial<Record<World, Partial<Record<ScopedRole, Outcome>>>>;
}
const AMBASSADOR_ONLY: ScopedRole[] = ['ambassador'];
const MANAGER_OR_AMBASSADOR: ScopedRole[] = ['programme_manager', 'ambassador'];

const MATRIX: Record<string, Entry> = {
  'GET /health': { allowed: SCOPED_ROLES },
  'GET /admin/clock': { allowed: ADMIN },
  'POST /admin/clock': { allowed: ADMIN, body: () => ({ now: '2027-01-05T08:00:00Z' }) },
  'POST /admin/retention/run': { allowed: ADMIN },
  'GET /admin/retention-runs': { allowed: ADMIN },
  'GET /audit': { allowed: ADMIN },
  // A manager's tokens stay inside their programme (tokens.e2e-spec tries each scope); others may not make or see tokens.
  'GET /tokens': { allowed: MANAGER },
  'POST /tokens': { allowed: MANAGER, body: (target) => ({ name: 'Matrix token', role: 'educational_lead', scope: `partnership:${target.partnership}` }) },
  'POST /tokens/{id}/revoke': { allowed: MANAGER, params: { id: `=${randomUUID()}` } },
  // People's accounts follow the tokens' rule (accounts-pages.e2e-spec tries a manager against another programme's).
  'GET /users': { allowed: MANAGER },
  'POST /users': { allowed: MANAGER, body: (target) => ({ name: 'Matrix person', email: 'matrix.person@example.org', role: 'educational_lead', scope: `partnership:${target.partnership}` }) },
  'GET /users/{id}': { allowed: MANAGER, params: { id: `=${randomUUID()}` } },
  'PATCH /users/{id}': { allowed: MANAGER, params: { id: `=${randomUUID()}` }, body: (target) => ({ role: 'educational_lead', scope: `partnership:${target.partnership}` }) },
  'POST /users/{id}/revoke': { allowed: MANAGER, params: { id: `=${randomUUID()}` } },
  // The ledger is read by the same rule as its records (the scoped list and reads are tried in "the email ledger" below).
  'GET /notifications': { allowed: MANAGER_OR_LEAD },
  'GET /notifications/{id}': { allowed: MANAGER_OR_LEAD, params: { id: `=${randomUUID()}` } },
  'POST /notifications/{id}/resend': { allowed: MANAGER_OR_LEAD, params: { id: `=${randomUUID()}` } },
  'GET /notifications/recipients/{email}': { allowed: ADMIN, params: { email: '=someone@school.example.org' } },
  'GET /templates': { allowed: MANAGER_OR_LEAD },
  'GET /templates/{key}/preview': { allowed: MANAGER_OR_LEAD, params: { key: '=booking.confirmed' } },
  'GET /calendars': { allowed: READERS },
  'GET /calendars/{key}': { allowed: READERS, params: { key: '=england' } },
  'POST /calendars': { allowed: MANAGER },
  'PUT /calendars/{key}': { allowed: MANAGER, params: { key: '=england' } },
  'GET /frameworks': { allowed: READERS },
  'GET /frameworks/{key}': { allowed: READERS, params: { key: '=iris-ri' } },
  'POST /frameworks': { allowed: MANAGER },
  'GET /survey-instruments': { allowed: READERS },
  'GET /survey-instruments/{key}': { allowed: READERS, params: { key: '=cpd-session-feedback' } },
  'GET /reports': { allowed: MANAGER_OR_LEAD },
  'GET /reports/export.zip': { allowed: MANAGER_OR_LEAD, query: '?programmeId={programme}' },
  'GET /reports/{key}': { allowed: MANAGER_OR_LEAD, params: { key: '=budget-by-partnership' }, query: '?partnershipId={partnership}' },

  'POST /programmes': {
    allowed: ADMIN,
    body: () => ({ name: 'Rogue', startsOn: '2026-09-01', endsOn: '2027-08-31', frameworkKey: 'ats-maturity', kpiDefinition: { completeRecordRequires: ['email'] } }),
  },
  'GET /programmes': { allowed: READERS },
  'GET /programmes/{id}': { allowed: READERS, params: { id: 'programme' } },
  'PATCH /programmes/{id}': { allowed: MANAGER, params: { id: 'programme' }, body: () => ({ funder: 'Another Funder' }) },
  'GET /programmes/{id}/kpis': { allowed: MANAGER_OR_LEAD, params: { id: 'programme' } },
  'POST /programmes/{id}/cohorts': { allowed: MANAGER, params: { id: 'programme' }, body: () => ({ name: 'Wave 2', startsOn: '2027-09-01', endsOn: '2028-07-21', calendarKey: 'england' }) },
  'GET /programmes/{id}/cohorts': { allowed: READERS, params: { id: 'programme' } },
  'GET /cohorts/{id}': { allowed: READERS, params: { id: 'cohort' } },
  'PATCH /cohorts/{id}': { allowed: MANAGER, params: { id: 'cohort' }, body: () => ({ status: 'closed' }) },
  'GET /cohorts/{id}/schedule': { allowed: MANAGER_OR_LEAD, params: { id: 'cohort' } },
  'GET /cohorts/{id}/self-evaluation': { allowed: READERS, params: { id: 'cohort' } },
  'PUT /cohorts/{id}/self-evaluation': { allowed: MANAGER, params: { id: 'cohort' }, body: () => ({ frameworkKey: 'iris-ri', elementKeys: ['1.5'] }) },
  'GET /cohorts/{id}/self-evaluations': { allowed: READERS, params: { id: 'cohort' } },
  'GET /self-evaluations/{id}': { allowed: READERS, params: { id: `=${randomUUID()}` } },

  'POST /partnerships': { allowed: MANAGER },
  'GET /partnerships': { allowed: READERS },
  'GET /partnerships/{id}': { allowed: READERS, params: { id: 'partnership' } },
  'PATCH /partnerships/{id}': { allowed: MANAGER, params: { id: 'partnership' }, body: () => ({ name: 'Renamed Partnership', area: 'Elsewhere' }) },
  'POST /partnerships/{id}/members': { allowed: MANAGER_OR_LEAD, params: { id: 'partnership' }, body: (_, own) => ({ schoolId: own.school }) },
  'DELETE /partnerships/{id}/members/{schoolId}': { allowed: MANAGER_OR_LEAD, params: { id: 'partnership', schoolId: 'school' } },
  'GET /partnerships/{id}/members': { allowed: READERS, params: { id: 'partnership' } },
  'GET /partnerships/{id}/budget': { allowed: MANAGER_OR_LEAD, params: { id: 'partnership' } },
  'POST /partnerships/{id}/budget/overrides': { allowed: MANAGER, params: { id: 'partnership' }, body: () => ({ amountPence: 50_000, reason: 'Trustees approved a second place' }) },

  'POST /schools': { allowed: MANAGER },
  'POST /schools/import': { allowed: MANAGER },
  'GET /schools': { allowed: READERS },
  'GET /schools/{id}': { allowed: READERS, params: { id: 'school' } },
  'PATCH /schools/{id}': { allowed: MANAGER_OR_LEAD, params: { id: 'school' }, body: () => ({ fsmPercent: 42.5, trust: 'Elsewhere Trust' }) },
  'GET /schools/{id}/timeline': { allowed: READERS, params: { id: 'school' } },
  'POST /schools/{id}/status': { allowed: MANAGER_OR_LEAD, params: { id: 'school' }, body: () => ({ status: 'active', reason: 'Came to every network meeting' }) },
  'GET /schools/{id}/status-history': { allowed: READERS, params: { id: 'school' } },
  'POST /schools/{id}/contacts': { allowed: READERS, params: { id: 'school' }, body: () => ({ role: 'stem_lead', name: 'Sam Patel', email: 'sam.patel@elsewhere.example.org' }) },
  'GET /schools/{id}/contacts': { allowed: READERS, params: { id: 'school' } },
  'POST /schools/{id}/ofsted': { allowed: MANAGER_OR_LEAD, params: { id: 'school' }, body: () => ({ inspectedOn: '2026-10-01', rating: 1 }) },
  'GET /schools/{id}/ofsted': { allowed: READERS, params: { id: 'school' } },
  'GET /schools/{id}/cpd': { allowed: READERS, params: { id: 'school' } },
  'GET /schools/{id}/self-evaluations': { allowed: READERS, params: { id: 'school' } },
  'POST /schools/{id}/ambassador-requests': { allowed: READERS, params: { id: 'school' }, body: ambassadorRequestBody },
  'GET /schools/{id}/ambassador-requests': { allowed: READERS, params: { id: 'school' } },

  'POST /people': { allowed: READERS },
  'GET /people': { allowed: READERS },
  'GET /people/{id}': { allowed: READERS, params: { id: 'teacher' }, alsoWith: [{ id: 'lead' }] },
  'PATCH /people/{id}': { allowed: READERS, params: { id: 'teacher' }, body: () => ({ name: 'Renamed Teacher', careerStage: 'nqt' }) },
  'GET /people/{id}/cpd': { allowed: READERS, params: { id: 'teacher' } },
  'GET /people/{id}/consents': { allowed: READERS, params: { id: 'teacher' } },
  'POST /people/{id}/consents': { allowed: READERS, params: { id: 'teacher' }, body: () => ({ purpose: 'surveys', granted: false }) },
  'GET /people/{id}/export': { allowed: MANAGER, params: { id: 'teacher' } },
  'POST /people/{id}/erase': { allowed: MANAGER, params: { id: 'teacher' } },
  'GET /people/{id}/survey-responses': { allowed: READERS, params: { id: 'teacher' } },

  'POST /courses': { allowed: MANAGER },
  'GET /courses': { allowed: READERS },
  'GET /courses/{id}': { allowed: READERS, params: { id: 'course' } },
  'PATCH /courses/{id}': { allowed: MANAGER, params: { id: 'course' }, body: () => ({ provider: 'Poached provider' }) },
  'POST /courses/{id}/sessions': { allowed: MANAGER, params: { id: 'course' }, body: sessionBody },
  'GET /courses/{id}/sessions': { allowed: READERS, params: { id: 'course' } },
  'GET /courses/{id}/feedback': { allowed: READERS, params: { id: 'course' } },
  'GET /sessions/{id}': { allowed: READERS, params: { id: 'session' } },
  'POST /sessions/{id}/move': { allowed: MANAGER, params: { id: 'session' }, body: () => ({ startsAt: sessionBody().startsAt, endsAt: sessionBody().endsAt, venue: 'Elsewhere Hall' }) },
  'POST /sessions/{id}/cancel': { allowed: MANAGER, params: { id: 'session' }, body: () => ({ reason: 'The trainer is ill' }) },
  'POST /sessions/{id}/bookings': { allowed: READERS, params: { id: 'session' }, body: (_, own) => ({ personId: own.teacher }) },
  'GET /sessions/{id}/bookings': { allowed: READERS, params: { id: 'session' } },
  'POST /sessions/{id}/register': { allowed: MANAGER_OR_LEAD, params: { id: 'session' }, body: () => ({ attended: [], noShow: [] }) },
  'GET /sessions/{id}/feedback': { allowed: READERS, params: { id: 'session' } },
  'GET /bookings/{id}': { allowed: READERS, params: { id: 'booking' } },
  'POST /bookings/{id}/cancel': { allowed: READERS, params: { id: 'booking' }, body: () => ({ reason: 'Supply cover fell through' }) },
  'POST /bookings/{id}/accept': { allowed: READERS, params: { id: 'booking' } },
  'POST /bookings/{id}/decline': { allowed: READERS, params: { id: 'booking' } },
  'POST /cpd-records': { allowed: READERS },

  'POST /enrichment-events': { allowed: READERS },
  'GET /enrichment-events': { allowed: READERS },
  'GET /enrichment-events/{id}': { allowed: READERS, params: { id: 'event' } },
  'PUT /enrichment-events/{id}': {
    allowed: READERS,
    params: { id: 'event' },
    body: (_, own) => ({ ...eventBody(own.school, [own.school], own.programme), reason: 'Pupil count was the whole year group' }),
  },
  'POST /enrichment-events/{id}/feedback-invitations': { allowed: READERS, params: { id: 'event' }, body: (_, own) => ({ personIds: [own.teacher] }) },

  'POST /ambassadors': { allowed: MANAGER },
  'GET /ambassadors': { allowed: MANAGER },
  // Every programme manager reads the whole pool; an ambassador reads only themself.
  'GET /ambassadors/{id}': { allowed: MANAGER_OR_AMBASSADOR, params: { id: 'ambassador' }, except: { other: { programme_manager: 200 } } },
  // A manager keeps the pool's working fields, never an ambassador's name or email, whoever they are.
  'PATCH /ambassadors/{id}': {
    allowed: MANAGER_OR_AMBASSADOR,
    params: { id: 'ambassador' },
    body: () => ({ name: 'Renamed Ambassador', email: 'renamed.ambassador@example.org' }),
    except: { own: { programme_manager: 403 }, other: { programme_manager: 403 } },
  },
  'POST /ambassadors/{id}/erase': { allowed: AMBASSADOR_ONLY, params: { id: 'ambassador' } },
  'GET /ambassador-requests': { allowed: READERS },
  'GET /ambassador-requests/{id}': { allowed: READERS, params: { id: 'ambassadorRequest' } },
  'POST /ambassador-requests/{id}/cancel': { allowed: READERS, params: { id: 'ambassadorRequest' }, body: () => ({ reason: 'The trip was moved' }) },
  'POST /ambassador-requests/{id}/delivery': { allowed: READERS, params: { id: 'ambassadorRequest' }, body: () => ({ delivered: true, pupilsReached: 30 }) },
};

const PLACEHOLDER = /\{(\w+)\}/g;
/** The Records keys an entry's path and query take from the world under test. */
const recordKeys = (operation: string, entry: Entry): string[] => {
  const keys = [...operation.matchAll(PLACEHOLDER)].map(([, name]) => entry.params?.[name] ?? name).filter((k) => !k.startsWith('='));
  return [...keys, ...[...(entry.query ?? '').matchAll(PLACEHOLDER)].map(([, key]) => key)];
};
/** The request path (after /api/v1) for an operation on a world's records. */
const pathOf = (operation: string, entry: Entry, records: Partial<Records>): string => {
  const path = operation.split(' ')[1].replace(PLACEHOLDER, (_, name: string) => {
    const key = entry.params?.[name] ?? name;
    return key.startsWith('=') ? encodeURIComponent(key.slice(1)) : (records as Record<string, string>)[key];
  });
  return path + (entry.query ?? '').replace(PLACEHOLDER, (_, key: string) => (records as Record<string, string>)[key]);
};

/** The rule: a role the route does not name gets 403; out of reach answers as absent; read but not changeable, 403. */
const outcomeOf = (operation: string, entry: Entry, role: ScopedRole, world: World): Outcome => {
  const except = entry.except?.[world]?.[role];
  if (except !== undefined) return except;
  if (!entry.allowed.includes(role)) return 403;
  const reach = REACH[role][world];
  if (operation.startsWith('GET ')) return reach === 'none' ? 'absent' : 200;
  return reach === 'change' ? 'skip' : reach === 'read' ? 403 : 'absent';
};

interface Write {
  route: string;
  /** What of programme B's the write names, when it is not the record in the path. */
  what?: string;
  allowed: ScopedRole[];
  body?: (target: Records, own: Records) => unknown;
}

/** Writes on the token's own records (or none) that name one of programme B's records in the body. */
const BODY_WRITES: Write[] = [
  {
    route: 'POST /people',
    what: 'a school of programme B for a new person',
    allowed: READERS,
    body: (t) => ({ schoolId: t.school, name: 'New Teacher', email: 'new.teacher@elsewhere.example.org', role: 'teacher' }),
  },
  { route: 'PATCH /people/{own.teacher}', what: 'a school of programme B to move its teacher to', allowed: READERS, body: (t) => ({ schoolId: t.school }) },
  { route: 'POST /partnerships', what: 'a cohort of programme B', allowed: MANAGER, body: (t) => ({ name: 'Poached Partnership', cohortId: t.cohort }) },
  { route: 'POST /partnerships/{own.partnership}/members', what: 'a school of programme B to join', allowed: MANAGER_OR_LEAD, body: (t) => ({ schoolId: t.sibling }) },
  { route: 'DELETE /partnerships/{own.partnership}/members/{school}', what: 'a school of programme B to remove', allowed: MANAGER_OR_LEAD },
  { route: 'POST /courses', what: 'programme B', allowed: MANAGER, body: (t) => ({ programmeId: t.programme, title: 'Poached course', subject: 'science', format: 'local', hours: 6, costPence: 0 }) },
  { route: 'POST /sessions/{own.session}/bookings', what: 'a teacher of programme B to book', allowed: READERS, body: (t) => ({ personId: t.teacher }) },
  {
    route: 'POST /cpd-records',
    what: 'a teacher of programme B',
    allowed: READERS,
    body: (t) => ({ personId: t.teacher, channel: 'coaching', subject: 'science', title: 'Coaching: practicals', hours: 2, occurredOn: '2026-11-12' }),
  },
  { route: 'POST /enrichment-events', what: 'programme B', allowed: READERS, body: (t, own) => eventBody(own.school, [own.school], t.programme) },
  { route: 'POST /enrichment-events', what: 'a school of programme B that attended', allowed: READERS, body: (t, own) => eventBody(own.school, [own.school, t.school]) },
  {
    route: 'PUT /enrichment-events/{own.event}',
    what: 'a school of programme B that attended',
    allowed: READERS,
    body: (t, own) => ({ ...eventBody(own.school, [own.school, t.school], own.programme), reason: 'Another school came too' }),
  },
  { route: 'PATCH /partnerships/{own.partnership}', what: "a teacher of programme B as its partnership's lead", allowed: MANAGER, body: (t) => ({ educationalLeadId: t.teacher }) },
  {
    route: 'POST /partnerships',
    what: "a teacher of programme B as the new partnership's lead",
    allowed: MANAGER,
    body: (t, own) => ({ name: 'Led From Elsewhere', cohortId: own.cohort, educationalLeadId: t.teacher }),
  },
  // Last: if one of these two slips through, B's lead becomes visible to programme A's tokens.
  { route: 'PATCH /partnerships/{own.partnership}', what: "programme B's educational lead as its partnership's lead", allowed: MANAGER, body: (t) => ({ educationalLeadId: t.lead }) },
  {
    route: 'POST /partnerships',
    what: "programme B's educational lead as the new partnership's lead",
    allowed: MANAGER,
    body: (t, own) => ({ name: 'Led From Elsewhere', cohortId: own.cohort, educationalLeadId: t.lead }),
  },
];

const LISTS: Array<{ list: string; allowed: ScopedRole[]; own: keyof Records; read: string }> = [
  { list: '/schools?pageSize=200', allowed: READERS, own: 'school', read: '/schools/' },
  { list: '/partnerships?pageSize=200', allowed: READERS, own: 'partnership', read: '/partnerships/' },
  { list: '/programmes', allowed: READERS, own: 'programme', read: '/programmes/' },
  { list: '/people?pageSize=200', allowed: READERS, own: 'teacher', read: '/people/' },
  { list: '/courses?pageSize=200', allowed: READERS, own: 'course', read: '/courses/' },
  { list: '/enrichment-events?pageSize=200', allowed: READERS, own: 'event', read: '/enrichment-events/' },
];

const split = (route: string) => {
  const [method, path] = route.split(' ');
  return { method, path };
};

/** A role the route does not name: 403. Otherwise out of scope reads as absent: 404. */
const expectation = (allowed: ScopedRole[], role: ScopedRole, inScope: boolean) => (!allowed.includes(role) ? 403 : inScope ? 200 : 404);

const writeCases = (writes: Write[]) =>
  writes.flatMap((write) =>
    SCOPED_ROLES.map((role) => {
      const expected = expectation(write.allowed, role, false);
      return { title: `${role} ${write.route} naming ${write.what ?? "programme B's record"} → ${expected}, nothing stored`, write, role, expected };
    }),
  );

/** Every generated case: operation × role × world, except changes within the token's own reach. */
const operationCases = Object.entries(MATRIX).flatMap(([operation, listed]) =>
  [listed, ...(listed.alsoWith ?? []).map((params) => ({ ...listed, params }))].flatMap((entry) => {
    const namesRecords = recordKeys(operation, entry).length > 0;
    return (namesRecords ? WORLDS.filter((w) => recordKeys(operation, entry).every((key) => HELD[w].includes(key))) : (['own'] as World[]))
      .flatMap((world) =>
        SCOPED_ROLES.map((role) => {
          // An operation naming no record is reached by the roles it names; which records it shows is the lists' and bodies' business.
          const outcome: Outcome | 'reached' = namesRecords ? outcomeOf(operation, entry, role, world) : entry.allowed.includes(role) ? (operation.startsWith('GET ') ? 'reached' : 'skip') : 403;
          const said = outcome === 'absent' ? '404 as if absent' : outcome === 'reached' ? 'reached' : String(outcome);
          const naming = entry.params && entry !== listed ? ` (${Object.values(entry.params).join(', ')})` : '';
          return {
            title: `${role} ${operation}${naming}${namesRecords ? ` on ${WORLD_TITLE[world]}` : ''} → ${said}${operation.startsWith('GET ') || outcome === 'skip' ? '' : ', nothing stored'}`,
            operation,
            entry,
            role,
            world,
            outcome,
          };
        }),
      )
      .filter((c) => c.outcome !== 'skip');
  }),
);

const TABLES = [
  'programmes',
  'cohorts',
  'partnerships',
  'partnership_members',
  'schools',
  'school_status_changes',
  'school_contacts',
  'ofsted_inspections',
  'people',
  'cpd_courses',
  'cpd_sessions',
  'cpd_bookings',
  'cpd_booking_history',
  'budget_entries',
  'cpd_records',
  'enrichment_events',
  'enrichment_event_schools',
  'enrichment_event_versions',
  'scheduled_actions',
  'outbox_events',
  'notifications',
  'survey_invitations',
  'survey_responses',
  'cohort_self_evaluation',
  'self_evaluation_frameworks',
  'ambassador_requests',
  'ambassador_offers',
  'offer_answers',
  'ambassadors',
  'consent_log',
  'erasures',
  'academic_calendars',
];
const SNAPSHOT_SQL = TABLES.map((t) => `SELECT '${t}' AS name, count(*)::int AS rows, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS digest FROM ${t} x`).join(' UNION ALL ');

const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** A problem answer with its ids blanked, to compare the answer for B's record with the one for an absent record. */
const problemOf = (answer: HttpAnswer) => ({ status: answer.status, title: answer.body?.title, detail: String(answer.body?.detail ?? '').replace(UUIDS, '<id>') });

describe('authorization: every operation × every scoped role × records of every owner', () => {
  let platform: TestPlatform;
  let A: Records;
  let B: Records;
  /** The token's world and the four others, each holding only the records it has. */
  const world = {} as Record<World, Partial<Records>>;
  /** Ids no record has: what "absent" answers look like. */
  const missing = {} as Records;
  const tokens = {} as Record<ScopedRole, string>;
  let revokedToken: string;
  /** A booking at A's session made by the moved school's teacher before it moved: A's history. */
  let movedBooking: string;
  /** The sibling partnership's lead's token. */
  let siblingLeadToken: string;

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
      programme: fixture.programmeId,
      cohort: fixture.cohortId,
      partnership: fixture.partnershipId,
      school,
      sibling,
      teacher: teacher.id,
      siblingTeacher: siblingTeacher.id,
      lead: lead.id,
      course: course.id,
      session: session.id,
      booking: booking.id,
      event: event.id,
      siblingEvent: siblingEvent.id,
      ambassadorRequest: ambassadorRequest.id,
      ambassador: (await ambassador(`${name} Ambassador`, urnBase)).id,
    };
  }

  const ambassador = (name: string, n: number) =>
    created('/ambassadors', {
      name,
      email: `ambassador.${n}@volunteers.example.org`,
      keyStages: ['ks3'],
      postcode: 'TS1 3BA',
      latitude: 54.58,
      longitude: -1.23,
      travelRadiusKm: 25,
      availability: { weekdays: [1, 2, 3] },
    });

  /** Another partnership of programme A's cohort, with its own school, teacher, place on A's session, event and request. */
  async function arrangeSibling(): Promise<Partial<Records>> {
    const lead = await created('/people', { name: 'Sibling Lead', email: 'lead.sibling@stemflow.example.org', role: 'educational_lead' });
    const partnership = await created('/partnerships', { name: 'A Sibling Partnership', cohortId: A.cohort, budgetPounds: 10_000, educationalLeadId: lead.id });
    const school = await created('/schools', { urn: 830_000, name: 'Sibling Partnership School', phase: 'secondary' });
    await created(`/partnerships/${partnership.id}/members`, { schoolId: school.id });
    const teacher = await addTeacher(platform, school.id, 830_000);
    const booking = await created(`/sessions/${A.session}/bookings`, { personId: teacher.id });
    const event = await created('/enrichment-events', eventBody(school.id, [school.id], A.programme));
    const ambassadorRequest = await created(`/schools/${school.id}/ambassador-requests`, ambassadorRequestBody());
    return { partnership: partnership.id, school: school.id, teacher: teacher.id, booking: booking.id, event: event.id, ambassadorRequest: ambassadorRequest.id };
  }

  /** A school of A's partnership that left it for B's; its teacher from before kept a place on A's session, and it took on a new teacher since. */
  async function arrangeMoved(): Promise<Partial<Records>> {
    const school = await created('/schools', { urn: 840_000, name: 'Moving School', phase: 'primary' });
    await created(`/partnerships/${A.partnership}/members`, { schoolId: school.id });
    const before = await addTeacher(platform, school.id, 840_000);
    movedBooking = (await created(`/sessions/${A.session}/bookings`, { personId: before.id })).id;
    const left = await platform.http('DELETE', `/api/v1/partnerships/${A.partnership}/members/${school.id}`);
    if (left.status !== 200) throw new Error(`leave: ${left.status} ${left.text}`);
    await created(`/partnerships/${B.partnership}/members`, { schoolId: school.id });
    const teacher = await addTeacher(platform, school.id, 840_001);
    return { school: school.id, teacher: teacher.id };
  }

  /** A register school in no partnership, with a teacher, and an ambassador of the pool. */
  async function arrangeShared(): Promise<Partial<Records>> {
    const school = await created('/schools', { urn: 850_000, name: 'Register School', phase: 'secondary' });
    const teacher = await addTeacher(platform, school.id, 850_000);
    return { school: school.id, teacher: teacher.id, ambassador: (await ambassador('Pool Ambassador', 850_000)).id };
  }

  async function token(role: string, scope: string, name = `${role} token`): Promise<string> {
    const made = await platform.run('node', ['dist/tools/token.js', '--role', role, '--scope', scope, '--name', name], { DATABASE_URL: platform.databaseUrl });
    if (made.code !== 0) throw new Error(`token: ${made.stderr}`);
    return (
      made.stdout
        .trim()
        .split(/\s+/)
        .find((w) => w.startsWith('sf_')) ?? made.stdout.trim()
    );
  }

  const as = (credential: string | null) => ({ authorization: credential === null ? '' : `Bearer ${credential}` });
  const send = (credential: string | null, method: string, path: string, body?: unknown) => platform.http(method, path.startsWith('/health') ? path : `/api/v1${path}`, body, as(credential));

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
    // The virtual clock lets the last test take a register once A's session has started.
    platform = await TestPlatform.start({ name: 'authorization', startWorker: false, env: { CLOCK: 'virtual' } });
    [A, B] = await Promise.all([arrange('Programme A', 810_000), arrange('Programme B', 820_000)]);
    const [sibling, moved, shared] = [await arrangeSibling(), await arrangeMoved(), await arrangeShared()];
    Object.assign(world, { own: A, sibling, other: B, moved, shared });
    for (const key of Object.keys(A) as Array<keyof Records>) missing[key] = randomUUID();
    const made = await Promise.all([
      token('programme_manager', `programme:${A.programme}`),
      token('educational_lead', `partnership:${A.partnership}`),
      token('school_contact', `school:${A.school}`),
      token('ambassador', `ambassador:${A.ambassador}`),
      token('programme_manager', `programme:${A.programme}`, 'revoked in test'),
      token('educational_lead', `partnership:${sibling.partnership}`, 'sibling lead'),
    ]);
    [tokens.programme_manager, tokens.educational_lead, tokens.school_contact, tokens.ambassador, revokedToken, siblingLeadToken] = made;
    // It worked until it was revoked.
    expect((await send(revokedToken, 'GET', `/programmes/${A.programme}`)).status).toBe(200);
    await platform.query(`UPDATE api_tokens SET revoked_at = now() WHERE name = 'revoked in test'`);
  }, 300_000);
  afterAll(async () => {
    await platform?.stop();
  });

  it('every operation of the OpenAPI document has an entry in the matrix, and every entry an operation', async () => {
    const answer = await platform.http('GET', '/api/docs-json');
    expect(answer.status).toBe(200);
    const operations = Object.entries(answer.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => `${m.toUpperCase()} ${path.replace(/^\/api\/v1(?=\/)/, '')}`),
    );
    // A new operation fails here by name: add its line to MATRIX (who may call it, which record each parameter names).
    expect({
      withoutAnEntry: operations.filter((o) => !(o in MATRIX)).sort(),
      withoutAnOperation: Object.keys(MATRIX)
        .filter((o) => !operations.includes(o))
        .sort(),
    }).toEqual({
      withoutAnEntry: [],
      withoutAnOperation: [],
    });
  });

  describe('generated from the matrix: every operation × role × world', () => {
    it.each(operationCases)('$title', async ({ operation, entry, role, world: w, outcome }) => {
      const method = operation.split(' ')[0];
      const records = w === 'own' ? A : world[w];
      const before = method === 'GET' ? undefined : await snapshot();
      const answer = await send(tokens[role], method, pathOf(operation, entry, records), entry.body?.(records as Records, A));
      if (outcome === 'reached') expect({ status: answer.status, reached: answer.status !== 401 && answer.status !== 403 && answer.status < 500 }).toEqual({ status: answer.status, reached: true });
      else if (outcome === 'absent') {
        expect(answer.status).toBe(404);
        expect(problemOf(answer)).toEqual(problemOf(await send(tokens[role], method, pathOf(operation, entry, missing), entry.body?.(missing, A))));
      } else if (outcome === 200) expect({ status: answer.status, ok: answer.status >= 200 && answer.status < 300 }).toEqual({ status: answer.status, ok: true });
      else expect(answer.status).toBe(outcome);
      if (before) expect(changes(before, await snapshot())).toEqual([]);
    });
  });

  describe('lists', () => {
    const cases = LISTS.flatMap((l) => SCOPED_ROLES.map((role) => ({ ...l, role, expected: l.allowed.includes(role) ? 200 : 403 })));
    const ids = (answer: HttpAnswer): string[] => (Array.isArray(answer.body) ? answer.body : answer.body.items).map((item: { id: string }) => item.id);

    it.each(cases)("$role GET $list → $expected, holding its own record and no id of programme B's or of the school that moved to B", async ({ list, own, role, expected }) => {
      const answer = await send(tokens[role], 'GET', list);
      expect(answer.status).toBe(expected);
      if (expected !== 200) return;
      expect(ids(answer)).toContain(A[own]);
      expect(Object.values(B).filter((id) => answer.text.includes(id))).toEqual([]);
      expect(Object.values(world.moved).filter((id) => answer.text.includes(id!))).toEqual([]);
      if (role !== 'programme_manager') expect(Object.values(world.sibling).filter((id) => answer.text.includes(id!))).toEqual([]);
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
    const routes = Object.entries(MATRIX)
      .filter(([operation]) => operation !== 'GET /health')
      .map(([operation, entry]) => ({ operation, entry }));
    const credentials: Array<[string, () => string | null]> = [
      ['no token', () => null],
      ['a garbage token', () => 'not-a-real-token-at-all'],
      ['a well-formed unknown token', () => `sf_${'A'.repeat(43)}`],
      ['a revoked token', () => revokedToken],
    ];
    it.each(credentials.flatMap(([kind, credential]) => routes.map(({ operation, entry }) => ({ title: `${kind}: ${operation} → 401`, operation, entry, credential }))))(
      '$title',
      async ({ operation, entry, credential }) => {
        const method = operation.split(' ')[0];
        const before = method === 'GET' ? undefined : await snapshot();
        const answer = await send(credential(), method, pathOf(operation, entry, A), entry.body?.(A, A));
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

  describe('ownership follows the current membership; history stays with the programme it belongs to', () => {
    it("A's manager keeps the place the moved school's teacher took at A's session, and its place in A's partnership's history", async () => {
      expect((await send(tokens.programme_manager, 'GET', `/bookings/${movedBooking}`)).status).toBe(200);
      const members = await send(tokens.programme_manager, 'GET', `/partnerships/${A.partnership}/members`);
      expect(members.text).toContain(world.moved.school);
      // ...while the school itself is B's now.
      expect((await send(tokens.programme_manager, 'GET', `/schools/${world.moved.school}`)).status).toBe(404);
    });

    it("a lead reads only their own partnership's part of the cohort's schedule: no other partnership's schools or recipients", async () => {
      // Reminders as the worker plans them (it does not run in this suite): about each partnership's school and place.
      const emailOf = async (id: string) => (await platform.query<{ email: string }>(`SELECT email FROM people WHERE id = $1`, [id]))[0].email;
      const plan = async (subjectType: string, subjectId: string, recipient: string) =>
        platform.query(
          `INSERT INTO scheduled_actions (id, kind, key, subject_type, subject_id, due_at, status, payload, cohort_id, recipient, description, created_at, updated_at)
           VALUES (gen_random_uuid(), 'send_reminder', $1, $2, $3, '2027-01-10T09:00:00Z', 'planned', '{}', $4, $5, 'arranged by the test', now(), now())`,
          [`test:${subjectType}:${subjectId}`, subjectType, subjectId, A.cohort, recipient],
        );
      await plan('school', A.school, 'stem.lead.a@school.example.org');
      await plan('booking', A.booking, await emailOf(A.teacher));
      await plan('school', world.sibling.school!, 'stem.lead.sibling@school.example.org');
      await plan('booking', world.sibling.booking!, await emailOf(world.sibling.teacher!));
      const whole = await send(tokens.programme_manager, 'GET', `/cohorts/${A.cohort}/schedule?from=2026-09-01T00:00:00Z&to=2027-09-01T00:00:00Z`);
      const part = await send(tokens.educational_lead, 'GET', `/cohorts/${A.cohort}/schedule?from=2026-09-01T00:00:00Z&to=2027-09-01T00:00:00Z`);
      expect([whole.status, part.status]).toEqual([200, 200]);
      const siblingTeacherEmail = (await platform.query<{ email: string }>(`SELECT email FROM people WHERE id = $1`, [world.sibling.teacher]))[0].email;
      const aboutSibling = (text: string) =>
        [world.sibling.school!, world.sibling.partnership!, world.sibling.booking!, siblingTeacherEmail, 'stem.lead.sibling@school.example.org'].filter((v) => text.includes(v));
      // Not vacuous: the whole schedule does name the sibling partnership's school or people.
      expect(aboutSibling(whole.text).length).toBeGreaterThan(0);
      expect(aboutSibling(part.text)).toEqual([]);
      expect(part.body.entries.map((e: { subject: { id: string } }) => e.subject.id)).toEqual(expect.arrayContaining([A.school, A.booking]));
    });

    it('the email ledger: a manager reads the emails of their programme and its schools, a lead those of their partnership and its schools, neither any other', async () => {
      // Ledger rows as the worker writes them (it does not run in this suite), each about its records.
      const sent = async (key: string, about: { programme?: string | null; partnership?: string | null; school?: string | null }) =>
        (
          await platform.query<{ id: string }>(
            `INSERT INTO notifications (id, idempotency_key, kind, recipient_email, data, status, not_before, attempt_count, message_id, priority, created_at, updated_at, programme_id, partnership_id, school_id)
             VALUES (gen_random_uuid(), $1, 'school.welcome', $2, '{}', 'sent', now(), 1, $1, 5, now(), now(), $3, $4, $5) RETURNING id`,
            [`ledger-test:${key}`, `${key}@school.example.org`, about.programme ?? null, about.partnership ?? null, about.school ?? null],
          )
        )[0].id;
      const mail = {
        programme: await sent('programme', { programme: A.programme }),
        partnership: await sent('partnership', { programme: A.programme, partnership: A.partnership, school: A.school }),
        sibling: await sent('sibling', { programme: A.programme, partnership: world.sibling.partnership, school: world.sibling.school }),
        other: await sent('other', { programme: B.programme, partnership: B.partnership, school: B.school }),
        movedSchool: await sent('moved', { programme: B.programme, partnership: B.partnership, school: world.moved.school }),
        platform: await sent('platform', {}),
      };
      const listed = async (token: string) => {
        const answer = await send(token, 'GET', '/notifications?pageSize=200');
        expect(answer.status).toBe(200);
        return Object.entries(mail)
          .filter(([, id]) => answer.text.includes(id))
          .map(([name]) => name)
          .sort();
      };
      expect(await listed(tokens.programme_manager)).toEqual(['partnership', 'programme', 'sibling']);
      expect(await listed(tokens.educational_lead)).toEqual(['partnership']);
      for (const [token, unseen] of [
        [tokens.programme_manager, mail.other],
        [tokens.programme_manager, mail.movedSchool],
        [tokens.educational_lead, mail.sibling],
        [tokens.educational_lead, mail.programme],
      ]) {
        const [read, absent] = [await send(token, 'GET', `/notifications/${unseen}`), await send(token, 'GET', `/notifications/${randomUUID()}`)];
        expect(read.status).toBe(404);
        expect(problemOf(read)).toEqual(problemOf(absent));
        expect((await send(token, 'POST', `/notifications/${unseen}/resend`)).status).toBe(404);
      }
      expect((await send(tokens.school_contact, 'GET', '/notifications')).status).toBe(403);
      expect((await send(tokens.programme_manager, 'GET', `/notifications/${mail.sibling}`)).status).toBe(200);
    });

    it("a programme manager's import creates new schools and changes only its own schools' contact details; other rows are errors with their line, and change nothing", async () => {
      const urnOf = async (id: string) => (await platform.query<{ urn: number }>(`SELECT urn FROM schools WHERE id = $1`, [id]))[0].urn;
      const rowsOf = async () => platform.query(`SELECT * FROM schools WHERE id = ANY($1) ORDER BY id`, [[B.school, world.shared.school, world.moved.school, A.school]]);
      const before = await rowsOf();
      const csv = [
        'URN,EstablishmentName,PhaseOfEducation (name),ContactName,ContactEmail',
        `${await urnOf(B.school)},Programme B School 1,Primary,Mallory,mallory@attacker.example.org`,
        `${await urnOf(world.shared.school!)},Register School,Secondary,Mallory,mallory@attacker.example.org`,
        `${await urnOf(world.moved.school!)},Moving School,Primary,Mallory,mallory@attacker.example.org`,
        `${await urnOf(A.school)},A New Name For A School,Primary,Mallory,mallory@attacker.example.org`,
        `${await urnOf(A.sibling)},Programme A School 2,Secondary,Jo Bloggs,new.stem.lead@school.example.org`,
        '860000,A School New To The Platform,Primary,Sam,sam@new.example.org',
      ].join('\n');
      const answer = await platform.http('POST', '/api/v1/schools/import', csv, { ...as(tokens.programme_manager), 'content-type': 'text/csv' });
      expect(answer.status).toBe(200);
      expect({ created: answer.body.created, updated: answer.body.updated, lines: answer.body.errors.map((e: { line: number }) => e.line) }).toEqual({ created: 1, updated: 1, lines: [2, 3, 4, 5] });
      // The register school and B's school get the very same reason: the answer tells nothing about other programmes.
      const reason = (line: number) => answer.body.errors.find((e: { line: number }) => e.line === line).message.replace(/\d{6}/, '<urn>');
      expect(reason(2)).toBe(reason(3));
      expect(reason(4)).toBe(reason(2));
      expect(await rowsOf()).toEqual(before);
      const sibling = (await platform.query(`SELECT contact_email FROM schools WHERE id = $1`, [A.sibling]))[0];
      expect(sibling.contact_email).toBe('new.stem.lead@school.example.org');
    });

    it("a lead cannot put another partnership's place on the register of a session in the same programme; the programme's manager can", async () => {
      const clock = await platform.http('POST', '/api/v1/admin/clock', { now: new Date(sessionStart.getTime() + DAY + HOUR).toISOString() });
      expect(clock.status).toBe(200);
      const before = await snapshot();
      const sibling = await send(tokens.educational_lead, 'POST', `/sessions/${A.session}/register`, { attended: [world.sibling.booking], noShow: [] });
      const absent = await send(tokens.educational_lead, 'POST', `/sessions/${A.session}/register`, { attended: [missing.booking], noShow: [] });
      expect(problemOf(sibling)).toEqual(problemOf(absent));
      expect(changes(before, await snapshot())).toEqual([]);
      // The sibling partnership's own lead, and A's manager, can.
      expect((await send(siblingLeadToken, 'POST', `/sessions/${A.session}/register`, { attended: [world.sibling.booking], noShow: [] })).status).toBe(200);
      expect((await send(tokens.programme_manager, 'POST', `/sessions/${A.session}/register`, { attended: [A.booking], noShow: [] })).status).toBe(200);
    });
  });
});
