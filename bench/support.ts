import { fork, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, hostname, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync, execSync } from 'node:child_process';
import pg from 'pg';
import { Redis } from 'ioredis';
import { ensureDatabase, runMigrations, WORKER_NODE_ARGS } from '#domain';
import { BENCH_LINK_SECRET, type SenderRequest } from './sender-process.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SERVER = process.env.BENCH_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';

/** A throwaway database and queue prefix for one benchmark run. */
export async function benchDatabase(name: string): Promise<{ url: string; prefix: string; db: pg.Pool; drop: () => Promise<void> }> {
  const suffix = `${name}_${process.pid}`;
  const url = `${SERVER}/stemflow_bench_${suffix}`;
  await ensureDatabase(url);
  await runMigrations(url);
  const db = new pg.Pool({ connectionString: url, max: 4 });
  const prefix = `{stemflow-bench-${suffix}}`;
  return {
    url,
    prefix,
    db,
    drop: async () => {
      await db.end();
      await clearQueues(prefix);
      const admin = new pg.Client({ connectionString: `${SERVER}/postgres` });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** Removes every Redis key a run's queue prefix made. */
export async function clearQueues(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
}

export function startApp(script: 'api' | 'worker', env: Record<string, string>): ChildProcess {
  // BENCH_PROFILE=dir writes a CPU profile of the app to that folder when it exits.
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  // BENCH_NODE_FLAGS="--max-old-space-size=160" tries the app with other V8 settings.
  const flags = process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : script === 'worker' ? [...WORKER_NODE_ARGS] : [];
  const child = spawn(process.execPath, [...profile, ...flags, join(ROOT, `dist/apps/${script}/src/main.js`)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', LINK_SECRET: BENCH_LINK_SECRET, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}

/**
 * A sender process (sender-process.ts), started and its mails built: `go` starts its clock
 * and resolves with the seconds from then to the last message the catcher accepted.
 */
export async function startSender(request: SenderRequest): Promise<{ go: () => Promise<number> }> {
  const child = fork(join(ROOT, 'dist/bench/sender-process.js'), [], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit', 'ipc'], serialization: 'advanced' });
  const exited = new Promise<never>((_, fail) => child.once('exit', (code) => fail(new Error(`the sender process exited (${code}) before it was done`))));
  const next = () => Promise.race([new Promise<unknown>((answer) => child.once('message', answer)), exited]);
  child.send(request);
  if ((await next()) !== 'ready') throw new Error('the sender process did not get ready');
  return {
    go: async () => {
      child.send('go');
      const answer = (await next()) as { seconds?: number; error?: string };
      if (answer.error !== undefined || answer.seconds === undefined) throw new Error(`the sender process failed: ${answer.error}`);
      return answer.seconds;
    },
  };
}

/** The catcher's warm-up (see sender-process.ts): its count of messages received is the caller's to discount. */
export async function warmCatcher(smtpPort: number, count: number): Promise<void> {
  await (await startSender({ smtpPort, concurrency: 20, mails: { warmUp: count } })).go();
}

/** The process's peak resident memory so far (VmHWM), in MB; Linux only. */
export function peakRssMb(pid: number | undefined): number | null {
  if (!pid || !existsSync(`/proc/${pid}/status`)) return null;
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : null;
}

export async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits for a started API to answer /health; one that exits first says why on stderr. A loaded machine can take a minute or more to boot it. */
export async function apiAnswering(api: ChildProcess, base: string): Promise<void> {
  await waitUntil(
    async () => {
      if (api.exitCode !== null) throw new Error(`the API exited (${api.exitCode}) before it answered`);
      return (await fetch(`${base}/health`).catch(() => undefined))?.ok === true;
    },
    180_000,
    'the API to start',
  );
}

/** A token made by the built `npm run token` tool against this database; its secret, as the tool prints it. */
export function mintToken(url: string, flags: string[]): string {
  return execFileSync(process.execPath, [join(ROOT, 'dist/tools/token.js'), ...flags], { env: { PATH: process.env.PATH, DATABASE_URL: url }, stdio: ['ignore', 'pipe', 'ignore'] })
    .toString()
    .trim();
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Appends one line per run to bench/RESULTS.md: date, commit, machine, the figures. */
export function record(bench: string, figures: string): void {
  const file = join(ROOT, 'bench', 'RESULTS.md');
  if (!existsSync(file)) {
    writeFileSync(file, '# Benchmark results\n\nOne line per run, newest last: `npm run bench:<name>` appends it.\n\n| date | commit | machine | bench | figures |\n|---|---|---|---|---|\n');
  }
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim();
  } catch {
    // not a git checkout
  }
  const machine = `${cpus().length}×${cpus()[0]?.model.replace(/\s+/g, ' ').trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB (${hostname()})`;
  // A run with other V8 settings says so, so that it is never read as the default's figures.
  const flags = process.env.BENCH_NODE_FLAGS ? ` (apps run with ${process.env.BENCH_NODE_FLAGS})` : '';
  appendFileSync(file, `| ${new Date().toISOString().slice(0, 16).replace('T', ' ')} | ${commit} | ${machine} | ${bench} | ${figures}${flags} |\n`);
}
