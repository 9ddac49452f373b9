import autocannon from 'autocannon';
import { benchDatabase, record, REDIS_URL, startApp, stop, waitUntil } from './support.js';

/**
 * Booking creation under many concurrent clients next to GET /health on the same server:
 * requests per second, p50 and p99 of each, the ratio of the p99s (target: booking p99 no
 * more than 5 × health p99), and capacity still exact afterwards.
 */
const CONNECTIONS = Number(process.env.API_CONNECTIONS ?? 50);
const PEOPLE = Number(process.env.API_PEOPLE ?? 3_000);
const CAPACITY = 500;
const ADMIN_TOKEN = 'bench-admin-token-0123456789';

const { url, prefix, db, drop } = await benchDatabase('api');
const port = 3400 + (process.pid % 500);
const api = startApp('api', { DATABASE_URL: url, REDIS_URL, PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, ADMIN_TOKEN, PORT: String(port), HOST: '127.0.0.1', QUEUE_PREFIX: prefix });
try {
  await waitUntil(async () => (await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined))?.ok === true, 30_000, 'the API to start');
  const [{ id: programme }] = (
    await db.query(
      `INSERT INTO programmes (id, name, starts_on, ends_on, framework_key, kpi_definition, created_at, updated_at)
     VALUES (gen_random_uuid(), 'API bench', '2026-09-01', '2027-08-31', 'iris-ri', '{"completeRecordRequires":["email"]}', now(), now()) RETURNING id`,
    )
  ).rows;
  const [{ id: course }] = (
    await db.query(
      `INSERT INTO cpd_courses (id, programme_id, title, subject, format, hours, cost_pence, created_at, updated_at)
     VALUES (gen_random_uuid(), $1, 'Bench course', 'science', 'online', 3, 0, now(), now()) RETURNING id`,
      [programme],
    )
  ).rows;
  const [{ id: session }] = (
    await db.query(
      `INSERT INTO cpd_sessions (id, course_id, starts_at, ends_at, online_url, capacity, created_at, updated_at)
     VALUES (gen_random_uuid(), $1, now() + interval '30 days', now() + interval '30 days 3 hours', 'https://example.org', $2, now(), now()) RETURNING id`,
      [course, CAPACITY],
    )
  ).rows;
  const people = (
    await db.query(
      `INSERT INTO people (id, name, email, role, consent_to_contact, created_at, updated_at)
     SELECT gen_random_uuid(), 'Teacher ' || g, 'teacher' || g || '@bench.example.org', 'teacher', true, now(), now() FROM generate_series(1, $1) g RETURNING id`,
      [PEOPLE],
    )
  ).rows.map((r) => r.id as string);

  let next = 0;
  const bookings = await autocannon({
    url: `http://127.0.0.1:${port}/api/v1/sessions/${session}/bookings`,
    connections: CONNECTIONS,
    amount: PEOPLE,
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    requests: [{ setupRequest: (request) => ({ ...request, body: JSON.stringify({ personId: people[next++ % people.length] }) }) }],
  });
  const health = await autocannon({ url: `http://127.0.0.1:${port}/health`, connections: CONNECTIONS, amount: PEOPLE });

  const [{ confirmed, waitlisted, taken }] = (
    await db.query(
      `SELECT count(*) FILTER (WHERE b.status = 'confirmed')::int AS confirmed, count(*) FILTER (WHERE b.status = 'waitlisted')::int AS waitlisted,
            (SELECT places_taken FROM cpd_sessions WHERE id = $1) AS taken
       FROM cpd_bookings b WHERE b.session_id = $1`,
      [session],
    )
  ).rows;
  const exact = confirmed === CAPACITY && taken === CAPACITY && confirmed + waitlisted === bookings['2xx'];
  const line =
    `${PEOPLE} bookings over ${CONNECTIONS} connections: ${bookings.requests.average.toFixed(0)} req/s, p50 ${bookings.latency.p50} ms, p99 ${bookings.latency.p99} ms, non-2xx ${bookings.non2xx}; ` +
    `GET /health ${health.requests.average.toFixed(0)} req/s, p50 ${health.latency.p50} ms, p99 ${health.latency.p99} ms; p99 ratio ${(bookings.latency.p99 / Math.max(health.latency.p99, 1)).toFixed(1)} (target ≤ 5); ` +
    `capacity ${exact ? 'exact' : 'NOT exact'} (${confirmed} confirmed of ${CAPACITY}, ${waitlisted} waitlisted)`;
  console.log(line);
  record('api', line);
  if (!exact) process.exitCode = 1;
} finally {
  await stop(api);
  await drop();
}
