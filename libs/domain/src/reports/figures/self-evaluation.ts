import { SCOPE } from '../report-query.js';
import { count, run, text, type Figure } from '../figure-kit.js';

/**
 * Self-evaluations of schools in a partnership in scope, opened in the date range, with
 * the answers of their latest submission (a school may edit after submitting; a draft
 * saved since does not count until it is submitted) and when they were first submitted.
 */
const EVALS = `
  evals AS (
    SELECT e.id, e.school_id, e.kind, e.term_label, e.opened_at, e.deadline_at, e.status, e.form, sc.cohort, sc.partnership, sc.educational_lead_id, s.name AS school,
           latest.answers AS submitted_answers,
           (SELECT min(rv.recorded_at) FROM self_evaluation_revisions rv WHERE rv.self_evaluation_id = e.id AND rv.action = 'submit') AS first_submitted_at
      FROM self_evaluations e JOIN scope sc ON sc.partnership_id = e.partnership_id JOIN schools s ON s.id = e.school_id
      -- Looked up once per evaluation: as a subquery in the list it was looked up again for every element read from it.
      LEFT JOIN LATERAL (
        SELECT rv.answers FROM self_evaluation_revisions rv WHERE rv.self_evaluation_id = e.id AND rv.action = 'submit' ORDER BY rv.revision DESC LIMIT 1
      ) latest ON true
     WHERE (CAST(:phase AS text) IS NULL OR s.phase = CAST(:phase AS text))
       AND (CAST(:from AS date) IS NULL OR (e.opened_at AT TIME ZONE 'Europe/London')::date >= CAST(:from AS date))
       AND (CAST(:to AS date) IS NULL OR (e.opened_at AT TIME ZONE 'Europe/London')::date <= CAST(:to AS date))
  ),
  items AS (
    SELECT ev.id, ev.school_id, ev.cohort, ev.partnership, ev.term_label, ev.opened_at, sec->>'frameworkKey' AS framework_key, sec->>'frameworkName' AS framework,
           el->>'key' AS element_key, coalesce((el->>'code') || ' ', '') || (el->>'name') AS element, sec->'levels' AS levels,
           CAST(ev.submitted_answers -> ((sec->>'frameworkKey') || ':' || (el->>'key')) ->> 'level' AS integer) AS level
      FROM evals ev CROSS JOIN LATERAL jsonb_array_elements(ev.form->'sections') sec CROSS JOIN LATERAL jsonb_array_elements(sec->'elements') el
     WHERE ev.submitted_answers IS NOT NULL
  )`;

export const selfEvaluationLevels: Figure = {
  key: 'self-evaluation-levels',
  group: 'self-evaluation',
  title: 'Self-evaluation levels per term',
  definition:
    "Per cohort, partnership and framework element, for each term (the baseline at joining, then each termly evaluation, in the order they opened), how many schools placed themselves at each level of the element's framework, counting submitted evaluations only and each school's latest submission for the term. Levels are listed from the first step to the last, including levels no school chose (0). Evaluations opened in the date range.",
  columns: [
    text('cohort', 'Cohort'),
    text('partnership', 'Partnership'),
    text('framework', 'Framework'),
    text('element', 'Element'),
    text('term', 'Term'),
    { key: 'levelNumber', label: 'Level number', type: 'number' },
    text('level', 'Level'),
    count('schools', 'Schools'),
  ],
  rows(manager, filter, now) {
    return run(
      manager,
      this.columns,
      `WITH ${SCOPE}, ${EVALS},
      terms AS (SELECT cohort, term_label, min(opened_at) AS began FROM evals GROUP BY cohort, term_label),
      groups AS (SELECT DISTINCT cohort, partnership, framework_key, framework, element_key, element, term_label, levels FROM items),
      -- Counted once, grouped, and joined to every level of the scale: a count per group and
      -- level as a subquery re-read all the items for each, which grew with the square of them.
      counted AS (
        SELECT cohort, partnership, framework_key, element_key, term_label, level, count(*) AS schools
          FROM items WHERE level IS NOT NULL GROUP BY cohort, partnership, framework_key, element_key, term_label, level
      )
      SELECT g.cohort, g.partnership, g.framework, g.element, g.term_label AS term, lv.n AS "levelNumber", lv.name AS level, coalesce(c.schools, 0) AS schools
        FROM groups g CROSS JOIN LATERAL jsonb_array_elements_text(g.levels) WITH ORDINALITY AS lv(name, n) JOIN terms t ON t.cohort = g.cohort AND t.term_label = g.term_label
        LEFT JOIN counted c ON c.cohort = g.cohort AND c.partnership = g.partnership AND c.framework_key = g.framework_key AND c.element_key = g.element_key
                           AND c.term_label = g.term_label AND c.level = lv.n
       ORDER BY g.cohort, g.partnership, g.framework, g.element, t.began, lv.n`,
      filter,
      now,
    );
  },
};

