import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUrl, Matches, MaxLength } from 'class-validator';
import { DateTime } from 'luxon';
import { CPD_CHANNELS, CPD_FORMATS, CPD_SUBJECTS } from '#domain';
import type { FormErrors } from '../../web/forms.js';
import { PAGE_ZONE } from '../../web/view-filters.js';

/** What was typed, without spaces around it; a field left blank is no answer at all. */
const trimmed = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() || undefined : value));

/** The words a programme team uses for each subject, format and channel, in the order they are offered. */
export const SUBJECT_NAMES: Record<(typeof CPD_SUBJECTS)[number], string> = {
  science: 'Science',
  technology: 'Technology',
  engineering: 'Engineering',
  maths: 'Maths',
  computing: 'Computing',
  leadership: 'Leadership',
  other: 'Other',
};
export const FORMAT_NAMES: Record<(typeof CPD_FORMATS)[number], string> = {
  residential: 'Residential',
  local: 'Local',
  online: 'Online',
  in_school: 'In school',
  coaching: 'Coaching',
  network_meeting: 'Network meeting',
  third_party: 'Third party',
};
export const CHANNEL_NAMES: Record<Exclude<(typeof CPD_CHANNELS)[number], 'central'>, string> = {
  local: 'Local CPD',
  third_party: 'Third-party provider',
  coaching: 'Coaching',
  online: 'Online',
  in_school: 'In school',
  network_meeting: 'Network meeting',
};

const HOURS = /^\d{1,3}(\.\d{1,2})?$/;
const POUNDS = /^£?\d{1,3}(,?\d{3})*(\.\d{2})?$/;

/** Hours as typed ("6", "2.5"), as a number. */
export const hoursOf = (typed: string): number => Number(typed);
/** Pounds as typed ("£1,050", "150.00"), in pence. */
export const penceOf = (typed: string): number => Math.round(Number(typed.replace(/[£,]/g, '')) * 100);

export class CourseForm {
  @trimmed() @MaxLength(300, { message: 'Enter a title of 300 characters or fewer' }) @IsNotEmpty({ message: 'Enter the course title' }) @IsString({ message: 'Enter the course title' }) title: string;
  @IsIn(CPD_SUBJECTS, { message: 'Select the subject' }) subject: (typeof CPD_SUBJECTS)[number];
  @IsIn(CPD_FORMATS, { message: 'Select the format' }) format: (typeof CPD_FORMATS)[number];
  @trimmed()
  @Matches(HOURS, { message: 'Enter the hours as a number, like 6 or 2.5' })
  @IsNotEmpty({ message: 'Enter the hours of CPD a participant gains' })
  @IsString({ message: 'Enter the hours of CPD a participant gains' })
  hours: string;
  @trimmed()
  @Matches(POUNDS, { message: 'Enter the cost in pounds, like 150 or 150.50' })
  @IsNotEmpty({ message: 'Enter the cost of a place, or 0 if it is free' })
  @IsString({ message: 'Enter the cost of a place, or 0 if it is free' })
  cost: string;
  @trimmed() @IsOptional() @MaxLength(200, { message: 'Enter a provider of 200 characters or fewer' }) @IsString() provider?: string;
}

/** A course form as the service takes it; a provider left blank is none. */
export function courseInput(form: CourseForm) {
  const hours = hoursOf(form.hours);
  const costPence = penceOf(form.cost);
  return { title: form.title, subject: form.subject, format: form.format, hours, costPence, provider: form.provider || undefined };
}

/** Checks the values the pattern let through: hours within what the ledger takes. */
export function courseProblems(form: CourseForm): Array<{ field: string; text: string }> {
  const hours = hoursOf(form.hours);
  const problems: Array<{ field: string; text: string }> = [];
  if (hours < 0.25 || hours > 200) problems.push({ field: 'hours', text: 'Enter hours between 0.25 and 200' });
  if (penceOf(form.cost) > 10_000_000) problems.push({ field: 'cost', text: 'Enter a cost of £100,000 or less' });
  return problems;
}

