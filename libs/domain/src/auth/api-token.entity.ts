import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Role } from './roles.js';

/** A bearer token, stored only as its hash. */
@Entity('api_tokens')
export class ApiToken {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('text', { name: 'token_hash', unique: true })
  tokenHash: string;

  @Column('text')
  role: Role;

  @Column('text', { nullable: true })
  scope: string | null;

  /** Where a dashboard sign-in link for this token goes. */
  @Column('text', { nullable: true })
  email: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  /** After this the token is refused; every token has one (API_TOKEN_TTL_DAYS unless chosen). */
  @Column('timestamptz', { name: 'expires_at' })
  expiresAt: Date;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;

  /** When it was last accepted, to the hour: written at most hourly so that reading a token stays a read. */
  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt: Date | null;
}
