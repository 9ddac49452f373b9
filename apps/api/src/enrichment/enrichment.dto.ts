import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsDateString, IsIn, IsInt, IsObject, IsString, IsUUID, Length, Max, Min, ValidateNested } from 'class-validator';
import { ENRICHMENT_TYPES, KEY_STAGES } from '#domain';
import { PageQuery } from '../common/pagination.js';
import { MayBeOmitted } from '../common/validation.js';

const count = () => (target: object, key: string) => {
  IsInt()(target, key);
  Min(0)(target, key);
  Max(1_000_000)(target, key);
};

export class AudienceDto {
  @ApiProperty() @count() pupils: number;
  @ApiProperty() @count() parents: number;
  @ApiProperty() @count() staff: number;
  @ApiProperty({ description: 'People from schools outside the partnership' }) @count() otherSchools: number;
}

export class GenderCountsDto {
  @ApiProperty() @count() female: number;
  @ApiProperty() @count() male: number;
  @ApiProperty() @count() otherOrNotSaid: number;
}

export class CareersContentDto {
  @ApiProperty({ type: [String], example: ['civil engineer', 'lab technician'] }) @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @Length(1, 200, { each: true }) roles: string[];
  @ApiProperty({ type: [String], example: ['apprenticeship', 'degree'] }) @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @Length(1, 200, { each: true }) routes: string[];
}

export class EnrichmentEventDto {
  @ApiPropertyOptional({ format: 'uuid' }) @MayBeOmitted() @IsUUID() programmeId?: string;
  @ApiProperty({ enum: ENRICHMENT_TYPES }) @IsIn(ENRICHMENT_TYPES) type: (typeof ENRICHMENT_TYPES)[number];
  @ApiProperty({ example: 'Year 8 bridge-building challenge' }) @IsString() @Length(1, 300) title: string;
  @ApiProperty({ example: '2026-11-20' }) @IsDateString({ strict: true }) @Length(10, 10) occursOn: string;
  @ApiPropertyOptional({ format: 'uuid' }) @MayBeOmitted() @IsUUID() hostSchoolId?: string;
  @ApiProperty({ type: [String], description: 'Schools whose pupils took part' }) @IsArray() @ArrayMaxSize(200) @ArrayUnique() @IsUUID('all', { each: true }) schoolIds: string[];
  @ApiProperty({ type: AudienceDto }) @IsObject() @ValidateNested() @Type(() => AudienceDto) audience: AudienceDto;
  @ApiProperty({ enum: KEY_STAGES, isArray: true }) @IsArray() @ArrayUnique() @IsIn(KEY_STAGES, { each: true }) keyStages: Array<(typeof KEY_STAGES)[number]>;
  @ApiPropertyOptional({ type: GenderCountsDto }) @MayBeOmitted() @IsObject() @ValidateNested() @Type(() => GenderCountsDto) gender?: GenderCountsDto;
  @ApiPropertyOptional() @MayBeOmitted() @count() disadvantagedPupils?: number;
  @ApiPropertyOptional({ type: CareersContentDto }) @MayBeOmitted() @IsObject() @ValidateNested() @Type(() => CareersContentDto) careers?: CareersContentDto;
  @ApiPropertyOptional({ default: 0 }) @MayBeOmitted() @count() ambassadorsInvolved?: number;
  @ApiPropertyOptional({ default: 0, description: 'pence' }) @MayBeOmitted() @count() costPence?: number;
}

export class CorrectEnrichmentEventDto extends EnrichmentEventDto {
  @ApiProperty({ example: 'Pupil count was for the whole year group, not those who attended' }) @IsString() @Length(3, 1000) reason: string;
}

export class ListEnrichmentQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @MayBeOmitted() @IsUUID() schoolId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @MayBeOmitted() @IsUUID() programmeId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: "Events hosted or attended by the partnership's schools, past members included" }) @MayBeOmitted() @IsUUID() partnershipId?: string;
  @ApiPropertyOptional({ example: '2026-09-01', description: 'Events on or after this day' }) @MayBeOmitted() @IsDateString({ strict: true }) @Length(10, 10) from?: string;
  @ApiPropertyOptional({ example: '2027-07-31', description: 'Events on or before this day' }) @MayBeOmitted() @IsDateString({ strict: true }) @Length(10, 10) to?: string;
}
