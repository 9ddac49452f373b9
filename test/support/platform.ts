import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { MailCatcher } from '#notifications/catcher/mail-catcher';
import { WORKER_NODE_ARGS } from '#domain/platform/worker-process';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SERVER_URL = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const LINK_SECRET = 'test-link-secret-0123456789abcdef0123456789';

export interface PlatformOptions {
  /** Name for logs under test-artifacts/. */
  name: string;
  env?: Record<string, string>;
  startApi?: boolean;
  startWorker?: boolean;
  /** Another PostgreSQL server and Redis than the machine's (the resilience suite's own). */
  databaseServer?: string;
  redisUrl?: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** Polls a condition until it holds: tests wait on state, never on a timer. */
export async function eventually<T>(probe: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw lastError;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every app process any suite started: killed when the test process exits, however it exits. */
const started = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

/**
 * One stemflow for one test file: its own database, its own queue prefix in Redis, an
 * SMTP catcher, and the built API and worker as child processes, as a user runs them.
 */
export class TestPlatform {
  readonly catcher = new MailCatcher();
  readonly db: pg.Pool;
  readonly workers: ChildProcess[] = [];
  api: ChildProcess | undefined;
  apiPort = 0;
  private smtpPort = 0;
  private readonly artifacts: string;

  /** The API's PUBLIC_BASE_URL: the origin its pages' forms are sent from, which a form POST must name. */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.apiPort}`;
  }

  /** Where this suite's app logs are written. */
  get artifactsDir(): string {
    return this.artifacts;
  }

  get redisUrl(): string {
    return this.options.redisUrl ?? REDIS_URL;
  }

  private constructor(
    readonly options: PlatformOptions,
    readonly databaseUrl: string,
    readonly queuePrefix: string,
  ) {
    this.db = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    // Idle connections break when a suite restarts Postgres on purpose; the next query reconnects.
    this.db.on('error', () => undefined);
    this.artifacts = join(ROOT, 'test-artifacts', options.name);
    mkdirSync(this.artifacts, { recursive: true });
  }

  static async start(options: PlatformOptions): Promise<TestPlatform> {
    const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;
    const databaseUrl = `${options.databaseServer ?? SERVER_URL}/stemflow_test_${suffix}`;
    const platform = new TestPlatform(options, databaseUrl, `{stemflow-test-${suffix}}`);
    try {
      const migrated = await platform.run('node', [join(ROOT, 'dist/tools/migrate.js')], { DATABASE_URL: databaseUrl });
      if (migrated.code !== 0) throw new Error(`migrations failed: ${migrated.stderr}`);
      ({ smtpPort: platform.smtpPort } = await platform.catcher.start());
      if (options.startApi !== false) await platform.startApi();
      if (options.startWorker !== false) await platform.startWorker();
      return platform;
    } catch (error) {
      // A suite whose set-up failed still stops what it started.
      await platform.stop().catch(() => undefined);
      throw error;
    }
  }

  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: this.databaseUrl,
      REDIS_URL: this.redisUrl,
      SMTP_URL: `smtp://127.0.0.1:${this.smtpPort}`,
      MAIL_FROM: 'stemflow <no-reply@stemflow.test>',
      // Links in emails point at this suite's API, so a browser can follow them.
      PUBLIC_BASE_URL: `http://127.0.0.1:${this.apiPort}`,
      ADMIN_TOKEN,
      LINK_SECRET,
      PORT: String(this.apiPort),
      HOST: '127.0.0.1',
      QUEUE_PREFIX: this.queuePrefix,
      LOG_LEVEL: 'info',
      OUTBOX_POLL_MS: '500',
      SEND_RETRY_BASE_MS: '20',
      SEND_LEASE_MS: '1500',
      STALLED_CHECK_MS: '1000',
      TICK_EVERY_MS: '1000',
      // Figures are worked out when asked unless a suite asks for kept ones: a refresh that
      // fell between a suite's writes and its reads would show it figures from before them.
      REPORT_SNAPSHOTS_EVERY_MINUTES: '0',
      // Every request of a suite comes from one address, which the page limit counts as one
      // client; suites about the limit set their own.
      PAGE_REQUESTS_PER_MINUTE: '100000',
      ...this.options.env,
      ...extra,
    };
  }

  /** Starts the API, with `env` over the suite's own (a restart with other settings). */
  async startApi(env: Record<string, string> = {}): Promise<void> {
    this.apiPort = await freePort();
    this.api = this.spawn('api', 'dist/apps/api/src/main.js', env);
    await eventually(async () => {
      const answer = await fetch(`http://127.0.0.1:${this.apiPort}/health`);
      if (answer.status !== 200) throw new Error(`health ${answer.status}`);
      // A loaded machine (suites side by side on two cores) can take more than 20 s to boot it.
    }, 60_000);
  }

  async startWorker(): Promise<ChildProcess> {
    const worker = this.spawn(`worker-${this.workers.length + 1}`, 'dist/apps/worker/src/main.js');
    this.workers.push(worker);
    // Ready once it has scored itself in the liveness set.
    const redis = new Redis(this.redisUrl);
    let exited: number | null = null;
    worker.once('exit', (code) => (exited = code ?? -1));
    try {
      await eventually(async () => {
        if (exited !== null) return;
        const score = await redis.zscore(`${this.queuePrefix}:workers`, `${hostname()}:${worker.pid}`);
        if (score === null) throw new Error('worker not live yet');
      }, 60_000);
    } finally {
      redis.disconnect();
    }
    if (exited !== null) throw new Error(`the worker exited (${exited}) while starting; see test-artifacts/${this.options.name}`);
    return worker;
  }

  async kill(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    return new Promise((done) => {
      child.once('exit', (code) => done(code));
      child.kill(signal);
    });
  }

  /** A call a suite's setup expects to succeed, as the admin: its body, or an error naming the answer. */
  async ok(method: string, path: string, body?: unknown): Promise<any> {
    const answer = await this.http(method, path, body);
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
    return answer.body;
  }

  async http(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    const isText = typeof body === 'string';
    const response = await fetch(`http://127.0.0.1:${this.apiPort}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': isText ? 'text/csv' : 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : isText ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  }

  async query<T = any>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.db.query(sql, params)).rows as T[];
  }

  async count(table: string): Promise<number> {
    const [row] = await this.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    return Number(row.n);
  }

  /** Runs a command to completion; resolves with its exit code and output. */
  run(command: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((done, reject) => {
      const child = spawn(command, args, { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c));
      child.stderr.on('data', (c: Buffer) => (stderr += c));
      child.on('error', reject);
      child.on('exit', (code) => done({ code, stdout, stderr }));
    });
  }

  async stop(): Promise<void> {
    await Promise.all([...this.workers, ...(this.api ? [this.api] : [])].map((child) => this.kill(child, 'SIGTERM')));
    await this.catcher.stop();
    await this.db.end();
    const redis = new Redis(this.redisUrl);
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${this.queuePrefix}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
    const admin = new pg.Client({ connectionString: `${this.options.databaseServer ?? SERVER_URL}/postgres` });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${new URL(this.databaseUrl).pathname.slice(1)}" WITH (FORCE)`);
    await admin.end();
  }

  private spawn(name: string, script: string, env: Record<string, string> = {}): ChildProcess {
    const flags = script.includes('/worker/') ? WORKER_NODE_ARGS : [];
    const child = spawn(process.execPath, ['--enable-source-maps', ...flags, join(ROOT, script)], { cwd: ROOT, env: this.env(env), stdio: ['ignore', 'pipe', 'pipe'] });
    started.add(child);
    child.once('exit', () => started.delete(child));
    const log = createWriteStream(join(this.artifacts, `${name}.log`), { flags: 'a' });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    return child;
  }
}
