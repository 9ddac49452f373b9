import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsInt, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { ROLES, TOKEN_LIFETIME_DAYS, type ApiToken, type Role } from '#domain';
import { PageQuery } from '../../common/pagination.js';
import { MayBeOmitted } from '../../common/validation.js';

export class CreateApiTokenDto {
  @ApiProperty({ example: 'Ada Lovelace', description: 'Who or what holds it, as it will be listed' }) @IsString() @Length(1, 200) name: string;

  @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role: Role;

  @ApiPropertyOptional({
    example: 'programme:0b8f4a52-3c1d-4e8f-9a7b-6c5d4e3f2a10',
    description: 'kind:uuid, the kind fixed by the role: programme manager → programme, educational lead → partnership, school contact → school, ambassador → ambassador; an admin token takes none',
  })
  @MayBeOmitted()
  @IsString()
  @MaxLength(100)
  scope?: string;

  @ApiPropertyOptional({ example: 'ada@example.org', description: 'Where a dashboard sign-in link for this token is sent' })
  @MayBeOmitted()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({
    minimum: TOKEN_LIFETIME_DAYS.min,
    maximum: TOKEN_LIFETIME_DAYS.max,
    description: 'How long it lasts; API_TOKEN_TTL_DAYS (365) when left out. Never past the expiry of the token making it',
  })
  @MayBeOmitted()
  @IsInt()
  @Min(TOKEN_LIFETIME_DAYS.min)
  @Max(TOKEN_LIFETIME_DAYS.max)
  expiresInDays?: number;
}

export class ListApiTokensQuery extends PageQuery {
  @ApiPropertyOptional({
    enum: ['machine', 'person'],
    description: "machine: tokens with no email (scripts, services); person: people's accounts, who sign in to the console by email. Both when left out",
  })
  @MayBeOmitted()
  @IsIn(['machine', 'person'])
  holder?: 'machine' | 'person';
}

/** A token as listed: never its secret, never its hash. */
export class ApiTokenResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'programme:0b8f4a52-3c1d-4e8f-9a7b-6c5d4e3f2a10' }) scope: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) email: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() expiresAt: string;
  @ApiPropertyOptional({ nullable: true, type: String }) revokedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'When it was last accepted, to within an hour' }) lastUsedAt: string | null;

  static of(t: ApiToken): ApiTokenResponse {
    return {
      id: t.id,
      name: t.name,
      role: t.role,
      scope: t.scope,
      email: t.email,
      createdAt: t.createdAt.toISOString(),
      expiresAt: t.expiresAt.toISOString(),
      revokedAt: t.revokedAt?.toISOString() ?? null,
      lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    };
  }
}

export class CreatedApiTokenResponse extends ApiTokenResponse {
  @ApiProperty({ example: 'sf_…', description: 'The bearer token itself. Shown in this answer only: stemflow keeps its hash and cannot show it again' }) token: string;
}
