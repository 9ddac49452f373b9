import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { DateTime } from 'luxon';
import { FRAMEWORK_KEYS, KPI_FIELDS, type FieldProblem } from '#domain';
import type { FormErrors } from '../../web/forms.js';

// A field left empty is no answer: an optional one is then left out, a required one asked for.
const trimmed = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() || undefined : value));
/** A checkbox list arrives as one value when one box is ticked, and as nothing when none is. */
const list = () => Transform(({ value }) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]));

/** What a programme is called and who it speaks for: the fields a programme's managers keep up to date. */
export class ProgrammeDetailsForm {
  @trimmed()
  @MaxLength(200, { message: 'Enter a name of 200 characters or fewer' })
  @IsNotEmpty({ message: 'Enter the programme’s name' })
  @IsString({ message: 'Enter the programme’s name' })
  name: string;

  @trimmed()
  @IsOptional()
  @MaxLength(200, { message: 'Enter a funder of 200 characters or fewer' })
  @IsString({ message: 'Enter the funder’s name' })
  funder?: string;

  @trimmed()
  @IsOptional()
  @MaxLength(4000, { message: 'Enter aims of 4,000 characters or fewer' })
  @IsString({ message: 'Enter the programme’s aims' })
  aims?: string;

  @trimmed()
  @Matches(/^#[0-9a-fA-F]{6}$/, { message: 'Enter the colour as a hex code, like #0b5394' })
  @IsString({ message: 'Enter the colour as a hex code, like #0b5394' })
  brandColour: string;

  @trimmed()
  @IsOptional()
  @IsEmail({}, { message: 'Enter the team’s email address in the correct format, like stem.team@example.org' })
  @MaxLength(254, { message: 'Enter an email address of 254 characters or fewer' })
  @IsString({ message: 'Enter the team’s email address' })
  teamEmail?: string;
}

export class NewProgrammeForm extends ProgrammeDetailsForm {
  @IsIn(FRAMEWORK_KEYS, { message: 'Choose the self-evaluation framework' })
  @IsString({ message: 'Choose the self-evaluation framework' })
  frameworkKey: string;

  @list()
  @IsIn(KPI_FIELDS, { each: true, message: 'Choose from the fields listed' })
  @ArrayMaxSize(KPI_FIELDS.length)
  @IsArray()
  completeRecordRequires: string[];

  @trimmed()
  @IsOptional()
  @Matches(/^\d{1,7}$/, { message: 'Enter the recruitment target as a whole number, like 880' })
  recruitmentTarget?: string;
}

export class NewCohortForm {
  @trimmed()
  @MaxLength(200, { message: 'Enter a name of 200 characters or fewer' })
  @IsNotEmpty({ message: 'Enter the cohort’s name, like Wave 1' })
  @IsString({ message: 'Enter the cohort’s name, like Wave 1' })
  name: string;

  @IsString({ message: 'Choose the academic calendar its schools follow' })
  calendarKey: string;
}

/** An empty optional field is no answer at all. */
export const orNull = (value: string | undefined): string | null => (value === undefined || value === '' ? null : value);

/**
 * A date typed as day, month and year (GOV.UK's date input: `<field>-day`, …), as the day it
 * names; `what` finishes "Enter the date …".
 */
export function dateField(body: Record<string, unknown>, field: string, what: string): { value: string } | { problem: FieldProblem } {
  const part = (name: string) => (typeof body[`${field}-${name}`] === 'string' ? (body[`${field}-${name}`] as string).trim() : '');
  const [day, month, year] = [part('day'), part('month'), part('year')];
  if (!day && !month && !year) return { problem: { field: `${field}-day`, message: `Enter the date ${what}` } };
  const missing = [!day && 'day', !month && 'month', !year && 'year'].filter(Boolean);
  if (missing.length > 0) return { problem: { field: `${field}-${missing[0]}`, message: `The date ${what} must include a ${missing.join(' and ')}` } };
  const date = /^\d{1,2}$/.test(day) && /^\d{1,2}$/.test(month) && /^\d{4}$/.test(year) ? DateTime.fromObject({ year: +year, month: +month, day: +day }) : undefined;
  if (!date?.isValid) return { problem: { field: `${field}-day`, message: `The date ${what} must be a real date, like 1 9 2027` } };
  return { value: date.toISODate()! };
}

/** The parts of a typed date, to show again. */
export const dateParts = (iso: string | null | undefined) => {
  const [year, month, day] = (iso ?? '').split('-');
  return { day: day ? String(+day) : '', month: month ? String(+month) : '', year: year ?? '' };
};

/** Problems as a page shows them, in the order the form asks its questions. */
export function formErrors(problems: Array<{ field: string; text: string }>, order: string[]): FormErrors {
  const rank = (field: string) => {
    const i = order.findIndex((name) => field === name || field.startsWith(`${name}-`));
    return i < 0 ? order.length : i;
  };
  const sorted = [...problems].sort((a, b) => rank(a.field) - rank(b.field));
  return { list: sorted.map((p) => ({ text: p.text, href: `#${p.field}` })), byField: Object.fromEntries(sorted.map((p) => [p.field, { text: p.text }])) };
}

/**
 * A time of day typed as people write it ("9:00", "09.30", "4:30pm", "16:30"), as the
 * 24-hour "HH:MM" the policy holds; undefined when it is not a time.
 */
export function typedTime(text: string): string | undefined {
  const match = /^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$/i.exec(text.trim());
  if (!match) return undefined;
  let hour = Number(match[1]);
  const minute = Number(match[2] ?? '0');
  const half = match[3]?.toLowerCase();
  if (half && (hour < 1 || hour > 12)) return undefined;
  if (!half && !match[2]) return undefined;
  if (half === 'pm' && hour < 12) hour += 12;
  if (half === 'am' && hour === 12) hour = 0;
  if (hour > 23 || minute > 59) return undefined;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}
