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
  constructor(
    message: string,
    readonly fields: FieldProblem[] = [],
  ) {
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

/**
 * The caller is known but may not do this: a record they may read but not change (a school
 * on the national register, another programme's staff member they share a partnership with,
 * an ambassador's identity), or an act beyond their role (a programme manager making an
 * admin token). Records the caller may not read answer NotFound instead, exactly like absent ones.
 */
export class Forbidden extends DomainError {
  readonly kind = 'forbidden' as const;
}
