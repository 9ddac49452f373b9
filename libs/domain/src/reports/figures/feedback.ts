import type { EntityManager } from 'typeorm';
import { INSTRUMENTS, type Answers, type InstrumentKey } from '../../surveys/instruments.js';
import { summariseResponses } from '../../surveys/aggregation.js';
import { filterValues, namedQuery, SCOPE, type ReportFilter } from '../report-query.js';
import { count, TEACHING_ROLES, text, type Column, type Figure, type Row } from '../figure-kit.js';

/**
 * Survey invitations about CPD paid through a partnership in scope, dated by the CPD they
 * are about (the session's day; the invitation's day when there was no session), with the
 * response each may have (its latest answers). Shared by the feedback and outcome figures.
 */
export const INVITED = `
  invited AS (
    SELECT i.id, i.instrument_key, i.person_id, sc.cohort_id, sc.cohort, sc.partnership, coalesce(co.title, '(no course)') AS course, r.answers, r.id AS response_id, nt.id IS NOT NULL AS not_sent,
           CASE WHEN pe.role IN ${TEACHING_ROLES} OR pe.slt THEN 'teachers (incl. SLT)' ELSE 'other roles' END AS role_group
      FROM survey_invitations i JOIN scope sc ON sc.partnership_id = i.partnership_id JOIN people pe ON pe.id = i.person_id
      LEFT JOIN schools s ON s.id = i.school_id LEFT JOIN cpd_sessions se ON se.id = i.session_id LEFT JOIN cpd_courses co ON co.id = i.course_id
      LEFT JOIN survey_responses r ON r.invitation_id = i.id
      -- The invitation's email was never sent (the person objected or unsubscribed after it was decided): they were not asked.
      LEFT JOIN notifications nt ON nt.idempotency_key = 'survey-invitation:' || i.id AND nt.status = 'skipped'
     WHERE i.instrument_key IN ('cpd-feedback', 'cpd-impact')
       AND (CAST(:phase AS text) IS NULL OR s.phase = CAST(:phase AS text))
       AND (CAST(:from AS date) IS NULL OR coalesce((se.starts_at AT TIME ZONE 'Europe/London')::date, (i.opens_at AT TIME ZONE 'Europe/London')::date) >= CAST(:from AS date))
       AND (CAST(:to AS date) IS NULL OR coalesce((se.starts_at AT TIME ZONE 'Europe/London')::date, (i.opens_at AT TIME ZONE 'Europe/London')::date) <= CAST(:to AS date))
  )`;

/**
 * People who took part but were not asked to take a survey about CPD in scope (survey_not_asked:
 * no email address, or an objection to evaluation surveys), dated and filtered as INVITED.
 */
const NOT_ASKED = `
  not_asked AS (
    SELECT n.instrument_key, sc.cohort, coalesce(co.title, '(no course)') AS course, n.reason
      FROM survey_not_asked n JOIN scope sc ON sc.partnership_id = n.partnership_id
      LEFT JOIN schools s ON s.id = n.school_id LEFT JOIN cpd_sessions se ON se.id = n.session_id LEFT JOIN cpd_courses co ON co.id = n.course_id
     WHERE n.instrument_key IN ('cpd-feedback', 'cpd-impact')
       AND (CAST(:phase AS text) IS NULL OR s.phase = CAST(:phase AS text))
       AND (CAST(:from AS date) IS NULL OR coalesce((se.starts_at AT TIME ZONE 'Europe/London')::date, (n.decided_at AT TIME ZONE 'Europe/London')::date) >= CAST(:from AS date))
       AND (CAST(:to AS date) IS NULL OR coalesce((se.starts_at AT TIME ZONE 'Europe/London')::date, (n.decided_at AT TIME ZONE 'Europe/London')::date) <= CAST(:to AS date))
  )`;

interface Answered {
  cohort: string;
  course: string;
  role_group: string;
  answers: Answers;
}

const DISTRIBUTION_COLUMNS = (...by: Column[]): Column[] => [
  text('cohort', 'Cohort'),
  ...by,
  text('item', 'Question'),
  text('answer', 'Answer'),
  count('responses', 'Responses'),
  { key: 'percent', label: 'Share of those who answered (%)', type: 'number' },
];

/**
 * Per group, the distribution of every scale and choice item, in the scale's order, through
 * the surveys module's own summary (so the course page and the report count alike). Open
 * answers are never read into a figure.
 */
async function distributions(manager: EntityManager, filter: ReportFilter, now: Date, instrumentKey: InstrumentKey, groupBy: (a: Answered) => Record<string, string>): Promise<Row[]> {
  const answered = await namedQuery<Answered>(
    manager,
    `WITH ${SCOPE}, ${INVITED}
    SELECT cohort, course, role_group, answers FROM invited WHERE instrument_key = :instrumentKey AND answers IS NOT NULL ORDER BY cohort, course, role_group, id`,
    { ...filterValues(filter, now), instrumentKey },
  );
  const groups = new Map<string, { keys: Record<string, string>; answers: Answers[] }>();
  for (const a of answered) {
    const keys = groupBy(a);
    const id = JSON.stringify(keys);
    if (!groups.has(id)) groups.set(id, { keys, answers: [] });
    groups.get(id)!.answers.push(a.answers);
  }
  const instrument = INSTRUMENTS[instrumentKey];
  const rows: Row[] = [];
  for (const { keys, answers } of groups.values()) {
    for (const item of summariseResponses(instrument, answers)) {
      if (item.type === 'text') continue;
      for (const point of item.distribution) rows.push({ ...keys, item: item.text, answer: point.label, responses: point.count, percent: point.percent });
    }
  }
  return rows;
}

