import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { JobNames, Queues, type SendBatchJobData } from '#domain';
import { eventually, TestPlatform } from '../support/platform.js';

/**
 * Delivery against an SMTP server having a bad day: a fifth of messages refused once with
 * a 4xx, one in fifty refused for good with a 5xx, two workers sending. Every transient
 * refusal ends sent, every permanent one failed with its reason, and nobody gets two.
 */
/** Imports `total` schools named after `name`, with these contacts, and joins them all to a new partnership: one welcome each. */
async function welcomeSchools(platform: TestPlatform, name: string, firstUrn: number, total: number, email: (i: number) => string): Promise<void> {
  const rows = ['URN,EstablishmentName,PhaseOfEducation (name),ContactName,ContactEmail'];
  for (let i = 0; i < total; i += 1) rows.push(`${firstUrn + i},${name} School ${i},Secondary,Lead ${i},${email(i)}`);
  expect((await platform.http('POST', '/api/v1/schools/import', rows.join('\n'))).body.created).toBe(total);
  const partnership = (await platform.http('POST', '/api/v1/partnerships', { name: `${name} Partnership` })).body;
  const schools = (await platform.http('GET', `/api/v1/schools?q=${name}&pageSize=200`)).body.items as Array<{ id: string }>;
  await Promise.all(schools.map((s) => platform.http('POST', `/api/v1/partnerships/${partnership.id}/members`, { schoolId: s.id })));
}

