import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  AmbassadorRequest,
  cancelPlannedActions,
  checkValidOn,
  Clock,
  cohortContext,
  cohortOfSchool,
  Conflict,
  EventTypes,
  FINISHED_REQUEST_STATUSES,
  InvalidInput,
  londonDate,
  NotFound,
  planAction,
  REQUEST_SUBJECT,
  OFFER_SUBJECT,
  ScheduledActionKinds,
  UnitOfWork,
  type Principal,
  type RequestStatus,
} from '#domain';
import { Access } from '../auth/access.js';
import type { Page } from '../common/pagination.js';
import type { CancelAmbassadorRequestDto, ConfirmDeliveryDto, CreateAmbassadorRequestDto } from './ambassadors.dto.js';

const DAY = 86_400_000;

/** A request as a list shows it. */
export interface AmbassadorRequestRow {
  id: string;
  schoolId: string;
  schoolName: string | null;
  activityType: string;
  startsAt: string;
  endsAt: string;
  status: RequestStatus;
  planned: { ambassadors: number; accepted: number };
  escalatedAt: string | null;
}
/** Who sees every offer and the ambassadors' answers; schools and leads see who is coming. */
const STAFF = new Set(['admin', 'programme_manager']);

/** Schools' requests for STEM Ambassadors. */
@Injectable()
export class AmbassadorRequestsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly access: Access,
    private readonly clock: Clock,
  ) {}

  async create(principal: Principal, schoolId: string, input: CreateAmbassadorRequestDto) {
    await this.mustSeeSchool(principal, schoolId);
    await this.access.mustChange(principal, 'school', schoolId, 'School');
    const startsAt = new Date(input.startsAt);
    const endsAt = new Date(input.endsAt);
    const now = await this.clock.now();
    const problems = [];
    if (startsAt <= now) problems.push({ field: 'startsAt', message: 'must be in the future' });
    if (endsAt <= startsAt) problems.push({ field: 'endsAt', message: 'must be after startsAt' });
    else if (endsAt.getTime() - startsAt.getTime() > 14 * DAY) problems.push({ field: 'endsAt', message: 'must be within 14 days of startsAt' });
    if (startsAt.getTime() - now.getTime() > 730 * DAY) problems.push({ field: 'startsAt', message: 'must be within two years' });
    if (problems.length > 0) throw new InvalidInput('The request cannot be made as it is', problems);
    const id = await this.unitOfWork.run(async (tx) => {
      const cohortId = await cohortOfSchool(tx.manager, schoolId);
      const request = tx.manager.create(AmbassadorRequest, {
        id: randomUUID(),
        schoolId,
        cohortId,
        activityType: input.activityType.trim(),
        startsAt,
        endsAt,
        keyStages: [...input.keyStages].sort(),
        numberWanted: input.numberWanted,
        skillsWanted: input.skillsWanted ?? [],
        virtualAcceptable: input.virtualAcceptable ?? false,
        notes: input.notes?.trim() ?? null,
        status: 'requested',
        shortReason: null,
        escalatedAt: null,
        escalationReason: null,
        delivered: null,
        pupilsReached: null,
        deliveryNotes: null,
        deliveryConfirmedAt: null,
        cancelledReason: null,
        createdAt: tx.now,
        updatedAt: tx.now,
      });
      await tx.manager.insert(AmbassadorRequest, request);
      const ctx = await cohortContext(tx.manager, cohortId);
      const escalateAt = new Date(startsAt.getTime() - ctx.policy.ambassadors.escalateDaysBefore * DAY);
      const common = { subjectType: REQUEST_SUBJECT, subjectId: request.id, cohortId, policyVersion: ctx.policy.version };
      await planAction(
        tx.manager,
        {
          ...common,
          kind: ScheduledActionKinds.AmbassadorEscalation,
          key: `ambassador-escalation:${request.id}`,
          dueAt: escalateAt > tx.now ? escalateAt : tx.now,
          description: `${request.activityType}: tell the programme team if still short ${ctx.policy.ambassadors.escalateDaysBefore} days before`,
        },
        tx.now,
      );
      await planAction(
        tx.manager,
        {
          ...common,
          kind: ScheduledActionKinds.AmbassadorActivityStart,
          key: `ambassador-activity-start:${request.id}`,
          dueAt: startsAt,
          description: `${request.activityType}: open offers close as the activity starts`,
        },
        tx.now,
      );
      tx.record({ type: EventTypes.AmbassadorRequestCreated, aggregateType: REQUEST_SUBJECT, aggregateId: request.id, payload: { requestId: request.id, schoolId } });
      return request.id;
    });
    return this.get(principal, id);
  }

  async listForSchool(principal: Principal, schoolId: string) {
    await this.mustSeeSchool(principal, schoolId);
    const requests = await this.dataSource.manager.find(AmbassadorRequest, { where: { schoolId }, order: { startsAt: 'DESC' }, take: 500 });
    return Promise.all(requests.map((r) => this.view(principal, r)));
  }

  /**
   * The requests of the schools the principal may read, the latest activity first, of one
   * status if asked: the school's name and how many have accepted beside each.
   */
  async list(principal: Principal, query: { status?: RequestStatus; page: number; pageSize: number }): Promise<Page<AmbassadorRequestRow>> {
    const empty = { items: [], page: query.page, pageSize: query.pageSize, total: 0 };
    if (principal.role === 'ambassador') return empty;
    const qb = this.dataSource.manager.createQueryBuilder(AmbassadorRequest, 'r').where(this.access.where('r.school_id', this.access.schoolIds(principal)), this.access.params(principal));
    if (query.status) qb.andWhere('r.status = :status', { status: query.status });
    const [requests, total] = await qb
      .orderBy('r.startsAt', 'DESC')
      .addOrderBy('r.id')
      .skip((query.page - 1) * query.pageSize)
      .take(query.pageSize)
      .getManyAndCount();
    if (requests.length === 0) return { ...empty, total };
    const ids = requests.map((r) => r.id);
    const schools: Array<{ id: string; name: string }> = await this.dataSource.query(`SELECT id, name FROM schools WHERE id = ANY($1)`, [requests.map((r) => r.schoolId)]);
    const accepted: Array<{ request_id: string; n: string }> = await this.dataSource.query(
      `SELECT request_id, count(*) AS n FROM ambassador_offers WHERE request_id = ANY($1) AND status = 'accepted' GROUP BY request_id`,
      [ids],
    );
    const schoolName = new Map(schools.map((s) => [s.id, s.name]));
    const acceptedOf = new Map(accepted.map((a) => [a.request_id, Number(a.n)]));
    const items = requests.map((r) => ({
      id: r.id,
      schoolId: r.schoolId,
      schoolName: schoolName.get(r.schoolId) ?? null,
      activityType: r.activityType,
      startsAt: r.startsAt.toISOString(),
      endsAt: r.endsAt.toISOString(),
      status: r.status,
      planned: { ambassadors: r.numberWanted, accepted: acceptedOf.get(r.id) ?? 0 },
      escalatedAt: r.escalatedAt?.toISOString() ?? null,
    }));
    return { items, page: query.page, pageSize: query.pageSize, total };
  }

  async get(principal: Principal, id: string) {
    return this.view(principal, await this.find(principal, id));
  }

  async cancel(principal: Principal, id: string, input: CancelAmbassadorRequestDto) {
    const request = await this.find(principal, id);
    await this.access.mustChange(principal, 'school', request.schoolId, 'School');
    await this.unitOfWork.run(async (tx) => {
      const request = await tx.manager.findOneOrFail(AmbassadorRequest, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (FINISHED_REQUEST_STATUSES.includes(request.status)) throw new Conflict(`The request is already ${request.status}`);
      const affected: Array<{ id: string; status: string }> = await tx.manager.query(`SELECT id, status FROM ambassador_offers WHERE request_id = $1 AND status IN ('offered', 'accepted')`, [id]);
      await tx.manager.query(`UPDATE ambassador_offers SET status = 'withdrawn', withdrawn_reason = 'cancelled', updated_at = $2 WHERE request_id = $1 AND status = 'offered'`, [id, tx.now]);
      for (const offer of affected) await cancelPlannedActions(tx.manager, OFFER_SUBJECT, offer.id, 'the request was cancelled', tx.now);
      await cancelPlannedActions(tx.manager, REQUEST_SUBJECT, id, 'the request was cancelled', tx.now);
      await tx.manager.update(AmbassadorRequest, { id }, { status: 'cancelled', cancelledReason: input.reason?.trim() ?? null, updatedAt: tx.now });
      tx.record({ type: EventTypes.AmbassadorRequestCancelled, aggregateType: REQUEST_SUBJECT, aggregateId: id, payload: { requestId: id, offerIds: affected.map((o) => o.id) } });
    });
    return this.get(principal, id);
  }

  /** The school says whether the activity happened: planned against delivered is kept on the request. */
  async confirmDelivery(principal: Principal, id: string, input: ConfirmDeliveryDto) {
    const request = await this.find(principal, id);
    await this.access.mustChange(principal, 'school', request.schoolId, 'School');
    await this.unitOfWork.run(async (tx) => {
      const request = await tx.manager.findOneOrFail(AmbassadorRequest, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (request.status === 'cancelled') throw new Conflict('The request was cancelled');
      if (tx.now < request.startsAt) throw new Conflict('Delivery can be confirmed once the activity has started');
      await tx.manager.update(
        AmbassadorRequest,
        { id },
        {
          delivered: input.delivered,
          pupilsReached: input.pupilsReached ?? null,
          deliveryNotes: input.notes?.trim() ?? null,
          deliveryConfirmedAt: tx.now,
          status: input.delivered ? 'delivered' : 'closed',
          updatedAt: tx.now,
        },
      );
      tx.record({ type: EventTypes.AmbassadorDeliveryConfirmed, aggregateType: REQUEST_SUBJECT, aggregateId: id, payload: { requestId: id, delivered: input.delivered } });
    });
    return this.get(principal, id);
  }

  private async find(principal: Principal, id: string): Promise<AmbassadorRequest> {
    const request = await this.dataSource.manager.findOneBy(AmbassadorRequest, { id });
    if (!request || principal.role === 'ambassador' || !(await this.access.canSee(principal, 'school', request.schoolId))) throw new NotFound('Ambassador request', id);
    return request;
  }

  private async mustSeeSchool(principal: Principal, schoolId: string): Promise<void> {
    const exists: unknown[] = await this.dataSource.query(`SELECT 1 FROM schools WHERE id = $1`, [schoolId]);
    if (exists.length === 0 || principal.role === 'ambassador') throw new NotFound('School', schoolId);
    await this.access.mustSee(principal, 'school', schoolId, 'School');
  }

  private async view(principal: Principal, r: AmbassadorRequest) {
    const now = await this.clock.now();
    // Rows as Postgres answers them, read column by column below.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const offers: Array<Record<string, any>> = await this.dataSource.query(
      `SELECT o.id, o.ambassador_id, o.wave, o.status, o.offered_at, o.expires_at, o.answered_at, o.decline_reason, o.withdrawn_reason, o.distance_km, o.hours_logged,
              a.name, a.employer, a.check_type, to_char(a.check_expires_on, 'YYYY-MM-DD') AS check_expires_on
         FROM ambassador_offers o JOIN ambassadors a ON a.id = o.ambassador_id WHERE o.request_id = $1 ORDER BY o.offered_at, a.name`,
      [r.id],
    );
    const [school]: Array<{ name: string }> = await this.dataSource.query(`SELECT name FROM schools WHERE id = $1`, [r.schoolId]);
    const staff = STAFF.has(principal.role);
    const today = londonDate(now);
    const accepted = offers.filter((o) => o.status === 'accepted');
    const hours = offers.reduce((sum, o) => sum + (o.hours_logged === null ? 0 : Number(o.hours_logged)), 0);
    return {
      id: r.id,
      schoolId: r.schoolId,
      schoolName: school?.name ?? null,
      activityType: r.activityType,
      startsAt: r.startsAt.toISOString(),
      endsAt: r.endsAt.toISOString(),
      keyStages: r.keyStages,
      numberWanted: r.numberWanted,
      skillsWanted: r.skillsWanted,
      virtualAcceptable: r.virtualAcceptable,
      notes: r.notes,
      status: r.status,
      shortReason: r.shortReason,
      escalatedAt: r.escalatedAt?.toISOString() ?? null,
      escalationReason: staff ? r.escalationReason : undefined,
      cancelledReason: r.cancelledReason,
      // Who is coming: names, employers and "check valid"; never a check's number or dates.
      team: accepted.map((o) => ({
        name: o.name as string,
        employer: o.employer as string | null,
        checkValid: checkValidOn(o.check_expires_on, today),
        hoursLogged: o.hours_logged === null ? null : Number(o.hours_logged),
      })),
      planned: { ambassadors: r.numberWanted, accepted: accepted.length },
      delivery: r.deliveryConfirmedAt
        ? {
            delivered: r.delivered,
            pupilsReached: r.pupilsReached,
            notes: r.deliveryNotes,
            confirmedAt: r.deliveryConfirmedAt.toISOString(),
            ambassadorHours: hours,
            ambassadorsWithHours: offers.filter((o) => o.hours_logged !== null).length,
          }
        : null,
      offers: staff
        ? offers.map((o) => ({
            id: o.id,
            ambassadorId: o.ambassador_id,
            ambassadorName: o.name,
            employer: o.employer,
            wave: o.wave,
            status: o.status,
            offeredAt: new Date(o.offered_at).toISOString(),
            expiresAt: new Date(o.expires_at).toISOString(),
            answeredAt: o.answered_at ? new Date(o.answered_at).toISOString() : null,
            declineReason: o.decline_reason,
            withdrawnReason: o.withdrawn_reason,
            distanceKm: o.distance_km,
            hoursLogged: o.hours_logged === null ? null : Number(o.hours_logged),
            checkValid: checkValidOn(o.check_expires_on, today),
            check: { type: o.check_type, expiresOn: o.check_expires_on },
          }))
        : undefined,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    };
  }
}
