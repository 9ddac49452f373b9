import type { EntityManager } from 'typeorm';

export interface ScheduleEntry {
  actionId: string;
  kind: string;
  dueAt: string;
  status: string;
  recipient: string | null;
  why: string | null;
  subject: { type: string; id: string };
  ruleId: string | null;
  policyVersion: number | null;
  reason: string | null;
}

/** A condition on `scheduled_actions a` that narrows a schedule to what its reader may see, with its named parameters. */
export interface ScheduleScope {
  condition: string;
  params: Record<string, unknown>;
}

/**
 * What will be sent, to whom, when and why: read from the very rows the ticker claims,
 * so the preview cannot disagree with what happens. `scope` keeps to the entries its
 * reader may see (an educational lead: their own partnership's).
 */
export async function cohortSchedule(
  manager: EntityManager,
  cohortId: string,
  from: Date,
  to: Date,
  scope?: ScheduleScope,
): Promise<{ cohortId: string; from: string; to: string; entries: ScheduleEntry[] }> {
  const [sql, params] = manager.connection.driver.escapeQueryWithParameters(
    `SELECT a.id, a.kind, a.due_at, a.status, a.recipient, a.description, a.subject_type, a.subject_id, a.payload, a.policy_version, a.reason
       FROM scheduled_actions a
      WHERE a.cohort_id = :cohortId AND a.due_at >= :from AND a.due_at < :to AND a.status IN ('planned', 'claimed', 'done') AND (${scope?.condition ?? 'TRUE'})
      ORDER BY a.due_at, a.key
      LIMIT 5000`,
    { ...scope?.params, cohortId, from, to },
  );
  const rows: Array<{
    id: string;
    kind: string;
    due_at: Date;
    status: string;
    recipient: string | null;
    description: string | null;
    subject_type: string;
    subject_id: string;
    payload: Record<string, unknown>;
    policy_version: number | null;
    reason: string | null;
  }> = await manager.query(sql, params);
  return {
    cohortId,
    from: from.toISOString(),
    to: to.toISOString(),
    entries: rows.map((r) => ({
      actionId: r.id,
      kind: r.kind,
      dueAt: new Date(r.due_at).toISOString(),
      status: r.status,
      recipient: r.recipient,
      why: r.description,
      subject: { type: r.subject_type, id: r.subject_id },
      ruleId: typeof r.payload.ruleId === 'string' ? r.payload.ruleId : null,
      policyVersion: r.policy_version,
      reason: r.reason,
    })),
  };
}
