import { INSTRUMENTS, itemValues, suppressSmallCounts, type InstrumentKey } from '#domain';
import { suppressRows, SUBJECTS, TEACHING_ROLES, type Row } from '#domain/reports/figure-kit';

/**
 * Each report figure written by hand as one plain SQL statement: the floor a figure could
 * reach, measured in the benchmark beside the API's answer for the same numbers. `$1` is
 * the programme the figure is held to (null for every programme, as an admin sees them),
 * `$2` the instant "now". The benchmark runs them with JIT off, as the best setting for
 * them would. Where a figure hides small counts or names a survey, the same
 * few lines of TypeScript run on the rows afterwards (`post`): they cost nothing next to
 * the query.
 */
export interface HandWritten {
  sql: string;
  post?: (rows: Row[]) => Row[];
}

const SCOPE = `sc AS (
    SELECT p.id, p.name AS partnership, p.budget_pence, p.educational_lead_id, c.id AS cohort_id, c.name AS cohort
      FROM partnerships p JOIN cohorts c ON c.id = p.cohort_id WHERE ($1::uuid IS NULL OR c.programme_id = $1::uuid)
  )`;
/** Current memberships in scope. */
const CURRENT = `mem AS (
    SELECT m.id, m.school_id, (m.joined_at AT TIME ZONE 'Europe/London')::date AS joined_on, sc.cohort, sc.partnership, sc.educational_lead_id
      FROM partnership_members m JOIN sc ON sc.id = m.partnership_id WHERE m.left_at IS NULL
  )`;
const TODAY = `($2::timestamptz AT TIME ZONE 'Europe/London')::date`;
const BAND = `CASE WHEN hours / 5 < 10 THEN 'under 10' WHEN hours / 5 <= 20 THEN '10 to 20' ELSE 'over 20' END`;
const BAND_ORDER = `CASE band WHEN 'under 10' THEN 1 WHEN '10 to 20' THEN 2 ELSE 3 END`;
const KEY_STAGES = ['eyfs', 'ks1', 'ks2', 'ks3', 'ks4', 'ks5'];

/** A school's activity: CPD records of anyone at it, and enrichment events it took part in. */
const ACTIVITY = `act AS (
    SELECT r.school_id, r.occurred_on AS d FROM cpd_records r WHERE r.school_id IN (SELECT school_id FROM mem)
    UNION ALL
    SELECT es.school_id, e.occurs_on FROM enrichment_event_schools es JOIN enrichment_events e ON e.id = es.event_id WHERE es.school_id IN (SELECT school_id FROM mem)
  )`;

/** CPD records paid through a partnership in scope. */
const RECORDS = `rec AS (
    SELECT sc.cohort_id, sc.cohort, coalesce(s.phase, 'unknown') AS school_phase, r.person_id, r.school_id, r.hours, r.subject, r.booking_id, r.course_id, r.title, r.occurred_on,
           pe.role, pe.slt, pe.subject_specialism, pe.gender
      FROM cpd_records r JOIN sc ON sc.id = r.partnership_id JOIN people pe ON pe.id = r.person_id LEFT JOIN schools s ON s.id = r.school_id
  )`;

/** Every scale and choice point of an instrument, in its order, as rows of VALUES. */
function points(key: InstrumentKey): string {
  const instrument = INSTRUMENTS[key];
  const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;
  const rows = instrument.items.flatMap((item, i) =>
    itemValues(instrument, item).map((point, j) => `(${quote(item.key)}, ${i}, ${quote(item.text)}, ${j}, ${quote(point.value)}, ${quote(point.label)})`),
  );
  return `items(item_key, item_order, item_text, point_order, value, label) AS (VALUES ${rows.join(', ')})`;
}

/** The distribution of every point of every item, per group, with the points nobody chose (0). */
function distribution(key: InstrumentKey, group: 'course' | 'role' | null): HandWritten {
  const by = group === 'course' ? ', course' : group === 'role' ? ', role' : '';
  const on = group === 'course' ? ' AND gv.course = g.course' : group === 'role' ? ' AND gv.role = g.role' : '';
  const onTotal = group === 'course' ? ' AND t.course = g.course' : group === 'role' ? ' AND t.role = g.role' : '';
  return {
    sql: `WITH ${SCOPE},
      resp AS (
        SELECT sc.cohort, coalesce(co.title, '(no course)') AS course,
               CASE WHEN pe.role IN ${TEACHING_ROLES} OR pe.slt THEN 'teachers (incl. SLT)' ELSE 'other roles' END AS role, r.answers
          FROM survey_invitations i JOIN sc ON sc.id = i.partnership_id JOIN people pe ON pe.id = i.person_id JOIN survey_responses r ON r.invitation_id = i.id
          LEFT JOIN cpd_courses co ON co.id = i.course_id
         WHERE i.instrument_key = '${key}'
      ),
      given AS (
        SELECT cohort${by}, a.key, a.value #>> '{}' AS value, count(*) AS n FROM resp CROSS JOIN LATERAL jsonb_each(resp.answers) a
         WHERE jsonb_typeof(a.value) = 'string' AND a.value #>> '{}' <> '' GROUP BY cohort${by}, a.key, a.value #>> '{}'
      ),
      answered AS (SELECT cohort${by}, key, sum(n) AS n FROM given GROUP BY cohort${by}, key),
      grp AS (SELECT DISTINCT cohort${by} FROM resp),
      ${points(key)}
      SELECT g.cohort${by.replace(', ', ', g.')}, it.item_text AS item, it.label AS answer, coalesce(gv.n, 0) AS responses,
             CASE WHEN coalesce(t.n, 0) = 0 THEN 0 ELSE floor(coalesce(gv.n, 0)::float8 / t.n * 1000 + 0.5) / 10 END AS percent
        FROM grp g CROSS JOIN items it
        LEFT JOIN given gv ON gv.cohort = g.cohort${on} AND gv.key = it.item_key AND gv.value = it.value
        LEFT JOIN answered t ON t.cohort = g.cohort${onTotal} AND t.key = it.item_key
       ORDER BY g.cohort${by.replace(', ', ', g.')}, it.item_order, it.point_order`,
  };
}

