import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, FIGURES, hashToken, refreshSnapshots } from '#domain';
import type { Column, Row } from '#domain/reports/figure-kit';
import { reportsDatabase, SIZES, type ReportsData, type SizeName } from './reports-data.js';
import { CURSOR_LISTS, HAND_WRITTEN, HAND_WRITTEN_SCHEDULE, HAND_WRITTEN_TIMELINE, handWrittenKeysetPage, handWrittenPage, type ListName } from './reports-limits.js';
import { apiAnswering, clearQueues, mintToken, peakRssMb, percentile, record, REDIS_URL, startApp, stop } from './support.js';

/**
 * `npm run bench:reports [-- --sizes S,M]`: the reports at three sizes of programme (see
 * SIZES), each loaded straight into a database of its own that is kept for the next run.
 * The built API is started against it, and asked, with a programme manager's token and an
 * admin's, for every figure (JSON and CSV), the dashboard page, the funder zip, the first
 * and the last page of each list, a school's timeline and a cohort's schedule (as it is,
 * and previewing a change to its policy). Beside each, the same answer by hand-written SQL
 * (bench/reports-limits.ts) run from this process: the floor. Prints the median and p95 of
 * each, the ratio of the p95s, the growth between the two largest sizes, and one line for
 * bench/RESULTS.md.
 *
 * First, the worker's refresh of the kept figures (`refreshSnapshots`, what the worker runs
 * every REPORT_SNAPSHOTS_EVERY_MINUTES) is run from this process and timed, with how long each
 * figure took to work out over the programme and the platform. The API then answers as it
 * would in production: a figure that took REPORT_LIVE_UNDER_MS (250 ms) or more is read from
 * its snapshot (marked "kept"), the others are worked out when asked.
 */
const { values: args } = parseArgs({ options: { sizes: { type: 'string', default: 'S,M,L' } } });
const sizes = args.sizes!.split(',').map((s) => s.trim().toUpperCase()) as SizeName[];
for (const size of sizes) if (!(size in SIZES)) throw new Error(`--sizes takes S, M and L (got ${size})`);

/** Requests per item: the most taken, and the fewest before an item's time budget may stop it. */
const REPEATS: Record<SizeName, number> = process.env.REPORTS_REPEATS
  ? { S: Number(process.env.REPORTS_REPEATS), M: Number(process.env.REPORTS_REPEATS), L: Number(process.env.REPORTS_REPEATS) }
  : { S: 10, M: 6, L: 3 };
const MIN_REPEATS = 3;
const ITEM_BUDGET_MS = Number(process.env.REPORTS_ITEM_BUDGET_MS ?? 90_000);
const TIMEOUT_MS = Number(process.env.REPORTS_TIMEOUT_MS ?? 60_000);
/** A first request slower than this is counted (not a warm-up): waiting for a second one would double the run. */
const COUNT_FIRST_OVER_MS = 5_000;
/** Read the figures an earlier run kept rather than refreshing them (at L the refresh takes minutes). */
const REUSE_KEPT = process.env.REPORTS_REUSE_KEPT === '1';
const MANAGER_EMAIL = 'bench.manager@stemflow.test';
const ADMIN_EMAIL = 'bench.admin@stemflow.test';

type Role = 'manager' | 'admin';
type Kind = 'figure' | 'csv' | 'dashboard' | 'zip' | 'first page' | 'deep page' | 'timeline' | 'schedule' | 'preview';
interface Measured {
  samples: number[];
  /** 'ok', 'timeout', or what went wrong. */
  outcome: string;
}
interface Result {
  size: SizeName;
  label: string;
  kind: Kind;
  role: Role;
  key?: string;
  api: Measured;
  hand?: Measured;
  /** For the dashboard and the zip: the hand-written figures' medians added up. */
  handSum?: number;
  /** Printed after the figures: how big the answer was. */
  note?: string;
}

class TimedOut extends Error {}

const results: Result[] = [];
const say = (line: string) => console.log(line);

