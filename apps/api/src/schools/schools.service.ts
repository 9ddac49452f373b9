import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError } from 'typeorm';
import { changedSchoolFields, PROGRAMME_IMPORT_FIELDS, REGISTER_FIELDS, Conflict, EventTypes, NotFound, School, UnitOfWork, type SchoolFields, type Principal, type Transaction } from '#domain';
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
        if (existing) throw takenUrn(fields.urn);
        return this.insert(tx, fields);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw takenUrn(fields.urn);
      throw error;
    }
  }

  /**
   * Creates or updates by URN in its own transaction; a row that changes nothing writes
   * nothing. The register's import (an admin) may change every field. A programme's import
   * creates schools new to the platform and changes only the programme-owned fields of the
   * schools it owns now; any other existing school is left exactly as it is, and the row is
   * refused with the reason (the same reason whether or not the caller can see that school,
   * so that the answer tells nothing about other programmes).
   */
  async upsertByUrn(principal: Principal, fields: SchoolFields): Promise<UpsertOutcome | { refused: string }> {
    for (let tries = 0; ; tries += 1) {
      try {
        return await this.unitOfWork.run(async (tx) => {
          const current = await tx.manager.findOne(School, { where: { urn: fields.urn }, lock: { mode: 'pessimistic_write' } });
          if (!current) {
            await this.insert(tx, fields);
            return 'created';
          }
          const register = principal.role === 'admin';
          if (!register && !(await this.access.canChange(principal, 'school', current.id, tx.manager))) {
            return {
              refused: `URN ${fields.urn} is already on the platform and is not one of this programme's schools now: nothing was changed (its register details come from the national register, and its contact details are kept by the programme it belongs to)`,
            };
          }
          const changed = changedSchoolFields(current, fields);
          const identity = changed.filter((key) => REGISTER_FIELDS.has(key));
          if (!register && identity.length > 0) {
            return {
              refused: `${identity.join(', ')} differ${identity.length === 1 ? 's' : ''} from the national register's: a programme's import changes only its schools' ${[...PROGRAMME_IMPORT_FIELDS].join(' and ')}, so nothing was changed (ask an admin to import the register)`,
            };
          }
          if (changed.length === 0) return 'unchanged';
          const update = register ? fields : Object.fromEntries(changed.map((key) => [key, fields[key]]));
          await tx.manager.update(School, { id: current.id }, { ...update, updatedAt: tx.now });
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

  /** Before a change to a school's record: 404 when the caller cannot read it, 403 when it is not theirs now. */
  async mustChange(principal: Principal, id: string): Promise<void> {
    await this.get(principal, id);
    await this.access.mustChange(principal, 'school', id, 'School');
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
    const [items, total] = await query
      .skip((page - 1) * pageSize)
      .take(pageSize)
      .getManyAndCount();
    return { items, page, pageSize, total };
  }

  private async insert(tx: Transaction, fields: SchoolFields & Partial<Pick<School, 'latitude' | 'longitude'>>): Promise<School> {
    const school = tx.manager.create(School, { id: randomUUID(), ...fields, createdAt: tx.now, updatedAt: tx.now });
    await tx.manager.insert(School, school);
    tx.record({ type: EventTypes.SchoolCreated, aggregateType: 'school', aggregateId: school.id, payload: { schoolId: school.id, urn: school.urn } });
    return school;
  }
}

/**
 * A URN is on the platform already. Said the same way whoever owns the school, and naming
 * neither it nor its programme: URNs are public, but who works with a school is not.
 */
function takenUrn(urn: number): Conflict {
  return new Conflict(
    `A school with URN ${urn} is already on the platform: look for it with GET /api/v1/schools?q=${urn}; if you cannot see it, it belongs to another programme, and an admin can help.`,
  );
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = (error as QueryFailedError & { driverError?: { code?: string; constraint?: string } }).driverError;
  return driverError?.code === '23505' && (!constraint || driverError.constraint === constraint);
}
