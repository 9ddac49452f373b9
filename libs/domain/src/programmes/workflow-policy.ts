import type { StatusClass } from '../cpd/booking-status.js';
import type { FieldProblem } from '../errors.js';

/**
 * A cohort's workflow policy: every timing the workflows read, as one
 * versioned document. Reminder rules say when a message goes relative to an anchor, to
 * whom, with which template, and how often at most.
 */
export const REMINDER_ANCHORS = ['after_joining', 'before_session_start', 'after_session_end', 'after_attendance', 'term_start', 'before_deadline'] as const;
export type ReminderAnchor = (typeof REMINDER_ANCHORS)[number];

export const REMINDER_RECIPIENTS = ['participant', 'school_contact', 'educational_lead'] as const;
export type ReminderRecipient = (typeof REMINDER_RECIPIENTS)[number];

/** Templates a reminder rule may use; each is a notification kind with its own template. */
export const REMINDER_TEMPLATES = ['booking.session_reminder', 'school.term_start', 'self_evaluation.reminder'] as const;
export type ReminderTemplate = (typeof REMINDER_TEMPLATES)[number];

export interface ReminderRule {
  /** Stable name of the rule; part of every key it plans, so editing a rule re-plans its own actions. */
  id: string;
  anchor: ReminderAnchor;
  /** How far from the anchor: "before" anchors count back, the others forward. */
  offset: number;
  unit: 'hours' | 'days';
  /** For booking anchors: the booking status classes that still get it when it fires. */
  audience: StatusClass[];
  recipients: ReminderRecipient;
  template: ReminderTemplate;
  /** Sends per subject at most (a repeating nudge); 1 for a one-off reminder. */
  maxSends: number;
  /** Hours between repeated sends. */
  minGapHours: number;
}

export interface WorkflowPolicy {
  version: number;
  /** When nudges may go on school days (Europe/London); transactional mail goes at once. */
  sendWindow: { opens: string; closes: string };
  cpd: {
    /** Hours a person has to take up a place offered from the waitlist. */
    offerHours: number;
  };
  reminders: ReminderRule[];
  /** Termly self-evaluation: the invitation after each term start, its deadline, the overdue notice. */
  selfEvaluation: {
    /** Days after a term starts that schools are invited (a school joining mid-term is invited at once). */
    inviteAfterDays: number;
    /** Days from the invitation to the deadline; `before_deadline` reminder rules count back from it. */
    deadlineDays: number;
    /** Days after the deadline that the educational lead is told which schools are overdue. */
    overdueNoticeAfterDays: number;
  };
  /** Post-CPD feedback and the later impact survey. */
  surveys: {
    /** Days a feedback invitation stays open after attendance is recorded. */
    feedbackOpenDays: number;
    /** Days after attendance that the impact survey goes (about a term). */
    impactAfterDays: number;
    /** Days an impact survey invitation stays open. */
    impactOpenDays: number;
    /** Days after an invitation before the first reminder to a non-responder. */
    reminderAfterDays: number;
    /** Reminders to one non-responder at most. */
    maxReminders: number;
    /** Days between reminders. */
    reminderGapDays: number;
  };
  /** STEM Ambassador requests. */
  ambassadors: {
    /** Offers sent at once in each wave. */
    waveSize: number;
    /** Hours an ambassador has to answer an offer. */
    offerHours: number;
    /** Days before the activity that a request still short escalates to the programme team. */
    escalateDaysBefore: number;
  };
}

/** The numeric settings of each section: [smallest, largest, default], all whole numbers. */
const SECTION_SETTINGS = {
  selfEvaluation: { inviteAfterDays: [0, 60, 3], deadlineDays: [1, 120, 28], overdueNoticeAfterDays: [0, 30, 1] },
  surveys: { feedbackOpenDays: [1, 90, 14], impactAfterDays: [7, 365, 84], impactOpenDays: [1, 120, 28], reminderAfterDays: [1, 60, 3], maxReminders: [0, 5, 2], reminderGapDays: [1, 60, 4] },
  ambassadors: { waveSize: [1, 50, 5], offerHours: [1, 720, 72], escalateDaysBefore: [0, 90, 10] },
} as const;
type Section = keyof typeof SECTION_SETTINGS;

function sectionDefaults<S extends Section>(section: S): WorkflowPolicy[S] {
  return Object.fromEntries(Object.entries(SECTION_SETTINGS[section]).map(([key, [, , fallback]]) => [key, fallback])) as unknown as WorkflowPolicy[S];
}