async function measureSize(size: SizeName): Promise<void> {
  const spec = SIZES[size];
  say(
    `\nsize ${size}: ${spec.schools.toLocaleString('en-GB')} schools, ${spec.people.toLocaleString('en-GB')} people, ${spec.attendances.toLocaleString('en-GB')} attendances, ${spec.notifications.toLocaleString('en-GB')} notifications`,
  );
  const data = await reportsDatabase(size, (line) => say(line));
  say(
    `  rows: ${Object.entries(data.counts)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([table, n]) => `${table} ${n.toLocaleString('en-GB')}`)
      .join(', ')}`,
  );
  const manager = mintToken(data.url, ['--role', 'programme_manager', '--scope', `programme:${data.ids.programmeId}`, '--name', 'Bench Manager', '--email', MANAGER_EMAIL]);
  const admin = mintToken(data.url, ['--role', 'admin', '--name', 'Bench Admin', '--email', ADMIN_EMAIL]);
  // The floor is measured with Postgres's JIT off: with it, compiling a plan whose row estimates are far out
  // (jsonb_array_elements is always guessed at 100 rows) can cost seconds more than running it.
  const pool = new pg.Pool({ connectionString: data.url, max: 2, application_name: 'stemflow-bench-reports', statement_timeout: TIMEOUT_MS, options: '-c jit=off' });
  const cookies = { manager: await sessionCookie(pool, manager), admin: await sessionCookie(pool, admin) };
  // The server's settings as the API's sessions have them: not this pool's, which turns JIT off.
  const server = new pg.Client({ connectionString: data.url });
  await server.connect();
  const settings = (await server.query(`SELECT name, setting, unit FROM pg_settings WHERE name IN ('jit', 'jit_above_cost', 'work_mem', 'shared_buffers', 'max_parallel_workers_per_gather')`)).rows;
  await server.end();
  say(`  Postgres (as the API runs): ${settings.map((s) => `${s.name}=${s.setting}${s.unit ? ` ${s.unit}` : ''}`).join(', ')}`);

  const port = 3400 + ((process.pid + size.charCodeAt(0)) % 500);
  const base = `http://127.0.0.1:${port}`;
  const prefix = `{stemflow-bench-reports-${process.pid}}`;
  const api = startApp('api', {
    NODE_ENV: 'production',
    DATABASE_URL: data.url,
    REDIS_URL,
    PUBLIC_BASE_URL: base,
    QUEUE_PREFIX: prefix,
    ADMIN_TOKEN: 'bench-admin-token-0123456789',
    PORT: String(port),
    HOST: '127.0.0.1',
    PAGE_REQUESTS_PER_MINUTE: '1000000',
  });
  try {
    await refreshKeptFigures(size, data);
    await apiAnswering(api, base);
    const bench = new SizeBench(size, base, pool, { manager, admin }, cookies, data);
    await bench.run();
    const peak = peakRssMb(api.pid);
    apiPeaks.set(size, peak);
    say(`  the API's peak memory (VmHWM) while serving all of the above: ${peak ?? '?'} MB`);
  } finally {
    await stop(api);
    await pool.end();
    await clearQueues(prefix);
  }
}

interface Refresh {
  size: SizeName;
  tookMs: number;
  scopes: number;
  failed: number;
}
const refreshes: Refresh[] = [];
/** The API's peak resident memory per size, in MB. */
const apiPeaks = new Map<SizeName, number | null>();

