import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsObject,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { AMBASSADOR_STATUSES, CHECK_TYPES, KEY_STAGES, REQUEST_STATUSES, type RequestStatus } from '#domain';
import { PageQuery } from '../common/pagination.js';
import { IsEmailAddress, IsOneLine, MayBeOmitted } from '../common/validation.js';

const UK_POSTCODE = /^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/i;

export class UnavailableRangeDto {
  @ApiProperty({ example: '2027-04-01' }) @IsDateString({ strict: true }) @Length(10, 10) from: string;
  @ApiProperty({ example: '2027-04-14' }) @IsDateString({ strict: true }) @Length(10, 10) to: string;
}

export class AvailabilityDto {
  @ApiProperty({ example: [1, 2, 3, 4, 5], description: 'Weekdays usually free (ISO: Monday 1 … Sunday 7)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(7, { each: true })
  weekdays: number[];

  @ApiPropertyOptional({ type: [UnavailableRangeDto], description: 'Dates (inclusive, London) when not available' })
  @MayBeOmitted()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => UnavailableRangeDto)
  unavailable?: UnavailableRangeDto[];
}

export class SafeguardingCheckDto {
  @ApiProperty({ enum: CHECK_TYPES, description: 'DBS (England, Wales, Northern Ireland) or PVG (Scotland)' }) @IsIn(CHECK_TYPES) type: (typeof CHECK_TYPES)[number];
  @ApiProperty({ example: '001234567890' }) @IsString() @Length(4, 40) number: string;
  @ApiProperty({ example: '2025-03-01' }) @IsDateString({ strict: true }) @Length(10, 10) checkedOn: string;
  @ApiProperty({ example: '2028-03-01' }) @IsDateString({ strict: true }) @Length(10, 10) expiresOn: string;
}

const stringList = (example: string[], description: string) => [
  ApiPropertyOptional({ example, description }),
  MayBeOmitted(),
  IsArray(),
  ArrayMaxSize(30),
  IsString({ each: true }),
  Length(1, 100, { each: true }),
];
const apply =
  (decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, key) =>
    decorators.forEach((d) => d(target, key));

/**
 * Latitude and longitude are given together or not at all: either one sent means both are
 * checked (so the other, left out, is refused by name).
 */
function BothOrNeither(...fields: string[]): PropertyDecorator {
  return ValidateIf((object: Record<string, unknown>) => fields.some((field) => object[field] !== undefined));
}

export class CreateAmbassadorDto {
  @ApiProperty({ example: 'Jo Okafor' }) @IsOneLine() @IsString() @Length(1, 200) name: string;
  @ApiProperty({ example: 'jo.okafor@example.com' }) @IsEmailAddress() @MaxLength(254) email: string;
  @ApiPropertyOptional({ example: 'Tees Robotics Ltd' }) @MayBeOmitted() @IsString() @Length(1, 200) employer?: string;
  @ApiPropertyOptional({ example: 'Manufacturing' }) @MayBeOmitted() @IsString() @Length(1, 200) sector?: string;
  @apply(stringList(['Engineering'], 'Disciplines')) disciplines?: string[];
  @apply(stringList(['robotics', 'careers talk'], 'Skills schools can ask for')) skills?: string[];
  @ApiProperty({ enum: KEY_STAGES, isArray: true }) @IsArray() @ArrayMinSize(1) @ArrayUnique() @IsIn(KEY_STAGES, { each: true }) keyStages: string[];
  @ApiProperty({
    example: 'TS1 3BA',
    description:
      'Home or work postcode. Sent without latitude and longitude, it places the ambassador: where the schools with this postcode are, else the middle of the schools in its sector (TS1 3), else in its district (TS1); when no school is there, the answer is 400 with a problem on postcode, and latitude and longitude must be given.',
  })
  @IsString()
  @Matches(UK_POSTCODE, { message: 'postcode must be a UK postcode' })
  postcode: string;
  @ApiPropertyOptional({ example: 54.5742, description: 'Latitude of the postcode (WGS84), with longitude; both left out, the ambassador is placed by the postcode' })
  @BothOrNeither('latitude', 'longitude')
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(49)
  @Max(61)
  latitude?: number;
  @ApiPropertyOptional({ example: -1.235, description: 'Longitude of the postcode (WGS84), with latitude; both left out, the ambassador is placed by the postcode' })
  @BothOrNeither('latitude', 'longitude')
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-9)
  @Max(2)
  longitude?: number;
  @ApiProperty({ example: 25, description: 'How far they will travel, km' }) @IsInt() @Min(0) @Max(500) travelRadiusKm: number;
  @ApiProperty({ type: AvailabilityDto }) @IsObject() @ValidateNested() @Type(() => AvailabilityDto) availability: AvailabilityDto;
  @ApiPropertyOptional({ default: false, description: 'Offers virtual sessions' }) @MayBeOmitted() @IsBoolean() offersVirtual?: boolean;
  @ApiPropertyOptional({ enum: AMBASSADOR_STATUSES, default: 'active' }) @MayBeOmitted() @IsIn(AMBASSADOR_STATUSES) status?: (typeof AMBASSADOR_STATUSES)[number];
  @ApiPropertyOptional({ type: SafeguardingCheckDto, description: 'Seen by admins and programme managers only' })
  @MayBeOmitted()
  @IsObject()
  @ValidateNested()
  @Type(() => SafeguardingCheckDto)
  check?: SafeguardingCheckDto;
}

