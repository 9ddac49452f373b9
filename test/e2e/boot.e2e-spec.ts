import { THREE_SCHOOLS_CSV } from '../support/fixtures.js';
import { eventually, TestPlatform } from '../support/platform.js';

describe('booting', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'boot', env: { CLOCK: 'virtual' } });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it.each([
    ['api', 'missing', '', 'stemflow api: DATABASE_URL is missing'],
    ['api', 'malformed', 'postgres//nohost', 'stemflow api: DATABASE_URL is not a URL (expected something like postgres://postgres@127.0.0.1:5432/stemflow)'],
    ['worker', 'missing', '', 'stemflow worker: DATABASE_URL is missing'],
    ['worker', 'non-Postgres', 'mysql://root@127.0.0.1/stemflow', 'stemflow worker: DATABASE_URL must start with postgres:// or postgresql:// (got mysql://)'],
  ])('the %s, given a %s DATABASE_URL, says so in one line and exits non-zero', async (app, _kind, value, line) => {
    const env = { ...platform.env(), DATABASE_URL: value } as Record<string, string>;
    const result = await platform.run('node', [`dist/apps/${app}/src/main.js`], env);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(line);
    expect(result.stdout).toBe('');
  });

  it('runs on the virtual clock in both processes when CLOCK=virtual', async () => {
    const moved = await platform.http('POST', '/api/v1/admin/clock', { now: '2027-01-05T08:30:00Z' });
    expect(moved.status).toBe(200);
    expect(moved.body).toEqual({ mode: 'virtual', now: '2027-01-05T08:30:00.000Z' });
    expect((await platform.http('POST', '/api/v1/admin/clock', { now: 'next tuesday' })).status).toBe(400);

    await platform.http('POST', '/api/v1/schools/import', THREE_SCHOOLS_CSV);
    const partnership = (await platform.http('POST', '/api/v1/partnerships', { name: 'Spring Term Partnership' })).body;
    const school = (await platform.http('GET', '/api/v1/schools?q=Hillside')).body.items[0];
    const membership = (await platform.http('POST', `/api/v1/partnerships/${partnership.id}/members`, { schoolId: school.id })).body;
    expect(membership.joinedAt).toBe('2027-01-05T08:30:00.000Z');

    const [email] = await platform.catcher.waitForCount(1);
    expect(email.text).toContain('Joined on 5 January 2027.');
    const notification = await eventually(async () => {
      const [row] = await platform.query(`SELECT * FROM notifications`);
      expect(row.status).toBe('sent');
      return row;
    });
    expect(notification.created_at.toISOString()).toBe('2027-01-05T08:30:00.000Z');
    expect(notification.sent_at.toISOString()).toBe('2027-01-05T08:30:00.000Z');
  });
});
