import { PERSON_LABELS, type LabelledField } from '../../people/pages/person-labels.js';
import { count, londonDate, londonDateTime, money } from '../../web/view-filters.js';

/**
 * A value as the page shows it: its words, or "None" set apart, or one line per part; and
 * how it sits in a table: `short` stays on one line, `longWord` (an address, a Message-ID)
 * may break anywhere rather than push a printed table off the paper.
 */
export interface ExportCell {
  text?: string;
  missing?: boolean;
  lines?: string[];
  short?: boolean;
  longWord?: boolean;
}

/** A table's column: `wide` when some value in it is a sentence or more, so it is given room to read. */
export interface ExportColumn {
  name: string;
  wide: boolean;
}

/** A part of a section: a table of records, one record's answers, or nothing held. */
export type ExportPart =
  | { title?: string; label: string; kind: 'table'; columns: ExportColumn[]; rows: ExportCell[][] }
  | { title?: string; label: string; kind: 'record'; rows: Array<{ key: string; value: ExportCell }> }
  | { title?: string; label: string; kind: 'empty' };

export interface ExportSection {
  id: string;
  title: string;
  parts: ExportPart[];
}

export interface ExportView {
  name: string;
  exportedAt: string;
  sections: ExportSection[];
}

/** Each module's records, in the words of the person they are about. */
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

/** Field names whose words do not follow from the name itself. */
const NAMES: Record<string, string> = {
  current: 'What they agree to now',
  log: 'Every answer they gave',
  byDefault: 'Without an answer from them',
  slt: 'Senior leadership team',
  specialist: 'Teaches their specialism',
  consentToContact: 'Agreed to surveys',
  not_before: 'Not sent before',
  data: 'Details',
};

const ACRONYMS: Record<string, string> = { id: 'ID', ids: 'IDs', cpd: 'CPD', urn: 'URN', slt: 'SLT', api: 'API', url: 'URL' };

/** "recipient_email", "schoolId" → "Recipient email", "School ID". */
export function fieldName(key: string): string {
  if (NAMES[key]) return NAMES[key];
  const words = key
    .replace(/_pence$|Pence$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[_\s]+/)
    .filter(Boolean)
    .map((w) => ACRONYMS[w.toLowerCase()] ?? w.toLowerCase());
  const sentence = words.join(' ');
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const CODE = /^[a-z]+(?:[_.][a-z]+)+$/;
/** Up to this many characters a value stays on one line; a sentence wraps. */
const SHORT = 40;

/** One value in words: dates on London's clock, yes or no, amounts in pounds. */
function words(key: string, value: unknown): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (value instanceof Date) return londonDateTime(value);
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return /pence$/i.test(key) ? money(value) : count(value);
  if (typeof value === 'string') {
    if (/pence$/i.test(key) && /^-?\d+$/.test(value)) return money(value);
    if (INSTANT.test(value)) return londonDateTime(value);
    if (DAY.test(value)) return londonDate(value);
    // A code ("legitimate_interests", "booking.confirmed") read as words.
    if (CODE.test(value)) return value.replace(/[_.]/g, ' ');
    return value;
  }
  return JSON.stringify(value);
}

/** A nested value (a booking's history, a survey's answers) as lines a person can read. */
function linesOf(value: unknown): string[] {
  const line = (item: unknown): string =>
    item && typeof item === 'object' && !(item instanceof Date)
      ? Object.entries(item)
          .map(([k, v]) => `${fieldName(k)}: ${words(k, v) ?? 'none'}`)
          .join(', ')
      : (words('', item) ?? 'none');
  if (Array.isArray(value)) return value.map(line);
  return Object.entries(value as object).map(([k, v]) => `${fieldName(k)}: ${isNested(v) ? linesOf(v).join('; ') || 'none' : (words(k, v) ?? 'none')}`);
}

function isNested(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !(value instanceof Date);
}

function cell(key: string, value: unknown): ExportCell {
  if (isNested(value)) {
    const lines = linesOf(value);
    return lines.length > 0 ? { lines, ...(lines.some(hasLongWord) ? { longWord: true } : {}) } : { text: 'None', missing: true, short: true };
  }
  const text = words(key, value);
  if (text === undefined) return { text: 'None', missing: true, short: true };
  return { text, ...(text.length <= SHORT ? { short: true } : {}), ...(hasLongWord(text) ? { longWord: true } : {}) };
}

function hasLongWord(text: string): boolean {
  return /[^\s-]{25,}/.test(text);
}

function part(label: string, value: unknown, title?: string): ExportPart {
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return { title, label, kind: 'empty' };
  if (Array.isArray(value)) {
    const keys = [...new Set(value.flatMap((row) => Object.keys(row as object)))].filter((k) => value.some((row) => (row as Record<string, unknown>)[k] !== undefined));
    const rows = value.map((row) => keys.map((k) => cell(k, (row as Record<string, unknown>)[k])));
    return {
      title,
      label,
      kind: 'table',
      columns: keys.map((k, i) => ({ name: fieldName(k), wide: rows.some((r) => !r[i].short) })),
      rows,
    };
  }
  if (typeof value === 'object' && !(value instanceof Date)) {
    return { title, label, kind: 'record', rows: Object.entries(value).map(([k, v]) => ({ key: fieldName(k), value: cell(k, v) })) };
  }
  return { title, label, kind: 'record', rows: [{ key: label, value: cell('', value) }] };
}

/** A record made of lists and records of its own (consents, an ambassador) shows each under its own heading. */
function partsOf(title: string, value: unknown): ExportPart[] {
  if (isNested(value) && !Array.isArray(value)) {
    const entries = Object.entries(value as object);
    if (entries.length > 0 && entries.every(([, v]) => v === null || isNested(v))) return entries.map(([k, v]) => part(`${title}: ${fieldName(k)}`, v, fieldName(k)));
  }
  return [part(title, value)];
}

/**
 * The subject-access export as the page shows it: one section per module, in the order the
 * service gives them, each a table of its records, one record's answers, or "Nothing held".
 */
export function exportView(data: Record<string, unknown>): ExportView {
  const person = (data.person ?? {}) as Record<string, unknown>;
  // The person's own fields read as the console's form offers them ("Middle leader", not "middle_leader").
  const labelled = Object.fromEntries(
    Object.entries(person).map(([k, v]) => [k, typeof v === 'string' && Object.hasOwn(PERSON_LABELS, k) ? ((PERSON_LABELS[k as LabelledField] as Record<string, string>)[v] ?? v) : v]),
  );
  return {
    name: typeof person.name === 'string' ? person.name : '',
    exportedAt: londonDateTime(data.exportedAt as string),
    sections: Object.entries(data)
      .filter(([key]) => key !== 'exportedAt')
      .map(([key, value]) => {
        const title = TITLES[key] ?? fieldName(key);
        return { id: key, title, parts: partsOf(title, key === 'person' ? labelled : value) };
      }),
  };
}
