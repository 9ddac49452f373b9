import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsString, Length, MaxLength } from 'class-validator';
import { ROLES, type Role } from '#domain';
import { PageQuery } from '../../common/pagination.js';
import { MayBeOmitted } from '../../common/validation.js';
import type { Account, AccountStatus } from '../accounts.service.js';

const SCOPE_DESCRIPTION = 'kind:uuid, the kind fixed by the role: programme manager → programme:<uuid>, educational lead → partnership:<uuid>; an admin takes none';

export class InviteUserDto {
  @ApiProperty({ example: 'Jo Whitfield' }) @IsString() @Length(1, 200) name: string;

  @ApiProperty({ example: 'jo.whitfield@example.org', description: 'Where the invitation and every sign-in link go; one account an address' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ enum: ['admin', 'programme_manager', 'educational_lead'] }) @IsIn(ROLES) role: Role;

  @ApiPropertyOptional({ example: 'partnership:0b8f4a52-3c1d-4e8f-9a7b-6c5d4e3f2a10', description: SCOPE_DESCRIPTION })
  @MayBeOmitted()
  @IsString()
  @MaxLength(100)
  scope?: string;
}

export class ChangeUserDto {
  @ApiProperty({ enum: ['admin', 'programme_manager', 'educational_lead'] }) @IsIn(ROLES) role: Role;

  @ApiPropertyOptional({ example: 'partnership:0b8f4a52-3c1d-4e8f-9a7b-6c5d4e3f2a10', description: SCOPE_DESCRIPTION })
  @MayBeOmitted()
  @IsString()
  @MaxLength(100)
  scope?: string;
}

export class ListUsersQuery extends PageQuery {}

/** A person with access: never a secret or a hash. */
export class UserResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiPropertyOptional({ nullable: true, type: String }) scope: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: "The scope's programme, partnership or school, by name" }) scopeName: string | null;
  @ApiProperty({ enum: ['active', 'invited', 'expired', 'revoked'], description: 'invited: has not signed in yet' }) status: AccountStatus;
  @ApiPropertyOptional({ nullable: true, type: String }) lastSignedInAt: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() expiresAt: string;
  @ApiPropertyOptional({ nullable: true, type: String }) revokedAt: string | null;

  static of(a: Account): UserResponse {
    return {
      id: a.id,
      name: a.name,
      email: a.email,
      role: a.role,
      scope: a.scope,
      scopeName: a.scopeName,
      status: a.status,
      lastSignedInAt: a.lastSignedInAt?.toISOString() ?? null,
      createdAt: a.createdAt.toISOString(),
      expiresAt: a.expiresAt.toISOString(),
      revokedAt: a.revokedAt?.toISOString() ?? null,
    };
  }
}
