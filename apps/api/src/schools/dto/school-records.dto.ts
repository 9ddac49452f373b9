import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsIn, IsInt, IsNumber, IsString, Length, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { CONTACT_ROLES, SCHOOL_STATUSES } from '#domain';
import { IsEmailAddress, IsNumberWithPlaces, IsOneLine, MayBeOmitted } from '../../common/validation.js';

export class ChangeSchoolStatusDto {
  @ApiProperty({ enum: SCHOOL_STATUSES }) @IsIn(SCHOOL_STATUSES) status: (typeof SCHOOL_STATUSES)[number];
  @ApiProperty({ example: 'No CPD or events since the spring term' }) @IsString() @Length(3, 1000) reason: string;
}

export class HandOverContactDto {
  @ApiProperty({ enum: CONTACT_ROLES }) @IsIn(CONTACT_ROLES) role: (typeof CONTACT_ROLES)[number];
  @ApiProperty({ example: 'Sam Patel' }) @IsOneLine() @IsString() @Length(1, 200) name: string;
  @ApiPropertyOptional({ example: 's.patel@beechwood.example.sch.uk' }) @MayBeOmitted() @IsEmailAddress() @MaxLength(254) email?: string;
}

export class RecordOfstedDto {
  @ApiProperty({ example: '2025-03-12' }) @IsDateString({ strict: true }) @Length(10, 10) inspectedOn: string;

  @ApiProperty({ nullable: true, description: '1 Outstanding, 2 Good, 3 Requires improvement, 4 Inadequate; null for a new school not yet graded', type: Number })
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(4)
  rating: number | null;
}

export class UpdateSchoolIndicatorsDto {
  @ApiPropertyOptional({ example: 31.5, description: 'Pupils eligible for free school meals, %' })
  @MayBeOmitted()
  @IsNumberWithPlaces(2)
  @Min(0)
  @Max(100)
  fsmPercent?: number;

  @ApiPropertyOptional({ example: 54.5742, description: 'WGS84 latitude, for matching STEM Ambassadors by distance' })
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

  @ApiPropertyOptional({ example: 'North Yorkshire Coast' }) @MayBeOmitted() @IsString() @Length(1, 200) opportunityArea?: string;
  @ApiPropertyOptional({ example: 'Northern Lights Academy Trust' }) @MayBeOmitted() @IsString() @Length(1, 200) trust?: string;
}
