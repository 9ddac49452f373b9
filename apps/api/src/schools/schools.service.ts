import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, In, QueryFailedError, type EntityManager } from 'typeorm';
import { changedSchoolFields, PROGRAMME_IMPORT_FIELDS, REGISTER_FIELDS, Conflict, EventTypes, NotFound, School, UnitOfWork, type SchoolFields, type Principal, type Transaction } from '#domain';
import { Access } from '../auth/access.js';
import { BY_NAME, countUpTo, keysetPage, keysetRead, type KeysetPage } from '../common/pagination.js';

/** What a list of schools is narrowed by; every field but the page is optional. */
export interface SchoolSearch {
  page: number;
  pageSize: number;
  /** The place in the list (a cursor from a page's `next` or `previous`), instead of a page number. */
  after?: string;
  before?: string;
  q?: string;
  status?: string;
  phase?: string;
  partnershipId?: string;
  cohortId?: string;
  /** Only schools not now in this partnership: those that may join it. */
  notInPartnershipId?: string;
}

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';
/** What an import row did (or, in a dry run, would do): its outcome and, for an update, the fields it changes. */
export type UpsertResult = { outcome: UpsertOutcome; changed?: string[] } | { refused: string };

type Decision = { outcome: 'created' | 'unchanged' } | { outcome: 'updated'; changed: Array<keyof SchoolFields>; update: Partial<SchoolFields> } | { outcome: 'refused'; refused: string };

