import { Transform } from 'class-transformer';
import { IsDateString, IsIn, IsString, IsUUID, Length } from 'class-validator';
import { SCHOOL_PHASES } from '#domain';
import { MayBeOmitted } from '../../common/validation.js';

/** "All" in a list is an empty answer: no filter. */
const blankIsAll = () => Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value));

const PROGRAMME = 'Choose a programme from the list';
const COHORT = 'Choose a cohort from the list';
const PARTNERSHIP = 'Choose a partnership from the list';
const PHASE = 'Choose a school phase from the list';
const FROM = 'Enter the first day to count as a real date, for example 2026-09-01';
const TO = 'Enter the last day to count as a real date, for example 2027-08-31';

/**
 * The dashboard's filters, from the query string (a filtered dashboard can be bookmarked).
 * The same checks as the API's report query; a value no list on the page offers (an
 * address typed by hand) is told to the person, not answered with a bare error.
 */
export class DashboardFilterForm {
  @blankIsAll() @MayBeOmitted() @IsUUID(undefined, { message: PROGRAMME }) @IsString({ message: PROGRAMME }) programmeId?: string;
  @blankIsAll() @MayBeOmitted() @IsUUID(undefined, { message: COHORT }) @IsString({ message: COHORT }) cohortId?: string;
  @blankIsAll() @MayBeOmitted() @IsUUID(undefined, { message: PARTNERSHIP }) @IsString({ message: PARTNERSHIP }) partnershipId?: string;
  @blankIsAll() @MayBeOmitted() @IsIn(SCHOOL_PHASES, { message: PHASE }) @IsString({ message: PHASE }) phase?: string;
  @blankIsAll() @MayBeOmitted() @IsDateString({ strict: true }, { message: FROM }) @Length(10, 10, { message: FROM }) @IsString({ message: FROM }) from?: string;
  @blankIsAll() @MayBeOmitted() @IsDateString({ strict: true }, { message: TO }) @Length(10, 10, { message: TO }) @IsString({ message: TO }) to?: string;
}

/** The filters' names, in the order the form asks them. */
export const FILTER_FIELDS = ['programmeId', 'cohortId', 'partnershipId', 'phase', 'from', 'to'] as const;
