import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Transaction } from '../database/unit-of-work.js';
import { cancelPlannedActions } from '../scheduling/schedule.js';
import { AmbassadorEventTypes, type RequestFilledPayload } from './ambassador.events.js';
import { AmbassadorOffer, AmbassadorRequest, FINISHED_REQUEST_STATUSES, type OfferAnswerKind, type RequestStatus } from './ambassador.entities.js';
import { FAIR_SPREAD_DAYS, type MatchCandidate, type OfferCounts } from './matching.js';

export const OFFER_SUBJECT = 'ambassador_offer';
export const REQUEST_SUBJECT = 'ambassador_request';
/** How long after the activity an ambassador may still log their hours on the offer page. */
export const HOURS_LOGGING_DAYS = 30;

/** The cohort a school's request runs under: its current partnership's (policy, branding). */
export async function cohortOfSchool(manager: EntityManager, schoolId: string): Promise<string | null> {
  const [row]: Array<{ cohort_id: string | null }> = await manager.query(
    `SELECT p.cohort_id FROM partnership_members m JOIN partnerships p ON p.id = m.partnership_id
      WHERE m.school_id = $1 AND m.left_at IS NULL ORDER BY m.joined_at DESC LIMIT 1`,
    [schoolId],
  );
  return row?.cohort_id ?? null;
}

export async function offerCounts(manager: EntityManager, request: AmbassadorRequest): Promise<Omit<OfferCounts, 'eligibleLeft'>> {
  const rows: Array<{ status: string; withdrawn_reason: string | null; n: number }> = await manager.query(
    `SELECT status, withdrawn_reason, count(*)::int AS n FROM ambassador_offers WHERE request_id = $1 GROUP BY status, withdrawn_reason`,
    [request.id],
  );
  const n = (status: string, reason?: string) => rows.filter((r) => r.status === status && (reason === undefined || r.withdrawn_reason === reason)).reduce((sum, r) => sum + r.n, 0);
  return { wanted: request.numberWanted, accepted: n('accepted'), declined: n('declined'), expired: n('expired'), open: n('offered'), withdrew: n('withdrawn', 'withdrew') };
}

/** The status a live request shows, from where its offers stand. */
export function liveRequestStatus(c: { wanted: number; accepted: number; open: number }): RequestStatus {
  if (c.accepted >= c.wanted) return 'filled';
  if (c.accepted > 0) return 'partially_filled';
  return c.open > 0 ? 'offered' : 'matching';
}

/** Every active ambassador, with how often they were asked lately and whether this request asked them. */
export async function matchCandidates(manager: EntityManager, requestId: string, now: Date): Promise<MatchCandidate[]> {
  const rows: Array<Record<string, unknown>> = await manager.query(
    `SELECT a.id, a.status, a.latitude, a.longitude, a.travel_radius_km, a.key_stages, a.skills, a.availability, a.offers_virtual,
            to_char(a.check_expires_on, 'YYYY-MM-DD') AS check_expires_on,
            (SELECT count(*)::int FROM ambassador_offers o WHERE o.ambassador_id = a.id AND o.offered_at > $2::timestamptz - make_interval(days => $3)) AS recent_offers,
            EXISTS (SELECT 1 FROM ambassador_offers o WHERE o.ambassador_id = a.id AND o.request_id = $1) AS already_offered
       FROM ambassadors a WHERE a.status = 'active'`,
    [requestId, now, FAIR_SPREAD_DAYS],
  );
  return rows.map((r) => ({
    id: r.id as string,
    status: r.status as string,
    latitude: Number(r.latitude),
    longitude: Number(r.longitude),
    travelRadiusKm: Number(r.travel_radius_km),
    keyStages: r.key_stages as string[],
    skills: r.skills as string[],
    availability: r.availability as MatchCandidate['availability'],
    offersVirtual: Boolean(r.offers_virtual),
    checkExpiresOn: (r.check_expires_on as string | null) ?? null,
    recentOffers: Number(r.recent_offers),
    alreadyOffered: Boolean(r.already_offered),
  }));
}

export type OfferAction = { type: 'accept' } | { type: 'decline'; reason: string | null } | { type: 'withdraw'; reason: string | null } | { type: 'log_hours'; hours: number; notes: string | null };

/** What happened to an answer, for the page to say. */
export type OfferOutcome = 'accepted' | 'already_accepted' | 'filled' | 'declined' | 'withdrew' | 'hours_logged' | 'offer_expired' | 'closed' | 'not_allowed';