/** Self-evaluations in scope, each with its latest submitted answers, one row per element asked. */
const EVAL_ITEMS = `ev AS (
    SELECT e.id, e.school_id, e.kind, e.term_label, e.opened_at, e.deadline_at, e.status, e.form, sc.cohort, sc.partnership, sc.educational_lead_id, s.name AS school
      FROM self_evaluations e JOIN sc ON sc.id = e.partnership_id JOIN schools s ON s.id = e.school_id
  ),
  latest AS (
    SELECT DISTINCT ON (rv.self_evaluation_id) rv.self_evaluation_id, rv.answers
      FROM self_evaluation_revisions rv WHERE rv.action = 'submit' AND rv.self_evaluation_id IN (SELECT id FROM ev) ORDER BY rv.self_evaluation_id, rv.revision DESC
  ),
  items AS (
    SELECT ev.id, ev.school_id, ev.cohort, ev.partnership, ev.term_label, ev.opened_at, sec->>'frameworkKey' AS framework_key, sec->>'frameworkName' AS framework,
           el->>'key' AS element_key, coalesce((el->>'code') || ' ', '') || (el->>'name') AS element, sec->'levels' AS levels,
           CAST(l.answers -> ((sec->>'frameworkKey') || ':' || (el->>'key')) ->> 'level' AS integer) AS level
      FROM ev JOIN latest l ON l.self_evaluation_id = ev.id CROSS JOIN LATERAL jsonb_array_elements(ev.form->'sections') sec CROSS JOIN LATERAL jsonb_array_elements(sec->'elements') el
  )`;

/** Ambassador requests of schools that are or were members in scope, once per partnership, with their accepted offers. */
const AMBASSADOR_REQUESTS = `mb AS (
    SELECT m.school_id, sc.id AS partnership_id, sc.cohort_id, sc.cohort, sc.partnership FROM partnership_members m JOIN sc ON sc.id = m.partnership_id
  ),
  requests AS (
    SELECT DISTINCT ON (mb.partnership_id, r.id) r.id, r.status, r.number_wanted, r.delivered, r.pupils_reached, r.created_at, r.key_stages, mb.cohort, mb.partnership
      FROM ambassador_requests r JOIN mb ON mb.school_id = r.school_id AND (r.cohort_id IS NULL OR r.cohort_id = mb.cohort_id)
  ),
  acc AS (
    SELECT o.request_id, count(*) AS accepted, sum(o.hours_logged) AS hours, array_agg(o.answered_at ORDER BY o.answered_at, o.id) AS times
      FROM ambassador_offers o WHERE o.status = 'accepted' AND o.request_id IN (SELECT id FROM requests) GROUP BY o.request_id
  ),
  per AS (
    SELECT rq.*, coalesce(a.accepted, 0) AS accepted, a.times[rq.number_wanted] AS filled_at, a.hours FROM requests rq LEFT JOIN acc a ON a.request_id = rq.id
  )`;

/** Key stages overlap, so the total is no sum of them: each small cell is hidden with its pair. */
const suppressKeyStages = (rows: Row[]) =>
  rows.map((row) => {
    const { cells } = suppressSmallCounts(KEY_STAGES.map((k) => Number(row[k] ?? 0)));
    return { ...row, ...Object.fromEntries(KEY_STAGES.map((k, i) => [k, cells[i]])) };
  });

