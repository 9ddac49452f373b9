import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import {
  AlreadyMember,
  EventTypes,
  Membership,
  NotFound,
  Partnership,
  School,
  UnitOfWork,
  type MembershipRole,
  type SchoolJoinedPartnershipPayload,
} from '#domain';
import type { Page } from '../common/pagination.js';
import { isUniqueViolation } from '../schools/schools.service.js';

@Injectable()
export class PartnershipsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async create(name: string, area: string | null): Promise<Partnership> {
    return this.unitOfWork.run(async (tx) => {
      const partnership = tx.manager.create(Partnership, { id: randomUUID(), name, area, createdAt: tx.now, updatedAt: tx.now });
      await tx.manager.insert(Partnership, partnership);
      tx.record({ type: EventTypes.PartnershipCreated, aggregateType: 'partnership', aggregateId: partnership.id, payload: { partnershipId: partnership.id } });
      return partnership;
    });
  }

  async get(id: string): Promise<Partnership> {
    const partnership = await this.dataSource.manager.findOneBy(Partnership, { id });
    if (!partnership) throw new NotFound('Partnership', id);
    return partnership;
  }

  async list(page: number, pageSize: number): Promise<Page<Partnership>> {
    const [items, total] = await this.dataSource.manager.findAndCount(Partnership, {
      order: { name: 'ASC', id: 'ASC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { items, page, pageSize, total };
  }

  /**
   * The school joins, and `school.joined_partnership` is recorded in the same transaction.
   * The partial unique index on current memberships settles two simultaneous joins.
   */
  async join(partnershipId: string, schoolId: string, role: MembershipRole): Promise<Membership> {
    let names = { school: 'The school', partnership: 'this partnership' };
    try {
      return await this.unitOfWork.run(async (tx) => {
        const partnership = await tx.manager.findOneBy(Partnership, { id: partnershipId });
        if (!partnership) throw new NotFound('Partnership', partnershipId);
        const school = await tx.manager.findOneBy(School, { id: schoolId });
        if (!school) throw new NotFound('School', schoolId);
        names = { school: school.name, partnership: partnership.name };
        const current = await tx.manager.findOneBy(Membership, { partnershipId, schoolId, leftAt: IsNull() });
        if (current) throw new AlreadyMember(school.name, partnership.name);
        const membership = tx.manager.create(Membership, { id: randomUUID(), partnershipId, schoolId, role, joinedAt: tx.now, leftAt: null });
        await tx.manager.insert(Membership, membership);
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
      throw error;
    }
  }

  async members(partnershipId: string): Promise<Membership[]> {
    await this.get(partnershipId);
    return this.dataSource.manager.find(Membership, { where: { partnershipId }, order: { joinedAt: 'ASC' } });
  }
}
