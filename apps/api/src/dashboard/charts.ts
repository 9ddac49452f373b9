/**
 * Bar charts drawn as SVG on the server: no script, no library. This works out where every
 * bar, label and value goes; `dashboard/pages/chart.njk` draws it. Each series has its own
 * pattern as well as its own shade, every bar carries its value in text, and the legend
 * names the patterns, so a chart reads without colour; the table under it has the numbers.
 */
export interface ChartRow {
  label: string;
  values: number[];
}

export interface ChartSpec {
  title: string;
  series: string[];
  rows: ChartRow[];
  /** Stacked bars add the series; grouped bars put them side by side. */
  mode: 'stacked' | 'grouped';
  format?: (value: number) => string;
}

export type PatternKind = 'solid' | 'diagonal' | 'dots' | 'cross' | 'horizontal' | 'vertical';

interface Positioned {
  x: number;
  y: number;
}

/** Everything the template needs to draw a chart: positions, fills by pattern id, texts. */
export interface ChartDrawing {
  id: string;
  title: string;
  /** Every value in words, for a screen reader (the chart is one image to it). */
  description: string;
  width: number;
  height: number;
  patterns: Array<{ id: string; shade: string; kind: PatternKind }>;
  legend: Array<Positioned & { pattern: string; text: string }>;
  labels: Array<Positioned & { text: string }>;
  bars: Array<Positioned & { width: number; height: number; pattern: string; text: string }>;
  values: Array<Positioned & { text: string }>;
}

const SHADES = ['#1f4e79', '#6a994e', '#bc4749', '#8e6c8a', '#d9a441', '#3d8da3'];
const PATTERNS: PatternKind[] = ['solid', 'diagonal', 'dots', 'cross', 'horizontal', 'vertical'];
const LONGEST_LABEL = 48;
const BAR_HEIGHT = 18;

/** Lays out a chart; `id` makes its element ids unique on the page (a figure's key). */
export function drawChart(id: string, spec: ChartSpec): ChartDrawing {
  const format = spec.format ?? ((v: number) => v.toLocaleString('en-GB'));
  const pattern = (i: number) => `${id}-p${i}`;
  const longest = Math.max(0, ...spec.rows.map((r) => Math.min(r.label.length, LONGEST_LABEL)));
  const labelWidth = Math.max(170, Math.min(340, longest * 7 + 12));
  const width = 470 + labelWidth;
  const plot = width - labelWidth - 70;
  const perRow = spec.mode === 'grouped' ? spec.series.length * BAR_HEIGHT + 10 : BAR_HEIGHT + 12;
  const legendHeight = spec.series.length > 1 ? 28 : 0;
  const totals = spec.rows.map((r) => (spec.mode === 'stacked' ? r.values.reduce((a, b) => a + Math.max(0, b), 0) : Math.max(0, ...r.values)));
  const max = Math.max(1, ...totals);
  const scale = (v: number) => (Math.max(0, v) / max) * plot;
  const drawing: ChartDrawing = {
    id,
    title: spec.title,
    description: spec.rows.map((r) => `${r.label}: ${r.values.map((v, i) => `${spec.series[i]} ${format(v)}`).join(', ')}`).join('; '),
    width,
    height: legendHeight + spec.rows.length * perRow + 10,
    patterns: spec.series.map((_, i) => ({ id: pattern(i), shade: SHADES[i % SHADES.length], kind: PATTERNS[i % PATTERNS.length] })),
    legend: [],
    labels: [],
    bars: [],
    values: [],
  };
  if (spec.series.length > 1) {
    let x = 0;
    spec.series.forEach((name, i) => {
      drawing.legend.push({ x, y: 4, pattern: pattern(i), text: name });
      x += 30 + name.length * 7.5;
    });
  }
  spec.rows.forEach((row, r) => {
    const top = legendHeight + r * perRow + 4;
    drawing.labels.push({ x: labelWidth - 8, y: top + 13, text: row.label.length > LONGEST_LABEL ? `${row.label.slice(0, LONGEST_LABEL - 1)}…` : row.label });
    if (spec.mode === 'stacked') {
      let x = labelWidth;
      row.values.forEach((v, i) => {
        const w = scale(v);
        if (w > 0) drawing.bars.push({ x, y: top, width: w, height: BAR_HEIGHT, pattern: pattern(i), text: `${row.label}, ${spec.series[i]}: ${format(v)}` });
        x += w;
      });
      drawing.values.push({ x: x + 6, y: top + 13, text: spec.series.length > 1 ? row.values.map(format).join(' / ') : format(row.values[0]) });
    } else {
      row.values.forEach((v, i) => {
        const y = top + i * BAR_HEIGHT;
        const w = scale(v);
        drawing.bars.push({ x: labelWidth, y, width: Math.max(w, 1), height: BAR_HEIGHT - 3, pattern: pattern(i), text: `${row.label}, ${spec.series[i]}: ${format(v)}` });
        drawing.values.push({ x: labelWidth + w + 6, y: y + 12, text: format(v) });
      });
    }
  });
  return drawing;
}
