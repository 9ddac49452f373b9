import { Conflict } from '../errors.js';

/** A school's engagement (003_def1d3e673f8defb.txt: 206 recruited → 201 engaged → 191 active). */
export const SCHOOL_STATUSES = ['invited', 'joined', 'active', 'less_active', 'withdrawn'] as const;
export type SchoolStatus = (typeof SCHOOL_STATUSES)[number];

const NEXT: Record<SchoolStatus, SchoolStatus[]> = {
  invited: ['joined', 'withdrawn'],
  joined: ['active', 'less_active', 'withdrawn'],
  active: ['less_active', 'withdrawn'],
  less_active: ['active', 'withdrawn'],
  // A withdrawn school may be invited back.
  withdrawn: ['invited'],
};

/** The statuses as a programme team says them. */
export const SCHOOL_STATUS_NAMES: Record<SchoolStatus, string> = {
  invited: 'Invited',
  joined: 'Joined',
  active: 'Active',
  less_active: 'Less active',
  withdrawn: 'Withdrawn',
};

/** Where a school in this status may go next: the choices a person is offered. */
export function nextSchoolStatuses(from: SchoolStatus): SchoolStatus[] {
  return [...NEXT[from]];
}

export class IllegalSchoolStatusChange extends Conflict {}

export function checkSchoolStatusChange(from: SchoolStatus, to: SchoolStatus): void {
  if (!NEXT[from].includes(to)) {
    throw new IllegalSchoolStatusChange(
      `A school cannot go from ${from.replace('_', ' ')} to ${to.replace('_', ' ')}; from ${from.replace('_', ' ')} it can become ${NEXT[from].join(' or ').replace('_', ' ')}`,
    );
  }
}

/** Joining a partnership makes an invited (or returning) school joined; an engaged school stays as it is. */
export function statusOnJoining(current: SchoolStatus): SchoolStatus | null {
  return current === 'invited' || current === 'withdrawn' ? 'joined' : null;
}