export const HAND_WRITTEN: Record<string, HandWritten> = {
  'schools-by-status': {
    sql: `WITH ${SCOPE}
      SELECT sc.cohort, sc.partnership, s.status, count(*) AS schools
        FROM partnership_members m JOIN sc ON sc.id = m.partnership_id JOIN schools s ON s.id = m.school_id
       WHERE m.left_at IS NULL GROUP BY sc.cohort, sc.partnership, s.status ORDER BY 1, 2, 3`,
  },

  'time-to-first-activity': {
    sql: `WITH ${SCOPE}, ${CURRENT}, ${ACTIVITY},
      firsts AS (
        SELECT mem.id, mem.cohort, mem.partnership, mem.joined_on, min(a.d) AS first_on
          FROM mem LEFT JOIN act a ON a.school_id = mem.school_id AND a.d >= mem.joined_on GROUP BY mem.id, mem.cohort, mem.partnership, mem.joined_on
      )
      SELECT cohort, partnership, count(*) AS "schools", count(first_on) AS "schoolsActive", count(*) - count(first_on) AS "schoolsNotYetActive",
             round(CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY first_on - joined_on) AS numeric), 1) AS "medianDaysToFirstActivity"
        FROM firsts GROUP BY cohort, partnership ORDER BY cohort, partnership`,
  },

  'schools-gone-quiet': {
    sql: `WITH ${SCOPE}, ${CURRENT}, ${ACTIVITY},
      last AS (SELECT school_id, max(d) AS last_on FROM act WHERE d <= ${TODAY} GROUP BY school_id)
      SELECT mem.cohort, mem.partnership, s.name AS school, to_char(mem.joined_on, 'YYYY-MM-DD') AS "joinedOn", to_char(l.last_on, 'YYYY-MM-DD') AS "lastActivityOn",
             lead.name AS "educationalLead", lead.email AS "educationalLeadEmail"
        FROM mem JOIN schools s ON s.id = mem.school_id LEFT JOIN last l ON l.school_id = mem.school_id LEFT JOIN people lead ON lead.id = mem.educational_lead_id
       WHERE s.status <> 'withdrawn' AND mem.joined_on < ${TODAY} - 90 AND (l.last_on IS NULL OR l.last_on < ${TODAY} - 90)
       ORDER BY mem.cohort, mem.partnership, s.name`,
  },

  // Each person counted once per phase and once per cohort, from one pass over the records.
  'participation-by-phase': {
    sql: `WITH ${SCOPE}, ${RECORDS},
      pp AS (
        SELECT cohort, school_phase, person_id, count(*) AS n, sum(hours) AS hours, bool_or(role IN ${TEACHING_ROLES} OR slt) AS teaching, bool_or(slt) AS slt,
               max(subject_specialism) AS specialism
          FROM rec GROUP BY cohort, school_phase, person_id
      ),
      pc AS (
        SELECT cohort, 'all' AS school_phase, person_id, sum(n) AS n, sum(hours) AS hours, bool_or(teaching) AS teaching, bool_or(slt) AS slt, max(specialism) AS specialism
          FROM pp GROUP BY cohort, person_id
      ),
      counted AS (
        SELECT cohort, school_phase AS phase, count(*) AS "uniqueParticipants", sum(n) AS attendances, count(*) FILTER (WHERE teaching) AS "teachersInclSlt",
               count(*) FILTER (WHERE slt) AS slt, ${SUBJECTS.map((s) => `count(*) FILTER (WHERE specialism = '${s}') AS "${s}Specialists"`).join(', ')},
               sum(hours) AS hours, round(sum(hours) / 5, 2) AS "cpdUnits"
          FROM (SELECT * FROM pp UNION ALL SELECT * FROM pc) x GROUP BY cohort, school_phase
      ),
      spent AS (
        SELECT sc.cohort, coalesce(coalesce(s.phase, 'unknown'), 'all') AS phase, sum(b.amount_pence) AS pence
          FROM budget_entries b JOIN sc ON sc.id = b.partnership_id LEFT JOIN schools s ON s.id = b.school_id WHERE b.kind = 'spend'
         GROUP BY GROUPING SETS ((sc.cohort, coalesce(s.phase, 'unknown')), (sc.cohort))
      )
      SELECT c.*, coalesce(s.pence, 0) AS "spendPence", round(coalesce(s.pence, 0)::numeric / c."uniqueParticipants") AS "costPerParticipantPence",
             round(100 * c.hours / nullif(max(c.hours) FILTER (WHERE c.phase = 'all') OVER (PARTITION BY c.cohort), 0), 1) AS "shareOfHoursPercent"
        FROM counted c LEFT JOIN spent s ON s.cohort = c.cohort AND s.phase = c.phase
       ORDER BY c.cohort, c.phase = 'all', c.phase`,
  },

  'cpd-by-subject': {
    sql: `WITH ${SCOPE}, ${RECORDS}
      SELECT r.cohort, r.subject,
             count(DISTINCT coalesce('session:' || b.session_id::text, 'course:' || r.course_id::text || ':' || r.occurred_on::text, 'title:' || r.title || ':' || r.occurred_on::text)) AS "cpdEvents",
             count(*) AS attendances, count(DISTINCT r.person_id) AS "uniqueParticipants", sum(r.hours) AS hours, round(sum(r.hours) / 5, 2) AS "cpdUnits",
             round(100 * sum(r.hours) / sum(sum(r.hours)) OVER (PARTITION BY r.cohort), 1) AS "shareOfHoursPercent"
        FROM rec r LEFT JOIN cpd_bookings b ON b.id = r.booking_id GROUP BY r.cohort, r.subject ORDER BY r.cohort, r.subject`,
  },

  'community-events': {
    sql: `WITH ${SCOPE},
      ev AS (SELECT DISTINCT sc.cohort, es.event_id FROM enrichment_event_schools es JOIN partnership_members m ON m.school_id = es.school_id JOIN sc ON sc.id = m.partnership_id)
      SELECT ev.cohort, e.details->>'type' AS type, count(*) AS events, sum((e.details->'audience'->>'pupils')::int) AS pupils, sum((e.details->'audience'->>'parents')::int) AS parents,
             sum((e.details->'audience'->>'staff')::int) AS staff, sum((e.details->'audience'->>'otherSchools')::int) AS "otherSchools"
        FROM ev JOIN enrichment_events e ON e.id = ev.event_id GROUP BY ev.cohort, e.details->>'type' ORDER BY 1, 2`,
  },

  'feedback-by-course': distribution('cpd-feedback', 'course'),
  'feedback-by-role': distribution('cpd-feedback', 'role'),
  'impact-survey-results': distribution('cpd-impact', null),

  'survey-response-rates': {
    sql: `WITH ${SCOPE},
      participants AS (
        SELECT sc.cohort, i.instrument_key, coalesce(co.title, '(no course)') AS course, CASE WHEN nt.id IS NOT NULL THEN 'not_sent' ELSE 'invited' END AS state, r.id AS response_id
          FROM survey_invitations i JOIN sc ON sc.id = i.partnership_id LEFT JOIN cpd_courses co ON co.id = i.course_id LEFT JOIN survey_responses r ON r.invitation_id = i.id
          LEFT JOIN notifications nt ON nt.idempotency_key = 'survey-invitation:' || i.id AND nt.status = 'skipped'
         WHERE i.instrument_key IN ('cpd-feedback', 'cpd-impact')
        UNION ALL
        SELECT sc.cohort, n.instrument_key, coalesce(co.title, '(no course)'), n.reason, NULL
          FROM survey_not_asked n JOIN sc ON sc.id = n.partnership_id LEFT JOIN cpd_courses co ON co.id = n.course_id WHERE n.instrument_key IN ('cpd-feedback', 'cpd-impact')
      )
      SELECT cohort, instrument_key, coalesce(course, 'all courses') AS course,
             count(*) FILTER (WHERE state = 'invited') AS invited, count(response_id) FILTER (WHERE state = 'invited') AS responded,
             round(100.0 * count(response_id) FILTER (WHERE state = 'invited') / nullif(count(*) FILTER (WHERE state = 'invited'), 0), 1) AS rate,
             count(*) FILTER (WHERE state = 'objected') AS objected, count(*) FILTER (WHERE state = 'no_email') AS no_email, count(*) FILTER (WHERE state = 'not_sent') AS not_sent
        FROM participants GROUP BY GROUPING SETS ((cohort, instrument_key, course), (cohort, instrument_key))
       ORDER BY cohort, instrument_key, course IS NULL, course`,
    post: (rows) =>
      rows.map((r) => ({
        cohort: String(r.cohort),
        survey: INSTRUMENTS[r.instrument_key as InstrumentKey]?.name ?? String(r.instrument_key),
        course: String(r.course),
        invited: Number(r.invited),
        responded: Number(r.responded),
        responseRatePercent: r.rate === null ? null : Number(r.rate),
        notAsked: Number(r.objected) + Number(r.no_email) + Number(r.not_sent),
        notAskedObjected: Number(r.objected),
        notAskedNoEmail: Number(r.no_email),
        notAskedNotSent: Number(r.not_sent),
      })),
  },

  // Counted once per group and level, then every level of the scale laid beside its count.
  'self-evaluation-levels': {
    sql: `WITH ${SCOPE}, ${EVAL_ITEMS},
      counts AS (SELECT cohort, partnership, framework_key, element_key, term_label, level, count(*) AS n FROM items GROUP BY 1, 2, 3, 4, 5, 6),
      groups AS (SELECT DISTINCT cohort, partnership, framework_key, framework, element_key, element, term_label, levels FROM items),
      terms AS (SELECT cohort, term_label, min(opened_at) AS began FROM ev GROUP BY cohort, term_label)
      SELECT g.cohort, g.partnership, g.framework, g.element, g.term_label AS term, lv.n AS "levelNumber", lv.name AS level, coalesce(c.n, 0) AS schools
        FROM groups g CROSS JOIN LATERAL jsonb_array_elements_text(g.levels) WITH ORDINALITY AS lv(name, n)
        JOIN terms t ON t.cohort = g.cohort AND t.term_label = g.term_label
        LEFT JOIN counts c ON c.cohort = g.cohort AND c.partnership = g.partnership AND c.framework_key = g.framework_key AND c.element_key = g.element_key
                          AND c.term_label = g.term_label AND c.level = lv.n
       ORDER BY g.cohort, g.partnership, g.framework, g.element, t.began, lv.n`,
  },

  'self-evaluation-gain': {
    sql: `WITH ${SCOPE}, ${EVAL_ITEMS},
      per AS (
        SELECT cohort, partnership, school_id, framework_key, element_key, framework, element, count(*) AS m,
               (array_agg(level ORDER BY opened_at, id))[1] AS first_level, (array_agg(level ORDER BY opened_at DESC, id DESC))[1] AS latest_level
          FROM items WHERE level IS NOT NULL GROUP BY cohort, partnership, school_id, framework_key, element_key, framework, element
      )
      SELECT cohort, partnership, framework, element, count(*) AS schools, round(avg(first_level), 2) AS "averageBaselineLevel", round(avg(latest_level), 2) AS "averageLatestLevel",
             round(avg(latest_level - first_level), 2) AS "averageGain", count(*) FILTER (WHERE latest_level > first_level) AS "schoolsUp",
             count(*) FILTER (WHERE latest_level = first_level) AS "schoolsSame", count(*) FILTER (WHERE latest_level < first_level) AS "schoolsDown"
        FROM per WHERE m > 1 GROUP BY cohort, partnership, framework, element ORDER BY 1, 2, 3, 4`,
  },

  'self-evaluation-not-returned': {
    sql: `WITH ${SCOPE},
      ev AS (
        SELECT e.id, e.term_label, e.opened_at, e.deadline_at, e.status, sc.cohort, sc.partnership, sc.educational_lead_id, s.name AS school, f.first_submitted_at
          FROM self_evaluations e JOIN sc ON sc.id = e.partnership_id JOIN schools s ON s.id = e.school_id
          LEFT JOIN (SELECT self_evaluation_id, min(recorded_at) AS first_submitted_at FROM self_evaluation_revisions WHERE action = 'submit' GROUP BY self_evaluation_id) f ON f.self_evaluation_id = e.id
         WHERE e.kind = 'termly' AND e.deadline_at <= $2::timestamptz
      )
      SELECT ev.cohort, ev.partnership, ev.term_label AS term, ev.school, to_char((ev.deadline_at AT TIME ZONE 'Europe/London')::date, 'YYYY-MM-DD') AS deadline,
             CASE WHEN ev.first_submitted_at IS NOT NULL THEN 'submitted late' WHEN ev.status = 'draft' THEN 'draft saved' ELSE 'not started' END AS "statusNow",
             lead.name AS "educationalLead", lead.email AS "educationalLeadEmail"
        FROM ev LEFT JOIN people lead ON lead.id = ev.educational_lead_id
       WHERE ev.first_submitted_at IS NULL OR ev.first_submitted_at > ev.deadline_at
       ORDER BY ev.cohort, ev.partnership, min(ev.opened_at) OVER (PARTITION BY ev.cohort, ev.term_label), ev.school`,
  },

  'ambassador-requests': {
    sql: `WITH ${SCOPE}, ${AMBASSADOR_REQUESTS}
      SELECT cohort, partnership, count(*) AS requests, count(*) FILTER (WHERE status IN ('requested', 'matching', 'offered')) AS open,
             count(*) FILTER (WHERE status = 'filled') AS filled, count(*) FILTER (WHERE status = 'partially_filled') AS "partiallyFilled",
             count(*) FILTER (WHERE status = 'delivered') AS delivered, count(*) FILTER (WHERE status = 'closed') AS closed,
             count(*) FILTER (WHERE status = 'expired') AS expired, count(*) FILTER (WHERE status = 'cancelled') AS cancelled, count(filled_at) AS "filledInFull",
             round(CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM filled_at - created_at) / 86400) AS numeric), 1) AS "medianDaysToFill"
        FROM per GROUP BY cohort, partnership ORDER BY cohort, partnership`,
  },

  'ambassador-delivery': {
    sql: `WITH ${SCOPE}, ${AMBASSADOR_REQUESTS},
      active AS (
        SELECT rq.cohort, rq.partnership, count(DISTINCT o.ambassador_id) AS n
          FROM requests rq JOIN ambassador_offers o ON o.request_id = rq.id AND o.status = 'accepted' WHERE rq.status <> 'cancelled' GROUP BY rq.cohort, rq.partnership
      )
      SELECT p.cohort, p.partnership, count(*) AS requests, sum(p.number_wanted) AS "ambassadorsWanted", sum(p.accepted) AS "ambassadorsAccepted",
             count(*) FILTER (WHERE p.delivered) AS "requestsDelivered", coalesce(sum(p.accepted) FILTER (WHERE p.delivered), 0) AS "ambassadorsDelivered",
             coalesce(sum(p.pupils_reached) FILTER (WHERE p.delivered), 0) AS "pupilsReached", coalesce(sum(p.hours), 0) AS "hoursLogged", coalesce(min(a.n), 0) AS "ambassadorsActive"
        FROM per p LEFT JOIN active a ON a.cohort = p.cohort AND a.partnership = p.partnership
       WHERE p.status <> 'cancelled' GROUP BY p.cohort, p.partnership ORDER BY p.cohort, p.partnership`,
  },

  'budget-by-partnership': {
    sql: `WITH ${SCOPE},
      sums AS (
        SELECT b.partnership_id, sum(b.amount_pence) FILTER (WHERE b.kind = 'override') AS overrides, sum(b.amount_pence) FILTER (WHERE b.kind IN ('commitment', 'release')) AS committed,
               sum(b.amount_pence) FILTER (WHERE b.kind = 'spend') AS spent
          FROM budget_entries b WHERE b.partnership_id IN (SELECT id FROM sc) GROUP BY b.partnership_id
      )
      SELECT sc.cohort, sc.partnership, sc.budget_pence AS "allocatedPence", coalesce(s.overrides, 0) AS "overridesPence", coalesce(s.committed, 0) AS "committedPence",
             coalesce(s.spent, 0) AS "spentPence", sc.budget_pence + coalesce(s.overrides, 0) - coalesce(s.committed, 0) - coalesce(s.spent, 0) AS "availablePence"
        FROM sc LEFT JOIN sums s ON s.partnership_id = sc.id ORDER BY sc.cohort, sc.partnership`,
  },

  'budget-by-school': {
    sql: `WITH ${SCOPE}
      SELECT sc.cohort, sc.partnership, coalesce(s.name, '(no school)') AS school, coalesce(b.channel, 'unknown') AS channel,
             coalesce(sum(b.amount_pence) FILTER (WHERE b.kind IN ('commitment', 'release')), 0) AS "committedPence", coalesce(sum(b.amount_pence) FILTER (WHERE b.kind = 'spend'), 0) AS "spentPence"
        FROM budget_entries b JOIN sc ON sc.id = b.partnership_id LEFT JOIN schools s ON s.id = b.school_id
       WHERE b.kind <> 'override' GROUP BY sc.cohort, sc.partnership, s.name, b.channel ORDER BY 1, 2, 3, 4`,
  },

  'ofsted-movement': {
    sql: `WITH ${SCOPE}, ${CURRENT},
      rated AS (
        SELECT mem.id, mem.cohort, mem.joined_on,
               (array_agg(o.rating ORDER BY o.inspected_on DESC) FILTER (WHERE o.inspected_on < mem.joined_on))[1] AS before,
               (array_agg(o.rating ORDER BY o.inspected_on DESC) FILTER (WHERE o.inspected_on >= mem.joined_on))[1] AS since,
               max(o.inspected_on) FILTER (WHERE o.inspected_on >= mem.joined_on) AS since_on
          FROM mem LEFT JOIN ofsted_inspections o ON o.school_id = mem.school_id GROUP BY mem.id, mem.cohort, mem.joined_on
      ),
      moved AS (
        SELECT cohort, since_on - joined_on AS days,
               CASE WHEN since_on IS NULL THEN 'not inspected since joining' WHEN before IS NULL THEN 'no rating before joining'
                    WHEN since < before THEN 'improved' WHEN since = before THEN 'same' ELSE 'declined' END AS movement
          FROM rated
      )
      SELECT cohort, movement, count(*) AS schools, round(CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS numeric), 1) AS "medianDaysJoiningToInspection"
        FROM moved GROUP BY cohort, movement ORDER BY cohort, movement`,
  },

  'cpd-unit-bands': {
    sql: `WITH ${SCOPE}, ${RECORDS},
      per_person AS (SELECT cohort, person_id, min(school_id::text) AS school_id, sum(hours) AS hours FROM rec GROUP BY cohort, person_id),
      banded AS (SELECT *, ${BAND} AS band FROM per_person)
      SELECT cohort, band, count(*) AS participants, count(DISTINCT school_id) AS schools, sum(hours) AS hours FROM banded GROUP BY cohort, band ORDER BY cohort, ${BAND_ORDER}`,
  },

  'outcomes-by-cpd-unit-band': {
    sql: `WITH ${SCOPE}, ${RECORDS},
      banded AS (SELECT cohort_id, cohort, person_id, ${BAND} AS band FROM (SELECT cohort_id, cohort, person_id, sum(hours) AS hours FROM rec GROUP BY cohort_id, cohort, person_id) p),
      said AS (
        SELECT sc.cohort_id, i.person_id,
               count(*) FILTER (WHERE i.instrument_key = 'cpd-feedback' AND r.answers ? 'impact_practice') AS feedback,
               count(*) FILTER (WHERE i.instrument_key = 'cpd-feedback' AND r.answers->>'impact_practice' IN ('agree', 'agree_strongly')) AS agree,
               count(*) FILTER (WHERE i.instrument_key = 'cpd-impact' AND r.answers ? 'used_it') AS impact,
               count(*) FILTER (WHERE i.instrument_key = 'cpd-impact' AND r.answers->>'used_it' IN ('regularly', 'once_or_twice')) AS used
          FROM survey_invitations i JOIN sc ON sc.id = i.partnership_id JOIN survey_responses r ON r.invitation_id = i.id
         WHERE i.instrument_key IN ('cpd-feedback', 'cpd-impact') GROUP BY sc.cohort_id, i.person_id
      )
      SELECT b.cohort, b.band, count(*) AS participants, coalesce(sum(s.feedback), 0) AS "feedbackResponses", coalesce(sum(s.agree), 0) AS "agreeImpactOnPractice",
             round(100.0 * sum(s.agree) / nullif(sum(s.feedback), 0), 1) AS "agreeImpactOnPracticePercent", coalesce(sum(s.impact), 0) AS "impactResponses", coalesce(sum(s.used), 0) AS "usedIt",
             round(100.0 * sum(s.used) / nullif(sum(s.impact), 0), 1) AS "usedItPercent"
        FROM banded b LEFT JOIN said s ON s.cohort_id = b.cohort_id AND s.person_id = b.person_id
       GROUP BY b.cohort, b.band ORDER BY b.cohort, ${BAND_ORDER.replace('band', 'b.band')}`,
  },

  'participants-by-gender': {
    sql: `WITH ${SCOPE}, ${RECORDS},
      people_in AS (SELECT DISTINCT cohort, person_id, gender FROM rec)
      SELECT cohort, count(*) FILTER (WHERE gender = 'female') AS female, count(*) FILTER (WHERE gender = 'male') AS male, count(*) FILTER (WHERE gender = 'non_binary') AS "nonBinary",
             count(*) FILTER (WHERE gender = 'not_said') AS "notSaid", count(*) FILTER (WHERE gender IS NULL) AS "notRecorded", count(*) AS total
        FROM people_in GROUP BY cohort ORDER BY cohort`,
    post: (rows) => suppressRows(rows, ['female', 'male', 'nonBinary', 'notSaid', 'notRecorded'], 'total'),
  },

  'participants-by-disadvantage': {
    sql: `WITH ${SCOPE}, ${RECORDS},
      people_in AS (SELECT DISTINCT ON (r.cohort, r.person_id) r.cohort, r.person_id, s.fsm_percent FROM rec r LEFT JOIN schools s ON s.id = r.school_id ORDER BY r.cohort, r.person_id, r.occurred_on DESC)
      SELECT cohort, count(*) FILTER (WHERE fsm_percent < 20) AS "fsmUnder20", count(*) FILTER (WHERE fsm_percent >= 20 AND fsm_percent <= 35) AS "fsm20To35",
             count(*) FILTER (WHERE fsm_percent > 35) AS "fsmOver35", count(*) FILTER (WHERE fsm_percent IS NULL) AS "fsmUnknown", count(*) AS total
        FROM people_in GROUP BY cohort ORDER BY cohort`,
    post: (rows) => suppressRows(rows, ['fsmUnder20', 'fsm20To35', 'fsmOver35', 'fsmUnknown'], 'total'),
  },

  'enrichment-by-key-stage': {
    sql: `WITH ${SCOPE},
      ev AS (SELECT DISTINCT sc.cohort, es.event_id FROM enrichment_event_schools es JOIN partnership_members m ON m.school_id = es.school_id JOIN sc ON sc.id = m.partnership_id)
      SELECT ev.cohort, ${KEY_STAGES.map((k) => `count(*) FILTER (WHERE e.details->'keyStages' ? '${k}') AS ${k}`).join(', ')}, count(*) AS events
        FROM ev JOIN enrichment_events e ON e.id = ev.event_id GROUP BY ev.cohort ORDER BY ev.cohort`,
    post: suppressKeyStages,
  },

  'ambassador-requests-by-key-stage': {
    sql: `WITH ${SCOPE}, ${AMBASSADOR_REQUESTS},
      distinct_requests AS (SELECT DISTINCT cohort, id, key_stages FROM requests WHERE status <> 'cancelled')
      SELECT cohort, ${KEY_STAGES.map((k) => `count(*) FILTER (WHERE '${k}' = ANY (key_stages)) AS ${k}`).join(', ')}, count(*) AS requests
        FROM distinct_requests GROUP BY cohort ORDER BY cohort`,
    post: suppressKeyStages,
  },
};

