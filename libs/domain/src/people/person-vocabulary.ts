/** Participant fields the funder asks for (003_def1d3e673f8defb.txt). */
export const PERSON_ROLES = ['teacher', 'senior_leader', 'middle_leader', 'subject_leader', 'teaching_assistant', 'technician', 'nursery_nurse', 'trainee', 'educational_lead', 'other'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];

export const SUBJECT_SPECIALISMS = ['science', 'technology', 'engineering', 'maths', 'computing', 'other'] as const;
export const CAREER_STAGES = ['nqt', 'rqt', 'experienced'] as const;
export const PERSON_PHASES = ['nursery', 'primary', 'secondary', 'all_through', 'sixteen_plus'] as const;
export const GENDERS = ['female', 'male', 'non_binary', 'not_said'] as const;

/** The fields a programme's KPI definition may require for a record to count as complete. */
export const KPI_FIELDS = ['email', 'role', 'slt', 'phase', 'subjectSpecialism', 'careerStage', 'specialist', 'gender', 'consentToContact'] as const;
export type KpiField = (typeof KPI_FIELDS)[number];

export interface KpiDefinition {
  /** A teacher counts towards the recruitment KPI only when all these are held. */
  completeRecordRequires: KpiField[];
  recruitmentTarget?: number;
}

/** The fields a record lacks for the programme's definition of complete (empty when it counts). */
export function missingKpiFields(person: Partial<Record<KpiField, unknown>>, definition: KpiDefinition): KpiField[] {
  return definition.completeRecordRequires.filter((field) => {
    const value = person[field];
    if (field === 'consentToContact') return value !== true;
    return value === null || value === undefined || value === '';
  });
}
