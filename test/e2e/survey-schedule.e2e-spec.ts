import { linkIn } from '../support/browser.js';
import { eventually, TestPlatform } from '../support/platform.js';
import { addTeacher, buildProgramme } from '../support/programme.js';

const DAY = 86_400_000;

/**
 * Post-CPD surveys on the virtual clock: reminders go only to non-responders, no more than
 * the cohort's cap and at least its gap apart; someone who withdraws consent after the
 * reminders were planned gets none; the impact survey follows about a term later, in the
 * school-day send window.
 */
describe('survey reminders and the impact survey', () => {
  let platform: TestPlatform;
  const teachers: Record<'answers' | 'silent' | 'withdraws', { id: string; email: string }> = {} as never;
  let cohortId: string;
  const policy = { surveys: { feedbackOpenDays: 14, reminderAfterDays: 3, reminderGapDays: 4, maxReminders: 2, impactAfterDays: 30, impactOpenDays: 21 } };

  const ok = async (method: string, path: string, body?: unknown) => {
    const answer = await platform.http(method, path, body);
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
    return answer.body;
  };
  const moveClock = (iso: string) => ok('POST', '/api/v1/admin/clock', { now: iso });
  const mailTo = (email: string, subject: string) => platform.catcher.messages.filter((m) => m.to.includes(email) && m.subject.startsWith(subject));
  const remindersOf = (personId: string) =>
    platform.query(
      `SELECT a.key, a.status, a.reason FROM scheduled_actions a JOIN survey_invitations i ON i.id = a.subject_id
        WHERE a.kind = 'survey.remind' AND i.person_id = $1 AND i.instrument_key = 'cpd-feedback' ORDER BY a.due_at`,
      [personId],
    );

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'survey-schedule', env: { CLOCK: 'virtual' } });
    await moveClock('2027-03-01T10:00:00Z');
    const fixture = await buildProgramme(platform, { name: 'Survey Schedule', schools: 2, urnBase: 940_000, workflowPolicy: policy });
    cohortId = fixture.cohortId;
    teachers.answers = await addTeacher(platform, fixture.schoolIds[0], 1);
    teachers.silent = await addTeacher(platform, fixture.schoolIds[0], 2);
    teachers.withdraws = await addTeacher(platform, fixture.schoolIds[1], 3);
    const course = await ok('POST', '/api/v1/courses', { programmeId: fixture.programmeId, title: 'Teaching electricity', subject: 'science', format: 'local', hours: 5, costPence: 0 });
    const session = await ok('POST', `/api/v1/courses/${course.id}/sessions`, { startsAt: '2027-03-02T09:30:00Z', endsAt: '2027-03-02T15:30:00Z', venue: 'Hub school', capacity: 10 });
    const bookings = [];
    for (const t of Object.values(teachers)) bookings.push((await ok('POST', `/api/v1/sessions/${session.id}/bookings`, { personId: t.id })).id);
    await moveClock('2027-03-02T16:00:00Z');
    await ok('POST', `/api/v1/sessions/${session.id}/register`, { attended: bookings, noShow: [] });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it("invites all three at once and plans each the cohort's two reminders, four days apart", async () => {
    await eventually(async () => {
      for (const t of Object.values(teachers)) expect(mailTo(t.email, 'Feedback on your CPD: Teaching electricity')).toHaveLength(1);
    });
    const planned = await platform.query(`SELECT due_at FROM scheduled_actions WHERE kind = 'survey.remind' ORDER BY due_at`);
    expect(new Set(planned.map((r) => new Date(r.due_at).toISOString()))).toEqual(new Set(['2027-03-05T16:00:00.000Z', '2027-03-09T16:00:00.000Z']));
    expect(planned).toHaveLength(6);
  });

  it('one answers; another withdraws consent, which the people API shows', async () => {
    const link = linkIn(mailTo(teachers.answers.email, 'Feedback on your CPD')[0], 's');
    const answers = {
      satisfaction: 'excellent',
      quality: 'very_good',
      well_organised: 'agree',
      relevant: 'agree',
      outcomes_met: 'agree',
      impact_practice: 'agree_strongly',
      impact_students: 'agree',
      share_learning: 'agree',
      subject_knowledge: 'agree',
      online_resources: 'very_useful',
    };
    const sent = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: platform.baseUrl }, body: new URLSearchParams(answers).toString() });
    expect(sent.status).toBe(200);
    expect(await sent.text()).toContain('Your answers are saved.');
    await ok('PATCH', `/api/v1/people/${teachers.withdraws.id}`, { consentToContact: false });
    expect((await ok('GET', `/api/v1/people/${teachers.withdraws.id}`)).consentToContact).toBe(false);
  });

  it("reminds only the non-responder, with a fresh link that opens the survey; the others' reminders are superseded with the reason", async () => {
    await moveClock('2027-03-05T16:05:00Z');
    const [reminder] = await eventually(async () => {
      const caught = mailTo(teachers.silent.email, 'Reminder: Feedback on your CPD');
      expect(caught).toHaveLength(1);
      return caught;
    });
    const fresh = linkIn(reminder, 's');
    expect(fresh).not.toBe(linkIn(mailTo(teachers.silent.email, 'Feedback on your CPD')[0], 's'));
    expect((await fetch(fresh)).status).toBe(200);
    await eventually(async () => {
      expect((await remindersOf(teachers.answers.id))[0]).toMatchObject({ status: 'superseded', reason: 'the person has responded' });
      expect((await remindersOf(teachers.withdraws.id))[0]).toMatchObject({ status: 'superseded', reason: 'the person has withdrawn consent to be contacted' });
    });
  });

  it('sends the second reminder after the gap, then no more: the cap holds', async () => {
    await moveClock('2027-03-09T16:05:00Z');
    await eventually(async () => expect(mailTo(teachers.silent.email, 'Reminder: Feedback on your CPD')).toHaveLength(2));
    await moveClock('2027-03-20T10:00:00Z');
    await eventually(async () => {
      for (const t of [teachers.answers, teachers.withdraws]) expect((await remindersOf(t.id)).map((r) => r.status)).toEqual(['superseded', 'superseded']);
      expect((await remindersOf(teachers.silent.id)).map((r) => r.status)).toEqual(['done', 'done']);
    });
    const sent = await platform.query(`SELECT not_before FROM notifications WHERE kind = 'survey.reminder' ORDER BY not_before`);
    expect(sent).toHaveLength(2);
    expect(new Date(sent[1].not_before).getTime() - new Date(sent[0].not_before).getTime()).toBeGreaterThanOrEqual(4 * DAY);
    expect(await platform.query(`SELECT reminders_sent FROM survey_invitations WHERE person_id = $1`, [teachers.silent.id])).toEqual([{ reminders_sent: 2 }]);
    expect(mailTo(teachers.answers.email, 'Reminder')).toHaveLength(0);
    expect(mailTo(teachers.withdraws.email, 'Reminder')).toHaveLength(0);
  });

  it('invites to the impact survey about impactAfterDays later, in the school-day window, and not the person without consent', async () => {
    // Thirty days after attendance falls in the Easter holidays: the invitation waits for the summer term's first morning.
    await moveClock('2027-04-01T16:05:00Z');
    await eventually(async () => {
      const actions = await platform.query(
        `SELECT b.person_id, a.status, a.reason, a.due_at FROM scheduled_actions a JOIN cpd_bookings b ON b.id = a.subject_id WHERE a.kind = 'survey.invite_impact'`,
      );
      expect(actions).toHaveLength(3);
      for (const a of actions) expect(new Date(a.due_at).toISOString()).toBe('2027-04-01T16:00:00.000Z');
      expect(actions.find((a) => a.person_id === teachers.withdraws.id)).toMatchObject({ status: 'superseded', reason: 'the person has not agreed to be contacted' });
      expect(actions.filter((a) => a.status === 'done')).toHaveLength(2);
    });
    // The person who objected is in the ledger too, as a survey not sent, with the reason.
    const notAsked = await platform.query(
      `SELECT recipient_email, skip_reason FROM notifications WHERE kind = 'survey.invitation' AND status = 'skipped' AND data->>'surveyName' = 'What difference has your CPD made?'`,
    );
    expect(notAsked).toEqual([{ recipient_email: teachers.withdraws.email, skip_reason: 'the recipient objected to evaluation surveys' }]);
    const held = await platform.query(
      `SELECT recipient_email, not_before, status FROM notifications WHERE kind = 'survey.invitation' AND status <> 'skipped' AND data->>'surveyName' = 'What difference has your CPD made?'`,
    );
    expect(held.map((n) => n.recipient_email).sort()).toEqual([teachers.answers.email, teachers.silent.email].sort());
    for (const n of held) expect(new Date(n.not_before).toISOString()).toBe('2027-04-12T08:00:00.000Z');
    await moveClock('2027-04-12T08:05:00Z');
    await eventually(async () => {
      expect(mailTo(teachers.answers.email, 'What difference has your CPD made?: Teaching electricity')).toHaveLength(1);
      expect(mailTo(teachers.silent.email, 'What difference has your CPD made?: Teaching electricity')).toHaveLength(1);
    });
    expect(mailTo(teachers.withdraws.email, 'What difference')).toHaveLength(0);
    const [impact] = await platform.query(`SELECT instrument_key, opens_at, expires_at FROM survey_invitations WHERE instrument_key = 'cpd-impact' AND person_id = $1`, [teachers.silent.id]);
    expect(new Date(impact.expires_at).toISOString()).toBe('2027-05-03T08:00:00.000Z');
  });

  it("moves the reminders still to come when the cohort's policy changes, and leaves those sent alone", async () => {
    const impactReminders = () =>
      platform.query(
        `SELECT a.due_at, a.status, a.policy_version FROM scheduled_actions a JOIN survey_invitations i ON i.id = a.subject_id
        WHERE a.kind = 'survey.remind' AND i.person_id = $1 AND i.instrument_key = 'cpd-impact' AND a.status = 'planned' ORDER BY a.due_at`,
        [teachers.silent.id],
      );
    // Invited on the summer term's first morning: three days, then four more.
    expect((await impactReminders()).map((r) => new Date(r.due_at).toISOString())).toEqual(['2027-04-15T08:00:00.000Z', '2027-04-19T08:00:00.000Z']);
    await ok('PATCH', `/api/v1/cohorts/${cohortId}`, { workflowPolicy: { surveys: { ...policy.surveys, reminderAfterDays: 5 } } });
    const moved = await impactReminders();
    expect(moved.map((r) => new Date(r.due_at).toISOString())).toEqual(['2027-04-17T08:00:00.000Z', '2027-04-21T08:00:00.000Z']);
    expect(moved.every((r) => r.policy_version === 2)).toBe(true);
    // The feedback survey's reminders already sent stay sent.
    expect((await remindersOf(teachers.silent.id)).map((r) => r.status)).toEqual(['done', 'done']);
  });
});
