import { RECORDS, SCOPE } from './report-query.js';
import { ambassadorDelivery, ambassadorRequests, ambassadorRequestsByKeyStage } from './figures/ambassadors.js';
import { feedbackByCourse, feedbackByRole, impactSurveyResults, INVITED, surveyResponseRates } from './figures/feedback.js';
import { selfEvaluationGain, selfEvaluationLevels, selfEvaluationNotReturned } from './figures/self-evaluation.js';
import { suppressSmallCounts } from './suppression.js';
import { count, run, suppressRows, SUBJECTS, SUPPRESSION_RULE, TEACHING_ROLES, text, type Figure } from './figure-kit.js';

export { FIGURE_GROUPS, type Column, type ColumnType, type Figure, type FigureGroup, type Row } from './figure-kit.js';

const schoolsByStatus: Figure = {
  key: 'schools-by-status',
  group: 'reach',
  title: 'Schools by status',
  definition:
    'Schools that are members of a partnership today, counted by their status today, per cohort and partnership. A school that has left its partnership is not counted. The date range does not apply.',
  columns: [text('cohort', 'Cohort'), text('partnership', 'Partnership'), text('status', 'Status'), count('schools', 'Schools')],
  rows(manager, filter, now) {
    return run(
      manager,
      this.columns,
      `WITH ${SCOPE}
      SELECT cohort, partnership, status, count(*) AS schools FROM members WHERE left_at IS NULL
       GROUP BY cohort, partnership, status ORDER BY cohort, partnership, status`,
      filter,
      now,
    );
  },
};

/**
 * A school's activity, with its date: CPD records of anyone at the school, and enrichment
 * events the school took part in. Read once and joined to the member schools, not looked
 * up again for each of them, so the figures grow with the records, not records × schools.
 */
const ACTIVITY = `
  activity AS (
    SELECT r.school_id, r.occurred_on AS d FROM cpd_records r
    UNION ALL
    SELECT es.school_id, e.occurs_on FROM enrichment_event_schools es JOIN enrichment_events e ON e.id = es.event_id
  )`;

/** Today's date in London, the day the figures are counted up to. */
const TODAY = `(CAST(:now AS timestamptz) AT TIME ZONE 'Europe/London')::date`;

const timeToFirstActivity: Figure = {
  key: 'time-to-first-activity',
  group: 'reach',
  title: 'Time from joining to first activity',
  definition:
    'For each partnership, its member schools today; of those, how many have had an activity since joining (a CPD record for anyone at the school, or an enrichment event the school took part in, on or after the day it joined), and the median number of days from joining to that first activity (the middle value; the mean of the two middle values for an even count).',
  columns: [
    text('cohort', 'Cohort'),
    text('partnership', 'Partnership'),
    count('schools', 'Member schools'),
    count('schoolsActive', 'With an activity'),
    count('schoolsNotYetActive', 'No activity yet'),
    { key: 'medianDaysToFirstActivity', label: 'Median days to first activity', type: 'number' },
  ],
  rows(manager, filter, now) {
    return run(
      manager,
      this.columns,
      // A school is a member of a partnership once at a time, so partnership and school name the membership.
      // OFFSET 0 works out the day each school joined once per membership, not again for every activity compared with it.
      `WITH ${SCOPE}, ${ACTIVITY},
      firsts AS (
        SELECT mb.cohort, mb.partnership, mb.joined_on, min(a.d) AS first_on
          FROM (SELECT partnership_id, school_id, cohort, partnership, joined_on FROM members WHERE left_at IS NULL OFFSET 0) mb
          LEFT JOIN activity a ON a.school_id = mb.school_id AND a.d >= mb.joined_on
         GROUP BY mb.partnership_id, mb.school_id, mb.cohort, mb.partnership, mb.joined_on
      )
      SELECT cohort, partnership, count(*) AS "schools", count(first_on) AS "schoolsActive", count(*) - count(first_on) AS "schoolsNotYetActive",
             round(CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY first_on - joined_on) AS numeric), 1) AS "medianDaysToFirstActivity"
        FROM firsts GROUP BY cohort, partnership ORDER BY cohort, partnership`,
      filter,
      now,
    );
  },
};

