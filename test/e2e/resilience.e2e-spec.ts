import { THREE_SCHOOLS_CSV } from '../support/fixtures.js';
import { eventually, TestPlatform } from '../support/platform.js';

describe('a worker killed mid-send', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'resilience' });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('is restarted and the welcome arrives once', async () => {
    await platform.http('POST', '/api/v1/schools/import', THREE_SCHOOLS_CSV);
    const partnership = (await platform.http('POST', '/api/v1/partnerships', { name: 'Crash Test Partnership' })).body;
    const school = (await platform.http('GET', '/api/v1/schools?q=Beechwood')).body.items[0];

    // The SMTP server stalls, so the worker is caught holding the job, mid-send.
    platform.catcher.hold();
    expect((await platform.http('POST', `/api/v1/partnerships/${partnership.id}/members`, { schoolId: school.id })).status).toBe(201);
    const sending = await eventually(async () => {
      const [row] = await platform.query(`SELECT id, status FROM notifications WHERE recipient_email = 'stem.lead@beechwood.example.sch.uk'`);
      expect(row?.status).toBe('sending');
      return row;
    });
    await platform.kill(platform.workers[0], 'SIGKILL');
    platform.catcher.release();
    expect(platform.catcher.messages).toHaveLength(0);

    await platform.startWorker();
    const [email] = await platform.catcher.waitForCount(1);
    expect(email.to).toEqual(['stem.lead@beechwood.example.sch.uk']);
    const notification = await eventually(async () => {
      const answer = await platform.http('GET', `/api/v1/notifications/${sending.id}`);
      expect(answer.body.status).toBe('sent');
      return answer.body;
    });
    // The killed attempt is on the record as interrupted; the next one sent it.
    expect(notification.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['interrupted', 'sent']);
    expect(platform.catcher.messages).toHaveLength(1);
  });

  it('stops taking work on SIGTERM and exits cleanly', async () => {
    const worker = platform.workers[platform.workers.length - 1];
    expect(await platform.kill(worker, 'SIGTERM')).toBe(0);
  });
});
