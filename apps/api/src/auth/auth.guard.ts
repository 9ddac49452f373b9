import { ForbiddenException, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Principal, Role } from '#domain';
import { ALLOWED_ROLES, PUBLIC_ROUTE } from './auth.decorators.js';
import { TokensService } from './tokens.service.js';

/** Every route needs a token unless it is marked @Public; @Roles narrows who may call it. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokensService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; principal?: Principal }>();
    const token = TokensService.tokenFrom(request.headers.authorization);
    if (!token) throw new UnauthorizedException('Send an API token as "Authorization: Bearer <token>".');
    const checked = await this.tokens.check(token);
    if (!('principal' in checked)) throw new UnauthorizedException(checked.message);
    const { principal } = checked;
    request.principal = principal;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ALLOWED_ROLES, targets) ?? ['admin'];
    if (principal.role !== 'admin' && !roles.includes(principal.role)) {
      throw new ForbiddenException(`A ${principal.role.replace('_', ' ')} token may not do this.`);
    }
    return true;
  }
}
