import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, Length, Matches, MaxLength, Validate, ValidatorConstraint, type ValidationArguments, type ValidatorConstraintInterface } from 'class-validator';
import { DateTime } from 'luxon';
import { AMBASSADOR_STATUSES, CHECK_TYPES, type OfferStatus, type RequestStatus } from '#domain';
import { RealDay } from '../../web/list-pages.js';

/** What was typed, without spaces around it; a field left blank is no answer at all. */
const trimmed = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() || undefined : value));

/** How many days before a safeguarding check expires the pages start to say so. */
export const EXPIRING_WITHIN_DAYS = 60;

/** The words a programme team uses for a request's status, in the order a request moves through them. */
export const REQUEST_STATUS_NAMES: Record<RequestStatus, string> = {
  requested: 'Requested',
  matching: 'Matching',
  offered: 'Offered',
  partially_filled: 'Partly filled',
  filled: 'Filled',
  delivered: 'Delivered',
  closed: 'Closed, not delivered',
  expired: 'Expired',
  cancelled: 'Cancelled',
};

export const OFFER_STATUS_NAMES: Record<OfferStatus, string> = {
  offered: 'Waiting for an answer',
  accepted: 'Accepted',
  declined: 'Declined',
  expired: 'Did not answer in time',
  withdrawn: 'Withdrawn',
};

export const AMBASSADOR_STATUS_NAMES: Record<string, string> = { active: 'Active', paused: 'Paused', left: 'Left' };

export interface CheckState {
  /** none, expired, expiring (within EXPIRING_WITHIN_DAYS) or valid. */
  state: 'none' | 'expired' | 'expiring' | 'valid';
  text: string;
  /** The GOV.UK tag colour that goes with it. */
  colour: 'grey' | 'red' | 'yellow' | 'green';
}

/** Whether a safeguarding check that expires on `expiresOn` (a London day) is fit for use on `today`, as a tag says it. */
export function checkState(expiresOn: string | null | undefined, today: string): CheckState {
  if (!expiresOn) return { state: 'none', text: 'No check recorded', colour: 'grey' };
  // A check is valid up to and including the day it expires.
  const days = DateTime.fromISO(expiresOn).diff(DateTime.fromISO(today), 'days').days;
  if (days < 0) return { state: 'expired', text: 'Expired', colour: 'red' };
  if (days <= EXPIRING_WITHIN_DAYS) return { state: 'expiring', text: days === 0 ? 'Expires today' : `Expires in ${days} ${days === 1 ? 'day' : 'days'}`, colour: 'yellow' };
  return { state: 'valid', text: 'Valid', colour: 'green' };
}

export class CancelRequestForm {
  @trimmed()
  @MaxLength(500, { message: 'Enter a reason of 500 characters or fewer' })
  @IsNotEmpty({ message: 'Enter why the request is cancelled' })
  @IsString({ message: 'Enter why the request is cancelled' })
  reason: string;
}

export class DeliveryForm {
  @IsIn(['yes', 'no'], { message: 'Select whether the activity took place with the ambassadors' })
  delivered: 'yes' | 'no';

  @trimmed()
  @IsOptional()
  @Matches(/^\d{1,6}$/, { message: 'Enter the number of pupils reached as a whole number, like 58' })
  pupilsReached?: string;

  @trimmed()
  @IsOptional()
  @IsString()
  @MaxLength(2000, { message: 'Enter notes of 2,000 characters or fewer' })
  notes?: string;
}

/** A delivery form's answers as the service takes them. */
export function deliveryInput(form: DeliveryForm): { delivered: boolean; pupilsReached?: number; notes?: string } {
  return { delivered: form.delivered === 'yes', pupilsReached: form.pupilsReached === undefined ? undefined : Number(form.pupilsReached), notes: form.notes };
}

/** A list's filter from its address: an unknown status filters nothing rather than failing. */
export function statusFilter(value: unknown): RequestStatus | undefined {
  return typeof value === 'string' && Object.hasOwn(REQUEST_STATUS_NAMES, value) ? (value as RequestStatus) : undefined;
}

@ValidatorConstraint({ name: 'afterCheckedOn' })
class AfterCheckedOn implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    const checkedOn = (args.object as { checkedOn?: string }).checkedOn;
    return typeof value !== 'string' || !checkedOn || value > checkedOn;
  }
}

/** A safeguarding check seen, and whether the ambassador is offered to schools: the pool's working fields a programme team keeps. */
export class CheckForm {
  @IsIn(CHECK_TYPES, { message: 'Select the type of check' })
  type: (typeof CHECK_TYPES)[number];

  @trimmed()
  @Length(4, 40, { message: 'Enter the certificate number, 4 to 40 characters' })
  @IsString({ message: 'Enter the certificate number' })
  number: string;

  @Validate(RealDay, { message: 'Enter the date the check was made as a real date' })
  checkedOn: string;

  @Validate(AfterCheckedOn, { message: 'The expiry date must be after the date the check was made' })
  @Validate(RealDay, { message: 'Enter the date the check expires as a real date' })
  expiresOn: string;

  @IsIn(AMBASSADOR_STATUSES, { message: 'Select whether the ambassador is active, paused or has left' })
  status: (typeof AMBASSADOR_STATUSES)[number];
}