// skipNullProperties: false, as with MayBeOmitted: a property may be left out, not sent as null.
export class UpdateAmbassadorDto extends PartialType(CreateAmbassadorDto, { skipNullProperties: false }) {}

export class ListAmbassadorsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Matches the name, employer or a skill' }) @MayBeOmitted() @IsString() @MaxLength(200) q?: string;
  @ApiPropertyOptional({ enum: AMBASSADOR_STATUSES }) @MayBeOmitted() @IsIn(AMBASSADOR_STATUSES) status?: string;
}

export class ListAmbassadorRequestsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: REQUEST_STATUSES }) @MayBeOmitted() @IsIn(REQUEST_STATUSES) status?: RequestStatus;
}

export class CreateAmbassadorRequestDto {
  @ApiProperty({ example: 'Careers talk' }) @IsString() @Length(1, 100) activityType: string;
  @ApiProperty({ example: '2027-03-10T09:30:00Z' }) @IsISO8601({ strict: true }) startsAt: string;
  @ApiProperty({ example: '2027-03-10T11:30:00Z' }) @IsISO8601({ strict: true }) endsAt: string;
  @ApiProperty({ enum: KEY_STAGES, isArray: true }) @IsArray() @ArrayMinSize(1) @ArrayUnique() @IsIn(KEY_STAGES, { each: true }) keyStages: string[];
  @ApiProperty({ example: 2, minimum: 1, maximum: 20 }) @IsInt() @Min(1) @Max(20) numberWanted: number;
  @apply(stringList(['robotics'], 'Skills wanted: an ambassador needs at least one of them')) skillsWanted?: string[];
  @ApiPropertyOptional({ default: false }) @MayBeOmitted() @IsBoolean() virtualAcceptable?: boolean;
  @ApiPropertyOptional({ example: 'Year 6, about 60 pupils' }) @MayBeOmitted() @IsString() @Length(1, 2000) notes?: string;
}

export class CancelAmbassadorRequestDto {
  @ApiPropertyOptional({ example: 'The trip was moved' }) @MayBeOmitted() @IsString() @Length(1, 500) reason?: string;
}

export class ConfirmDeliveryDto {
  @ApiProperty({ description: 'Did the activity take place with the ambassadors?' }) @IsBoolean() delivered: boolean;
  @ApiPropertyOptional({ example: 58 }) @MayBeOmitted() @IsInt() @Min(0) @Max(100_000) pupilsReached?: number;
  @ApiPropertyOptional({ example: 'Great session' }) @MayBeOmitted() @IsString() @Length(1, 2000) notes?: string;
}
