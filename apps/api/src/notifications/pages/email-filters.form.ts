import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength, Validate } from 'class-validator';
import { NOTIFICATION_STATUSES } from '#notifications';
import { DAY, KeysetListForm, NotBeforeFrom, RealDay } from '../../web/list-pages.js';

const trimmed = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

/** The ledger's filters, from the list's address (a GET form): every one may be left empty. */
export class EmailFiltersForm extends KeysetListForm {
  @IsOptional()
  @trimmed()
  @MaxLength(254, { message: 'Enter a recipient of 254 characters or fewer' })
  @IsString({ message: 'Enter a recipient as text' })
  recipient?: string;

  @IsOptional()
  @MaxLength(100, { message: 'Choose a kind of email from the list' })
  @IsString({ message: 'Choose a kind of email from the list' })
  kind?: string;

  @IsOptional()
  @IsIn(NOTIFICATION_STATUSES, { message: 'Choose a status from the list' })
  status?: string;

  @IsOptional()
  @Validate(RealDay, { message: 'Enter the "decided from" date as a real date' })
  @Matches(DAY, { message: 'Enter the "decided from" date as a date, like 2027-02-04' })
  from?: string;

  @IsOptional()
  @Validate(NotBeforeFrom, { message: 'The "decided to" date must be the same as or after the "decided from" date' })
  @Validate(RealDay, { message: 'Enter the "decided to" date as a real date' })
  @Matches(DAY, { message: 'Enter the "decided to" date as a date, like 2027-02-04' })
  to?: string;
}
