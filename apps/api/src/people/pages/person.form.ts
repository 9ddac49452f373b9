import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import { CAREER_STAGES, GENDERS, PERSON_PHASES, PERSON_ROLES, SUBJECT_SPECIALISMS } from '#domain';
import { IsEmailAddress, IsOneLine } from '../../common/validation.js';
import type { CreatePersonDto } from '../dto/person.dto.js';
import { ByNameListForm } from '../../web/list-pages.js';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const given = (_: unknown, value: unknown) => value !== undefined && value !== '';
const YES_NO = ['true', 'false'];

/**
 * A teacher or member of staff, as the add and change pages ask for them. Every answer but
 * the name and role may be left out (the record then counts as incomplete for the KPI); the
 * email address follows the one rule for addresses. Checks run from the lowest decorator up.
 */
export class PersonForm {
  @Transform(trimmed)
  @IsOneLine({ message: 'Enter their name on one line' })
  @MaxLength(200, { message: 'Enter a name of 200 characters or fewer' })
  @IsNotEmpty({ message: 'Enter their full name' })
  @IsString({ message: 'Enter their full name' })
  name: string;

  @Transform(trimmed)
  @ValidateIf(given)
  @IsEmailAddress({ message: 'Enter an email address in the correct format, like name@school.org.uk' })
  @IsString({ message: 'Enter their email address' })
  email?: string;

  @IsIn(PERSON_ROLES, { message: 'Select their role' })
  role: string;

  @ValidateIf(given)
  @IsUUID('all', { message: 'Select their school from the list' })
  schoolId?: string;

  @ValidateIf(given) @IsIn(YES_NO, { message: 'Select yes or no' }) slt?: string;
  @ValidateIf(given) @IsIn(PERSON_PHASES, { message: 'Select the phase they teach from the list' }) phase?: string;
  @ValidateIf(given) @IsIn(SUBJECT_SPECIALISMS, { message: 'Select their subject specialism from the list' }) subjectSpecialism?: string;
  @ValidateIf(given) @IsIn(CAREER_STAGES, { message: 'Select their career stage from the list' }) careerStage?: string;
  @ValidateIf(given) @IsIn(YES_NO, { message: 'Select yes or no' }) specialist?: string;
  @ValidateIf(given) @IsIn(GENDERS, { message: 'Select their gender from the list' }) gender?: string;
  @ValidateIf(given) @IsIn(YES_NO, { message: 'Select whether they may be sent evaluation surveys' }) consentToContact?: string;
}

const yesNo = (value: string | undefined) => (value ? value === 'true' : undefined);
const chosen = <T extends string>(value: string | undefined) => (value ? (value as T) : undefined);

/**
 * The answers as the service takes them. A question left unanswered is left out: on a
 * change, it keeps what the record held.
 */
export function personInput(form: PersonForm): CreatePersonDto {
  const input: CreatePersonDto = {
    name: form.name,
    email: form.email || undefined,
    role: form.role as CreatePersonDto['role'],
    schoolId: form.schoolId || undefined,
    slt: yesNo(form.slt),
    phase: chosen(form.phase),
    subjectSpecialism: chosen(form.subjectSpecialism),
    careerStage: chosen(form.careerStage),
    specialist: yesNo(form.specialist),
    gender: chosen(form.gender),
    consentToContact: yesNo(form.consentToContact),
  };
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as unknown as CreatePersonDto;
}

/** The filters of the people list, from the query string: what to search for, where, and the place in the list. */
export class PeopleFilterForm extends ByNameListForm {
  @Transform(trimmed)
  @ValidateIf(given)
  @MaxLength(200, { message: 'Enter 200 characters or fewer' })
  @IsString({ message: 'Enter a name or email address' })
  q?: string;

  @ValidateIf(given) @IsUUID('all', { message: 'Select a school from the list' }) schoolId?: string;
  @ValidateIf(given) @IsUUID('all', { message: 'Select a partnership from the list' }) partnershipId?: string;
}