const POINTS =
  "Each answer of each scale is a row, in the scale's order, including answers nobody gave (0). Share: the answer's responses as a percentage of the responses that answered that question, to one decimal place. A response edited after it was sent counts once, with its latest answers. Open answers are never shown in a figure.";
const DATED = "Invitations about CPD paid through a partnership in scope, dated by the session's day (in the date range).";

export const feedbackByCourse: Figure = {
  key: 'feedback-by-course',
  group: 'feedback',
  title: 'Post-CPD feedback by course',
  definition: `The answers to every scale question of the post-CPD feedback survey (satisfaction, overall quality, the seven agreement statements, usefulness of the online resources), per cohort and course. ${DATED} ${POINTS}`,
  columns: DISTRIBUTION_COLUMNS(text('course', 'Course')),
  rows(manager, filter, now) {
    return distributions(manager, filter, now, 'cpd-feedback', (a) => ({ cohort: a.cohort, course: a.course }));
  },
};

export const feedbackByRole: Figure = {
  key: 'feedback-by-role',
  group: 'feedback',
  title: 'Post-CPD feedback by role',
  definition: `The same answers per cohort and the respondent's role today: "teachers (incl. SLT)" are teachers, senior, middle and subject leaders and anyone on the senior leadership team; "other roles" are everyone else (teaching assistants, technicians, trainees…). ${DATED} ${POINTS}`,
  columns: DISTRIBUTION_COLUMNS(text('role', 'Role')),
  rows(manager, filter, now) {
    return distributions(manager, filter, now, 'cpd-feedback', (a) => ({ cohort: a.cohort, role: a.role_group }));
  },
};

export const impactSurveyResults: Figure = {
  key: 'impact-survey-results',
  group: 'feedback',
  title: 'Impact survey results',
  definition: `The answers to the impact survey sent about a term after the CPD ("have you used what you learned", more confident, shared with colleagues), per cohort. ${DATED} ${POINTS}`,
  columns: DISTRIBUTION_COLUMNS(),
  rows(manager, filter, now) {
    return distributions(manager, filter, now, 'cpd-impact', (a) => ({ cohort: a.cohort }));
  },
};

export const surveyResponseRates: Figure = {
  key: 'survey-response-rates',
  group: 'feedback',
  title: 'Survey response rates',
  definition: `Per cohort, survey and course, with an "all courses" row per survey: invitations sent (one per participant whose attendance was recorded, per survey, whose invitation email went), responses (an invitation answered at least once), and the response rate: responses ÷ invitations as a percentage to one decimal place (empty when nobody was invited). Not asked: participants who were not sent the survey, and why: they had objected to evaluation surveys (surveys rest on the programme's legitimate interest, so everyone else is asked), they have no email address, or the invitation was decided but its email was not sent (they objected or unsubscribed before it went). They are outside the rate's invitations, and counted here so the rate can be read against everyone who took part. ${DATED}`,
  columns: [
    text('cohort', 'Cohort'),
    text('survey', 'Survey'),
    text('course', 'Course'),
    count('invited', 'Invited'),
    count('responded', 'Responded'),
    { key: 'responseRatePercent', label: 'Response rate (%)', type: 'number' },
    count('notAsked', 'Not asked'),
    count('notAskedObjected', 'Not asked: objected to surveys'),
    count('notAskedNoEmail', 'Not asked: no email address'),
    count('notAskedNotSent', 'Not asked: invitation email not sent'),
  ],
  async rows(manager, filter, now) {
    const rows = await namedQuery<Record<string, unknown>>(
      manager,
      `WITH ${SCOPE}, ${INVITED}, ${NOT_ASKED},
      participants AS (
        SELECT cohort, instrument_key, course, CASE WHEN not_sent THEN 'not_sent' ELSE 'invited' END AS state, response_id FROM invited
        UNION ALL SELECT cohort, instrument_key, course, reason, NULL FROM not_asked
      )
      SELECT cohort, instrument_key, coalesce(course, 'all courses') AS course,
             count(*) FILTER (WHERE state = 'invited') AS invited, count(response_id) FILTER (WHERE state = 'invited') AS responded,
             round(100.0 * count(response_id) FILTER (WHERE state = 'invited') / nullif(count(*) FILTER (WHERE state = 'invited'), 0), 1) AS rate,
             count(*) FILTER (WHERE state = 'objected') AS objected, count(*) FILTER (WHERE state = 'no_email') AS no_email, count(*) FILTER (WHERE state = 'not_sent') AS not_sent
        FROM participants GROUP BY GROUPING SETS ((cohort, instrument_key, course), (cohort, instrument_key))
       ORDER BY cohort, instrument_key, course IS NULL, course`,
      filterValues(filter, now),
    );
    return rows.map((r) => ({
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
    }));
  },
};
