import type { Row, RowCut } from '#domain';
import type { FigureAnswer } from '../reports/reports.service.js';
import { money } from '../web/view-filters.js';
import { drawChart, type ChartDrawing, type ChartSpec } from './charts.js';

const pounds = (pence: number) => money(Math.round(pence / 100) * 100);
const num = (v: Row[string] | undefined) => Number(v ?? 0);
/** Rows by a key made from their cells, so a chart finds each bar's value without searching every row for it. */
const lookup = (rows: Row[], key: (row: Row) => string) => new Map(rows.map((r) => [key(r), r]));

/** Which figures are drawn, and how; the others are read as tables. */
const CHARTS: Record<string, (rows: Row[], label: (row: Row, own: string) => string) => ChartSpec | null> = {
  'schools-by-status': (rows, label) => {
    const statuses = [...new Set(rows.map((r) => String(r.status)))];
    const partnerships = [...new Map(rows.map((r) => [`${r.cohort}|${r.partnership}`, r])).values()];
    const schools = lookup(rows, (r) => `${r.cohort}|${r.partnership}|${r.status}`);
    return {
      title: 'Member schools by status, per partnership',
      mode: 'stacked',
      // "less active", as the table writes it, not the stored "less_active".
      series: statuses.map((s) => s.replace(/_/g, ' ')),
      rows: partnerships.map((p) => ({
        label: label(p, String(p.partnership)),
        values: statuses.map((s) => num(schools.get(`${p.cohort}|${p.partnership}|${s}`)?.schools)),
      })),
    };
  },
  'participation-by-phase': (rows, label) => ({
    title: 'Unique participants and attendances by phase',
    mode: 'grouped',
    series: ['Unique participants', 'Attendances'],
    rows: rows.map((r) => ({ label: label(r, String(r.phase)), values: [num(r.uniqueParticipants), num(r.attendances)] })),
  }),
  'cpd-by-subject': (rows, label) => ({
    title: 'CPD hours by subject',
    mode: 'stacked',
    series: ['Hours'],
    rows: rows.map((r) => ({ label: label(r, String(r.subject)), values: [num(r.hours)] })),
  }),
  'community-events': (rows, label) => ({
    title: 'Enrichment events by type',
    mode: 'stacked',
    series: ['Events'],
    rows: rows.map((r) => ({ label: label(r, String(r.type).replace(/_/g, ' ')), values: [num(r.events)] })),
  }),
  'budget-by-partnership': (rows, label) => ({
    title: 'Budget per partnership: spent, committed, available',
    mode: 'stacked',
    series: ['Spent', 'Committed', 'Available'],
    format: pounds,
    rows: rows.map((r) => ({ label: label(r, String(r.partnership)), values: [num(r.spentPence), num(r.committedPence), num(r.availablePence)] })),
  }),
  'ofsted-movement': (rows, label) => ({
    title: 'Ofsted movement since joining',
    mode: 'stacked',
    series: ['Schools'],
    rows: rows.map((r) => ({ label: label(r, String(r.movement)), values: [num(r.schools)] })),
  }),
  'feedback-by-role': (rows, label) => {
    // The agreement statements share one scale, so their answers stack side by side.
    const points = ['Disagree strongly', 'Disagree', 'Agree', 'Agree strongly'];
    const agreement = rows.filter((r) => points.includes(String(r.answer)));
    const groups = [...new Map(agreement.map((r) => [`${r.cohort}|${r.role}|${r.item}`, r])).values()];
    const responses = lookup(agreement, (r) => `${r.cohort}|${r.role}|${r.item}|${r.answer}`);
    return {
      title: 'Agreement with each feedback statement, by role',
      mode: 'stacked',
      series: points,
      rows: groups.map((g) => ({
        label: label(g, `${g.role}: ${g.item}`),
        values: points.map((p) => num(responses.get(`${g.cohort}|${g.role}|${g.item}|${p}`)?.responses)),
      })),
    };
  },
  'survey-response-rates': (rows, label) => ({
    title: 'Survey invitations and responses',
    mode: 'grouped',
    series: ['Invited', 'Responded', 'Not asked'],
    rows: rows.map((r) => ({ label: label(r, `${r.survey}: ${r.course}`), values: [num(r.invited), num(r.responded), num(r.notAsked)] })),
  }),
  'self-evaluation-levels': (all, label) => {
    // Levels over terms: one stacked bar per element and term, the levels in scale order. Elements
    // asked in one term only (the rest of the baseline) show no movement, so they stay in the table.
    const element = (r: Row) => `${r.cohort}|${r.partnership}|${r.framework}|${r.element}`;
    const terms = new Map<string, Set<unknown>>();
    for (const r of all) terms.set(element(r), (terms.get(element(r)) ?? new Set()).add(r.term));
    const moving = all.filter((r) => (terms.get(element(r))?.size ?? 0) > 1);
    const rows = moving.length > 0 ? moving : all;
    const width = Math.max(0, ...rows.map((r) => num(r.levelNumber)));
    const frameworks = new Set(rows.map((r) => r.framework));
    const series = Array.from({ length: width }, (_, i) => (frameworks.size === 1 ? String(rows.find((r) => num(r.levelNumber) === i + 1)?.level) : `Level ${i + 1}`));
    const bar = (r: Row) => `${r.cohort}|${r.partnership}|${r.framework}|${r.element}|${r.term}`;
    const bars = [...new Map(rows.map((r) => [bar(r), r])).values()];
    const schools = lookup(rows, (r) => `${bar(r)}|${num(r.levelNumber)}`);
    return {
      title: 'Self-evaluation levels over terms',
      mode: 'stacked',
      series,
      rows: bars.map((b) => ({
        label: label(b, `${b.partnership} · ${b.element} · ${b.term}`),
        values: series.map((_, i) => num(schools.get(`${bar(b)}|${i + 1}`)?.schools)),
      })),
    };
  },
  'ambassador-delivery': (rows, label) => ({
    title: 'STEM Ambassadors wanted, accepted and delivered',
    mode: 'grouped',
    series: ['Wanted', 'Accepted', 'Delivered'],
    rows: rows.map((r) => ({ label: label(r, String(r.partnership)), values: [num(r.ambassadorsWanted), num(r.ambassadorsAccepted), num(r.ambassadorsDelivered)] })),
  }),
  'outcomes-by-cpd-unit-band': (rows, label) => ({
    title: 'Outcomes by CPD units (%)',
    mode: 'grouped',
    series: ['Agree: impact on practice', 'Used what they learned'],
    format: (v) => `${v.toLocaleString('en-GB')}%`,
    rows: rows.map((r) => ({ label: label(r, String(r.band)), values: [num(r.agreeImpactOnPracticePercent), num(r.usedItPercent)] })),
  }),
  'cpd-unit-bands': (rows, label) => ({
    title: 'Participants by CPD units',
    mode: 'stacked',
    series: ['Participants'],
    rows: rows.map((r) => ({ label: label(r, String(r.band)), values: [num(r.participants)] })),
  }),
};

