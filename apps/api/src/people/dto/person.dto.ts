import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import { CAREER_STAGES, GENDERS, PERSON_PHASES, PERSON_ROLES, SUBJECT_SPECIALISMS, type Person } from '#domain';
import { PageQuery } from '../../common/pagination.js';

export class CreatePersonDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The school they work at (none for an educational lead)' }) @IsOptional() @IsUUID() schoolId?: string;
  @ApiProperty({ example: 'Priya Shah' }) @IsString() @Length(1, 200) name: string;
  @ApiPropertyOptional({ example: 'p.shah@beechwood.example.sch.uk' }) @IsOptional() @IsEmail() @MaxLength(254) email?: string;
  @ApiProperty({ enum: PERSON_ROLES }) @IsIn(PERSON_ROLES) role: (typeof PERSON_ROLES)[number];
  @ApiPropertyOptional({ description: 'On the senior leadership team' }) @IsOptional() @IsBoolean() slt?: boolean;
  @ApiPropertyOptional({ enum: PERSON_PHASES }) @IsOptional() @IsIn(PERSON_PHASES) phase?: string;
  @ApiPropertyOptional({ enum: SUBJECT_SPECIALISMS }) @IsOptional() @IsIn(SUBJECT_SPECIALISMS) subjectSpecialism?: string;
  @ApiPropertyOptional({ enum: CAREER_STAGES }) @IsOptional() @IsIn(CAREER_STAGES) careerStage?: string;
  @ApiPropertyOptional({ description: 'Teaches their specialist subject' }) @IsOptional() @IsBoolean() specialist?: boolean;
  @ApiPropertyOptional({ enum: GENDERS }) @IsOptional() @IsIn(GENDERS) gender?: string;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() consentToContact?: boolean;
}

export class UpdatePersonDto extends PartialType(CreatePersonDto) {}

export class ListPeopleQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() schoolId?: string;
}

export const personResponse = (p: Person) => ({
  id: p.id, schoolId: p.schoolId, name: p.name, email: p.email, role: p.role, slt: p.slt, phase: p.phase, subjectSpecialism: p.subjectSpecialism,
  careerStage: p.careerStage, specialist: p.specialist, gender: p.gender, consentToContact: p.consentToContact, createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
});