const goneQuiet: Figure = {
  key: 'schools-gone-quiet',
  group: 'reach',
  title: 'Schools gone quiet',
  definition:
    'Member schools with no activity (a CPD record for anyone at the school, or an enrichment event it took part in) in the last N days (quietDays, 90 unless set), counting only schools that joined more than N days ago, with their educational lead to follow up. Withdrawn schools are left out.',
  columns: [
    text('cohort', 'Cohort'),
    text('partnership', 'Partnership'),
    text('school', 'School'),
    { key: 'joinedOn', label: 'Joined', type: 'date' },
    { key: 'lastActivityOn', label: 'Last activity', type: 'date' },
    text('educationalLead', 'Educational lead'),
    text('educationalLeadEmail', 'Lead email'),
  ],
  rows(manager, filter, now) {
    return run(
      manager,
      this.columns,
      `WITH ${SCOPE}, ${ACTIVITY},
      lasts AS (SELECT school_id, max(d) AS last_on FROM activity WHERE d <= ${TODAY} GROUP BY school_id)
      SELECT mb.cohort, mb.partnership, mb.school, to_char(mb.joined_on, 'YYYY-MM-DD') AS "joinedOn", to_char(l.last_on, 'YYYY-MM-DD') AS "lastActivityOn",
             lead.name AS "educationalLead", lead.email AS "educationalLeadEmail"
        FROM members mb LEFT JOIN lasts l ON l.school_id = mb.school_id LEFT JOIN people lead ON lead.id = mb.educational_lead_id
       WHERE mb.left_at IS NULL AND mb.status <> 'withdrawn'
         AND mb.joined_on < ${TODAY} - CAST(:quietDays AS integer)
         AND (l.last_on IS NULL OR l.last_on < ${TODAY} - CAST(:quietDays AS integer))
       ORDER BY mb.cohort, mb.partnership, mb.school`,
      filter,
      now,
    );
  },
};

const subjectColumns = SUBJECTS.map((s) => count(`${s}Specialists`, `${s[0].toUpperCase()}${s.slice(1)} specialists`));