const outcomeOf = (decision: Decision): UpsertResult =>
  decision.outcome === 'refused' ? { refused: decision.refused } : decision.outcome === 'updated' ? { outcome: 'updated', changed: decision.changed } : { outcome: decision.outcome };

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
   *
   * A dry run answers what the row would do, by the same rule, and writes nothing.
   */
  async upsertByUrn(principal: Principal, fields: SchoolFields, { dryRun = false } = {}): Promise<UpsertResult> {
    if (dryRun) {
      const current = await this.dataSource.manager.findOneBy(School, { urn: fields.urn });
      return outcomeOf(await this.decide(this.dataSource.manager, principal, current, fields));
    }
    for (let tries = 0; ; tries += 1) {
      try {
        return await this.unitOfWork.run(async (tx) => {
          const current = await tx.manager.findOne(School, { where: { urn: fields.urn }, lock: { mode: 'pessimistic_write' } });
          const decision = await this.decide(tx.manager, principal, current, fields);
          if (decision.outcome === 'created') await this.insert(tx, fields);
          if (decision.outcome === 'updated') {
            await tx.manager.update(School, { id: current!.id }, { ...decision.update, updatedAt: tx.now });
            tx.record({ type: EventTypes.SchoolUpdated, aggregateType: 'school', aggregateId: current!.id, payload: { schoolId: current!.id, changed: decision.changed } });
          }
          return outcomeOf(decision);
        });
      } catch (error) {
        // Another import created the same URN between our read and insert: read it again.
        if (isUniqueViolation(error) && tries === 0) continue;
        throw error;
      }
    }
  }

  /** What an import row does to the school with its URN (or to none): the one rule for a dry run and for the import itself. */
  private async decide(manager: EntityManager, principal: Principal, current: School | null, fields: SchoolFields): Promise<Decision> {
    if (!current) return { outcome: 'created' };
    const register = principal.role === 'admin';
    if (!register && !(await this.access.canChange(principal, 'school', current.id, manager))) {
      return {
        outcome: 'refused',
        refused: `URN ${fields.urn} is already on the platform and is not one of this programme's schools now: nothing was changed (its register details come from the national register, and its contact details are kept by the programme it belongs to)`,
      };
    }
    const changed = changedSchoolFields(current, fields);
    const identity = changed.filter((key) => REGISTER_FIELDS.has(key));
    if (!register && identity.length > 0) {
      return {
        outcome: 'refused',
        refused: `${identity.join(', ')} differ${identity.length === 1 ? 's' : ''} from the national register's: a programme's import changes only its schools' ${[...PROGRAMME_IMPORT_FIELDS].join(' and ')}, so nothing was changed (ask an admin to import the register)`,
      };
    }
    if (changed.length === 0) return { outcome: 'unchanged' };
    const update = register ? fields : Object.fromEntries(changed.map((key) => [key, fields[key]]));
    return { outcome: 'updated', changed, update };
  }

  /** Before a change to a school's record: 404 when the caller cannot read it, 403 when it is not theirs now. */
  async mustChange(principal: Principal, id: string): Promise<void> {
    await this.get(principal, id);
    await this.access.mustChange(principal, 'school', id, 'School');
  }

  /** May the caller change this school's programme-owned record (its status, Ofsted, contacts)? */
  mayChange(principal: Principal, id: string): Promise<boolean> {
    return this.access.canChange(principal, 'school', id);
  }

  async get(principal: Principal, id: string): Promise<School> {
    const school = await this.dataSource.manager.findOneBy(School, { id });
    if (!school || !(await this.access.canSee(principal, 'school', id))) throw new NotFound('School', id);
    return school;
  }

  /**
   * A page of the schools the caller may read, in name order: found by part of a name, a
   * local authority or a postcode, or by URN; filtered by status, phase, and the partnership
   * or cohort a school is now in. Indexed for the national register's 24,000 (trigram
   * indexes for the search, the name order's own index for paging).
   */
  async list(principal: Principal, search: SchoolSearch): Promise<KeysetPage<School>> {
    const query = this.dataSource.manager.createQueryBuilder(School, 's').where(this.access.where('s.id', this.access.schoolIds(principal)), this.access.params(principal));
    if (search.status) query.andWhere('s.status = :status', { status: search.status });
    if (search.phase) query.andWhere('s.phase = :phase', { phase: search.phase });
    if (search.partnershipId) {
      query.andWhere('s.id IN (SELECT m.school_id FROM partnership_members m WHERE m.partnership_id = :partnershipId AND m.left_at IS NULL)', { partnershipId: search.partnershipId });
    }
    if (search.notInPartnershipId) {
      query.andWhere('s.id NOT IN (SELECT m.school_id FROM partnership_members m WHERE m.partnership_id = :notInPartnershipId AND m.left_at IS NULL)', {
        notInPartnershipId: search.notInPartnershipId,
      });
    }
    if (search.cohortId) {
      query.andWhere('s.id IN (SELECT m.school_id FROM partnership_members m JOIN partnerships p ON p.id = m.partnership_id WHERE p.cohort_id = :cohortId AND m.left_at IS NULL)', {
        cohortId: search.cohortId,
      });
    }
    const text = search.q?.trim();
    if (text) {
      const like = (value: string) => `%${value.replace(/[%_\\]/g, '\\$&')}%`;
      const matches = ['s.name ILIKE :like', 's.local_authority ILIKE :like', 's.postcode ILIKE :postcode'];
      if (/^\d{1,7}$/.test(text)) matches.push('s.urn = :urn');
      query.andWhere(`(${matches.join(' OR ')})`, { like: like(text), postcode: like(postcodeAsWritten(text)), urn: Number(text) });
    }
    // The page's ids first, in name order from the (name, id) index alone, starting at a
    // cursor's place (a numbered page late in the list skips index entries, not rows), then
    // those rows; and a count that stops at ten thousand, not TypeORM's COUNT(DISTINCT).
    const read = keysetRead(search, BY_NAME);
    const ids: string[] = (
      await query
        .clone()
        .select('s.id', 'id')
        .andWhere(read.condition('s.name', 's.id', ':keysetName', ':keysetId'), read.key ? { keysetName: read.key.value, keysetId: read.key.id } : {})
        .orderBy(read.orderBy('s.name', 's.id'))
        .offset(read.offset)
        .limit(read.limit)
        .getRawMany<{ id: string }>()
    ).map((row) => row.id);
    const [counting, countParams] = query.clone().select('1').getQueryAndParameters();
    const [{ total }]: Array<{ total: number }> = await this.dataSource.query(countUpTo(counting), countParams);
    const rows = ids.length > 0 ? await this.dataSource.manager.findBy(School, { id: In(ids) }) : [];
    const byId = new Map(rows.map((school) => [school.id, school]));
    const found = ids.flatMap((id) => {
      const school = byId.get(id);
      return school ? [{ item: school, key: { value: school.name, id } }] : [];
    });
    return keysetPage(search, read, found, total);
  }

  /** The partnerships and cohorts a list of schools can be narrowed to: those the caller may read. */
  async listFilters(
    principal: Principal,
  ): Promise<{ partnerships: Array<{ id: string; name: string; cohortName: string | null }>; cohorts: Array<{ id: string; name: string; programmeName: string }> }> {
    const [sql, params] = this.dataSource.driver.escapeQueryWithParameters(
      `SELECT p.id, p.name, c.id AS cohort_id, c.name AS cohort_name, pr.name AS programme_name
         FROM partnerships p LEFT JOIN cohorts c ON c.id = p.cohort_id LEFT JOIN programmes pr ON pr.id = c.programme_id
        WHERE ${this.access.where('p.id', this.access.partnershipIds(principal))}
        ORDER BY p.name, p.id LIMIT 1000`,
      this.access.params(principal),
    );
    const rows: Array<{ id: string; name: string; cohort_id: string | null; cohort_name: string | null; programme_name: string | null }> = await this.dataSource.query(sql, params);
    const cohorts = new Map<string, { id: string; name: string; programmeName: string }>();
    for (const r of rows) if (r.cohort_id) cohorts.set(r.cohort_id, { id: r.cohort_id, name: r.cohort_name!, programmeName: r.programme_name ?? '' });
    return {
      partnerships: rows.map((r) => ({ id: r.id, name: r.name, cohortName: r.cohort_name })),
      cohorts: [...cohorts.values()].sort((a, b) => a.name.localeCompare(b.name)),
    };
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

/** "ts43ey" is how people type a postcode; the register writes "TS4 3EY". */
function postcodeAsWritten(text: string): string {
  const compact = text.replace(/\s+/g, '').toUpperCase();
  return /^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$/.test(compact) ? `${compact.slice(0, -3)} ${compact.slice(-3)}` : text;
}
