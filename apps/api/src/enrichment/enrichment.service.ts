import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EnrichmentEvent, EventTypes, InvalidInput, NotFound, UnitOfWork, type EnrichmentDetails, type Principal, type Transaction } from '#domain';
import { Access } from '../auth/access.js';
import type { Page } from '../common/pagination.js';
import type { CorrectEnrichmentEventDto, EnrichmentEventDto, ListEnrichmentQuery } from './enrichment.dto.js';

/** Enrichment events; a correction makes a new version and keeps every earlier one. */
@Injectable()
export class EnrichmentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly access: Access,
  ) {}

  async record(principal: Principal, input: EnrichmentEventDto) {
    await this.checkRefs(principal, input);
    const id = await this.unitOfWork.run(async (tx) => {
      const event = tx.manager.create(EnrichmentEvent, {
        id: randomUUID(),
        programmeId: input.programmeId ?? null,
        hostSchoolId: input.hostSchoolId ?? null,
        version: 1,
        details: details(input),
        occursOn: input.occursOn,
        createdAt: tx.now,
        updatedAt: tx.now,
      });
      await tx.manager.insert(EnrichmentEvent, event);
      await this.writeVersion(tx, principal, event, schoolIds(input), null);
      tx.record({ type: EventTypes.EnrichmentRecorded, aggregateType: 'enrichment_event', aggregateId: event.id, payload: { eventId: event.id } });
      return event.id;
    });
    return this.get(principal, id);
  }

  async correct(principal: Principal, id: string, input: CorrectEnrichmentEventDto) {
    await this.get(principal, id);
    await this.checkRefs(principal, input);
    await this.unitOfWork.run(async (tx) => {
      const event = await tx.manager.findOneOrFail(EnrichmentEvent, { where: { id }, lock: { mode: 'pessimistic_write' } });
      event.version += 1;
      event.details = details(input);
      event.programmeId = input.programmeId ?? null;
      event.hostSchoolId = input.hostSchoolId ?? null;
      event.occursOn = input.occursOn;
      event.updatedAt = tx.now;
      await tx.manager.save(EnrichmentEvent, event);
      await tx.manager.query(`DELETE FROM enrichment_event_schools WHERE event_id = $1`, [id]);
      await this.writeVersion(tx, principal, event, schoolIds(input), input.reason.trim());
      tx.record({ type: EventTypes.EnrichmentCorrected, aggregateType: 'enrichment_event', aggregateId: id, payload: { eventId: id, version: event.version, reason: input.reason } });
    });
    return this.get(principal, id);
  }

  async get(principal: Principal, id: string) {
    const event = await this.dataSource.manager.findOneBy(EnrichmentEvent, { id });
    if (!event || !(await this.visible(principal, event))) throw new NotFound('Enrichment event', id);
    const schools: Array<{ school_id: string }> = await this.dataSource.query(`SELECT school_id FROM enrichment_event_schools WHERE event_id = $1 ORDER BY school_id`, [id]);
    const versions: Array<{
      version: number;
      details: EnrichmentDetails;
      school_ids: string[];
      reason: string | null;
      recorded_at: Date;
      by_name: string | null;
      by_email: string | null;
      occurs_on: string | null;
      host_school_id: string | null;
    }> = await this.dataSource.query(
      `SELECT v.version, v.details, v.school_ids, v.reason, v.recorded_at, t.name AS by_name, t.email AS by_email, to_char(v.occurs_on, 'YYYY-MM-DD') AS occurs_on, v.host_school_id
           FROM enrichment_event_versions v LEFT JOIN api_tokens t ON t.id = v.recorded_by
          WHERE v.event_id = $1 ORDER BY v.version`,
      [id],
    );
    return {
      id: event.id,
      programmeId: event.programmeId,
      hostSchoolId: event.hostSchoolId,
      occursOn: event.occursOn,
      version: event.version,
      ...event.details,
      schoolIds: schools.map((s) => s.school_id),
      history: versions.map((v) => ({
        version: v.version,
        reason: v.reason,
        recordedAt: new Date(v.recorded_at).toISOString(),
        recordedBy: v.by_name || v.by_email ? { name: v.by_name, email: v.by_email } : null,
        occursOn: v.occurs_on,
        hostSchoolId: v.host_school_id,
        details: v.details,
        schoolIds: v.school_ids,
      })),
    };
  }

  async list(principal: Principal, query: ListEnrichmentQuery): Promise<Page<EnrichmentListItem>> {
    const visibleSchools = this.access.schoolIds(principal);
    const qb = this.dataSource.manager.createQueryBuilder(EnrichmentEvent, 'e').orderBy('e.occurs_on', 'DESC').addOrderBy('e.id');
    if (visibleSchools !== null) {
      // The same rule as reading one event: a school's events, or (for its managers) the programme's.
      const byProgramme = principal.role === 'programme_manager' ? ` OR e.programme_id IN (${this.access.programmeIds(principal)})` : '';
      qb.where(
        `(e.host_school_id IN (${visibleSchools}) OR e.id IN (SELECT es.event_id FROM enrichment_event_schools es WHERE es.school_id IN (${visibleSchools}))${byProgramme})`,
        this.access.params(principal),
      );
    }
    if (query.schoolId) qb.andWhere('(e.host_school_id = :schoolId OR e.id IN (SELECT event_id FROM enrichment_event_schools WHERE school_id = :schoolId))', { schoolId: query.schoolId });
    if (query.programmeId) qb.andWhere('e.programme_id = :programmeId', { programmeId: query.programmeId });
    if (query.partnershipId) {
      // A partnership's schools, past members included: an event stays where it happened.
      const members = 'SELECT m.school_id FROM partnership_members m WHERE m.partnership_id = :partnershipId';
      qb.andWhere(`(e.host_school_id IN (${members}) OR e.id IN (SELECT es.event_id FROM enrichment_event_schools es WHERE es.school_id IN (${members})))`, {
        partnershipId: query.partnershipId,
      });
    }
    if (query.from) qb.andWhere('e.occurs_on >= :from', { from: query.from });
    if (query.to) qb.andWhere('e.occurs_on <= :to', { to: query.to });
    const [items, total] = await qb
      .skip((query.page - 1) * query.pageSize)
      .take(query.pageSize)
      .getManyAndCount();
    const ids = items.map((e) => e.id);
    const named: Array<{ event_id: string; id: string; name: string }> =
      ids.length === 0
        ? []
        : await this.dataSource.query(
            `SELECT es.event_id, s.id, s.name FROM enrichment_event_schools es JOIN schools s ON s.id = es.school_id WHERE es.event_id = ANY($1::uuid[]) ORDER BY s.name, s.id`,
            [ids],
          );
    return {
      items: items.map((e) => ({
        id: e.id,
        title: e.details.title,
        type: e.details.type,
        occursOn: e.occursOn,
        version: e.version,
        hostSchoolId: e.hostSchoolId,
        schools: named.filter((n) => n.event_id === e.id).map((n) => ({ id: n.id, name: n.name })),
        audience: e.details.audience,
      })),
      page: query.page,
      pageSize: query.pageSize,
      total,
    };
  }

  /**
   * The schools the caller may record an event for, in name order: those whose records they
   * may change. An admin may record for any school; offered those now in a partnership, not
   * the whole register.
   */
  async schoolsToRecordFor(principal: Principal): Promise<Array<{ id: string; name: string; urn: number }>> {
    const changeable = this.access.schoolIdsToChange(principal) ?? 'SELECT m.school_id FROM partnership_members m WHERE m.left_at IS NULL';
    const [sql, params] = this.dataSource.driver.escapeQueryWithParameters(
      `SELECT s.id, s.name, s.urn FROM schools s WHERE s.id IN (${changeable}) ORDER BY s.name, s.id LIMIT 2000`,
      this.access.params(principal),
    );
    return this.dataSource.query(sql, params);
  }

  /** The names of an event's schools (which the event already shows as ids), for a page. */
  async schoolNames(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows: Array<{ id: string; name: string }> = await this.dataSource.query(`SELECT id, name FROM schools WHERE id = ANY($1::uuid[])`, [[...new Set(ids)]]);
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  private async visible(principal: Principal, event: EnrichmentEvent): Promise<boolean> {
    if (principal.role === 'admin') return true;
    if (event.programmeId && principal.role === 'programme_manager' && (await this.access.canSee(principal, 'programme', event.programmeId))) return true;
    const schools: Array<{ school_id: string }> = await this.dataSource.query(`SELECT school_id FROM enrichment_event_schools WHERE event_id = $1`, [event.id]);
    for (const id of [event.hostSchoolId, ...schools.map((s) => s.school_id)]) if (id && (await this.access.canSee(principal, 'school', id))) return true;
    return false;
  }

  private async checkRefs(principal: Principal, input: EnrichmentEventDto): Promise<void> {
    if (input.programmeId) await this.access.mustSee(principal, 'programme', input.programmeId, 'Programme');
    const schools = schoolIds(input);
    if (schools.length === 0) throw new InvalidInput('An event needs a host school or at least one attending school', [{ field: 'schoolIds', message: 'must not be empty without hostSchoolId' }]);
    for (const id of schools) {
      const exists: unknown[] = await this.dataSource.query(`SELECT 1 FROM schools WHERE id = $1`, [id]);
      if (exists.length === 0) throw new NotFound('School', id);
      // Recording a school's part in an event changes that school's record: its owners' to do.
      await this.access.mustChange(principal, 'school', id, 'School');
    }
  }

  private async writeVersion(tx: Transaction, principal: Principal, event: EnrichmentEvent, schools: string[], reason: string | null): Promise<void> {
    for (const schoolId of schools) await tx.manager.query(`INSERT INTO enrichment_event_schools (event_id, school_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [event.id, schoolId]);
    await tx.manager.query(
      `INSERT INTO enrichment_event_versions (event_id, version, details, school_ids, reason, recorded_at, recorded_by, occurs_on, host_school_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [event.id, event.version, JSON.stringify(event.details), schools, reason, tx.now, principal.tokenId, event.occursOn, event.hostSchoolId],
    );
  }
}

export interface EnrichmentListItem {
  id: string;
  title: string;
  type: string;
  occursOn: string;
  version: number;
  hostSchoolId: string | null;
  /** Every school that hosted or took part. */
  schools: Array<{ id: string; name: string }>;
  audience: EnrichmentDetails['audience'];
}

function schoolIds(input: EnrichmentEventDto): string[] {
  return [...new Set([...(input.hostSchoolId ? [input.hostSchoolId] : []), ...input.schoolIds])];
}

function details(input: EnrichmentEventDto): EnrichmentDetails {
  return {
    type: input.type,
    title: input.title.trim(),
    audience: { pupils: input.audience.pupils, parents: input.audience.parents, staff: input.audience.staff, otherSchools: input.audience.otherSchools },
    keyStages: [...input.keyStages].sort(),
    gender: input.gender ? { female: input.gender.female, male: input.gender.male, otherOrNotSaid: input.gender.otherOrNotSaid } : null,
    disadvantagedPupils: input.disadvantagedPupils ?? null,
    careers: input.careers ? { roles: input.careers.roles, routes: input.careers.routes } : null,
    ambassadorsInvolved: input.ambassadorsInvolved ?? 0,
    costPence: input.costPence ?? 0,
  };
}
