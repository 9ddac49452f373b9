import {
  applyDecorators,
  ArgumentsHost,
  Catch,
  createParamDecorator,
  ForbiddenException,
  HttpException,
  Injectable,
  UseFilters,
  UseGuards,
  type CanActivate,
  type ExceptionFilter,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { DomainError, type Role } from '#domain';
import { ALLOWED_ROLES, Public } from '../auth/auth.decorators.js';
import { PageRateLimit, TooManyRequests } from '../common/rate-limits.js';
import { DashboardAuth, type DashboardUser } from '../dashboard/dashboard-auth.js';
import { navigationFor } from './navigation.js';

/** Thrown when a staff page is asked for without a session: the answer is the sign-in page. */
export class SignInRequired extends Error {}

/**
 * Lets a staff page through only with a session, and puts what every staff page's layout
 * needs (the person, their navigation, where they are) into the view's locals.
 */
@Injectable()
export class SignedIn implements CanActivate {
  constructor(
    private readonly auth: DashboardAuth,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request & { staff?: DashboardUser }>();
    const res = http.getResponse<Response>();
    const user = await this.auth.userFor(req);
    if (!user) throw new SignInRequired();
    req.staff = user;
    res.locals.user = user;
    res.locals.navigation = navigationFor(user.principal.role);
    res.locals.currentPath = req.path;
    // A page names the roles its API routes allow with @Roles, as they do; admin may always.
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ALLOWED_ROLES, [context.getHandler(), context.getClass()]);
    if (roles && user.principal.role !== 'admin' && !roles.includes(user.principal.role)) throw new ForbiddenException();
    return true;
  }
}

/** The signed-in person, on a controller of `@StaffPages()`. */
export const Staff = createParamDecorator((_: unknown, context: ExecutionContext): DashboardUser => context.switchToHttp().getRequest<Request & { staff: DashboardUser }>().staff);

const STATUS_OF: Record<DomainError['kind'], number> = { invalid: 400, forbidden: 403, not_found: 404, conflict: 409, gone: 410 };

/**
 * How a staff page answers what went wrong: as a page, never as the API's problem body.
 * No session sends the person to sign in; a record out of reach is "Page not found",
 * exactly as one that does not exist; a rule refused says what the rule said.
 */
@Catch()
export class PageProblems implements ExceptionFilter {
  constructor(private readonly logger: PinoLogger) {
    logger.setContext('PageProblems');
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    if (exception instanceof SignInRequired) return res.redirect(303, '/');
    if (exception instanceof TooManyRequests) res.setHeader('Retry-After', String(exception.retryAfterSeconds));
    const status = exception instanceof DomainError ? STATUS_OF[exception.kind] : exception instanceof HttpException ? exception.getStatus() : 500;
    if (status >= 500) this.logger.error({ err: exception }, 'page failed');
    const message = exception instanceof DomainError ? exception.message : undefined;
    res.status(status).render('problem', { status, message });
  }
}

/**
 * A controller of staff pages: out of the API's document, rate-limited as pages are, behind
 * a session, and answering problems as pages.
 */
export const StaffPages = () => applyDecorators(ApiExcludeController(), Public(), UseGuards(PageRateLimit, SignedIn), UseFilters(PageProblems));