/** A table longer than this folds away under its chart, so the page stays readable; the CSV has it all too. */
const LONG_TABLE = 12;
/**
 * The most rows a figure's table shows on the page, and bars its chart draws. A national
 * programme's figure can run to thousands of rows: a page of them is megabytes no one reads
 * on screen, and a chart of thousands of bars is not a chart. The page says what it left
 * out and how to see it: narrow the filter, or download the CSV, which has every row.
 */
export const MOST_ROWS_SHOWN = 50;
export const MOST_BARS = 40;
/**
 * A figure with more rows than this is not drawn whatever its bars (no chart here has more
 * than a few rows a bar), so the page asks for only the rows it shows: a kept national
 * figure of hundreds of thousands of rows is then read as its first few.
 */
export const MOST_ROWS_CHARTED = 2_000;
/** What the dashboard asks the reports for: every row of a figure it may draw, the first rows of one it will not. */
export const DASHBOARD_ROWS: RowCut = { over: MOST_ROWS_CHARTED, keep: MOST_ROWS_SHOWN };

export interface FigureView extends Omit<FigureAnswer, 'columns'> {
  columns: Array<FigureAnswer['columns'][number] & { numeric: boolean }>;
  chart?: ChartDrawing;
  /** Bars the chart would have had, when there were too many to draw. */
  barsNotDrawn?: number;
  /** Rows the figure has; `rows` holds the first MOST_ROWS_SHOWN of them. */
  rowCount: number;
  /** Set when the figure had too many rows to draw (MOST_ROWS_CHARTED), bars aside. */
  tooManyRowsToDraw: boolean;
  folded: boolean;
}

export interface FigureGroupView {
  key: string;
  heading: string;
  figures: FigureView[];
}

/**
 * The figures as the dashboard shows them: in their groups, each with its chart (for the
 * figures that are drawn, when they have rows and not too many bars), its first rows and
 * whether its table folds away.
 */
export function dashboardView(answers: FigureAnswer[]): FigureGroupView[] {
  // With more than one cohort in view, a bar says which cohort it counts (as far as the rows read show).
  const multiCohort = new Set(answers.flatMap((a) => a.rows.map((r) => r.cohort))).size > 1;
  const label = (row: Row, own: string) => (multiCohort && row.cohort ? `${row.cohort} · ${own}` : own);
  const figure = (answer: FigureAnswer): FigureView => {
    const tooManyRowsToDraw = answer.rowCount > MOST_ROWS_CHARTED && answer.key in CHARTS;
    const spec = answer.rows.length > 0 && !tooManyRowsToDraw ? CHARTS[answer.key]?.(answer.rows, label) : null;
    const drawn = spec && spec.rows.length <= MOST_BARS;
    return {
      ...answer,
      rows: answer.rows.slice(0, MOST_ROWS_SHOWN),
      tooManyRowsToDraw,
      columns: answer.columns.map((c) => ({ ...c, numeric: c.type !== 'text' && c.type !== 'date' })),
      chart: drawn ? drawChart(`chart-${answer.key}`, spec) : undefined,
      barsNotDrawn: spec && !drawn ? spec.rows.length : undefined,
      folded: answer.rows.length > LONG_TABLE,
    };
  };
  const groups = [...new Set(answers.map((a) => a.group))];
  return groups.map((group) => ({ key: group, heading: group[0].toUpperCase() + group.slice(1), figures: answers.filter((a) => a.group === group).map(figure) }));
}
