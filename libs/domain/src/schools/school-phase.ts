/**
 * The phases the programme reports by (003_def1d3e673f8defb.txt: primary, secondary or
 * middle, all-through), plus the GIAS phases a school list also carries.
 */
export const SCHOOL_PHASES = ['nursery', 'primary', 'middle', 'secondary', 'all_through', 'sixteen_plus', 'not_applicable'] as const;
export type SchoolPhase = (typeof SCHOOL_PHASES)[number];

/** The phases as GIAS names them. */
export const SCHOOL_PHASE_NAMES: Record<SchoolPhase, string> = {
  nursery: 'Nursery',
  primary: 'Primary',
  middle: 'Middle',
  secondary: 'Secondary',
  all_through: 'All-through',
  sixteen_plus: '16 plus',
  not_applicable: 'Not applicable',
};

const GIAS_PHASES: Record<string, SchoolPhase> = {
  nursery: 'nursery',
  primary: 'primary',
  'middle deemed primary': 'middle',
  'middle deemed secondary': 'middle',
  middle: 'middle',
  secondary: 'secondary',
  'all-through': 'all_through',
  'all through': 'all_through',
  all_through: 'all_through',
  '16 plus': 'sixteen_plus',
  sixteen_plus: 'sixteen_plus',
  'not applicable': 'not_applicable',
  not_applicable: 'not_applicable',
};

/** Reads a phase as GIAS writes it ("Middle deemed secondary") or as the API does ("secondary"). */
export function parseSchoolPhase(value: string): SchoolPhase | undefined {
  return GIAS_PHASES[value.trim().toLowerCase()];
}