/** The worker's refresh of every kept figure, as it runs it: each figure's time over the programme and over the platform, and the whole run's. */
async function refreshKeptFigures(size: SizeName, data: ReportsData): Promise<void> {
  const dataSource = new DataSource(dataSourceOptions(data.url, [], 'stemflow-bench-refresh', 2));
  await dataSource.initialize();
  try {
    if (REUSE_KEPT) {
      say(`  kept figures: REPORTS_REUSE_KEPT is set, so the figures an earlier run kept are read as they are (the refresh is not measured)`);
    } else {
      const outcome = await refreshSnapshots(dataSource, new Date());
      refreshes.push({ size, tookMs: outcome.tookMs, scopes: outcome.scopes, failed: outcome.failed.length });
      say(
        `  kept figures: the worker's refresh of ${outcome.figures} figures over ${outcome.scopes} scopes took ${(outcome.tookMs / 1000).toFixed(1)} s${outcome.failed.length > 0 ? `, ${outcome.failed.length} failed: ${outcome.failed.map((f) => `${f.key} (${f.error})`).join('; ')}` : ''}`,
      );
    }
    const took: Array<{ figure_key: string; scope: string; took_ms: number }> = await dataSource.query(
      `SELECT figure_key, scope, took_ms FROM figure_snapshots WHERE scope IN ('platform', $1) ORDER BY figure_key`,
      [data.ids.programmeId],
    );
    for (const figure of FIGURES) {
      const of = (scope: string) => took.find((t) => t.figure_key === figure.key && t.scope === scope)?.took_ms;
      const [programme, platform] = [of(data.ids.programmeId), of('platform')];
      say(`    ${figure.key.padEnd(40)} worked out in ${ms(programme ?? NaN).padStart(9)} for the programme, ${ms(platform ?? NaN).padStart(9)} for the platform`);
    }
  } finally {
    await dataSource.destroy();
  }
}

/** A signed-in browser's session for the token, as signing in by the emailed link leaves it. */
async function sessionCookie(pool: pg.Pool, secret: string): Promise<string> {
  const session = randomBytes(32).toString('base64url');
  await pool.query(
    `INSERT INTO dashboard_sessions (id, token_hash, api_token_id, created_at, last_seen_at, expires_at)
     SELECT $1, $2, id, now(), now(), now() + interval '12 hours' FROM api_tokens WHERE token_hash = $3`,
    [randomUUID(), hashToken(session), hashToken(secret)],
  );
  return `stemflow_dashboard=${session}`;
}

class SizeBench {
  private readonly repeats: number;

  constructor(
    private readonly size: SizeName,
    private readonly base: string,
    private readonly pool: pg.Pool,
    private readonly tokens: Record<Role, string>,
    private readonly cookies: Record<Role, string>,
    private readonly data: ReportsData,
  ) {
    this.repeats = REPEATS[size];
  }