describe('delivery through a flaky SMTP server', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    // Claims that outlast a busy machine: this suite proves retries and one-at-a-time delivery, not
    // what happens when a claim runs out (the resilience suite does), so a slow ledger must not
    // turn a first try into an extra transient failure here.
    platform = await TestPlatform.start({ name: 'delivery', env: { SEND_LEASE_MS: '10000' } });
    await platform.startWorker();
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('retries the transient refusals, fails the permanent ones, and sends nothing twice', async () => {
    const total = 100;
    const email = (i: number) => `lead${i}@delivery.example.org`;
    const permanent = new Set([7, 57].map(email));
    const transient = new Set(
      Array.from({ length: total }, (_, i) => i)
        .filter((i) => i % 5 === 0)
        .map(email),
    );
    const refusedOnce = new Set<string>();
    platform.catcher.refuseWhen((_, recipients) => {
      const to = recipients[0];
      if (permanent.has(to)) return { code: 550, message: '5.1.1 Mailbox does not exist' };
      if (transient.has(to) && !refusedOnce.has(to)) {
        refusedOnce.add(to);
        return { code: 451, message: '4.7.1 Greylisted, try again later' };
      }
      return undefined;
    });

    await welcomeSchools(platform, 'Delivery', 600_000, total, email);

    const settled = await eventually(async () => {
      const rows = await platform.query<{ recipient_email: string; status: string; last_error: string | null; outcomes: string[] }>(
        `SELECT n.recipient_email, n.status, n.last_error, array_agg(a.outcome ORDER BY a.attempt) AS outcomes
           FROM notifications n LEFT JOIN notification_attempts a ON a.notification_id = n.id
          WHERE n.kind = 'school.welcome' GROUP BY n.id`,
      );
      expect(rows).toHaveLength(total);
      expect(rows.filter((r) => r.status !== 'sent' && r.status !== 'failed')).toEqual([]);
      return rows;
    }, 45_000);

    const failed = settled.filter((r) => r.status === 'failed');
    expect(new Set(failed.map((r) => r.recipient_email))).toEqual(permanent);
    for (const row of failed) {
      expect(row.outcomes).toEqual(['permanent_error']);
      expect(row.last_error).toContain('550');
    }
    const retried = settled.filter((r) => transient.has(r.recipient_email));
    expect(retried).toHaveLength(20);
    for (const row of retried) expect(row.outcomes).toEqual(['transient_error', 'sent']);

    const caught = platform.catcher.messages.map((m) => m.to[0]);
    expect(caught).toHaveLength(total - permanent.size);
    expect(new Set(caught).size).toBe(caught.length);
    process.stdout.write(`delivery: ${caught.length} sent, ${failed.length} failed, ${retried.length} retried once\n`);
  });

  it('sends the notifications of a batch job together, each refused one retried by a job of its own', async () => {
    // Thirty more welcomes, written as a fan-out writes them (rows first, then one job for the lot).
    const total = 30;
    const [{ ids }] = await platform.query<{ ids: string[] }>(
      `WITH source AS (SELECT kind, data, recipient_name FROM notifications WHERE kind = 'school.welcome' AND status = 'sent' LIMIT 1),
            made AS (
              INSERT INTO notifications (id, idempotency_key, kind, recipient_email, recipient_name, data, status, not_before, attempt_count, message_id, priority, created_at, updated_at)
              SELECT g.id, 'batch-test:' || g.i, s.kind, 'batch' || g.i || '@delivery.example.org', s.recipient_name, s.data, 'queued', now(), 0, '<' || g.id || '@stemflow.notifications>', 5, now(), now()
                FROM (SELECT i, gen_random_uuid() AS id FROM generate_series(0, $1 - 1) AS i) g CROSS JOIN source s
              RETURNING id, recipient_email)
       SELECT array_agg(id ORDER BY recipient_email) AS ids FROM made`,
      [total],
    );
    const transient = new Set(['batch3@delivery.example.org', 'batch14@delivery.example.org']);
    const permanent = 'batch20@delivery.example.org';
    const refusedOnce = new Set<string>();
    platform.catcher.refuseWhen((_, [to]) => {
      if (to === permanent) return { code: 550, message: '5.1.1 Mailbox does not exist' };
      if (transient.has(to) && !refusedOnce.has(to)) {
        refusedOnce.add(to);
        return { code: 421, message: '4.7.0 Try again later' };
      }
      return undefined;
    });
    const connection = new Redis(platform.redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue(Queues.Notifications, { connection, prefix: platform.queuePrefix });
    try {
      const batch = await queue.add(JobNames.SendNotifications, { notificationIds: ids, requestId: null } satisfies SendBatchJobData, { jobId: 'batch-under-test' });
      const settled = await eventually(async () => {
        const rows = await platform.query<{ recipient_email: string; status: string; outcomes: string[] }>(
          `SELECT n.recipient_email, n.status, array_agg(a.outcome ORDER BY a.attempt) AS outcomes
             FROM notifications n JOIN notification_attempts a ON a.notification_id = n.id
            WHERE n.idempotency_key LIKE 'batch-test:%' GROUP BY n.id`,
        );
        expect(rows.filter((r) => r.status === 'sent' || r.status === 'failed')).toHaveLength(total);
        return rows;
      }, 45_000);
      expect(settled.filter((r) => r.status === 'failed').map((r) => r.recipient_email)).toEqual([permanent]);
      for (const row of settled.filter((r) => transient.has(r.recipient_email))) expect(row).toMatchObject({ status: 'sent', outcomes: ['transient_error', 'sent'] });
      // The batch itself finished, counting what became of each; the two refused went on in jobs of their own.
      expect(await (await queue.getJob('batch-under-test'))?.getState()).toBe('completed');
      expect((await queue.getJob('batch-under-test'))?.returnvalue).toMatchObject({ sent: total - 3, failed: 1 });
      expect(Object.values((await queue.getJob('batch-under-test'))!.returnvalue as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(total);
      expect(batch.id).toBe('batch-under-test');
      const caught = platform.catcher.messages.map((m) => m.to[0]).filter((to) => to.startsWith('batch'));
      expect(caught.sort()).toEqual(
        settled
          .filter((r) => r.status === 'sent')
          .map((r) => r.recipient_email)
          .sort(),
      );
    } finally {
      platform.catcher.refuseWhen(undefined);
      await queue.close();
      connection.disconnect();
    }
  });
});

/**
 * The one way a crash can send an email twice is to die after the SMTP server took it and
 * before its record is on its way to the ledger. One worker here, with SMTP_IN_FLIGHT at
 * its default of 1: one message at a time waits for the server's answer, and at the end of
 * each message's data every message the server took before it is recorded as sent, or is
 * being recorded with nothing more asked of the server (its statement is with Postgres or
 * on its way there; sent-records.e2e-spec.ts kills a process at that moment).
 */
describe('a worker sending', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'delivery-window' });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('has one email at most between the end of its data and its record on its way (SMTP_IN_FLIGHT=1)', async () => {
    const total = 40;
    const email = (i: number) => `lead${i}@window.example.org`;
    const recordedNow = async () =>
      (await platform.query<{ recorded: number }>(`SELECT count(*)::int AS recorded FROM notifications WHERE status = 'sent' AND recipient_email LIKE '%@window.example.org'`))[0].recorded;
    // At the end of each message's data, the catcher holding its answer: every message it
    // took before this one gets recorded as sent without another answer, and none that it
    // has not taken yet; and no other message is waiting for its answer meanwhile.
    const moments: Array<{ taken: number; recorded: number }> = [];
    let answering = 0;
    let mostAnswering = 0;
    platform.catcher.beforeAnswering(async () => {
      answering += 1;
      mostAnswering = Math.max(mostAnswering, answering);
      try {
        const taken = platform.catcher.messages.filter((m) => m.to[0].endsWith('@window.example.org')).length;
        let recorded = await recordedNow();
        for (let look = 0; recorded < taken && look < 100; look += 1) recorded = await recordedNow();
        moments.push({ taken, recorded });
      } finally {
        answering -= 1;
      }
    });
    try {
      await welcomeSchools(platform, 'Window', 700_000, total, email);
      await eventually(async () => {
        const [{ sent }] = await platform.query<{ sent: number }>(`SELECT count(*)::int AS sent FROM notifications WHERE status = 'sent' AND recipient_email LIKE '%@window.example.org'`);
        expect(sent).toBe(total);
      }, 45_000);
    } finally {
      platform.catcher.beforeAnswering(undefined);
    }
    expect(moments).toHaveLength(total);
    expect(moments.filter((m) => m.recorded !== m.taken)).toEqual([]);
    expect(mostAnswering).toBe(1);
  });
});
