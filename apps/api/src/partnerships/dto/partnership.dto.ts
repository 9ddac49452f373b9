import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, IsUUID, Length, Max, Min, ValidateIf } from 'class-validator';
import { MEMBERSHIP_ROLES, type Membership, type MembershipRole, type Partnership } from '#domain';
import { PageQuery } from '../../common/pagination.js';
import { IsOneLine, MayBeOmitted } from '../../common/validation.js';

export class CreatePartnershipDto {
  @ApiProperty({ example: 'Tees Valley STEM Partnership' })
  @IsOneLine()
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiPropertyOptional({ example: 'Middlesbrough and Redcar' })
  @MayBeOmitted()
  @IsString()
  @Length(1, 200)
  area?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The cohort the partnership belongs to; its schools share it' })
  @MayBeOmitted()
  @IsUUID()
  cohortId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A person with the educational_lead role' })
  @MayBeOmitted()
  @IsUUID()
  educationalLeadId?: string;

  @ApiPropertyOptional({ description: 'CPD budget in whole pounds', example: 25000 })
  @MayBeOmitted()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  budgetPounds?: number;
}

export class UpdatePartnershipDto {
  @ApiPropertyOptional() @MayBeOmitted() @IsOneLine() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional() @MayBeOmitted() @IsString() @Length(1, 200) area?: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true })
  @MayBeOmitted()
  @ValidateIf((_, value) => value !== null)
  @IsUUID()
  educationalLeadId?: string | null;

  @ApiPropertyOptional({ description: 'CPD budget in whole pounds' })
  @MayBeOmitted()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  budgetPounds?: number;
}

export class BudgetOverrideDto {
  @ApiProperty({ description: 'Pence added to what the partnership may spend', example: 50000 })
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  amountPence: number;

  @ApiProperty({ example: 'Trustees approved a second residential place for the lead school' })
  @IsString()
  @Length(5, 1000)
  reason: string;
}

export class AddMemberDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  schoolId: string;

  @ApiPropertyOptional({ enum: MEMBERSHIP_ROLES, default: 'member' })
  @MayBeOmitted()
  @IsIn(MEMBERSHIP_ROLES)
  role?: MembershipRole;
}

export class ListPartnershipsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @MayBeOmitted() @IsUUID() cohortId?: string;
}

export class PartnershipResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiPropertyOptional({ nullable: true, type: String }) area: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) cohortId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) educationalLeadId: string | null;
  @ApiProperty() budgetPence: number;
  @ApiProperty() createdAt: string;

  static of(p: Partnership): PartnershipResponse {
    return {
      id: p.id,
      name: p.name,
      area: p.area,
      cohortId: p.cohortId,
      educationalLeadId: p.educationalLeadId,
      budgetPence: p.budgetPence,
      createdAt: p.createdAt.toISOString(),
    };
  }
}

export class MembershipResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) partnershipId: string;
  @ApiProperty({ format: 'uuid' }) schoolId: string;
  @ApiProperty({ enum: MEMBERSHIP_ROLES }) role: string;
  @ApiProperty() joinedAt: string;
  @ApiPropertyOptional({ nullable: true, type: String }) leftAt: string | null;

  static of(m: Membership): MembershipResponse {
    return {
      id: m.id,
      partnershipId: m.partnershipId,
      schoolId: m.schoolId,
      role: m.role,
      joinedAt: m.joinedAt.toISOString(),
      leftAt: m.leftAt?.toISOString() ?? null,
    };
  }
}
