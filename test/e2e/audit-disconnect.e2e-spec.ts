import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { ADMIN_TOKEN, eventually, TestPlatform } from '../support/platform.js';

/**
 * A write and its audit row commit in one transaction: a client that hangs up before its
 * answer still leaves its change audited, a change that fails to commit leaves no
 * "committed" row, and under a burst of writes with clients leaving at random the
 * committed changes and the committed audit rows are the same set at every instant.
 */
describe('audit: a write and its audit row commit together, whatever the client does', () => {
  let platform: TestPlatform;
  const personIds: string[] = [];

  /** A write over its own connection; `leave` hangs up without waiting for the answer. */
  const write = (method: string, path: string, body: unknown, requestId: string) => {
    const payload = JSON.stringify(body);
    const req = request({
      host: '127.0.0.1',
      port: platform.apiPort,
      path,
      method,
      agent: false,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'x-request-id': requestId },
    });
    const sent = new Promise<void>((resolve) => req.once('finish', () => resolve()));
    // The answer's status once its body has been read whole, or 'left' when there was none.
    const answer = new Promise<number | 'left'>((resolve) => {
      let status: number | 'left' = 'left';
      let responded = false;
      req.once('response', (res) => {
        responded = true;
        res.once('end', () => (status = res.statusCode ?? 0));
        res.once('close', () => resolve(status));
        res.resume();
      });
      req.once('error', () => resolve('left'));
      req.once('close', () => {
        if (!responded) resolve('left');
      });
    });
    req.end(payload);
    return { sent, answer, leave: () => req.destroy() };
  };

  const auditRows = (requestId: string) =>
    platform.query(`SELECT outcome, status, method, route, subject_type, subject_id, actor_type, role FROM audit_log WHERE request_id = $1 ORDER BY outcome`, [requestId]);
  const nameOf = async (id: string) => (await platform.query<{ name: string }>(`SELECT name FROM people WHERE id = $1`, [id]))[0].name;
  /** The API saw this request's client leave before its answer (its request log says so). */
  const apiSawLeave = (requestId: string) =>
    eventually(async () => {
      const log = await readFile(join(platform.artifactsDir, 'api.log'), 'utf8');
      const line = log.split('\n').find((l) => l.includes('request aborted') && l.includes(`"${requestId}"`));
      if (!line) throw new Error(`the API has not yet seen ${requestId}'s client leave`);
    });

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'audit-disconnect', startWorker: false });
    for (let n = 0; n < 10; n += 1) {
      const created = await platform.http('POST', '/api/v1/people', { name: `Audit Person ${n}`, role: 'teacher' });
      expect(created.status).toBe(201);
      personIds.push((created.body as { id: string }).id);
    }
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it("audits a change whose client hung up while it waited, in the change's own transaction", async () => {
    const id = personIds[0];
    // Hold the person's row so the write is stuck in its transaction while its client leaves.
    const holder = await platform.db.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM people WHERE id = $1 FOR UPDATE', [id]);
      const call = write('PATCH', `/api/v1/people/${id}`, { name: 'Left Before The Answer' }, 'audit-left-1');
      await call.sent;
      await eventually(async () => {
        const [{ n }] = await platform.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> $1`, [
          (await holder.query('SELECT pg_backend_pid() AS pid')).rows[0].pid,
        ]);
        expect(n).toBe(1);
      });
      call.leave();
      expect(await call.answer).toBe('left');
      await apiSawLeave('audit-left-1');
      expect(await nameOf(id)).toBe('Audit Person 0');
      expect(await auditRows('audit-left-1')).toEqual([]);
      await holder.query('COMMIT');
    } finally {
      holder.release();
    }
    await eventually(async () => expect(await nameOf(id)).toBe('Left Before The Answer'));
    // The row committed with the change; no status, as no answer reached the client.
    expect(await auditRows('audit-left-1')).toEqual([
      { outcome: 'committed', status: null, method: 'PATCH', route: '/api/v1/people/:id', subject_type: 'people', subject_id: id, actor_type: 'token', role: 'admin' },
    ]);
    // A row's status can be filled once and nothing else about it changed.
    await expect(platform.query(`UPDATE audit_log SET route = '/elsewhere' WHERE request_id = 'audit-left-1'`)).rejects.toThrow(/append-only/);
    await expect(platform.query(`UPDATE audit_log SET status = 200, outcome = 'unchanged' WHERE request_id = 'audit-left-1'`)).rejects.toThrow(/append-only/);
    await platform.query(`UPDATE audit_log SET status = 499 WHERE request_id = 'audit-left-1'`);
    await expect(platform.query(`UPDATE audit_log SET status = 200 WHERE request_id = 'audit-left-1'`)).rejects.toThrow(/append-only/);
    await expect(platform.query(`DELETE FROM audit_log WHERE request_id = 'audit-left-1'`)).rejects.toThrow(/append-only/);
  });

  it('gives an answered write one row with its status, and a refused or empty one no second row', async () => {
    const id = personIds[1];
    expect((await platform.http('PATCH', `/api/v1/people/${id}`, { name: 'Answered Once' }, { 'x-request-id': 'audit-answered-1' })).status).toBe(200);
    await eventually(async () => expect(await auditRows('audit-answered-1')).toEqual([expect.objectContaining({ outcome: 'committed', status: 200 })]));
    // Refused before any change: recorded after its answer, as committing nothing.
    const refused = await platform.http('PATCH', `/api/v1/people/${id}`, { name: '' }, { 'x-request-id': 'audit-refused-1' });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    await eventually(async () => expect(await auditRows('audit-refused-1')).toEqual([expect.objectContaining({ outcome: 'unchanged', status: refused.status, route: '/api/v1/people/:id' })]));
    // The same name again changes nothing: still one row.
    expect((await platform.http('PATCH', `/api/v1/people/${id}`, { name: 'Answered Once' }, { 'x-request-id': 'audit-same-1' })).status).toBe(200);
    await eventually(async () => expect(await auditRows('audit-same-1')).toEqual([expect.objectContaining({ status: 200 })]));
  });

  it('leaves neither the change nor a committed row when the transaction fails at commit', async () => {
    const id = personIds[2];
    // A check that fails only at COMMIT, after the write and its audit row were both written.
    await platform.query(`CREATE FUNCTION refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused at commit'; END $$`);
    await platform.query(
      `CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER UPDATE ON people DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.name LIKE 'Refused At Commit%') EXECUTE FUNCTION refuse_at_commit()`,
    );
    try {
      const answered = await platform.http('PATCH', `/api/v1/people/${id}`, { name: 'Refused At Commit' }, { 'x-request-id': 'audit-failed-1' });
      expect(answered.status).toBeGreaterThanOrEqual(500);
      // The same, with a client that left while the write waited for the commit to fail.
      const holder = await platform.db.connect();
      try {
        await holder.query('BEGIN');
        await holder.query('SELECT 1 FROM people WHERE id = $1 FOR UPDATE', [id]);
        const call = write('PATCH', `/api/v1/people/${id}`, { name: 'Refused At Commit, Left' }, 'audit-failed-2');
        await call.sent;
        await eventually(async () => {
          const [{ n }] = await platform.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
          expect(n).toBe(1);
        });
        call.leave();
        await apiSawLeave('audit-failed-2');
        await holder.query('COMMIT');
      } finally {
        holder.release();
      }
      await eventually(async () => expect(await auditRows('audit-failed-2')).toHaveLength(1));
      expect(await nameOf(id)).toBe('Audit Person 2');
      expect(await auditRows('audit-failed-1')).toEqual([expect.objectContaining({ outcome: 'unchanged', status: answered.status })]);
      expect(await auditRows('audit-failed-2')).toEqual([expect.objectContaining({ outcome: 'unchanged', status: null })]);
    } finally {
      await platform.query(`DROP TRIGGER refuse_at_commit ON people`);
      await platform.query(`DROP FUNCTION refuse_at_commit()`);
    }
  });

  it('under 200 writes with clients leaving at random, audits exactly the changes that committed', async () => {
    // Every request records a consent entry carrying its request id: one committed change each.
    let seed = 18;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const calls = Array.from({ length: 200 }, (_, i) => {
      const leaves = random() < 0.6;
      const call = write('POST', `/api/v1/people/${personIds[i % personIds.length]}/consents`, { purpose: 'data_sharing', granted: i % 2 === 0 }, `burst-${i}`);
      if (leaves) void call.sent.then(call.leave);
      return { requestId: `burst-${i}`, leaves, answer: call.answer };
    });
    const answers = await Promise.all(calls.map((c) => c.answer));
    const stayed = calls.filter((c) => !c.leaves).map((c) => c.requestId);
    expect(stayed.length).toBeGreaterThan(40);
    for (const [i, c] of calls.entries()) if (!c.leaves) expect([c.requestId, answers[i]]).toEqual([c.requestId, 201]);

    // One snapshot: the committed changes and the committed audit rows, by request id.
    const snapshot = async () => {
      const [row] = await platform.query<{ changed: string[] | null; audited: string[] | null; unanswered: number; doubled: number }>(
        `SELECT (SELECT array_agg(request_id ORDER BY request_id) FROM consent_log WHERE request_id LIKE 'burst-%') AS changed,
                (SELECT array_agg(request_id ORDER BY request_id) FROM audit_log WHERE request_id LIKE 'burst-%' AND outcome = 'committed') AS audited,
                (SELECT count(*)::int FROM audit_log WHERE request_id LIKE 'burst-%' AND outcome = 'committed' AND status IS NULL) AS unanswered,
                (SELECT count(*)::int FROM (SELECT request_id FROM audit_log WHERE request_id LIKE 'burst-%' GROUP BY request_id HAVING count(*) > 1) d) AS doubled`,
      );
      return { changed: row.changed ?? [], audited: row.audited ?? [], unanswered: row.unanswered, doubled: row.doubled };
    };
    const settled = await eventually(async () => {
      const now = await snapshot();
      expect(now.audited).toEqual(now.changed);
      expect(now.changed).toEqual(expect.arrayContaining(stayed));
      // Some changes committed after their client had gone: the case an answer-time audit lost.
      expect(now.unanswered).toBeGreaterThan(0);
      expect(now.doubled).toBe(0);
      // Every stayed request's row has its status.
      const statuses = await platform.query<{ status: number }>(`SELECT status FROM audit_log WHERE request_id = ANY($1)`, [stayed]);
      expect(statuses).toHaveLength(stayed.length);
      expect(statuses.every((s) => s.status === 201)).toBe(true);
      return now;
    });
    // Once the API has nothing left in flight, the two sets still match.
    await eventually(async () => {
      const [{ busy }] = await platform.query<{ busy: number }>(
        `SELECT count(*)::int AS busy FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state IN ('active', 'idle in transaction')`,
      );
      expect(busy).toBe(0);
    });
    const last = await snapshot();
    expect(last.audited).toEqual(last.changed);
    expect(last.changed.length).toBeGreaterThanOrEqual(settled.changed.length);
  });
});
