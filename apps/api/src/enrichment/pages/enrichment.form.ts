import { Transform } from 'class-transformer';
import { ArrayUnique, IsArray, IsIn, IsNotEmpty, IsString, IsUUID, Length, Matches, MaxLength, Validate, ValidateIf } from 'class-validator';
import { ENRICHMENT_TYPES, KEY_STAGES, type EnrichmentDetails } from '#domain';
import { IsOneLine } from '../../common/validation.js';
import { DAY, ListPageForm, NotBeforeFrom, RealDay } from '../../web/list-pages.js';
import { poundsToPence } from '../../partnerships/pages/partnership.form.js';
import { dateField, dateParts, formErrors } from '../../programmes/pages/programme.forms.js';
import { validateForm, type FormErrors } from '../../web/forms.js';

/** Each kind of event in words, in the order a person looks for them. */
export const TYPE_NAMES: Record<(typeof ENRICHMENT_TYPES)[number], string> = {
  stem_club: 'STEM club',
  careers_event: 'Careers event',
  competition: 'Competition',
  show: 'Show',
  visit: 'Visit',
  ambassador_session: 'STEM Ambassador session',
  employer_encounter: 'Employer encounter',
  other: 'Something else',
};

export const KEY_STAGE_NAMES: Record<(typeof KEY_STAGES)[number], string> = {
  eyfs: 'Early years',
  ks1: 'Key stage 1',
  ks2: 'Key stage 2',
  ks3: 'Key stage 3',
  ks4: 'Key stage 4',
  ks5: 'Key stage 5 (sixth form)',
};

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** "1,200" and "1 200" are the same count. */
const digits = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.replace(/[,\s]/g, '') : value);
/** "£120", "120.50": the symbol, commas and spaces go. */
const amount = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.replace(/[£,\s]/g, '') : value);
/** One checkbox ticked sends a string, several an array, none nothing at all. */
const list = ({ value }: { value: unknown }) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]);
const answered = (_: object, value: unknown) => value !== undefined && value !== '';

/**
 * An enrichment event as the page asks it: what kind, its title, the school that hosted it,
 * how many took part and from which key stages, STEM Ambassadors and cost; the day is read
 * from its own three fields. Checks run from the lowest decorator up, so the first message
 * is the first question to answer.
 */
export class EnrichmentEventForm {
  @IsIn(ENRICHMENT_TYPES, { message: 'Select what kind of event it was' })
  type: string;

  @Transform(trimmed)
  @IsOneLine({ message: 'Enter the title on one line' })
  @MaxLength(300, { message: 'Enter a title of 300 characters or fewer' })
  @IsNotEmpty({ message: 'Enter the event’s title, like Year 8 bridge-building challenge' })
  @IsString({ message: 'Enter the event’s title, like Year 8 bridge-building challenge' })
  title: string;

  @IsUUID('all', { message: 'Select the school that hosted it' })
  hostSchoolId: string;

  @Transform(digits)
  @Matches(/^\d{1,6}$/, { message: 'Enter the number of pupils as a whole number, like 30' })
  @IsNotEmpty({ message: 'Enter the number of pupils who took part' })
  @IsString({ message: 'Enter the number of pupils who took part' })
  pupils: string;

  @Transform(digits)
  @ValidateIf(answered)
  @Matches(/^\d{1,6}$/, { message: 'Enter the number of parents as a whole number, like 4' })
  parents?: string;

  @Transform(digits)
  @ValidateIf(answered)
  @Matches(/^\d{1,6}$/, { message: 'Enter the number of staff as a whole number, like 3' })
  staff?: string;

  @Transform(digits)
  @ValidateIf(answered)
  @Matches(/^\d{1,6}$/, { message: 'Enter the number from other schools as a whole number, like 12' })
  otherSchools?: string;

  @Transform(list)
  @ValidateIf((_, value) => value !== undefined)
  @IsIn(KEY_STAGES, { each: true, message: 'Select key stages from the list' })
  @ArrayUnique({ message: 'Select each key stage once' })
  @IsArray({ message: 'Select key stages from the list' })
  keyStages?: string[];

  @Transform(digits)
  @ValidateIf(answered)
  @Matches(/^\d{1,4}$/, { message: 'Enter the number of STEM Ambassadors as a whole number, like 2' })
  ambassadorsInvolved?: string;

  @Transform(amount)
  @ValidateIf(answered)
  @Matches(/^\d{1,7}(\.\d{1,2})?$/, { message: 'Enter the cost in pounds and pence, like 120 or 99.50' })
  cost?: string;
}

/** A correction: the event as it should read, and why. */
export class EnrichmentCorrectionForm extends EnrichmentEventForm {
  @Transform(trimmed)
  @Length(3, 1000, { message: 'Enter why it is corrected in 3 to 1,000 characters' })
  @IsString({ message: 'Enter why it is corrected' })
  reason: string;
}

