import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { APP_CONFIG, Clock, dropSnapshots, planAction, Queues, refreshSnapshots, ScheduledActionKinds, type AppConfig, type ScheduledActionJobData } from '#domain';
import { HandlesJob } from '../jobs/job-registry.js';
import { ScheduledActions } from '../scheduling/scheduled-actions.js';

/** The refresh is one scheduled action at a time, so it follows the (virtual) clock and runs once cluster-wide. */
const SNAPSHOTS_SUBJECT_ID = '00000000-0000-4000-8000-0000000f1605';

/**
 * Works out every figure again every REPORT_SNAPSHOTS_EVERY_MINUTES, for the whole platform
 * and each programme, and keeps them (see `refreshSnapshots`); then plans the next run at
 * the start of the next period. A worker that was down finds the run overdue and catches up once.
 * With the setting at 0 nothing is planned and what was kept is dropped, so no figure is
 * shown from a snapshot nobody refreshes.
 */
@Injectable()
export class FigureSnapshotsWorkflow implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly actions: ScheduledActions,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('FigureSnapshotsWorkflow');
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.reportSnapshotsEveryMinutes === 0) {
      await this.dataSource.transaction((manager) => dropSnapshots(manager));
      return;
    }
    const [planned]: Array<{ n: number }> = await this.dataSource.query(`SELECT count(*)::int AS n FROM scheduled_actions WHERE kind = $1 AND status IN ('planned', 'claimed')`, [
      ScheduledActionKinds.RefreshFigureSnapshots,
    ]);
    if (planned.n > 0) return;
    // The run of the period we are in, and the next: runs fall on whole periods, so two
    // workers starting at once plan the same two (the key drops the repeat), and a period
    // already run still leaves the next one planned.
    const now = await this.clock.now();
    await this.plan(this.periodStart(now, 0), now);
    await this.plan(this.periodStart(now, 1), now);
  }

  @HandlesJob(Queues.Schedules, ScheduledActionKinds.RefreshFigureSnapshots)
  async run(data: ScheduledActionJobData): Promise<string> {
    return this.actions.run(data, async (action, now) => {
      if (this.config.reportSnapshotsEveryMinutes === 0) return { outcome: 'superseded', reason: 'REPORT_SNAPSHOTS_EVERY_MINUTES is 0' };
      const outcome = await refreshSnapshots(this.dataSource, now);
      if (outcome.failed.length > 0) this.logger.warn({ failed: outcome.failed }, 'some figures could not be worked out; their previous snapshots are kept');
      this.logger.info({ scopes: outcome.scopes, figures: outcome.figures, tookMs: outcome.tookMs }, 'figures worked out again and kept');
      // Only the latest run's row is worth keeping: one every half hour would otherwise pile up.
      await this.dataSource.query(`DELETE FROM scheduled_actions WHERE kind = $1 AND status IN ('done', 'superseded') AND id <> $2`, [ScheduledActionKinds.RefreshFigureSnapshots, action.id]);
      await this.plan(this.periodStart(now, 1), now);
      return { outcome: 'done' };
    });
  }

  /** The start of the period `ahead` periods after the one `now` is in. */
  private periodStart(now: Date, ahead: number): Date {
    const period = this.config.reportSnapshotsEveryMinutes * 60_000;
    return new Date((Math.floor(now.getTime() / period) + ahead) * period);
  }

  private plan(dueAt: Date, now: Date): Promise<void> {
    return planAction(
      this.dataSource.manager,
      {
        kind: ScheduledActionKinds.RefreshFigureSnapshots,
        key: `figure-snapshots:${dueAt.toISOString()}`,
        subjectType: 'reports',
        subjectId: SNAPSHOTS_SUBJECT_ID,
        dueAt,
        description: 'Work out every programme figure again and keep it for the dashboard and the funder export',
      },
      now,
    );
  }
}
