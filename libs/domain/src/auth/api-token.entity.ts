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

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;
}
