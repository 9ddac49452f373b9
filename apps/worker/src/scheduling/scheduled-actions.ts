import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, ScheduledAction, type ScheduledActionJobData } from '#domain';

export type ActionOutcome = { outcome: 'done' } | { outcome: 'superseded'; reason: string };

/**
 * Runs one scheduled action's work and records how it ended. An action that was cancelled
 * or already done is not run again; one whose moment has passed is marked superseded
 * with the reason, so "why did this not go?" has an answer.
 */
@Injectable()
export class ScheduledActions {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async run(data: ScheduledActionJobData, work: (action: ScheduledAction, now: Date) => Promise<ActionOutcome>): Promise<string> {
    const action = await this.dataSource.manager.findOneBy(ScheduledAction, { id: data.actionId });
    if (!action || (action.status !== 'claimed' && action.status !== 'planned')) return action?.status ?? 'unknown';
    const now = await this.clock.now();
    const result = await work(action, now);
    await this.dataSource.query(
      `UPDATE scheduled_actions SET status = $2, reason = $3, updated_at = $4 WHERE id = $1 AND status IN ('claimed', 'planned')`,
      [action.id, result.outcome, result.outcome === 'superseded' ? result.reason : null, now],
    );
    return result.outcome;
  }
}
