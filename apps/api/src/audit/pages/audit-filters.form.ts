import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength, Validate } from 'class-validator';
import { DAY, KeysetListForm, NotBeforeFrom, RealDay } from '../../web/list-pages.js';
import { AUDIT_METHODS, AUDIT_OUTCOMES } from '../audit.service.js';

/** The audit log's filters, from the list's address (a GET form): every one may be left empty. */
export class AuditFiltersForm extends KeysetListForm {
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @MaxLength(254, { message: 'Enter who as 254 characters or fewer' })
  @IsString({ message: 'Enter who as text' })
  actor?: string;

  @IsOptional()
  @MaxLength(100, { message: 'Choose a kind of record from the list' })
  @IsString({ message: 'Choose a kind of record from the list' })
  subjectType?: string;

  @IsOptional()
  @IsIn(AUDIT_METHODS, { message: 'Choose an action from the list' })
  method?: string;

  @IsOptional()
  @IsIn(AUDIT_OUTCOMES, { message: 'Choose an outcome from the list' })
  outcome?: string;

  @IsOptional()
  @Validate(RealDay, { message: 'Enter the "from" date as a real date' })
  @Matches(DAY, { message: 'Enter the "from" date as a date, like 2027-02-04' })
  from?: string;

  @IsOptional()
  @Validate(NotBeforeFrom, { message: 'The "to" date must be the same as or after the "from" date' })
  @Validate(RealDay, { message: 'Enter the "to" date as a real date' })
  @Matches(DAY, { message: 'Enter the "to" date as a date, like 2027-02-04' })
  to?: string;
}
