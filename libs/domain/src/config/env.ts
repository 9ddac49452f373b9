import { isIP } from 'node:net';
/**
 * The environment, validated once at boot. Every problem becomes one line a person can
 * act on; the caller prints them and exits non-zero, never with a stack trace.
 */
import { TOKEN_LIFETIME_DAYS } from '../auth/api-tokens.js';
import { emailAddressProblem } from '../people/contact-details.js';

export type ProcessKind = 'api' | 'worker' | 'tool';

export interface AppConfig {
  databaseUrl: string;
  redisUrl: string;
  smtpUrl: string;
  mailFrom: string;
  publicBaseUrl: string;
  port: number;
  adminToken: string;
  /**
   * The key every emailed link's token is derived from (HMAC of the link's id): the worker
   * issues links and renders them into emails with it, so the database holds only hashes.
   */
  linkSecret: string;
  clock: 'system' | 'virtual';
  logLevel: string;
  /** BullMQ key prefix; the hash tag keeps a queue's keys in one Redis Cluster slot. */
  queuePrefix: string;
  outboxPollMs: number;
  sendMaxAttempts: number;
  sendRetryBaseMs: number;
  sendLeaseMs: number;
  sendRatePerSecond: number;
  /**
   * Emails a worker may have between the end of their data and their record being on its
   * way to the ledger: the most a worker killed at the wrong moment can send twice.
   */
  smtpInFlight: number;
  workerConcurrency: number;
  stalledCheckMs: number;
  /** How often the scheduled-actions ticker runs, cluster-wide. */
  tickEveryMs: number;
  /** How long each kind of personal record is kept before the daily retention job removes it. */
  retention: { surveyTextDays: number; notificationBodyDays: number; expiredLinkDays: number };
  /** How long a new API token lasts unless its maker chooses otherwise. */
  apiTokenTtlDays: number;
  /**
   * Which proxies in front of the API may name the client (X-Forwarded-For), as Express's
   * `trust proxy` takes it: false (none: the client is the socket's address), a hop count,
   * or addresses, CIDR ranges and the names loopback, linklocal, uniquelocal.
   */
  trustProxy: false | number | string[];
  /** Requests one client may make a minute to the emailed-link pages and the dashboard, together. */
  pageRequestsPerMinute: number;
  /** Dashboard sign-in emails one address may be sent an hour; more requests send nothing. */
  signInEmailsPerHour: number;
  /** Requests the API works on at once; one more is answered 503 at once rather than queued. */
  maxRequestsInFlight: number;
  /**
   * The first admin's address (ADMIN_EMAIL): when the API starts and no admin account has it,
   * one is made, so a new installation can be signed in to through the site. Empty: none.
   */
  adminEmail: string;
  /** Minutes a signed-in browser may sit unused before its session ends and the person signs in again. */
  sessionIdleMinutes: number;
  /**
   * How often the worker works out every figure again for the whole platform and each
   * programme (0: never, and every figure is worked out when asked).
   */
  reportSnapshotsEveryMinutes: number;
  /** A figure that took less than this to work out last time is worked out when asked rather than read from its snapshot. */
  reportLiveUnderMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`configuration is not valid:\n${problems.join('\n')}`);
  }
}

const REQUIRED: Record<ProcessKind, Array<keyof typeof NAMES>> = {
  api: ['databaseUrl', 'redisUrl', 'publicBaseUrl', 'adminToken', 'linkSecret'],
  worker: ['databaseUrl', 'redisUrl', 'smtpUrl', 'mailFrom', 'publicBaseUrl', 'linkSecret'],
  tool: ['databaseUrl'],
};

const NAMES = {
  databaseUrl: 'DATABASE_URL',
  redisUrl: 'REDIS_URL',
  smtpUrl: 'SMTP_URL',
  mailFrom: 'MAIL_FROM',
  publicBaseUrl: 'PUBLIC_BASE_URL',
  adminToken: 'ADMIN_TOKEN',
  linkSecret: 'LINK_SECRET',
} as const;

