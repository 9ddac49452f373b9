import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { apiTokenRequestProblems, ApiToken, APP_CONFIG, Forbidden, InvalidInput, issueApiToken, NotFound, parseScope, UnitOfWork, type AppConfig, type Principal } from '#domain';
import type { Page } from '../common/pagination.js';
import type { CreateApiTokenDto, ListApiTokensQuery } from './dto/api-token.dto.js';

/**
 * The scopes inside programme :programmeId, as stored (`kind:uuid`): the programme, the
 * partnerships of its cohorts, and the schools now in one of them. A school that has left
 * is no longer the programme's to hand tokens for.
 */
const SCOPES_IN_PROGRAMME = `
  SELECT 'programme:' || CAST(:programmeId AS uuid)::text
  UNION ALL SELECT 'partnership:' || p.id::text FROM partnerships p JOIN cohorts c ON c.id = p.cohort_id WHERE c.programme_id = :programmeId
  UNION ALL SELECT 'school:' || m.school_id::text FROM partnership_members m JOIN partnerships p ON p.id = m.partnership_id JOIN cohorts c ON c.id = p.cohort_id
    WHERE c.programme_id = :programmeId AND m.left_at IS NULL`;

/**
 * API tokens made, listed and revoked through the API. An admin manages every token; a
 * programme manager only tokens scoped inside their own programme, and never an admin
 * token. A token out of their reach answers as an absent one does (404). A token made
 * with a stored token expires no later than it does.
 */
@Injectable()
export class ApiTokensService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async create(principal: Principal, input: CreateApiTokenDto): Promise<{ token: ApiToken; secret: string }> {
    const programmeId = this.managedProgramme(principal);
    if (programmeId && input.role === 'admin') throw new Forbidden('A programme manager may not make an admin token.', [{ field: 'role', message: 'admin is for admins to hand out' }]);
    const problems = apiTokenRequestProblems(input);
    if (problems.length > 0) throw new InvalidInput('That token cannot be made', problems);
    return this.unitOfWork.run(async (tx) => {
      if (programmeId) {
        const scope = parseScope(input.scope!)!;
        if (scope.kind === 'ambassador') {
          throw new Forbidden('A programme manager may not make an ambassador token: ambassadors belong to the shared pool.', [{ field: 'scope', message: 'ambassador scopes are for admins' }]);
        }
        if (!(await this.inProgramme(tx.manager, programmeId, `${scope.kind}:${scope.id}`))) throw new NotFound(capitalised(scope.kind), scope.id);
      }
      const maker = principal.tokenId ? await tx.manager.findOneBy(ApiToken, { id: principal.tokenId }) : null;
      return issueApiToken(tx.manager, input, { now: tx.now, usualLifetimeDays: this.config.apiTokenTtlDays, notAfter: maker?.expiresAt });
    });
  }

  async list(principal: Principal, query: ListApiTokensQuery): Promise<Page<ApiToken>> {
    const programmeId = this.managedProgramme(principal);
    const [items, total] = await this.dataSource.manager
      .createQueryBuilder(ApiToken, 't')
      .where(programmeId ? `t.scope IN (${SCOPES_IN_PROGRAMME})` : 'TRUE', { programmeId })
      .orderBy('t.createdAt', 'DESC')
      .addOrderBy('t.id')
      .skip((query.page - 1) * query.pageSize)
      .take(query.pageSize)
      .getManyAndCount();
    return { items, page: query.page, pageSize: query.pageSize, total };
  }

  /** Revokes at once: the next request with it is refused, and so are its dashboard sessions. Revoking twice changes nothing. */
  async revoke(principal: Principal, id: string): Promise<ApiToken> {
    const programmeId = this.managedProgramme(principal);
    return this.unitOfWork.run(async (tx) => {
      const token = await tx.manager.findOne(ApiToken, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!token || (programmeId && !(token.scope && (await this.inProgramme(tx.manager, programmeId, token.scope))))) throw new NotFound('API token', id);
      if (!token.revokedAt) {
        token.revokedAt = tx.now;
        await tx.manager.update(ApiToken, { id }, { revokedAt: tx.now });
      }
      return token;
    });
  }

  /** The programme a programme manager's token manages tokens in; null for an admin, who manages all. */
  private managedProgramme(principal: Principal): string | null {
    if (principal.role === 'admin') return null;
    if (principal.role === 'programme_manager' && principal.scope?.kind === 'programme') return principal.scope.id;
    throw new Forbidden(`A ${principal.role.replace('_', ' ')} token may not manage tokens.`);
  }

  private async inProgramme(manager: EntityManager, programmeId: string, scope: string): Promise<boolean> {
    const [sql, params] = manager.connection.driver.escapeQueryWithParameters(`SELECT 1 WHERE :scope IN (${SCOPES_IN_PROGRAMME})`, { programmeId, scope });
    const found: unknown[] = await manager.query(sql, params);
    return found.length > 0;
  }
}

function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
