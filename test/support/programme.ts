import { linkIn } from './browser.js';
import { eventually, type TestPlatform } from './platform.js';

export interface ProgrammeFixture {
  programmeId: string;
  cohortId: string;
  partnershipId: string;
  schoolIds: string[];
}

async function created(platform: TestPlatform, path: string, body: unknown): Promise<any> {
  const answer = await platform.http('POST', path, body);
  if (answer.status !== 201 && answer.status !== 200) throw new Error(`POST ${path}: ${answer.status} ${answer.text}`);
  return answer.body;
}

/** A programme with one cohort and one partnership of `schools` new schools, all joined, built through the API. */
export async function buildProgramme(
  platform: TestPlatform,
  options: { name: string; schools: number; budgetPounds?: number; urnBase: number; workflowPolicy?: unknown; teamEmail?: string },
): Promise<ProgrammeFixture> {
  const programme = await created(platform, '/api/v1/programmes', {
    name: options.name,
    funder: 'Test Funder',
    startsOn: '2026-09-01',
    endsOn: '2028-08-31',
    frameworkKey: 'ats-maturity',
    kpiDefinition: { completeRecordRequires: ['email', 'role', 'slt', 'subjectSpecialism', 'careerStage'], recruitmentTarget: 100 },
    ...(options.teamEmail ? { teamEmail: options.teamEmail } : {}),
  });
  const cohort = await created(platform, `/api/v1/programmes/${programme.id}/cohorts`, {
    name: 'Wave 1',
    startsOn: '2026-09-01',
    endsOn: '2027-07-23',
    calendarKey: 'england',
    status: 'active',
    ...(options.workflowPolicy ? { workflowPolicy: options.workflowPolicy } : {}),
  });
  const partnership = await created(platform, '/api/v1/partnerships', {
    name: `${options.name} Partnership`,
    area: 'Tees Valley',
    cohortId: cohort.id,
    budgetPounds: options.budgetPounds ?? 25_000,
  });
  const schoolIds: string[] = [];
  for (let i = 0; i < options.schools; i += 1) {
    const school = await created(platform, '/api/v1/schools', { urn: options.urnBase + i, name: `${options.name} School ${i + 1}`, phase: i % 2 ? 'secondary' : 'primary' });
    await created(platform, `/api/v1/partnerships/${partnership.id}/members`, { schoolId: school.id });
    schoolIds.push(school.id);
  }
  return { programmeId: programme.id, cohortId: cohort.id, partnershipId: partnership.id, schoolIds };
}

export async function addTeacher(platform: TestPlatform, schoolId: string, n: number, extra: Record<string, unknown> = {}): Promise<any> {
  return created(platform, '/api/v1/people', {
    schoolId,
    name: `Teacher ${n}`,
    email: `teacher${n}.${schoolId.slice(0, 8)}@school.example.org`,
    role: 'teacher',
    slt: false,
    subjectSpecialism: 'science',
    careerStage: 'experienced',
    consentToContact: true,
    ...extra,
  });
}

export interface EmailedLinks {
  fixture: ProgrammeFixture;
  schoolId: string;
  teacher: { id: string; email: string };
  /** A school's self-evaluation (e), an ambassador's offer (r), a teacher's feedback survey (s) and that email's unsubscribe link (u). */
  links: Record<'e' | 'r' | 's' | 'u', string>;
}

/**
 * A programme on the virtual clock whose people have each been emailed a page link, as the
 * platform emails them: a school joining mid-term is invited to its self-evaluation, an
 * ambassador is asked to help, and a teacher who attended is asked for feedback.
 */
