import { escapeHtml } from '#notifications';
import type { Row } from '#domain';
import type { FigureAnswer } from '../reports/reports.service.js';
import { renderPage } from '../pages/page-layout.js';
import { barChart, type ChartSpec } from './charts.js';

const pounds = (pence: number) => `£${(pence / 100).toLocaleString('en-GB', { maximumFractionDigits: 0 })}`;
const num = (v: Row[string] | undefined) => Number(v ?? 0);

/** Which figures are drawn, and how; the others are read as tables. */
const CHARTS: Record<string, (rows: Row[], label: (row: Row, own: string) => string) => ChartSpec | null> = {
  'schools-by-status': (rows, label) => {
    const statuses = [...new Set(rows.map((r) => String(r.status)))];
    const partnerships = [...new Map(rows.map((r) => [`${r.cohort}|${r.partnership}`, r])).values()];
    return {
      title: 'Member schools by status, per partnership',
      mode: 'stacked',
      series: statuses,
      rows: partnerships.map((p) => ({
        label: label(p, String(p.partnership)),
        values: statuses.map((s) => num(rows.find((r) => r.cohort === p.cohort && r.partnership === p.partnership && r.status === s)?.schools)),
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
    return {
      title: 'Agreement with each feedback statement, by role',
      mode: 'stacked',
      series: points,
      rows: groups.map((g) => ({
        label: label(g, `${g.role}: ${g.item}`),
        values: points.map((p) => num(agreement.find((r) => r.cohort === g.cohort && r.role === g.role && r.item === g.item && r.answer === p)?.responses)),
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
    const bars = [...new Map(rows.map((r) => [`${r.cohort}|${r.partnership}|${r.framework}|${r.element}|${r.term}`, r])).values()];
    return {
      title: 'Self-evaluation levels over terms',
      mode: 'stacked',
      series,
      rows: bars.map((b) => ({
        label: label(b, `${b.partnership} · ${b.element} · ${b.term}`),
        values: series.map((_, i) =>
          num(
            rows.find((r) => r.cohort === b.cohort && r.partnership === b.partnership && r.framework === b.framework && r.element === b.element && r.term === b.term && num(r.levelNumber) === i + 1)
              ?.schools,
          ),
        ),
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

function cell(answer: FigureAnswer, key: string, value: Row[string]): string {
  const column = answer.columns.find((c) => c.key === key)!;
  if (value === null || value === undefined) {
    return answer.suppression && column.type === 'count' ? '<abbr title="fewer than 5: not shown">&lt;5</abbr>' : '–';
  }
  if (column.type === 'pence') return escapeHtml(pounds(Number(value)));
  if (column.type === 'count' || column.type === 'number') return escapeHtml(Number(value).toLocaleString('en-GB'));
  return escapeHtml(String(value).replace(/_/g, ' '));
}

function table(answer: FigureAnswer): string {
  if (answer.rows.length === 0) return '<p class="hint">Nothing to count for this filter.</p>';
  const numeric = (key: string) => answer.columns.find((c) => c.key === key)?.type !== 'text' && answer.columns.find((c) => c.key === key)?.type !== 'date';
  const html = `<div class="scroll-x"><table data-figure="${escapeHtml(answer.key)}"><thead><tr>${answer.columns.map((c) => `<th scope="col"${numeric(c.key) ? ' class="number"' : ''}>${escapeHtml(c.label)}</th>`).join('')}</tr></thead>
<tbody>${answer.rows.map((r) => `<tr>${answer.columns.map((c) => `<td${numeric(c.key) ? ' class="number"' : ''} data-column="${escapeHtml(c.key)}">${cell(answer, c.key, r[c.key])}</td>`).join('')}</tr>`).join('')}</tbody></table></div>`;
  // A long table folds away under its chart, so the page stays readable; the CSV has it all too.
  return answer.rows.length > LONG_TABLE ? `<details><summary>Show all ${answer.rows.length} rows</summary>${html}</details>` : html;
}

const LONG_TABLE = 12;

export interface FilterChoices {
  programmes: Array<{ id: string; name: string }>;
  cohorts: Array<{ id: string; name: string; programme: string }>;
  partnerships: Array<{ id: string; name: string; cohort: string }>;
  phases: readonly string[];
}

function select(name: string, label: string, options: Array<{ value: string; text: string }>, chosen: string | undefined): string {
  return `<div><label for="f-${name}">${escapeHtml(label)}</label><select id="f-${name}" name="${name}"><option value="">All</option>${options
    .map((o) => `<option value="${escapeHtml(o.value)}"${o.value === chosen ? ' selected' : ''}>${escapeHtml(o.text)}</option>`)
    .join('')}</select></div>`;
}

export function dashboardPage(options: {
  userName: string;
  role: string;
  answers: FigureAnswer[];
  query: Record<string, string | undefined>;
  choices: FilterChoices;
  error?: string;
  csrfToken: string;
}): string {
  const { answers, query, choices } = options;
  const multiCohort = new Set(answers.flatMap((a) => a.rows.map((r) => r.cohort))).size > 1;
  const label = (row: Row, own: string) => (multiCohort && row.cohort ? `${row.cohort} · ${own}` : own);
  const qs = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => !!e[1])).toString();
  const groups = [...new Set(answers.map((a) => a.group))];
  const sections = groups
    .map(
      (group) =>
        `<h2 id="group-${group}">${escapeHtml(group[0].toUpperCase() + group.slice(1))}</h2>${answers
          .filter((a) => a.group === group)
          .map((a) => {
            const spec = CHARTS[a.key]?.(a.rows, label);
            return `<section class="figure" aria-labelledby="fig-${a.key}"><h3 id="fig-${a.key}">${escapeHtml(a.title)}</h3>
<p class="hint"><strong>Definition.</strong> ${escapeHtml(a.definition)}${a.suppression ? ` <strong>Small numbers.</strong> ${escapeHtml(a.suppression)}` : ''}</p>
${spec && a.rows.length > 0 ? barChart(spec) : ''}${table(a)}
<p><a href="/dashboard/csv/${escapeHtml(a.key)}${qs ? `?${escapeHtml(qs)}` : ''}">Download “${escapeHtml(a.title)}” as CSV</a></p></section>`;
          })
          .join('')}`,
    )
    .join('');
  const filters = `<form method="get" action="/dashboard" class="filters" aria-label="Filter the figures">
<div class="filter-fields">
${select(
  'programmeId',
  'Programme',
  choices.programmes.map((p) => ({ value: p.id, text: p.name })),
  query.programmeId,
)}
${select(
  'cohortId',
  'Cohort',
  choices.cohorts.map((c) => ({ value: c.id, text: `${c.programme}: ${c.name}` })),
  query.cohortId,
)}
${select(
  'partnershipId',
  'Partnership',
  choices.partnerships.map((p) => ({ value: p.id, text: `${p.name} (${p.cohort})` })),
  query.partnershipId,
)}
${select(
  'phase',
  'School phase',
  choices.phases.map((p) => ({ value: p, text: p.replace(/_/g, ' ') })),
  query.phase,
)}
<div><label for="f-from">From</label><input type="date" id="f-from" name="from" value="${escapeHtml(query.from ?? '')}"></div>
<div><label for="f-to">To</label><input type="date" id="f-to" name="to" value="${escapeHtml(query.to ?? '')}"></div>
</div><div class="actions"><button type="submit">Show figures</button><a href="/dashboard">Clear filters</a></div></form>`;
  const body = `<h1>Programme figures</h1>
<p>Signed in as ${escapeHtml(options.userName)} (${escapeHtml(options.role.replace(/_/g, ' '))}). Every figure is computed from the records now, with its definition beside it.</p>
${options.error ? `<div class="summary" role="alert"><p class="error">${escapeHtml(options.error)}</p></div>` : ''}
${filters}
<p><a href="/dashboard/export.zip${qs ? `?${escapeHtml(qs)}` : ''}">Download the funder export (zip: one CSV per group and a README of definitions)</a></p>
<nav aria-label="Figure groups"><p>${groups.map((g) => `<a href="#group-${g}">${escapeHtml(g)}</a>`).join(' · ')}</p></nav>
${sections}
<form method="post" action="/sign-out"><input type="hidden" name="_csrf" value="${escapeHtml(options.csrfToken)}"><div class="actions"><button type="submit" class="secondary">Sign out</button></div></form>`;
  return renderPage({ title: 'Programme figures', body, wide: true, footer: 'stemflow: every figure computed from records, with its definition.' });
}
