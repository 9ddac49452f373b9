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

/**
 * What will be sent, to whom, when and why: read from the very rows the ticker claims,
 * so the preview cannot disagree with what happens.
 */
export async function cohortSchedule(manager: EntityManager, cohortId: string, from: Date, to: Date): Promise<{ cohortId: string; from: string; to: string; entries: ScheduleEntry[] }> {
  const rows: Array<{ id: string; kind: string; due_at: Date; status: string; recipient: string | null; description: string | null; subject_type: string; subject_id: string; payload: Record<string, unknown>; policy_version: number | null; reason: string | null }> =
    await manager.query(
      `SELECT id, kind, due_at, status, recipient, description, subject_type, subject_id, payload, policy_version, reason
         FROM scheduled_actions
        WHERE cohort_id = $1 AND due_at >= $2 AND due_at < $3 AND status IN ('planned', 'claimed', 'done')
        ORDER BY due_at, key
        LIMIT 5000`,
      [cohortId, from, to],
    );
  return {
    cohortId,
    from: from.toISOString(),
    to: to.toISOString(),
    entries: rows.map((r) => ({
      actionId: r.id, kind: r.kind, dueAt: new Date(r.due_at).toISOString(), status: r.status, recipient: r.recipient, why: r.description,
      subject: { type: r.subject_type, id: r.subject_id }, ruleId: typeof r.payload.ruleId === 'string' ? r.payload.ruleId : null, policyVersion: r.policy_version, reason: r.reason,
    })),
  };
}
