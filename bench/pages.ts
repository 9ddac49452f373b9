import { performance } from 'node:perf_hooks';
import { MailCatcher } from '#notifications/catcher/mail-catcher';
import { apiAnswering, benchDatabase, mintToken, percentile, record, REDIS_URL, startApp, stop, waitUntil } from './support.js';

/**
 * The console's heaviest pages at the national register's size: 24,000 schools loaded
 * straight into Postgres (20 partnerships of one programme holding 800 of them, one school
 * with a history), the API and the worker started as production runs them, a programme
 * manager signed in through the pages (the emailed link, the session cookie), and each page
 * asked for PAGE_REQUESTS times over PAGE_CONNECTIONS connections: a search, a filtered
 * list, a late page, a school's page and the dashboard, beside GET /health in the same run.
 * Prints p50 and p95 of each, and each p95 as a multiple of /health's.
 */
const SCHOOLS = Number(process.env.PAGE_SCHOOLS ?? 24_000);
const REQUESTS = Number(process.env.PAGE_REQUESTS ?? 200);
const CONNECTIONS = Number(process.env.PAGE_CONNECTIONS ?? 4);
const MANAGER = 'bench.manager@stemflow.test';

const { url, prefix, db, drop } = await benchDatabase('pages');
const catcher = new MailCatcher({ keep: 10 });
const { smtpPort } = await catcher.start();
const port = 3400 + (process.pid % 500);
const base = `http://127.0.0.1:${port}`;
const production = {
  NODE_ENV: 'production',
  DATABASE_URL: url,
  REDIS_URL,
  PUBLIC_BASE_URL: base,
  QUEUE_PREFIX: prefix,
  SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
  MAIL_FROM: 'bench <bench@stemflow.test>',
};