/**
 * The lists' pages by hand: the page's rows (with a notification's attempts, an audit row's
 * token) and the total, in one statement. For a programme manager `$1` is the programme
 * and `$2` the offset; an admin sees every row, so their statements name only the offset.
 */
export type ListName = 'schools' | 'people' | 'notifications' | 'audit';

const VISIBLE_SCHOOLS = `vis AS MATERIALIZED (
    SELECT m.school_id AS id FROM partnership_members m JOIN partnerships p ON p.id = m.partnership_id JOIN cohorts c ON c.id = p.cohort_id WHERE c.programme_id = $1::uuid AND m.left_at IS NULL
    UNION
    SELECT s.id FROM schools s WHERE NOT EXISTS (SELECT 1 FROM partnership_members x WHERE x.school_id = s.id AND x.left_at IS NULL)
  )`;

const MANAGER_PAGES: Record<ListName, string | null> = {
  schools: `WITH ${VISIBLE_SCHOOLS},
      page AS (SELECT s.* FROM schools s WHERE s.id IN (SELECT id FROM vis) ORDER BY s.name, s.id OFFSET $2 LIMIT 50)
    SELECT (SELECT count(*) FROM vis) AS total, (SELECT json_agg(page) FROM page) AS items`,
  people: `WITH ${VISIBLE_SCHOOLS},
      seen AS MATERIALIZED (
        SELECT p.id FROM people p WHERE p.school_id IN (SELECT id FROM vis)
        UNION ALL
        SELECT p.id FROM people p WHERE p.school_id IS NULL
           AND (p.programme_id = $1::uuid OR p.id IN (SELECT x.educational_lead_id FROM partnerships x JOIN cohorts c ON c.id = x.cohort_id WHERE c.programme_id = $1::uuid))
      ),
      page AS (SELECT p.* FROM people p WHERE p.id IN (SELECT id FROM seen) ORDER BY p.name, p.id OFFSET $2 LIMIT 50)
    SELECT (SELECT count(*) FROM seen) AS total, (SELECT json_agg(page) FROM page) AS items`,
  notifications: `WITH mine AS MATERIALIZED (
        SELECT m.school_id FROM partnership_members m JOIN partnerships p ON p.id = m.partnership_id JOIN cohorts c ON c.id = p.cohort_id WHERE c.programme_id = $1::uuid AND m.left_at IS NULL
      ),
      seen AS (SELECT n.* FROM notifications n WHERE n.programme_id = $1::uuid OR n.school_id IN (SELECT school_id FROM mine)),
      page AS (SELECT * FROM seen ORDER BY created_at DESC, id OFFSET $2 LIMIT 50)
    SELECT (SELECT count(*) FROM seen) AS total,
           (SELECT json_agg(x) FROM (SELECT page.*, (SELECT json_agg(a ORDER BY a.attempt) FROM notification_attempts a WHERE a.notification_id = page.id) AS attempts FROM page) x) AS items`,
  audit: null,
};

