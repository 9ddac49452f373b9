import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { THREE_SCHOOLS_CSV } from '../support/fixtures.js';
import { eventually, TestPlatform } from '../support/platform.js';

/**
 * The spine end to end: a school joins a partnership and its contact is welcomed, through
 * the outbox, the relay, BullMQ, the workflow, the ledger and SMTP.
 */
describe('a school joins a delivery partnership and its contact is welcomed', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'spine' });
  });
  afterAll(async () => {
    await platform?.stop();
  });
  beforeEach(() => platform.catcher.clear());

  async function importAndCreatePartnership(name: string) {
    const imported = await platform.http('POST', '/api/v1/schools/import', THREE_SCHOOLS_CSV);
    expect(imported.status).toBe(200);
    const partnership = await platform.http('POST', '/api/v1/partnerships', { name, area: 'Tees Valley' });
    expect(partnership.status).toBe(201);
    const schools = await platform.http('GET', '/api/v1/schools?q=Hillside');
    return { imported: imported.body, partnership: partnership.body, school: schools.body.items[0] };
  }

  async function sentWelcomes(partnershipId: string) {
    return platform.query(`SELECT n.* FROM notifications n JOIN partnership_members m ON m.id = (n.data->>'membershipId')::uuid WHERE m.partnership_id = $1`, [partnershipId]);
  }

  it('imports three schools, joins one, and exactly one welcome reaches its contact', async () => {
    const { imported, partnership, school } = await importAndCreatePartnership('Tees Valley STEM Partnership');
    expect(imported).toEqual({ created: 3, updated: 0, unchanged: 0, errors: [] });
    expect(school).toMatchObject({ urn: 111741, name: 'Hillside Academy', phase: 'secondary', postcode: 'TS5 7EX', contactEmail: 't.reilly@hillside.example.sch.uk' });

    const joined = await platform.http('POST', `/api/v1/partnerships/${partnership.id}/members`, { schoolId: school.id }, { 'x-request-id': 'req-join-hillside' });
    expect(joined.status).toBe(201);
    expect(joined.headers.get('x-request-id')).toBe('req-join-hillside');

    const [email] = await platform.catcher.waitForCount(1);
    expect(email.to).toEqual(['t.reilly@hillside.example.sch.uk']);
    expect(email.subject).toBe('Welcome to Tees Valley STEM Partnership, Hillside Academy');
    expect(email.text).toContain('Dear Tom Reilly,');
    expect(email.html).toContain('<strong>Hillside Academy</strong>');

    const notification = await eventually(async () => {
      const [row] = await sentWelcomes(partnership.id);
      expect(row.status).toBe('sent');
      return row;
    });
    // The Message-ID is derived from the ledger row, and the request id travelled with the work.
    expect(email.messageId).toBe(notification.message_id);
    expect(notification.request_id).toBe('req-join-hillside');
    expect(email.headers['x-request-id']).toBe('req-join-hillside');

    const listed = await platform.http('GET', `/api/v1/notifications?recipient=t.reilly@hillside.example.sch.uk&status=sent&kind=school.welcome`);
    expect(listed.status).toBe(200);
    expect(listed.body.total).toBe(1);
    expect(listed.body.items[0]).toMatchObject({ id: notification.id, status: 'sent', attempts: [{ attempt: 1, outcome: 'sent' }] });

    // The worker's own log lines carry the request id too.
    await eventually(async () => {
      const lines = readFileSync(join(platform.artifactsDir, 'worker-1.log'), 'utf8')
        .split('\n')
        .filter((l) => l.includes('"requestId":"req-join-hillside"'));
      expect(lines.some((l) => l.includes('"msg":"notification sent"'))).toBe(true);
    });

    const event = await platform.query(`SELECT * FROM outbox_events WHERE type = 'school.joined_partnership' AND aggregate_id = $1`, [partnership.id]);
    expect(event).toHaveLength(1);
    expect(event[0].request_id).toBe('req-join-hillside');
    expect(event[0].published_at).not.toBeNull();
  });

  it('joining twice, re-importing and replaying the event still give one email', async () => {
    const { partnership, school } = await importAndCreatePartnership('Redcar Partnership');
    const first = await platform.http('POST', `/api/v1/partnerships/${partnership.id}/members`, { schoolId: school.id });
    expect(first.status).toBe(201);
    await platform.catcher.waitForCount(1);
    const eventsBefore = await platform.count('outbox_events');

    const again = await platform.http('POST', `/api/v1/partnerships/${partnership.id}/members`, { schoolId: school.id });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    expect(again.body.detail).toBe('Hillside Academy is already a member of Redcar Partnership');

    const reimport = await platform.http('POST', '/api/v1/schools/import', THREE_SCHOOLS_CSV);
    expect(reimport.body).toEqual({ created: 0, updated: 0, unchanged: 3, errors: [] });
    expect(await platform.count('outbox_events')).toBe(eventsBefore);

    // Replay: the relay publishes the same event again, twice over.
    const [event] = await platform.query(`SELECT id FROM outbox_events WHERE type = 'school.joined_partnership' AND aggregate_id = $1`, [partnership.id]);
    for (let i = 0; i < 2; i += 1) {
      await platform.query(`UPDATE outbox_events SET published_at = NULL WHERE id = $1`, [event.id]);
      await platform.query(`SELECT pg_notify('stemflow_outbox', '')`);
      await eventually(async () => {
        const [row] = await platform.query(`SELECT published_at FROM outbox_events WHERE id = $1`, [event.id]);
        expect(row.published_at).not.toBeNull();
      });
    }
    // And once more past BullMQ's jobId de-duplication, as if Redis had forgotten the job.
    const { Queue } = await import('bullmq');
    const { Redis } = await import('ioredis');
    const connection = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    const queue = new Queue('events', { connection, prefix: platform.queuePrefix });
    const [row] = await platform.query(`SELECT * FROM outbox_events WHERE id = $1`, [event.id]);
    const job = await queue.add(
      'school.joined_partnership',
      {
        eventId: row.id,
        type: row.type,
        aggregateType: row.aggregate_type,
        aggregateId: row.aggregate_id,
        payload: row.payload,
        occurredAt: row.occurred_at,
        requestId: null,
      },
      { jobId: `${row.id}-replayed` },
    );
    await eventually(async () => expect(await job.getState()).toBe('completed'));
    await queue.close();
    connection.disconnect();

    const welcomes = await sentWelcomes(partnership.id);
    expect(welcomes).toHaveLength(1);
    expect(welcomes[0].status).toBe('sent');
    expect(platform.catcher.messages.filter((m) => m.to.includes('t.reilly@hillside.example.sch.uk'))).toHaveLength(1);
  });

  it('retries a 4xx twice and records three attempts; a 5xx fails at once with the reason', async () => {
    const { partnership } = await importAndCreatePartnership('Stockton Partnership');
    const schools = (await platform.http('GET', '/api/v1/schools')).body.items as Array<{ id: string; name: string }>;
    const beechwood = schools.find((s) => s.name.startsWith('Beechwood'))!;
    const hilda = schools.find((s) => s.name.startsWith('St Hilda'))!;

    platform.catcher.refuseNext({ code: 451, message: 'Greylisted, try again' }, { code: 421, message: 'Too busy' });
    await platform.http('POST', `/api/v1/partnerships/${partnership.id}/members`, { schoolId: beechwood.id });
    const [email] = await platform.catcher.waitForCount(1);
    expect(email.to).toEqual(['stem.lead@beechwood.example.sch.uk']);
    const retried = await eventually(async () => {
      const answer = await platform.http('GET', '/api/v1/notifications?recipient=stem.lead@beechwood.example.sch.uk');
      expect(answer.body.items[0].status).toBe('sent');
      return answer.body.items[0];
    });
    expect(retried.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['transient_error', 'transient_error', 'sent']);
    expect(retried.attempts[0].error).toContain('451');

    platform.catcher.refuseNext({ code: 550, message: 'Mailbox unavailable' });
    await platform.http('POST', `/api/v1/partnerships/${partnership.id}/members`, { schoolId: hilda.id });
    const failed = await eventually(async () => {
      const answer = await platform.http('GET', '/api/v1/notifications?recipient=g.okafor@sthildas.example.sch.uk');
      expect(answer.body.items[0].status).toBe('failed');
      return answer.body.items[0];
    });
    expect(failed.lastError).toContain('550');
    expect(failed.attempts).toHaveLength(1);
    expect(failed.attempts[0].outcome).toBe('permanent_error');
    expect(platform.catcher.messages).toHaveLength(1);
  });
});