async function answer(tx: Transaction, offerId: string, kind: OfferAnswerKind, reason: string | null, hours: number | null = null): Promise<void> {
  await tx.manager.query(`INSERT INTO offer_answers (id, offer_id, answer, reason, hours, answered_at) VALUES ($1, $2, $3, $4, $5, $6)`, [randomUUID(), offerId, kind, reason, hours, tx.now]);
}

/**
 * An ambassador's answer to an offer. The request row is locked first (every writer of a
 * request's offers takes the same lock, in the same order), so acceptances arriving at the
 * same moment queue on it: each counts the places taken under the lock and only takes one
 * that is left. The one that takes the last place withdraws the offers still open, so the
 * request fills and never over-fills. Their links stay valid: opening one says, kindly,
 * that the request has just filled (revoking them would show "link not valid" instead).
 */
export async function answerOffer(tx: Transaction, offerId: string, action: OfferAction): Promise<OfferOutcome> {
  const [row]: Array<{ request_id: string }> = await tx.manager.query(`SELECT request_id FROM ambassador_offers WHERE id = $1`, [offerId]);
  if (!row) return 'not_allowed';
  const requestId = row.request_id;
  const request = await tx.manager.findOneOrFail(AmbassadorRequest, { where: { id: requestId }, lock: { mode: 'pessimistic_write' } });
  const offer = await tx.manager.findOneOrFail(AmbassadorOffer, { where: { id: offerId }, lock: { mode: 'pessimistic_write' } });
  const now = tx.now;
  const started = now >= request.startsAt;
  const finished = FINISHED_REQUEST_STATUSES.includes(request.status);

  if (action.type === 'log_hours') {
    if (offer.status !== 'accepted' || !started || request.status === 'cancelled') return 'not_allowed';
    await tx.manager.update(AmbassadorOffer, { id: offer.id }, { hoursLogged: action.hours, hoursLoggedAt: now, updatedAt: now });
    await answer(tx, offer.id, 'hours_logged', action.notes, action.hours);
    tx.record({ type: AmbassadorEventTypes.HoursLogged, aggregateType: REQUEST_SUBJECT, aggregateId: request.id, payload: { requestId: request.id, offerId, hours: action.hours } });
    return 'hours_logged';
  }
  if (finished || started) return 'closed';

  const counts = await offerCounts(tx.manager, request);
  const setRequestStatus = async (status: RequestStatus) => {
    if (status !== request.status) await tx.manager.update(AmbassadorRequest, { id: request.id }, { status, updatedAt: now, ...(status === 'filled' ? { shortReason: null } : {}) });
  };

  if (action.type === 'accept') {
    if (offer.status === 'accepted') return 'already_accepted';
    if (offer.status === 'expired') return 'offer_expired';
    if (offer.status === 'withdrawn' || counts.accepted >= request.numberWanted) {
      if (offer.status === 'offered') {
        await tx.manager.update(AmbassadorOffer, { id: offer.id }, { status: 'withdrawn', withdrawnReason: 'filled', updatedAt: now });
        await cancelPlannedActions(tx.manager, OFFER_SUBJECT, offer.id, 'the request filled', now);
      }
      await answer(tx, offer.id, 'too_late', null);
      return 'filled';
    }
    // An open offer, or a decline changed to a yes while places are left.
    await tx.manager.update(AmbassadorOffer, { id: offer.id }, { status: 'accepted', answeredAt: now, declineReason: null, updatedAt: now });
    await answer(tx, offer.id, 'accepted', null);
    await cancelPlannedActions(tx.manager, OFFER_SUBJECT, offer.id, 'the offer was accepted', now);
    // The page stays theirs until the hours are logged: to change their mind, then to log hours.
    await tx.manager.query(`UPDATE page_links SET expires_at = closes_at WHERE subject_type = $1 AND subject_id = $2 AND revoked_at IS NULL AND closes_at IS NOT NULL AND expires_at < closes_at`, [
      OFFER_SUBJECT,
      offer.id,
    ]);
    tx.record({ type: AmbassadorEventTypes.OfferAccepted, aggregateType: REQUEST_SUBJECT, aggregateId: request.id, payload: { requestId: request.id, offerId } });
    const accepted = counts.accepted + 1;
    const open = counts.open - (offer.status === 'offered' ? 1 : 0);
    if (accepted >= request.numberWanted) {
      // An UPDATE … RETURNING answers [rows, count] through TypeORM's postgres driver.
      const [surplus]: [Array<{ id: string }>, number] = await tx.manager.query(
        `UPDATE ambassador_offers SET status = 'withdrawn', withdrawn_reason = 'filled', updated_at = $2 WHERE request_id = $1 AND status = 'offered' RETURNING id`,
        [request.id, now],
      );
      for (const { id } of surplus) await cancelPlannedActions(tx.manager, OFFER_SUBJECT, id, 'the request filled', now);
      await setRequestStatus('filled');
      tx.record({
        type: AmbassadorEventTypes.RequestFilled,
        aggregateType: REQUEST_SUBJECT,
        aggregateId: request.id,
        payload: { requestId: request.id, withdrawnOfferIds: surplus.map((s) => s.id) } satisfies RequestFilledPayload,
      });
    } else await setRequestStatus(liveRequestStatus({ wanted: request.numberWanted, accepted, open }));
    return 'accepted';
  }

  if (action.type === 'decline') {
    if (offer.status === 'declined') {
      // Reopened to change the reason: kept as history.
      await tx.manager.update(AmbassadorOffer, { id: offer.id }, { declineReason: action.reason, updatedAt: now });
      await answer(tx, offer.id, 'declined', action.reason);
      return 'declined';
    }
    if (offer.status !== 'offered') return offer.status === 'accepted' ? 'not_allowed' : offer.status === 'expired' ? 'offer_expired' : 'filled';
    await tx.manager.update(AmbassadorOffer, { id: offer.id }, { status: 'declined', answeredAt: now, declineReason: action.reason, updatedAt: now });
    await answer(tx, offer.id, 'declined', action.reason);
    await cancelPlannedActions(tx.manager, OFFER_SUBJECT, offer.id, 'the offer was declined', now);
    await setRequestStatus(liveRequestStatus({ wanted: request.numberWanted, accepted: counts.accepted, open: counts.open - 1 }));
    tx.record({ type: AmbassadorEventTypes.OfferDeclined, aggregateType: REQUEST_SUBJECT, aggregateId: request.id, payload: { requestId: request.id, offerId, reason: action.reason } });
    tx.record({ type: AmbassadorEventTypes.WaveDue, aggregateType: REQUEST_SUBJECT, aggregateId: request.id, payload: { requestId: request.id, because: 'declined' } });
    return 'declined';
  }

  // Withdrawing after accepting frees the place for someone else.
  if (offer.status !== 'accepted') return 'not_allowed';
  await tx.manager.update(AmbassadorOffer, { id: offer.id }, { status: 'withdrawn', withdrawnReason: 'withdrew', declineReason: action.reason, updatedAt: now });
  await answer(tx, offer.id, 'withdrew', action.reason);
  await setRequestStatus(liveRequestStatus({ wanted: request.numberWanted, accepted: counts.accepted - 1, open: counts.open }));
  tx.record({ type: AmbassadorEventTypes.OfferWithdrew, aggregateType: REQUEST_SUBJECT, aggregateId: request.id, payload: { requestId: request.id, offerId, reason: action.reason } });
  tx.record({ type: AmbassadorEventTypes.WaveDue, aggregateType: REQUEST_SUBJECT, aggregateId: request.id, payload: { requestId: request.id, because: 'withdrew' } });
  return 'withdrew';
}

