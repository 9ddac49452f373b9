import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Conflict, consentStatesOf, currentRequestId, EventTypes, InvalidInput, NotFound, Person, PURPOSE_RULES, recordConsent, UnitOfWork, type ConsentState, type Principal } from '#domain';
import { Access } from '../auth/access.js';
import { BY_NAME, countUpTo, keysetPage, keysetRead, type KeysetPage } from '../common/pagination.js';
import { isUniqueViolation } from '../schools/schools.service.js';
import type { CreatePersonDto, ListPeopleQuery, UpdatePersonDto } from './dto/person.dto.js';

/** Who recorded a consent through the API: an admin token is a system; anyone else acts for the person. */
export function consentSource(principal: Principal): { how: 'api' | 'manager'; byTokenId: string | null; requestId: string | null } {
  return { how: principal.role === 'admin' ? 'api' : 'manager', byTokenId: principal.tokenId, requestId: currentRequestId() ?? null };
}

@Injectable()
export class PeopleService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly access: Access,
  ) {}

  async create(principal: Principal, input: CreatePersonDto): Promise<Person> {
    // A school's people are the school's current owners' to add; staff without a school
    // belong to the programme whose manager records them.
    if (input.schoolId) await this.access.mustChange(principal, 'school', input.schoolId, 'School');
    else if (principal.role !== 'admin' && principal.role !== 'programme_manager') {
      throw new InvalidInput('A person needs a school', [{ field: 'schoolId', message: 'is required' }]);
    }
    const programmeId = !input.schoolId && principal.role === 'programme_manager' && principal.scope?.kind === 'programme' ? principal.scope.id : null;
    try {
      return await this.unitOfWork.run(async (tx) => {
        if (input.schoolId && !(await tx.manager.query('SELECT 1 FROM schools WHERE id = $1', [input.schoolId])).length) throw new NotFound('School', input.schoolId);
        const person = tx.manager.create(Person, {
          id: randomUUID(),
          schoolId: input.schoolId ?? null,
          programmeId,
          name: input.name.trim(),
          email: input.email?.toLowerCase() ?? null,
          role: input.role,
          slt: input.slt ?? null,
          phase: input.phase ?? null,
          subjectSpecialism: input.subjectSpecialism ?? null,
          careerStage: input.careerStage ?? null,
          specialist: input.specialist ?? null,
          gender: input.gender ?? null,
          consentToContact: input.consentToContact ?? PURPOSE_RULES.surveys.withoutEntry,
          createdAt: tx.now,
          updatedAt: tx.now,
        });
        await tx.manager.insert(Person, person);
        // consentToContact is the surveys purpose (false: they objected), recorded in the consent log when sent; left out, nothing is recorded and the purpose's default applies.
        if (input.consentToContact !== undefined) await recordConsent(tx.manager, { personId: person.id, purpose: 'surveys', granted: input.consentToContact, ...consentSource(principal) }, tx.now);
        tx.record({ type: EventTypes.PersonCreated, aggregateType: 'person', aggregateId: person.id, payload: { personId: person.id, schoolId: person.schoolId } });
        return person;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'people_email')) throw takenEmail();
      throw error;
    }
  }

  async update(principal: Principal, id: string, input: UpdatePersonDto): Promise<Person> {
    await this.access.mustChangePerson(principal, await this.get(principal, id));
    if (input.schoolId) await this.access.mustChange(principal, 'school', input.schoolId, 'School');
    try {
      return await this.unitOfWork.run(async (tx) => {
        const person = await tx.manager.findOneOrFail(Person, { where: { id }, lock: { mode: 'pessimistic_write' } });
        const [{ erased }]: Array<{ erased: boolean }> = await tx.manager.query(`SELECT erased_at IS NOT NULL AS erased FROM people WHERE id = $1`, [id]);
        if (erased) throw new Conflict('This person was erased: their record can no longer be changed');
        const changed = (Object.keys(input) as Array<keyof UpdatePersonDto>).filter((key) => input[key] !== undefined && (person as unknown as Record<string, unknown>)[key] !== input[key]);
        // A yes sent for someone with nothing recorded changes no column, but it is their answer now: it goes in the log.
        if (input.consentToContact !== undefined && !changed.includes('consentToContact')) {
          const recorded: unknown[] = await tx.manager.query(`SELECT 1 FROM consent_log WHERE person_id = $1 AND purpose = 'surveys' LIMIT 1`, [id]);
          if (recorded.length === 0) changed.push('consentToContact');
        }
        if (changed.length === 0) return person;
        Object.assign(person, input, { email: input.email?.toLowerCase() ?? person.email, updatedAt: tx.now });
        await tx.manager.save(Person, person);
        if (changed.includes('consentToContact')) await recordConsent(tx.manager, { personId: id, purpose: 'surveys', granted: person.consentToContact, ...consentSource(principal) }, tx.now);
        tx.record({ type: EventTypes.PersonUpdated, aggregateType: 'person', aggregateId: id, payload: { personId: id, changed } });
        return person;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'people_email')) throw takenEmail();
      throw error;
    }
  }

  async get(principal: Principal, id: string): Promise<Person> {
    const person = await this.dataSource.manager.findOneBy(Person, { id });
    if (!person || !(await this.visible(principal, person))) throw new NotFound('Person', id);
    return person;
  }

  /**
   * People at the schools the caller reads, and staff without a school whom they read (as
   * `canSeePerson` decides: the leads of their partnerships, and for a manager the staff
   * their programme recorded); found by name or email, at a school, or in a partnership
   * (its schools' people now, and its lead). By name, then id: a cursor's page starts at its
   * place in the (name, id) index, so a deep page is as quick as the first, and the count
   * stops at ten thousand.
   */
  async list(principal: Principal, query: ListPeopleQuery): Promise<KeysetPage<Person>> {
    const kind = this.access.scopeKind(principal);
    const leads = this.access.partnershipIds(principal);
    const staff =
      kind === 'admin'
        ? 'p.school_id IS NULL'
        : `p.school_id IS NULL AND (${kind === 'programme' ? 'p.programme_id = :scopeId OR ' : ''}p.id IN (SELECT x.educational_lead_id FROM partnerships x WHERE x.id IN (${leads})))`;
    const qb = this.dataSource.manager.createQueryBuilder(Person, 'p').where(`(${this.access.where('p.school_id', this.access.schoolIds(principal))} OR (${staff}))`, this.access.params(principal));
    if (query.schoolId) qb.andWhere('p.school_id = :schoolId', { schoolId: query.schoolId });
    if (query.partnershipId) {
      qb.andWhere(
        `(p.school_id IN (SELECT m.school_id FROM partnership_members m WHERE m.partnership_id = :partnershipId AND m.left_at IS NULL) OR p.id IN (SELECT x.educational_lead_id FROM partnerships x WHERE x.id = :partnershipId))`,
        { partnershipId: query.partnershipId },
      );
    }
    if (query.q?.trim()) qb.andWhere('(p.name ILIKE :like OR p.email ILIKE :like)', { like: `%${query.q.trim().replace(/[%_\\]/g, '\\$&')}%` });
    const read = keysetRead(query, BY_NAME);
    const [counting, countParams] = qb.clone().select('1').getQueryAndParameters();
    const [{ total }]: Array<{ total: number }> = await this.dataSource.query(countUpTo(counting), countParams);
    const items = await qb
      .andWhere(read.condition('p.name', 'p.id', ':keysetName', ':keysetId'), read.key ? { keysetName: read.key.value, keysetId: read.key.id } : {})
      .orderBy(read.orderBy('p.name', 'p.id'))
      .limit(read.limit)
      .offset(read.offset)
      .getMany();
    return keysetPage(
      query,
      read,
      items.map((p) => ({ item: p, key: { value: p.name, id: p.id } })),
      total,
    );
  }

  /** The schools whose people the caller may add and change, by name: where a new person may work. */
  async schoolsToStaff(principal: Principal): Promise<Array<{ id: string; name: string; urn: number }>> {
    const rows: Array<{ id: string; name: string; urn: number }> = await this.dataSource.manager
      .createQueryBuilder()
      .select(['s.id AS id', 's.name AS name', 's.urn AS urn'])
      .from('schools', 's')
      .where(this.access.where('s.id', this.access.schoolIdsToChange(principal)), this.access.params(principal))
      .orderBy('s.name')
      .addOrderBy('s.id')
      .limit(1000)
      .getRawMany();
    return rows.map((r) => ({ ...r, urn: Number(r.urn) }));
  }

  /** Each person's standing per purpose (PURPOSE_RULES), for the answers about them. */
  consentsOf(people: Person[]): Promise<Map<string, ConsentState[]>> {
    return consentStatesOf(
      this.dataSource.manager,
      people.map((p) => p.id),
    );
  }

  private visible(principal: Principal, person: Person): Promise<boolean> {
    return this.access.canSeePerson(principal, person);
  }
}

/**
 * An address already used by someone on the platform. One answer for everyone, naming no
 * one: the address must stay unique (it is how a person is reached and signs in), but who
 * holds it, and in which programme, is not for a caller who cannot see them.
 */
export class EmailTaken extends Conflict {
  constructor() {
    super('This email address is already used by someone on the platform; if they are one of your people, find them in GET /api/v1/people, otherwise ask an admin.', [
      { field: 'email', message: 'is already used by someone on the platform' },
    ]);
  }
}

function takenEmail(): Conflict {
  return new EmailTaken();
}
