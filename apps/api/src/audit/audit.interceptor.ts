import { randomUUID } from 'node:crypto';
import { finished } from 'node:stream';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { finalize, from, switchMap, type Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { attachAuditFacts, Clock, hashToken, recordAnswer, type AuditActorType, type AuditFacts, type Principal } from '#domain';
import { DashboardAuth } from '../dashboard/dashboard-auth.js';

interface Actor {
  type: AuditActorType;
  id: string | null;
  role: string | null;
  subject?: { type: string; id: string };
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
const PAGE_ROUTE = /^\/(e|r|s)\/|^\/(dashboard\/)?sign-in\/:token/;

/**
 * Every write that reaches a route is recorded, whatever its answer: API calls (who: the
 * token's id and role), page submissions (who: the emailed link's id; what: the link's
 * subject) and the console's pages (who: the signed-in person's token). The actor is found before the
 * handler runs and handed, through the request's context, to the unit of work, which
 * writes the row in the change's own transaction (outcome `committed`): a client that
 * disconnects before its answer cannot leave a change unaudited. Once the handler has
 * finished and the answer has gone, the row gets its status; a request that committed
 * nothing gets its row then (outcome `unchanged`). A call refused before its route (no or a
 * bad token: 401/403 from the guard) has no actor to record and is left to the request
 * log. Rows hold ids, never names, so erasure never needs to touch them.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly dashboard: DashboardAuth,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('Audit');
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request & { principal?: Principal; id?: string }>();
    if (READS.has(req.method)) return next.handle();
    const res = context.switchToHttp().getResponse<Response>();
    // The status the client received, or null when it left first; listened for now, as it may leave at any moment.
    const answered = new Promise<number | null>((resolve) => finished(res, () => resolve(res.writableFinished ? res.statusCode : null)));
    // The actor is found before the handler runs: a submission may revoke its link, a sign-out end its session.
    return from(this.actorOf(req)).pipe(
      switchMap((actor) => {
        const facts = factsOf(req, actor);
        if (!attachAuditFacts(facts)) this.logger.error({ route: facts.route }, 'no request context to carry the audit row into the transaction');
        let settle: () => void = () => undefined;
        const settled = new Promise<void>((resolve) => (settle = resolve));
        // A handler's error is answered by the problem filter after it leaves here: wait for the answer too.
        void Promise.all([answered, settled])
          .then(async ([status]) => recordAnswer(this.dataSource, facts, status, await this.clock.now()))
          .catch((error: unknown) => this.logger.error({ err: error }, 'could not record an audit row'));
        return next.handle().pipe(finalize(() => settle()));
      }),
    );
  }

  private async actorOf(req: Request & { principal?: Principal }): Promise<Actor> {
    if (req.principal) return { type: 'token', id: req.principal.tokenId, role: req.principal.role };
    const route = routeOf(req);
    const token = typeof req.params?.token === 'string' ? req.params.token : null;
    if (token && PAGE_ROUTE.test(route)) {
      const [link]: Array<{ id: string; subject_type: string; subject_id: string }> = await this.dataSource.query(`SELECT id, subject_type, subject_id FROM page_links WHERE token_hash = $1`, [
        hashToken(token),
      ]);
      return link ? { type: 'page_link', id: link.id, role: null, subject: { type: link.subject_type, id: link.subject_id } } : { type: 'anonymous', id: null, role: null };
    }
    if (token && route.startsWith('/u/')) {
      const [n]: Array<{ id: string }> = await this.dataSource.query(`SELECT id FROM notifications WHERE unsubscribe_token_hash = $1`, [hashToken(token)]);
      return n ? { type: 'unsubscribe_link', id: n.id, role: null, subject: { type: 'notification', id: n.id } } : { type: 'anonymous', id: null, role: null };
    }
    // The console's pages and the dashboard: the person signed in, by their token.
    if (!route.startsWith('/api/')) {
      const user = await this.dashboard.userFor(req).catch(() => undefined);
      if (user) return { type: 'dashboard', id: user.principal.tokenId, role: user.principal.role };
    }
    return { type: 'anonymous', id: null, role: null };
  }
}

function factsOf(req: Request & { id?: string }, actor: Actor): AuditFacts {
  const route = routeOf(req);
  return {
    id: randomUUID(),
    actorType: actor.type,
    actorId: actor.id,
    role: actor.role,
    method: req.method,
    route,
    subject: actor.subject ?? subjectOf(route, req.params ?? {}),
    requestId: req.id ?? null,
  };
}

/** The route's pattern, never its path: a path can carry a page token. */
function routeOf(req: Request): string {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  return typeof pattern === 'string' ? pattern : '(unmatched)';
}

/** What a write was about: the record named by the route's last id, typed by the words before it (`/people/:id/consents` → people). */
export function subjectOf(route: string, params: Record<string, unknown>): { type: string; id: string } | null {
  const segments = route.split('/').filter(Boolean);
  for (let i = segments.length - 1; i > 0; i -= 1) {
    if (!segments[i].startsWith(':') || segments[i] === ':token') continue;
    const value = params[segments[i].slice(1)];
    if (typeof value !== 'string') continue;
    const type = segments
      .slice(0, i)
      .reverse()
      .find((s) => !s.startsWith(':') && s !== 'api' && s !== 'v1');
    return { type: type ?? 'unknown', id: value.slice(0, 100) };
  }
  return null;
}
