import { parseArgs } from 'node:util';
import pg from 'pg';

/**
 * `npm run simulate -- --cohort <id> --from <date> --to <date> [--step 1h]`
 *
 * Runs a stretch of a cohort's year in seconds against a platform started with
 * CLOCK=virtual: moves the shared clock a step at a time, lets the ticker and the workers
 * do what fell due, shows progress, and ends with what happened.
 */
const usage = 'usage: npm run simulate -- --cohort <uuid> --from <YYYY-MM-DD[THH:MM]> --to <YYYY-MM-DD[THH:MM]> [--step 1h|30m|1d] [--api http://localhost:3000]';
const fail = (message: string): never => {
  process.stderr.write(`stemflow simulate: ${message}\n${usage}\n`);
  process.exit(2);
};

try {
  process.loadEnvFile('.env');
} catch {
  // no .env: the environment alone
}
let args: { cohort?: string; from?: string; to?: string; step?: string; api?: string };
try {
  ({ values: args } = parseArgs({ options: { cohort: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, step: { type: 'string' }, api: { type: 'string' } } }));
} catch (error) {
  fail((error as Error).message);
}
const cohort = args!.cohort ?? fail('--cohort is required');
if (!/^[0-9a-f-]{36}$/i.test(cohort)) fail('--cohort must be a cohort id (uuid)');
const from = new Date(args!.from ?? fail('--from is required'));
const to = new Date(args!.to ?? fail('--to is required'));
if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) fail('--from and --to must be dates');
if (to <= from) fail('--to must be after --from');
const stepMatch = /^(\d+)(m|h|d)$/.exec(args!.step ?? '1h') ?? fail('--step must look like 30m, 1h or 1d');
const stepMs = Number(stepMatch[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[stepMatch[2] as 'm' | 'h' | 'd'];
if (stepMs <= 0) fail('--step must be more than zero');
const api = (args!.api ?? process.env.PUBLIC_BASE_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/+$/, '');
const token = process.env.ADMIN_TOKEN ?? 'stemflow-local-admin-token';
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/stemflow';

async function call(method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${api}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).catch(() => fail(`no stemflow API answers at ${api}: start it with CLOCK=virtual npm start`));
  const answer = (await response.json().catch(() => ({}))) as any;
  if (response.status === 404 && path === '/admin/clock') fail('the platform runs on the system clock: start it with CLOCK=virtual npm start');
  if (!response.ok) fail(`${method} ${path}: ${response.status} ${answer.detail ?? ''}`);
  return answer;
}

const db = new pg.Client({ connectionString: databaseUrl });
await db.connect();
await call('GET', `/cohorts/${cohort}`);

/** Settled when nothing due is still waiting: no planned or claimed action, no message due and unsent. */
async function settle(now: Date): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { rows } = await db.query(
      `SELECT (SELECT count(*) FROM scheduled_actions WHERE (status = 'planned' AND due_at <= $1) OR status = 'claimed')
            + (SELECT count(*) FROM notifications WHERE (status = 'queued' AND not_before <= $1) OR status = 'sending') AS pending`,
      [now],
    );
    if (Number(rows[0].pending) === 0 || Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const steps = Math.ceil((to.getTime() - from.getTime()) / stepMs);
const started = Date.now();
for (let i = 0; i <= steps; i += 1) {
  const now = new Date(Math.min(from.getTime() + i * stepMs, to.getTime()));
  await call('POST', '/admin/clock', { now: now.toISOString() });
  await settle(now);
  const done = Math.round(((i + 1) / (steps + 1)) * 30);
  process.stdout.write(`\r[${'#'.repeat(done)}${'.'.repeat(30 - done)}] ${String(Math.round(((i + 1) / (steps + 1)) * 100)).padStart(3)}%  ${now.toISOString().slice(0, 16).replace('T', ' ')}`);
}
process.stdout.write('\n');

const actions = await db.query(`SELECT status, count(*)::int AS n FROM scheduled_actions WHERE cohort_id = $1 AND due_at >= $2 AND due_at <= $3 GROUP BY status ORDER BY status`, [cohort, from, to]);
const mail = await db.query(`SELECT kind, status, count(*)::int AS n FROM notifications WHERE created_at >= $1 AND created_at <= $2 GROUP BY kind, status ORDER BY kind, status`, [from, to]);
const count = (status: string) => actions.rows.find((r) => r.status === status)?.n ?? 0;
process.stdout.write(`\nSimulated ${from.toISOString().slice(0, 10)} to ${to.toISOString().slice(0, 10)} in ${((Date.now() - started) / 1000).toFixed(1)} s (${steps + 1} steps)\n`);
process.stdout.write(`  actions run         ${count('done')}\n  superseded          ${count('superseded')}\n  cancelled           ${count('cancelled')}\n  still planned       ${count('planned')}\n`);
process.stdout.write('  emails by kind:\n');
const kinds = new Map<string, Record<string, number>>();
for (const row of mail.rows) kinds.set(row.kind, { ...(kinds.get(row.kind) ?? {}), [row.status]: row.n });
if (kinds.size === 0) process.stdout.write('    none\n');
for (const [kind, byStatus] of kinds) {
  process.stdout.write(
    `    ${kind.padEnd(26)} ${Object.entries(byStatus)
      .map(([s, n]) => `${n} ${s}`)
      .join(', ')}\n`,
  );
}
await db.end();