  async run(): Promise<void> {
    const programme = (role: Role) => (role === 'manager' ? this.data.ids.programmeId : null);
    say(`  ${'item'.padEnd(62)} ${'API p50'.padStart(9)} ${'p95'.padStart(9)} ${'n'.padStart(3)}   ${'by hand p50'.padStart(11)} ${'p95'.padStart(9)}   ratio p95   (by hand: JIT off)`);

    for (const figure of FIGURES) {
      const hand = HAND_WRITTEN[figure.key];
      for (const role of ['manager', 'admin'] as const) {
        let answer: { columns: Column[]; rows: Row[]; source: 'live' | 'snapshot' } | undefined;
        const api = await this.measure(async () => {
          const body = (await this.get(`/api/v1/reports/${figure.key}`, role, 'json')) as { columns: Column[]; rows: Row[]; source: 'live' | 'snapshot' };
          answer ??= body;
          return body;
        });
        let handRows: Row[] | undefined;
        const handMeasured = hand
          ? await this.measure(async () => {
              // A statement names `$2` (now) only when it needs it, and pg refuses a parameter it cannot type.
              const rows = await this.sql(hand.sql, hand.sql.includes('$2') ? [programme(role), new Date()] : [programme(role)]);
              const shaped = hand.post ? hand.post(rows) : rows;
              handRows ??= shaped;
              return shaped;
            })
          : undefined;
        if (answer && handRows) {
          const mismatch = compare(answer.columns, answer.rows, handRows);
          if (mismatch) say(`  WARNING: ${figure.key} (${role}) by hand does not match the API: ${mismatch}`);
        }
        const kept = answer?.source === 'snapshot' ? ', kept' : '';
        this.report({ size: this.size, label: `figure ${figure.key} (${role}, JSON${kept})`, kind: 'figure', role, key: figure.key, api, hand: handMeasured });
      }
      const csv = await this.measure(() => this.get(`/api/v1/reports/${figure.key}?format=csv`, 'manager', 'csv'));
      this.report({ size: this.size, label: `figure ${figure.key} (manager, CSV)`, kind: 'csv', role: 'manager', key: figure.key, api: csv });
    }

    for (const role of ['manager', 'admin'] as const) {
      const handSum = this.handSum(role);
      let bytes = 0;
      const page = await this.measure(async () => (bytes = (await this.get('/dashboard', role, 'html')) as number));
      this.report({ size: this.size, label: `dashboard page /dashboard (${role})`, kind: 'dashboard', role, api: page, handSum, note: size(bytes) });
      bytes = 0;
      const zip = await this.measure(async () => (bytes = (await this.get('/api/v1/reports/export.zip', role, 'zip')) as number));
      this.report({ size: this.size, label: `funder zip /api/v1/reports/export.zip (${role})`, kind: 'zip', role, api: zip, handSum, note: size(bytes) });
    }

    const lists: Array<[ListName, string, Role[]]> = [
      ['schools', '/api/v1/schools', ['manager', 'admin']],
      ['people', '/api/v1/people', ['manager', 'admin']],
      ['notifications', '/api/v1/notifications', ['manager', 'admin']],
      ['audit', '/api/v1/audit', ['admin']],
    ];
    for (const [list, path, roles] of lists) {
      for (const role of roles) {
        let total = 0;
        const first = await this.measure(async () => {
          const body = (await this.get(`${path}?page=1&pageSize=50`, role, 'json')) as { total: number };
          total = body.total;
          return body;
        });
        const handFirst = handWrittenPage(list, programme(role), 0);
        this.report({
          size: this.size,
          label: `${list} first page (${role})`,
          kind: 'first page',
          role,
          api: first,
          hand: handFirst ? await this.measure(() => this.sql(handFirst.sql, handFirst.params)) : undefined,
        });
        // Lists that page by key count only so far: their true length comes from the hand-written count.
        if (CURSOR_LISTS.has(list) && handFirst) total = Number((await this.sql(handFirst.sql, handFirst.params))[0].total);
        const last = Math.max(1, Math.ceil(total / 50));
        const handDeep = handWrittenPage(list, programme(role), (last - 1) * 50);
        if (CURSOR_LISTS.has(list)) {
          // The last page as a person reaches it, by the cursor of the page before it; that cursor
          // is fetched once by number (slow, and not what is measured).
          const before = last > 1 ? ((await this.get(`${path}?page=${last - 1}&pageSize=50`, role, 'json')) as { next: string | null }) : null;
          const deepPath = before?.next ? `${path}?after=${encodeURIComponent(before.next)}&pageSize=50` : `${path}?page=1&pageSize=50`;
          const handKeyset = before?.next ? handWrittenKeysetPage(list, programme(role), before.next) : undefined;
          this.report({
            size: this.size,
            label: `${list} last page by cursor, ${last} (${role})`,
            kind: 'deep page',
            role,
            api: await this.measure(() => this.get(deepPath, role, 'json')),
            hand: handKeyset ? await this.measure(() => this.sql(handKeyset.sql, handKeyset.params)) : undefined,
          });
          continue;
        }
        const deep = await this.measure(() => this.get(`${path}?page=${last}&pageSize=50`, role, 'json'));
        this.report({
          size: this.size,
          label: `${list} last page, ${last} (${role})`,
          kind: 'deep page',
          role,
          api: deep,
          hand: handDeep ? await this.measure(() => this.sql(handDeep.sql, handDeep.params)) : undefined,
        });
      }
    }

    const { schoolId, cohortId, programmeId } = this.data.ids;
    this.report({
      size: this.size,
      label: "a school's timeline (manager)",
      kind: 'timeline',
      role: 'manager',
      api: await this.measure(() => this.get(`/api/v1/schools/${schoolId}/timeline`, 'manager', 'json')),
      hand: await this.measure(() => this.sql(HAND_WRITTEN_TIMELINE, [schoolId])),
    });
    this.report({
      size: this.size,
      label: "a cohort's schedule, next 120 days (manager)",
      kind: 'schedule',
      role: 'manager',
      api: await this.measure(() => this.get(`/api/v1/cohorts/${cohortId}/schedule`, 'manager', 'json')),
      hand: await this.measure(() => this.sql(HAND_WRITTEN_SCHEDULE, [cohortId, new Date(), programmeId])),
    });
    // A dry run re-plans the whole cohort inside a transaction it then rolls back: nothing is kept.
    this.report({
      size: this.size,
      label: "a cohort's schedule, previewing a policy change (manager)",
      kind: 'preview',
      role: 'manager',
      api: await this.measure(() =>
        this.request(`/api/v1/cohorts/${cohortId}?dryRun=true`, 'manager', 'json', { method: 'PATCH', body: JSON.stringify({ workflowPolicy: { selfEvaluation: { inviteAfterDays: 4 } } }) }),
      ),
    });
  }

