import { DEFAULT_WORKFLOW_POLICY, mergeWorkflowPolicy, policyWithDefaults, ruleOffsetMs, validateWorkflowPolicy } from './workflow-policy.js';

describe('a workflow policy', () => {
  it('fills what is left out from the defaults', () => {
    expect(validateWorkflowPolicy({})).toEqual({ ok: true, policy: DEFAULT_WORKFLOW_POLICY });
    const result = validateWorkflowPolicy({ version: 2, cpd: { offerHours: 24 }, sendWindow: { opens: '08:30' } });
    expect(result.ok && result.policy).toMatchObject({ version: 2, cpd: { offerHours: 24 }, sendWindow: { opens: '08:30', closes: '16:30' } });
  });

  it("checks each workflow section's settings and fills the ones left out", () => {
    const result = validateWorkflowPolicy({ selfEvaluation: { deadlineDays: 21 }, ambassadors: { waveSize: 0, colour: 'red' }, surveys: 'weekly' });
    expect(!result.ok && result.problems.map((p) => p.field)).toEqual(['workflowPolicy.surveys', 'workflowPolicy.ambassadors.colour', 'workflowPolicy.ambassadors.waveSize']);
    const valid = validateWorkflowPolicy({ selfEvaluation: { deadlineDays: 21 } });
    expect(valid.ok && valid.policy.selfEvaluation).toEqual({ inviteAfterDays: 3, deadlineDays: 21, overdueNoticeAfterDays: 1 });
  });

  it('changes only the settings a change names, keeping every other stored setting (not the default)', () => {
    const stored = {
      ...DEFAULT_WORKFLOW_POLICY,
      version: 4,
      sendWindow: { opens: '08:00', closes: '15:00' },
      cpd: { offerHours: 24 },
      surveys: { ...DEFAULT_WORKFLOW_POLICY.surveys, maxReminders: 0 },
    };
    const merged = validateWorkflowPolicy(mergeWorkflowPolicy(stored, { sendWindow: { closes: '17:00' }, surveys: { feedbackOpenDays: 7 } }));
    expect(merged.ok && merged.policy).toEqual({ ...stored, sendWindow: { opens: '08:00', closes: '17:00' }, surveys: { ...stored.surveys, feedbackOpenDays: 7 } });
    const rules = mergeWorkflowPolicy(stored, { reminders: [DEFAULT_WORKFLOW_POLICY.reminders[0]] });
    expect(rules.reminders).toEqual([DEFAULT_WORKFLOW_POLICY.reminders[0]]);
    // What does not fit is left for the check to name.
    const wrong = validateWorkflowPolicy(mergeWorkflowPolicy(stored, { cpd: 'soon', colour: 'red' }));
    expect(!wrong.ok && wrong.problems.map((p) => p.field)).toEqual(['workflowPolicy.colour', 'workflowPolicy.cpd']);
  });

  it("gives a stored policy from before a section existed that section's defaults", () => {
    const { selfEvaluation, surveys, ambassadors, ...older } = DEFAULT_WORKFLOW_POLICY;
    expect(policyWithDefaults({ ...older, cpd: { offerHours: 12 } })).toEqual({ ...DEFAULT_WORKFLOW_POLICY, cpd: { offerHours: 12 } });
    expect([selfEvaluation, surveys, ambassadors].every(Boolean)).toBe(true);
  });

  it('names every problem with its path', () => {
    const result = validateWorkflowPolicy({
      colour: 'blue',
      sendWindow: { opens: '17:00', closes: '09:00' },
      reminders: [
        { id: 'a', anchor: 'whenever', offset: -1, unit: 'weeks', recipients: 'everyone', template: 'x', maxSends: 3 },
        { id: 'a', anchor: 'term_start', offset: 3, unit: 'days', recipients: 'school_contact', template: 'school.term_start' },
      ],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.field)).toEqual([
      'workflowPolicy.colour',
      'workflowPolicy.sendWindow',
      'workflowPolicy.reminders[0].anchor',
      'workflowPolicy.reminders[0].offset',
      'workflowPolicy.reminders[0].unit',
      'workflowPolicy.reminders[0].recipients',
      'workflowPolicy.reminders[0].template',
      'workflowPolicy.reminders[0].minGapHours',
      'workflowPolicy.reminders[1].id',
    ]);
  });

  it('counts before-anchors back and the others forward, spacing repeats by the gap', () => {
    const [weekBefore] = DEFAULT_WORKFLOW_POLICY.reminders;
    expect(ruleOffsetMs(weekBefore)).toBe(-7 * 86_400_000);
    const nudge = { ...weekBefore, anchor: 'term_start' as const, offset: 3, maxSends: 3, minGapHours: 48 };
    expect(ruleOffsetMs(nudge, 2)).toBe(3 * 86_400_000 + 96 * 3_600_000);
  });
});
