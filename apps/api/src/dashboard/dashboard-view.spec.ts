import { FIGURES } from '#domain';
import type { FigureAnswer } from '../reports/reports.service.js';
import { dashboardView, MOST_BARS, MOST_ROWS_CHARTED, MOST_ROWS_SHOWN } from './dashboard-view.js';

const answer = (key: string, rows: FigureAnswer['rows']): FigureAnswer => {
  const figure = FIGURES.find((f) => f.key === key)!;
  return { ...figure, suppression: figure.suppression ?? null, filter: {} as FigureAnswer['filter'], computedAt: '2026-12-07T12:00:00.000Z', source: 'live', rows, rowCount: rows.length };
};
const statusRows = (partnerships: number) =>
  Array.from({ length: partnerships }, (_, i) => [
    { cohort: 'Cohort 1', partnership: `Partnership ${String(i).padStart(4, '0')}`, status: 'active', schools: 3 },
    { cohort: 'Cohort 1', partnership: `Partnership ${String(i).padStart(4, '0')}`, status: 'engaged', schools: i },
  ]).flat();

describe('the dashboard view of a figure', () => {
  it('draws a chart with a bar per partnership and every row in its table when they are few', () => {
    const [reach] = dashboardView([answer('schools-by-status', statusRows(3))]);
    const [figure] = reach.figures;
    expect(figure.rowCount).toBe(6);
    expect(figure.rows).toHaveLength(6);
    expect(figure.chart?.description).toBe('Partnership 0000: active 3, engaged 0; Partnership 0001: active 3, engaged 1; Partnership 0002: active 3, engaged 2');
    expect(figure.barsNotDrawn).toBeUndefined();
  });

  it('names each status in words, as the table does', () => {
    const rows = [
      { cohort: 'Cohort 1', partnership: 'Alder', status: 'active', schools: 2 },
      { cohort: 'Cohort 1', partnership: 'Alder', status: 'less_active', schools: 1 },
    ];
    const [figure] = dashboardView([answer('schools-by-status', rows)])[0].figures;
    expect(figure.chart?.description).toBe('Alder: active 2, less active 1');
  });

  it('shows the first rows of a national figure and says how many bars it did not draw, rather than a page of megabytes', () => {
    const partnerships = MOST_BARS + 1;
    const [reach] = dashboardView([answer('schools-by-status', statusRows(partnerships))]);
    const [figure] = reach.figures;
    expect(figure.rowCount).toBe(2 * partnerships);
    expect(figure.rows).toHaveLength(MOST_ROWS_SHOWN);
    expect(figure.rows[0]).toEqual(statusRows(1)[0]);
    expect(figure.chart).toBeUndefined();
    expect(figure.barsNotDrawn).toBe(partnerships);
    expect(figure.folded).toBe(true);
  });

  it('does not draw a figure read only as its first rows, and says how many rows it has', () => {
    const rowCount = MOST_ROWS_CHARTED + 1;
    const cut = { ...answer('schools-by-status', statusRows(MOST_ROWS_SHOWN / 2)), rowCount };
    const [figure] = dashboardView([cut])[0].figures;
    expect(figure.rowCount).toBe(rowCount);
    expect(figure.rows).toHaveLength(MOST_ROWS_SHOWN);
    expect(figure.tooManyRowsToDraw).toBe(true);
    expect(figure.chart).toBeUndefined();
    expect(figure.barsNotDrawn).toBeUndefined();
  });

  it('finds each bar’s value by its key, so thousands of self-evaluation rows chart in one pass', () => {
    const levels = ['Emerging', 'Developing', 'Embedded'];
    const rows = ['Baseline', 'Autumn'].flatMap((term) =>
      levels.map((level, i) => ({ cohort: 'C', partnership: 'Alder', framework: 'F', element: 'E1', term, levelNumber: i + 1, level, schools: term === 'Baseline' ? 3 - i : i })),
    );
    const [group] = dashboardView([answer('self-evaluation-levels', rows)]);
    expect(group.figures[0].chart?.description).toBe('Alder · E1 · Baseline: Emerging 3, Developing 2, Embedded 1; Alder · E1 · Autumn: Emerging 0, Developing 1, Embedded 2');
  });
});