const participationByPhase: Figure = {
  key: 'participation-by-phase',
  group: 'participation',
  title: 'Participation by cohort and phase',
  definition:
    'From CPD records (every channel) paid through a partnership in scope and dated in the range, per cohort and school phase, with an "all" row per cohort. Unique participants: different people with at least one record. Attendances: records (one person at two sessions is two). Teachers (incl. SLT): participants whose role is teacher, senior, middle or subject leader, or who are on the SLT. Specialists: participants by their recorded subject specialism. Hours: recorded hours; CPD units: hours ÷ 5. Spend: budget spent for schools in the row (kind "spend"); cost per participant: spend ÷ unique participants. Share of hours: the phase\'s hours as a percentage of the cohort\'s.',
  columns: [
    text('cohort', 'Cohort'),
    text('phase', 'Phase'),
    count('uniqueParticipants', 'Unique participants'),
    count('attendances', 'Attendances'),
    count('teachersInclSlt', 'Teachers (incl. SLT)'),
    count('slt', 'SLT'),
    ...subjectColumns,
    { key: 'hours', label: 'Hours', type: 'number' },
    { key: 'cpdUnits', label: 'CPD units', type: 'number' },
    { key: 'spendPence', label: 'Spend', type: 'pence' },
    { key: 'costPerParticipantPence', label: 'Cost per participant', type: 'pence' },
    { key: 'shareOfHoursPercent', label: 'Share of hours (%)', type: 'number' },
  ],
  rows(manager, filter, now) {
    return run(
      manager,
      this.columns,
      `WITH ${SCOPE}, ${RECORDS},
      spend AS (
        SELECT sc.cohort, coalesce(s.phase, 'unknown') AS school_phase, b.amount_pence
          FROM budget_entries b JOIN scope sc ON sc.partnership_id = b.partnership_id LEFT JOIN schools s ON s.id = b.school_id
         WHERE b.kind = 'spend' AND (CAST(:phase AS text) IS NULL OR s.phase = CAST(:phase AS text))
           AND (CAST(:from AS date) IS NULL OR (b.recorded_at AT TIME ZONE 'Europe/London')::date >= CAST(:from AS date))
           AND (CAST(:to AS date) IS NULL OR (b.recorded_at AT TIME ZONE 'Europe/London')::date <= CAST(:to AS date))
      ),
      spent AS (SELECT cohort, coalesce(school_phase, 'all') AS phase, sum(amount_pence) AS pence FROM spend GROUP BY GROUPING SETS ((cohort, school_phase), (cohort))),
      counted AS (
        SELECT cohort, coalesce(school_phase, 'all') AS phase, count(DISTINCT person_id) AS "uniqueParticipants", count(*) AS attendances,
               count(DISTINCT person_id) FILTER (WHERE role IN ${TEACHING_ROLES} OR slt) AS "teachersInclSlt", count(DISTINCT person_id) FILTER (WHERE slt) AS slt,
               ${SUBJECTS.map((s) => `count(DISTINCT person_id) FILTER (WHERE subject_specialism = '${s}') AS "${s}Specialists"`).join(', ')},
               sum(hours) AS hours, round(sum(hours) / 5, 2) AS "cpdUnits"
          FROM records GROUP BY GROUPING SETS ((cohort, school_phase), (cohort))
      )
      SELECT c.*, coalesce(s.pence, 0) AS "spendPence", round(coalesce(s.pence, 0)::numeric / c."uniqueParticipants") AS "costPerParticipantPence",
             round(100 * c.hours / nullif(max(c.hours) FILTER (WHERE c.phase = 'all') OVER (PARTITION BY c.cohort), 0), 1) AS "shareOfHoursPercent"
        FROM counted c LEFT JOIN spent s ON s.cohort = c.cohort AND s.phase = c.phase
       ORDER BY c.cohort, c.phase = 'all', c.phase`,
      filter,
      now,
    );
  },
};

const cpdBySubject: Figure = {
  key: 'cpd-by-subject',
  group: 'participation',
  title: 'CPD events by subject',
  definition:
    "CPD events, per cohort and CPD subject, from CPD records in scope and range. A CPD event is one session booked through stemflow, or one course or title on one date for CPD recorded from other channels. Attendances: records. Share of hours: the subject's hours as a percentage of the cohort's.",
  columns: [
    text('cohort', 'Cohort'),
    text('subject', 'Subject'),
    count('cpdEvents', 'CPD events'),
    count('attendances', 'Attendances'),
    count('uniqueParticipants', 'Unique participants'),
    { key: 'hours', label: 'Hours', type: 'number' },
    { key: 'cpdUnits', label: 'CPD units', type: 'number' },
    { key: 'shareOfHoursPercent', label: 'Share of hours (%)', type: 'number' },
  ],
  rows(manager, filter, now) {
    return run(
      manager,
      this.columns,
      `WITH ${SCOPE}, ${RECORDS},
      keyed AS (
        SELECT r.*, coalesce('session:' || b.session_id::text, 'course:' || r.course_id::text || ':' || r.occurred_on::text, 'title:' || r.title || ':' || r.occurred_on::text) AS event_key
          FROM records r LEFT JOIN cpd_bookings b ON b.id = r.booking_id
      )
      SELECT cohort, subject, count(DISTINCT event_key) AS "cpdEvents", count(*) AS attendances, count(DISTINCT person_id) AS "uniqueParticipants", sum(hours) AS hours,
             round(sum(hours) / 5, 2) AS "cpdUnits", round(100 * sum(hours) / sum(sum(hours)) OVER (PARTITION BY cohort), 1) AS "shareOfHoursPercent"
        FROM keyed GROUP BY cohort, subject ORDER BY cohort, subject`,
      filter,
      now,
    );
  },
};