export const DEFAULT_WORKFLOW_POLICY: WorkflowPolicy = {
  version: 1,
  sendWindow: { opens: '09:00', closes: '16:30' },
  cpd: { offerHours: 48 },
  reminders: [
    {
      id: 'session-week-before',
      anchor: 'before_session_start',
      offset: 7,
      unit: 'days',
      audience: ['positive'],
      recipients: 'participant',
      template: 'booking.session_reminder',
      maxSends: 1,
      minGapHours: 0,
    },
    {
      id: 'session-day-before',
      anchor: 'before_session_start',
      offset: 1,
      unit: 'days',
      audience: ['positive'],
      recipients: 'participant',
      template: 'booking.session_reminder',
      maxSends: 1,
      minGapHours: 0,
    },
    {
      id: 'self-evaluation-week-before',
      anchor: 'before_deadline',
      offset: 7,
      unit: 'days',
      audience: ['positive'],
      recipients: 'school_contact',
      template: 'self_evaluation.reminder',
      maxSends: 1,
      minGapHours: 0,
    },
    {
      id: 'self-evaluation-days-before',
      anchor: 'before_deadline',
      offset: 2,
      unit: 'days',
      audience: ['positive'],
      recipients: 'school_contact',
      template: 'self_evaluation.reminder',
      maxSends: 1,
      minGapHours: 0,
    },
  ],
  selfEvaluation: sectionDefaults('selfEvaluation'),
  surveys: sectionDefaults('surveys'),
  ambassadors: sectionDefaults('ambassadors'),
};

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const RULE_ID = /^[a-z0-9][a-z0-9-]{0,40}$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates a policy document and fills defaults; every problem is reported with its path. */
export function validateWorkflowPolicy(input: unknown): { ok: true; policy: WorkflowPolicy } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const at = (path: string, message: string) => problems.push({ field: `workflowPolicy${path}`, message });
  if (!isObject(input)) return { ok: false, problems: [{ field: 'workflowPolicy', message: 'must be an object' }] };
  const unknownKeys = (value: Record<string, unknown>, known: string[], path: string) => {
    for (const key of Object.keys(value)) if (!known.includes(key)) at(`${path}.${key}`, 'is not a policy setting');
  };
  unknownKeys(input, ['version', 'sendWindow', 'cpd', 'reminders', ...Object.keys(SECTION_SETTINGS)], '');

  const version = input.version ?? 1;
  if (!Number.isInteger(version) || (version as number) < 1) at('.version', 'must be a whole number from 1');

  const window = input.sendWindow ?? DEFAULT_WORKFLOW_POLICY.sendWindow;
  if (!isObject(window)) at('.sendWindow', 'must be an object');
  else {
    unknownKeys(window, ['opens', 'closes'], '.sendWindow');
    const opens = window.opens ?? DEFAULT_WORKFLOW_POLICY.sendWindow.opens;
    const closes = window.closes ?? DEFAULT_WORKFLOW_POLICY.sendWindow.closes;
    if (typeof opens !== 'string' || !TIME.test(opens)) at('.sendWindow.opens', 'must be a time like 09:00');
    if (typeof closes !== 'string' || !TIME.test(closes)) at('.sendWindow.closes', 'must be a time like 16:30');
    if (typeof opens === 'string' && typeof closes === 'string' && TIME.test(opens) && TIME.test(closes) && closes <= opens) at('.sendWindow', 'must close after it opens');
  }

  const cpd = input.cpd ?? DEFAULT_WORKFLOW_POLICY.cpd;
  if (!isObject(cpd)) at('.cpd', 'must be an object');
  else {
    unknownKeys(cpd, ['offerHours'], '.cpd');
    const offerHours = cpd.offerHours ?? DEFAULT_WORKFLOW_POLICY.cpd.offerHours;
    if (!Number.isInteger(offerHours) || (offerHours as number) < 1 || (offerHours as number) > 720) at('.cpd.offerHours', 'must be a whole number of hours from 1 to 720');
  }

  const reminders = input.reminders ?? DEFAULT_WORKFLOW_POLICY.reminders;
  if (!Array.isArray(reminders) || reminders.length > 30) at('.reminders', 'must be a list of at most 30 rules');
  else {
    const ids = new Set<string>();
    reminders.forEach((rule: unknown, i) => {
      const path = `.reminders[${i}]`;
      if (!isObject(rule)) return at(path, 'must be an object');
      unknownKeys(rule, ['id', 'anchor', 'offset', 'unit', 'audience', 'recipients', 'template', 'maxSends', 'minGapHours'], path);
      if (typeof rule.id !== 'string' || !RULE_ID.test(rule.id)) at(`${path}.id`, 'must be a short lower-case name like "session-day-before"');
      else if (ids.has(rule.id)) at(`${path}.id`, 'is used by another rule');
      else ids.add(rule.id);
      if (!(REMINDER_ANCHORS as readonly unknown[]).includes(rule.anchor)) at(`${path}.anchor`, `must be one of ${REMINDER_ANCHORS.join(', ')}`);
      if (!Number.isInteger(rule.offset) || (rule.offset as number) < 0 || (rule.offset as number) > 400) at(`${path}.offset`, 'must be a whole number from 0 to 400');
      if (rule.unit !== 'hours' && rule.unit !== 'days') at(`${path}.unit`, 'must be hours or days');
      const classes = rule.audience ?? ['positive'];
      if (!Array.isArray(classes) || classes.length === 0 || classes.some((c) => !['positive', 'pending', 'negative'].includes(c as string))) {
        at(`${path}.audience`, 'must list status classes: positive, pending, negative');
      }
      if (!(REMINDER_RECIPIENTS as readonly unknown[]).includes(rule.recipients)) at(`${path}.recipients`, `must be one of ${REMINDER_RECIPIENTS.join(', ')}`);
      if (!(REMINDER_TEMPLATES as readonly unknown[]).includes(rule.template)) at(`${path}.template`, `must be one of ${REMINDER_TEMPLATES.join(', ')}`);
      const maxSends = rule.maxSends ?? 1;
      if (!Number.isInteger(maxSends) || (maxSends as number) < 1 || (maxSends as number) > 10) at(`${path}.maxSends`, 'must be a whole number from 1 to 10');
      const gap = rule.minGapHours ?? 0;
      if (typeof gap !== 'number' || gap < 0 || gap > 24 * 60) at(`${path}.minGapHours`, 'must be a number of hours from 0 to 1440');
      if ((maxSends as number) > 1 && !((gap as number) > 0)) at(`${path}.minGapHours`, 'must be more than 0 when a rule sends more than once');
    });
  }

  const sections: Record<string, Record<string, number>> = {};
  for (const [section, settings] of Object.entries(SECTION_SETTINGS)) {
    const given = input[section] ?? {};
    if (!isObject(given)) {
      at(`.${section}`, 'must be an object');
      continue;
    }
    unknownKeys(given, Object.keys(settings), `.${section}`);
    sections[section] = {};
    for (const [key, [min, max, fallback]] of Object.entries(settings) as Array<[string, readonly [number, number, number]]>) {
      const value = given[key] ?? fallback;
      if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) at(`.${section}.${key}`, `must be a whole number from ${min} to ${max}`);
      sections[section][key] = value as number;
    }
  }

  if (problems.length > 0) return { ok: false, problems };
  const w = (input.sendWindow ?? {}) as Record<string, string>;
  const c = (input.cpd ?? {}) as Record<string, number>;
  return {
    ok: true,
    policy: {
      version: version as number,
      sendWindow: { opens: w.opens ?? DEFAULT_WORKFLOW_POLICY.sendWindow.opens, closes: w.closes ?? DEFAULT_WORKFLOW_POLICY.sendWindow.closes },
      cpd: { offerHours: c.offerHours ?? DEFAULT_WORKFLOW_POLICY.cpd.offerHours },
      reminders: ((input.reminders as ReminderRule[] | undefined) ?? DEFAULT_WORKFLOW_POLICY.reminders).map((r) => ({
        ...r,
        audience: r.audience ?? ['positive'],
        maxSends: r.maxSends ?? 1,
        minGapHours: r.minGapHours ?? 0,
      })),
      ...(sections as unknown as Pick<WorkflowPolicy, Section>),
    },
  };
}

