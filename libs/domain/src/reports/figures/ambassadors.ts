import { SCOPE } from '../report-query.js';
import { suppressSmallCounts } from '../suppression.js';
import { count, run, SUPPRESSION_RULE, text, type Figure } from '../figure-kit.js';

/**
 * Requests for STEM Ambassadors by schools that are (or were) members of a partnership in
 * scope, in that partnership's cohort, for activities dated in the range; with each
 * request's accepted offers. Safeguarding checks are never read here.
 */
const REQUESTS = `
  requests AS (
    SELECT DISTINCT ON (mb.partnership_id, r.id) r.id, r.status, r.number_wanted, r.delivered, r.pupils_reached, r.created_at, r.key_stages, mb.cohort, mb.partnership
      FROM ambassador_requests r JOIN members mb ON mb.school_id = r.school_id AND (r.cohort_id IS NULL OR r.cohort_id = mb.cohort_id)
     WHERE (CAST(:from AS date) IS NULL OR (r.starts_at AT TIME ZONE 'Europe/London')::date >= CAST(:from AS date))
       AND (CAST(:to AS date) IS NULL OR (r.starts_at AT TIME ZONE 'Europe/London')::date <= CAST(:to AS date))
  ),
  -- Each request's accepted offers are added up in one pass over them, with their times in
  -- the order they were accepted: the request was filled by the acceptance that reached the
  -- number wanted. Looked up by a subquery per request, they were all read again for each.
  accepted AS (
    SELECT o.request_id, count(*) AS accepted, sum(o.hours_logged) AS hours, array_agg(o.answered_at ORDER BY o.answered_at, o.id) AS answered
      FROM ambassador_offers o WHERE o.status = 'accepted' AND o.request_id IN (SELECT id FROM requests) GROUP BY o.request_id
  ),
  per_request AS (
    SELECT rq.*, coalesce(a.accepted, 0) AS accepted, a.answered[rq.number_wanted] AS filled_at, a.hours
      FROM requests rq LEFT JOIN accepted a ON a.request_id = rq.id
  )`;

export const ambassadorRequests: Figure = {
  key: 'ambassador-requests',
  group: 'ambassadors',
  title: 'STEM Ambassador requests',
  definition:
    'Requests for STEM Ambassadors made by member schools of a partnership in scope, for activities dated in the range, per cohort and partnership, each counted once under its status today: open (still being matched or offered), filled, partially filled (the activity came with fewer ambassadors than wanted), delivered (the school confirmed it took place), closed, expired (the day came with nobody), cancelled. Filled in full: requests whose accepted offers reached the number wanted, whatever happened after. Median days to fill: for those, from the request being made to the acceptance that filled it (the middle value, to one decimal place).',
  columns: [
    text('cohort', 'Cohort'),
    text('partnership', 'Partnership'),
    count('requests', 'Requests made'),
    count('open', 'Open'),
    count('filled', 'Filled'),
    count('partiallyFilled', 'Partially filled'),
    count('delivered', 'Delivered'),
    count('closed', 'Closed'),
    count('expired', 'Expired'),
    count('cancelled', 'Cancelled'),
    count('filledInFull', 'Filled in full'),
    { key: 'medianDaysToFill', label: 'Median days to fill', type: 'number' },
  ],
  rows(manager, filter, now) {
    return run(
      manager,
      this.columns,
      `WITH ${SCOPE}, ${REQUESTS}
      SELECT cohort, partnership, count(*) AS requests, count(*) FILTER (WHERE status IN ('requested', 'matching', 'offered')) AS open,
             count(*) FILTER (WHERE status = 'filled') AS filled, count(*) FILTER (WHERE status = 'partially_filled') AS "partiallyFilled",
             count(*) FILTER (WHERE status = 'delivered') AS delivered, count(*) FILTER (WHERE status = 'closed') AS closed,
             count(*) FILTER (WHERE status = 'expired') AS expired, count(*) FILTER (WHERE status = 'cancelled') AS cancelled, count(filled_at) AS "filledInFull",
             round(CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM filled_at - created_at) / 86400) AS numeric), 1) AS "medianDaysToFill"
        FROM per_request GROUP BY cohort, partnership ORDER BY cohort, partnership`,
      filter,
      now,
    );
  },
};

