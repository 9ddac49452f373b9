import { escapeHtml } from '#notifications';
import { nonceAttribute } from '../web/page-nonce.js';

const TITLES: Record<string, string> = {
  person: 'The person',
  consents: 'What they agreed to',
  bookings: 'CPD bookings',
  cpdRecords: 'CPD attended (hours)',
  surveyInvitations: 'Survey invitations',
  surveysNotAsked: 'Surveys they were not asked to take, and why',
  surveyResponses: 'Survey answers',
  selfEvaluationEdits: 'Self-evaluation edits they made',
  notifications: 'Emails to them',
  pageLinks: 'Links emailed to them',
  scheduledActions: 'Planned and past actions about them',
  communicationPreferences: 'Email preferences',
  schoolContactRoles: 'School contact roles',
  partnershipsLed: 'Partnerships they lead',
  ambassador: 'STEM Ambassador profile and offers',
  erasure: 'Erasure',
  auditTrail: 'Changes made to their record',
};

function cell(value: unknown): string {
  if (value === null || value === undefined) return '<span class="hint">none</span>';
  if (value instanceof Date) return escapeHtml(value.toISOString());
  if (typeof value === 'object') return `<pre>${escapeHtml(JSON.stringify(value, null, 2))}</pre>`;
  return escapeHtml(String(value));
}

function section(value: unknown): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '<p class="hint">Nothing held.</p>';
    const keys = [...new Set(value.flatMap((row) => Object.keys(row as object)))];
    return `<table><thead><tr>${keys.map((k) => `<th scope="col">${escapeHtml(k)}</th>`).join('')}</tr></thead><tbody>${value
      .map((row) => `<tr>${keys.map((k) => `<td>${cell((row as Record<string, unknown>)[k])}</td>`).join('')}</tr>`)
      .join('')}</tbody></table>`;
  }
  if (value && typeof value === 'object') {
    return `<dl>${Object.entries(value)
      .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${Array.isArray(v) || (v && typeof v === 'object' && !(v instanceof Date)) ? section(v) : cell(v)}</dd>`)
      .join('')}</dl>`;
  }
  return value === null ? '<p class="hint">Nothing held.</p>' : `<p>${cell(value)}</p>`;
}

/** The subject-access export as a page a person can read and print: one section per module. */
export function renderExportPage(data: Record<string, unknown>): string {
  const sections = Object.entries(data).filter(([key]) => key !== 'exportedAt');
  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Everything held about a person</title>
<style${nonceAttribute()}>body{font-family:system-ui,sans-serif;margin:1rem auto;max-width:70rem;padding:0 1rem;line-height:1.4}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}pre{margin:0;white-space:pre-wrap}.hint{color:#555}dt{font-weight:bold}dd{margin:0 0 .5rem 1rem}</style>
</head><body><main>
<h1>Everything held about a person</h1>
<p class="hint">Exported ${escapeHtml(String(data.exportedAt))} under UK GDPR (subject access).</p>
<nav aria-label="Sections"><ul>${sections.map(([key]) => `<li><a href="#${key}">${escapeHtml(TITLES[key] ?? key)}</a></li>`).join('')}</ul></nav>
${sections.map(([key, value]) => `<section id="${key}"><h2>${escapeHtml(TITLES[key] ?? key)}</h2>${section(value)}</section>`).join('\n')}
</main></body></html>`;
}
