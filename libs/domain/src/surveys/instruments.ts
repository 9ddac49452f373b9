import type { FieldProblem } from '../errors.js';

/**
 * Survey instruments as data: each item says how it is answered and which evaluation level
 * it evidences (reaction, learning, application, activation: 001/004 seeds, "evaluation
 * should go past satisfaction"). The post-CPD feedback form is the Aspire to STEM form
 * (003 seed); the impact survey, about a term later, is the one the evaluators missed.
 * An instrument's version changes whenever its items do, and every response keeps the
 * version it answered.
 */
export const EVALUATION_LEVELS = ['reaction', 'learning', 'application', 'activation'] as const;
export type EvaluationLevel = (typeof EVALUATION_LEVELS)[number];

export const ITEM_TYPES = ['scale', 'choice', 'text'] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

export interface Scale {
  key: string;
  name: string;
  /** From the lowest to the highest point; each answer is the point's value. */
  points: Array<{ value: string; label: string }>;
}

export interface SurveyItem {
  key: string;
  text: string;
  type: ItemType;
  /** For scale items: the key of one of the instrument's scales. */
  scale?: string;
  /** For choice items. */
  options?: Array<{ value: string; label: string }>;
  hint?: string;
  required: boolean;
  level: EvaluationLevel;
  /** Items sharing a group are shown together under the group's question (the agreement grid). */
  group?: string;
}

export interface SurveyInstrument {
  key: InstrumentKey;
  name: string;
  version: number;
  /** What the survey is about, as the page's opening line says it. */
  intro: string;
  groups?: Record<string, string>;
  items: SurveyItem[];
  scales: Record<string, Scale>;
}

const points = (...labels: string[]) =>
  labels.map((label) => ({
    value: label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_|_$/g, ''),
    label,
  }));

/** The seed scales (003 seed, the post-CPD feedback form). */
export const SEED_SCALES: Record<string, Scale> = {
  satisfaction: { key: 'satisfaction', name: 'Satisfaction', points: points('Poor', 'Fair', 'Good', 'Very good', 'Excellent') },
  quality: { key: 'quality', name: 'Overall quality', points: points('Poor', 'Satisfactory', 'Good', 'Very good') },
  agreement: { key: 'agreement', name: 'Agreement', points: points('Disagree strongly', 'Disagree', 'Agree', 'Agree strongly') },
  usefulness: { key: 'usefulness', name: 'Usefulness', points: points('Very useful', 'Quite useful', 'Of little or no use', 'Not used') },
};

const agree = (key: string, text: string, level: EvaluationLevel): SurveyItem => ({ key, text, type: 'scale', scale: 'agreement', required: true, level, group: 'agreement' });

const CPD_FEEDBACK: SurveyInstrument = {
  key: 'cpd-feedback',
  name: 'Feedback on your CPD',
  version: 1,
  intro: 'Tell us how the session went. It takes about three minutes.',
  groups: { agreement: 'How far do you agree with these statements about the session?' },
  scales: SEED_SCALES,
  items: [
    { key: 'satisfaction', text: 'How satisfied were you with the session overall?', type: 'scale', scale: 'satisfaction', required: true, level: 'reaction' },
    { key: 'quality', text: 'How would you rate the overall quality of the session?', type: 'scale', scale: 'quality', required: true, level: 'reaction' },
    agree('well_organised', 'It was well organised and planned', 'reaction'),
    agree('relevant', 'It was relevant and useful', 'reaction'),
    agree('outcomes_met', 'The learning outcomes were met', 'learning'),
    agree('impact_practice', 'It will have an impact on my future practice', 'application'),
    agree('impact_students', 'It will have an impact on the students I teach', 'activation'),
    agree('share_learning', 'I will share this learning with colleagues', 'application'),
    agree('subject_knowledge', 'It improved my subject knowledge and skills', 'learning'),
    { key: 'online_resources', text: 'How useful were the online resources?', type: 'scale', scale: 'usefulness', required: true, level: 'reaction' },
    { key: 'why_useful', text: 'Why was it useful (or not)?', type: 'text', required: false, level: 'learning', hint: 'In your own words: what you will take away.' },
  ],
};

const CPD_IMPACT: SurveyInstrument = {
  key: 'cpd-impact',
  name: 'What difference has your CPD made?',
  version: 1,
  intro: 'About a term ago you took part in this CPD. Tell us what, if anything, has changed since.',
  groups: { agreement: 'How far do you agree with these statements now?' },
  scales: SEED_SCALES,
  items: [
    {
      key: 'used_it',
      text: 'Have you used what you learned in your teaching?',
      type: 'choice',
      required: true,
      level: 'application',
      options: [
        { value: 'regularly', label: 'Yes, regularly' },
        { value: 'once_or_twice', label: 'Yes, once or twice' },
        { value: 'not_yet', label: 'Not yet, but I plan to' },
        { value: 'no', label: 'No' },
      ],
    },
    { key: 'change_for_you', text: 'What has changed in your own practice?', type: 'text', required: false, level: 'application' },
    { key: 'change_for_students', text: 'What has changed for your students?', type: 'text', required: false, level: 'activation' },
    agree('confidence', 'I am more confident teaching this subject', 'learning'),
    agree('shared', 'I have shared this learning with colleagues', 'application'),
    { key: 'evidence', text: 'What evidence do you have of the change?', type: 'text', required: false, level: 'activation', hint: 'For example pupil work, results, take-up of a club or an option.' },
  ],
};

