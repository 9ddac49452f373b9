import Holidays from 'date-holidays';
import { DateTime } from 'luxon';
import type { AcademicCalendar, BankHolidayRegion, Term } from './academic-calendar.js';

export const LONDON = 'Europe/London';

/** When nudges may go: school days, inside working hours in Europe/London. */
export interface SendWindow {
  opens: string;
  closes: string;
}

export const DEFAULT_SEND_WINDOW: SendWindow = { opens: '09:00', closes: '16:30' };

const bankHolidayCache = new Map<string, Set<string>>();

/** Bank holidays of a UK region in a year, as 'YYYY-MM-DD' (from date-holidays, kept per process). */
export function bankHolidays(region: BankHolidayRegion, year: number): Set<string> {
  const key = `${region}:${year}`;
  let days = bankHolidayCache.get(key);
  if (!days) {
    const holidays = new Holidays('GB', region);
    days = new Set(
      holidays
        .getHolidays(year)
        .filter((h) => h.type === 'public' || h.type === 'bank')
        .map((h) => h.date.slice(0, 10)),
    );
    bankHolidayCache.set(key, days);
  }
  return days;
}

export function termOn(date: string, calendar: AcademicCalendar): Term | undefined {
  for (const year of calendar.years) for (const term of year.terms) if (date >= term.starts && date <= term.ends) return term;
  return undefined;
}

/** A school day: a weekday, in term, outside the term's breaks, and not a bank holiday. */
export function isSchoolDay(date: string, calendar: AcademicCalendar): boolean {
  const day = DateTime.fromISO(date, { zone: LONDON });
  if (!day.isValid || day.weekday > 5) return false;
  const term = termOn(date, calendar);
  if (!term) return false;
  if (term.breaks.some((b) => date >= b.starts && date <= b.ends)) return false;
  return !bankHolidays(calendar.bankHolidayRegion, day.year).has(date);
}

/**
 * The first moment at or after `instant` when a nudge may go: now if it is a school day
 * inside the window, else the window's opening on the next school day. Undefined when the
 * calendar has no school day left within a year (the calendar needs its next year).
 */
export function nextSendSlot(instant: Date, calendar: AcademicCalendar, window: SendWindow = DEFAULT_SEND_WINDOW): Date | undefined {
  const local = DateTime.fromJSDate(instant, { zone: LONDON });
  const [openH, openM] = window.opens.split(':').map(Number);
  const [closeH, closeM] = window.closes.split(':').map(Number);
  for (let offset = 0; offset < 366; offset += 1) {
    const day = local.startOf('day').plus({ days: offset });
    if (!isSchoolDay(day.toISODate()!, calendar)) continue;
    const opens = day.set({ hour: openH, minute: openM });
    const closes = day.set({ hour: closeH, minute: closeM });
    if (offset === 0) {
      if (local < opens) return opens.toJSDate();
      if (local < closes) return instant;
      continue;
    }
    return opens.toJSDate();
  }
  return undefined;
}

/** The start of each term that begins in [from, to), as a London midnight instant. */
export function termStartsBetween(calendar: AcademicCalendar, from: Date, to: Date): Array<{ term: Term; yearLabel: string; startsAt: Date }> {
  const out: Array<{ term: Term; yearLabel: string; startsAt: Date }> = [];
  for (const year of calendar.years) {
    for (const term of year.terms) {
      const startsAt = DateTime.fromISO(term.starts, { zone: LONDON }).toJSDate();
      if (startsAt >= from && startsAt < to) out.push({ term, yearLabel: year.label, startsAt });
    }
  }
  return out;
}