try {
  const { programmeId, schoolId } = await loadSchools();
  mintToken(url, ['--role', 'programme_manager', '--scope', `programme:${programmeId}`, '--name', 'Bench Manager', '--email', MANAGER]);
  const api = startApp('api', { ...production, ADMIN_TOKEN: 'bench-admin-token-0123456789', PORT: String(port), HOST: '127.0.0.1', PAGE_REQUESTS_PER_MINUTE: '1000000' });
  const worker = startApp('worker', production);
  try {
    await apiAnswering(api, base);
    const cookie = await signIn();
    const pages: Array<[string, string, string]> = [
      ['school search ("green")', '/schools?q=green', 'Schools'],
      ['filtered list (secondary, active)', '/schools?phase=secondary&status=active', 'Schools'],
      [`late page (${Math.max(1, Math.floor(SCHOOLS / 50) - 10)})`, `/schools?page=${Math.max(1, Math.floor(SCHOOLS / 50) - 10)}`, 'Schools'],
      ["a school's page", `/schools/${schoolId}`, 'Timeline'],
      ['dashboard', '/dashboard', 'dashboard'],
    ];
    // Warm both sides alike (templates compiled, plans cached) before anything is counted.
    for (const [, path] of pages) await timed(path, cookie, 10, 2);
    await timed('/health', undefined, 10, 2);
    const health = await timed('/health', undefined, REQUESTS, CONNECTIONS);
    const lines = [`GET /health: p50 ${ms(percentile(health, 50))}, p95 ${ms(percentile(health, 95))}`];
    for (const [name, path, expected] of pages) {
      const times = await timed(path, cookie, REQUESTS, CONNECTIONS, expected);
      const ratio = percentile(times, 95) / Math.max(percentile(health, 95), 0.1);
      lines.push(`${name} ${path}: p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))} (${ratio.toFixed(1)} × /health p95)`);
    }
    const heading = `${SCHOOLS.toLocaleString('en-GB')} schools, ${REQUESTS} requests a page over ${CONNECTIONS} connections, signed in as a programme manager`;
    console.log([heading, ...lines.map((l) => `  ${l}`)].join('\n'));
    record('pages', `${heading}: ${lines.join('; ')}`);
  } finally {
    await stop(worker);
    await stop(api);
  }
} finally {
  await catcher.stop();
  await drop();
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

/**
 * The register: names, local authorities and postcodes varied enough that a search has to
 * look, phases and statuses spread as a real register's are. One programme's 20 partnerships
 * hold 800 schools; one of them has a history (status changes, contacts, Ofsted judgements).
 */
async function loadSchools(): Promise<{ programmeId: string; schoolId: string }> {
  await db.query(
    `INSERT INTO schools (id, urn, name, phase, establishment_type, local_authority, postcode, pupils, status, created_at, updated_at)
     SELECT gen_random_uuid(), 100000 + g,
            (ARRAY['Green','Oak','Beech','Hill','River','St Mary''s','Park','Church','Valley','North'])[1 + g % 10] || ' ' ||
            (ARRAY['Lane','Road','View','Side','Field','Wood','Gate','Bank'])[1 + (g / 10) % 8] || ' ' ||
            (ARRAY['Primary School','Academy','Infant School','Junior School','High School','Community College'])[1 + (g / 80) % 6] || ' ' || g,
            (ARRAY['primary','primary','primary','secondary','secondary','nursery','all_through','sixteen_plus','middle','not_applicable'])[1 + g % 10],
            'Community school',
            (ARRAY['Leeds','Middlesbrough','Redcar and Cleveland','Durham','Newcastle upon Tyne','Sunderland','York','Hartlepool','Darlington','Stockton-on-Tees'])[1 + (g / 7) % 10] || ' ' || (g % 15),
            (ARRAY['TS','DL','LS','NE','SR','YO','DH'])[1 + g % 7] || (1 + g % 29) || ' ' || (g % 10) || chr(65 + g % 26) || chr(65 + (g / 26) % 26),
            100 + g % 1400,
            (ARRAY['invited','joined','active','active','less_active','withdrawn'])[1 + (g / 3) % 6],
            now(), now()
       FROM generate_series(1, $1) g`,
    [SCHOOLS],
  );
  const [{ id: programmeId }] = (
    await db.query(
      `INSERT INTO programmes (id, name, starts_on, ends_on, framework_key, kpi_definition, created_at, updated_at)
       VALUES (gen_random_uuid(), 'Pages bench', '2026-09-01', '2027-08-31', 'iris-ri', '{"completeRecordRequires":["email"]}', now(), now()) RETURNING id`,
    )
  ).rows;
  const [{ id: cohortId }] = (
    await db.query(
      `INSERT INTO cohorts (id, programme_id, name, starts_on, ends_on, calendar_key, workflow_policy, status, created_at, updated_at)
       VALUES (gen_random_uuid(), $1, 'Wave 1', '2026-09-01', '2027-07-23', 'england', '{}', 'active', now(), now()) RETURNING id`,
      [programmeId],
    )
  ).rows;
  await db.query(
    `INSERT INTO partnerships (id, name, area, cohort_id, created_at, updated_at)
     SELECT gen_random_uuid(), 'Bench Partnership ' || g, 'North East', $1, now(), now() FROM generate_series(1, 20) g`,
    [cohortId],
  );
  await db.query(
    `INSERT INTO partnership_members (id, partnership_id, school_id, role, joined_at)
     SELECT gen_random_uuid(), p.id, s.id, 'member', now() - interval '30 days'
       FROM (SELECT id, row_number() OVER (ORDER BY urn) AS n FROM schools WHERE urn % 30 = 0) s
       JOIN (SELECT id, row_number() OVER (ORDER BY name) AS n FROM partnerships) p ON p.n = 1 + s.n % 20`,
  );
  const [{ id: schoolId }] = (await db.query(`SELECT s.id FROM schools s JOIN partnership_members m ON m.school_id = s.id ORDER BY s.urn LIMIT 1`)).rows;
  await db.query(
    `INSERT INTO school_status_changes (id, school_id, from_status, to_status, reason, changed_at)
     SELECT gen_random_uuid(), $1, 'joined', 'active', 'Bench history ' || g, now() - (g || ' days')::interval FROM generate_series(1, 20) g`,
    [schoolId],
  );
  await db.query(
    `INSERT INTO ofsted_inspections (id, school_id, inspected_on, rating, recorded_at)
     SELECT gen_random_uuid(), $1, date '2024-01-01' - g * 400, 1 + g % 4, now() FROM generate_series(1, 5) g`,
    [schoolId],
  );
  await db.query(
    `INSERT INTO school_contacts (id, school_id, role, name, email, from_at, until_at)
     SELECT gen_random_uuid(), $1, 'stem_lead', 'Lead ' || g, 'lead' || g || '@bench.example.org', now() - ((g + 1) * 100 || ' days')::interval,
            CASE WHEN g = 1 THEN NULL ELSE now() - (g * 100 || ' days')::interval END
       FROM generate_series(1, 5) g`,
    [schoolId],
  );
  await db.query(`ANALYZE`);
  return { programmeId, schoolId };
}

/** Signs in as a person does: the address at `/`, the emailed link, its button. Answers the session cookie. */
async function signIn(): Promise<string> {
  const home = await fetch(`${base}/`);
  const formCookie = (home.headers.get('set-cookie') ?? '').split(';')[0];
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await home.text())?.[1];
  if (!formCookie || !csrf) throw new Error('the sign-in page gave no form token');
  const form = { 'content-type': 'application/x-www-form-urlencoded', cookie: formCookie, origin: base };
  const asked = await fetch(`${base}/`, { method: 'POST', headers: form, body: new URLSearchParams({ email: MANAGER, _csrf: csrf }), redirect: 'manual' });
  if (asked.status !== 303) throw new Error(`asking for a sign-in link answered ${asked.status}`);
  await waitUntil(() => catcher.messages.some((m) => m.to.includes(MANAGER)), 30_000, 'the sign-in email');
  const link = /https?:\/\/\S+\/sign-in\/[A-Za-z0-9_-]{43}/.exec(catcher.messages.find((m) => m.to.includes(MANAGER))!.text)?.[0];
  if (!link) throw new Error('the sign-in email has no link');
  const signed = await fetch(link, { method: 'POST', headers: form, body: new URLSearchParams({ _csrf: csrf }), redirect: 'manual' });
  const session = signed.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .find((c) => c.startsWith('stemflow_dashboard='));
  if (!session) throw new Error(`signing in answered ${signed.status} with no session cookie`);
  return `${formCookie}; ${session}`;
}

/** Each request's time to its whole body, `count` of them over `connections` at once; a wrong answer stops the run. */
async function timed(path: string, cookie: string | undefined, count: number, connections: number, expected?: string): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  const connection = async () => {
    while (next < count) {
      next += 1;
      const started = performance.now();
      const answer = await fetch(`${base}${path}`, { headers: cookie ? { cookie } : {} });
      const body = await answer.text();
      times.push(performance.now() - started);
      if (answer.status !== 200 || (expected && !body.includes(expected))) throw new Error(`GET ${path} answered ${answer.status} without "${expected}"`);
    }
  };
  await Promise.all(Array.from({ length: connections }, connection));
  return times;
}
