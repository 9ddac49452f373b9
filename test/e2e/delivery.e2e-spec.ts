import { eventually, TestPlatform } from '../support/platform.js';

/**
 * Delivery against an SMTP server having a bad day: a fifth of messages refused once with
 * a 4xx, one in fifty refused for good with a 5xx, two workers sending. Every transient
 * refusal ends sent, every permanent one failed with its reason, and nobody gets two.
 */
describe('delivery through a flaky SMTP server', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'delivery' });
    await platform.startWorker();
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('retries the transient refusals, fails the permanent ones, and sends nothing twice', async () => {
    const total = 100;
    const email = (i: number) => `lead${i}@delivery.example.org`;
    const permanent = new Set([7, 57].map(email));
    const transient = new Set(Array.from({ length: total }, (_, i) => i).filter((i) => i % 5 === 0).map(email));
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

    const rows = ['URN,EstablishmentName,PhaseOfEducation (name),ContactName,ContactEmail'];
    for (let i = 0; i < total; i += 1) rows.push(`${600_000 + i},Delivery School ${i},Secondary,Lead ${i},${email(i)}`);
    expect((await platform.http('POST', '/api/v1/schools/import', rows.join('\n'))).body.created).toBe(total);
    const partnership = (await platform.http('POST', '/api/v1/partnerships', { name: 'Delivery Partnership' })).body;
    const schools = (await platform.http('GET', '/api/v1/schools?q=Delivery&pageSize=200')).body.items as Array<{ id: string }>;
    await Promise.all(schools.map((s) => platform.http('POST', `/api/v1/partnerships/${partnership.id}/members`, { schoolId: s.id })));

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
});
