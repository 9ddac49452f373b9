import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { apiTokenRequestProblems, ApiToken, APP_CONFIG, Forbidden, InvalidInput, issueApiToken, NotFound, parseScope, UnitOfWork, type AppConfig, type Principal } from '#domain';
import type { Page } from '../common/pagination.js';
import { Access } from './access.js';
import type { CreateApiTokenDto, ListApiTokensQuery } from './dto/api-token.dto.js';

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
    private readonly access: Access,
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
        if (!(await this.access.mayManageTokenScope(principal, `${scope.kind}:${scope.id}`, tx.manager))) throw new NotFound(capitalised(scope.kind), scope.id);
      }
      const maker = principal.tokenId ? await tx.manager.findOneBy(ApiToken, { id: principal.tokenId }) : null;
      return issueApiToken(tx.manager, input, { now: tx.now, usualLifetimeDays: this.config.apiTokenTtlDays, notAfter: maker?.expiresAt });
    });
  }

  async list(principal: Principal, query: ListApiTokensQuery): Promise<Page<ApiToken>> {
    this.managedProgramme(principal); // refuses the roles that manage no tokens
    const [items, total] = await this.dataSource.manager
      .createQueryBuilder(ApiToken, 't')
      .where(this.access.where('t.scope', this.access.tokenScopesToManage(principal)), this.access.params(principal))
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
      if (!token || (programmeId && !(token.scope && (await this.access.mayManageTokenScope(principal, token.scope, tx.manager))))) throw new NotFound('API token', id);
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
}

function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