export const ambassadorDelivery: Figure = {
  key: 'ambassador-delivery',
  group: 'ambassadors',
  title: 'STEM Ambassadors planned and delivered',
  definition:
    'The same requests, cancelled ones left out, per cohort and partnership. Ambassadors wanted: the numbers the schools asked for. Accepted: offers accepted and not withdrawn. Delivered: accepted ambassadors on requests the school confirmed took place; pupils reached: as the school recorded them on confirming. Hours: hours the ambassadors logged against their accepted offers. Ambassadors active: different ambassadors with at least one accepted offer on these requests.',
  columns: [
    text('cohort', 'Cohort'),
    text('partnership', 'Partnership'),
    count('requests', 'Requests'),
    count('ambassadorsWanted', 'Ambassadors wanted'),
    count('ambassadorsAccepted', 'Accepted'),
    count('requestsDelivered', 'Requests delivered'),
    count('ambassadorsDelivered', 'Ambassadors delivered'),
    count('pupilsReached', 'Pupils reached'),
    { key: 'hoursLogged', label: 'Hours logged', type: 'number' },
    count('ambassadorsActive', 'Ambassadors active'),
  ],
  rows(manager, filter, now) {
    return run(
      manager,
      this.columns,
      `WITH ${SCOPE}, ${REQUESTS},
      -- Different ambassadors are counted in one pass over the accepted offers: a count per
      -- cohort and partnership by subquery read every accepted offer again for each.
      active AS (
        SELECT rq.cohort, rq.partnership, count(DISTINCT o.ambassador_id) AS ambassadors
          FROM requests rq JOIN ambassador_offers o ON o.request_id = rq.id AND o.status = 'accepted' WHERE rq.status <> 'cancelled' GROUP BY rq.cohort, rq.partnership
      )
      SELECT p.cohort, p.partnership, count(*) AS requests, sum(p.number_wanted) AS "ambassadorsWanted", sum(p.accepted) AS "ambassadorsAccepted",
             count(*) FILTER (WHERE p.delivered) AS "requestsDelivered", coalesce(sum(p.accepted) FILTER (WHERE p.delivered), 0) AS "ambassadorsDelivered",
             coalesce(sum(p.pupils_reached) FILTER (WHERE p.delivered), 0) AS "pupilsReached", coalesce(sum(p.hours), 0) AS "hoursLogged",
             coalesce(min(act.ambassadors), 0) AS "ambassadorsActive"
        FROM per_request p LEFT JOIN active act ON act.cohort = p.cohort AND act.partnership = p.partnership
       WHERE p.status <> 'cancelled' GROUP BY p.cohort, p.partnership ORDER BY p.cohort, p.partnership`,
      filter,
      now,
    );
  },
};

const KEY_STAGE_CELLS = ['eyfs', 'ks1', 'ks2', 'ks3', 'ks4', 'ks5'];
export const ambassadorRequestsByKeyStage: Figure = {
  key: 'ambassador-requests-by-key-stage',
  group: 'equality',
  title: 'STEM Ambassador requests by key stage',
  definition:
    'The same requests, cancelled ones left out, per cohort, counted under each key stage they were for (a request for two key stages counts under both, so the stages add up to more than the requests).',
  suppression: SUPPRESSION_RULE,
  columns: [text('cohort', 'Cohort'), ...KEY_STAGE_CELLS.map((k) => count(k, k.toUpperCase())), count('requests', 'Requests')],
  async rows(manager, filter, now) {
    const rows = await run(
      manager,
      this.columns,
      `WITH ${SCOPE}, ${REQUESTS},
      distinct_requests AS (SELECT DISTINCT cohort, id, key_stages FROM requests WHERE status <> 'cancelled')
      SELECT cohort, ${KEY_STAGE_CELLS.map((k) => `count(*) FILTER (WHERE '${k}' = ANY (key_stages)) AS ${k}`).join(', ')}, count(*) AS requests
        FROM distinct_requests GROUP BY cohort ORDER BY cohort`,
      filter,
      now,
    );
    return rows.map((row) => {
      const { cells } = suppressSmallCounts(KEY_STAGE_CELLS.map((k) => Number(row[k] ?? 0)));
      return { ...row, ...Object.fromEntries(KEY_STAGE_CELLS.map((k, i) => [k, cells[i]])) };
    });
  },
};
