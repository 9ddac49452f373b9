import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, IsUUID, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
import { IsOneLine } from '../../common/validation.js';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** "£25,000", "25 000" and "25000" are the same amount: the symbol, commas and spaces go. */
const amount = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.replace(/[£,\s]/g, '') : value);

/** Pounds with at most two places of pence ("500", "499.50"), in pence. */
export function poundsToPence(pounds: string): number {
  const [whole, pence = ''] = pounds.split('.');
  return Number(whole) * 100 + Number(pence.padEnd(2, '0'));
}

/**
 * A new partnership: its name, area, cohort, educational lead and budget. Checks run from
 * the lowest decorator up, so the first message is the first question to answer.
 */
export class PartnershipForm {
  @Transform(trimmed)
  @IsOneLine({ message: 'Enter the name on one line' })
  @MaxLength(200, { message: 'Enter a name of 200 characters or fewer' })
  @IsNotEmpty({ message: 'Enter the partnership’s name' })
  @IsString({ message: 'Enter the partnership’s name' })
  name: string;

  @Transform(trimmed)
  @ValidateIf((_, value) => value !== undefined && value !== '')
  @MaxLength(200, { message: 'Enter an area of 200 characters or fewer' })
  @IsString({ message: 'Enter the area it covers' })
  area?: string;

  @IsUUID('all', { message: 'Select the cohort its schools are in' })
  cohortId: string;

  @ValidateIf((_, value) => value !== undefined && value !== '')
  @IsUUID('all', { message: 'Select its educational lead from the list' })
  educationalLeadId?: string;

  @Transform(amount)
  @Matches(/^\d{1,8}$/, { message: 'Enter the budget in whole pounds, like 25000' })
  @IsNotEmpty({ message: 'Enter the budget, in pounds' })
  @IsString({ message: 'Enter the budget, in pounds' })
  budget: string;
}

/** The school chosen to join: one of the search's results. */
export class AddSchoolForm {
  @IsUUID('all', { message: 'Select a school to add' })
  schoolId: string;
}

/** Money added to what the partnership may spend, and why: the ledger keeps both. */
export class BudgetOverrideForm {
  @Transform(amount)
  @Matches(/^(?!0+(\.0+)?$)\d{1,7}(\.\d{1,2})?$/, { message: 'Enter an amount more than £0, in pounds and pence, like 500 or 499.50' })
  @IsNotEmpty({ message: 'Enter the amount to add to the budget' })
  @IsString({ message: 'Enter the amount to add to the budget' })
  amount: string;

  @Transform(trimmed)
  @Length(5, 1000, { message: 'Enter a reason of between 5 and 1,000 characters' })
  @IsNotEmpty({ message: 'Enter the reason for the override' })
  @IsString({ message: 'Enter the reason for the override' })
  reason: string;
}

/** The search for a school to add: by name or URN. */
export class SchoolSearchForm {
  @Transform(trimmed)
  @ValidateIf((_, value) => value !== undefined && value !== '')
  @MaxLength(200, { message: 'Enter 200 characters or fewer' })
  @IsString({ message: 'Enter a school’s name or URN' })
  q?: string;
}
