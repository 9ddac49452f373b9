import { ArgumentsHost, Catch, HttpException, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { QueryFailedError } from 'typeorm';
import { DomainError, type FieldProblem } from '#domain';
import { sendTooManyRequests } from '../pages/emailed-pages.js';
import { PROBLEM_TYPES, ValidationProblem, type ProblemBody } from './problem.js';
import { TooManyRequests } from './rate-limits.js';

const DOMAIN_STATUS: Record<DomainError['kind'], number> = {
  invalid: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
};

/** Postgres and driver errors that mean "the database is not there right now". */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004', '53300']);
const UNAVAILABLE_MESSAGES = /Connection terminated|connection timeout|Client has encountered a connection error|timeout exceeded when trying to connect|terminating connection/i;

/**
 * Maps every error to an application/problem+json answer in one place. Nothing a user
 * sends reaches the 500 branch by design; when something does, the body says only that,
 * with the request id to quote, and the log has the rest.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly logger: PinoLogger) {
    logger.setContext('ProblemFilter');
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const { status, detail, errors, extra } = this.describe(exception);
    if (status >= 500 && status !== 503) this.logger.error({ err: exception }, 'unhandled error');
    else if (status === 503) this.logger.warn({ err: exception }, 'dependency unavailable');
    const known = PROBLEM_TYPES[status] ?? { slug: String(status), title: 'Error' };
    const body: ProblemBody = {
      type: `https://stemflow.dev/problems/${known.slug}`,
      title: known.title,
      status,
      detail,
      instance: request.originalUrl ?? request.url,
      ...(errors && errors.length > 0 ? { errors } : {}),
      requestId: String(request.id ?? ''),
      ...extra,
    };
    if (response.headersSent) return;
    if (status === 503) response.setHeader('Retry-After', '5');
    if (status === 401) response.setHeader('WWW-Authenticate', 'Bearer');
    if (exception instanceof TooManyRequests) {
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
      // A person in a browser gets a page saying to wait; a program, the problem body.
      if (request.accepts(['application/problem+json', 'application/json', 'text/html']) === 'text/html') {
        sendTooManyRequests(response, exception.retryAfterSeconds);
        return;
      }
    }
    response.status(status).type('application/problem+json').send(JSON.stringify(body));
  }

  private describe(exception: unknown): { status: number; detail: string; errors?: FieldProblem[]; extra?: Record<string, unknown> } {
    if (exception instanceof ValidationProblem) return { status: 400, detail: exception.message, errors: exception.fields };
    if (exception instanceof DomainError) {
      return { status: DOMAIN_STATUS[exception.kind], detail: exception.message, errors: exception.fields };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if ((exception.cause as { type?: string } | undefined)?.type === 'entity.parse.failed') {
        return { status, detail: 'The body is not valid JSON.' };
      }
      const response = exception.getResponse();
      const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
      // The health check's 503 carries the state of each dependency: keep it.
      const checks = typeof response === 'object' ? (response as { details?: unknown }).details : undefined;
      return {
        status,
        detail: Array.isArray(message) ? message.join('; ') : String(message ?? (checks ? 'A dependency is down.' : exception.message)),
        extra: checks ? { checks } : undefined,
      };
    }
    // Errors raised by Express' body parsers carry their own 4xx status.
    const bodyError = exception as { status?: unknown; type?: unknown; expose?: unknown; message?: string };
    if (typeof bodyError?.status === 'number' && bodyError.status >= 400 && bodyError.status < 500 && bodyError.expose) {
      const detail = bodyError.type === 'entity.parse.failed' ? 'The body is not valid JSON.' : String(bodyError.message);
      return { status: bodyError.status, detail };
    }
    if (exception instanceof QueryFailedError) {
      const code = (exception as QueryFailedError & { driverError?: { code?: string } }).driverError?.code;
      if (code === '22P02' || code === '22003' || code === '22007' || code === '22008' || code === '22021' || code === '22P05' || code === '22001') {
        return { status: 400, detail: 'A value in the request has the wrong form (or holds a character that cannot be stored).' };
      }
      if (code === '40P01' || code === '40001') return { status: 409, detail: 'A change made at the same moment got in the way; try again.' };
      if (code === '23505') return { status: 409, detail: 'That would duplicate a record that already exists.' };
      if (code === '23503') return { status: 409, detail: 'That refers to a record that does not exist or is still in use.' };
      if (code && UNAVAILABLE_CODES.has(code)) return { status: 503, detail: 'The database is unavailable.' };
    }
    const code = (exception as { code?: unknown })?.code;
    const message = (exception as { message?: unknown })?.message;
    if ((typeof code === 'string' && UNAVAILABLE_CODES.has(code)) || (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message))) {
      return { status: 503, detail: 'The database or the queue is unavailable.' };
    }
    return { status: 500, detail: 'An unexpected error occurred; quote the request id when reporting it.' };
  }
}
