import { Injectable } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsString, MaxLength } from 'class-validator';
import { DataSource } from 'typeorm';
import type { Principal } from '#domain';
import { Access } from '../auth/access.js';
import { boundedCount, keysetPage, KeysetPageQuery, keysetRead, keysetTime, type KeysetPage } from '../common/pagination.js';
import { MayBeOmitted } from '../common/validation.js';

export const AUDIT_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;
export const AUDIT_OUTCOMES = ['committed', 'unchanged', 'unknown'] as const;

export class AuditQuery extends KeysetPageQuery {
  @ApiPropertyOptional({ example: 'people', description: 'The kind of record written (the route word before its id)' }) @MayBeOmitted() @IsString() @MaxLength(100) subjectType?: string;
  @ApiPropertyOptional({ description: 'The id of the record written' }) @MayBeOmitted() @IsString() @MaxLength(100) subjectId?: string;
  @ApiPropertyOptional({ description: "Who wrote: an API token id, a page link id, a role (admin, programme_manager, …), or a token's email address" })
  @MayBeOmitted()
  @IsString()
  @MaxLength(254)
  actor?: string;
  @ApiPropertyOptional({ enum: AUDIT_METHODS, description: 'What was done: POST creates or acts, PUT and PATCH change, DELETE removes' }) @MayBeOmitted() @IsIn(AUDIT_METHODS) method?: string;
  @ApiPropertyOptional({ enum: AUDIT_OUTCOMES }) @MayBeOmitted() @IsIn(AUDIT_OUTCOMES) outcome?: string;
  @ApiPropertyOptional({ example: '2027-01-01T00:00:00Z' }) @MayBeOmitted() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ example: '2027-02-01T00:00:00Z', description: 'Exclusive' }) @MayBeOmitted() @IsISO8601({ strict: true }) to?: string;
}

export interface AuditRow {
  id: string;
  at: string;
  actorType: string;
  actorId: string | null;
  /** The token's (or signed-in person's) name and address, when the writer was one. */
  actorName: string | null;
  actorEmail: string | null;
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

/** The append-only record of every write through the API and the pages, read by admins. */
@Injectable()
export class AuditService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: Access,
  ) {}

  /** Newest first; a cursor's page starts in the (at, id) index at its place, so a deep page is as quick as the first, and the count stops at ten thousand. */
  async list(principal: Principal, query: AuditQuery): Promise<KeysetPage<AuditRow>> {
    this.access.mustReadPlatformRecords(principal);
    const actor = query.actor?.trim() || null;
    const where = `($1::text IS NULL OR a.subject_type = $1) AND ($2::text IS NULL OR a.subject_id = $2)
      AND ($3::text IS NULL OR a.actor_id = $3 OR a.role = $3
           OR a.actor_id IN (SELECT t.id::text FROM api_tokens t WHERE lower(t.email) = lower($3) OR lower(t.name) = lower($3)))
      AND ($4::timestamptz IS NULL OR a.at >= $4) AND ($5::timestamptz IS NULL OR a.at < $5)
      AND ($6::text IS NULL OR a.method = $6) AND ($7::text IS NULL OR a.outcome = $7)`;
    const params = [query.subjectType || null, query.subjectId || null, actor, query.from ?? null, query.to ?? null, query.method ?? null, query.outcome ?? null];
    const read = keysetRead(query);
    const [{ total }] = await this.dataSource.query(boundedCount(`audit_log a WHERE ${where}`), params);
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT a.id, a.at, ${keysetTime('a.at')} AS keyset_at, a.actor_type, a.actor_id, a.role, a.method, a.route, a.subject_type, a.subject_id, a.outcome, a.status, a.request_id, t.name AS actor_name, t.email AS actor_email
         FROM audit_log a
         LEFT JOIN api_tokens t ON a.actor_type IN ('token', 'dashboard') AND t.id::text = a.actor_id
        WHERE ${where} AND ${read.condition('a.at', 'a.id', '$10', '$11')}
        ORDER BY ${read.order('a.at', 'a.id')} LIMIT $8 OFFSET $9`,
      [...params, read.limit, read.offset, ...(read.key ? [read.key.value, read.key.id] : [])],
    );
    return keysetPage(
      query,
      read,
      rows.map((r) => ({
        key: { value: r.keyset_at as string, id: r.id as string },
        item: {
          id: r.id as string,
          at: new Date(r.at as string).toISOString(),
          actorType: r.actor_type as string,
          actorId: r.actor_id as string | null,
          actorName: r.actor_name as string | null,
          actorEmail: r.actor_email as string | null,
          role: r.role as string | null,
          method: r.method as string,
          route: r.route as string,
          subjectType: r.subject_type as string | null,
          subjectId: r.subject_id as string | null,
          outcome: r.outcome as AuditRow['outcome'],
          status: r.status as number | null,
          requestId: r.request_id as string | null,
        },
      })),
      total,
    );
  }

  /** The kinds of record the log names, for a filter: one index probe each (a skip scan), however long the log. */
  async subjectTypes(principal: Principal): Promise<string[]> {
    this.access.mustReadPlatformRecords(principal);
    const rows: Array<{ v: string }> = await this.dataSource.query(
      `WITH RECURSIVE kinds AS (
         SELECT min(subject_type) AS v FROM audit_log
         UNION ALL
         SELECT (SELECT min(subject_type) FROM audit_log WHERE subject_type > kinds.v) FROM kinds WHERE kinds.v IS NOT NULL)
       SELECT v FROM kinds WHERE v IS NOT NULL`,
    );
    return rows.map((r) => r.v);
  }
}