const ADMIN_PAGES: Record<ListName, string> = {
  schools: `SELECT (SELECT count(*) FROM schools) AS total, (SELECT json_agg(x) FROM (SELECT * FROM schools ORDER BY name, id OFFSET $1 LIMIT 50) x) AS items`,
  people: `SELECT (SELECT count(*) FROM people) AS total, (SELECT json_agg(x) FROM (SELECT * FROM people ORDER BY name, id OFFSET $1 LIMIT 50) x) AS items`,
  notifications: `WITH page AS (SELECT * FROM notifications ORDER BY created_at DESC, id OFFSET $1 LIMIT 50)
    SELECT (SELECT count(*) FROM notifications) AS total,
           (SELECT json_agg(x) FROM (SELECT page.*, (SELECT json_agg(a ORDER BY a.attempt) FROM notification_attempts a WHERE a.notification_id = page.id) AS attempts FROM page) x) AS items`,
  audit: `WITH page AS (
        SELECT a.*, t.name AS actor_name, t.email AS actor_email FROM audit_log a LEFT JOIN api_tokens t ON a.actor_type IN ('token', 'dashboard') AND t.id::text = a.actor_id
         ORDER BY a.at DESC, a.id LIMIT 50 OFFSET $1
      )
    SELECT (SELECT count(*) FROM audit_log) AS total, (SELECT json_agg(page) FROM page) AS items`,
};