/** Ends an offer nobody answered in time, and lets the next wave ask someone else. */
export async function expireOffer(tx: Transaction, offerId: string): Promise<string | null> {
  const [row]: Array<{ request_id: string }> = await tx.manager.query(`SELECT request_id FROM ambassador_offers WHERE id = $1`, [offerId]);
  if (!row) return 'the offer is gone';
  const request = await tx.manager.findOneOrFail(AmbassadorRequest, { where: { id: row.request_id }, lock: { mode: 'pessimistic_write' } });
  const offer = await tx.manager.findOneOrFail(AmbassadorOffer, { where: { id: offerId }, lock: { mode: 'pessimistic_write' } });
  if (offer.status !== 'offered') return `the offer was already ${offer.status}`;
  if (offer.expiresAt > tx.now) return 'the offer runs longer now';
  await tx.manager.update(AmbassadorOffer, { id: offer.id }, { status: 'expired', updatedAt: tx.now });
  const counts = await offerCounts(tx.manager, request);
  if (!FINISHED_REQUEST_STATUSES.includes(request.status)) {
    const status = liveRequestStatus(counts);
    if (status !== request.status) await tx.manager.update(AmbassadorRequest, { id: request.id }, { status, updatedAt: tx.now });
    tx.record({ type: AmbassadorEventTypes.WaveDue, aggregateType: REQUEST_SUBJECT, aggregateId: request.id, payload: { requestId: request.id, because: 'expired' } });
  }
  return null;
}