export async function emailedLinks(platform: TestPlatform, options: { name: string; urnBase: number }): Promise<EmailedLinks> {
  const ok = async (method: string, path: string, body?: unknown) => {
    const answer = await platform.http(method, path, body);
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
    return answer.body;
  };
  const moveClock = (iso: string) => ok('POST', '/api/v1/admin/clock', { now: iso });
  const mailTo = (email: string, subject: RegExp) =>
    eventually(async () => {
      const found = platform.catcher.messages.find((m) => m.to.includes(email) && subject.test(m.subject));
      if (!found) throw new Error(`no message to ${email} matching ${subject}`);
      return found;
    });
  const domain = `${options.name.toLowerCase()}.example.org`;

  await moveClock('2027-01-12T10:00:00Z');
  const fixture = await buildProgramme(platform, {
    name: options.name,
    schools: 1,
    urnBase: options.urnBase,
    workflowPolicy: { surveys: { maxReminders: 0 }, ambassadors: { waveSize: 2, offerHours: 72, escalateDaysBefore: 10 } },
  });
  const schoolId = fixture.schoolIds[0];
  await ok('PATCH', `/api/v1/schools/${schoolId}`, { latitude: 54.57, longitude: -1.23 });
  await ok('POST', `/api/v1/schools/${schoolId}/contacts`, { role: 'stem_lead', name: 'Sam Lead', email: `stem.lead@${domain}` });
  await ok('PUT', `/api/v1/cohorts/${fixture.cohortId}/self-evaluation`, { frameworkKey: 'iris-ri', elementKeys: ['1.5', '2.1'] });
  // A school that joins mid-term, once the cohort has chosen its framework, is invited at once.
  const school = await ok('POST', '/api/v1/schools', { urn: options.urnBase + 100, name: `${options.name} Academy`, phase: 'secondary', contactName: 'Kim Lead', contactEmail: `kim@${domain}` });
  await ok('POST', `/api/v1/partnerships/${fixture.partnershipId}/members`, { schoolId: school.id });
  const e = linkIn(await mailTo(`kim@${domain}`, /self-evaluation is open/), 'e');

  await ok('POST', '/api/v1/ambassadors', {
    name: 'Jo Okafor',
    email: 'jo@industry.example.com',
    employer: 'Tees Robotics Ltd',
    skills: ['coding'],
    keyStages: ['ks3'],
    postcode: 'TS1 3BA',
    latitude: 54.58,
    longitude: -1.23,
    travelRadiusKm: 25,
    availability: { weekdays: [1, 2, 3, 4, 5] },
    check: { type: 'DBS', number: '001122334455', checkedOn: '2025-01-01', expiresOn: '2029-01-01' },
  });
  await ok('POST', `/api/v1/schools/${schoolId}/ambassador-requests`, {
    activityType: 'Code club visit',
    startsAt: '2027-02-03T14:00:00Z',
    endsAt: '2027-02-03T15:30:00Z',
    keyStages: ['ks3'],
    numberWanted: 1,
    skillsWanted: ['coding'],
  });
  const r = linkIn(await mailTo('jo@industry.example.com', /^Can you help/), 'r');

  const teacher = await addTeacher(platform, schoolId, 1);
  const course = await ok('POST', '/api/v1/courses', { programmeId: fixture.programmeId, title: `${options.name} course`, subject: 'computing', format: 'local', hours: 3, costPence: 0 });
  const session = await ok('POST', `/api/v1/courses/${course.id}/sessions`, { startsAt: '2027-01-12T12:00:00Z', endsAt: '2027-01-12T15:00:00Z', venue: 'Hub', capacity: 5 });
  const booking = await ok('POST', `/api/v1/sessions/${session.id}/bookings`, { personId: teacher.id });
  await moveClock('2027-01-12T16:00:00Z');
  await ok('POST', `/api/v1/sessions/${session.id}/register`, { attended: [booking.id], noShow: [] });
  const survey = await mailTo(teacher.email, /^Feedback on your CPD/);
  const s = linkIn(survey, 's');
  const u = /<(.+)>/.exec(String(survey.headers['list-unsubscribe']))![1];
  return { fixture, schoolId, teacher, links: { e, r, s, u } };
}
