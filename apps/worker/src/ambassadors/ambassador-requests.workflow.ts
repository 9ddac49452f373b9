import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { EntityManager } from 'typeorm';
import { DataSource } from 'typeorm';
import {
  Ambassador,
  AmbassadorOffer,
  AmbassadorRequest,
  APP_CONFIG,
  brandingFor,
  checkValidOn,
  cohortContext,
  EventTypes,
  expireOffer,
  FINISHED_REQUEST_STATUSES,
  HOURS_LOGGING_DAYS,
  issuePageLink,
  LinkPurposes,
  liveRequestStatus,
  londonDate,
  matchCandidates,
  nextWave,
  OFFER_SUBJECT,
  offerCounts,
  planAction,
  Queues,
  rankAmbassadors,
  ScheduledActionKinds,
  School,
  schoolLocation,
  shortReason,
  UnitOfWork,
  cancelPlannedActions,
  type AppConfig,
  type EventJobData,
  type RequestFilledPayload,
  type ScheduledActionJobData,
} from '#domain';
import {
  NotificationKinds,
  type AmbassadorEscalationData,
  type AmbassadorOfferData,
  type AmbassadorRequestData,
  type AmbassadorTeamData,
  type CheckRenewalData,
  type NotifyDecision,
} from '#notifications';
import { HandlesJob } from '../jobs/job-registry.js';
import { Notifier } from '../notifications/notifier.js';
import { ScheduledActions, type ActionOutcome } from '../scheduling/scheduled-actions.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const longDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', dateStyle: 'long' });
type Notify = (decision: Omit<NotifyDecision, 'notBefore' | 'requestId'> & { notBefore?: Date }) => Promise<unknown>;

/**
 * STEM Ambassador requests: offers in waves to the best-ranked eligible ambassadors, the
 * next wave when someone says no, withdraws or lets an offer lapse, the kind "it has
 * filled" to those still asked when the last place goes, the school told who is coming,
 * and a request still short escalated to the programme team before its date.
 */
