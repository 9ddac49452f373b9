import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import { CAREER_STAGES, GENDERS, PERSON_PHASES, PERSON_ROLES, SUBJECT_SPECIALISMS, type ConsentState, type Person } from '#domain';
import { ByNamePageQuery } from '../../common/pagination.js';
import { IsEmailAddress, IsOneLine, MayBeOmitted } from '../../common/validation.js';

export class CreatePersonDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The school they work at (none for an educational lead)' }) @MayBeOmitted() @IsUUID() schoolId?: string;
  @ApiProperty({ example: 'Priya Shah' }) @IsOneLine() @IsString() @Length(1, 200) name: string;
  @ApiPropertyOptional({ example: 'p.shah@beechwood.example.sch.uk' }) @MayBeOmitted() @IsEmailAddress() @MaxLength(254) email?: string;
  @ApiProperty({ enum: PERSON_ROLES }) @IsIn(PERSON_ROLES) role: (typeof PERSON_ROLES)[number];
  @ApiPropertyOptional({ description: 'On the senior leadership team' }) @MayBeOmitted() @IsBoolean() slt?: boolean;
  @ApiPropertyOptional({ enum: PERSON_PHASES }) @MayBeOmitted() @IsIn(PERSON_PHASES) phase?: string;
  @ApiPropertyOptional({ enum: SUBJECT_SPECIALISMS }) @MayBeOmitted() @IsIn(SUBJECT_SPECIALISMS) subjectSpecialism?: string;
  @ApiPropertyOptional({ enum: CAREER_STAGES }) @MayBeOmitted() @IsIn(CAREER_STAGES) careerStage?: string;
  @ApiPropertyOptional({ description: 'Teaches their specialist subject' }) @MayBeOmitted() @IsBoolean() specialist?: boolean;
  @ApiPropertyOptional({ enum: GENDERS }) @MayBeOmitted() @IsIn(GENDERS) gender?: string;
  @ApiPropertyOptional({
    description:
      'The evaluation-surveys purpose: false records that the person objected to surveys (none are sent), true that they agreed. Left out, nothing is recorded and surveys go, as legitimate interests allow; each survey email tells them how to object. Other purposes: POST /people/{id}/consents.',
  })
  @MayBeOmitted()
  @IsBoolean()
  consentToContact?: boolean;
}

// skipNullProperties: false, as with MayBeOmitted: a property may be left out, not sent as null.
export class UpdatePersonDto extends PartialType(CreatePersonDto, { skipNullProperties: false }) {}

export class ListPeopleQuery extends ByNamePageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @MayBeOmitted() @IsUUID() schoolId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: "People at the partnership's schools now, and its educational lead" }) @MayBeOmitted() @IsUUID() partnershipId?: string;
  @ApiPropertyOptional({ description: 'Part of a name or an email address' }) @MayBeOmitted() @IsString() @MaxLength(200) q?: string;
}

/** A person as the API answers; `consents` is their standing per purpose, with its lawful basis and when and how it was recorded. */
export const personResponse = (p: Person, consents?: ConsentState[]) => ({
  id: p.id,
  schoolId: p.schoolId,
  name: p.name,
  email: p.email,
  role: p.role,
  slt: p.slt,
  phase: p.phase,
  subjectSpecialism: p.subjectSpecialism,
  careerStage: p.careerStage,
  specialist: p.specialist,
  gender: p.gender,
  consentToContact: p.consentToContact,
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
  ...(consents ? { consents } : {}),
});