export const selfEvaluationGain: Figure = {
  key: 'self-evaluation-gain',
  group: 'self-evaluation',
  title: 'Average gain from the baseline',
  definition:
    "Per cohort, partnership and framework element: schools that have submitted that element at least twice (evaluations opened in the date range). A school's baseline for an element is its first submitted evaluation that asked it (the baseline at joining when the cohort evaluates an element of a baseline framework, otherwise its first termly one); its latest is its most recent submitted evaluation that asked it. Levels are counted by their place on the framework's scale (1 = first step); gain = latest − baseline. Averages are means over those schools, to two decimal places; schools up, the same and down are counted apart.",
  columns: [
    text('cohort', 'Cohort'),
    text('partnership', 'Partnership'),
    text('framework', 'Framework'),
    text('element', 'Element'),
    count('schools', 'Schools with a baseline and a later level'),
    { key: 'averageBaselineLevel', label: 'Average baseline level', type: 'number' },
    { key: 'averageLatestLevel', label: 'Average latest level', type: 'number' },
    { key: 'averageGain', label: 'Average gain', type: 'number' },
    count('schoolsUp', 'Schools up'),
    count('schoolsSame', 'Schools the same'),
    count('schoolsDown', 'Schools down'),
  ],
  rows(manager, filter, now) {
    return run(
      manager,
      this.columns,
      `WITH ${SCOPE}, ${EVALS},
      -- The answers are read out of the forms once, into rows small enough to sort in memory:
      -- sorted with the whole form and answers beside them, they spilled to disk.
      answered AS MATERIALIZED (
        SELECT cohort, partnership, school_id, framework_key, element_key, framework, element, level, opened_at, id FROM items WHERE level IS NOT NULL
      ),
      -- A school's first and latest answer to an element come from one pass over its answers
      -- in the order the evaluations opened, named as it was first asked: matching each first
      -- answer to its latest by joining the answers to themselves sorted them all twice.
      ranked AS (
        SELECT cohort, partnership, first_value(framework) OVER w AS framework, first_value(element) OVER w AS element, first_value(level) OVER w AS first_level,
               last_value(level) OVER w AS latest_level, row_number() OVER w AS k, count(*) OVER w AS m
          FROM answered
        WINDOW w AS (PARTITION BY cohort, partnership, school_id, framework_key, element_key ORDER BY opened_at, id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
      ),
      pairs AS (SELECT cohort, partnership, framework, element, first_level, latest_level FROM ranked WHERE k = 1 AND m > 1)
      SELECT cohort, partnership, framework, element, count(*) AS schools, round(avg(first_level), 2) AS "averageBaselineLevel", round(avg(latest_level), 2) AS "averageLatestLevel",
             round(avg(latest_level - first_level), 2) AS "averageGain", count(*) FILTER (WHERE latest_level > first_level) AS "schoolsUp",
             count(*) FILTER (WHERE latest_level = first_level) AS "schoolsSame", count(*) FILTER (WHERE latest_level < first_level) AS "schoolsDown"
        FROM pairs GROUP BY cohort, partnership, framework, element ORDER BY cohort, partnership, framework, element`,
      filter,
      now,
    );
  },
};

export const selfEvaluationNotReturned: Figure = {
  key: 'self-evaluation-not-returned',
  group: 'self-evaluation',
  title: 'Schools that did not re-evaluate',
  definition:
    'Termly self-evaluations (not the baseline) opened in the date range whose deadline has passed with no submission by the deadline, listed with the school\'s partnership and educational lead. Status now: "submitted late" when it was submitted after the deadline, "draft saved", or "not started".',
  columns: [
    text('cohort', 'Cohort'),
    text('partnership', 'Partnership'),
    text('term', 'Term'),
    text('school', 'School'),
    { key: 'deadline', label: 'Deadline', type: 'date' },
    text('statusNow', 'Status now'),
    text('educationalLead', 'Educational lead'),
    text('educationalLeadEmail', 'Lead email'),
  ],
  rows(manager, filter, now) {
    return run(
      manager,
      this.columns,
      `WITH ${SCOPE}, ${EVALS}
      SELECT ev.cohort, ev.partnership, ev.term_label AS term, ev.school, to_char((ev.deadline_at AT TIME ZONE 'Europe/London')::date, 'YYYY-MM-DD') AS deadline,
             CASE WHEN ev.first_submitted_at IS NOT NULL THEN 'submitted late' WHEN ev.status = 'draft' THEN 'draft saved' ELSE 'not started' END AS "statusNow",
             lead.name AS "educationalLead", lead.email AS "educationalLeadEmail"
        FROM evals ev LEFT JOIN people lead ON lead.id = ev.educational_lead_id
       WHERE ev.kind = 'termly' AND ev.deadline_at <= CAST(:now AS timestamptz) AND (ev.first_submitted_at IS NULL OR ev.first_submitted_at > ev.deadline_at)
       ORDER BY ev.cohort, ev.partnership, min(ev.opened_at) OVER (PARTITION BY ev.cohort, ev.term_label), ev.school`,
      filter,
      now,
    );
  },
};