  /** The hand-written figures' medians for one role, added up: what the dashboard or the zip could take. */
  private handSum(role: Role): number | undefined {
    const mine = results.filter((r) => r.size === this.size && r.kind === 'figure' && r.role === role);
    if (mine.some((r) => !r.hand || r.hand.outcome !== 'ok')) return undefined;
    return mine.reduce((sum, r) => sum + percentile(r.hand!.samples, 50), 0);
  }

  private report(result: Result): void {
    results.push(result);
    const { api, hand } = result;
    const limit = hand ? `${cell(hand, 50, 11)} ${cell(hand, 95, 9)}` : result.handSum !== undefined ? `${ms(result.handSum).padStart(11)} ${'(sum)'.padStart(9)}` : ' '.repeat(21);
    const handP95 = hand?.outcome === 'ok' ? percentile(hand.samples, 95) : result.handSum;
    const ratio = handP95 ? `${ratioText(api, handP95)} x` : '';
    say(`  ${result.label.padEnd(62)} ${cell(api, 50, 9)} ${cell(api, 95, 9)} ${String(api.samples.length).padStart(3)}   ${limit}   ${ratio}${result.note ? `   ${result.note}` : ''}`);
  }

  /** The first answer warms both sides up (plans, templates) and is not counted, unless it was slow. */
  private async measure(run: () => Promise<unknown>): Promise<Measured> {
    const samples: number[] = [];
    const started = performance.now();
    for (let i = 0; samples.length < this.repeats; i += 1) {
      const t0 = performance.now();
      try {
        await run();
      } catch (error) {
        if (error instanceof TimedOut) {
          samples.push(TIMEOUT_MS);
          return { samples, outcome: 'timeout' };
        }
        return { samples, outcome: `error: ${(error as Error).message.slice(0, 200)}` };
      }
      const took = performance.now() - t0;
      if (i > 0 || took > COUNT_FIRST_OVER_MS) samples.push(took);
      if (samples.length >= MIN_REPEATS && performance.now() - started > ITEM_BUDGET_MS) break;
    }
    return { samples, outcome: 'ok' };
  }

  private get(path: string, role: Role, expect: 'json' | 'csv' | 'html' | 'zip'): Promise<unknown> {
    return this.request(path, role, expect, { method: 'GET' });
  }

