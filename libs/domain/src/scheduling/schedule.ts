import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';

/** Kinds of scheduled action; each has exactly one handler in the worker. */
export const ScheduledActionKinds = {
  ExpireOffer: 'cpd.expire_offer',
  RemindSession: 'cpd.remind_session',
} as const;
export type ScheduledActionKind = (typeof ScheduledActionKinds)[keyof typeof ScheduledActionKinds];

export interface PlannedAction {
  kind: ScheduledActionKind;
  /** Unique per decision, e.g. `expire-offer:{booking}:{expiresAt}`: planning twice is a no-op. */
  key: string;
  subjectType: string;
  subjectId: string;
  dueAt: Date;
  payload?: Record<string, unknown>;
}

/**
 * Plans work for later, inside the caller's transaction. Re-planning the same key moves
 * a still-planned action; one already claimed or done is left alone.
 */
export async function planAction(manager: EntityManager, action: PlannedAction, now: Date): Promise<void> {
  await manager.query(
    `INSERT INTO scheduled_actions (id, kind, key, subject_type, subject_id, due_at, status, payload, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'planned', $7, $8, $8)
     ON CONFLICT (key) DO UPDATE SET due_at = EXCLUDED.due_at, payload = EXCLUDED.payload, updated_at = EXCLUDED.updated_at
       WHERE scheduled_actions.status = 'planned'`,
    [randomUUID(), action.kind, action.key, action.subjectType, action.subjectId, action.dueAt, JSON.stringify(action.payload ?? {}), now],
  );
}

/** Cancels what is still planned for a subject (a cancelled booking gets no reminder). */
export async function cancelPlannedActions(manager: EntityManager, subjectType: string, subjectId: string, reason: string, now: Date, kinds?: ScheduledActionKind[]): Promise<number> {
  const [, count]: [unknown, number] = await manager.query(
    `UPDATE scheduled_actions SET status = 'cancelled', reason = $3, updated_at = $4
      WHERE subject_type = $1 AND subject_id = $2 AND status = 'planned' AND ($5::text[] IS NULL OR kind = ANY($5::text[]))`,
    [subjectType, subjectId, reason, now, kinds ?? null],
  );
  return count;
}
