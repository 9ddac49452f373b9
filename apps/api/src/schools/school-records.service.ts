import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { checkSchoolStatusChange, Conflict, EventTypes, Forbidden, REGISTER_FIELDS, OfstedInspection, School, SchoolContact, SchoolStatusChange, UnitOfWork, type Principal } from '#domain';
import type { ChangeSchoolStatusDto, HandOverContactDto, RecordOfstedDto, UpdateSchoolIndicatorsDto } from './dto/school-records.dto.js';
import { SchoolsService, isUniqueViolation } from './schools.service.js';

/** A school's history: status changes with reasons, who its contacts were when, Ofsted ratings. */
@Injectable()
export class SchoolRecordsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly schools: SchoolsService,
  ) {}

  async changeStatus(principal: Principal, schoolId: string, input: ChangeSchoolStatusDto): Promise<School> {
    await this.schools.mustChange(principal, schoolId);
    return this.unitOfWork.run(async (tx) => {
      const school = await tx.manager.findOneOrFail(School, { where: { id: schoolId }, lock: { mode: 'pessimistic_write' } });
      if (school.status === input.status) return school;
      checkSchoolStatusChange(school.status, input.status);
      await tx.manager.insert(SchoolStatusChange, { id: randomUUID(), schoolId, fromStatus: school.status, toStatus: input.status, reason: input.reason.trim(), changedAt: tx.now });
      tx.record({ type: EventTypes.SchoolStatusChanged, aggregateType: 'school', aggregateId: schoolId, payload: { schoolId, from: school.status, to: input.status, reason: input.reason } });
      school.status = input.status;
      school.updatedAt = tx.now;
      await tx.manager.update(School, { id: schoolId }, { status: input.status, updatedAt: tx.now });
      return school;
    });
  }

  async statusHistory(principal: Principal, schoolId: string): Promise<SchoolStatusChange[]> {
    await this.schools.get(principal, schoolId);
    return this.dataSource.manager.find(SchoolStatusChange, { where: { schoolId }, order: { changedAt: 'ASC' } });
  }

  /** A new holder of a role ends the previous one's time: the history says who was the STEM lead when. */
  async handOver(principal: Principal, schoolId: string, input: HandOverContactDto): Promise<SchoolContact> {
    await this.schools.mustChange(principal, schoolId);
    try {
      return await this.unitOfWork.run(async (tx) => {
        await tx.manager.findOne(School, { where: { id: schoolId }, lock: { mode: 'pessimistic_write' } });
        await tx.manager.update(SchoolContact, { schoolId, role: input.role, untilAt: IsNull() }, { untilAt: tx.now });
        const contact = tx.manager.create(SchoolContact, {
          id: randomUUID(),
          schoolId,
          role: input.role,
          name: input.name.trim(),
          email: input.email?.toLowerCase() ?? null,
          fromAt: tx.now,
          untilAt: null,
        });
        await tx.manager.insert(SchoolContact, contact);
        // The STEM lead is who the platform writes to.
        if (input.role === 'stem_lead') await tx.manager.update(School, { id: schoolId }, { contactName: contact.name, contactEmail: contact.email, updatedAt: tx.now });
        tx.record({ type: EventTypes.SchoolContactChanged, aggregateType: 'school', aggregateId: schoolId, payload: { schoolId, role: input.role, contactId: contact.id } });
        return contact;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'school_contacts_current')) throw new Conflict('Another handover for this role happened at the same moment; try again');
      throw error;
    }
  }

  async contacts(principal: Principal, schoolId: string): Promise<SchoolContact[]> {
    await this.schools.get(principal, schoolId);
    return this.dataSource.manager.find(SchoolContact, { where: { schoolId }, order: { role: 'ASC', fromAt: 'ASC' } });
  }

  async recordOfsted(principal: Principal, schoolId: string, input: RecordOfstedDto): Promise<OfstedInspection> {
    await this.schools.mustChange(principal, schoolId);
    try {
      return await this.unitOfWork.run(async (tx) => {
        const inspection = tx.manager.create(OfstedInspection, { id: randomUUID(), schoolId, inspectedOn: input.inspectedOn, rating: input.rating, recordedAt: tx.now });
        await tx.manager.insert(OfstedInspection, inspection);
        tx.record({ type: EventTypes.OfstedInspectionRecorded, aggregateType: 'school', aggregateId: schoolId, payload: { schoolId, inspectedOn: input.inspectedOn, rating: input.rating } });
        return inspection;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new Conflict(`An inspection on ${input.inspectedOn} is already recorded for this school`);
      throw error;
    }
  }

  async ofsted(principal: Principal, schoolId: string): Promise<OfstedInspection[]> {
    await this.schools.get(principal, schoolId);
    return this.dataSource.manager.find(OfstedInspection, { where: { schoolId }, order: { inspectedOn: 'ASC' } });
  }

  async updateIndicators(principal: Principal, schoolId: string, input: UpdateSchoolIndicatorsDto): Promise<School> {
    await this.schools.mustChange(principal, schoolId);
    return this.unitOfWork.run(async (tx) => {
      const school = await tx.manager.findOneOrFail(School, { where: { id: schoolId }, lock: { mode: 'pessimistic_write' } });
      const changed = (Object.keys(input) as Array<keyof UpdateSchoolIndicatorsDto>).filter((k) => input[k] !== undefined && school[k] !== input[k]);
      const register = changed.filter((k) => REGISTER_FIELDS.has(k));
      if (principal.role !== 'admin' && register.length > 0) {
        throw new Forbidden(
          `A school's ${register.join(' and ')} come${register.length === 1 ? 's' : ''} from the national register: only an admin (the register's import) changes ${register.length === 1 ? 'it' : 'them'}.`,
          register.map((field) => ({ field, message: 'is a register field' })),
        );
      }
      if (changed.length === 0) return school;
      Object.assign(school, input, { updatedAt: tx.now });
      await tx.manager.update(School, { id: schoolId }, { ...input, updatedAt: tx.now });
      tx.record({ type: EventTypes.SchoolUpdated, aggregateType: 'school', aggregateId: schoolId, payload: { schoolId, changed } });
      return school;
    });
  }
}
