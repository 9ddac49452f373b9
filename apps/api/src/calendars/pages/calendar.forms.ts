import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import type { AcademicYear, FieldProblem, Term } from '#domain';
import { IsOneLine } from '../../common/validation.js';
import { dateField, dateParts } from '../../programmes/pages/programme.forms.js';
import { londonDate } from '../../web/view-filters.js';
import { CALENDAR_KEY } from '../dto/calendar.dto.js';

type Problem = { field: string; text: string };

/** Blank break rows under a term's own, so that breaks are added without JavaScript. */
export const EXTRA_BREAKS = 3;

export const NATION_NAMES: Record<string, string> = { england: 'England', scotland: 'Scotland' };

const TERM_NAMES: Record<string, string> = { autumn: 'Autumn term', spring: 'Spring term', summer: 'Summer term' };

/** "Spring term 2026/27". */
export const termTitle = (term: Pick<Term, 'name'>, year: Pick<AcademicYear, 'label'>) => `${TERM_NAMES[term.name] ?? term.name} ${year.label}`;

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** A new calendar made from an existing one's dates. */
export class CopyCalendarForm {
  @Transform(trimmed)
  @IsOneLine({ message: 'Enter the name on one line' })
  @MaxLength(200, { message: 'Enter a name of 200 characters or fewer' })
  @IsNotEmpty({ message: 'Enter a name for the new calendar, like Middlesbrough schools' })
  @IsString({ message: 'Enter a name for the new calendar, like Middlesbrough schools' })
  name: string;

  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @ValidateIf((_, value) => value !== undefined && value !== '')
  @Matches(CALENDAR_KEY, { message: 'Enter a key of 2 to 41 lower-case letters, numbers and hyphens, like middlesbrough' })
  @IsString({ message: 'Enter a key of 2 to 41 lower-case letters, numbers and hyphens, like middlesbrough' })
  key?: string;

  @IsIn(Object.keys(NATION_NAMES), { message: 'Choose the nation its schools are in' })
  nation: string;
}

/** A calendar's key made from its name, as the address people see: "Middlesbrough schools" is middlesbrough-schools. */
export function keyFromName(name: string): string {
  const key = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 41)
    .replace(/-+$/, '');
  return CALENDAR_KEY.test(key) ? key : '';
}

/** A term's saved dates and breaks as its form's fields show them, with blank rows to add breaks. */
export function termValues(term: Term): Record<string, string> {
  const values: Record<string, string> = {};
  const put = (field: string, iso: string) => {
    const parts = dateParts(iso);
    values[`${field}-day`] = parts.day;
    values[`${field}-month`] = parts.month;
    values[`${field}-year`] = parts.year;
  };
  put('starts', term.starts);
  put('ends', term.ends);
  term.breaks.forEach((b, i) => {
    values[`breaks-${i}-name`] = b.name;
    put(`breaks-${i}-starts`, b.starts);
    put(`breaks-${i}-ends`, b.ends);
  });
  return values;
}

/** A break as typed, with the row of the form it came from. */
export interface TypedBreak {
  row: number;
  name: string;
  starts: string;
  ends: string;
}

const DATE_PARTS = ['day', 'month', 'year'];

/** The names of a term form's fields, for `rows` break rows, in the order it asks them. */
export function termFields(rows: number): string[] {
  const dates = (field: string) => DATE_PARTS.map((part) => `${field}-${part}`);
  return [
    ...dates('starts'),
    ...dates('ends'),
    ...Array.from({ length: rows }, (_, i) => [`breaks-${i}-name`, ...dates(`breaks-${i}-starts`), ...dates(`breaks-${i}-ends`), `breaks-${i}-remove`]).flat(),
  ];
}

/**
 * A term's form as sent: its dates, and its breaks in date order. A row ticked "Remove this
 * break", or left blank, is no break. What was typed comes back to show again; a date that
 * is not a date, or a break without a name, is a problem before the calendar's rules run.
 */
