import { eventually, TestPlatform } from '../support/platform.js';
import { addTeacher, buildProgramme, type ProgrammeFixture } from '../support/programme.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** CPD bookings under load and over time, driven through the API on the virtual clock. */
describe('booking CPD', () => {
  let platform: TestPlatform;
  let programme: ProgrammeFixture;
  let courseId: string;
  let sessionId: string;
  let people: Array<{ id: string; email: string }>;
  const start = new Date('2027-01-11T09:00:00Z');
  const sessionStart = new Date(start.getTime() + 14 * DAY);

  async function moveClock(to: Date) {
    const moved = await platform.http('POST', '/api/v1/admin/clock', { now: to.toISOString() });
    expect(moved.status).toBe(200);
  }
  const bookingsByStatus = async () => {
    const rows = await platform.query<{ status: string; n: string }>(`SELECT status, count(*) AS n FROM cpd_bookings WHERE session_id = $1 GROUP BY status`, [sessionId]);
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  };
  const budget = async () => (await platform.http('GET', `/api/v1/partnerships/${programme.partnershipId}/budget`)).body;

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'cpd-bookings', env: { CLOCK: 'virtual' } });
    await moveClock(start);
    programme = await buildProgramme(platform, { name: 'Bookings', schools: 4, urnBase: 300_000, budgetPounds: 25_000 });
    people = [];
    for (let i = 0; i < 200; i += 1) people.push(await addTeacher(platform, programme.schoolIds[i % 4], i));
    const course = await platform.http('POST', '/api/v1/courses', {
      programmeId: programme.programmeId,
      title: 'Practical physics for non-specialists',
      subject: 'science',
      format: 'local',
      hours: 6,
      costPence: 10_000,
      provider: 'STEM Learning',
    });
    expect(course.status).toBe(201);
    courseId = course.body.id;
    const session = await platform.http('POST', `/api/v1/courses/${courseId}/sessions`, {
      startsAt: sessionStart.toISOString(),
      endsAt: new Date(sessionStart.getTime() + 6 * HOUR).toISOString(),
      venue: 'Teesside University',
      capacity: 30,
    });
    expect(session.status).toBe(201);
    sessionId = session.body.id;
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('200 people ask for 30 places at once: 30 confirmed, 170 waitlisted, no errors, and the budget matches', async () => {
    const answers = await Promise.all(people.map((person) => platform.http('POST', `/api/v1/sessions/${sessionId}/bookings`, { personId: person.id })));
    expect(answers.map((a) => a.status).filter((s) => s !== 201)).toEqual([]);
    expect(answers.filter((a) => a.body.status === 'confirmed')).toHaveLength(30);
    expect(answers.filter((a) => a.body.status === 'waitlisted')).toHaveLength(170);
    expect(await bookingsByStatus()).toEqual({ confirmed: 30, waitlisted: 170 });
    const session = (await platform.http('GET', `/api/v1/sessions/${sessionId}`)).body;
    expect(session).toMatchObject({ capacity: 30, placesTaken: 30, placesLeft: 0, waitlisted: 170 });

    const position = await budget();
    expect(position).toMatchObject({ allocatedPence: 2_500_000, committedPence: 300_000, spentPence: 0, availablePence: 2_200_000 });
    expect(position.entries.filter((e: { kind: string }) => e.kind === 'commitment')).toHaveLength(30);

    // Each confirmed person gets one confirmation carrying a calendar invitation.
    const confirmations = await platform.catcher.waitForCount(30);
    const confirmed = new Set(answers.filter((a) => a.body.status === 'confirmed').map((a) => people.find((p) => p.id === a.body.personId)!.email));
    expect(new Set(confirmations.map((m) => m.to[0]))).toEqual(confirmed);
    expect(confirmations[0].subject).toMatch(/^Your place is confirmed: Practical physics for non-specialists, Mon 25 Jan$/);
    expect(confirmations[0].calendars[0]).toContain('METHOD:REQUEST');
    expect(confirmations[0].calendars[0]).toContain('DTSTART:20270125T090000Z');
    // A second request from someone already booked is refused and changes nothing.
    const again = await platform.http('POST', `/api/v1/sessions/${sessionId}/bookings`, { personId: people[0].id });
    expect(again.status).toBe(409);
    expect(await bookingsByStatus()).toEqual({ confirmed: 30, waitlisted: 170 });
  });

  it('a cancelled place is offered to the first person waiting; unanswered, the offer expires and passes on', async () => {
    const bookings = (await platform.http('GET', `/api/v1/sessions/${sessionId}/bookings`)).body as Array<{ id: string; status: string; personId: string }>;
    const confirmed = bookings.find((b) => b.status === 'confirmed')!;
    const [first, second] = bookings.filter((b) => b.status === 'waitlisted');
    platform.catcher.clear();

    const cancelled = await platform.http('POST', `/api/v1/bookings/${confirmed.id}/cancel`, { reason: 'Supply cover fell through' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const offered = (await platform.http('GET', `/api/v1/bookings/${first.id}`)).body;
    expect(offered.status).toBe('offered');
    expect(offered.offerExpiresAt).toBe(new Date(start.getTime() + 48 * HOUR).toISOString());
    expect((await budget()).committedPence).toBe(290_000);

    const emails = await platform.catcher.waitForCount(2);
    const offerEmail = emails.find((m) => m.subject.startsWith('A place has come free'))!;
    expect(offerEmail.to).toEqual([people.find((p) => p.id === first.personId)!.email]);
    expect(offerEmail.text).toContain('held for you until Wednesday, 13 January 2027 at 09:00');
    const cancellation = emails.find((m) => m.subject.startsWith('Booking cancelled'))!;
    expect(cancellation.calendars[0]).toContain('METHOD:CANCEL');

    // Two days pass without an answer.
    await moveClock(new Date(start.getTime() + 49 * HOUR));
    await eventually(async () => expect((await platform.http('GET', `/api/v1/bookings/${first.id}`)).body.status).toBe('cancelled'));
    const next = (await platform.http('GET', `/api/v1/bookings/${second.id}`)).body;
    expect(next.status).toBe('offered');
    expect(next.offerExpiresAt).toBe(new Date(start.getTime() + 97 * HOUR).toISOString());
    const [lapsed] = await platform.query(`SELECT status_reason FROM cpd_bookings WHERE id = $1`, [first.id]);
    expect(lapsed.status_reason).toBe('the place offered was not taken up in time');
    // Taking up the offer after it lapsed is refused.
    expect((await platform.http('POST', `/api/v1/bookings/${first.id}/accept`)).status).toBe(409);

    const accepted = await platform.http('POST', `/api/v1/bookings/${second.id}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('confirmed');
    expect(await bookingsByStatus()).toEqual({ confirmed: 30, waitlisted: 168, cancelled: 2 });
    expect((await platform.http('GET', `/api/v1/sessions/${sessionId}`)).body.placesTaken).toBe(30);
    expect((await budget()).committedPence).toBe(300_000);
    const secondEmail = people.find((p) => p.id === second.personId)!.email;
    await eventually(async () => expect(platform.catcher.messages.some((m) => m.to[0] === secondEmail && m.subject.startsWith('Your place is confirmed'))).toBe(true));
  });

  it('reminds only confirmed bookings a week before', async () => {
    platform.catcher.clear();
    await moveClock(new Date(sessionStart.getTime() - 7 * DAY + HOUR));
    const reminders = await eventually(async () => {
      const caught = platform.catcher.messages.filter((m) => m.subject.startsWith('In 7 days'));
      expect(caught).toHaveLength(30);
      return caught;
    });
    expect(platform.catcher.messages.map((m) => m.subject).filter((s) => !s.startsWith('In 7 days'))).toEqual([]);
    expect(reminders[0].subject).toBe('In 7 days: Practical physics for non-specialists');
    const confirmedEmails = await platform.query<{ email: string }>(`SELECT p.email FROM cpd_bookings b JOIN people p ON p.id = b.person_id WHERE b.session_id = $1 AND b.status = 'confirmed'`, [
      sessionId,
    ]);
    expect(new Set(reminders.map((m) => m.to[0]))).toEqual(new Set(confirmedEmails.map((r) => r.email)));
  });

  it('records the register once however often it is sent, with hours and CPD units', async () => {
    await moveClock(new Date(sessionStart.getTime() + 7 * HOUR));
    const confirmed = ((await platform.http('GET', `/api/v1/sessions/${sessionId}/bookings`)).body as Array<{ id: string; status: string; personId: string }>).filter((b) => b.status === 'confirmed');
    const [absent, ...present] = confirmed;
    // Once a session has started nobody can book it.
    const late = await platform.http('POST', `/api/v1/sessions/${sessionId}/bookings`, { personId: people[199].id });
    expect(late.status).toBe(409);
    expect(late.body.detail).toBe('This session has already started; book a later one');
    const register = { attended: present.map((b) => b.id), noShow: [absent.id] };
    const first = await platform.http('POST', `/api/v1/sessions/${sessionId}/register`, register);
    expect(first.body).toEqual({ attended: 29, noShow: 1, unchanged: 0, hoursCorrected: 0 });
    const second = await platform.http('POST', `/api/v1/sessions/${sessionId}/register`, register);
    expect(second.body).toEqual({ attended: 0, noShow: 0, unchanged: 30, hoursCorrected: 0 });
    expect(await platform.count('cpd_records')).toBe(29);

    const person = (await platform.http('GET', `/api/v1/people/${present[0].personId}/cpd`)).body;
    expect(person).toMatchObject({ hours: 6, cpdUnits: 1.2 });
    const position = await budget();
    expect(position).toMatchObject({ committedPence: 0, spentPence: 300_000, availablePence: 2_200_000 });

    // Hours from other channels go into the same ledger.
    const coaching = await platform.http('POST', '/api/v1/cpd-records', {
      personId: present[0].personId,
      channel: 'coaching',
      subject: 'science',
      title: 'Coaching: planning practicals',
      hours: 4,
      occurredOn: '2027-01-28',
    });
    expect(coaching.status).toBe(201);
    expect((await platform.http('GET', `/api/v1/people/${present[0].personId}/cpd`)).body).toMatchObject({ hours: 10, cpdUnits: 2 });

    // A booking that was not a confirmed place cannot go on the register.
    const waitlisted = ((await platform.http('GET', `/api/v1/sessions/${sessionId}/bookings`)).body as Array<{ id: string; status: string }>).find((b) => b.status === 'waitlisted')!;
    const refused = await platform.http('POST', `/api/v1/sessions/${sessionId}/register`, { attended: [waitlisted.id], noShow: [] });
    expect(refused.status).toBe(400);
    expect(await platform.count('cpd_records')).toBe(30);
  });
});