const DAY_PART = /^\d{1,4}$/;
const TIME = /^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$/i;

/** When and where a session is: a day, a start and end time in London, a venue or an online link. */
export class SessionTimeForm {
  @trimmed() @IsOptional() @IsString() 'date-day'?: string;
  @trimmed() @IsOptional() @IsString() 'date-month'?: string;
  @trimmed() @IsOptional() @IsString() 'date-year'?: string;
  @trimmed() @IsNotEmpty({ message: 'Enter the start time' }) @IsString({ message: 'Enter the start time' }) startTime: string;
  @trimmed() @IsNotEmpty({ message: 'Enter the end time' }) @IsString({ message: 'Enter the end time' }) endTime: string;
  @trimmed() @IsOptional() @MaxLength(300, { message: 'Enter a venue of 300 characters or fewer' }) @IsString() venue?: string;
  @trimmed()
  @IsOptional()
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true }, { message: 'Enter the online link in full, starting https://' })
  @MaxLength(2000, { message: 'Enter an online link of 2,000 characters or fewer' })
  @IsString()
  onlineUrl?: string;
}

export class SessionForm extends SessionTimeForm {
  @trimmed()
  @Matches(/^\d{1,5}$/, { message: 'Enter the number of places as a whole number, like 30' })
  @IsNotEmpty({ message: 'Enter the number of places' })
  @IsString({ message: 'Enter the number of places' })
  capacity: string;
}

/** A time as people write it ("9:30am", "14:00", "2pm") as hours and minutes, or nothing. */
export function parseTime(typed: string): { hour: number; minute: number } | null {
  const match = TIME.exec(typed.replace(/\s+/g, ''));
  if (!match) return null;
  let hour = Number(match[1]);
  const minute = Number(match[2] ?? '0');
  const half = match[3]?.toLowerCase();
  if (minute > 59) return null;
  if (half) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (half === 'pm' ? 12 : 0);
  } else if (hour > 23) return null;
  return { hour, minute };
}

export interface SessionTimes {
  startsAt: string;
  endsAt: string;
  venue?: string;
  onlineUrl?: string;
}

/**
 * The session's start and end as instants, from the day and times typed in London, and
 * what to ask again when they do not make sense.
 */
export function sessionTimes(form: Record<string, string | undefined>): { times?: SessionTimes; problems: Array<{ field: string; text: string }> } {
  const problems: Array<{ field: string; text: string }> = [];
  const [day, month, year] = [form['date-day'], form['date-month'], form['date-year']];
  let date: DateTime | undefined;
  if (!day && !month && !year) problems.push({ field: 'date-day', text: 'Enter the date of the session' });
  else if (![day, month, year].every((part) => part && DAY_PART.test(part)) || (year ?? '').length !== 4) problems.push({ field: 'date-day', text: 'The date must be a real date, like 4 2 2027' });
  else {
    date = DateTime.fromObject({ day: Number(day), month: Number(month), year: Number(year) }, { zone: PAGE_ZONE });
    if (!date.isValid) problems.push({ field: 'date-day', text: 'The date must be a real date, like 4 2 2027' });
  }
  const start = form.startTime ? parseTime(form.startTime) : null;
  const end = form.endTime ? parseTime(form.endTime) : null;
  if (form.startTime && !start) problems.push({ field: 'startTime', text: 'Enter the start time like 9:30am or 14:00' });
  if (form.endTime && !end) problems.push({ field: 'endTime', text: 'Enter the end time like 3:30pm or 15:30' });
  if (!form.venue && !form.onlineUrl) problems.push({ field: 'venue', text: 'Enter a venue, an online link, or both' });
  if (!date?.isValid || !start || !end) return { problems };
  const startsAt = date.set(start);
  const endsAt = date.set(end);
  if (endsAt <= startsAt) problems.push({ field: 'endTime', text: 'The end time must be after the start time' });
  return { problems, times: { startsAt: startsAt.toUTC().toISO()!, endsAt: endsAt.toUTC().toISO()!, venue: form.venue || undefined, onlineUrl: form.onlineUrl || undefined } };
}