/** A list's page by hand, as a programme manager (their programme) or an admin (null) would see it. */
export function handWrittenPage(list: ListName, programmeId: string | null, offset: number): { sql: string; params: unknown[] } | undefined {
  if (programmeId === null) return { sql: ADMIN_PAGES[list], params: [offset] };
  const sql = MANAGER_PAGES[list];
  return sql ? { sql, params: [programmeId, offset] } : undefined;
}

/** The lists that page by key (a cursor) rather than by number: their deep pages are measured as a person reaches them. */
export const CURSOR_LISTS: ReadonlySet<ListName> = new Set(['schools', 'people', 'notifications', 'audit']);

// The page after a place in a newest-first list, ties by id: $1 the place's time, $2 its id.
const AFTER = (at: string, id: string) => `${at} <= $1::timestamptz AND (${at} < $1::timestamptz OR ${id} > $2::uuid)`;
// The page after a place in a list by name: $1 the place's name, $2 its id.
const AFTER_NAME = (name: string, id: string) => `(${name}, ${id}) > ($1::text, $2::uuid)`;
/** By hand, the page after a cursor's place; a manager's page has their programme as $3. */
const KEYSET_PAGES: Record<ListName, { manager: string | null; admin: string }> = {
  schools: {
    manager: `WITH ${VISIBLE_SCHOOLS.replace(/\$1/g, '$3')}
    SELECT (SELECT json_agg(x) FROM (SELECT s.* FROM schools s WHERE s.id IN (SELECT id FROM vis) AND ${AFTER_NAME('s.name', 's.id')} ORDER BY s.name, s.id LIMIT 50) x) AS items`,
    admin: `SELECT (SELECT json_agg(x) FROM (SELECT * FROM schools s WHERE ${AFTER_NAME('s.name', 's.id')} ORDER BY name, id LIMIT 50) x) AS items`,
  },
  people: {
    manager: `WITH ${VISIBLE_SCHOOLS.replace(/\$1/g, '$3')},
      seen AS MATERIALIZED (
        SELECT p.id FROM people p WHERE p.school_id IN (SELECT id FROM vis)
        UNION ALL
        SELECT p.id FROM people p WHERE p.school_id IS NULL
           AND (p.programme_id = $3::uuid OR p.id IN (SELECT x.educational_lead_id FROM partnerships x JOIN cohorts c ON c.id = x.cohort_id WHERE c.programme_id = $3::uuid))
      )
    SELECT (SELECT json_agg(x) FROM (SELECT p.* FROM people p WHERE p.id IN (SELECT id FROM seen) AND ${AFTER_NAME('p.name', 'p.id')} ORDER BY p.name, p.id LIMIT 50) x) AS items`,
    admin: `SELECT (SELECT json_agg(x) FROM (SELECT * FROM people p WHERE ${AFTER_NAME('p.name', 'p.id')} ORDER BY name, id LIMIT 50) x) AS items`,
  },
  notifications: {
    manager: `WITH mine AS MATERIALIZED (
        SELECT m.school_id FROM partnership_members m JOIN partnerships p ON p.id = m.partnership_id JOIN cohorts c ON c.id = p.cohort_id WHERE c.programme_id = $3::uuid AND m.left_at IS NULL
      ),
      page AS (SELECT n.* FROM notifications n WHERE (n.programme_id = $3::uuid OR n.school_id IN (SELECT school_id FROM mine)) AND ${AFTER('n.created_at', 'n.id')} ORDER BY n.created_at DESC, n.id LIMIT 50)
    SELECT (SELECT json_agg(x) FROM (SELECT page.*, (SELECT json_agg(a ORDER BY a.attempt) FROM notification_attempts a WHERE a.notification_id = page.id) AS attempts FROM page) x) AS items`,
    admin: `WITH page AS (SELECT * FROM notifications n WHERE ${AFTER('n.created_at', 'n.id')} ORDER BY created_at DESC, id LIMIT 50)
    SELECT (SELECT json_agg(x) FROM (SELECT page.*, (SELECT json_agg(a ORDER BY a.attempt) FROM notification_attempts a WHERE a.notification_id = page.id) AS attempts FROM page) x) AS items`,
  },
  audit: {
    manager: null,
    admin: `WITH page AS (
        SELECT a.*, t.name AS actor_name, t.email AS actor_email FROM audit_log a LEFT JOIN api_tokens t ON a.actor_type IN ('token', 'dashboard') AND t.id::text = a.actor_id
         WHERE ${AFTER('a.at', 'a.id')} ORDER BY a.at DESC, a.id LIMIT 50
      )
    SELECT (SELECT json_agg(page) FROM page) AS items`,
  },
};

