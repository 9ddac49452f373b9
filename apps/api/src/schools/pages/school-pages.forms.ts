import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import { SCHOOL_PHASES, SCHOOL_STATUSES } from '#domain';
import { ByNameListForm } from '../../web/list-pages.js';

const trimmed = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
/** An empty field of the filter form (JavaScript off sends every field) is no filter. */
const emptyIsNone = () => Transform(({ value }) => (typeof value === 'string' && value.trim() === '' ? undefined : value));

/** The list's search and filters, and its place (a page number or a cursor), from the query string, so a list can be bookmarked. */
export class FindSchoolsForm extends ByNameListForm {
  @emptyIsNone()
  @IsOptional()
  @IsString({ message: 'Enter a name, URN, postcode or local authority' })
  @MaxLength(200, { message: 'Enter 200 characters or fewer' })
  q?: string;

  @emptyIsNone()
  @IsOptional()
  @IsIn(SCHOOL_STATUSES, { message: 'Choose a status from the list' })
  status?: string;

  @emptyIsNone()
  @IsOptional()
  @IsIn(SCHOOL_PHASES, { message: 'Choose a phase from the list' })
  phase?: string;

  @emptyIsNone()
  @IsOptional()
  @IsUUID('all', { message: 'Choose a partnership from the list' })
  partnershipId?: string;

  @emptyIsNone()
  @IsOptional()
  @IsUUID('all', { message: 'Choose a cohort from the list' })
  cohortId?: string;
}

/** Changing a school's status: where it goes, and why (kept in its history). */
export class ChangeStatusForm {
  @IsIn(SCHOOL_STATUSES, { message: 'Select the new status' })
  status: (typeof SCHOOL_STATUSES)[number];

  @trimmed()
  @Length(3, 1000, { message: 'Enter a reason of 3 to 1,000 characters' })
  @IsNotEmpty({ message: 'Enter the reason for the change' })
  @IsString({ message: 'Enter the reason for the change' })
  reason: string;
}

/** An Ofsted judgement: the day of the inspection (three fields, read by inspectionDate) and its grade, or none yet. */
export class RecordOfstedForm {
  @IsOptional() @IsString() day?: string;
  @IsOptional() @IsString() month?: string;
  @IsOptional() @IsString() year?: string;

  @IsIn(['1', '2', '3', '4', 'none'], { message: 'Select the judgement' })
  rating: '1' | '2' | '3' | '4' | 'none';
}

/**
 * The inspection's day from the form's three fields, as the GOV.UK date pattern asks for it:
 * one message for the whole date, naming what is missing or wrong. `today` is London's, as
 * "YYYY-MM-DD": an inspection is not in the future.
 */
export function inspectionDate(form: { day?: string; month?: string; year?: string }, today: string): { iso: string } | { message: string } {
  const parts = { day: (form.day ?? '').trim(), month: (form.month ?? '').trim(), year: (form.year ?? '').trim() };
  const missing = (Object.keys(parts) as Array<keyof typeof parts>).filter((k) => parts[k] === '');
  if (missing.length === 3) return { message: 'Enter the date of the inspection' };
  if (missing.length > 0) return { message: `The date of the inspection must include a ${missing.join(' and ')}` };
  if (!/^\d{1,2}$/.test(parts.day) || !/^\d{1,2}$/.test(parts.month) || !/^\d{4}$/.test(parts.year)) return { message: 'The date of the inspection must be a real date' };
  const iso = `${parts.year}-${parts.month.padStart(2, '0')}-${parts.day.padStart(2, '0')}`;
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso || Number(parts.year) < 1990) return { message: 'The date of the inspection must be a real date' };
  if (iso > today) return { message: 'The date of the inspection must be today or in the past' };
  return { iso };
}