const communityEvents: Figure = {
  key: 'community-events',
  group: 'participation',
  title: 'Community and enrichment events',
  definition:
    'Enrichment events (clubs, careers events, shows, ambassador sessions…) dated in the range in which at least one member school of a partnership in scope took part, per cohort and type, with the audience each event recorded (its latest correction). An event shared by two cohorts counts in each.',
  columns: [
    text('cohort', 'Cohort'),
    text('type', 'Type'),
    count('events', 'Events'),
    count('pupils', 'Pupils'),
    count('parents', 'Parents'),
    count('staff', 'Staff'),
    count('otherSchools', 'Other schools'),
  ],
  rows(manager, filter, now) {
    return run(
      manager,
      this.columns,
      `WITH ${SCOPE},
      events AS (
        SELECT DISTINCT mb.cohort, e.id, e.details FROM enrichment_events e JOIN enrichment_event_schools es ON es.event_id = e.id JOIN members mb ON mb.school_id = es.school_id
         WHERE (CAST(:from AS date) IS NULL OR e.occurs_on >= CAST(:from AS date)) AND (CAST(:to AS date) IS NULL OR e.occurs_on <= CAST(:to AS date))
      )
      SELECT cohort, details->>'type' AS type, count(*) AS events, sum((details->'audience'->>'pupils')::int) AS pupils, sum((details->'audience'->>'parents')::int) AS parents,
             sum((details->'audience'->>'staff')::int) AS staff, sum((details->'audience'->>'otherSchools')::int) AS "otherSchools"
        FROM events GROUP BY cohort, details->>'type' ORDER BY cohort, type`,
      filter,
      now,
    );
  },
};

const budgetByPartnership: Figure = {
  key: 'budget-by-partnership',
  group: 'budget',
  title: 'Budget per partnership',
  definition:
    "Each partnership's CPD budget from its ledger today: allocated; overrides recorded by a programme manager; committed (places confirmed and not yet attended or released); spent (places attended); available = allocated + overrides − committed − spent. The date range does not apply.",
  columns: [
    text('cohort', 'Cohort'),
    text('partnership', 'Partnership'),
    { key: 'allocatedPence', label: 'Allocated', type: 'pence' },
    { key: 'overridesPence', label: 'Overrides', type: 'pence' },
    { key: 'committedPence', label: 'Committed', type: 'pence' },
    { key: 'spentPence', label: 'Spent', type: 'pence' },
    { key: 'availablePence', label: 'Available', type: 'pence' },
  ],
  rows(manager, filter, now) {
    return run(
      manager,
      this.columns,
      `WITH ${SCOPE},
      sums AS (
        SELECT sc.partnership_id, coalesce(sum(b.amount_pence) FILTER (WHERE b.kind = 'override'), 0) AS overrides,
               coalesce(sum(b.amount_pence) FILTER (WHERE b.kind IN ('commitment', 'release')), 0) AS committed, coalesce(sum(b.amount_pence) FILTER (WHERE b.kind = 'spend'), 0) AS spent
          FROM scope sc LEFT JOIN budget_entries b ON b.partnership_id = sc.partnership_id GROUP BY sc.partnership_id
      )
      SELECT sc.cohort, sc.partnership, sc.budget_pence AS "allocatedPence", s.overrides AS "overridesPence", s.committed AS "committedPence", s.spent AS "spentPence",
             sc.budget_pence + s.overrides - s.committed - s.spent AS "availablePence"
        FROM scope sc JOIN sums s ON s.partnership_id = sc.partnership_id ORDER BY sc.cohort, sc.partnership`,
      filter,
      now,
    );
  },
};

