import { FANOUT_DUE, seedTermStartFanout } from '../../bench/fanout-seed.js';
import { eventually, TestPlatform } from '../support/platform.js';
import { PrivateServices } from '../support/private-services.js';

/**
 * The term-start self-evaluation invitation fanned out to N schools (RESILIENCE_SCHOOLS; `npm run test:resilience` uses
 * 10,000, `npm test` a smaller run) while something breaks: workers killed, Redis
 * restarted, Postgres restarted or crashed, an SMTP server refusing mail. At the end nothing is lost,
 * a duplicate is possible only where a send was cut off between the SMTP server's
 * acceptance and its record being on its way to the ledger (counted), and every message is
 * sent or failed with a reason.
 */
const N = Number(process.env.RESILIENCE_SCHOOLS ?? 2_000);
const MINUTES = 60_000;
/** Emails a worker may have between the end of their data and their record on its way to the ledger (SMTP_IN_FLIGHT). */
const SMTP_IN_FLIGHT = 1;

interface Outcome {
  lost: number;
  duplicates: number;
  interrupted: number;
  states: Record<string, number>;
}

async function fanOut(
  name: string,
  disrupt: (platform: TestPlatform, services: PrivateServices, progress: (share: number) => Promise<void>) => Promise<void>,
  setup?: (platform: TestPlatform) => void,
): Promise<Outcome> {
  const services = await PrivateServices.start();
  const platform = await TestPlatform.start({
    name: `resilience-${name}`,
    databaseServer: services.databaseServer,
    redisUrl: services.redisUrl,
    env: { CLOCK: 'virtual', SMTP_IN_FLIGHT: String(SMTP_IN_FLIGHT), SEND_RATE_PER_SECOND: '100000', SEND_LEASE_MS: '3000', STALLED_CHECK_MS: '2000', LOG_LEVEL: 'warn' },
  });
  try {
    await platform.startWorker();
    setup?.(platform);
    await seedTermStartFanout(platform.db, N);
    const progress = (share: number) => eventually(async () => expect(platform.catcher.dataReceived).toBeGreaterThanOrEqual(Math.floor(N * share)), 10 * MINUTES).then(() => undefined);
    const moved = await platform.http('POST', '/api/v1/admin/clock', { now: FANOUT_DUE });
    expect(moved.status).toBe(200);
    await disrupt(platform, services, progress);

    await eventually(async () => {
      const [state] = await platform.query<{ open: number; actions: number; made: number }>(
        `SELECT (SELECT count(*)::int FROM notifications WHERE status IN ('queued', 'sending')) AS open,
                (SELECT count(*)::int FROM scheduled_actions WHERE kind = 'self_evaluation.open' AND status <> 'done') AS actions,
                (SELECT count(*)::int FROM notifications) AS made`,
      );
      expect(state).toEqual({ open: 0, actions: 0, made: N });
    }, 15 * MINUTES);

    const ledger = await platform.query<{ recipient_email: string; status: string; last_error: string | null }>(`SELECT recipient_email, status, last_error FROM notifications`);
    const [{ interrupted }] = await platform.query<{ interrupted: number }>(`SELECT count(*)::int AS interrupted FROM notification_attempts WHERE outcome = 'interrupted'`);
    const caught = new Map<string, number>();
    for (const message of platform.catcher.messages) caught.set(message.to[0], (caught.get(message.to[0]) ?? 0) + 1);
    const failedWithReason = new Set(ledger.filter((r) => r.status === 'failed' && r.last_error).map((r) => r.recipient_email));
    let lost = 0;
    for (let i = 1; i <= N; i += 1) {
      const email = `lead${i}@fanout.example.org`;
      if (!caught.has(email) && !failedWithReason.has(email)) lost += 1;
    }
    // A ledger row that says sent for a message the server never took is lost too.
    lost += ledger.filter((r) => r.status === 'sent' && !caught.has(r.recipient_email)).length;
    const duplicates = [...caught.values()].reduce((sum, n) => sum + n - 1, 0);
    const states: Record<string, number> = {};
    for (const row of ledger) states[row.status] = (states[row.status] ?? 0) + 1;
    process.stdout.write(`resilience ${name}: ${N} schools, lost ${lost}, duplicates ${duplicates} (interrupted sends ${interrupted}), final states ${JSON.stringify(states)}\n`);
    return { lost, duplicates, interrupted, states };
  } finally {
    await platform.stop().catch(() => undefined);
    await services.stop();
  }
}

