/**
 * An academic calendar as data: terms with their half-term breaks, per
 * nation. Bank holidays come from date-holidays, not from here.
 */
export type Nation = 'england' | 'scotland';
export type BankHolidayRegion = 'ENG' | 'SCT' | 'NIR';

export interface TermBreak {
  name: string;
  /** Inclusive 'YYYY-MM-DD' dates. */
  starts: string;
  ends: string;
}

export interface Term {
  name: 'autumn' | 'spring' | 'summer';
  starts: string;
  ends: string;
  breaks: TermBreak[];
}

export interface AcademicYear {
  label: string;
  terms: Term[];
}

export interface AcademicCalendar {
  key: string;
  name: string;
  nation: Nation;
  bankHolidayRegion: BankHolidayRegion;
  /** Built-in calendars hold typical dates; each local authority's differ, so they are edited. */
  note: string;
  years: AcademicYear[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Validates an edited calendar: dates well-formed, terms in order, breaks inside their term. */
export function calendarProblems(calendar: Pick<AcademicCalendar, 'years'>): Array<{ field: string; message: string }> {
  const problems: Array<{ field: string; message: string }> = [];
  if (!Array.isArray(calendar.years) || calendar.years.length === 0) return [{ field: 'years', message: 'must list at least one academic year' }];
  let previousEnd = '';
  calendar.years.forEach((year, y) => {
    if (!Array.isArray(year?.terms) || year.terms.length === 0) {
      problems.push({ field: `years[${y}].terms`, message: 'must list the terms' });
      return;
    }
    year.terms.forEach((term, t) => {
      const at = `years[${y}].terms[${t}]`;
      if (!['autumn', 'spring', 'summer'].includes(term?.name)) problems.push({ field: `${at}.name`, message: 'must be autumn, spring or summer' });
      if (!DATE.test(term?.starts ?? '') || !DATE.test(term?.ends ?? '') || Number.isNaN(Date.parse(term.starts)) || Number.isNaN(Date.parse(term.ends))) {
        problems.push({ field: at, message: 'starts and ends must be YYYY-MM-DD dates' });
        return;
      }
      if (term.ends < term.starts) problems.push({ field: at, message: 'ends before it starts' });
      if (term.starts <= previousEnd) problems.push({ field: at, message: 'overlaps the term before it' });
      previousEnd = term.ends;
      if (term.breaks !== undefined && !Array.isArray(term.breaks)) {
        problems.push({ field: `${at}.breaks`, message: 'must be a list' });
        return;
      }
      (term.breaks ?? []).forEach((b, i) => {
        if (!DATE.test(b?.starts ?? '') || !DATE.test(b?.ends ?? '') || b.starts < term.starts || b.ends > term.ends || b.ends < b.starts) {
          problems.push({ field: `${at}.breaks[${i}]`, message: 'must be YYYY-MM-DD dates inside the term' });
        }
      });
    });
  });
  return problems;
}

/** The years of a validated calendar with only the fields stemflow reads, breaks always a list. */
export function normaliseYears(years: AcademicYear[]): AcademicYear[] {
  return years.map((year) => ({
    label: String(year.label ?? `${year.terms[0].starts.slice(0, 4)}/${year.terms[year.terms.length - 1].ends.slice(2, 4)}`),
    terms: year.terms.map((term) => ({
      name: term.name,
      starts: term.starts,
      ends: term.ends,
      breaks: (term.breaks ?? []).map((b) => ({ name: String(b.name ?? 'Break').slice(0, 100), starts: b.starts, ends: b.ends })),
    })),
  }));
}