const budgetBySchool: Figure = {
  key: 'budget-by-school',
  group: 'budget',
  title: 'Budget by school and channel',
  definition:
    'The same ledger per partnership, school and CPD channel: committed and spent, for entries recorded in the date range. Overrides belong to the partnership, not a school, and are not shown here.',
  columns: [
    text('cohort', 'Cohort'),
    text('partnership', 'Partnership'),
    text('school', 'School'),
    text('channel', 'Channel'),
    { key: 'committedPence', label: 'Committed', type: 'pence' },
    { key: 'spentPence', label: 'Spent', type: 'pence' },
  ],
  rows(manager, filter, now) {
    return run(
      manager,
      this.columns,
      `WITH ${SCOPE},
      -- The ledger is added up per partnership, school and channel first, and only those few
      -- sums are then put under their names: sorting every entry by the names spilled to disk
      -- and took most of a second for a programme of two thousand schools.
      ledger AS (
        SELECT b.partnership_id, b.school_id, b.channel, sum(b.amount_pence) FILTER (WHERE b.kind IN ('commitment', 'release')) AS committed,
               sum(b.amount_pence) FILTER (WHERE b.kind = 'spend') AS spent
          FROM budget_entries b
         WHERE b.kind <> 'override' AND b.partnership_id IN (SELECT partnership_id FROM scope)
           AND (CAST(:from AS date) IS NULL OR (b.recorded_at AT TIME ZONE 'Europe/London')::date >= CAST(:from AS date))
           AND (CAST(:to AS date) IS NULL OR (b.recorded_at AT TIME ZONE 'Europe/London')::date <= CAST(:to AS date))
         GROUP BY b.partnership_id, b.school_id, b.channel
      )
      SELECT sc.cohort, sc.partnership, coalesce(s.name, '(no school)') AS school, coalesce(l.channel, 'unknown') AS channel,
             coalesce(sum(l.committed), 0) AS "committedPence", coalesce(sum(l.spent), 0) AS "spentPence"
        FROM ledger l JOIN scope sc ON sc.partnership_id = l.partnership_id LEFT JOIN schools s ON s.id = l.school_id
       WHERE (CAST(:phase AS text) IS NULL OR s.phase = CAST(:phase AS text))
       GROUP BY sc.cohort, sc.partnership, s.name, l.channel ORDER BY 1, 2, 3, 4`,
      filter,
      now,
    );
  },
};

const ofstedMovement: Figure = {
  key: 'ofsted-movement',
  group: 'ofsted',
  title: 'Ofsted movement since joining',
  definition:
    'Member schools today, per cohort, by how their latest Ofsted rating since joining compares with their latest rating before joining (1 Outstanding is best): improved, same, declined; "not inspected since joining"; "no rating before joining" when inspected since but never before. Median days from joining to the inspection since, for the inspected.',
  columns: [
    text('cohort', 'Cohort'),
    text('movement', 'Movement'),
    count('schools', 'Schools'),
    { key: 'medianDaysJoiningToInspection', label: 'Median days from joining to inspection', type: 'number' },
  ],
  rows(manager, filter, now) {
    return run(
      manager,
      this.columns,
      `WITH ${SCOPE},
      rated AS (
        SELECT mb.cohort, mb.joined_on,
               (SELECT rating FROM ofsted_inspections o WHERE o.school_id = mb.school_id AND o.inspected_on < mb.joined_on ORDER BY inspected_on DESC LIMIT 1) AS before,
               (SELECT rating FROM ofsted_inspections o WHERE o.school_id = mb.school_id AND o.inspected_on >= mb.joined_on ORDER BY inspected_on DESC LIMIT 1) AS since,
               (SELECT inspected_on FROM ofsted_inspections o WHERE o.school_id = mb.school_id AND o.inspected_on >= mb.joined_on ORDER BY inspected_on DESC LIMIT 1) AS since_on
          FROM members mb WHERE mb.left_at IS NULL
      ),
      moved AS (
        SELECT cohort, since_on - joined_on AS days,
               CASE WHEN since_on IS NULL THEN 'not inspected since joining' WHEN before IS NULL THEN 'no rating before joining'
                    WHEN since < before THEN 'improved' WHEN since = before THEN 'same' ELSE 'declined' END AS movement
          FROM rated
      )
      SELECT cohort, movement, count(*) AS schools, round(CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS numeric), 1) AS "medianDaysJoiningToInspection"
        FROM moved GROUP BY cohort, movement ORDER BY cohort, movement`,
      filter,
      now,
    );
  },
};