export function loadConfig(env: NodeJS.ProcessEnv, kind: ProcessKind): AppConfig {
  const problems: string[] = [];
  const required = new Set(REQUIRED[kind]);

  const text = (key: keyof typeof NAMES): string => {
    const name = NAMES[key];
    const value = env[name]?.trim() ?? '';
    if (value === '' && required.has(key)) problems.push(`${name} is missing`);
    return value;
  };
  const url = (key: keyof typeof NAMES, protocols: string[], example: string): string => {
    const value = text(key);
    if (value === '') return value;
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      problems.push(`${NAMES[key]} is not a URL (expected something like ${example})`);
      return value;
    }
    if (!protocols.includes(parsed.protocol)) {
      problems.push(`${NAMES[key]} must start with ${protocols.map((p) => `${p}//`).join(' or ')} (got ${parsed.protocol}//)`);
    } else if (parsed.hostname === '') {
      problems.push(`${NAMES[key]} has no host (expected something like ${example})`);
    }
    return value;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };

  const databaseUrl = url('databaseUrl', ['postgres:', 'postgresql:'], 'postgres://postgres@127.0.0.1:5432/stemflow');
  const redisUrl = url('redisUrl', ['redis:', 'rediss:'], 'redis://127.0.0.1:6379');
  const smtpUrl = url('smtpUrl', ['smtp:', 'smtps:'], 'smtp://127.0.0.1:1025');
  const publicBaseUrl = url('publicBaseUrl', ['http:', 'https:'], 'http://localhost:3000');
  const mailFrom = text('mailFrom');
  if (mailFrom !== '' && !/^[^<>]*<?[^@\s<>]+@[^@\s<>]+>?$/.test(mailFrom)) {
    problems.push(`MAIL_FROM is not an email address (expected something like "stemflow <no-reply@example.org>")`);
  }
  const adminToken = text('adminToken');
  if (adminToken !== '' && adminToken.length < 16) problems.push('ADMIN_TOKEN must be at least 16 characters');
  const adminEmail = env.ADMIN_EMAIL?.trim().toLowerCase() ?? '';
  const adminEmailProblem = adminEmail === '' ? undefined : emailAddressProblem(adminEmail);
  if (adminEmailProblem) problems.push(`ADMIN_EMAIL ${adminEmailProblem}`);
  const linkSecret = text('linkSecret');
  if (linkSecret !== '' && linkSecret.length < 32) problems.push('LINK_SECRET must be at least 32 characters (e.g. openssl rand -hex 32)');

  const clockRaw = env.CLOCK?.trim() || 'system';
  if (clockRaw !== 'system' && clockRaw !== 'virtual') problems.push(`CLOCK must be "system" or "virtual" (got "${clockRaw}")`);

  const config: AppConfig = {
    databaseUrl,
    redisUrl,
    smtpUrl,
    mailFrom,
    publicBaseUrl: publicBaseUrl.replace(/\/+$/, ''),
    port: integer('PORT', 3000, 0, 65535),
    adminToken,
    linkSecret,
    clock: clockRaw === 'virtual' ? 'virtual' : 'system',
    logLevel: env.LOG_LEVEL?.trim() || 'info',
    queuePrefix: env.QUEUE_PREFIX?.trim() || '{stemflow}',
    outboxPollMs: integer('OUTBOX_POLL_MS', 5_000, 50, 3_600_000),
    sendMaxAttempts: integer('SEND_MAX_ATTEMPTS', 8, 1, 100),
    sendRetryBaseMs: integer('SEND_RETRY_BASE_MS', 30_000, 1, 86_400_000),
    sendLeaseMs: integer('SEND_LEASE_MS', 120_000, 100, 86_400_000),
    sendRatePerSecond: integer('SEND_RATE_PER_SECOND', 200, 1, 100_000),
    smtpInFlight: integer('SMTP_IN_FLIGHT', 1, 1, 100),
    workerConcurrency: integer('WORKER_CONCURRENCY', 20, 1, 1_000),
    stalledCheckMs: integer('STALLED_CHECK_MS', 30_000, 100, 3_600_000),
    tickEveryMs: integer('TICK_EVERY_MS', 60_000, 100, 3_600_000),
    retention: {
      surveyTextDays: integer('RETENTION_SURVEY_TEXT_DAYS', 730, 1, 36_500),
      notificationBodyDays: integer('RETENTION_NOTIFICATION_BODY_DAYS', 365, 1, 36_500),
      expiredLinkDays: integer('RETENTION_EXPIRED_LINK_DAYS', 90, 1, 36_500),
    },
    apiTokenTtlDays: integer('API_TOKEN_TTL_DAYS', TOKEN_LIFETIME_DAYS.default, TOKEN_LIFETIME_DAYS.min, TOKEN_LIFETIME_DAYS.max),
    trustProxy: false,
    pageRequestsPerMinute: integer('PAGE_REQUESTS_PER_MINUTE', 100, 1, 1_000_000),
    signInEmailsPerHour: integer('SIGN_IN_EMAILS_PER_HOUR', 5, 1, 1_000),
    maxRequestsInFlight: integer('MAX_REQUESTS_IN_FLIGHT', 500, 1, 100_000),
    adminEmail,
    sessionIdleMinutes: integer('SESSION_IDLE_MINUTES', 120, 1, 1_440),
    reportSnapshotsEveryMinutes: integer('REPORT_SNAPSHOTS_EVERY_MINUTES', 30, 0, 1_440),
    reportLiveUnderMs: integer('REPORT_LIVE_UNDER_MS', 250, 0, 3_600_000),
  };
  const trustProxy = parseTrustProxy(env.TRUST_PROXY, problems);
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  if (!levels.includes(config.logLevel)) problems.push(`LOG_LEVEL must be one of ${levels.join(', ')} (got "${config.logLevel}")`);

  if (problems.length > 0) throw new ConfigError(problems);
  return { ...config, trustProxy };
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY: empty or "none" trusts no proxy; a whole number trusts that many hops; else a
 * comma-separated list of addresses, CIDR ranges and Express's names for address ranges.
 * "true" (trust every hop) is refused: any client could then name itself.
 */
function parseTrustProxy(raw: string | undefined, problems: string[]): false | number | string[] {
  const value = raw?.trim() ?? '';
  if (value === '' || value === 'none' || value === 'false') return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 10) problems.push(`TRUST_PROXY as a hop count must be from 0 to 10 (got "${value}")`);
    return hops === 0 ? false : Math.min(hops, 10);
  }
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const wrong = entries.filter((entry) => !PROXY_NAMES.has(entry) && !isAddressOrRange(entry));
  if (wrong.length > 0) {
    problems.push(
      `TRUST_PROXY must be none, a hop count, or addresses, CIDR ranges, loopback, linklocal or uniquelocal, separated by commas (not understood: ${wrong.map((w) => `"${w}"`).join(', ')})`,
    );
    return false;
  }
  return entries;
}

function isAddressOrRange(entry: string): boolean {
  const [address, bits, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/** Loads .env when present (Node's own loader), then validates; prints and exits on problems. */
export function configOrExit(kind: ProcessKind): AppConfig {
  try {
    process.loadEnvFile?.('.env');
  } catch {
    // no .env file: the environment alone is the configuration
  }
  try {
    return loadConfig(process.env, kind);
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) process.stderr.write(`stemflow ${kind}: ${problem}\n`);
      process.exit(1);
    }
    throw error;
  }
}
