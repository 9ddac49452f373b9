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
      await this.writeVersion(tx, event, schoolIds(input), null);
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
      await this.writeVersion(tx, event, schoolIds(input), input.reason.trim());
      tx.record({ type: EventTypes.EnrichmentCorrected, aggregateType: 'enrichment_event', aggregateId: id, payload: { eventId: id, version: event.version, reason: input.reason } });
    });
    return this.get(principal, id);
  }

  async get(principal: Principal, id: string) {
    const event = await this.dataSource.manager.findOneBy(EnrichmentEvent, { id });
    if (!event || !(await this.visible(principal, event))) throw new NotFound('Enrichment event', id);
    const schools: Array<{ school_id: string }> = await this.dataSource.query(`SELECT school_id FROM enrichment_event_schools WHERE event_id = $1 ORDER BY school_id`, [id]);
    const versions: Array<{ version: number; details: EnrichmentDetails; school_ids: string[]; reason: string | null; recorded_at: Date }> = await this.dataSource.query(
      `SELECT version, details, school_ids, reason, recorded_at FROM enrichment_event_versions WHERE event_id = $1 ORDER BY version`,
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
      history: versions.map((v) => ({ version: v.version, reason: v.reason, recordedAt: new Date(v.recorded_at).toISOString(), details: v.details, schoolIds: v.school_ids })),
    };
  }

  async list(principal: Principal, query: ListEnrichmentQuery): Promise<Page<{ id: string; title: string; type: string; occursOn: string; version: number }>> {
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
    const [items, total] = await qb
      .skip((query.page - 1) * query.pageSize)
      .take(query.pageSize)
      .getManyAndCount();
    return { items: items.map((e) => ({ id: e.id, title: e.details.title, type: e.details.type, occursOn: e.occursOn, version: e.version })), page: query.page, pageSize: query.pageSize, total };
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

  private async writeVersion(tx: Transaction, event: EnrichmentEvent, schools: string[], reason: string | null): Promise<void> {
    for (const schoolId of schools) await tx.manager.query(`INSERT INTO enrichment_event_schools (event_id, school_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [event.id, schoolId]);
    await tx.manager.query(`INSERT INTO enrichment_event_versions (event_id, version, details, school_ids, reason, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)`, [
      event.id,
      event.version,
      JSON.stringify(event.details),
      schools,
      reason,
      tx.now,
    ]);
  }
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
