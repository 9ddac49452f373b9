import { DEFAULT_WORKFLOW_POLICY } from '../programmes/workflow-policy.js';
import { summariseResponses } from './aggregation.js';
import { INSTRUMENTS, INSTRUMENT_KEYS, instrumentProblems, SEED_SCALES, validateAnswers } from './instruments.js';
import { reminderTimes, surveyLinkExpiry, whyNoReminder } from './invitations.js';

const feedback = INSTRUMENTS['cpd-feedback'];
const complete = {
  satisfaction: 'very_good',
  quality: 'good',
  well_organised: 'agree_strongly',
  relevant: 'agree',
  outcomes_met: 'agree',
  impact_practice: 'agree',
  impact_students: 'disagree',
  share_learning: 'agree',
  subject_knowledge: 'agree_strongly',
  online_resources: 'not_used',
};

describe('survey instruments', () => {
  it.each(INSTRUMENT_KEYS)('%s is well formed: every scale item names a scale, keys are unique, groups exist', (key) => {
    expect(instrumentProblems(INSTRUMENTS[key])).toEqual([]);
  });

  it('carries the seed scales of the post-CPD feedback form, lowest point first', () => {
    expect(SEED_SCALES.satisfaction.points.map((p) => p.label)).toEqual(['Poor', 'Fair', 'Good', 'Very good', 'Excellent']);
    expect(SEED_SCALES.quality.points.map((p) => p.label)).toEqual(['Poor', 'Satisfactory', 'Good', 'Very good']);
    expect(SEED_SCALES.agreement.points.map((p) => p.label)).toEqual(['Disagree strongly', 'Disagree', 'Agree', 'Agree strongly']);
    expect(SEED_SCALES.usefulness.points.map((p) => p.value)).toEqual(['very_useful', 'quite_useful', 'of_little_or_no_use', 'not_used']);
  });

  it('asks the seven agreement statements, the resources question and an open "why useful"', () => {
    expect(feedback.items.filter((i) => i.scale === 'agreement')).toHaveLength(7);
    expect(feedback.items.find((i) => i.key === 'why_useful')).toMatchObject({ type: 'text', required: false });
  });

  it('tags every item with an evaluation level, and the impact survey goes past reaction', () => {
    for (const key of INSTRUMENT_KEYS) for (const item of INSTRUMENTS[key].items) expect(['reaction', 'learning', 'application', 'activation']).toContain(item.level);
    expect(new Set(INSTRUMENTS['cpd-impact'].items.map((i) => i.level))).toEqual(new Set(['application', 'activation', 'learning']));
  });
});

describe('validateAnswers', () => {
  it('accepts a complete form and leaves blank optional answers out', () => {
    expect(validateAnswers(feedback, { ...complete, why_useful: '  ' })).toEqual({ answers: complete, problems: [] });
  });

  it('trims open answers', () => {
    expect(validateAnswers(feedback, { ...complete, why_useful: '  Practical ideas for Monday. ' }).answers.why_useful).toBe('Practical ideas for Monday.');
  });

  it('names each missing required answer, a value off the scale, a repeated field and an unknown question', () => {
    const { satisfaction: _s, ...rest } = complete;
    const { problems } = validateAnswers(feedback, { ...rest, quality: 'superb', relevant: ['agree', 'disagree'], favourite_colour: 'blue' });
    expect(problems).toEqual([
      { field: 'favourite_colour', message: 'is not a question of this survey' },
      { field: 'satisfaction', message: 'Please choose an answer' },
      { field: 'quality', message: 'Please choose one of the answers given' },
      { field: 'relevant', message: 'must be a single answer' },
    ]);
  });

  it('refuses an over-long open answer', () => {
    expect(validateAnswers(feedback, { ...complete, why_useful: 'x'.repeat(4001) }).problems).toEqual([{ field: 'why_useful', message: 'Please keep this to 4000 characters or fewer' }]);
  });

  it('checks choice items against their own options', () => {
    const impact = INSTRUMENTS['cpd-impact'];
    expect(validateAnswers(impact, { used_it: 'regularly', confidence: 'agree', shared: 'disagree' }).problems).toEqual([]);
    expect(validateAnswers(impact, { used_it: 'agree', confidence: 'agree', shared: 'disagree' }).problems).toEqual([{ field: 'used_it', message: 'Please choose one of the answers given' }]);
  });
});

describe('summariseResponses', () => {
  it('counts each scale point in order with its share of those who answered, and keeps open answers without names', () => {
    const items = summariseResponses(feedback, [
      { ...complete, why_useful: 'Hands-on' },
      { ...complete, satisfaction: 'excellent' },
      { ...complete, satisfaction: 'excellent', why_useful: 'Met other teachers' },
    ]);
    const satisfaction = items.find((i) => i.key === 'satisfaction')!;
    expect(satisfaction).toMatchObject({ answered: 3, level: 'reaction', scale: 'satisfaction' });
    expect(satisfaction.distribution.map((d) => [d.value, d.count, d.percent])).toEqual([
      ['poor', 0, 0],
      ['fair', 0, 0],
      ['good', 0, 0],
      ['very_good', 1, 33.3],
      ['excellent', 2, 66.7],
    ]);
    expect(items.find((i) => i.key === 'why_useful')).toMatchObject({ answered: 2, distribution: [], texts: ['Hands-on', 'Met other teachers'] });
  });

  it('gives zeroes, not errors, when nobody has answered', () => {
    expect(summariseResponses(feedback, []).every((i) => i.answered === 0 && i.distribution.every((d) => d.percent === 0))).toBe(true);
  });
});

describe('survey timings', () => {
  const invited = new Date('2027-02-10T10:00:00Z');
  const day = 86_400_000;
  const surveys = DEFAULT_WORKFLOW_POLICY.surveys;

  it('plans reminders after reminderAfterDays, then every reminderGapDays, maxReminders at most', () => {
    const closes = new Date(invited.getTime() + 30 * day);
    expect(reminderTimes(invited, closes, { ...surveys, reminderAfterDays: 3, reminderGapDays: 4, maxReminders: 3 }).map((d) => d.toISOString())).toEqual([
      '2027-02-13T10:00:00.000Z',
      '2027-02-17T10:00:00.000Z',
      '2027-02-21T10:00:00.000Z',
    ]);
    expect(reminderTimes(invited, closes, { ...surveys, maxReminders: 0 })).toEqual([]);
  });

  it('plans no reminder at or after the survey closes', () => {
    expect(reminderTimes(invited, new Date(invited.getTime() + 7 * day), { ...surveys, reminderAfterDays: 3, reminderGapDays: 4, maxReminders: 5 })).toHaveLength(1);
  });

  it('a link lasts a week at most, and never past the close', () => {
    expect(surveyLinkExpiry(invited, new Date(invited.getTime() + 14 * day))).toEqual(new Date(invited.getTime() + 7 * day));
    expect(surveyLinkExpiry(invited, new Date(invited.getTime() + 2 * day))).toEqual(new Date(invited.getTime() + 2 * day));
  });

  it('says why a reminder should not go', () => {
    const open = { status: 'invited' as const, expiresAt: new Date(invited.getTime() + day) };
    const person = { consentToContact: true, email: 'a@b.example' };
    expect(whyNoReminder(open, person, invited)).toBeNull();
    expect(whyNoReminder({ ...open, status: 'responded' }, person, invited)).toBe('the person has responded');
    expect(whyNoReminder(open, person, new Date(invited.getTime() + day))).toBe('the invitation has expired');
    expect(whyNoReminder(open, { ...person, consentToContact: false }, invited)).toBe('the person has withdrawn consent to be contacted');
  });
});