/** A session's day and times as the form shows them, in London. */
export function sessionFormValues(session: { startsAt: Date; endsAt: Date; venue: string | null; onlineUrl: string | null }): Record<string, string> {
  const start = DateTime.fromJSDate(session.startsAt, { zone: PAGE_ZONE });
  const end = DateTime.fromJSDate(session.endsAt, { zone: PAGE_ZONE });
  return {
    'date-day': String(start.day),
    'date-month': String(start.month),
    'date-year': String(start.year),
    startTime: start.toFormat('HH:mm'),
    endTime: end.toFormat('HH:mm'),
    venue: session.venue ?? '',
    onlineUrl: session.onlineUrl ?? '',
  };
}

export class CancelSessionForm {
  @trimmed()
  @MaxLength(500, { message: 'Enter a reason of 500 characters or fewer' })
  @IsNotEmpty({ message: 'Enter why the session is cancelled' })
  @IsString({ message: 'Enter why the session is cancelled' })
  reason: string;
}

export class CancelBookingForm {
  @trimmed() @IsOptional() @MaxLength(500, { message: 'Enter a reason of 500 characters or fewer' }) @IsString() reason?: string;
}

export class BookPersonForm {
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: 'Choose a person to book' }) @IsString({ message: 'Choose a person to book' }) personId: string;
}

export class CpdRecordForm {
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: 'Choose the person' }) @IsString({ message: 'Choose the person' }) personId: string;
  @IsIn(Object.keys(CHANNEL_NAMES), { message: 'Select where the CPD came from' }) channel: keyof typeof CHANNEL_NAMES;
  @IsIn(CPD_SUBJECTS, { message: 'Select the subject' }) subject: (typeof CPD_SUBJECTS)[number];
  @trimmed() @MaxLength(300, { message: 'Enter a title of 300 characters or fewer' }) @IsNotEmpty({ message: 'Enter what the CPD was' }) @IsString({ message: 'Enter what the CPD was' }) title: string;
  @trimmed()
  @Matches(HOURS, { message: 'Enter the hours as a number, like 1.5' })
  @IsNotEmpty({ message: 'Enter the hours of CPD' })
  @IsString({ message: 'Enter the hours of CPD' })
  hours: string;
  @trimmed() @IsOptional() @IsString() 'date-day'?: string;
  @trimmed() @IsOptional() @IsString() 'date-month'?: string;
  @trimmed() @IsOptional() @IsString() 'date-year'?: string;
  @trimmed() @IsOptional() @MaxLength(200, { message: 'Enter a provider of 200 characters or fewer' }) @IsString() provider?: string;
}

/** The day typed in a date input as YYYY-MM-DD, or what to ask again. */
export function dayOf(form: { 'date-day'?: string; 'date-month'?: string; 'date-year'?: string }, missing: string): { day?: string; problem?: string } {
  const [day, month, year] = [form['date-day'], form['date-month'], form['date-year']];
  if (!day && !month && !year) return { problem: missing };
  if (![day, month, year].every((part) => part && DAY_PART.test(part)) || (year ?? '').length !== 4) return { problem: 'The date must be a real date, like 12 11 2026' };
  const date = DateTime.fromObject({ day: Number(day), month: Number(month), year: Number(year) }, { zone: PAGE_ZONE });
  return date.isValid ? { day: date.toISODate()! } : { problem: 'The date must be a real date, like 12 11 2026' };
}

/** Adds problems found after the form class's checks, in the shape the error summary shows. */
export function withProblems(errors: FormErrors | undefined, problems: Array<{ field: string; text: string }>): FormErrors | undefined {
  if (problems.length === 0) return errors;
  const list = [...(errors?.list ?? [])];
  const byField = { ...(errors?.byField ?? {}) };
  for (const p of problems) {
    if (byField[p.field]) continue;
    list.push({ text: p.text, href: `#${p.field}` });
    byField[p.field] = { text: p.text };
  }
  return { list, byField };
}
