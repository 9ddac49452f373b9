import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { MEMBERSHIP_ROLES, type Membership, type MembershipRole, type Partnership } from '#domain';

export class CreatePartnershipDto {
  @ApiProperty({ example: 'Tees Valley STEM Partnership' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiPropertyOptional({ example: 'Middlesbrough and Redcar' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  area?: string;
}

export class AddMemberDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  schoolId: string;

  @ApiPropertyOptional({ enum: MEMBERSHIP_ROLES, default: 'member' })
  @IsOptional()
  @IsIn(MEMBERSHIP_ROLES)
  role?: MembershipRole;
}

export class PartnershipResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiPropertyOptional({ nullable: true, type: String }) area: string | null;
  @ApiProperty() createdAt: string;

  static of(p: Partnership): PartnershipResponse {
    return { id: p.id, name: p.name, area: p.area, createdAt: p.createdAt.toISOString() };
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
