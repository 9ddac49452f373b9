import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { ConfigError, ensureDatabase, loadConfig, runMigrations, WORKER_NODE_ARGS, type AppConfig } from '#domain';
import { MailCatcher } from '#notifications/catcher/mail-catcher';

/**
 * `npm start`: everything a newcomer needs on one machine. Finds (or starts) Postgres and
 * Redis, migrates, runs an SMTP catcher with a web inbox, starts the API and the worker,
 * fills an empty database with a demo programme through the public API, and prints where
 * everything is. Ctrl-C stops it all cleanly.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DEV_ADMIN_TOKEN = 'stemflow-local-admin-token';
/** Good only for this machine: anyone who knows it can open the links in its emails. */
const DEV_LINK_SECRET = 'stemflow-local-link-secret-not-for-real-use';

try {
  process.loadEnvFile(join(root, '.env'));
} catch {
  // no .env: the defaults below suit a local machine
}
const env = process.env;
env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/stemflow';
env.REDIS_URL ??= 'redis://127.0.0.1:6379';
env.SMTP_URL ??= `smtp://127.0.0.1:${env.MAILCATCHER_SMTP_PORT ?? 1025}`;
env.MAIL_FROM ??= 'stemflow <no-reply@stemflow.localhost>';
env.PORT ??= '3000';
env.PUBLIC_BASE_URL ??= `http://localhost:${env.PORT}`;
env.ADMIN_TOKEN ??= DEV_ADMIN_TOKEN;
env.LINK_SECRET ??= DEV_LINK_SECRET;
env.LOG_LEVEL ??= 'info';
// The first admin: the API makes this account when it starts, and its sign-in links land in the inbox below.
env.ADMIN_EMAIL ??= 'admin@stemflow.localhost';
const inboxPort = Number(env.MAILCATCHER_WEB_PORT ?? 1080);

const say = (line: string) => process.stdout.write(`${line}\n`);
const fail = (lines: string[]): never => {
  for (const line of lines) process.stderr.write(`${line}\n`);
  process.exit(1);
};

let config: AppConfig;
try {
  config = loadConfig(env, 'api');
  loadConfig(env, 'worker');
} catch (error) {
  if (error instanceof ConfigError) fail(error.problems.map((p) => `stemflow: ${p}`));
  throw error;
}

const have = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
const isLocal = (url: string) => ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(new URL(url).hostname);

