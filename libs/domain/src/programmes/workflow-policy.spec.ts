import { DEFAULT_WORKFLOW_POLICY, ruleOffsetMs, validateWorkflowPolicy } from './workflow-policy.js';

describe('a workflow policy', () => {
  it('fills what is left out from the defaults', () => {
    expect(validateWorkflowPolicy({})).toEqual({ ok: true, policy: DEFAULT_WORKFLOW_POLICY });
    const result = validateWorkflowPolicy({ version: 2, cpd: { offerHours: 24 }, sendWindow: { opens: '08:30' } });
    expect(result.ok && result.policy).toMatchObject({ version: 2, cpd: { offerHours: 24 }, sendWindow: { opens: '08:30', closes: '16:30' } });
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
