import { DateTime } from 'luxon';

/** Every date and time on the pages is read in England, whatever the server's zone. */
export const PAGE_ZONE = 'Europe/London';

/** An instant, or a text one; a text one with no offset ("2027-02-04") is London's own day or time. */
function inLondon(value: Date | string): DateTime | undefined {
  const moment = value instanceof Date ? DateTime.fromJSDate(value, { zone: PAGE_ZONE }) : DateTime.fromISO(value, { zone: PAGE_ZONE });
  return moment.isValid ? moment.setLocale('en-GB') : undefined;
}

/** "4 February 2027", the day as it is in London. A value that is not a date shows as it came. */
export function londonDate(value: Date | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  return inLondon(value)?.toFormat('d MMMM yyyy') ?? String(value);
}

/** "4 February 2027 at 9:30am", "… at 2pm": London's clock, as people write it. */
export function londonDateTime(value: Date | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const moment = inLondon(value);
  if (!moment) return String(value);
  return `${moment.toFormat('d MMMM yyyy')} at ${londonTime(value)}`;
}

/** "9:30am", "2pm": the time of day on London's clock. */
export function londonTime(value: Date | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const moment = inLondon(value);
  return moment ? moment.toFormat(moment.minute === 0 ? 'ha' : 'h:mma').toLowerCase() : String(value);
}

/** An amount held in pence, in pounds: "£1,050", or "£1,050.50" when it has pence. */
export function money(pence: number | string | null | undefined): string {
  if (pence === null || pence === undefined || pence === '') return '';
  const value = Number(pence);
  if (!Number.isFinite(value)) return String(pence);
  const whole = Number.isInteger(value / 100);
  const pounds = Math.abs(value / 100).toLocaleString('en-GB', { minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: 2 });
  return `${value < 0 ? '−' : ''}£${pounds}`;
}

/** A count with thousands separated: "1,234". */
export function count(value: number | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const n = Number(value);
  return Number.isFinite(n) ? n.toLocaleString('en-GB') : String(value);
}

/** The filters every view may use, by the name templates call them. */
export const VIEW_FILTERS = { londonDate, londonDateTime, londonTime, money, count } as const;
