import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IsEmailAddress } from '../../common/validation.js';

const ENTER_EMAIL = 'Enter your email address';

/**
 * The sign-in page's one question. class-validator checks a property's decorators from
 * the lowest up, and the page shows the first that fails: so the lowest is the first
 * question to ask of an answer (is there one?), the highest the last.
 */
export class SignInForm {
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsEmailAddress({ message: 'Enter an email address in the correct format, like name@school.org.uk' })
  @MaxLength(254, { message: 'Enter an email address of 254 characters or fewer' })
  @IsNotEmpty({ message: ENTER_EMAIL })
  @IsString({ message: ENTER_EMAIL })
  email: string;
}
