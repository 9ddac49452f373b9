import { type ReminderRule, type WorkflowPolicy } from '#domain';
import { typedTime } from './programme.forms.js';

/** One setting of a cohort's workflow policy as a person reads and types it. */
export interface PolicySetting {
  key: string;
  label: string;
  /** A number of hours or days, or a time of day in London. */
  kind: 'number' | 'time';
  suffix?: string;
}

/** A group of settings saved together by one small form on the cohort's page. */
export interface PolicyGroup {
  key: 'sendWindow' | 'cpd' | 'selfEvaluation' | 'surveys' | 'ambassadors';
  title: string;
  description: string;
  settings: PolicySetting[];
}

const days = (key: string, label: string): PolicySetting => ({ key, label, kind: 'number', suffix: 'days' });
const hours = (key: string, label: string): PolicySetting => ({ key, label, kind: 'number', suffix: 'hours' });

export const POLICY_GROUPS: PolicyGroup[] = [
  {
    key: 'sendWindow',
    title: 'Send window',
    description: 'Reminders and nudges go on school days between these times, London time. Messages people are waiting for, like a booking confirmation, go at once.',
    settings: [
      { key: 'opens', label: 'Opens at', kind: 'time' },
      { key: 'closes', label: 'Closes at', kind: 'time' },
    ],
  },
  {
    key: 'cpd',
    title: 'CPD waitlist offers',
    description: 'When a place on a full session comes free, the next person on the waitlist is offered it.',
    settings: [hours('offerHours', 'Hours a person has to take up a place offered from the waitlist')],
  },
  {
    key: 'selfEvaluation',
    title: 'Termly self-evaluation',
    description: 'Schools are invited to evaluate themselves each term; their educational lead hears which are overdue.',
    settings: [
      days('inviteAfterDays', 'Days after a term starts that schools are invited'),
      days('deadlineDays', 'Days from the invitation to the deadline'),
      days('overdueNoticeAfterDays', 'Days after the deadline that the educational lead hears which schools are overdue'),
    ],
  },
  {
    key: 'surveys',
    title: 'Surveys after CPD',
    description: 'A feedback survey when attendance is recorded, and an impact survey about a term later.',
    settings: [
      days('feedbackOpenDays', 'Days the feedback survey stays open'),
      days('impactAfterDays', 'Days after attendance that the impact survey goes'),
      days('impactOpenDays', 'Days the impact survey stays open'),
      days('reminderAfterDays', 'Days after an invitation before the first reminder to someone who has not answered'),
      { key: 'maxReminders', label: 'Reminders to one person at most', kind: 'number' },
      days('reminderGapDays', 'Days between survey reminders'),
    ],
  },
  {
    key: 'ambassadors',
    title: 'STEM Ambassador requests',
    description: 'Offers go to ambassadors in waves; a request still short near its date goes to the programme team.',
    settings: [
      { key: 'waveSize', label: 'Ambassadors offered a request at once', kind: 'number' },
      hours('offerHours', 'Hours an ambassador has to answer an offer'),
      days('escalateDaysBefore', 'Days before the activity that a request still short goes to the programme team'),
    ],
  },
];

export const ANCHOR_WORDS: Record<ReminderRule['anchor'], string> = {
  after_joining: 'after a school joins a partnership',
  before_session_start: 'before a CPD session starts',
  after_session_end: 'after a CPD session ends',
  after_attendance: 'after attendance is recorded',
  term_start: 'after each term starts',
  before_deadline: 'before a self-evaluation deadline',
};

export const RECIPIENT_WORDS: Record<ReminderRule['recipients'], string> = {
  participant: 'each participant',
  school_contact: 'the school’s STEM lead',
  educational_lead: 'the educational lead',
};

/** A reminder rule in words: "7 days before a CPD session starts, to each participant". */
export const ruleInWords = (rule: ReminderRule) =>
  `${rule.offset} ${rule.offset === 1 ? rule.unit.replace(/s$/, '') : rule.unit} ${ANCHOR_WORDS[rule.anchor]}, to ${RECIPIENT_WORDS[rule.recipients]}${rule.maxSends > 1 ? ` (up to ${rule.maxSends} times)` : ''}`;

/** The label of a rule's "how long" field, naming the rule: a policy often has two rules on one anchor. */
export const ruleLabel = (rule: ReminderRule) => `How long ${ANCHOR_WORDS[rule.anchor]} (rule “${rule.id}”)`;

export const fieldId = (group: string, key: string) => `${group}-${key}`;

/** The values a group's form shows: what the policy holds now. */
export function groupValues(group: PolicyGroup, policy: WorkflowPolicy): Record<string, string> {
  const section = policy[group.key] as unknown as Record<string, number | string>;
  return Object.fromEntries(group.settings.map((s) => [fieldId(group.key, s.key), String(section[s.key])]));
}

/**
 * A group's form, read as the change it names: each setting typed as a whole number or a
 * time. Whether the number is in range is the policy's own check, made by the service.
 */
export function groupChange(group: PolicyGroup, body: Record<string, unknown>): { change: Record<string, number | string> } | { problems: Array<{ field: string; text: string }> } {
  const change: Record<string, number | string> = {};
  const problems: Array<{ field: string; text: string }> = [];
  for (const setting of group.settings) {
    const id = fieldId(group.key, setting.key);
    const typed = typeof body[id] === 'string' ? (body[id] as string).trim() : '';
    if (setting.kind === 'time') {
      const time = typedTime(typed);
      if (!time) problems.push({ field: id, text: `Enter the time the window ${setting.key === 'opens' ? 'opens' : 'closes'}, like 9:00 or 16:30` });
      else change[setting.key] = time;
    } else if (!/^\d{1,4}$/.test(typed)) problems.push({ field: id, text: `Enter ${setting.label.charAt(0).toLowerCase()}${setting.label.slice(1)} as a whole number` });
    else change[setting.key] = Number(typed);
  }
  return problems.length > 0 ? { problems } : { change };
}

/**
 * The policy's own problems (`workflowPolicy.cpd.offerHours`: "must be …") beside the fields
 * they name; `where` finds a path's field and its label, or leaves it to the page's summary.
 */
export function policyProblems(fields: Array<{ field: string; message: string }>, where: (path: string) => { field: string; label: string } | undefined): Array<{ field: string; text: string }> {
  return fields.map(({ field, message }) => {
    const found = where(field.replace(/^workflowPolicy\.?/, ''));
    return { field: found?.field ?? 'policy', text: `${found?.label ?? 'The policy'} ${message}` };
  });
}
