import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError } from 'typeorm';
import {
  changedSchoolFields,
  Conflict,
  EventTypes,
  NotFound,
  School,
  UnitOfWork,
  type SchoolFields,
  type Principal,
  type Transaction,
} from '#domain';
import { Access } from '../auth/access.js';
import type { Page } from '../common/pagination.js';

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

@Injectable()
export class SchoolsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly access: Access,
  ) {}

  async create(fields: SchoolFields & Partial<Pick<School, 'latitude' | 'longitude'>>): Promise<School> {
    try {
      return await this.unitOfWork.run(async (tx) => {
        const existing = await tx.manager.findOneBy(School, { urn: fields.urn });
        if (existing) throw new Conflict(`A school with URN ${fields.urn} already exists (${existing.name}, id ${existing.id})`);
        return this.insert(tx, fields);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new Conflict(`A school with URN ${fields.urn} already exists`);
      throw error;
    }
  }

  /** Creates or updates by URN in its own transaction; a row that changes nothing writes nothing. */
  async upsertByUrn(fields: SchoolFields): Promise<UpsertOutcome> {
    for (let tries = 0; ; tries += 1) {
      try {
        return await this.unitOfWork.run(async (tx) => {
          const current = await tx.manager.findOne(School, { where: { urn: fields.urn }, lock: { mode: 'pessimistic_write' } });
          if (!current) {
            await this.insert(tx, fields);
            return 'created';
          }
          const changed = changedSchoolFields(current, fields);
          if (changed.length === 0) return 'unchanged';
          await tx.manager.update(School, { id: current.id }, { ...fields, updatedAt: tx.now });
          tx.record({ type: EventTypes.SchoolUpdated, aggregateType: 'school', aggregateId: current.id, payload: { schoolId: current.id, changed } });
          return 'updated';
        });
      } catch (error) {
        // Another import created the same URN between our read and insert: read it again.
        if (isUniqueViolation(error) && tries === 0) continue;
        throw error;
      }
    }
  }

  async get(principal: Principal, id: string): Promise<School> {
    const school = await this.dataSource.manager.findOneBy(School, { id });
    if (!school || !(await this.access.canSee(principal, 'school', id))) throw new NotFound('School', id);
    return school;
  }

  async list(principal: Principal, page: number, pageSize: number, q?: string, status?: string): Promise<Page<School>> {
    const query = this.dataSource.manager
      .createQueryBuilder(School, 's')
      .where(this.access.where('s.id', this.access.schoolIds(principal)), this.access.params(principal))
      .orderBy('s.name')
      .addOrderBy('s.id');
    if (status) query.andWhere('s.status = :status', { status });
    if (q) query.andWhere('(s.name ILIKE :like OR s.urn::text = :exact)', { like: `%${q.replace(/[%_\\]/g, '\\$&')}%`, exact: q.trim() });
    const [items, total] = await query.skip((page - 1) * pageSize).take(pageSize).getManyAndCount();
    return { items, page, pageSize, total };
  }

  private async insert(tx: Transaction, fields: SchoolFields & Partial<Pick<School, 'latitude' | 'longitude'>>): Promise<School> {
    const school = tx.manager.create(School, { id: randomUUID(), ...fields, createdAt: tx.now, updatedAt: tx.now });
    await tx.manager.insert(School, school);
    tx.record({ type: EventTypes.SchoolCreated, aggregateType: 'school', aggregateId: school.id, payload: { schoolId: school.id, urn: school.urn } });
    return school;
  }
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = (error as QueryFailedError & { driverError?: { code?: string; constraint?: string } }).driverError;
  return driverError?.code === '23505' && (!constraint || driverError.constraint === constraint);
}