const cpdUnitBands: Figure = {
  key: 'cpd-unit-bands',
  group: 'outcomes',
  title: 'Participants by CPD-unit band',
  definition:
    'Unique participants per cohort by their total CPD units in scope and range (hours ÷ 5): under 10, 10 to 20, over 20, with their schools and hours. Outcomes from the feedback and impact surveys by the same bands are in “Outcomes by CPD-unit band”.',
  columns: [text('cohort', 'Cohort'), text('band', 'CPD units'), count('participants', 'Participants'), count('schools', 'Schools'), { key: 'hours', label: 'Hours', type: 'number' }],
  rows(manager, filter, now) {
    return run(
      manager,
      this.columns,
      `WITH ${SCOPE}, ${RECORDS},
      per_person AS (SELECT cohort, person_id, min(school_id::text) AS school_id, sum(hours) AS hours FROM records GROUP BY cohort, person_id),
      banded AS (SELECT *, CASE WHEN hours / 5 < 10 THEN 'under 10' WHEN hours / 5 <= 20 THEN '10 to 20' ELSE 'over 20' END AS band FROM per_person)
      SELECT cohort, band, count(*) AS participants, count(DISTINCT school_id) AS schools, sum(hours) AS hours
        FROM banded GROUP BY cohort, band ORDER BY cohort, CASE band WHEN 'under 10' THEN 1 WHEN '10 to 20' THEN 2 ELSE 3 END`,
      filter,
      now,
    );
  },
};

const BANDED = `
  per_person AS (SELECT cohort_id, cohort, person_id, min(school_id::text) AS school_id, sum(hours) AS hours FROM records GROUP BY cohort_id, cohort, person_id),
  banded AS (SELECT *, CASE WHEN hours / 5 < 10 THEN 'under 10' WHEN hours / 5 <= 20 THEN '10 to 20' ELSE 'over 20' END AS band FROM per_person)`;

