import type { TestPlatform } from './platform.js';

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
