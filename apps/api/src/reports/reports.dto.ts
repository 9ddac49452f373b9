import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDateString, IsIn, IsInt, IsOptional, IsUUID, Length, Max, Min } from 'class-validator';
import { SCHOOL_PHASES } from '#domain';

export class ReportQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() programmeId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() cohortId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() partnershipId?: string;
  @ApiPropertyOptional({ enum: SCHOOL_PHASES, description: "The school's phase" }) @IsOptional() @IsIn(SCHOOL_PHASES) phase?: string;
  @ApiPropertyOptional({ example: '2026-09-01', description: 'First day counted (inclusive)' }) @IsOptional() @IsDateString({ strict: true }) @Length(10, 10) from?: string;
  @ApiPropertyOptional({ example: '2027-08-31', description: 'Last day counted (inclusive)' }) @IsOptional() @IsDateString({ strict: true }) @Length(10, 10) to?: string;
  @ApiPropertyOptional({ description: 'For schools gone quiet: days without activity', default: 90 }) @IsOptional() @Type(() => Number) @IsInt() @Min(7) @Max(730) quietDays?: number;
  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'csv answers text/csv (or send Accept: text/csv)' }) @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
}
