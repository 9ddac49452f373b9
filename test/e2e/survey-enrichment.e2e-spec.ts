import { linkIn } from '../support/browser.js';
import { eventually, TestPlatform } from '../support/platform.js';
import { addTeacher, buildProgramme } from '../support/programme.js';

/**
 * Feedback on an enrichment event: staff of the schools that took part are asked through
 * the API, each gets one invitation however often it is asked, and the answer is stored
 * against the person, the event and the school.
 */
describe('enrichment feedback', () => {
  let platform: TestPlatform;
  let eventId: string;
  let staff: { id: string; email: string };
  let noConsent: { id: string };
  let elsewhere: { id: string };
  let schoolId: string;

  const ok = async (method: string, path: string, body?: unknown) => {
    const answer = await platform.http(method, path, body);
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
    return answer.body;
  };

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'survey-enrichment' });
    const fixture = await buildProgramme(platform, { name: 'Enrichment Feedback', schools: 2, urnBase: 950_000 });
    schoolId = fixture.schoolIds[0];
    staff = await addTeacher(platform, schoolId, 1);
    noConsent = await addTeacher(platform, schoolId, 2, { consentToContact: false });
    elsewhere = await addTeacher(platform, fixture.schoolIds[1], 3);
    eventId = (
      await ok('POST', '/api/v1/enrichment-events', {
        programmeId: fixture.programmeId,
        type: 'stem_club',
        title: 'Year 6 rocket day',
        occursOn: '2026-11-20',
        hostSchoolId: schoolId,
        schoolIds: [schoolId],
        audience: { pupils: 60, parents: 4, staff: 3, otherSchools: 0 },
        keyStages: ['ks2'],
      })
    ).id;
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('refuses people from schools that did not take part, and changes nothing', async () => {
    const refused = await platform.http('POST', `/api/v1/enrichment-events/${eventId}/feedback-invitations`, { personIds: [staff.id, elsewhere.id] });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ field: 'personIds', message: expect.stringContaining('is not at a school that took part') }]);
    expect(await platform.count('survey_invitations')).toBe(0);
  });

  it('invites the staff who took part once, names who was not invited and why, and stores the answer against person, event and school', async () => {
    const answer = await ok('POST', `/api/v1/enrichment-events/${eventId}/feedback-invitations`, { personIds: [staff.id, noConsent.id] });
    expect(answer).toEqual({ enrichmentEventId: eventId, invited: 1, skipped: [{ personId: noConsent.id, reason: 'has not agreed to be contacted' }] });
    await ok('POST', `/api/v1/enrichment-events/${eventId}/feedback-invitations`, { personIds: [staff.id] });
    const email = await eventually(async () => {
      const found = platform.catcher.messages.filter((m) => m.to.includes(staff.email));
      expect(found).toHaveLength(1);
      return found[0];
    });
    expect(email.subject).toBe('Feedback on the enrichment activity: Year 6 rocket day');
    await eventually(async () => expect(await platform.count('outbox_events WHERE handled_at IS NULL')).toBe(0));
    expect(await platform.count('survey_invitations')).toBe(1);

    const link = linkIn(email, 's');
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Year 6 rocket day');
    const form = new URLSearchParams({
      satisfaction: 'very_good',
      well_organised: 'agree',
      pupils_engaged: 'agree_strongly',
      pupils_learned: 'agree',
      careers_awareness: 'disagree',
      would_repeat: 'agree_strongly',
      comments: 'The pupils loved the launch.',
    });
    const posted = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: platform.baseUrl }, body: form.toString() });
    expect(posted.status).toBe(200);
    const [response] = await platform.query(`SELECT r.person_id, r.school_id, r.enrichment_event_id, r.answers FROM survey_responses r`);
    expect(response).toMatchObject({ person_id: staff.id, school_id: schoolId, enrichment_event_id: eventId, answers: expect.objectContaining({ pupils_engaged: 'agree_strongly' }) });
  });
});
