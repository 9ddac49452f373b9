import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { In } from 'typeorm';
import { Clock, ScheduledAction, type ScheduledActionBatchJobData, type ScheduledActionJobData } from '#domain';
import { Permits } from '#domain/platform/permits';

/** Batches run at once in one worker (see `batches`). */
const BATCHES_AT_ONCE = 2;

export type ActionOutcome = { outcome: 'done' } | { outcome: 'superseded'; reason: string };

/**
 * Runs one scheduled action's work and records how it ended. An action that was cancelled
 * or already done is not run again; one whose moment has passed is marked superseded
 * with the reason, so "why did this not go?" has an answer.
 */
@Injectable()
export class ScheduledActions {
  /**
   * A batch holds one pooled connection for its whole transaction, and a term's start
   * brings dozens of batches at once: left to the queue's concurrency they would take
   * every connection, and the invitations the first batches decided could not be claimed
   * and sent until the last batch was done. Two at a time still keeps the database busy
   * while one is between statements, and the first invitations go while later schools open.
   */
  private readonly batches = new Permits(BATCHES_AT_ONCE);

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async run(data: ScheduledActionJobData, work: (action: ScheduledAction, now: Date) => Promise<ActionOutcome>): Promise<string> {
    const action = await this.dataSource.manager.findOneBy(ScheduledAction, { id: data.actionId });
    if (!action || (action.status !== 'claimed' && action.status !== 'planned')) return action?.status ?? 'unknown';
    const now = await this.clock.now();
    const result = await work(action, now);
    await this.dataSource.query(`UPDATE scheduled_actions SET status = $2, reason = $3, updated_at = $4 WHERE id = $1 AND status IN ('claimed', 'planned')`, [
      action.id,
      result.outcome,
      result.outcome === 'superseded' ? result.reason : null,
      now,
    ]);
    return result.outcome;
  }

  /**
   * `run` for a batch of actions of one kind: those still to do are handed over together,
   * and their outcomes recorded in one statement per outcome.
   */
  async runMany(data: ScheduledActionBatchJobData, work: (actions: ScheduledAction[], now: Date) => Promise<Map<string, ActionOutcome>>): Promise<Record<string, number>> {
    const permit = this.batches.take();
    try {
      await permit.granted;
      return await this.runBatch(data, work);
    } finally {
      permit.release();
    }
  }

  private async runBatch(data: ScheduledActionBatchJobData, work: (actions: ScheduledAction[], now: Date) => Promise<Map<string, ActionOutcome>>): Promise<Record<string, number>> {
    const actions = (await this.dataSource.manager.findBy(ScheduledAction, { id: In(data.actionIds) })).filter((a) => a.status === 'claimed' || a.status === 'planned');
    const counts: Record<string, number> = {};
    if (actions.length === 0) return counts;
    const now = await this.clock.now();
    const outcomes = await work(actions, now);
    const byReason = new Map<string | null, string[]>();
    for (const [id, result] of outcomes) {
      const reason = result.outcome === 'superseded' ? result.reason : null;
      byReason.set(reason, [...(byReason.get(reason) ?? []), id]);
      counts[result.outcome] = (counts[result.outcome] ?? 0) + 1;
    }
    for (const [reason, ids] of byReason) {
      await this.dataSource.query(`UPDATE scheduled_actions SET status = $2, reason = $3, updated_at = $4 WHERE id = ANY($1::uuid[]) AND status IN ('claimed', 'planned')`, [
        ids,
        reason === null ? 'done' : 'superseded',
        reason,
        now,
      ]);
    }
    return counts;
  }
}