const outcomesByBand: Figure = {
  key: 'outcomes-by-cpd-unit-band',
  group: 'outcomes',
  title: 'Outcomes by CPD-unit band',
  definition:
    'Participants banded as in "Participants by CPD-unit band" (their CPD units in scope and range), with what they said in the surveys about CPD in scope and range. Feedback responses: post-CPD feedback responses from participants in the band that answered "It will have an impact on my future practice"; agreeing: those answering Agree or Agree strongly, and their share of the responses (%, one decimal place). Impact responses: impact survey responses from participants in the band that answered "Have you used what you learned in your teaching?"; used it: those answering "Yes, regularly" or "Yes, once or twice", and their share. A person who answered about two courses counts twice in the responses.',
  columns: [
    text('cohort', 'Cohort'),
    text('band', 'CPD units'),
    count('participants', 'Participants'),
    count('feedbackResponses', 'Feedback responses'),
    count('agreeImpactOnPractice', 'Agree: impact on future practice'),
    { key: 'agreeImpactOnPracticePercent', label: 'Agree: impact on future practice (%)', type: 'number' },
    count('impactResponses', 'Impact survey responses'),
    count('usedIt', 'Used what they learned'),
    { key: 'usedItPercent', label: 'Used what they learned (%)', type: 'number' },
  ],
  rows(manager, filter, now) {
    return run(
      manager,
      this.columns,
      `WITH ${SCOPE}, ${RECORDS}, ${BANDED}, ${INVITED},
      said AS (
        SELECT b.cohort, b.band, count(*) FILTER (WHERE i.instrument_key = 'cpd-feedback' AND i.answers ? 'impact_practice') AS feedback,
               count(*) FILTER (WHERE i.instrument_key = 'cpd-feedback' AND i.answers->>'impact_practice' IN ('agree', 'agree_strongly')) AS agree,
               count(*) FILTER (WHERE i.instrument_key = 'cpd-impact' AND i.answers ? 'used_it') AS impact,
               count(*) FILTER (WHERE i.instrument_key = 'cpd-impact' AND i.answers->>'used_it' IN ('regularly', 'once_or_twice')) AS used
          FROM banded b JOIN invited i ON i.cohort_id = b.cohort_id AND i.person_id = b.person_id AND i.answers IS NOT NULL GROUP BY b.cohort, b.band
      ),
      people_in AS (SELECT cohort, band, count(*) AS participants FROM banded GROUP BY cohort, band)
      SELECT p.cohort, p.band, p.participants, coalesce(s.feedback, 0) AS "feedbackResponses", coalesce(s.agree, 0) AS "agreeImpactOnPractice",
             round(100.0 * s.agree / nullif(s.feedback, 0), 1) AS "agreeImpactOnPracticePercent", coalesce(s.impact, 0) AS "impactResponses", coalesce(s.used, 0) AS "usedIt",
             round(100.0 * s.used / nullif(s.impact, 0), 1) AS "usedItPercent"
        FROM people_in p LEFT JOIN said s ON s.cohort = p.cohort AND s.band = p.band ORDER BY p.cohort, CASE p.band WHEN 'under 10' THEN 1 WHEN '10 to 20' THEN 2 ELSE 3 END`,
      filter,
      now,
    );
  },
};

const GENDER_CELLS = ['female', 'male', 'nonBinary', 'notSaid', 'notRecorded'];
const participantsByGender: Figure = {
  key: 'participants-by-gender',
  group: 'equality',
  title: 'Participants by gender',
  definition: 'Unique participants per cohort (CPD records in scope and range) by the gender recorded on their person record.',
  suppression: SUPPRESSION_RULE,
  columns: [
    text('cohort', 'Cohort'),
    count('female', 'Female'),
    count('male', 'Male'),
    count('nonBinary', 'Non-binary'),
    count('notSaid', 'Prefer not to say'),
    count('notRecorded', 'Not recorded'),
    count('total', 'Total'),
  ],
  async rows(manager, filter, now) {
    const rows = await run(
      manager,
      this.columns,
      `WITH ${SCOPE}, ${RECORDS},
      people_in AS (SELECT DISTINCT cohort, person_id, gender FROM records)
      SELECT cohort, count(*) FILTER (WHERE gender = 'female') AS female, count(*) FILTER (WHERE gender = 'male') AS male, count(*) FILTER (WHERE gender = 'non_binary') AS "nonBinary",
             count(*) FILTER (WHERE gender = 'not_said') AS "notSaid", count(*) FILTER (WHERE gender IS NULL) AS "notRecorded", count(*) AS total
        FROM people_in GROUP BY cohort ORDER BY cohort`,
      filter,
      now,
    );
    return suppressRows(rows, GENDER_CELLS, 'total');
  },
};