/** The page after the place a list's cursor names, by hand; the cursor is read as the list writes it (base64url of [sort value, id]). */
export function handWrittenKeysetPage(list: ListName, programmeId: string | null, cursor: string): { sql: string; params: unknown[] } | undefined {
  const [value, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
  if (programmeId === null) return { sql: KEYSET_PAGES[list].admin, params: [value, id] };
  const sql = KEYSET_PAGES[list].manager;
  return sql ? { sql, params: [value, id, programmeId] } : undefined;
}

/** A school's timeline, as the service asks for it, straight from the pool. */
export const HAND_WRITTEN_TIMELINE = `SELECT m.joined_at AS at, 'membership.joined' AS kind, 'Joined ' || p.name AS summary, 'partnership' AS ref_type, p.id::text AS ref_id
     FROM partnership_members m JOIN partnerships p ON p.id = m.partnership_id WHERE m.school_id = $1
   UNION ALL
   SELECT m.left_at, 'membership.left', 'Left ' || p.name, 'partnership', p.id::text FROM partnership_members m JOIN partnerships p ON p.id = m.partnership_id WHERE m.school_id = $1 AND m.left_at IS NOT NULL
   UNION ALL
   SELECT changed_at, 'status.changed', 'Status ' || coalesce(from_status, 'new') || ' → ' || to_status || coalesce(' (' || reason || ')', ''), 'school', school_id::text
     FROM school_status_changes WHERE school_id = $1
   UNION ALL
   SELECT from_at, 'contact.started', replace(role, '_', ' ') || ': ' || name, 'contact', id::text FROM school_contacts WHERE school_id = $1
   UNION ALL
   SELECT recorded_at, 'ofsted.recorded', 'Ofsted inspection ' || inspected_on || ': ' || coalesce(rating::text, 'not graded'), 'ofsted', id::text FROM ofsted_inspections WHERE school_id = $1
   UNION ALL
   SELECT h.at, 'booking.' || h.to_status, pe.name || ' — ' || c.title || ' (' || to_char(s.starts_at AT TIME ZONE 'Europe/London', 'DD Mon YYYY') || '): ' || replace(h.to_status, '_', ' '), 'booking', b.id::text
     FROM cpd_booking_history h JOIN cpd_bookings b ON b.id = h.booking_id JOIN people pe ON pe.id = b.person_id JOIN cpd_sessions s ON s.id = b.session_id JOIN cpd_courses c ON c.id = s.course_id
    WHERE b.school_id = $1
   UNION ALL
   SELECT r.recorded_at, 'cpd.recorded', pe.name || ' — ' || r.title || ': ' || r.hours || ' h (' || replace(r.channel, '_', ' ') || ')', 'cpd_record', r.id::text
     FROM cpd_records r JOIN people pe ON pe.id = r.person_id WHERE r.school_id = $1
   UNION ALL
   SELECT e.created_at, 'enrichment.recorded', (e.details->>'title') || ' on ' || e.occurs_on, 'enrichment_event', e.id::text
     FROM enrichment_events e WHERE e.host_school_id = $1 OR e.id IN (SELECT event_id FROM enrichment_event_schools WHERE school_id = $1)
   UNION ALL
   SELECT n.created_at, 'notification.' || n.status, coalesce(n.subject, n.kind) || ' → ' || n.recipient_email, 'notification', n.id::text
     FROM notifications n
    WHERE lower(n.recipient_email) IN (SELECT lower(contact_email) FROM schools WHERE id = $1 AND contact_email IS NOT NULL
                                       UNION SELECT lower(email) FROM school_contacts WHERE school_id = $1 AND email IS NOT NULL
                                       UNION SELECT lower(email) FROM people WHERE school_id = $1 AND email IS NOT NULL)
   ORDER BY at, kind`;

/** A cohort's next 120 days, as the programme's manager sees it. */
export const HAND_WRITTEN_SCHEDULE = `SELECT a.id, a.kind, a.due_at, a.status, a.recipient, a.description, a.subject_type, a.subject_id, a.payload, a.policy_version, a.reason
     FROM scheduled_actions a
    WHERE a.cohort_id = $1 AND a.due_at >= $2::timestamptz AND a.due_at < $2::timestamptz + interval '120 days' AND a.status IN ('planned', 'claimed', 'done')
      AND a.cohort_id IN (SELECT id FROM cohorts WHERE programme_id = $3::uuid)
    ORDER BY a.due_at, a.key LIMIT 5000`;
