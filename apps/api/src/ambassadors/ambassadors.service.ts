import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  Ambassador,
  cancelPlannedActions,
  checkValidOn,
  Conflict,
  EventTypes,
  InvalidInput,
  locatePostcode,
  londonDate,
  NotFound,
  parsePostcode,
  planAction,
  ScheduledActionKinds,
  UnitOfWork,
  type PostcodePrecision,
  type Principal,
  type Transaction,
} from '#domain';
import { Access } from '../auth/access.js';
import type { Page } from '../common/pagination.js';
import { isUniqueViolation } from '../schools/schools.service.js';
import type { CreateAmbassadorDto, ListAmbassadorsQuery, UpdateAmbassadorDto } from './ambassadors.dto.js';

/** Renewal reminders go this many days before a check expires. */
export const RENEWAL_REMINDER_DAYS = [60, 30, 7] as const;
const DAY = 86_400_000;

/** Only admins and programme managers see a safeguarding check; the ambassador sees their own. */
export function canSeeCheck(principal: Principal, ambassadorId: string): boolean {
  return principal.role === 'admin' || principal.role === 'programme_manager' || (principal.scope?.kind === 'ambassador' && principal.scope.id === ambassadorId);
}

export function ambassadorResponse(a: Ambassador, principal: Principal, now: Date) {
  return {
    id: a.id,
    name: a.name,
    email: a.email,
    employer: a.employer,
    sector: a.sector,
    disciplines: a.disciplines,
    skills: a.skills,
    keyStages: a.keyStages,
    postcode: a.postcode,
    latitude: a.latitude,
    longitude: a.longitude,
    locationPrecision: a.locationPrecision,
    travelRadiusKm: a.travelRadiusKm,
    availability: a.availability,
    offersVirtual: a.offersVirtual,
    status: a.status,
    checkValid: checkValidOn(a.checkExpiresOn, londonDate(now)),
    ...(canSeeCheck(principal, a.id) ? { check: a.checkType ? { type: a.checkType, number: a.checkNumber, checkedOn: a.checkCheckedOn, expiresOn: a.checkExpiresOn } : null } : {}),
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

/** STEM Ambassadors' profiles and safeguarding checks. */
@Injectable()
export class AmbassadorsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly access: Access,
  ) {}

  async create(input: CreateAmbassadorDto): Promise<Ambassador> {
    validate(input);
    try {
      return await this.unitOfWork.run(async (tx) => {
        const position = await placed(tx, input);
        const ambassador = tx.manager.create(Ambassador, {
          id: randomUUID(),
          name: input.name.trim(),
          email: input.email.toLowerCase(),
          employer: input.employer?.trim() ?? null,
          sector: input.sector?.trim() ?? null,
          disciplines: input.disciplines ?? [],
          skills: input.skills ?? [],
          keyStages: [...input.keyStages].sort(),
          postcode: postcodeAsWritten(input.postcode),
          ...position,
          travelRadiusKm: input.travelRadiusKm,
          availability: { weekdays: [...input.availability.weekdays].sort(), unavailable: input.availability.unavailable ?? [] },
          offersVirtual: input.offersVirtual ?? false,
          status: input.status ?? 'active',
          checkType: input.check?.type ?? null,
          checkNumber: input.check?.number ?? null,
          checkCheckedOn: input.check?.checkedOn ?? null,
          checkExpiresOn: input.check?.expiresOn ?? null,
          createdAt: tx.now,
          updatedAt: tx.now,
        });
        await tx.manager.insert(Ambassador, ambassador);
        tx.record({ type: EventTypes.AmbassadorCreated, aggregateType: 'ambassador', aggregateId: ambassador.id, payload: { ambassadorId: ambassador.id } });
        if (input.check) await this.checkRecorded(tx, ambassador);
        return ambassador;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new Conflict(`An ambassador with the email ${input.email.toLowerCase()} already exists`);
      throw error;
    }
  }

  async update(principal: Principal, id: string, input: UpdateAmbassadorDto): Promise<Ambassador> {
    this.access.ambassadorChange(principal, id, [], 'change');
    validate(input);
    try {
      return await this.unitOfWork.run(async (tx) => {
        const a = await tx.manager.findOne(Ambassador, { where: { id }, lock: { mode: 'pessimistic_write' } });
        if (!a) throw new NotFound('Ambassador', id);
        this.access.ambassadorChange(principal, id, changedAmbassadorFields(a, input), 'change');
        const before = JSON.stringify([a.checkType, a.checkNumber, a.checkCheckedOn, a.checkExpiresOn]);
        if (input.name !== undefined) a.name = input.name.trim();
        if (input.email !== undefined) a.email = input.email.toLowerCase();
        if (input.employer !== undefined) a.employer = input.employer.trim();
        if (input.sector !== undefined) a.sector = input.sector.trim();
        if (input.disciplines !== undefined) a.disciplines = input.disciplines;
        if (input.skills !== undefined) a.skills = input.skills;
        if (input.keyStages !== undefined) a.keyStages = [...input.keyStages].sort();
        const fields = Object.keys(input);
        // A new postcode with no position given moves the ambassador to it; a position given is theirs.
        if (input.postcode !== undefined && input.latitude === undefined && input.longitude === undefined && postcodeAsWritten(input.postcode) !== postcodeAsWritten(a.postcode)) {
          Object.assign(a, await placed(tx, { postcode: input.postcode }));
          fields.push('latitude', 'longitude');
        }
        if (input.postcode !== undefined) a.postcode = postcodeAsWritten(input.postcode);
        if (input.latitude !== undefined) a.latitude = input.latitude;
        if (input.longitude !== undefined) a.longitude = input.longitude;
        if (input.latitude !== undefined || input.longitude !== undefined) a.locationPrecision = null;
        if (input.travelRadiusKm !== undefined) a.travelRadiusKm = input.travelRadiusKm;
        if (input.availability !== undefined) a.availability = { weekdays: [...input.availability.weekdays].sort(), unavailable: input.availability.unavailable ?? [] };
        if (input.offersVirtual !== undefined) a.offersVirtual = input.offersVirtual;
        if (input.status !== undefined) a.status = input.status;
        if (input.check !== undefined) {
          a.checkType = input.check.type;
          a.checkNumber = input.check.number;
          a.checkCheckedOn = input.check.checkedOn;
          a.checkExpiresOn = input.check.expiresOn;
        }
        a.updatedAt = tx.now;
        await tx.manager.save(Ambassador, a);
        tx.record({ type: EventTypes.AmbassadorUpdated, aggregateType: 'ambassador', aggregateId: a.id, payload: { ambassadorId: a.id, fields } });
        if (JSON.stringify([a.checkType, a.checkNumber, a.checkCheckedOn, a.checkExpiresOn]) !== before) await this.checkRecorded(tx, a);
        if (input.status !== undefined && input.status !== 'active')
          await cancelPlannedActions(tx.manager, 'ambassador', a.id, `the ambassador is ${input.status}`, tx.now, [ScheduledActionKinds.AmbassadorCheckRenewal]);
        return a;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new Conflict(`An ambassador with the email ${input.email?.toLowerCase()} already exists`);
      throw error;
    }
  }

  async get(principal: Principal, id: string): Promise<Ambassador> {
    if (principal.role === 'ambassador' && principal.scope?.id !== id) throw new NotFound('Ambassador', id);
    const a = await this.dataSource.manager.findOneBy(Ambassador, { id });
    if (!a) throw new NotFound('Ambassador', id);
    return a;
  }

  async list(query: ListAmbassadorsQuery): Promise<Page<Ambassador>> {
    const qb = this.dataSource.manager.createQueryBuilder(Ambassador, 'a').orderBy('a.name').addOrderBy('a.id');
    if (query.status) qb.andWhere('a.status = :status', { status: query.status });
    if (query.q) {
      qb.andWhere(`(a.name ILIKE :like OR a.employer ILIKE :like OR EXISTS (SELECT 1 FROM unnest(a.skills) s WHERE s ILIKE :like))`, { like: `%${query.q.replace(/[%_\\]/g, '\\$&')}%` });
    }
    const [items, total] = await qb
      .skip((query.page - 1) * query.pageSize)
      .take(query.pageSize)
      .getManyAndCount();
    return { items, page: query.page, pageSize: query.pageSize, total };
  }

  /**
   * A check recorded or changed: the reminders planned for the old one are cancelled, and
   * the new one's planned (keyed by its expiry, so a renewal never revives a sent reminder).
   */
  private async checkRecorded(tx: Transaction, a: Ambassador): Promise<void> {
    tx.record({ type: EventTypes.AmbassadorCheckRecorded, aggregateType: 'ambassador', aggregateId: a.id, payload: { ambassadorId: a.id, expiresOn: a.checkExpiresOn } });
    await cancelPlannedActions(tx.manager, 'ambassador', a.id, 'the check was renewed or changed', tx.now, [ScheduledActionKinds.AmbassadorCheckRenewal]);
    if (!a.checkExpiresOn || a.status !== 'active') return;
    for (const days of RENEWAL_REMINDER_DAYS) {
      // 09:00 UK time, near enough: the morning of the day.
      const dueAt = new Date(new Date(`${a.checkExpiresOn}T09:00:00Z`).getTime() - days * DAY);
      if (dueAt <= tx.now) continue;
      await planAction(
        tx.manager,
        {
          kind: ScheduledActionKinds.AmbassadorCheckRenewal,
          key: `check-renewal:${a.id}:${a.checkExpiresOn}:${days}`,
          subjectType: 'ambassador',
          subjectId: a.id,
          dueAt,
          payload: { expiresOn: a.checkExpiresOn, daysBefore: days },
          recipient: a.email,
          description: `${a.name}: ${a.checkType} check expires ${a.checkExpiresOn} (${days} days before)`,
        },
        tx.now,
      );
    }
  }
}

/** "ts13ba" as typed is "TS1 3BA" as Royal Mail writes it. */
function postcodeAsWritten(postcode: string): string {
  return parsePostcode(postcode)?.postcode ?? postcode.trim().toUpperCase();
}

/**
 * Where an ambassador is: the latitude and longitude given, or else where their postcode
 * is, placed from the schools there (and how closely); refused when no school is near
 * enough to place it.
 */
async function placed(
  tx: Transaction,
  input: Pick<CreateAmbassadorDto, 'postcode' | 'latitude' | 'longitude'>,
): Promise<{ latitude: number; longitude: number; locationPrecision: PostcodePrecision | null }> {
  if (input.latitude !== undefined && input.longitude !== undefined) return { latitude: input.latitude, longitude: input.longitude, locationPrecision: null };
  const found = await locatePostcode(tx.manager, input.postcode);
  if (!found) throw new InvalidInput('The postcode could not be placed', [{ field: 'postcode', message: 'we could not place this postcode: give latitude and longitude' }]);
  return { latitude: found.latitude, longitude: found.longitude, locationPrecision: found.precision };
}

function validate(input: Partial<CreateAmbassadorDto>): void {
  const problems = [];
  if (input.check && input.check.expiresOn <= input.check.checkedOn) problems.push({ field: 'check.expiresOn', message: 'must be after checkedOn' });
  for (const [i, r] of (input.availability?.unavailable ?? []).entries()) if (r.to < r.from) problems.push({ field: `availability.unavailable[${i}].to`, message: 'must not be before from' });
  if (problems.length > 0) throw new InvalidInput('Some fields are not valid', problems);
}

/** The fields a change would really change (a field sent with its current value changes nothing). */
export function changedAmbassadorFields(a: Ambassador, input: UpdateAmbassadorDto): string[] {
  const current: Record<string, unknown> = {
    ...a,
    name: a.name,
    email: a.email?.toLowerCase(),
    postcode: postcodeAsWritten(a.postcode),
    check: a.checkType ? { type: a.checkType, number: a.checkNumber, checkedOn: a.checkCheckedOn, expiresOn: a.checkExpiresOn } : null,
  };
  const next: Record<string, unknown> = {
    ...input,
    name: input.name?.trim(),
    email: input.email?.toLowerCase(),
    postcode: input.postcode === undefined ? undefined : postcodeAsWritten(input.postcode),
  };
  return Object.keys(input).filter((key) => next[key] !== undefined && canonical(next[key]) !== canonical(current[key]));
}

/** A value as JSON with every object's keys in one order: the database hands a stored range back as {to, from}. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) : v,
  );
}
