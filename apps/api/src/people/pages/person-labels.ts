import { CAREER_STAGES, GENDERS, PERSON_PHASES, PERSON_ROLES, SUBJECT_SPECIALISMS } from '#domain';

/** The funder's participant fields, in the words a programme team reads and picks from. */
export const PERSON_LABELS = {
  role: {
    teacher: 'Teacher',
    senior_leader: 'Senior leader or head',
    middle_leader: 'Middle leader',
    subject_leader: 'Subject leader',
    teaching_assistant: 'Teaching assistant',
    technician: 'Technician',
    nursery_nurse: 'Nursery nurse',
    trainee: 'Trainee',
    educational_lead: 'Educational lead',
    other: 'Other',
  } satisfies Record<(typeof PERSON_ROLES)[number], string>,
  phase: { nursery: 'Nursery', primary: 'Primary', secondary: 'Secondary', all_through: 'All-through', sixteen_plus: '16 plus' } satisfies Record<(typeof PERSON_PHASES)[number], string>,
  subjectSpecialism: {
    science: 'Science',
    technology: 'Technology',
    engineering: 'Engineering',
    maths: 'Maths',
    computing: 'Computing',
    other: 'Other',
  } satisfies Record<(typeof SUBJECT_SPECIALISMS)[number], string>,
  careerStage: { nqt: 'Newly qualified (NQT)', rqt: 'Recently qualified (RQT)', experienced: 'Experienced' } satisfies Record<(typeof CAREER_STAGES)[number], string>,
  gender: { female: 'Female', male: 'Male', non_binary: 'Non-binary', not_said: 'Prefer not to say' } satisfies Record<(typeof GENDERS)[number], string>,
};

export type LabelledField = keyof typeof PERSON_LABELS;

/** A select's items for a field: a first empty choice, then each value by its label. */
export function choices(field: LabelledField, selected: string | undefined, empty: string): Array<{ value: string; text: string; selected: boolean }> {
  return [{ value: '', text: empty }, ...Object.entries(PERSON_LABELS[field]).map(([value, text]) => ({ value, text }))].map((item) => ({ ...item, selected: item.value === (selected ?? '') }));
}

export const CHANNEL_LABELS: Record<string, string> = {
  central: 'Booked centrally',
  local: 'Local',
  third_party: 'Third party',
  coaching: 'Coaching',
  online: 'Online',
  in_school: 'In school',
  network_meeting: 'Network meeting',
};

export const BOOKING_STATUS_LABELS: Record<string, string> = {
  requested: 'Requested',
  confirmed: 'Confirmed',
  waitlisted: 'Waitlisted',
  offered: 'Offered a place',
  cancelled: 'Cancelled',
  attended: 'Attended',
  no_show: 'Did not attend',
};

export const BASIS_LABELS: Record<string, string> = {
  consent: 'Consent',
  contract: 'Contract',
  legitimate_interests: 'Legitimate interests',
  public_task: 'Public task',
};

export const CONSENT_HOW_LABELS: Record<string, string> = { page: 'by them, on a page', import: 'from an import', manager: 'by staff for them', api: 'by another system' };
