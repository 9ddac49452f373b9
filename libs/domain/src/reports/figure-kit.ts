import type { EntityManager } from 'typeorm';
import { filterValues, namedQuery, type ReportFilter } from './report-query.js';
import { suppressSmallCounts } from './suppression.js';

export type ColumnType = 'text' | 'count' | 'number' | 'pence' | 'date';
export interface Column {
  key: string;
  label: string;
  type: ColumnType;
}
export type Row = Record<string, string | number | null>;

export const FIGURE_GROUPS = ['reach', 'participation', 'feedback', 'self-evaluation', 'ambassadors', 'budget', 'ofsted', 'outcomes', 'equality'] as const;
export type FigureGroup = (typeof FIGURE_GROUPS)[number];

/**
 * One figure a funder asks for: its definition in words (shown on the page, returned by
 * the API, written into the export's README), its columns, and the query that computes it
 * from records. The JSON, the CSV and the dashboard all read `rows`, so they cannot disagree.
 */
export interface Figure {
  key: string;
  group: FigureGroup;
  title: string;
  definition: string;
  columns: Column[];
  /** Set when small cells are suppressed: says how. */
  suppression?: string;
  rows(manager: EntityManager, filter: ReportFilter, now: Date): Promise<Row[]>;
}

export const TEACHING_ROLES = `('teacher', 'senior_leader', 'middle_leader', 'subject_leader')`;
export const SUBJECTS = ['science', 'technology', 'engineering', 'maths', 'computing', 'other'] as const;
export const count = (key: string, label: string): Column => ({ key, label, type: 'count' });
export const text = (key: string, label: string): Column => ({ key, label, type: 'text' });

/** pg answers counts and sums as strings; figures answer numbers. */
export function typed(columns: Column[], rows: Array<Record<string, unknown>>): Row[] {
  return rows.map((row) =>
    Object.fromEntries(
      columns.map(({ key, type }) => {
        const value = row[key];
        if (value === null || value === undefined) return [key, null];
        if (type === 'text' || type === 'date') return [key, String(value)];
        return [key, Number(value)];
      }),
    ),
  );
}

export const SUPPRESSION_RULE =
  'Counts from 1 to 4 are not shown (blank); where one hidden count could be worked out from the total, the next smallest count is hidden too. A row whose total is under 5 is hidden whole.';

/** Applies small-cell suppression across `cells` of each row, with the row's `total`. */
export function suppressRows(rows: Row[], cells: string[], total: string): Row[] {
  return rows.map((row) => {
    const { cells: shown, total: shownTotal } = suppressSmallCounts(cells.map((c) => Number(row[c] ?? 0)));
    return { ...row, ...Object.fromEntries(cells.map((c, i) => [c, shown[i]])), [total]: shownTotal };
  });
}

export async function run(manager: EntityManager, columns: Column[], sql: string, filter: ReportFilter, now: Date): Promise<Row[]> {
  return typed(columns, await namedQuery<Record<string, unknown>>(manager, sql, filterValues(filter, now)));
}