export function readTerm(body: Record<string, unknown>, rows: number): { values: Record<string, string>; problems: Problem[]; term?: { starts: string; ends: string; breaks: TypedBreak[] } } {
  const text = (field: string) => (typeof body[field] === 'string' ? (body[field] as string) : '');
  const values = Object.fromEntries(termFields(rows).map((field) => [field, text(field)]));
  const problems: Problem[] = [];
  const date = (field: string, what: string) => {
    const read = dateField(body, field, what);
    if ('problem' in read) problems.push({ field: read.problem.field, text: read.problem.message });
    return 'value' in read ? read.value : undefined;
  };
  const starts = date('starts', 'the term starts');
  const ends = date('ends', 'the term ends');
  const breaks: TypedBreak[] = [];
  for (let row = 0; row < rows; row++) {
    const at = `breaks-${row}`;
    const typed = [`${at}-name`, ...['starts', 'ends'].flatMap((end) => DATE_PARTS.map((part) => `${at}-${end}-${part}`))].some((field) => text(field).trim() !== '');
    if (values[`${at}-remove`] === 'remove' || !typed) continue;
    const name = text(`${at}-name`).trim();
    if (!name) problems.push({ field: `${at}-name`, text: `Enter the name of break ${row + 1}, like February half-term` });
    else if (name.length > 100) problems.push({ field: `${at}-name`, text: `Enter a name for break ${row + 1} of 100 characters or fewer` });
    else if (/[\r\n]/.test(name)) problems.push({ field: `${at}-name`, text: `Enter the name of break ${row + 1} on one line` });
    const breakStarts = date(`${at}-starts`, `break ${row + 1} starts`);
    const breakEnds = date(`${at}-ends`, `break ${row + 1} ends`);
    if (breakStarts && breakEnds) breaks.push({ row, name, starts: breakStarts, ends: breakEnds });
  }
  if (problems.length > 0 || !starts || !ends) return { values, problems };
  return { values, problems, term: { starts, ends, breaks: breaks.sort((a, b) => a.starts.localeCompare(b.starts) || a.row - b.row) } };
}

const PLACE = /^years\[(\d+)\]\.terms\[(\d+)\](?:\.breaks\[(\d+)\])?/;

/**
 * The calendar's rules' problems (calendarProblems: a path in the calendar and a few words)
 * as a term's form shows them: on the field to change, in a sentence. The term is the
 * `year`th year's `term`th; `years` are the calendar's with the typed term in place, and
 * `breaks` the typed breaks in the order they were saved in.
 */
export function termProblems(problems: FieldProblem[], years: AcademicYear[], at: { year: number; term: number }, breaks: TypedBreak[]): Problem[] {
  const order = years.flatMap((y, yi) => y.terms.map((t, ti) => ({ year: yi, term: ti, title: termTitle(t, y).toLowerCase(), starts: t.starts, ends: t.ends })));
  const here = order.findIndex((p) => p.year === at.year && p.term === at.term);
  const shown: Problem[] = [];
  for (const problem of problems) {
    const place = PLACE.exec(problem.field);
    const [year, term, index] = place ? [Number(place[1]), Number(place[2]), place[3] === undefined ? undefined : Number(place[3])] : [-1, -1, undefined];
    const edited = year === at.year && term === at.term;
    if (edited && index !== undefined && breaks[index]) {
      const b = breaks[index];
      shown.push(
        b.ends < b.starts
          ? { field: `breaks-${b.row}-ends-day`, text: `The date break ${b.row + 1} ends must be the same as or after the date it starts` }
          : { field: `breaks-${b.row}-starts-day`, text: `Break ${b.row + 1} must be inside the term, from ${londonDate(order[here].starts)} to ${londonDate(order[here].ends)}` },
      );
    } else if (edited && problem.message === 'ends before it starts') {
      shown.push({ field: 'ends-day', text: 'The date the term ends must be the same as or after the date it starts' });
    } else if (edited && problem.message === 'overlaps the term before it' && here > 0) {
      shown.push({ field: 'starts-day', text: `The term must start after the ${order[here - 1].title} ends, on ${londonDate(order[here - 1].ends)}` });
    } else if (here >= 0 && order[here + 1]?.year === year && order[here + 1]?.term === term && problem.message === 'overlaps the term before it') {
      shown.push({ field: 'ends-day', text: `The term must end before the ${order[here + 1].title} starts, on ${londonDate(order[here + 1].starts)}` });
    } else {
      // Not this term's own: the calendar had it before this change. Said on the first field, so it is seen.
      const where = order.find((p) => p.year === year && p.term === term)?.title;
      shown.push({ field: 'starts-day', text: where ? `The ${where} ${problem.message}` : `The calendar ${problem.message}` });
    }
  }
  return shown.filter((p, i) => shown.findIndex((q) => q.field === p.field) === i);
}