const ENRICHMENT_FEEDBACK: SurveyInstrument = {
  key: 'enrichment-feedback',
  name: 'Feedback on the enrichment activity',
  version: 1,
  intro: 'Tell us how the activity went for you and your pupils.',
  groups: { agreement: 'How far do you agree with these statements?' },
  scales: SEED_SCALES,
  items: [
    { key: 'satisfaction', text: 'How satisfied were you with the activity overall?', type: 'scale', scale: 'satisfaction', required: true, level: 'reaction' },
    agree('well_organised', 'It was well organised', 'reaction'),
    agree('pupils_engaged', 'Pupils were engaged', 'reaction'),
    agree('pupils_learned', 'Pupils learned something new about STEM', 'learning'),
    agree('careers_awareness', "It raised pupils' awareness of STEM careers", 'activation'),
    agree('would_repeat', 'We would take part again', 'application'),
    { key: 'comments', text: 'Anything else you would like to tell us?', type: 'text', required: false, level: 'reaction' },
  ],
};

export const INSTRUMENT_KEYS = ['cpd-feedback', 'cpd-impact', 'enrichment-feedback'] as const;
export type InstrumentKey = (typeof INSTRUMENT_KEYS)[number];

export const INSTRUMENTS: Record<InstrumentKey, SurveyInstrument> = {
  'cpd-feedback': CPD_FEEDBACK,
  'cpd-impact': CPD_IMPACT,
  'enrichment-feedback': ENRICHMENT_FEEDBACK,
};

export function isInstrumentKey(value: string): value is InstrumentKey {
  return (INSTRUMENT_KEYS as readonly string[]).includes(value);
}

/** The values an item accepts (none for a text item). */
export function itemValues(instrument: SurveyInstrument, item: SurveyItem): Array<{ value: string; label: string }> {
  if (item.type === 'scale') return instrument.scales[item.scale ?? '']?.points ?? [];
  if (item.type === 'choice') return item.options ?? [];
  return [];
}

/** Longest open answer kept: a few paragraphs. */
export const TEXT_ANSWER_MAX = 4000;

export type Answers = Record<string, string>;

/**
 * Checks answers against an instrument: every required item answered, scale and choice
 * answers one of their values, text within length, nothing the instrument does not ask.
 * Returns the cleaned answers (trimmed; blank answers left out) and one problem per field.
 */
export function validateAnswers(instrument: SurveyInstrument, input: Record<string, unknown>): { answers: Answers; problems: FieldProblem[] } {
  const answers: Answers = {};
  const problems: FieldProblem[] = [];
  const known = new Set(instrument.items.map((i) => i.key));
  for (const key of Object.keys(input)) if (!known.has(key)) problems.push({ field: key, message: 'is not a question of this survey' });
  for (const item of instrument.items) {
    const raw = input[item.key];
    if (raw !== undefined && typeof raw !== 'string') {
      problems.push({ field: item.key, message: 'must be a single answer' });
      continue;
    }
    const value = (raw ?? '').trim();
    if (value === '') {
      if (item.required) problems.push({ field: item.key, message: item.type === 'text' ? 'Please write an answer' : 'Please choose an answer' });
      continue;
    }
    if (item.type === 'text') {
      if (value.length > TEXT_ANSWER_MAX) problems.push({ field: item.key, message: `Please keep this to ${TEXT_ANSWER_MAX} characters or fewer` });
      else answers[item.key] = value;
      continue;
    }
    if (!itemValues(instrument, item).some((p) => p.value === value)) problems.push({ field: item.key, message: 'Please choose one of the answers given' });
    else answers[item.key] = value;
  }
  return { answers, problems };
}

/** Checks the instruments themselves: every scale item names a scale, keys are unique. */
export function instrumentProblems(instrument: SurveyInstrument): string[] {
  const problems: string[] = [];
  const keys = new Set<string>();
  for (const item of instrument.items) {
    if (keys.has(item.key)) problems.push(`${instrument.key}: item "${item.key}" appears twice`);
    keys.add(item.key);
    if (item.type === 'scale' && !(item.scale && instrument.scales[item.scale])) problems.push(`${instrument.key}: item "${item.key}" names no known scale`);
    if (item.type === 'choice' && !(item.options && item.options.length > 1)) problems.push(`${instrument.key}: item "${item.key}" has no options`);
    if (item.group && !instrument.groups?.[item.group]) problems.push(`${instrument.key}: item "${item.key}" names no known group`);
  }
  return problems;
}
