import { Transform } from 'class-transformer';
import { IsDefined, IsEmail, IsIn, IsInt, IsNotEmpty, IsString, IsUUID, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { TOKEN_LIFETIME_DAYS } from '#domain';

/*
 * The console's forms for giving access. class-validator checks a property's decorators
 * from the lowest up, and the page shows the first that fails: the lowest is the first
 * question to ask of an answer (is there one?).
 */

const trimmed = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
const CHOOSE_ROLE = 'Choose what they will do';

/** A role, and the programme or partnership it works on, as the role's radios and their selects give them. */
export class RoleAndScopeForm {
  @IsIn(['admin', 'programme_manager', 'educational_lead'], { message: CHOOSE_ROLE })
  @IsString({ message: CHOOSE_ROLE })
  role: 'admin' | 'programme_manager' | 'educational_lead';

  @ValidateIf((form: RoleAndScopeForm) => form.role === 'programme_manager')
  @IsUUID('all', { message: 'Choose the programme they will manage' })
  @IsString({ message: 'Choose the programme they will manage' })
  programmeId?: string;

  @ValidateIf((form: RoleAndScopeForm) => form.role === 'educational_lead')
  @IsUUID('all', { message: 'Choose the partnership they will lead' })
  @IsString({ message: 'Choose the partnership they will lead' })
  partnershipId?: string;
}

/** The scope the form's role and choice name, as tokens store it. */
export function scopeOf(form: RoleAndScopeForm): string | null {
  if (form.role === 'programme_manager') return `programme:${form.programmeId}`;
  if (form.role === 'educational_lead') return `partnership:${form.partnershipId}`;
  return null;
}

export class InviteForm extends RoleAndScopeForm {
  @trimmed()
  @MaxLength(200, { message: 'Enter a name of 200 characters or fewer' })
  @IsNotEmpty({ message: 'Enter their full name' })
  @IsString({ message: 'Enter their full name' })
  name: string;

  @trimmed()
  @IsEmail({}, { message: 'Enter an email address in the correct format, like name@school.org.uk' })
  @MaxLength(254, { message: 'Enter an email address of 254 characters or fewer' })
  @IsNotEmpty({ message: 'Enter their email address' })
  @IsString({ message: 'Enter their email address' })
  email: string;
}

export class TokenForm extends RoleAndScopeForm {
  @trimmed()
  @MaxLength(200, { message: 'Enter a name of 200 characters or fewer' })
  @IsNotEmpty({ message: 'Enter a name for the token' })
  @IsString({ message: 'Enter a name for the token' })
  name: string;

  @Transform(({ value }) => (typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value === '' ? undefined : value))
  @Max(TOKEN_LIFETIME_DAYS.max, { message: `Enter a number of days from ${TOKEN_LIFETIME_DAYS.min} to ${TOKEN_LIFETIME_DAYS.max}` })
  @Min(TOKEN_LIFETIME_DAYS.min, { message: `Enter a number of days from ${TOKEN_LIFETIME_DAYS.min} to ${TOKEN_LIFETIME_DAYS.max}` })
  @IsInt({ message: 'Enter the number of days as a whole number, like 90' })
  @IsDefined({ message: 'Enter how many days the token lasts' })
  expiresInDays: number;
}
