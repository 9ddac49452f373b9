import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { APP_CONFIG, Clock, enforceRetention, planAction, Queues, ScheduledActionKinds, type AppConfig, type ScheduledActionJobData } from '#domain';
import { HandlesJob } from '../jobs/job-registry.js';
import { ScheduledActions } from '../scheduling/scheduled-actions.js';

const DAY = 86_400_000;
/** The daily run is one scheduled action per day, so it follows the (virtual) clock and happens once cluster-wide. */
const RETENTION_SUBJECT_ID = '00000000-0000-4000-8000-00000000a11d';

/** 02:00 UTC on the day after `now`: a quiet hour, whatever the season. */
export function nextRetentionRun(now: Date): Date {
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 2));
  return next > now ? next : new Date(next.getTime() + DAY);
}

/**
 * Enforces the retention policy once a day (RETENTION_*_DAYS) and plans the next day's
 * run. A worker that was down finds the day's run overdue and catches up once.
 */
@Injectable()
export class RetentionWorkflow implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly actions: ScheduledActions,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('RetentionWorkflow');
  }

  async onApplicationBootstrap(): Promise<void> {
    const now = await this.clock.now();
    const [planned]: Array<{ n: number }> = await this.dataSource.query(`SELECT count(*)::int AS n FROM scheduled_actions WHERE kind = $1 AND status IN ('planned', 'claimed')`, [
      ScheduledActionKinds.EnforceRetention,
    ]);
    if (planned.n === 0) await this.planNext(this.dataSource.manager, now);
  }

  @HandlesJob(Queues.Schedules, ScheduledActionKinds.EnforceRetention)
  async run(data: ScheduledActionJobData): Promise<string> {
    return this.actions.run(data, async (_action, now) => {
      const { removed } = await this.dataSource.transaction(async (manager) => {
        const outcome = await enforceRetention(manager, this.config.retention, now, 'daily');
        await this.planNext(manager, now);
        return outcome;
      });
      this.logger.info({ removed }, 'retention enforced');
      return { outcome: 'done' };
    });
  }

  private planNext(manager: DataSource['manager'], now: Date): Promise<void> {
    const dueAt = nextRetentionRun(now);
    return planAction(
      manager,
      {
        kind: ScheduledActionKinds.EnforceRetention,
        key: `retention:${dueAt.toISOString().slice(0, 10)}`,
        subjectType: 'retention',
        subjectId: RETENTION_SUBJECT_ID,
        dueAt,
        description: 'Remove personal records older than the retention policy allows',
      },
      now,
    );
  }
}
