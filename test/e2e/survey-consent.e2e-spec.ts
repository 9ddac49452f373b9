import { randomUUID } from 'node:crypto';
import { eventually, TestPlatform } from '../support/platform.js';
import { buildProgramme, type ProgrammeFixture } from '../support/programme.js';

/**
 * Consent by purpose, through the public API and the real worker: evaluation surveys rest on
 * the programme's legitimate interest, so someone with nothing recorded is asked after
 * attending; someone who objected is not, and the survey they were not sent is a skipped
 * ledger row with its reason; news and marketing need an explicit yes; and the response
 * rate counts, and explains, who was not asked.
 */
describe('survey consent by purpose', () => {
  let platform: TestPlatform;
  let fixture: ProgrammeFixture;
  const person: Record<'quiet' | 'objector' | 'noEmail', { id: string; email: string | null }> = {} as never;

  const ok = async (method: string, path: string, body?: unknown) => {
    const answer = await platform.http(method, path, body);
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
    return answer.body;
  };
  const moveClock = (iso: string) => ok('POST', '/api/v1/admin/clock', { now: iso });
  const surveys = (p: { consents: Array<{ purpose: string }> }) => p.consents.find((c) => c.purpose === 'surveys');

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'survey-consent', env: { CLOCK: 'virtual' } });
    await moveClock('2027-03-01T10:00:00Z');
    fixture = await buildProgramme(platform, { name: 'Consent', schools: 1, urnBase: 953_000 });
    const add = async (name: string, extra: Record<string, unknown>) =>
      ok('POST', '/api/v1/people', { schoolId: fixture.schoolIds[0], name, role: 'teacher', slt: false, subjectSpecialism: 'science', careerStage: 'experienced', ...extra });
    // Nothing said about surveys: the API client leaves consentToContact out, as most do.
    const quiet = await add('Quinn Quiet', { email: 'quinn.quiet@consent.example.org' });
    const objector = await add('Olu Objects', { email: 'olu.objects@consent.example.org', consentToContact: false });
    const noEmail = await add('Nell Noaddress', {});
    Object.assign(person, { quiet: { id: quiet.id, email: quiet.email }, objector: { id: objector.id, email: objector.email }, noEmail: { id: noEmail.id, email: null } });

    const course = await ok('POST', '/api/v1/courses', { programmeId: fixture.programmeId, title: 'Electricity made visible', subject: 'science', format: 'local', hours: 6, costPence: 0 });
    const session = await ok('POST', `/api/v1/courses/${course.id}/sessions`, { startsAt: '2027-03-02T09:30:00Z', endsAt: '2027-03-02T15:30:00Z', venue: 'Hub school', capacity: 20 });
    const bookings: string[] = [];
    for (const p of Object.values(person)) bookings.push((await ok('POST', `/api/v1/sessions/${session.id}/bookings`, { personId: p.id })).id);
    await moveClock('2027-03-02T16:00:00Z');
    await ok('POST', `/api/v1/sessions/${session.id}/register`, { attended: bookings, noShow: [] });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it("answers each person's standing per purpose, with its lawful basis and when and how it was recorded", async () => {
    const quiet = await ok('GET', `/api/v1/people/${person.quiet.id}`);
    expect(quiet.consentToContact).toBe(true);
    expect(surveys(quiet)).toMatchObject({ granted: true, basis: 'legitimate_interests', alternativeBasis: 'public_task', byDefault: true, since: null, how: null });
    expect(quiet.consents.map((c: { purpose: string; granted: boolean; basis: string }) => [c.purpose, c.granted, c.basis])).toEqual([
      ['programme_communications', true, 'legitimate_interests'],
      ['surveys', true, 'legitimate_interests'],
      ['news', false, 'consent'],
      ['data_sharing', false, 'consent'],
    ]);
    const objector = await ok('GET', `/api/v1/people/${person.objector.id}`);
    expect(objector.consentToContact).toBe(false);
    expect(surveys(objector)).toMatchObject({ granted: false, byDefault: false, how: 'api', since: '2027-03-01T10:00:00.000Z' });
    const listed = await ok('GET', `/api/v1/people?schoolId=${fixture.schoolIds[0]}`);
    expect(surveys(listed.items.find((p: { id: string }) => p.id === person.objector.id))).toMatchObject({ granted: false });
    // A yes sent later for someone with nothing recorded is their answer from then on, though the column already said true.
    const agreed = await ok('PATCH', `/api/v1/people/${person.noEmail.id}`, { consentToContact: true });
    expect(surveys(agreed)).toMatchObject({ granted: true, byDefault: false, how: 'api', since: '2027-03-02T16:00:00.000Z' });
  });

  it('sends the feedback survey after attendance to someone with nothing recorded, telling them how to object', async () => {
    const email = await eventually(async () => {
      const found = platform.catcher.messages.filter((m) => m.to.includes(person.quiet.email!) && m.subject.startsWith('Feedback on your CPD'));
      expect(found).toHaveLength(1);
      return found[0];
    });
    expect(email.subject).toBe('Feedback on your CPD: Electricity made visible');
    expect(email.text).toContain('If you would rather not be asked for surveys like this, use "Stop these emails"');
  });

  it('does not send it to someone who objected: their survey is a skipped ledger row with its reason, through the API', async () => {
    const skipped = await eventually(async () => {
      const page = await ok('GET', `/api/v1/notifications?recipient=${encodeURIComponent(person.objector.email!)}&status=skipped`);
      expect(page.items).toHaveLength(1);
      return page.items[0];
    });
    expect(skipped).toMatchObject({ kind: 'survey.invitation', status: 'skipped', skipReason: 'the recipient objected to evaluation surveys', sentAt: null });
    expect(await ok('GET', `/api/v1/notifications/${skipped.id}`)).toMatchObject({ skipReason: 'the recipient objected to evaluation surveys', attempts: [] });
    const byReason = await ok('GET', '/api/v1/notifications?status=skipped&skipReason=OBJECTED');
    expect(byReason.items.map((n: { id: string }) => n.id)).toEqual([skipped.id]);
    // Service messages still go: their booking was confirmed, whatever they said about surveys.
    const theirs = platform.catcher.messages.filter((m) => m.to.includes(person.objector.email!)).map((m) => m.subject);
    expect(theirs).toEqual(['Your place is confirmed: Electricity made visible, Tue 2 Mar']);
    expect(await platform.count(`survey_invitations WHERE person_id = '${person.objector.id}'`)).toBe(0);
    // Their subject-access export says which survey they were not asked to take, and why.
    const exported = await ok('GET', `/api/v1/people/${person.objector.id}/export`);
    expect(exported.surveysNotAsked).toEqual([expect.objectContaining({ instrument_key: 'cpd-feedback', reason: 'objected', notification_id: skipped.id })]);
    expect(exported.consents.current.find((c: { purpose: string }) => c.purpose === 'surveys')).toMatchObject({ granted: false, basis: 'legitimate_interests' });
  });

  it('counts and explains in the response rate who was not asked and why', async () => {
    await eventually(async () => expect(await platform.count('outbox_events WHERE handled_at IS NULL')).toBe(0));
    const figure = await ok('GET', `/api/v1/reports/survey-response-rates?programmeId=${fixture.programmeId}`);
    expect(figure.definition).toContain('Not asked: participants who were not sent the survey, and why: they had objected to evaluation surveys');
    const course = figure.rows.find((r: Record<string, unknown>) => r.survey === 'Feedback on your CPD' && r.course === 'Electricity made visible');
    expect(course).toEqual({
      cohort: 'Wave 1',
      survey: 'Feedback on your CPD',
      course: 'Electricity made visible',
      invited: 1,
      responded: 0,
      responseRatePercent: 0,
      notAsked: 2,
      notAskedObjected: 1,
      notAskedNoEmail: 1,
      notAskedNotSent: 0,
    });
  });

  it('refuses news and marketing without an explicit yes, and sends for it only after one', async () => {
    const consents = await ok('GET', `/api/v1/people/${person.quiet.id}/consents`);
    expect(consents.current.find((c: { purpose: string }) => c.purpose === 'news')).toMatchObject({ granted: false, basis: 'consent', byDefault: true });
    // No news email is built yet: two are decided here as one would be, straight into the ledger, for the worker's sender to check.
    const plant = async (email: string) => {
      const id = randomUUID();
      await platform.query(
        `INSERT INTO notifications (id, idempotency_key, kind, recipient_email, recipient_name, data, status, not_before, attempt_count, message_id, priority, created_at, updated_at)
         VALUES ($1, $2, 'news.programme_update', $3, NULL, '{}', 'queued', '2027-03-02T16:05:00Z', 0, $4, 9, '2027-03-02T16:01:00Z', '2027-03-02T16:01:00Z')`,
        [id, `news:${id}`, email, `<${id}@stemflow.notifications>`],
      );
      return id;
    };
    const noYes = await plant(person.quiet.email!);
    const yes = (await ok('POST', '/api/v1/people', { schoolId: fixture.schoolIds[0], name: 'Yas Yes', email: 'yas.yes@consent.example.org', role: 'teacher' })).email;
    await ok('POST', `/api/v1/people/${(await ok('GET', `/api/v1/people?schoolId=${fixture.schoolIds[0]}`)).items.find((p: { email: string }) => p.email === yes).id}/consents`, {
      purpose: 'news',
      granted: true,
      how: 'page',
    });
    const withYes = await plant(yes);
    await moveClock('2027-03-02T16:10:00Z');
    await eventually(async () => {
      expect(await ok('GET', `/api/v1/notifications/${noYes}`)).toMatchObject({
        status: 'skipped',
        skipReason: 'the recipient has not said yes to news and marketing (it needs their explicit consent)',
      });
      // Past the consent check, it stops only for want of a template.
      expect(await ok('GET', `/api/v1/notifications/${withYes}`)).toMatchObject({ status: 'failed', skipReason: null, lastError: 'no template for notification kind "news.programme_update"' });
    });
  });

  it('takes "Stop these emails" in a survey email as an objection to evaluation surveys, for every survey to come', async () => {
    const email = platform.catcher.messages.find((m) => m.to.includes(person.quiet.email!) && m.subject.startsWith('Feedback on your CPD'))!;
    const link = email.text.match(/https?:\/\/\S+\/u\/[A-Za-z0-9_-]+/)?.[0];
    expect(link).toBeDefined();
    const stopped = await fetch(link!, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: platform.baseUrl }, body: '' });
    expect(stopped.status).toBe(200);
    const quiet = await ok('GET', `/api/v1/people/${person.quiet.id}`);
    expect(quiet.consentToContact).toBe(false);
    expect(surveys(quiet)).toMatchObject({ granted: false, byDefault: false, how: 'page' });
  });
});
