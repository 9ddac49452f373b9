import { parseSchoolPhase, type SchoolPhase } from './school-phase.js';
import type { FieldProblem } from '../errors.js';
import { emailAddressProblem, flattenLines } from '../people/contact-details.js';

/** The fields of a school that a GIAS extract (or a create request) supplies. */
export interface SchoolFields {
  urn: number;
  name: string;
  phase: SchoolPhase;
  establishmentType: string | null;
  localAuthority: string | null;
  postcode: string | null;
  pupils: number | null;
  easting: number | null;
  northing: number | null;
  contactName: string | null;
  contactEmail: string | null;
}

/**
 * GIAS column names as the "all establishments" download spells them. ContactName and
 * ContactEmail are stemflow's own: GIAS publishes the head's name but no email address.
 */
export const GIAS_COLUMNS = {
  urn: 'URN',
  name: 'EstablishmentName',
  phase: 'PhaseOfEducation (name)',
  establishmentType: 'TypeOfEstablishment (name)',
  localAuthority: 'LA (name)',
  postcode: 'Postcode',
  pupils: 'NumberOfPupils',
  easting: 'Easting',
  northing: 'Northing',
  contactName: 'ContactName',
  contactEmail: 'ContactEmail',
  headFirstName: 'HeadFirstName',
  headLastName: 'HeadLastName',
} as const;

export const REQUIRED_GIAS_COLUMNS = [GIAS_COLUMNS.urn, GIAS_COLUMNS.name, GIAS_COLUMNS.phase] as const;

const UK_POSTCODE = /^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/i;

export type ParsedSchool = { ok: true; school: SchoolFields } | { ok: false; problems: FieldProblem[] };

/** Validates one CSV row as a school; the import reports the problems and goes on to the next row. */
export function parseGiasRow(row: Record<string, string | undefined>): ParsedSchool {
  const problems: FieldProblem[] = [];
  const cell = (column: string): string => (row[column] ?? '').trim();
  // A name in a GIAS extract edited in a spreadsheet can hold a line break inside its quotes:
  // it is flattened to one line rather than the school refused.
  const nameCell = (column: string): string => flattenLines(cell(column));
  const optional = (column: string): string | null => cell(column) || null;
  const wholeNumber = (column: string, max: number): number | null => {
    const raw = cell(column);
    if (raw === '') return null;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0 || value > max) {
      problems.push({ field: column, message: `must be a whole number from 0 to ${max} (got "${raw}")` });
      return null;
    }
    return value;
  };

  const urnRaw = cell(GIAS_COLUMNS.urn);
  const urn = Number(urnRaw);
  if (urnRaw === '') problems.push({ field: GIAS_COLUMNS.urn, message: 'is required' });
  else if (!/^\d{5,7}$/.test(urnRaw) || !Number.isSafeInteger(urn)) {
    problems.push({ field: GIAS_COLUMNS.urn, message: `must be a 5 to 7 digit number (got "${urnRaw}")` });
  }

  const name = nameCell(GIAS_COLUMNS.name);
  if (name === '') problems.push({ field: GIAS_COLUMNS.name, message: 'is required' });
  else if (name.length > 200) problems.push({ field: GIAS_COLUMNS.name, message: 'must be at most 200 characters' });

  const phaseRaw = cell(GIAS_COLUMNS.phase);
  const phase = parseSchoolPhase(phaseRaw);
  if (phaseRaw === '') problems.push({ field: GIAS_COLUMNS.phase, message: 'is required' });
  else if (!phase) problems.push({ field: GIAS_COLUMNS.phase, message: `is not a phase GIAS uses (got "${phaseRaw}")` });

  const postcode = optional(GIAS_COLUMNS.postcode);
  if (postcode && !UK_POSTCODE.test(postcode)) {
    problems.push({ field: GIAS_COLUMNS.postcode, message: `is not a UK postcode (got "${postcode}")` });
  }

  const contactEmail = optional(GIAS_COLUMNS.contactEmail);
  const emailProblem = contactEmail ? emailAddressProblem(contactEmail) : undefined;
  if (emailProblem) problems.push({ field: GIAS_COLUMNS.contactEmail, message: `${emailProblem} (got ${JSON.stringify(contactEmail)})` });
  const headName = [nameCell(GIAS_COLUMNS.headFirstName), nameCell(GIAS_COLUMNS.headLastName)].filter(Boolean).join(' ');

  const school: SchoolFields = {
    urn,
    name,
    phase: phase ?? 'not_applicable',
    establishmentType: optional(GIAS_COLUMNS.establishmentType),
    localAuthority: optional(GIAS_COLUMNS.localAuthority),
    postcode: postcode ? normalisePostcode(postcode) : null,
    pupils: wholeNumber(GIAS_COLUMNS.pupils, 100_000),
    easting: wholeNumber(GIAS_COLUMNS.easting, 700_000),
    northing: wholeNumber(GIAS_COLUMNS.northing, 1_300_000),
    contactName: nameCell(GIAS_COLUMNS.contactName) || headName || null,
    contactEmail: contactEmail?.toLowerCase() ?? null,
  };
  return problems.length > 0 ? { ok: false, problems } : { ok: true, school };
}

/** "sw1a1aa" and "SW1A 1AA" are the same postcode; store the Royal Mail form. */
export function normalisePostcode(postcode: string): string {
  const compact = postcode.replace(/\s+/g, '').toUpperCase();
  return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
}

/** The fields of two versions of a school that differ; an import that changes none is not an update. */
export function changedSchoolFields(current: SchoolFields, next: SchoolFields): Array<keyof SchoolFields> {
  return (Object.keys(next) as Array<keyof SchoolFields>).filter((key) => current[key] !== next[key]);
}

/**
 * The fields that come from the national register (GIAS): one school's identity, shared by
 * every programme, changed only by the register's import. The rest of a school's record
 * (contact, status, indicators, history) belongs to the programmes it is now a member of.
 */
export const REGISTER_FIELDS: ReadonlySet<string> = new Set<string>([
  'urn',
  'name',
  'phase',
  'establishmentType',
  'localAuthority',
  'postcode',
  'pupils',
  'easting',
  'northing',
  'latitude',
  'longitude',
]);
/** What a programme's import may change on a school it owns. */
export const PROGRAMME_IMPORT_FIELDS: ReadonlySet<keyof SchoolFields> = new Set(['contactName', 'contactEmail'] as const);
