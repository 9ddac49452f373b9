/**
 * Typed domain errors. The API maps each kind to one problem response in a single
 * filter; services and rules never build HTTP bodies.
 */
export interface FieldProblem {
  field: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly kind: 'not_found' | 'conflict' | 'invalid' | 'forbidden' | 'gone';
  constructor(message: string, readonly fields: FieldProblem[] = []) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFound extends DomainError {
  readonly kind = 'not_found' as const;
  constructor(what: string, id: string) {
    super(`${what} ${id} was not found`);
  }
}

export class Conflict extends DomainError {
  readonly kind = 'conflict' as const;
}

export class AlreadyMember extends Conflict {
  constructor(schoolName: string, partnershipName: string) {
    super(`${schoolName} is already a member of ${partnershipName}`);
  }
}

export class InvalidInput extends DomainError {
  readonly kind = 'invalid' as const;
}

/** The caller is known but may not do this (a programme manager making an admin token). */
export class Forbidden extends DomainError {
  readonly kind = 'forbidden' as const;
}
