import { stringify } from 'csv-stringify/sync';

// A spreadsheet opening a CSV runs a cell starting with one of these as a formula
// (=HYPERLINK(...), +cmd|..., @SUM(...)), or drops the tab or carriage return it starts with.
const FORMULA_START = /^[=+\-@\t\r]/;
// A plain decimal number, negative ones included: a spreadsheet reads it as that number,
// never as a formula, so it is written as it is (money as -12.50, not '-12.50).
const PLAIN_NUMBER = /^-?\d+(?:\.\d+)?$/;

/**
 * One CSV cell made safe to open in a spreadsheet (OWASP's advice on CSV injection): text
 * that would start a formula gets a leading single quote, which spreadsheets show as text.
 * Numbers stay numbers, whether a number or text that is only a number.
 */
export function csvCell(value: unknown): string | number | boolean {
  if (value === null || value === undefined) return '';
  // A boolean is written as csv-stringify writes one (1, or empty).
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  const text = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** Rows as CSV text, every cell through csvCell: the one way stemflow writes a CSV. */
export function csvText(rows: unknown[][]): string {
  return stringify(rows.map((row) => row.map(csvCell)));
}
