import { Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { APP_CONFIG, enforceRetention, UnitOfWork, type AppConfig } from '#domain';
import { Roles } from '../auth/auth.decorators.js';
import { PageQuery } from '../common/pagination.js';

/** The retention policy's runs (daily in the worker), and a run now through the same code. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v1/admin')
@Roles('admin')
export class RetentionController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  @Post('retention/run')
  @HttpCode(200)
  async run() {
    const { id, removed } = await this.unitOfWork.run((tx) => enforceRetention(tx.manager, this.config.retention, tx.now, 'admin'));
    return { id, policy: this.config.retention, removed };
  }

  @Get('retention-runs')
  async runs(@Query() query: PageQuery) {
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM retention_runs`);
    const rows: Array<{ id: string; trigger: string; policy: unknown; removed: unknown; ran_at: Date }> = await this.dataSource.query(
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
