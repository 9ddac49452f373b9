import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDateString, IsIn, IsInt, IsUUID, Length, Max, Min } from 'class-validator';
import { SCHOOL_PHASES } from '#domain';
import { MayBeOmitted } from '../common/validation.js';

export class ReportQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @MayBeOmitted() @IsUUID() programmeId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @MayBeOmitted() @IsUUID() cohortId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @MayBeOmitted() @IsUUID() partnershipId?: string;
  @ApiPropertyOptional({ enum: SCHOOL_PHASES, description: "The school's phase" }) @MayBeOmitted() @IsIn(SCHOOL_PHASES) phase?: string;
  @ApiPropertyOptional({ example: '2026-09-01', description: 'First day counted (inclusive)' }) @MayBeOmitted() @IsDateString({ strict: true }) @Length(10, 10) from?: string;
  @ApiPropertyOptional({ example: '2027-08-31', description: 'Last day counted (inclusive)' }) @MayBeOmitted() @IsDateString({ strict: true }) @Length(10, 10) to?: string;
  @ApiPropertyOptional({ description: 'For schools gone quiet: days without activity', default: 90 }) @MayBeOmitted() @Type(() => Number) @IsInt() @Min(7) @Max(730) quietDays?: number;
  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'csv answers text/csv (or send Accept: text/csv)' }) @MayBeOmitted() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
}