/** The order the form asks its questions, for the error summary. */
const ORDER = ['type', 'title', 'occursOn', 'hostSchoolId', 'pupils', 'parents', 'staff', 'otherSchools', 'keyStages', 'ambassadorsInvolved', 'cost', 'reason'];

/** What the form's fields held, to show again: text as typed, the key stages ticked. */
export type EventFormValues = Record<string, string | string[]>;

export function typedValues(body: unknown): EventFormValues {
  const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const values: EventFormValues = {};
  for (const [key, value] of Object.entries(fields)) if (typeof value === 'string') values[key] = value;
  const stages = fields.keyStages;
  values.keyStages = (Array.isArray(stages) ? stages : [stages]).filter((s): s is string => typeof s === 'string');
  return values;
}

/** What the event's form reads, ready for the service (the day as ISO), or what to fix. */
export type ReadEvent<F> = { ok: true; form: F; occursOn: string } | { ok: false; errors: FormErrors; values: EventFormValues };

/** The event's form read as one: its fields by their checks, its day from its three parts, every problem in question order. */
export async function readEventForm<F extends EnrichmentEventForm>(form: new () => F, body: unknown): Promise<ReadEvent<F>> {
  const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const checked = await validateForm(form, fields);
  const day = dateField(fields, 'occursOn', 'it took place');
  const problems = [
    ...(checked.ok ? [] : checked.errors.list.map((e) => ({ field: e.href.slice(1), text: e.text }))),
    ...('problem' in day ? [{ field: day.problem.field, text: day.problem.message }] : []),
  ];
  if (checked.ok && 'value' in day) return { ok: true, form: checked.value, occursOn: day.value };
  return { ok: false, errors: formErrors(problems, ORDER), values: typedValues(body) };
}

const count = (text: string | undefined) => (text ? Number(text) : 0);

/** The service's body from the form: what the form does not ask (other schools, gender, careers, programme) is kept from the event it corrects. */
export function eventBody(form: EnrichmentEventForm, occursOn: string, kept?: { programmeId: string | null; schoolIds: string[]; hostSchoolId: string | null } & Partial<EnrichmentDetails>) {
  const attending = (kept?.schoolIds ?? []).filter((id) => id !== kept?.hostSchoolId && id !== form.hostSchoolId);
  return {
    programmeId: kept?.programmeId ?? undefined,
    type: form.type as (typeof ENRICHMENT_TYPES)[number],
    title: form.title,
    occursOn,
    hostSchoolId: form.hostSchoolId,
    schoolIds: attending,
    audience: { pupils: count(form.pupils), parents: count(form.parents), staff: count(form.staff), otherSchools: count(form.otherSchools) },
    keyStages: (form.keyStages ?? []) as Array<(typeof KEY_STAGES)[number]>,
    gender: kept?.gender ?? undefined,
    disadvantagedPupils: kept?.disadvantagedPupils ?? undefined,
    careers: kept?.careers ?? undefined,
    ambassadorsInvolved: count(form.ambassadorsInvolved),
    costPence: form.cost ? poundsToPence(form.cost) : 0,
  };
}

/** An event's fields as its form shows them, for a correction. */
export function formValues(
  event: { type: string; title: string; occursOn: string; hostSchoolId: string | null } & Pick<EnrichmentDetails, 'audience' | 'keyStages' | 'ambassadorsInvolved' | 'costPence'>,
): EventFormValues {
  const day = dateParts(event.occursOn);
  return {
    type: event.type,
    title: event.title,
    'occursOn-day': day.day,
    'occursOn-month': day.month,
    'occursOn-year': day.year,
    hostSchoolId: event.hostSchoolId ?? '',
    pupils: String(event.audience.pupils),
    parents: String(event.audience.parents),
    staff: String(event.audience.staff),
    otherSchools: String(event.audience.otherSchools),
    keyStages: [...event.keyStages],
    ambassadorsInvolved: String(event.ambassadorsInvolved),
    cost: event.costPence ? (event.costPence / 100).toFixed(2) : '',
  };
}

/** The list's filters, from its address (a GET form): every one may be left empty. */
export class EnrichmentFiltersForm extends ListPageForm {
  @ValidateIf(answered)
  @IsUUID('all', { message: 'Select a partnership from the list' })
  partnershipId?: string;

  @ValidateIf(answered)
  @IsUUID('all', { message: 'Select a school from the list' })
  schoolId?: string;

  @ValidateIf(answered)
  @Validate(RealDay, { message: 'Enter the "from" date as a real date' })
  @Matches(DAY, { message: 'Enter the "from" date as a date, like 2027-02-04' })
  from?: string;

  @ValidateIf(answered)
  @Validate(NotBeforeFrom, { message: 'The "to" date must be the same as or after the "from" date' })
  @Validate(RealDay, { message: 'Enter the "to" date as a real date' })
  @Matches(DAY, { message: 'Enter the "to" date as a date, like 2027-02-04' })
  to?: string;
}
