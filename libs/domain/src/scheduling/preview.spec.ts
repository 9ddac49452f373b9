import { ENGLAND } from '../calendars/builtin-calendars.js';
import { scheduleChanges, scheduleWarnings, type ScheduleEntry } from './preview.js';
import { ScheduledActionKinds } from './schedule.js';

const entry = (actionId: string, dueAt: string, extra: Partial<ScheduleEntry> = {}): ScheduleEntry => ({
  actionId,
  kind: ScheduledActionKinds.SendReminder,
  dueAt,
  status: 'planned',
  recipient: 'stem.lead@school.example.org',
  why: 'a reminder',
  subject: { type: 'booking', id: 'b1' },
  ruleId: 'session-day-before',
  policyVersion: 1,
  reason: null,
  deadlineAt: null,
  ...extra,
});

describe('a schedule preview', () => {
  const context = { calendar: ENGLAND, partnershipsWithoutLead: new Set(['p-without-lead']), teamEmail: null };

  it('flags an email with nobody to send it to', () => {
    expect(scheduleWarnings(entry('a', '2027-01-10T09:00:00Z', { recipient: null }), context)).toEqual(['no_recipient']);
    expect(scheduleWarnings(entry('a', '2027-01-10T09:00:00Z'), context)).toEqual([]);
    const overdue = { kind: ScheduledActionKinds.SelfEvaluationOverdueNotice, recipient: null };
    expect(scheduleWarnings(entry('b', '2027-01-10T09:00:00Z', { ...overdue, subject: { type: 'partnership', id: 'p-without-lead' } }), context)).toEqual(['no_recipient']);
    expect(scheduleWarnings(entry('b', '2027-01-10T09:00:00Z', { ...overdue, subject: { type: 'partnership', id: 'p-with-lead' } }), context)).toEqual([]);
    const escalation = entry('c', '2027-01-10T09:00:00Z', { kind: ScheduledActionKinds.AmbassadorEscalation, recipient: null });
    expect(scheduleWarnings(escalation, context)).toEqual(['no_recipient']);
    expect(scheduleWarnings(escalation, { ...context, teamEmail: 'team@example.org' })).toEqual([]);
  });

  it("flags a deadline on a day the cohort's calendar has no school (half-term, in London's day)", () => {
    const invitation = (deadlineAt: string) => entry('d', '2027-01-10T09:00:00Z', { kind: ScheduledActionKinds.OpenSelfEvaluation, deadlineAt });
    expect(scheduleWarnings(invitation('2027-02-16T16:00:00Z'), context)).toEqual(['deadline_not_a_school_day']);
    expect(scheduleWarnings(invitation('2027-02-10T16:00:00Z'), context)).toEqual([]);
    // 23:30 on Sunday 14 February in UTC is still Sunday in London; 23:30 BST on a Friday in June is Friday.
    expect(scheduleWarnings(invitation('2027-02-14T23:30:00Z'), context)).toEqual(['deadline_not_a_school_day']);
    expect(scheduleWarnings(invitation('2027-06-10T22:30:00Z'), context)).toEqual([]);
  });

  it('names what a change adds, moves and drops, matching entries by their action', () => {
    const before = [entry('kept', '2027-01-10T09:00:00Z'), entry('moved', '2027-01-11T09:00:00Z'), entry('dropped', '2027-01-12T09:00:00Z')];
    const after = [entry('kept', '2027-01-10T09:00:00Z'), entry('moved', '2027-01-09T09:00:00Z'), entry('added', '2027-01-13T09:00:00Z')];
    const changes = scheduleChanges(before, after);
    expect(changes.added.map((e) => e.actionId)).toEqual(['added']);
    expect(changes.moved.map((e) => [e.actionId, e.from, e.dueAt])).toEqual([['moved', '2027-01-11T09:00:00Z', '2027-01-09T09:00:00Z']]);
    expect(changes.dropped.map((e) => e.actionId)).toEqual(['dropped']);
  });
});