/** Milliseconds from the anchor to a rule's n-th send (0-based): negative for "before" anchors. */
export function ruleOffsetMs(rule: ReminderRule, sendIndex = 0): number {
  const unitMs = rule.unit === 'days' ? 86_400_000 : 3_600_000;
  const before = rule.anchor === 'before_session_start' || rule.anchor === 'before_deadline';
  return (before ? -1 : 1) * rule.offset * unitMs + sendIndex * rule.minGapHours * 3_600_000;
}

/**
 * A policy as stored on a cohort, with any section added since it was saved filled from
 * the defaults: a cohort created before a workflow existed runs it on the default timings.
 */
export function policyWithDefaults(stored: Partial<WorkflowPolicy> | null | undefined): WorkflowPolicy {
  const policy = stored ?? {};
  return {
    ...DEFAULT_WORKFLOW_POLICY,
    ...policy,
    selfEvaluation: { ...DEFAULT_WORKFLOW_POLICY.selfEvaluation, ...policy.selfEvaluation },
    surveys: { ...DEFAULT_WORKFLOW_POLICY.surveys, ...policy.surveys },
    ambassadors: { ...DEFAULT_WORKFLOW_POLICY.ambassadors, ...policy.ambassadors },
  };
}

/**
 * A change to a cohort's policy that names only some settings, laid over the policy it
 * changes: every setting it leaves out keeps its stored value (not the default). A section
 * named in part keeps its other settings; `reminders`, a list, is replaced whole when named.
 * What is laid over is not checked here: `validateWorkflowPolicy` checks the result.
 */
export function mergeWorkflowPolicy(stored: Partial<WorkflowPolicy> | null | undefined, change: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...policyWithDefaults(stored) };
  for (const [key, value] of Object.entries(change)) {
    const current = merged[key];
    merged[key] = isObject(value) && isObject(current) ? { ...current, ...value } : value;
  }
  return merged;
}