@Injectable()
export class AmbassadorRequestsWorkflow {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly notifier: Notifier,
    private readonly actions: ScheduledActions,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('AmbassadorRequestsWorkflow');
  }

  @HandlesJob(Queues.Events, EventTypes.AmbassadorRequestCreated)
  async onRequestCreated(event: EventJobData): Promise<void> {
    await this.wave((event.payload as { requestId: string }).requestId);
  }

  @HandlesJob(Queues.Events, EventTypes.AmbassadorWaveDue)
  async onWaveDue(event: EventJobData): Promise<void> {
    await this.wave((event.payload as { requestId: string }).requestId);
  }

  @HandlesJob(Queues.Events, EventTypes.AmbassadorOfferAccepted)
  async onAccepted(event: EventJobData): Promise<void> {
    const { offerId } = event.payload as { offerId: string };
    await this.notifier.notifyWith(async (tx, notify) => {
      const offer = await tx.manager.findOneBy(AmbassadorOffer, { id: offerId });
      if (!offer) return;
      const { request, data } = await this.requestData(tx.manager, offer.requestId);
      const a = await tx.manager.findOneByOrFail(Ambassador, { id: offer.ambassadorId });
      // One confirmation per acceptance: one who withdrew and said yes again is confirmed again.
      await notify({
        key: `ambassador-accepted:${offer.id}:${event.eventId}`,
        kind: NotificationKinds.AmbassadorAccepted,
        about: { cohortId: request.cohortId, schoolId: request.schoolId },
        recipient: { email: a.email, name: a.name },
        data: { ...data, ambassadorName: a.name, ...(await brandingFor(tx.manager, { cohortId: request.cohortId })) },
      });
    });
  }

  @HandlesJob(Queues.Events, EventTypes.AmbassadorRequestFilled)
  async onFilled(event: EventJobData): Promise<void> {
    const { requestId, withdrawnOfferIds } = event.payload as unknown as RequestFilledPayload;
    await this.notifier.notifyWith(async (tx, notify) => {
      const { request, data } = await this.requestData(tx.manager, requestId);
      const branding = await brandingFor(tx.manager, { cohortId: request.cohortId });
      for (const offerId of withdrawnOfferIds) {
        const [a]: Array<{ name: string; email: string }> = await tx.manager.query(`SELECT a.name, a.email FROM ambassador_offers o JOIN ambassadors a ON a.id = o.ambassador_id WHERE o.id = $1`, [
          offerId,
        ]);
        if (!a) continue;
        await notify({
          key: `ambassador-filled:${offerId}`,
          kind: NotificationKinds.AmbassadorRequestFilled,
          about: { cohortId: request.cohortId, schoolId: request.schoolId },
          recipient: { email: a.email, name: a.name },
          data: { ...data, ambassadorName: a.name, ...branding },
        });
      }
      await this.tellSchool(tx.manager, notify, request, data, tx.now);
    });
  }

  @HandlesJob(Queues.Events, EventTypes.AmbassadorRequestCancelled)
  async onCancelled(event: EventJobData): Promise<void> {
    const { requestId, offerIds } = event.payload as { requestId: string; offerIds: string[] };
    await this.notifier.notifyWith(async (tx, notify) => {
      const { request, data } = await this.requestData(tx.manager, requestId);
      const branding = await brandingFor(tx.manager, { cohortId: request.cohortId });
      for (const offerId of offerIds) {
        const [a]: Array<{ name: string; email: string }> = await tx.manager.query(`SELECT a.name, a.email FROM ambassador_offers o JOIN ambassadors a ON a.id = o.ambassador_id WHERE o.id = $1`, [
          offerId,
        ]);
        if (a)
          await notify({
            key: `ambassador-cancelled:${offerId}`,
            kind: NotificationKinds.AmbassadorRequestCancelled,
            about: { cohortId: request.cohortId, schoolId: request.schoolId },
            recipient: { email: a.email, name: a.name },
            data: { ...data, ambassadorName: a.name, ...branding },
          });
      }
    });
  }

  @HandlesJob(Queues.Schedules, ScheduledActionKinds.AmbassadorOfferExpiry)
  async onOfferExpiry(data: ScheduledActionJobData): Promise<string> {
    return this.actions.run(data, async (action): Promise<ActionOutcome> => {
      const skipped = await this.unitOfWork.run((tx) => expireOffer(tx, action.subjectId));
      return skipped ? { outcome: 'superseded', reason: skipped } : { outcome: 'done' };
    });
  }

  /** The activity begins: offers still open close, and a request nobody accepted has expired. */
  @HandlesJob(Queues.Schedules, ScheduledActionKinds.AmbassadorActivityStart)
  async onActivityStart(data: ScheduledActionJobData): Promise<string> {
    return this.actions.run(data, async (action): Promise<ActionOutcome> =>
      this.unitOfWork.run(async (tx) => {
        const request = await tx.manager.findOne(AmbassadorRequest, { where: { id: action.subjectId }, lock: { mode: 'pessimistic_write' } });
        if (!request || FINISHED_REQUEST_STATUSES.includes(request.status)) return { outcome: 'superseded', reason: `the request is ${request?.status ?? 'gone'}` };
        const [open]: [Array<{ id: string }>, number] = await tx.manager.query(
          `UPDATE ambassador_offers SET status = 'expired', updated_at = $2 WHERE request_id = $1 AND status = 'offered' RETURNING id`,
          [request.id, tx.now],
        );
        for (const { id } of open) await cancelPlannedActions(tx.manager, OFFER_SUBJECT, id, 'the activity started', tx.now);
        const counts = await offerCounts(tx.manager, request);
        const status = counts.accepted === 0 ? 'expired' : counts.accepted < request.numberWanted ? 'partially_filled' : 'filled';
        await tx.manager.update(AmbassadorRequest, { id: request.id }, { status, updatedAt: tx.now });
        return { outcome: 'done' };
      }),
    );
  }

  /** Some days before the activity, a request still short goes to the programme team with the reason. */
  @HandlesJob(Queues.Schedules, ScheduledActionKinds.AmbassadorEscalation)
  async onEscalation(data: ScheduledActionJobData): Promise<string> {
    return this.actions.run(data, async (action): Promise<ActionOutcome> =>
      this.notifier.notifyWith(async (tx, notify): Promise<ActionOutcome> => {
        const request = await tx.manager.findOne(AmbassadorRequest, { where: { id: action.subjectId }, lock: { mode: 'pessimistic_write' } });
        if (!request || FINISHED_REQUEST_STATUSES.includes(request.status)) return { outcome: 'superseded', reason: `the request is ${request?.status ?? 'gone'}` };
        const counts = await offerCounts(tx.manager, request);
        if (counts.accepted >= request.numberWanted) return { outcome: 'superseded', reason: 'the request has filled' };
        const school = await tx.manager.findOneByOrFail(School, { id: request.schoolId });
        const { ranked } = rankAmbassadors(request, schoolLocation(school), await matchCandidates(tx.manager, request.id, tx.now), tx.now);
        const reason = shortReason({ ...counts, eligibleLeft: ranked.length });
        await tx.manager.update(AmbassadorRequest, { id: request.id }, { escalatedAt: tx.now, escalationReason: reason, updatedAt: tx.now });
        const { data: requestData } = await this.requestData(tx.manager, request.id);
        const team = await this.programmeTeam(tx.manager, request);
        if (team) {
          await notify({
            key: `ambassador-escalation:${request.id}`,
            kind: NotificationKinds.AmbassadorRequestEscalated,
            about: { cohortId: request.cohortId, schoolId: request.schoolId },
            recipient: team,
            data: {
              ...requestData,
              numberWanted: request.numberWanted,
              accepted: counts.accepted,
              reason,
              ...(await brandingFor(tx.manager, { cohortId: request.cohortId })),
            } satisfies AmbassadorEscalationData & Record<string, unknown>,
          });
        } else this.logger.warn({ requestId: request.id, reason }, 'a request is short and no programme team address is known; recorded on the request');
        // Whoever is already coming, the school hears now rather than on the day.
        if (counts.accepted > 0) await this.tellSchool(tx.manager, notify, request, requestData, tx.now);
        return { outcome: 'done' };
      }),
    );
  }

  @HandlesJob(Queues.Schedules, ScheduledActionKinds.AmbassadorCheckRenewal)
  async onCheckRenewal(data: ScheduledActionJobData): Promise<string> {
    return this.actions.run(data, async (action): Promise<ActionOutcome> => {
      const { expiresOn, daysBefore } = action.payload as { expiresOn: string; daysBefore: number };
      const [a]: Array<{ name: string; email: string; status: string; check_type: string; check_expires_on: string | null }> = await this.dataSource.query(
        `SELECT name, email, status, check_type, to_char(check_expires_on, 'YYYY-MM-DD') AS check_expires_on FROM ambassadors WHERE id = $1`,
        [action.subjectId],
      );
      if (!a) return { outcome: 'superseded', reason: 'the ambassador is gone' };
      if (a.status !== 'active') return { outcome: 'superseded', reason: `the ambassador is ${a.status}` };
      if (a.check_expires_on !== expiresOn) return { outcome: 'superseded', reason: `the check was renewed since (it now expires ${a.check_expires_on ?? 'never recorded'})` };
      await this.notifier.notify({
        key: action.key,
        kind: NotificationKinds.AmbassadorCheckRenewal,
        recipient: { email: a.email, name: a.name },
        data: { ambassadorName: a.name, checkType: a.check_type, expiresOn: longDate.format(new Date(`${expiresOn}T00:00:00Z`)), daysBefore } satisfies CheckRenewalData,
      });
      return { outcome: 'done' };
    });
  }

  /**
   * Asks the next best-ranked ambassadors, topping the open offers up to the wave size.
   * Under the request's lock, so two reactions at once cannot ask twice; eligibility is
   * judged now, so a check that expired since the last wave counts at once.
   */
  private async wave(requestId: string): Promise<void> {
    await this.notifier.notifyWith(async (tx, notify) => {
      const request = await tx.manager.findOne(AmbassadorRequest, { where: { id: requestId }, lock: { mode: 'pessimistic_write' } });
      if (!request || FINISHED_REQUEST_STATUSES.includes(request.status) || tx.now >= request.startsAt) return;
      const counts = await offerCounts(tx.manager, request);
      const ctx = await cohortContext(tx.manager, request.cohortId);
      const school = await tx.manager.findOneByOrFail(School, { id: request.schoolId });
      const { ranked } = rankAmbassadors(request, schoolLocation(school), await matchCandidates(tx.manager, request.id, tx.now), tx.now);
      const picks = nextWave(ranked, { waveSize: ctx.policy.ambassadors.waveSize, openOffers: counts.open, stillNeeded: request.numberWanted - counts.accepted });
      const [{ wave }]: Array<{ wave: number }> = await tx.manager.query(`SELECT coalesce(max(wave), 0)::int + 1 AS wave FROM ambassador_offers WHERE request_id = $1`, [request.id]);
      const expiresAt = new Date(Math.min(tx.now.getTime() + ctx.policy.ambassadors.offerHours * HOUR, request.startsAt.getTime()));
      const closesAt = new Date(request.endsAt.getTime() + HOURS_LOGGING_DAYS * DAY);
      const { data } = await this.requestData(tx.manager, request.id);
      const branding = await brandingFor(tx.manager, { cohortId: request.cohortId });
      for (const pick of picks) {
        const a = await tx.manager.findOneByOrFail(Ambassador, { id: pick.id });
        const offer = tx.manager.create(AmbassadorOffer, {
          id: randomUUID(),
          requestId: request.id,
          ambassadorId: a.id,
          wave,
          status: 'offered',
          offeredAt: tx.now,
          expiresAt,
          answeredAt: null,
          declineReason: null,
          withdrawnReason: null,
          // No distance for someone joining virtually: the school is told they join virtually.
          distanceKm: pick.virtual ? null : pick.distanceKm,
          hoursLogged: null,
          hoursLoggedAt: null,
          updatedAt: tx.now,
        });
        await tx.manager.insert(AmbassadorOffer, offer);
        const key = `ambassador-offer:${offer.id}`;
        const { address } = await issuePageLink(
          tx.manager,
          {
            key,
            purpose: LinkPurposes.AmbassadorOffer,
            subjectType: OFFER_SUBJECT,
            subjectId: offer.id,
            email: a.email,
            recipientName: a.name,
            cohortId: request.cohortId,
            expiresAt,
            closesAt,
          },
          tx.now,
          this.config.linkSecret,
        );
        await notify({
          key,
          kind: NotificationKinds.AmbassadorOffer,
          about: { cohortId: request.cohortId, schoolId: request.schoolId },
          recipient: { email: a.email, name: a.name },
          data: {
            ...data,
            ambassadorName: a.name,
            offerId: offer.id,
            url: address,
            offerExpiresAt: expiresAt.toISOString(),
            virtual: pick.virtual,
            distanceKm: pick.virtual ? null : pick.distanceKm,
            ...branding,
          } satisfies Omit<AmbassadorOfferData, 'url'> & Record<string, unknown>,
        });
        await planAction(
          tx.manager,
          {
            kind: ScheduledActionKinds.AmbassadorOfferExpiry,
            key: `ambassador-offer-expiry:${offer.id}`,
            subjectType: OFFER_SUBJECT,
            subjectId: offer.id,
            dueAt: expiresAt,
            cohortId: request.cohortId,
            policyVersion: ctx.policy.version,
            recipient: a.email,
            description: `${a.name}'s offer for ${request.activityType} lapses unanswered`,
          },
          tx.now,
        );
      }
      const after = { ...counts, open: counts.open + picks.length };
      const eligibleLeft = ranked.length - picks.length;
      const short = after.accepted < request.numberWanted && eligibleLeft === 0 ? shortReason({ ...after, eligibleLeft }) : null;
      await tx.manager.update(AmbassadorRequest, { id: request.id }, { status: liveRequestStatus(after), shortReason: short, updatedAt: tx.now });
      this.logger.info({ requestId, wave, offered: picks.length, eligibleLeft, short }, 'ambassador request wave');
    });
  }

  /** Tells the school contact who is coming: names, employers and "check valid", nothing more. */
  private async tellSchool(manager: EntityManager, notify: Notify, request: AmbassadorRequest, data: AmbassadorRequestData, now: Date): Promise<void> {
    const school = await manager.findOneByOrFail(School, { id: request.schoolId });
    if (!school.contactEmail) {
      this.logger.info({ requestId: request.id }, 'the school has no contact address; nobody to tell who is coming');
      return;
    }
    const team: Array<{ id: string; name: string; employer: string | null; check_expires_on: string | null; distance_km: number | null }> = await manager.query(
      `SELECT o.id, a.name, a.employer, to_char(a.check_expires_on, 'YYYY-MM-DD') AS check_expires_on, o.distance_km
         FROM ambassador_offers o JOIN ambassadors a ON a.id = o.ambassador_id WHERE o.request_id = $1 AND o.status = 'accepted' ORDER BY a.name`,
      [request.id],
    );
    if (team.length === 0) return;
    const today = londonDate(now);
    await notify({
      // A changed team (someone withdrew, someone else said yes) is a new message; the same team, never twice.
      key: `ambassador-team:${request.id}:${team
        .map((t) => t.id)
        .sort()
        .join(',')}`,
      kind: NotificationKinds.AmbassadorTeamConfirmed,
      about: { cohortId: request.cohortId, schoolId: request.schoolId },
      recipient: { email: school.contactEmail, name: school.contactName },
      data: {
        ...data,
        contactName: school.contactName,
        numberWanted: request.numberWanted,
        team: team.map((t) => ({ name: t.name, employer: t.employer, checkValid: checkValidOn(t.check_expires_on, today), virtual: t.distance_km === null })),
        ...(await brandingFor(manager, { cohortId: request.cohortId })),
      } satisfies AmbassadorTeamData & Record<string, unknown>,
    });
  }

  /** The programme team's address; without one, the lead of the school's partnership. */
  private async programmeTeam(manager: EntityManager, request: AmbassadorRequest): Promise<{ email: string; name: string | null } | null> {
    if (request.cohortId) {
      const [row]: Array<{ team_email: string | null; name: string }> = await manager.query(`SELECT p.team_email, p.name FROM cohorts c JOIN programmes p ON p.id = c.programme_id WHERE c.id = $1`, [
        request.cohortId,
      ]);
      if (row?.team_email) return { email: row.team_email, name: `${row.name} team` };
    }
    const [lead]: Array<{ email: string | null; name: string }> = await manager.query(
      `SELECT pe.email, pe.name FROM partnership_members m JOIN partnerships p ON p.id = m.partnership_id JOIN people pe ON pe.id = p.educational_lead_id
        WHERE m.school_id = $1 AND m.left_at IS NULL AND pe.email IS NOT NULL ORDER BY m.joined_at DESC LIMIT 1`,
      [request.schoolId],
    );
    return lead?.email ? { email: lead.email, name: lead.name } : null;
  }

  private async requestData(manager: EntityManager, requestId: string): Promise<{ request: AmbassadorRequest; data: AmbassadorRequestData }> {
    const request = await manager.findOneByOrFail(AmbassadorRequest, { id: requestId });
    const school = await manager.findOneByOrFail(School, { id: request.schoolId });
    return {
      request,
      data: {
        requestId: request.id,
        schoolName: school.name,
        activityType: request.activityType,
        startsAt: request.startsAt.toISOString(),
        endsAt: request.endsAt.toISOString(),
        keyStages: request.keyStages.join(', '),
        skillsWanted: request.skillsWanted.length > 0 ? request.skillsWanted.join(', ') : null,
        notes: request.notes,
      },
    };
  }
}
