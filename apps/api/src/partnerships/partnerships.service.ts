import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import {
  AlreadyMember,
  BudgetEntry,
  cancelPlannedActions,
  planMembershipRules,
  Cohort,
  Conflict,
  EventTypes,
  InvalidInput,
  Membership,
  NotFound,
  Partnership,
  Person,
  readBudget,
  recordBudgetLine,
  School,
  SchoolStatusChange,
  statusOnJoining,
  UnitOfWork,
  type MembershipRole,
  type Principal,
  type SchoolJoinedPartnershipPayload,
  type Transaction,
} from '#domain';
import { Access } from '../auth/access.js';
import type { Page } from '../common/pagination.js';
import { isUniqueViolation } from '../schools/schools.service.js';
import type { CreatePartnershipDto, ListPartnershipsQuery, UpdatePartnershipDto } from './dto/partnership.dto.js';

export interface PartnershipDescription {
  cohortName: string | null;
  programmeId: string | null;
  programmeName: string | null;
  leadName: string | null;
  /** Schools in it now. */
  schools: number;
}

@Injectable()
export class PartnershipsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly access: Access,
  ) {}

  async create(principal: Principal, input: CreatePartnershipDto): Promise<Partnership> {
    if (input.cohortId) {
      const cohort = await this.dataSource.manager.findOneBy(Cohort, { id: input.cohortId });
      if (!cohort || !(await this.access.canSee(principal, 'programme', cohort.programmeId))) throw new NotFound('Cohort', input.cohortId);
      await this.access.mustChange(principal, 'programme', cohort.programmeId, 'Cohort');
    } else if (principal.role !== 'admin') {
      throw new InvalidInput('A programme manager creates partnerships in a cohort of their programme', [{ field: 'cohortId', message: 'is required' }]);
    }
    return this.unitOfWork.run(async (tx) => {
      if (input.educationalLeadId) await this.checkLead(tx, principal, input.educationalLeadId);
      const partnership = tx.manager.create(Partnership, {
        id: randomUUID(),
        name: input.name.trim(),
        area: input.area?.trim() ?? null,
        cohortId: input.cohortId ?? null,
        educationalLeadId: input.educationalLeadId ?? null,
        budgetPence: (input.budgetPounds ?? 0) * 100,
        createdAt: tx.now,
        updatedAt: tx.now,
      });
      await tx.manager.insert(Partnership, partnership);
      tx.record({ type: EventTypes.PartnershipCreated, aggregateType: 'partnership', aggregateId: partnership.id, payload: { partnershipId: partnership.id, cohortId: partnership.cohortId } });
      return partnership;
    });
  }

  async update(principal: Principal, id: string, input: UpdatePartnershipDto): Promise<Partnership> {
    await this.mustChange(principal, id);
    return this.unitOfWork.run(async (tx) => {
      const partnership = await tx.manager.findOneOrFail(Partnership, { where: { id }, lock: { mode: 'pessimistic_write' } });
      const changed: string[] = [];
      if (input.name !== undefined && input.name.trim() !== partnership.name) {
        partnership.name = input.name.trim();
        changed.push('name');
      }
      if (input.area !== undefined && input.area.trim() !== partnership.area) {
        partnership.area = input.area.trim();
        changed.push('area');
      }
      if (input.educationalLeadId !== undefined && input.educationalLeadId !== partnership.educationalLeadId) {
        if (input.educationalLeadId) await this.checkLead(tx, principal, input.educationalLeadId);
        partnership.educationalLeadId = input.educationalLeadId;
        changed.push('educationalLeadId');
      }
      if (input.budgetPounds !== undefined && input.budgetPounds * 100 !== partnership.budgetPence) {
        const position = await readBudget(tx.manager, id, true);
        const floor = position.committedPence + position.spentPence - position.overridesPence;
        if (input.budgetPounds * 100 < floor) {
          throw new Conflict(`The budget cannot go below what is already committed and spent (£${(floor / 100).toFixed(2)})`);
        }
        partnership.budgetPence = input.budgetPounds * 100;
        changed.push('budgetPence');
      }
      if (changed.length === 0) return partnership;
      partnership.updatedAt = tx.now;
      await tx.manager.save(Partnership, partnership);
      tx.record({ type: EventTypes.PartnershipUpdated, aggregateType: 'partnership', aggregateId: id, payload: { partnershipId: id, changed } });
      return partnership;
    });
  }

  async get(principal: Principal, id: string): Promise<Partnership> {
    const partnership = await this.dataSource.manager.findOneBy(Partnership, { id });
    if (!partnership || !(await this.access.canSee(principal, 'partnership', id))) throw new NotFound('Partnership', id);
    return partnership;
  }

  async list(principal: Principal, query: ListPartnershipsQuery): Promise<Page<Partnership>> {
    const qb = this.dataSource.manager
      .createQueryBuilder(Partnership, 'p')
      .where(this.access.where('p.id', this.access.partnershipIds(principal)), this.access.params(principal))
      .orderBy('p.name')
      .addOrderBy('p.id');
    if (query.cohortId) qb.andWhere('p.cohort_id = :cohortId', { cohortId: query.cohortId });
    const [items, total] = await qb
      .skip((query.page - 1) * query.pageSize)
      .take(query.pageSize)
      .getManyAndCount();
    return { items, page: query.page, pageSize: query.pageSize, total };
  }

  /**
   * The school joins, and `school.joined_partnership` is recorded in the same transaction.
   * Partial unique indexes settle two simultaneous joins: once per partnership, and one
   * partnership per cohort.
   */
  async join(principal: Principal, partnershipId: string, schoolId: string, role: MembershipRole): Promise<Membership> {
    await this.mustChange(principal, partnershipId);
    let names = { school: 'The school', partnership: 'this partnership' };
    try {
      return await this.unitOfWork.run(async (tx) => {
        const partnership = await tx.manager.findOneByOrFail(Partnership, { id: partnershipId });
        const school = await tx.manager.findOne(School, { where: { id: schoolId }, lock: { mode: 'pessimistic_write' } });
        // Recruiting: a register school, or one of the caller's own schools; another
        // programme's school answers like an absent one.
        if (!school || !(await this.access.canSee(principal, 'school', schoolId, tx.manager))) throw new NotFound('School', schoolId);
        names = { school: school.name, partnership: partnership.name };
        const current = await tx.manager.findOneBy(Membership, { partnershipId, schoolId, leftAt: IsNull() });
        if (current) throw new AlreadyMember(school.name, partnership.name);
        if (partnership.cohortId) await this.checkOnePerCohort(tx, partnership.cohortId, schoolId, school.name);
        const membership = tx.manager.create(Membership, {
          id: randomUUID(),
          partnershipId,
          schoolId,
          cohortId: partnership.cohortId,
          role,
          joinedAt: tx.now,
          leftAt: null,
        });
        await tx.manager.insert(Membership, membership);
        const next = statusOnJoining(school.status);
        if (next) await this.changeStatus(tx, school, next, `joined ${partnership.name}`);
        await planMembershipRules(tx, membership.id);
        tx.record({
          type: EventTypes.SchoolJoinedPartnership,
          aggregateType: 'partnership',
          aggregateId: partnershipId,
          payload: { membershipId: membership.id, partnershipId, schoolId, joinedAt: tx.now.toISOString() } satisfies SchoolJoinedPartnershipPayload,
        });
        return membership;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'partnership_members_current')) throw new AlreadyMember(names.school, names.partnership);
      if (isUniqueViolation(error, 'partnership_members_one_per_cohort')) throw new Conflict(`${names.school} is already in another partnership of this cohort`);
      throw error;
    }
  }

  async leave(principal: Principal, partnershipId: string, schoolId: string): Promise<Membership> {
    await this.mustChange(principal, partnershipId);
    return this.unitOfWork.run(async (tx) => {
      const membership = await tx.manager.findOne(Membership, { where: { partnershipId, schoolId, leftAt: IsNull() }, lock: { mode: 'pessimistic_write' } });
      if (!membership) throw new NotFound('Current membership of school', schoolId);
      membership.leftAt = tx.now;
      await tx.manager.save(Membership, membership);
      await cancelPlannedActions(tx.manager, 'membership', membership.id, 'the school left the partnership', tx.now);
      if (membership.cohortId) {
        await tx.manager.query(
          `UPDATE scheduled_actions SET status = 'cancelled', reason = 'the school left the partnership', updated_at = $3
            WHERE subject_type = 'school' AND subject_id = $1 AND cohort_id = $2 AND status = 'planned'`,
          [schoolId, membership.cohortId, tx.now],
        );
      }
      tx.record({ type: EventTypes.SchoolLeftPartnership, aggregateType: 'partnership', aggregateId: partnershipId, payload: { membershipId: membership.id, partnershipId, schoolId } });
      return membership;
    });
  }

  /**
   * The partnership's memberships, past ones included: its staff keep its history (a school
   * that left is still listed, with when it left). A school contact sees their own school's.
   */
  async members(principal: Principal, partnershipId: string): Promise<Membership[]> {
    await this.get(principal, partnershipId);
    const staff = await this.access.canChange(principal, 'partnership', partnershipId);
    return this.dataSource.manager
      .createQueryBuilder(Membership, 'm')
      .where('m.partnership_id = :partnershipId', { partnershipId })
      .andWhere(staff ? 'TRUE' : this.access.where('m.school_id', this.access.schoolIds(principal)), this.access.params(principal))
      .orderBy('m.joined_at')
      .getMany();
  }

  /**
   * What a page shows beside partnerships the caller may already read: their cohort and
   * programme, their lead's name and how many schools are in them now.
   */
  async describe(partnerships: Partnership[]): Promise<Map<string, PartnershipDescription>> {
    if (partnerships.length === 0) return new Map();
    const rows: Array<{ id: string; cohort_name: string | null; programme_id: string | null; programme_name: string | null; lead_name: string | null; schools: number }> = await this.dataSource.query(
      `SELECT p.id, c.name AS cohort_name, c.programme_id, g.name AS programme_name, l.name AS lead_name,
              (SELECT count(*) FROM partnership_members m WHERE m.partnership_id = p.id AND m.left_at IS NULL)::int AS schools
         FROM partnerships p LEFT JOIN cohorts c ON c.id = p.cohort_id LEFT JOIN programmes g ON g.id = c.programme_id LEFT JOIN people l ON l.id = p.educational_lead_id
        WHERE p.id = ANY($1::uuid[])`,
      [partnerships.map((p) => p.id)],
    );
    return new Map(rows.map((r) => [r.id, { cohortName: r.cohort_name, programmeId: r.programme_id, programmeName: r.programme_name, leadName: r.lead_name, schools: r.schools }]));
  }

  /** The partnership's memberships (as `members` answers them) with each school's name and URN. */
  async memberSchools(principal: Principal, partnershipId: string): Promise<Array<Membership & { schoolName: string; urn: number }>> {
    const memberships = await this.members(principal, partnershipId);
    if (memberships.length === 0) return [];
    const schools: Array<{ id: string; name: string; urn: number }> = await this.dataSource.query(`SELECT id, name, urn FROM schools WHERE id = ANY($1::uuid[])`, [memberships.map((m) => m.schoolId)]);
    const byId = new Map(schools.map((s) => [s.id, s]));
    return memberships.map((m) => Object.assign(m, { schoolName: byId.get(m.schoolId)?.name ?? '', urn: Number(byId.get(m.schoolId)?.urn) }));
  }

  /**
   * The educational leads the caller may name as a partnership's lead: staff with the
   * educational_lead role whose record the caller may change (as `create` checks).
   */
  async leadsToName(principal: Principal): Promise<Person[]> {
    const programmes = this.access.programmeIds(principal);
    const partnerships = this.access.partnershipIds(principal);
    const candidates = await this.dataSource.manager
      .createQueryBuilder(Person, 'l')
      .where(`l.role = 'educational_lead'`)
      .andWhere(
        programmes === null ? 'TRUE' : `(l.programme_id IN (${programmes}) OR l.id IN (SELECT x.educational_lead_id FROM partnerships x WHERE x.id IN (${partnerships})))`,
        this.access.params(principal),
      )
      .orderBy('l.name')
      .addOrderBy('l.id')
      .take(500)
      .getMany();
    const allowed = await Promise.all(candidates.map((lead) => this.access.canChangePerson(principal, lead)));
    return candidates.filter((_, i) => allowed[i]);
  }

  /** The budget position and its ledger, by school and channel. */
  async budget(principal: Principal, partnershipId: string) {
    await this.get(principal, partnershipId);
    const position = await readBudget(this.dataSource.manager, partnershipId);
    const entries = await this.dataSource.manager.find(BudgetEntry, { where: { partnershipId }, order: { recordedAt: 'ASC' } });
    return {
      partnershipId,
      ...position,
      definition: 'available = allocated + overrides - committed (confirmed places not yet attended) - spent (places attended); pence.',
      entries: entries.map((e) => ({
        id: e.id,
        kind: e.kind,
        amountPence: e.amountPence,
        bookingId: e.bookingId,
        schoolId: e.schoolId,
        channel: e.channel,
        reason: e.reason,
        recordedAt: e.recordedAt.toISOString(),
      })),
    };
  }

  async recordOverride(principal: Principal, partnershipId: string, amountPence: number, reason: string) {
    await this.mustChange(principal, partnershipId);
    await this.unitOfWork.run(async (tx) => {
      await readBudget(tx.manager, partnershipId, true);
      await recordBudgetLine(tx.manager, { partnershipId, kind: 'override', amountPence, reason, channel: `override by ${principal.role}` }, tx.now);
      tx.record({ type: EventTypes.BudgetOverrideRecorded, aggregateType: 'partnership', aggregateId: partnershipId, payload: { partnershipId, amountPence, reason } });
    });
    return this.budget(principal, partnershipId);
  }

  /**
   * The lead must be someone this token may see (naming anyone else answers like naming no
   * one) and change: a programme does not take another programme's staff as its lead.
   */
  private async checkLead(tx: Transaction, principal: Principal, personId: string): Promise<void> {
    const lead = await tx.manager.findOneBy(Person, { id: personId });
    if (!lead) throw new NotFound('Person', personId);
    await this.access.mustChangePerson(principal, lead);
    if (lead.role !== 'educational_lead') throw new InvalidInput(`${lead.name} does not have the educational_lead role`, [{ field: 'educationalLeadId', message: 'must be an educational lead' }]);
  }

  private async mustChange(principal: Principal, id: string): Promise<void> {
    const exists = await this.dataSource.manager.existsBy(Partnership, { id });
    if (!exists) throw new NotFound('Partnership', id);
    await this.access.mustChange(principal, 'partnership', id, 'Partnership');
  }

  private async checkOnePerCohort(tx: Transaction, cohortId: string, schoolId: string, schoolName: string): Promise<void> {
    const [other]: Array<{ name: string }> = await tx.manager.query(
      `SELECT p.name FROM partnership_members m JOIN partnerships p ON p.id = m.partnership_id WHERE m.cohort_id = $1 AND m.school_id = $2 AND m.left_at IS NULL`,
      [cohortId, schoolId],
    );
    if (other) throw new Conflict(`${schoolName} is already in ${other.name}, a partnership of the same cohort`);
  }

  private async changeStatus(tx: Transaction, school: School, to: School['status'], reason: string): Promise<void> {
    await tx.manager.insert(SchoolStatusChange, { id: randomUUID(), schoolId: school.id, fromStatus: school.status, toStatus: to, reason, changedAt: tx.now });
    await tx.manager.update(School, { id: school.id }, { status: to, updatedAt: tx.now });
    tx.record({ type: EventTypes.SchoolStatusChanged, aggregateType: 'school', aggregateId: school.id, payload: { schoolId: school.id, from: school.status, to, reason } });
  }
}
