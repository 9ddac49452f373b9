import { escapeHtml } from '#notifications';

/**
 * Bar charts drawn as SVG on the server: no script, no library. Each series has its own
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

const SHADES = ['#1f4e79', '#6a994e', '#bc4749', '#8e6c8a', '#d9a441', '#3d8da3'];
const PATTERNS = ['solid', 'diagonal', 'dots', 'cross', 'horizontal', 'vertical'] as const;

function pattern(id: string, index: number): string {
  const shade = SHADES[index % SHADES.length];
  const kind = PATTERNS[index % PATTERNS.length];
  const mark =
    kind === 'solid'
      ? ''
      : kind === 'diagonal'
        ? `<path d="M-1,1 l2,-2 M0,8 l8,-8 M7,9 l2,-2" stroke="#fff" stroke-width="2"/>`
        : kind === 'dots'
          ? `<circle cx="4" cy="4" r="1.6" fill="#fff"/>`
          : kind === 'cross'
            ? `<path d="M0,4 h8 M4,0 v8" stroke="#fff" stroke-width="1.5"/>`
            : kind === 'horizontal'
              ? `<path d="M0,2 h8 M0,6 h8" stroke="#fff" stroke-width="1.5"/>`
              : `<path d="M2,0 v8 M6,0 v8" stroke="#fff" stroke-width="1.5"/>`;
  return `<pattern id="${id}" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="${shade}"/>${mark}</pattern>`;
}

let chartCount = 0;

export function barChart(spec: ChartSpec): string {
  const id = `chart${(chartCount = (chartCount + 1) % 1_000_000)}`;
  const format = spec.format ?? ((v: number) => v.toLocaleString('en-GB'));
  const longest = Math.max(0, ...spec.rows.map((r) => Math.min(r.label.length, 48)));
  const labelWidth = Math.max(170, Math.min(340, longest * 7 + 12));
  const width = 470 + labelWidth;
  const plot = width - labelWidth - 70;
  const barHeight = 18;
  const perRow = spec.mode === 'grouped' ? spec.series.length * barHeight + 10 : barHeight + 12;
  const legendHeight = spec.series.length > 1 ? 28 : 0;
  const height = legendHeight + spec.rows.length * perRow + 10;
  const totals = spec.rows.map((r) => (spec.mode === 'stacked' ? r.values.reduce((a, b) => a + Math.max(0, b), 0) : Math.max(0, ...r.values)));
  const max = Math.max(1, ...totals);
  const scale = (v: number) => (Math.max(0, v) / max) * plot;
  const parts: string[] = [];
  if (spec.series.length > 1) {
    let x = 0;
    spec.series.forEach((name, i) => {
      parts.push(`<rect x="${x}" y="4" width="16" height="16" fill="url(#${id}p${i})" stroke="#333" stroke-width=".5"/><text x="${x + 22}" y="17" font-size="13">${escapeHtml(name)}</text>`);
      x += 30 + name.length * 7.5;
    });
  }
  spec.rows.forEach((row, r) => {
    const top = legendHeight + r * perRow + 4;
    parts.push(`<text x="${labelWidth - 8}" y="${top + 13}" font-size="13" text-anchor="end">${escapeHtml(row.label.length > 48 ? `${row.label.slice(0, 47)}…` : row.label)}</text>`);
    if (spec.mode === 'stacked') {
      let x = labelWidth;
      row.values.forEach((v, i) => {
        const w = scale(v);
        if (w > 0)
          parts.push(`<rect x="${x}" y="${top}" width="${w}" height="${barHeight}" fill="url(#${id}p${i})"><title>${escapeHtml(`${row.label}, ${spec.series[i]}: ${format(v)}`)}</title></rect>`);
        x += w;
      });
      parts.push(`<text x="${x + 6}" y="${top + 13}" font-size="12">${escapeHtml(spec.series.length > 1 ? row.values.map(format).join(' / ') : format(row.values[0]))}</text>`);
    } else {
      row.values.forEach((v, i) => {
        const y = top + i * barHeight;
        const w = scale(v);
        parts.push(
          `<rect x="${labelWidth}" y="${y}" width="${Math.max(w, 1)}" height="${barHeight - 3}" fill="url(#${id}p${i})"><title>${escapeHtml(`${row.label}, ${spec.series[i]}: ${format(v)}`)}</title></rect>`,
        );
        parts.push(`<text x="${labelWidth + w + 6}" y="${y + 12}" font-size="12">${escapeHtml(format(v))}</text>`);
      });
    }
  });
  const description = spec.rows.map((r) => `${r.label}: ${r.values.map((v, i) => `${spec.series[i]} ${format(v)}`).join(', ')}`).join('; ');
  return `<svg class="chart" role="img" aria-labelledby="${id}t ${id}d" viewBox="0 0 ${width} ${height}" width="${width}" xmlns="http://www.w3.org/2000/svg" font-family="system-ui,sans-serif">
<title id="${id}t">${escapeHtml(spec.title)}</title><desc id="${id}d">${escapeHtml(description)}</desc>
<defs>${spec.series.map((_, i) => pattern(`${id}p${i}`, i)).join('')}</defs>${parts.join('')}</svg>`;
}