describe(`a fan-out to ${N} schools`, () => {
  it(
    'survives the worker being killed three times',
    async () => {
      const kills = 3;
      const outcome = await fanOut('worker-kills', async (platform, _services, progress) => {
        for (const share of [0.2, 0.5, 0.8]) {
          await progress(share);
          const victim = platform.workers.find((w) => w.exitCode === null && w.signalCode === null)!;
          await platform.kill(victim, 'SIGKILL');
          await platform.startWorker();
        }
      });
      expect(outcome.lost).toBe(0);
      // Only a message the SMTP server had accepted when the worker died can go twice, and the
      // ledger counts each as an interrupted attempt; a worker has at most SMTP_IN_FLIGHT
      // messages in that state at once.
      expect(outcome.duplicates).toBeLessThanOrEqual(outcome.interrupted);
      expect(outcome.duplicates).toBeLessThanOrEqual(kills * SMTP_IN_FLIGHT);
      process.stdout.write(`resilience worker-kills: ${outcome.duplicates} duplicates for ${kills} kills\n`);
      expect(outcome.states).toEqual({ sent: N });
    },
    20 * MINUTES,
  );

  it(
    'survives Redis being restarted',
    async () => {
      const outcome = await fanOut('redis-restart', async (_platform, services, progress) => {
        await progress(0.4);
        await services.stopRedis();
        await services.startRedis();
      });
      expect(outcome.lost).toBe(0);
      expect(outcome.duplicates).toBeLessThanOrEqual(outcome.interrupted);
      expect(outcome.states).toEqual({ sent: N });
    },
    20 * MINUTES,
  );

  it(
    'survives Postgres being restarted, the API answering 503 meanwhile',
    async () => {
      const answers: number[] = [];
      const outcome = await fanOut('postgres-restart', async (platform, services, progress) => {
        await progress(0.4);
        services.stopPostgres();
        answers.push((await platform.http('GET', '/api/v1/schools')).status, (await platform.http('GET', '/health')).status);
        await services.startPostgres();
        await eventually(async () => expect((await platform.http('GET', '/api/v1/schools?pageSize=1')).status).toBe(200), 2 * MINUTES);
      });
      expect(answers).toEqual([503, 503]);
      expect(outcome.lost).toBe(0);
      expect(outcome.duplicates).toBeLessThanOrEqual(outcome.interrupted);
      expect(outcome.states).toEqual({ sent: N });
    },
    20 * MINUTES,
  );

  it(
    'survives Postgres crashing',
    async () => {
      const outcome = await fanOut('postgres-crash', async (platform, services, progress) => {
        await progress(0.4);
        services.crashPostgres();
        await services.startPostgres();
        await eventually(async () => expect((await platform.http('GET', '/api/v1/schools?pageSize=1')).status).toBe(200), 2 * MINUTES);
      });
      expect(outcome.lost).toBe(0);
      // The worker lived: a record of an email sent that Postgres forgot is made again by the
      // delivery thread (sent-records.e2e-spec.ts makes sure of that), not taken for a send cut
      // off, so at most the one email between the end of its data and its record could go twice.
      expect(outcome.duplicates).toBeLessThanOrEqual(SMTP_IN_FLIGHT);
      expect(outcome.states).toEqual({ sent: N });
    },
    20 * MINUTES,
  );

  it(
    'delivers through an SMTP server refusing 20% of messages for a while and 2% for good',
    async () => {
      const permanent = (email: string) => Number(/\d+/.exec(email)![0]) % 50 === 0;
      const transient = (email: string) => Number(/\d+/.exec(email)![0]) % 5 === 1;
      const refused = new Set<string>();
      const outcome = await fanOut(
        'smtp-faults',
        async (_platform, _services, progress) => progress(0.01),
        (platform) => {
          platform.catcher.refuseWhen((_, [to]) => {
            if (permanent(to)) return { code: 550, message: '5.1.1 No such mailbox' };
            if (transient(to) && !refused.has(to)) {
              refused.add(to);
              return { code: 451, message: '4.3.0 Try again later' };
            }
            return undefined;
          });
        },
      );
      expect(outcome.lost).toBe(0);
      expect(outcome.duplicates).toBe(0);
      expect(outcome.states).toEqual({ sent: N - N / 50, failed: N / 50 });
    },
    20 * MINUTES,
  );
});