  /** One request, its whole body read; pages by the session cookie, the API by bearer token. */
  private async request(path: string, role: Role, expect: 'json' | 'csv' | 'html' | 'zip', init: { method: string; body?: string }): Promise<unknown> {
    const headers: Record<string, string> = expect === 'html' ? { cookie: this.cookies[role] } : { authorization: `Bearer ${this.tokens[role]}` };
    if (init.body) headers['content-type'] = 'application/json';
    let answer: Response;
    let body: Buffer;
    try {
      answer = await fetch(`${this.base}${path}`, { ...init, headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
      body = Buffer.from(await answer.arrayBuffer());
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') {
        await this.cancelApiQueries();
        throw new TimedOut();
      }
      throw error;
    }
    if (answer.status !== 200) throw new Error(`${init.method} ${path} answered ${answer.status}: ${body.toString('utf8').slice(0, 160)}`);
    if (expect === 'json') return JSON.parse(body.toString('utf8'));
    if (expect === 'zip' && body.subarray(0, 2).toString('latin1') !== 'PK') throw new Error(`${path} is not a zip`);
    if (expect === 'csv' && !(answer.headers.get('content-type') ?? '').startsWith('text/csv')) throw new Error(`${path} is not CSV`);
    return body.length;
  }

  private async sql(text: string, params: unknown[]): Promise<Row[]> {
    try {
      return (await this.pool.query(text, params)).rows;
    } catch (error) {
      if ((error as { code?: string }).code === '57014') throw new TimedOut();
      throw error;
    }
  }

  /**
   * A request given up on is still being answered: its queries are cancelled (and the
   * next ones, until its transaction has ended), so that they do not slow what comes next.
   */
  private async cancelApiQueries(): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const { rows } = await this.pool.query(
        `SELECT pid, CASE WHEN state = 'active' THEN pg_cancel_backend(pid) END AS cancelled FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = 'stemflow-api' AND state IN ('active', 'idle in transaction')`,
      );
      if (rows.length === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Rows as the API's columns type them, so that a count from pg (a string) equals the API's number. */
function normalised(columns: Column[], rows: Row[]): string[] {
  return rows.map((row) =>
    JSON.stringify(
      columns.map(({ key, type }) => {
        const value = row[key];
        if (value === null || value === undefined) return null;
        if (type === 'text' || type === 'date') return String(value);
        return Math.round(Number(value) * 1e6) / 1e6;
      }),
    ),
  );
}

/** Undefined when the rows are the same, in the same order; else what differs. */
function compare(columns: Column[], apiRows: Row[], handRows: Row[]): string | undefined {
  const a = normalised(columns, apiRows);
  const b = normalised(columns, handRows);
  if (a.join('\n') === b.join('\n')) return undefined;
  if ([...a].sort().join('\n') === [...b].sort().join('\n')) return `the same ${a.length} rows in another order`;
  const onlyApi = a.filter((row) => !b.includes(row));
  const onlyHand = b.filter((row) => !a.includes(row));
  return `${a.length} rows from the API, ${b.length} by hand; first only in the API: ${onlyApi[0] ?? '-'}; first only by hand: ${onlyHand[0] ?? '-'}`;
}

/** An answer's p95 (or p50) over another time; a timeout says at least how many times it is. */
function ratioText(measured: Measured, over: number, p = 95): string {
  if (measured.outcome === 'timeout') return `>${(TIMEOUT_MS / Math.max(over, 0.1)).toFixed(0)}`;
  if (measured.outcome !== 'ok') return 'n/a';
  return (percentile(measured.samples, p) / Math.max(over, 0.1)).toFixed(1);
}

function size(bytes: number): string | undefined {
  if (bytes <= 0) return undefined;
  return bytes < 1e6 ? `${(bytes / 1e3).toFixed(0)} kB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

function ms(value: number): string {
  return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`;
}

function cell(measured: Measured, p: number, width: number): string {
  if (measured.outcome === 'timeout') return `>${TIMEOUT_MS / 1000} s`.padStart(width);
  if (measured.outcome !== 'ok') return 'error'.padStart(width);
  return ms(percentile(measured.samples, p)).padStart(width);
}

function p95Text(r: Result | undefined): string {
  if (!r) return 'n/a';
  if (r.api.outcome === 'timeout') return `>${TIMEOUT_MS}`;
  if (r.api.outcome !== 'ok') return 'error';
  return percentile(r.api.samples, 95).toFixed(0);
}

/** An answer's p95 for ranking: a timeout is the slowest of all, an error the fastest. */
function score(r: Result): number {
  return r.api.outcome === 'timeout' ? Infinity : r.api.outcome === 'ok' ? percentile(r.api.samples, 95) : -1;
}

function worst(of: Result[]): Result | undefined {
  return [...of].sort((a, b) => score(b) - score(a))[0];
}

function summarise(): void {
  for (const size of sizes) {
    for (const r of results.filter((x) => x.size === size)) {
      if (r.api.outcome.startsWith('error')) say(`  ${size} ${r.label}: ${r.api.outcome}`);
      if (r.hand?.outcome.startsWith('error')) say(`  ${size} ${r.label} by hand: ${r.hand.outcome}`);
    }
  }
  const largest = sizes[sizes.length - 1];
  const figures = results.filter((r) => r.size === largest && r.kind === 'figure');
  say(`\nslowest figures at ${largest} (API p95, either token):`);
  const seen = new Set<string>();
  for (const r of [...figures].sort((a, b) => score(b) - score(a))) {
    if (seen.has(r.key!) || seen.size >= 5) continue;
    seen.add(r.key!);
    const handP95 = r.hand?.outcome === 'ok' ? percentile(r.hand.samples, 95) : undefined;
    say(`  ${r.key} (${r.role}): ${p95Text(r)} ms${handP95 ? `, by hand ${ms(handP95)}` : ''}`);
  }

  if (sizes.length > 1) {
    const [from, to] = sizes.slice(-2);
    const factor = SIZES[to].attendances / SIZES[from].attendances;
    say(`\ngrowth from ${from} to ${to} (p50 at ${to} ÷ p50 at ${from}; the data grew ${factor.toFixed(0)}×):`);
    for (const r of results.filter((x) => x.size === to)) {
      const before = results.find((x) => x.size === from && x.label.replace(/, \d+ \(/, ' (') === r.label.replace(/, \d+ \(/, ' ('));
      if (!before) continue;
      const growth = before.api.outcome === 'ok' ? `${ratioText(r.api, percentile(before.api.samples, 50), 50)} x` : `${before.api.outcome} → ${r.api.outcome}`;
      say(`  ${r.label.padEnd(62)} ${growth}`);
    }
  }

  const at = results.filter((r) => r.size === largest);
  const dashboard = worst(at.filter((r) => r.kind === 'dashboard'));
  const figure = worst(at.filter((r) => r.kind === 'figure'));
  const zip = worst(at.filter((r) => r.kind === 'zip'));
  const deep = worst(at.filter((r) => r.kind === 'deep page'));
  const handP95 = figure?.hand?.outcome === 'ok' ? percentile(figure.hand.samples, 95) : undefined;
  const ratio = figure && handP95 ? ratioText(figure.api, handP95) : 'n/a';
  const refresh = refreshes.find((r) => r.size === largest);
  const refreshText = refresh
    ? `; the worker's refresh of every kept figure (${refresh.scopes} scopes) ${(refresh.tookMs / 1000).toFixed(1)} s${refresh.failed > 0 ? `, ${refresh.failed} failed` : ''}`
    : '';
  const line = `reports at ${largest}: dashboard p95 ${p95Text(dashboard)} ms, slowest figure ${figure?.key ?? 'n/a'} p95 ${p95Text(figure)} ms (${ratio} x hand-written), funder zip ${p95Text(zip)} ms, deepest list page p95 ${p95Text(deep)} ms, API peak memory ${apiPeaks.get(largest) ?? '?'} MB${refreshText}`;
  say(`\n${line}`);
  record('reports', line);
}

// Last, once every class and function above is defined.
for (const size of sizes) await measureSize(size);
summarise();
