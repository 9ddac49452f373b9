import type { FieldProblem } from '../errors.js';

/**
 * A cohort's workflow policy: the timings every workflow reads (DESIGN.md §5). This first
 * cut holds CPD timings; the scheduling engine extends it with reminder rules.
 */
export interface WorkflowPolicy {
  version: number;
  cpd: {
    /** Hours a person has to take up a place offered from the waitlist. */
    offerHours: number;
    /** Days before a session that confirmed bookings are reminded. */
    reminderDaysBefore: number[];
  };
}

export const DEFAULT_WORKFLOW_POLICY: WorkflowPolicy = {
  version: 1,
  cpd: { offerHours: 48, reminderDaysBefore: [7, 1] },
};

/** Validates a policy document; every problem is reported with its path. */
export function validateWorkflowPolicy(input: unknown): { ok: true; policy: WorkflowPolicy } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(input)) return { ok: false, problems: [{ field: 'workflowPolicy', message: 'must be an object' }] };
  const known = new Set(['version', 'cpd']);
  for (const key of Object.keys(input)) if (!known.has(key)) problems.push({ field: `workflowPolicy.${key}`, message: 'is not a policy setting' });
  const version = input.version ?? 1;
  if (!Number.isInteger(version) || (version as number) < 1) problems.push({ field: 'workflowPolicy.version', message: 'must be a whole number from 1' });
  const cpd = input.cpd ?? DEFAULT_WORKFLOW_POLICY.cpd;
  if (!isObject(cpd)) {
    problems.push({ field: 'workflowPolicy.cpd', message: 'must be an object' });
  } else {
    for (const key of Object.keys(cpd)) if (!['offerHours', 'reminderDaysBefore'].includes(key)) problems.push({ field: `workflowPolicy.cpd.${key}`, message: 'is not a CPD setting' });
    const offerHours = cpd.offerHours ?? DEFAULT_WORKFLOW_POLICY.cpd.offerHours;
    if (!Number.isInteger(offerHours) || (offerHours as number) < 1 || (offerHours as number) > 24 * 30) {
      problems.push({ field: 'workflowPolicy.cpd.offerHours', message: 'must be a whole number of hours from 1 to 720' });
    }
    const days = cpd.reminderDaysBefore ?? DEFAULT_WORKFLOW_POLICY.cpd.reminderDaysBefore;
    if (!Array.isArray(days) || days.length > 5 || days.some((d) => !Number.isInteger(d) || d < 0 || d > 60) || new Set(days).size !== days.length) {
      problems.push({ field: 'workflowPolicy.cpd.reminderDaysBefore', message: 'must be up to 5 different whole numbers of days from 0 to 60' });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  const c = (cpd ?? {}) as Record<string, unknown>;
  return {
    ok: true,
    policy: {
      version: version as number,
      cpd: {
        offerHours: (c.offerHours as number | undefined) ?? DEFAULT_WORKFLOW_POLICY.cpd.offerHours,
        reminderDaysBefore: (c.reminderDaysBefore as number[] | undefined) ?? DEFAULT_WORKFLOW_POLICY.cpd.reminderDaysBefore,
      },
    },
  };
}
