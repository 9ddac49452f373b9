import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, enforceRetention, UnitOfWork, type AppConfig, type Principal, type RetentionCounts } from '#domain';
import { Access } from '../auth/access.js';
import type { PageQuery, Page } from '../common/pagination.js';

export interface RetentionRun {
  id: string;
  trigger: 'daily' | 'admin';
  policy: unknown;
  removed: RetentionCounts;
  ranAt: string;
}

/** The retention policy's runs (daily in the worker, or an admin's now), each with what it removed. */
@Injectable()
export class RetentionService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly access: Access,
  ) {}

  async run(principal: Principal) {
    this.access.mustReadPlatformRecords(principal);
    const { id, removed } = await this.unitOfWork.run((tx) => enforceRetention(tx.manager, this.config.retention, tx.now, 'admin'));
    return { id, policy: this.config.retention, removed };
  }

  async runs(principal: Principal, query: PageQuery): Promise<Page<RetentionRun>> {
    this.access.mustReadPlatformRecords(principal);
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM retention_runs`);
    const rows: Array<{ id: string; trigger: RetentionRun['trigger']; policy: unknown; removed: RetentionCounts; ran_at: Date }> = await this.dataSource.query(
      `SELECT id, trigger, policy, removed, ran_at FROM retention_runs ORDER BY ran_at DESC, id LIMIT $1 OFFSET $2`,
      [query.pageSize, (query.page - 1) * query.pageSize],
    );
    return {
      items: rows.map((r) => ({ id: r.id, trigger: r.trigger, policy: r.policy, removed: r.removed, ranAt: new Date(r.ran_at).toISOString() })),
      page: query.page,
      pageSize: query.pageSize,
      total,
    };
  }
}
