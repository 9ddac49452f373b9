import type { EntityManager } from 'typeorm';

export type AuditActorType = 'token' | 'page_link' | 'unsubscribe_link' | 'dashboard' | 'anonymous';

/**
 * What the audit knows of a write before its handler runs: who, through which route, about
 * what. The API puts these in the request's context; every unit of work the request runs
 * then writes the request's one audit row inside its own transaction.
 */
export interface AuditFacts {
  /** The row's id, chosen once per request: a request that commits several units of work still has one row. */
  id: string;
  actorType: AuditActorType;
  actorId: string | null;
  role: string | null;
  method: string;
  /** The route's pattern, never its path: a path can carry a page token. */
  route: string;
  subject: { type: string; id: string } | null;
  requestId: string | null;
}

type Queryable = Pick<EntityManager, 'query'>;

const COLUMNS = `(id, at, actor_type, actor_id, role, method, route, subject_type, subject_id, request_id, outcome, status)`;

function values(facts: AuditFacts, at: Date): unknown[] {
  return [facts.id, at, facts.actorType, facts.actorId, facts.role, facts.method, facts.route, facts.subject?.type ?? null, facts.subject?.id ?? null, facts.requestId];
}

/**
 * Called by the unit of work just before it commits: the row commits with the change or
 * not at all. A transaction that wrote (or locked) nothing has no transaction id yet, and
 * then writes no row, so a request refused inside its unit of work is recorded after its
 * answer like any other refusal. The check is made before the row's own insert takes an id.
 */
export async function recordCommittedWrite(manager: Queryable, facts: AuditFacts, at: Date): Promise<void> {
  await manager.query(
    `INSERT INTO audit_log ${COLUMNS}
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'committed', NULL WHERE pg_current_xact_id_if_assigned() IS NOT NULL
     ON CONFLICT (id) DO NOTHING`,
    values(facts, at),
  );
}

/**
 * Called once the request's handler has finished and its answer has gone (or its client
 * has): gives a committed row its status, or, when the request committed nothing, writes
 * the row that says so. `status` is null when the client left before the answer. Waits, on
 * the row's id, for a unit of work of the request that is still committing.
 */
export async function recordAnswer(runner: Queryable, facts: AuditFacts, status: number | null, at: Date): Promise<void> {
  await runner.query(
    `INSERT INTO audit_log ${COLUMNS} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'unchanged', $11)
     ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status WHERE audit_log.status IS NULL AND EXCLUDED.status IS NOT NULL`,
    [...values(facts, at), status],
  );
}
