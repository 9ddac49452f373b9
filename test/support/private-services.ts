import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { eventually, freePort } from './platform.js';

/**
 * A PostgreSQL cluster and a Redis server of the suite's own, on free ports, so the
 * resilience suite can restart them mid-run without touching the machine's shared ones.
 * Redis keeps an append-only file, as production's does: a restart loses nothing.
 */
export class PrivateServices {
  private redis: ChildProcess | undefined;
  private constructor(
    private readonly pgBin: string,
    private readonly pgData: string,
    readonly pgPort: number,
    private readonly redisDir: string,
    readonly redisPort: number,
    private readonly postgresSettings: Record<string, string>,
  ) {}

  get databaseServer(): string {
    return `postgres://postgres@127.0.0.1:${this.pgPort}`;
  }

  get redisUrl(): string {
    return `redis://127.0.0.1:${this.redisPort}`;
  }

  /** `postgresSettings` are passed to every start of the cluster (`-c name=value`). */
  static async start({ postgresSettings = {} }: { postgresSettings?: Record<string, string> } = {}): Promise<PrivateServices> {
    const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort() : [];
    const pgBin = versions.length ? `/usr/lib/postgresql/${versions[versions.length - 1]}/bin` : '';
    if (!pgBin || !existsSync(join(pgBin, 'initdb'))) throw new Error('the resilience suite needs PostgreSQL server binaries (Debian: apt-get install postgresql)');
    const root = mkdtempSync(join(tmpdir(), 'stemflow-resilience-'));
    const pgData = join(root, 'pg');
    const redisDir = join(root, 'redis');
    execFileSync('mkdir', ['-p', pgData, redisDir]);
    // initdb refuses to run as root; the cluster belongs to the postgres user.
    const asPostgres = process.getuid?.() === 0;
    if (asPostgres) execFileSync('chown', ['-R', 'postgres:postgres', root]);
    const services = new PrivateServices(pgBin, pgData, await freePort(), redisDir, await freePort(), postgresSettings);
    services.pgCtl(['initdb', '-D', pgData, '-U', 'postgres', '--auth=trust', '--no-sync'], asPostgres);
    await services.startPostgres();
    await services.startRedis();
    return services;
  }

  private pgCtl(args: string[], asPostgres = process.getuid?.() === 0): void {
    const [program, ...rest] = args;
    const command = join(this.pgBin, program);
    if (asPostgres) execFileSync('runuser', ['-u', 'postgres', '--', command, ...rest], { stdio: 'ignore' });
    else execFileSync(command, rest, { stdio: 'ignore' });
  }

  async startPostgres(): Promise<void> {
    const settings = Object.entries(this.postgresSettings)
      .map(([name, value]) => ` -c ${name}=${value}`)
      .join('');
    this.pgCtl([
      'pg_ctl',
      '-D',
      this.pgData,
      '-w',
      '-l',
      join(this.pgData, 'log'),
      '-o',
      `-p ${this.pgPort} -k ${this.pgData} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200${settings}`,
      'start',
    ]);
  }

  stopPostgres(): void {
    this.pgCtl(['pg_ctl', '-D', this.pgData, '-w', '-m', 'fast', 'stop']);
  }

  /** Postgres crashing: every process gone at once, nothing written out first; the next start recovers from the WAL. */
  crashPostgres(): void {
    this.pgCtl(['pg_ctl', '-D', this.pgData, '-w', '-m', 'immediate', 'stop']);
  }

  async startRedis(): Promise<void> {
    this.redis = spawn('redis-server', ['--port', String(this.redisPort), '--bind', '127.0.0.1', '--dir', this.redisDir, '--appendonly', 'yes', '--save', '', '--maxmemory-policy', 'noeviction'], {
      stdio: 'ignore',
    });
    const probe = new Redis(this.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await eventually(async () => {
        if (probe.status !== 'ready') await probe.connect().catch(() => undefined);
        if ((await probe.ping()) !== 'PONG') throw new Error('redis not ready');
      });
    } finally {
      probe.disconnect();
    }
  }

  /** SHUTDOWN writes the append-only file and exits, as a managed Redis restart does. */
  async stopRedis(): Promise<void> {
    const redis = this.redis;
    if (!redis || redis.exitCode !== null) return;
    const exited = new Promise<void>((done) => redis.once('exit', () => done()));
    const client = new Redis(this.redisUrl, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    await client.call('SHUTDOWN').catch(() => undefined);
    client.disconnect();
    await exited;
  }

  async stop(): Promise<void> {
    await this.stopRedis();
    try {
      this.stopPostgres();
    } catch {
      // already stopped
    }
    rmSync(join(this.pgData, '..'), { recursive: true, force: true });
  }

  /** Answers once Postgres takes connections again. */
  async postgresAnswers(): Promise<boolean> {
    const client = new pg.Client({ connectionString: `${this.databaseServer}/postgres`, connectionTimeoutMillis: 1_000 });
    try {
      await client.connect();
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
