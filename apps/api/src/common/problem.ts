import { HttpException, HttpStatus } from '@nestjs/common';
import type { FieldProblem } from '#domain';

/** An RFC 9457 problem body; every error the API answers has this shape. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldProblem[];
  requestId?: string;
}

/** A 400 carrying the failing fields, thrown by validation. */
export class ValidationProblem extends HttpException {
  constructor(
    readonly fields: FieldProblem[],
    detail = 'The request is not valid; see errors for each field.',
  ) {
    super(detail, HttpStatus.BAD_REQUEST);
  }
}

export const PROBLEM_TYPES: Record<number, { slug: string; title: string }> = {
  400: { slug: 'invalid-request', title: 'The request is not valid' },
  401: { slug: 'unauthenticated', title: 'A valid bearer token is required' },
  403: { slug: 'forbidden', title: 'This token may not do that' },
  404: { slug: 'not-found', title: 'Not found' },
  405: { slug: 'method-not-allowed', title: 'Method not allowed' },
  409: { slug: 'conflict', title: 'Conflict with the current state' },
  410: { slug: 'gone', title: 'Gone' },
  413: { slug: 'too-large', title: 'The request is too large' },
  415: { slug: 'unsupported-media-type', title: 'Unsupported media type' },
  422: { slug: 'unprocessable', title: 'The request cannot be processed' },
  429: { slug: 'too-many-requests', title: 'Too many requests' },
  500: { slug: 'internal', title: 'Something went wrong on our side' },
  503: { slug: 'unavailable', title: 'A service stemflow depends on is unavailable; try again shortly' },
};
