import { eventually, TestPlatform } from '../support/platform.js';
import { addTeacher, buildProgramme, type ProgrammeFixture } from '../support/programme.js';

/** The records a programme runs on, through the API: KPIs, school history, budgets, enrichment, the timeline. */
describe('programme records', () => {
  let platform: TestPlatform;
  let programme: ProgrammeFixture;

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'programme-records' });
    programme = await buildProgramme(platform, { name: 'Records', schools: 3, urnBase: 400_000, budgetPounds: 250 });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('counts complete participant records for the KPI and says what is missing per school', async () => {
    const [a, b] = programme.schoolIds;
    await addTeacher(platform, a, 1);
    await addTeacher(platform, a, 2, { careerStage: undefined, slt: undefined });
    await addTeacher(platform, b, 3, { subjectSpecialism: undefined });
    const kpis = (await platform.http('GET', `/api/v1/programmes/${programme.programmeId}/kpis`)).body;
    expect(kpis).toMatchObject({ people: 3, complete: 1, target: 100, requiredFields: ['email', 'role', 'slt', 'subjectSpecialism', 'careerStage'] });
    expect(kpis.definition).toContain('A participant counts when their record holds');
    const bySchool = Object.fromEntries(kpis.schools.map((s: { schoolId: string }) => [s.schoolId, s]));
    expect(bySchool[a]).toMatchObject({ people: 2, complete: 1, missing: { slt: 1, careerStage: 1 } });
    expect(bySchool[b]).toMatchObject({ people: 1, complete: 0, missing: { subjectSpecialism: 1 } });
  });

  it('keeps a school in one partnership per cohort', async () => {
    const other = await platform.http('POST', '/api/v1/partnerships', { name: 'Rival Partnership', cohortId: programme.cohortId });
    const answer = await platform.http('POST', `/api/v1/partnerships/${other.body.id}/members`, { schoolId: programme.schoolIds[0] });
    expect(answer.status).toBe(409);
    expect(answer.body.detail).toBe('Records School 1 is already in Records Partnership, a partnership of the same cohort');
  });

  it('keeps status history, contact handovers and Ofsted ratings, and shows them on the timeline', async () => {
    const schoolId = programme.schoolIds[2];
    expect((await platform.http('GET', `/api/v1/schools/${schoolId}`)).body.status).toBe('joined');
    expect((await platform.http('POST', `/api/v1/schools/${schoolId}/status`, { status: 'active', reason: 'First CPD booked' })).status).toBe(200);
    const illegal = await platform.http('POST', `/api/v1/schools/${schoolId}/status`, { status: 'invited', reason: 'oops' });
    expect(illegal.status).toBe(409);
    const history = (await platform.http('GET', `/api/v1/schools/${schoolId}/status-history`)).body;
    expect(history.map((h: { from: string | null; to: string }) => `${h.from}→${h.to}`)).toEqual(['invited→joined', 'joined→active']);

    await platform.http('POST', `/api/v1/schools/${schoolId}/contacts`, { role: 'stem_lead', name: 'Ann First', email: 'ann@records.example.org' });
    await platform.http('POST', `/api/v1/schools/${schoolId}/contacts`, { role: 'stem_lead', name: 'Ben Second', email: 'ben@records.example.org' });
    const contacts = (await platform.http('GET', `/api/v1/schools/${schoolId}/contacts`)).body;
    expect(contacts.map((c: { name: string; until: string | null }) => [c.name, c.until === null])).toEqual([
      ['Ann First', false],
      ['Ben Second', true],
    ]);
    expect((await platform.http('GET', `/api/v1/schools/${schoolId}`)).body.contactEmail).toBe('ben@records.example.org');

    expect((await platform.http('POST', `/api/v1/schools/${schoolId}/ofsted`, { inspectedOn: '2024-05-14', rating: 3 })).status).toBe(201);
    expect((await platform.http('POST', `/api/v1/schools/${schoolId}/ofsted`, { inspectedOn: '2024-05-14', rating: 2 })).status).toBe(409);
    expect((await platform.http('POST', `/api/v1/schools/${schoolId}/ofsted`, { inspectedOn: '2026-10-02', rating: 2 })).status).toBe(201);
    expect((await platform.http('PATCH', `/api/v1/schools/${schoolId}`, { fsmPercent: 41.5, opportunityArea: 'North Yorkshire Coast' })).body).toMatchObject({ fsmPercent: 41.5 });

    const timeline = (await platform.http('GET', `/api/v1/schools/${schoolId}/timeline`)).body.entries as Array<{ kind: string; summary: string; at: string }>;
    const kinds = timeline.map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['membership.joined', 'status.changed', 'contact.started', 'ofsted.recorded']));
    expect(timeline.map((e) => e.at)).toEqual([...timeline.map((e) => e.at)].sort());
    expect(timeline.find((e) => e.kind === 'membership.joined')!.summary).toBe('Joined Records Partnership');
  });

  it('refuses a booking the budget cannot cover until a manager records an override', async () => {
    const schoolId = programme.schoolIds[0];
    const teachers = [await addTeacher(platform, schoolId, 10), await addTeacher(platform, schoolId, 11), await addTeacher(platform, schoolId, 12)];
    const course = (
      await platform.http('POST', '/api/v1/courses', {
        programmeId: programme.programmeId,
        title: 'Residential: Engineering in context',
        subject: 'engineering',
        format: 'residential',
        hours: 15,
        costPence: 10_000,
      })
    ).body;
    const session = (await platform.http('POST', `/api/v1/courses/${course.id}/sessions`, { startsAt: '2030-03-01T09:00:00Z', endsAt: '2030-03-03T16:00:00Z', venue: 'York', capacity: 10 })).body;
    const book = (personId: string) => platform.http('POST', `/api/v1/sessions/${session.id}/bookings`, { personId });
    expect((await book(teachers[0].id)).status).toBe(201);
    expect((await book(teachers[1].id)).status).toBe(201);
    const refused = await book(teachers[2].id);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toBe("The partnership's budget has £50.00 left, not the £100.00 this place costs; a programme manager can record an override with a reason");
    expect(await platform.count('cpd_bookings')).toBe(2);

    const override = await platform.http('POST', `/api/v1/partnerships/${programme.partnershipId}/budget/overrides`, { amountPence: 5_000, reason: 'Trustees approved a third place' });
    expect(override.status).toBe(201);
    expect(override.body).toMatchObject({ allocatedPence: 25_000, overridesPence: 5_000, committedPence: 20_000, availablePence: 10_000 });
    expect((await book(teachers[2].id)).status).toBe(201);
    const position = (await platform.http('GET', `/api/v1/partnerships/${programme.partnershipId}/budget`)).body;
    expect(position.availablePence).toBe(0);
    expect(position.entries.map((e: { kind: string }) => e.kind)).toEqual(['commitment', 'commitment', 'override', 'commitment']);
    // Cutting the allocation below what is committed is refused.
    expect((await platform.http('PATCH', `/api/v1/partnerships/${programme.partnershipId}`, { budgetPounds: 100 })).status).toBe(409);
  });

  it('keeps every version of a corrected enrichment event', async () => {
    const [host, guest] = programme.schoolIds;
    const event = {
      programmeId: programme.programmeId,
      type: 'careers_event',
      title: 'Meet the engineers',
      occursOn: '2026-11-20',
      hostSchoolId: host,
      schoolIds: [guest],
      audience: { pupils: 120, parents: 15, staff: 6, otherSchools: 0 },
      keyStages: ['ks3'],
      careers: { roles: ['civil engineer'], routes: ['apprenticeship'] },
      ambassadorsInvolved: 3,
    };
    const recorded = await platform.http('POST', '/api/v1/enrichment-events', event);
    expect(recorded.status).toBe(201);
    expect(recorded.body).toMatchObject({ version: 1, audience: { pupils: 120 }, schoolIds: [host, guest].sort() });
    const corrected = await platform.http('PUT', `/api/v1/enrichment-events/${recorded.body.id}`, {
      ...event,
      audience: { ...event.audience, pupils: 64 },
      reason: 'Counted the whole year group, not those who came',
    });
    expect(corrected.status).toBe(200);
    expect(corrected.body).toMatchObject({ version: 2, audience: { pupils: 64 } });
    expect(corrected.body.history.map((v: { version: number; reason: string | null; details: { audience: { pupils: number } } }) => [v.version, v.reason, v.details.audience.pupils])).toEqual([
      [1, null, 120],
      [2, 'Counted the whole year group, not those who came', 64],
    ]);
    const timeline = (await platform.http('GET', `/api/v1/schools/${guest}/timeline`)).body.entries;
    expect(timeline.some((e: { kind: string; summary: string }) => e.kind === 'enrichment.recorded' && e.summary === 'Meet the engineers on 2026-11-20')).toBe(true);
  });

  it("shows the emails sent to a school's people, and its bookings, on its timeline", async () => {
    const schoolId = programme.schoolIds[0];
    await eventually(async () => {
      const entries = (await platform.http('GET', `/api/v1/schools/${schoolId}/timeline`)).body.entries as Array<{ kind: string; summary: string }>;
      expect(entries.filter((e) => e.kind === 'notification.sent').map((e) => e.summary)).toContain(
        'Your place is confirmed: Residential: Engineering in context, Fri 1 Mar → teacher10.' + schoolId.slice(0, 8) + '@school.example.org',
      );
      expect(entries.filter((e) => e.kind === 'booking.confirmed')).toHaveLength(3);
    });
  });
});
