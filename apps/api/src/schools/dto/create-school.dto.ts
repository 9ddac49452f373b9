import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNumber, IsString, IsUUID, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { SCHOOL_PHASES, SCHOOL_STATUSES, type SchoolPhase } from '#domain';
import { ByNamePageQuery } from '../../common/pagination.js';
import { IsEmailAddress, IsOneLine, MayBeOmitted } from '../../common/validation.js';

export class CreateSchoolDto {
  @ApiProperty({ description: 'Unique Reference Number from GIAS', example: 100000 })
  @IsInt()
  @Min(10_000)
  @Max(9_999_999)
  urn: number;

  @ApiProperty({ example: 'Riverside Primary School' })
  @IsOneLine()
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ enum: SCHOOL_PHASES })
  @IsIn(SCHOOL_PHASES)
  phase: SchoolPhase;

  @ApiPropertyOptional({ example: 'SW1A 1AA' })
  @MayBeOmitted()
  @IsString()
  @Matches(/^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/i, { message: 'postcode must be a UK postcode' })
  postcode?: string;

  @ApiPropertyOptional({ example: 'Community school' })
  @MayBeOmitted()
  @IsString()
  @MaxLength(200)
  establishmentType?: string;

  @ApiPropertyOptional({ example: 'Leeds' })
  @MayBeOmitted()
  @IsString()
  @MaxLength(200)
  localAuthority?: string;

  @ApiPropertyOptional({ example: 420 })
  @MayBeOmitted()
  @IsInt()
  @Min(0)
  @Max(100_000)
  pupils?: number;

  @ApiPropertyOptional({ example: 54.5742, description: 'WGS84 latitude, for matching STEM Ambassadors by distance (else the GIAS grid reference is used)' })
  @MayBeOmitted()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(49)
  @Max(61)
  latitude?: number;

  @ApiPropertyOptional({ example: -1.235, description: 'WGS84 longitude' })
  @MayBeOmitted()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-9)
  @Max(2)
  longitude?: number;

  @ApiPropertyOptional({ description: 'The school contact (usually the STEM lead)', example: 'Sam Patel' })
  @MayBeOmitted()
  @IsOneLine()
  @IsString()
  @Length(1, 200)
  contactName?: string;

  @ApiPropertyOptional({ example: 'stem.lead@riverside.sch.uk' })
  @MayBeOmitted()
  @IsEmailAddress()
  @MaxLength(254)
  contactEmail?: string;
}

export class ListSchoolsQuery extends ByNamePageQuery {
  @ApiPropertyOptional({ description: 'Part of the name, local authority or postcode, or the URN' })
  @MayBeOmitted()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ enum: SCHOOL_STATUSES })
  @MayBeOmitted()
  @IsIn(SCHOOL_STATUSES)
  status?: string;

  @ApiPropertyOptional({ enum: SCHOOL_PHASES })
  @MayBeOmitted()
  @IsIn(SCHOOL_PHASES)
  phase?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Schools now in this partnership' })
  @MayBeOmitted()
  @IsUUID()
  partnershipId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "Schools now in one of this cohort's partnerships" })
  @MayBeOmitted()
  @IsUUID()
  cohortId?: string;
}

export class ImportQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: answer what the import would do, row by row, and write nothing' })
  @MayBeOmitted()
  @IsIn(['true', 'false'])
  dryRun?: 'true' | 'false';
}
