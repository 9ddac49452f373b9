import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsDateString, IsIn, IsInt, IsISO8601, IsObject, IsString, Length, Matches, Min, ValidateIf, ValidateNested, MaxLength, IsUUID } from 'class-validator';

const CALENDAR_KEY = /^[a-z0-9][a-z0-9-]{1,40}$/;
import { CALENDAR_KEYS, COHORT_STATUSES, FRAMEWORK_KEYS, KPI_FIELDS, type Cohort, type KpiField, type Programme } from '#domain';
import { IsEmailAddress, IsOneLine, MayBeOmitted } from '../../common/validation.js';

export class KpiDefinitionDto {
  @ApiProperty({ enum: KPI_FIELDS, isArray: true, description: 'A teacher counts towards recruitment only when all of these are held' })
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(KPI_FIELDS.length)
  @IsIn(KPI_FIELDS, { each: true })
  completeRecordRequires: KpiField[];

  @ApiPropertyOptional({ example: 880 })
  @MayBeOmitted()
  @IsInt()
  @Min(0)
  recruitmentTarget?: number;
}

export class CreateProgrammeDto {
  @ApiProperty({ example: 'Aspire to STEM' }) @IsOneLine() @IsString() @Length(1, 200) name: string;
  @ApiPropertyOptional({ example: 'The Careers & Enterprise Company' }) @MayBeOmitted() @IsString() @Length(1, 200) funder?: string;
  @ApiPropertyOptional() @MayBeOmitted() @IsString() @Length(1, 4000) aims?: string;
  @ApiProperty({ example: '2026-09-01' }) @IsDateString({ strict: true }) @Length(10, 10) startsOn: string;
  @ApiProperty({ example: '2028-08-31' }) @IsDateString({ strict: true }) @Length(10, 10) endsOn: string;
  @ApiProperty({ enum: FRAMEWORK_KEYS }) @IsIn(FRAMEWORK_KEYS) frameworkKey: string;
  @ApiPropertyOptional({ example: '#0b5394', description: "The colour of the programme's emails and pages" }) @MayBeOmitted() @Matches(/^#[0-9a-fA-F]{6}$/) brandColour?: string;
  @ApiPropertyOptional({ example: 'stem.team@example.org', description: 'The programme team: told when an ambassador request is still short before its date' })
  @MayBeOmitted()
  @IsEmailAddress()
  @MaxLength(254)
  teamEmail?: string;

  @ApiProperty({ type: KpiDefinitionDto })
  @IsObject()
  @ValidateNested()
  @Type(() => KpiDefinitionDto)
  kpiDefinition: KpiDefinitionDto;
}

/** A change to a programme: only the fields it names change; null clears funder, aims or team email. */
export class UpdateProgrammeDto {
  @ApiPropertyOptional({ example: 'Aspire to STEM' }) @MayBeOmitted() @IsOneLine() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional({ example: 'The Careers & Enterprise Company', nullable: true })
  @MayBeOmitted()
  @ValidateIf((_, value) => value !== null)
  @IsOneLine()
  @IsString()
  @Length(1, 200)
  funder?: string | null;

  @ApiPropertyOptional({ nullable: true }) @MayBeOmitted() @ValidateIf((_, value) => value !== null) @IsString() @Length(1, 4000) aims?: string | null;
  @ApiPropertyOptional({ example: '#0b5394', description: "The colour of the programme's emails and pages" }) @MayBeOmitted() @Matches(/^#[0-9a-fA-F]{6}$/) brandColour?: string;
  @ApiPropertyOptional({ example: 'stem.team@example.org', nullable: true, description: 'The programme team: told when an ambassador request is still short before its date' })
  @MayBeOmitted()
  @ValidateIf((_, value) => value !== null)
  @IsEmailAddress()
  @MaxLength(254)
  teamEmail?: string | null;
}

export class CreateCohortDto {
  @ApiProperty({ example: 'Wave 1' }) @IsOneLine() @IsString() @Length(1, 200) name: string;
  @ApiProperty({ example: '2026-09-01' }) @IsDateString({ strict: true }) @Length(10, 10) startsOn: string;
  @ApiProperty({ example: '2027-07-23' }) @IsDateString({ strict: true }) @Length(10, 10) endsOn: string;
  @ApiProperty({ example: 'england', description: `An academic calendar's key (built in: ${CALENDAR_KEYS.join(', ')})` }) @IsString() @Matches(CALENDAR_KEY) calendarKey: string;
  @ApiPropertyOptional({ enum: COHORT_STATUSES, default: 'planned' }) @MayBeOmitted() @IsIn(COHORT_STATUSES) status?: (typeof COHORT_STATUSES)[number];

  @ApiPropertyOptional({ description: 'Workflow timings; omitted settings take the defaults', example: { version: 1, cpd: { offerHours: 48, reminderDaysBefore: [7, 1] } } })
  @MayBeOmitted()
  @IsObject()
  workflowPolicy?: Record<string, unknown>;
}

export class UpdateCohortDto {
  @ApiPropertyOptional({ enum: COHORT_STATUSES }) @MayBeOmitted() @IsIn(COHORT_STATUSES) status?: (typeof COHORT_STATUSES)[number];
  @ApiPropertyOptional({ example: 'scotland' }) @MayBeOmitted() @IsString() @Matches(CALENDAR_KEY) calendarKey?: string;
  @ApiPropertyOptional({
    description: 'The settings to change; every setting left out keeps its value. A section named in part keeps its other settings; `reminders` is replaced whole when named.',
    example: { sendWindow: { closes: '17:00' } },
  })
  @MayBeOmitted()
  @IsObject()
  workflowPolicy?: Record<string, unknown>;
}

export class ScheduleQuery {
  @ApiPropertyOptional({ description: 'From this instant (default: now)' }) @MayBeOmitted() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ description: 'Up to this instant (default: 120 days on)' }) @MayBeOmitted() @IsISO8601({ strict: true }) to?: string;
}

export class UpdateCohortQuery extends ScheduleQuery {
  @ApiPropertyOptional({ description: 'Show the schedule the change would make, and save nothing' }) @MayBeOmitted() @IsIn(['true', 'false']) dryRun?: 'true' | 'false';
}

export class KpiQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the schools now in this partnership of the programme' }) @MayBeOmitted() @IsUUID() partnershipId?: string;
}

export const programmeResponse = (p: Programme) => ({
  id: p.id,
  name: p.name,
  funder: p.funder,
  aims: p.aims,
  startsOn: p.startsOn,
  endsOn: p.endsOn,
  frameworkKey: p.frameworkKey,
  brandColour: p.brandColour,
  teamEmail: p.teamEmail,
  kpiDefinition: p.kpiDefinition,
  createdAt: p.createdAt.toISOString(),
});

export const cohortResponse = (c: Cohort) => ({
  id: c.id,
  programmeId: c.programmeId,
  name: c.name,
  startsOn: c.startsOn,
  endsOn: c.endsOn,
  calendarKey: c.calendarKey,
  workflowPolicy: c.workflowPolicy,
  status: c.status,
  createdAt: c.createdAt.toISOString(),
});
