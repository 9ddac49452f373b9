import { ConfigError, loadConfig } from './env.js';

const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/stemflow',
  REDIS_URL: 'redis://127.0.0.1:6379',
  SMTP_URL: 'smtp://127.0.0.1:1025',
  MAIL_FROM: 'stemflow <no-reply@example.org>',
  PUBLIC_BASE_URL: 'http://localhost:3000/',
  ADMIN_TOKEN: 'a-long-enough-admin-token',
  LINK_SECRET: 'a-link-secret-of-at-least-32-characters',
};

function problems(env: Record<string, string>, kind: 'api' | 'worker' = 'api'): string[] {
  try {
    loadConfig(env, kind);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('the environment, validated at boot', () => {
  it('accepts a complete environment and fills the defaults', () => {
    const config = loadConfig(valid, 'api');
    expect(config).toMatchObject({ port: 3000, clock: 'system', publicBaseUrl: 'http://localhost:3000', queuePrefix: '{stemflow}' });
  });

  it('gives one line per problem', () => {
    expect(problems({ ...valid, DATABASE_URL: '', REDIS_URL: 'http://x', PORT: 'eighty', CLOCK: 'sundial' })).toEqual([
      'DATABASE_URL is missing',
      'REDIS_URL must start with redis:// or rediss:// (got http://)',
      'CLOCK must be "system" or "virtual" (got "sundial")',
      'PORT must be a whole number from 0 to 65535 (got "eighty")',
    ]);
  });

  it('says a malformed DATABASE_URL is not a URL', () => {
    expect(problems({ ...valid, DATABASE_URL: 'not a url' })).toEqual(['DATABASE_URL is not a URL (expected something like postgres://postgres@127.0.0.1:5432/stemflow)']);
  });

  it('asks each process only for what it uses', () => {
    expect(problems({ ...valid, SMTP_URL: '', MAIL_FROM: '' }, 'api')).toEqual([]);
    expect(problems({ ...valid, SMTP_URL: '', MAIL_FROM: '' }, 'worker')).toEqual(['SMTP_URL is missing', 'MAIL_FROM is missing']);
    expect(problems({ ...valid, ADMIN_TOKEN: 'short' }, 'api')).toEqual(['ADMIN_TOKEN must be at least 16 characters']);
    expect(problems({ ...valid, LINK_SECRET: '' }, 'api')).toEqual(['LINK_SECRET is missing']);
    expect(problems({ ...valid, LINK_SECRET: '' }, 'worker')).toEqual(['LINK_SECRET is missing']);
    expect(problems({ ...valid, LINK_SECRET: 'too-short' }, 'worker')).toEqual(['LINK_SECRET must be at least 32 characters (e.g. openssl rand -hex 32)']);
  });

  it('holds a worker to one email between the end of its data and its record unless told otherwise', () => {
    expect(loadConfig(valid, 'worker').smtpInFlight).toBe(1);
    expect(loadConfig({ ...valid, SMTP_IN_FLIGHT: '8' }, 'worker').smtpInFlight).toBe(8);
    expect(problems({ ...valid, SMTP_IN_FLIGHT: '0' }, 'worker')).toEqual(['SMTP_IN_FLIGHT must be a whole number from 1 to 100 (got "0")']);
  });

  it('gives API tokens a year unless told otherwise, and never forever', () => {
    expect(loadConfig(valid, 'tool').apiTokenTtlDays).toBe(365);
    expect(loadConfig({ ...valid, API_TOKEN_TTL_DAYS: '30' }, 'api').apiTokenTtlDays).toBe(30);
    expect(problems({ ...valid, API_TOKEN_TTL_DAYS: '0' }, 'api')).toEqual(['API_TOKEN_TTL_DAYS must be a whole number from 1 to 3650 (got "0")']);
    expect(problems({ ...valid, API_TOKEN_TTL_DAYS: 'forever' }, 'api')).toEqual(['API_TOKEN_TTL_DAYS must be a whole number from 1 to 3650 (got "forever")']);
  });

  it('trusts no proxy unless told which: the client is the socket address', () => {
    expect(loadConfig(valid, 'api').trustProxy).toBe(false);
    expect(loadConfig({ ...valid, TRUST_PROXY: 'none' }, 'api').trustProxy).toBe(false);
    expect(loadConfig({ ...valid, TRUST_PROXY: '2' }, 'api').trustProxy).toBe(2);
    expect(loadConfig({ ...valid, TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8' }, 'api').trustProxy).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8']);
    expect(problems({ ...valid, TRUST_PROXY: 'true' })).toEqual([
      'TRUST_PROXY must be none, a hop count, or addresses, CIDR ranges, loopback, linklocal or uniquelocal, separated by commas (not understood: "true")',
    ]);
    expect(problems({ ...valid, TRUST_PROXY: '10.0.0.0/33,everyone' })).toHaveLength(1);
    expect(problems({ ...valid, TRUST_PROXY: '99' })).toEqual(['TRUST_PROXY as a hop count must be from 0 to 10 (got "99")']);
  });

  it("reads the first admin's address as typed, and ends an unused session after two hours unless told otherwise", () => {
    expect(loadConfig(valid, 'api')).toMatchObject({ adminEmail: '', sessionIdleMinutes: 120 });
    expect(loadConfig({ ...valid, ADMIN_EMAIL: ' Admin@Example.org ', SESSION_IDLE_MINUTES: '30' }, 'api')).toMatchObject({ adminEmail: 'admin@example.org', sessionIdleMinutes: 30 });
    expect(problems({ ...valid, ADMIN_EMAIL: 'admin.example.org' })).toEqual(['ADMIN_EMAIL must be an email address, like name@school.org.uk']);
    expect(problems({ ...valid, SESSION_IDLE_MINUTES: '0' })).toEqual(['SESSION_IDLE_MINUTES must be a whole number from 1 to 1440 (got "0")']);
  });

  it('keeps the figures every half hour and reads those slower than a quarter second from the kept ones, unless told otherwise', () => {
    expect(loadConfig(valid, 'worker')).toMatchObject({ reportSnapshotsEveryMinutes: 30, reportLiveUnderMs: 250 });
    expect(loadConfig({ ...valid, REPORT_SNAPSHOTS_EVERY_MINUTES: '0', REPORT_LIVE_UNDER_MS: '0' }, 'api')).toMatchObject({ reportSnapshotsEveryMinutes: 0, reportLiveUnderMs: 0 });
    expect(problems({ ...valid, REPORT_SNAPSHOTS_EVERY_MINUTES: '2000' })).toEqual(['REPORT_SNAPSHOTS_EVERY_MINUTES must be a whole number from 0 to 1440 (got "2000")']);
  });
});
