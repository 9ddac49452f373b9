/**
 * The environment, validated once at boot. Every problem becomes one line a person can
 * act on; the caller prints them and exits non-zero, never with a stack trace.
 */
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
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`configuration is not valid:\n${problems.join('\n')}`);
  }
}

const REQUIRED: Record<ProcessKind, Array<keyof typeof NAMES>> = {
  api: ['databaseUrl', 'redisUrl', 'publicBaseUrl', 'adminToken'],
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
  };
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  if (!levels.includes(config.logLevel)) problems.push(`LOG_LEVEL must be one of ${levels.join(', ')} (got "${config.logLevel}")`);

  if (problems.length > 0) throw new ConfigError(problems);
  return config;
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