async function postgresAnswers(): Promise<boolean> {
  const url = new URL(config.databaseUrl);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function redisAnswers(): Promise<boolean> {
  const redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2_000 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

async function waitFor(check: () => Promise<boolean>, seconds: number): Promise<boolean> {
  for (let i = 0; i < seconds * 2; i += 1) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

async function ensurePostgres(): Promise<void> {
  if (await postgresAnswers()) return;
  if (isLocal(config.databaseUrl) && have('pg_ctlcluster') && existsSync('/etc/postgresql')) {
    const { readdirSync } = await import('node:fs');
    for (const version of readdirSync('/etc/postgresql')) {
      say(`PostgreSQL ${version} is installed but not running: starting it`);
      spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { stdio: 'inherit' });
    }
    if (await waitFor(postgresAnswers, 15)) return;
  } else if (isLocal(config.databaseUrl) && have('brew') && have('pg_ctl')) {
    spawnSync('brew', ['services', 'start', 'postgresql'], { stdio: 'inherit' });
    if (await waitFor(postgresAnswers, 15)) return;
  }
  fail([
    `stemflow: PostgreSQL does not answer at ${new URL(config.databaseUrl).host}.`,
    '  Install and start it, then run npm start again:',
    '    Debian/Ubuntu:  sudo apt-get install postgresql && sudo pg_ctlcluster $(ls /etc/postgresql) main start',
    '    macOS:          brew install postgresql@16 && brew services start postgresql@16',
    '  or run it in Docker:  docker compose -f docker/compose.yml up -d postgres redis',
    '  or point DATABASE_URL (in .env) at a server you have.',
  ]);
}

async function ensureRedis(): Promise<void> {
  if (await redisAnswers()) return;
  if (isLocal(config.redisUrl) && have('redis-server')) {
    const port = new URL(config.redisUrl).port || '6379';
    say('Redis is installed but not running: starting it');
    spawnSync('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', port, '--save', '', '--appendonly', 'no'], { stdio: 'inherit' });
    if (await waitFor(redisAnswers, 10)) return;
  }
  fail([
    `stemflow: Redis does not answer at ${new URL(config.redisUrl).host}.`,
    '  Install and start it, then run npm start again:',
    '    Debian/Ubuntu:  sudo apt-get install redis-server && redis-server --daemonize yes',
    '    macOS:          brew install redis && brew services start redis',
    '  or run it in Docker:  docker compose -f docker/compose.yml up -d postgres redis',
    '  or point REDIS_URL (in .env) at a server you have.',
  ]);
}

const children: ChildProcess[] = [];
function startProcess(name: string, script: string): ChildProcess {
  mkdirSync(join(root, 'logs'), { recursive: true });
  const log = createWriteStream(join(root, 'logs', `${name}.log`), { flags: 'a' });
  const flags = name === 'worker' ? WORKER_NODE_ARGS : [];
  const child = spawn(process.execPath, ['--enable-source-maps', ...flags, join(root, 'dist', script)], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(log);
  child.stderr!.on('data', (chunk: Buffer) => {
    log.write(chunk);
    process.stderr.write(`[${name}] ${chunk}`);
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      say(`stemflow: the ${name} stopped (${signal ?? `exit ${code}`}); see logs/${name}.log. Stopping everything.`);
      void stop(1);
    }
  });
  children.push(child);
  return child;
}

async function api(path: string, init: RequestInit = {}): Promise<any> {
  const response = await fetch(`http://127.0.0.1:${config.port}/api/v1${path}`, {
    ...init,
    headers: { authorization: `Bearer ${config.adminToken}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
  });
  const body = (await response.json()) as any;
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${body.detail ?? ''}`);
  return body;
}

/**
 * A living programme for a newcomer: Aspire-style programme, a cohort, a partnership of
 * Tees Valley schools with its educational lead and budget, teachers, a CPD course with a
 * session that is nearly full, and a few bookings, so the inbox already has mail in it.
 */
async function seedDemoWhenEmpty(): Promise<void> {
  const { total } = await api('/schools?pageSize=1');
  if (total > 0) return;
  say('The database is empty: adding a demo programme (a partnership of six Tees Valley schools, teachers, a CPD session)');
  const post = (path: string, body: unknown) => api(path, { method: 'POST', body: JSON.stringify(body) });
  const year = new Date().getUTCFullYear();
  const programme = await post('/programmes', {
    name: 'Aspire to STEM (demo)',
    funder: 'A STEM education charity',
    aims: 'Raise the quality of STEM teaching and careers education in schools in areas of low social mobility.',
    startsOn: `${year}-09-01`,
    endsOn: `${year + 2}-08-31`,
    frameworkKey: 'ats-maturity',
    kpiDefinition: { completeRecordRequires: ['email', 'role', 'slt', 'phase', 'subjectSpecialism', 'careerStage'], recruitmentTarget: 40 },
  });
  const cohort = await post(`/programmes/${programme.id}/cohorts`, {
    name: 'Wave 1',
    startsOn: `${year}-09-01`,
    endsOn: `${year + 1}-07-23`,
    calendarKey: 'england',
    status: 'active',
    workflowPolicy: {
      reminders: [
        { id: 'session-week-before', anchor: 'before_session_start', offset: 7, unit: 'days', audience: ['positive'], recipients: 'participant', template: 'booking.session_reminder' },
        { id: 'session-day-before', anchor: 'before_session_start', offset: 1, unit: 'days', audience: ['positive'], recipients: 'participant', template: 'booking.session_reminder' },
        { id: 'term-start', anchor: 'term_start', offset: 2, unit: 'days', audience: ['positive'], recipients: 'school_contact', template: 'school.term_start' },
      ],
    },
  });
  // Schools re-rate two elements of the maturity grid each term (the baseline at joining rates it all).
  await api(`/cohorts/${cohort.id}/self-evaluation`, { method: 'PUT', body: JSON.stringify({ frameworkKey: 'ats-maturity', elementKeys: ['stem-teaching', 'careers-education'] }) });
  const lead = await post('/people', { name: 'Jo Whitfield', email: 'jo.whitfield@stemflow.example.org', role: 'educational_lead', consentToContact: true });
  const csv = readFileSync(join(root, 'tools', 'demo', 'schools.csv'), 'utf8');
  await api('/schools/import', { method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } });
  const partnership = await post('/partnerships', {
    name: 'Tees Valley STEM Partnership',
    area: 'Middlesbrough, Redcar and Stockton',
    cohortId: cohort.id,
    educationalLeadId: lead.id,
    budgetPounds: 25_000,
  });
  const { items: schools } = await api('/schools?pageSize=10');
  const teachers: Array<{ id: string }> = [];
  const names = ['Priya Shah', 'Tom Hughes', 'Aisha Bello', 'Gareth Lloyd', 'Mei Chen', 'Owen Price', 'Fatima Noor', 'Liam Walsh'];
  for (const [i, school] of schools.slice(0, 4).entries()) {
    await post(`/partnerships/${partnership.id}/members`, { schoolId: school.id, role: i === 0 ? 'lead' : 'member' });
    for (const name of names.slice(i * 2, i * 2 + 2)) {
      const [first, last] = name.toLowerCase().split(' ');
      teachers.push(
        await post('/people', {
          schoolId: school.id,
          name,
          email: `${first}.${last}@${school.name.split(' ')[0].toLowerCase()}.example.sch.uk`,
          role: i % 2 ? 'subject_leader' : 'teacher',
          slt: false,
          phase: school.phase === 'secondary' ? 'secondary' : 'primary',
          subjectSpecialism: ['science', 'maths', 'computing', 'engineering'][i],
          careerStage: 'experienced',
          specialist: true,
          consentToContact: true,
        }),
      );
    }
  }
  const course = await post('/courses', {
    programmeId: programme.id,
    title: 'Practical physics for non-specialists',
    subject: 'science',
    format: 'local',
    hours: 6,
    costPence: 15_000,
    provider: 'STEM Learning',
  });
  const startsAt = new Date(Date.now() + 21 * 86_400_000);
  startsAt.setUTCHours(9, 30, 0, 0);
  const session = await post(`/courses/${course.id}/sessions`, {
    startsAt: startsAt.toISOString(),
    endsAt: new Date(startsAt.getTime() + 6 * 3_600_000).toISOString(),
    venue: 'Teesside University, Middlesbrough',
    capacity: 6,
  });
  for (const teacher of teachers.slice(0, 7)) await post(`/sessions/${session.id}/bookings`, { personId: teacher.id });
  // The demo's programme manager is invited: their invitation, with its sign-in link, is in the inbox.
  await post('/users', { name: 'Demo programme manager', role: 'programme_manager', scope: `programme:${programme.id}`, email: DEMO_MANAGER_EMAIL });
}

const DEMO_MANAGER_EMAIL = 'manager@stemflow.example.org';

let stopping = false;
let catcher: MailCatcher | undefined;
async function stop(code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  say('\nstemflow: stopping (finishing jobs in hand)…');
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
          child.once('exit', () => {
            clearTimeout(kill);
            done();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  await catcher?.stop();
  say('stemflow: stopped.');
  process.exit(code);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

await ensurePostgres();
await ensureRedis();
if (await ensureDatabase(config.databaseUrl)) say(`created the database ${new URL(config.databaseUrl).pathname.slice(1)}`);
const ran = await runMigrations(config.databaseUrl);
if (ran.length > 0) say(`applied ${ran.length} migration(s)`);

const smtpUrl = new URL(config.smtpUrl);
if (isLocal(config.smtpUrl)) {
  catcher = new MailCatcher({ smtpPort: Number(smtpUrl.port || 1025), httpPort: inboxPort });
  try {
    await catcher.start();
  } catch (error) {
    fail([
      `stemflow: the mail catcher could not listen on ports ${smtpUrl.port || 1025} and ${inboxPort} (${(error as Error).message}).`,
      '  Set MAILCATCHER_SMTP_PORT and MAILCATCHER_WEB_PORT in .env to free ports.',
    ]);
  }
}

startProcess('api', 'apps/api/src/main.js');
startProcess('worker', 'apps/worker/src/main.js');
const apiUp = await waitFor(async () => (await fetch(`http://127.0.0.1:${config.port}/health`).catch(() => undefined))?.ok === true, 30);
if (!apiUp) {
  say('stemflow: the API did not become healthy in 30 s; see logs/api.log');
  await stop(1);
}
await seedDemoWhenEmpty().catch((error: Error) => say(`stemflow: could not add the demo data: ${error.message}`));

const base = `http://localhost:${config.port}`;
const inbox = catcher ? `http://localhost:${inboxPort}` : `not run here: mail goes to ${config.smtpUrl}`;
say(`
stemflow is running.
Sign in at ${base} as ${config.adminEmail || DEMO_MANAGER_EMAIL}; the link arrives in the inbox
  Inbox             ${inbox}
  API docs          ${base}/api/docs
  Admin (queues)    ${base}/admin/queues        sign in with any user name and the admin token
  Dashboard         ${base}/dashboard           the programme's figures, once signed in
  Health            ${base}/health
  Admin token       ${config.adminToken}${config.adminToken === DEV_ADMIN_TOKEN ? '   (the local default: set ADMIN_TOKEN in .env for anything else)' : ''}
  Logs              logs/api.log, logs/worker.log
The demo programme's manager signs in as ${DEMO_MANAGER_EMAIL}.

Try:  curl -H "Authorization: Bearer ${config.adminToken}" ${base}/api/v1/notifications
Press Ctrl-C to stop.`);
