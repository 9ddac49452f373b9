import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsISO8601, IsString, MaxLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { Roles } from '../auth/auth.decorators.js';
import { PageQuery, type Page } from '../common/pagination.js';
import { MayBeOmitted } from '../common/validation.js';

export class AuditQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'people', description: 'The kind of record written (the route word before its id)' }) @MayBeOmitted() @IsString() @MaxLength(100) subjectType?: string;
  @ApiPropertyOptional({ description: 'The id of the record written' }) @MayBeOmitted() @IsString() @MaxLength(100) subjectId?: string;
  @ApiPropertyOptional({ description: 'Who wrote: an API token id, a page link id, or a role (admin, programme_manager, …)' }) @MayBeOmitted() @IsString() @MaxLength(100) actor?: string;
  @ApiPropertyOptional({ example: '2027-01-01T00:00:00Z' }) @MayBeOmitted() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ example: '2027-02-01T00:00:00Z', description: 'Exclusive' }) @MayBeOmitted() @IsISO8601({ strict: true }) to?: string;
}

interface AuditRow {
  id: string;
  at: string;
  actorType: string;
  actorId: string | null;
  role: string | null;
  method: string;
  route: string;
  subjectType: string | null;
  subjectId: string | null;
  requestId: string | null;
  /** committed: written with the change; unchanged: the request committed nothing; unknown: recorded before outcomes were kept. */
  outcome: 'committed' | 'unchanged' | 'unknown';
  /** The answer's HTTP status; null when the client left before its answer (or the API stopped first). */
  status: number | null;
}

/** The append-only record of every write through the API and the pages, for admins. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit')
@Roles('admin')
export class AuditController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  async list(@Query() query: AuditQuery): Promise<Page<AuditRow>> {
    const where = `($1::text IS NULL OR subject_type = $1) AND ($2::text IS NULL OR subject_id = $2)
      AND ($3::text IS NULL OR actor_id = $3 OR role = $3) AND ($4::timestamptz IS NULL OR at >= $4) AND ($5::timestamptz IS NULL OR at < $5)`;
    const params = [query.subjectType ?? null, query.subjectId ?? null, query.actor ?? null, query.from ?? null, query.to ?? null];
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM audit_log WHERE ${where}`, params);
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT id, at, actor_type, actor_id, role, method, route, subject_type, subject_id, outcome, status, request_id FROM audit_log WHERE ${where} ORDER BY at DESC, id LIMIT $6 OFFSET $7`,
      [...params, query.pageSize, (query.page - 1) * query.pageSize],
    );
    return {
      items: rows.map((r) => ({
        id: r.id as string,
        at: new Date(r.at as string).toISOString(),
        actorType: r.actor_type as string,
        actorId: r.actor_id as string | null,
        role: r.role as string | null,
        method: r.method as string,
        route: r.route as string,
        subjectType: r.subject_type as string | null,
        subjectId: r.subject_id as string | null,
        outcome: r.outcome as AuditRow['outcome'],
        status: r.status as number | null,
        requestId: r.request_id as string | null,
      })),
      page: query.page,
      pageSize: query.pageSize,
      total,
    };
  }
}