const FSM_CELLS = ['fsmUnder20', 'fsm20To35', 'fsmOver35', 'fsmUnknown'];
const participantsByDisadvantage: Figure = {
  key: 'participants-by-disadvantage',
  group: 'equality',
  title: 'Participants by school disadvantage',
  definition: 'Unique participants per cohort (CPD records in scope and range) by the share of pupils eligible for free school meals at their school: under 20%, 20% to 35%, over 35%, or not known.',
  suppression: SUPPRESSION_RULE,
  columns: [
    text('cohort', 'Cohort'),
    count('fsmUnder20', 'FSM under 20%'),
    count('fsm20To35', 'FSM 20–35%'),
    count('fsmOver35', 'FSM over 35%'),
    count('fsmUnknown', 'FSM not known'),
    count('total', 'Total'),
  ],
  async rows(manager, filter, now) {
    const rows = await run(
      manager,
      this.columns,
      `WITH ${SCOPE}, ${RECORDS},
      people_in AS (SELECT DISTINCT ON (r.cohort, r.person_id) r.cohort, r.person_id, s.fsm_percent FROM records r LEFT JOIN schools s ON s.id = r.school_id ORDER BY r.cohort, r.person_id, r.occurred_on DESC)
      SELECT cohort, count(*) FILTER (WHERE fsm_percent < 20) AS "fsmUnder20", count(*) FILTER (WHERE fsm_percent >= 20 AND fsm_percent <= 35) AS "fsm20To35",
             count(*) FILTER (WHERE fsm_percent > 35) AS "fsmOver35", count(*) FILTER (WHERE fsm_percent IS NULL) AS "fsmUnknown", count(*) AS total
        FROM people_in GROUP BY cohort ORDER BY cohort`,
      filter,
      now,
    );
    return suppressRows(rows, FSM_CELLS, 'total');
  },
};

const KEY_STAGE_CELLS = ['eyfs', 'ks1', 'ks2', 'ks3', 'ks4', 'ks5'];
const enrichmentByKeyStage: Figure = {
  key: 'enrichment-by-key-stage',
  group: 'equality',
  title: 'Enrichment events by key stage',
  definition:
    'Enrichment events in range with a member school in scope, per cohort, counted under each key stage they were for (an event for two key stages counts under both, so the stages add up to more than the events).',
  suppression: SUPPRESSION_RULE,
  columns: [text('cohort', 'Cohort'), ...KEY_STAGE_CELLS.map((k) => count(k, k.toUpperCase())), count('events', 'Events')],
  async rows(manager, filter, now) {
    const rows = await run(
      manager,
      this.columns,
      `WITH ${SCOPE},
      events AS (
        SELECT DISTINCT mb.cohort, e.id, e.details FROM enrichment_events e JOIN enrichment_event_schools es ON es.event_id = e.id JOIN members mb ON mb.school_id = es.school_id
         WHERE (CAST(:from AS date) IS NULL OR e.occurs_on >= CAST(:from AS date)) AND (CAST(:to AS date) IS NULL OR e.occurs_on <= CAST(:to AS date))
      )
      SELECT cohort, ${KEY_STAGE_CELLS.map((k) => `count(*) FILTER (WHERE details->'keyStages' ? '${k}') AS ${k}`).join(', ')}, count(*) AS events
        FROM events GROUP BY cohort ORDER BY cohort`,
      filter,
      now,
    );
    // Key stages overlap, so the event count is no sum of them: suppress each small cell and its pair.
    return rows.map((row) => {
      const { cells } = suppressSmallCounts(KEY_STAGE_CELLS.map((k) => Number(row[k] ?? 0)));
      return { ...row, ...Object.fromEntries(KEY_STAGE_CELLS.map((k, i) => [k, cells[i]])) };
    });
  },
};

/** Every figure, in the order the dashboard and the export show them. */
export const FIGURES: readonly Figure[] = [
  schoolsByStatus,
  timeToFirstActivity,
  goneQuiet,
  participationByPhase,
  cpdBySubject,
  communityEvents,
  feedbackByCourse,
  feedbackByRole,
  impactSurveyResults,
  surveyResponseRates,
  selfEvaluationLevels,
  selfEvaluationGain,
  selfEvaluationNotReturned,
  ambassadorRequests,
  ambassadorDelivery,
  budgetByPartnership,
  budgetBySchool,
  ofstedMovement,
  cpdUnitBands,
  outcomesByBand,
  participantsByGender,
  participantsByDisadvantage,
  enrichmentByKeyStage,
  ambassadorRequestsByKeyStage,
];

export function figureByKey(key: string): Figure | undefined {
  return FIGURES.find((f) => f.key === key);
}
