import { AMBASSADOR_STATUSES, CHECK_TYPES, DomainError, KEY_STAGES, parsePostcode, type Ambassador } from '#domain';
import { KEY_STAGE_NAMES } from '../../enrichment/pages/enrichment.form.js';
import { formErrors } from '../../programmes/pages/programme.forms.js';
import { validateForm, type FormErrors } from '../../web/forms.js';
import { CreateAmbassadorDto, UpdateAmbassadorDto } from '../ambassadors.dto.js';

/** ISO weekday numbers (Monday 1 … Sunday 7) in words. */
export const WEEKDAY_NAMES: Record<string, string> = { 1: 'Monday', 2: 'Tuesday', 3: 'Wednesday', 4: 'Thursday', 5: 'Friday', 6: 'Saturday', 7: 'Sunday' };

/** A form never shows more periods away than the API takes. */
const MOST_AWAY_ROWS = 50;
const AWAY_FIELD = /^away-(\d{1,2})-(?:from|to)$/;

/** What the profile form's fields held: text as typed, the boxes ticked. */
export type ProfileValues = Record<string, string | string[]>;

/** Who is filling the form in, and for which record: what it asks and what a blank answer means. */
export interface ProfileFormOptions {
  /** Whether it asks the name and email: always when adding; on a change, only for those the rule lets change them. */
  identity: boolean;
  /** Whether it asks for a safeguarding check (when adding: a check is changed on its own page). */
  check: boolean;
  /** The ambassador being changed, if any. */
  current?: Ambassador;
}

/** The order the form asks its questions, for the error summary. */
const ORDER = [
  'name',
  'email',
  'employer',
  'sector',
  'disciplines',
  'skills',
  'keyStages',
  'offersVirtual',
  'postcode',
  'latitude',
  'longitude',
  'travelRadiusKm',
  'weekdays',
  'away',
  'checkType',
  'checkNumber',
  'checkCheckedOn',
  'checkExpiresOn',
  'status',
];

const LISTS = new Set(['keyStages', 'weekdays']);

export function typedProfile(body: unknown): ProfileValues {
  const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const values: ProfileValues = {};
  for (const [key, value] of Object.entries(fields)) {
    if (key === '_csrf') continue;
    if (LISTS.has(key)) values[key] = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && v !== '');
    else if (typeof value === 'string' && (!key.startsWith('away-') || isAwayField(key))) values[key] = value;
  }
  for (const key of LISTS) values[key] ??= [];
  return values;
}

const isAwayField = (key: string) => {
  const match = AWAY_FIELD.exec(key);
  return match !== null && Number(match[1]) < MOST_AWAY_ROWS;
};

/** How many rows of time away the form shows for these values: each one typed, and at least one. */
export function awayRowsOf(values: ProfileValues): number {
  const indexes = Object.keys(values)
    .filter(isAwayField)
    .map((key) => Number(AWAY_FIELD.exec(key)![1]));
  return Math.max(1, ...indexes.map((i) => i + 1));
}

/** An ambassador's profile as its form shows it, with an empty row to add a period away. */
export function profileValues(a: Ambassador): ProfileValues {
  const values: ProfileValues = {
    name: a.name,
    email: a.email,
    employer: a.employer ?? '',
    sector: a.sector ?? '',
    disciplines: a.disciplines.join(', '),
    skills: a.skills.join(', '),
    keyStages: [...a.keyStages],
    offersVirtual: a.offersVirtual ? 'yes' : 'no',
    postcode: a.postcode,
    // A position placed from the postcode is not the manager's to keep: blank, it follows the postcode.
    latitude: a.locationPrecision ? '' : String(a.latitude),
    longitude: a.locationPrecision ? '' : String(a.longitude),
    travelRadiusKm: String(a.travelRadiusKm),
    weekdays: a.availability.weekdays.map(String),
    status: a.status,
  };
  const away = (a.availability.unavailable ?? []).slice(0, MOST_AWAY_ROWS);
  away.forEach((range, i) => {
    values[`away-${i}-from`] = range.from;
    values[`away-${i}-to`] = range.to;
  });
  if (away.length < MOST_AWAY_ROWS) values[`away-${away.length}-from`] = '';
  return values;
}

/** The checkboxes and radios of the form, ticked as the values say. */
export function profileChoices(values: ProfileValues) {
  const ticked = (name: string) => (Array.isArray(values[name]) ? (values[name] as string[]) : []);
  return {
    keyStageItems: KEY_STAGES.map((value) => ({ value, text: KEY_STAGE_NAMES[value], checked: ticked('keyStages').includes(value) })),
    weekdayItems: Object.entries(WEEKDAY_NAMES).map(([value, text]) => ({ value, text, checked: ticked('weekdays').includes(value) })),
    checkTypes: CHECK_TYPES,
    statuses: AMBASSADOR_STATUSES,
  };
}

/** How an ambassador's position was found, in words, so a manager knows how far to trust it. */
export function positionNote(a: Ambassador): string {
  const parts = parsePostcode(a.postcode);
  switch (a.locationPrecision) {
    case 'postcode':
      return `Placed by postcode: where the schools at ${parts?.postcode ?? a.postcode} are`;
    case 'sector':
      return `Placed by postcode (sector ${parts?.sector ?? a.postcode}): the middle of its schools, as none is at ${parts?.postcode ?? a.postcode}`;
    case 'district':
      return `Placed by postcode (district ${parts?.district ?? a.postcode}): the middle of its schools, so it may be a few kilometres out`;
    default:
      return 'Entered by hand';
  }
}

/** Where in the form an answer is asked, by its row of time away (a blank row is not sent). */
type AwayRows = number[];

/**
 * The form's answers in the API's shape, for its DTO to check as it checks a body. Text is
 * trimmed; a number that is not one stays as typed, so the DTO refuses it. A required
 * answer left blank is sent blank (and refused), never left out: left out, a change would
 * keep the old value without a word. An employer or sector cleared on a change is sent
 * blank too, as the API cannot remove one.
 */
export function profileInput(values: ProfileValues, options: ProfileFormOptions): { input: Record<string, unknown>; awayRows: AwayRows } {
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string).trim() : '');
  const ticked = (name: string) => (Array.isArray(values[name]) ? (values[name] as string[]) : []);
  const commaList = (name: string) =>
    text(name)
      .split(/[,\n]/)
      .map((item) => item.trim())
      .filter(Boolean);
  const kept = (name: 'employer' | 'sector') => text(name) || (options.current?.[name] ? '' : undefined);
  const awayRows: AwayRows = [];
  const unavailable: Array<{ from: string; to: string }> = [];
  for (let row = 0; row < awayRowsOf(values); row++) {
    const [from, to] = [text(`away-${row}-from`), text(`away-${row}-to`)];
    if (!from && !to) continue;
    awayRows.push(row);
    unavailable.push({ from, to });
  }
  // Both blank: placed by the postcode (or, on a change, left as it is). One alone is sent
  // with the other blank, so the DTO asks for it rather than half a position being kept.
  const anyPosition = text('latitude') !== '' || text('longitude') !== '';
  const anyCheck = ['checkType', 'checkNumber', 'checkCheckedOn', 'checkExpiresOn'].some((name) => text(name) !== '');
  const input: Record<string, unknown> = {
    ...(options.identity ? { name: text('name'), email: text('email') } : {}),
    employer: kept('employer'),
    sector: kept('sector'),
    disciplines: commaList('disciplines'),
    skills: commaList('skills'),
    keyStages: ticked('keyStages'),
    postcode: text('postcode'),
    latitude: anyPosition ? decimal(text('latitude')) : undefined,
    longitude: anyPosition ? decimal(text('longitude')) : undefined,
    travelRadiusKm: whole(text('travelRadiusKm').replace(/\s*km$/i, '')),
    availability: { weekdays: ticked('weekdays').map(whole), unavailable },
    offersVirtual: YES_NO.has(text('offersVirtual')) ? YES_NO.get(text('offersVirtual')) : text('offersVirtual'),
    status: text('status') || undefined,
    ...(options.check && anyCheck ? { check: { type: text('checkType') || undefined, number: text('checkNumber'), checkedOn: text('checkCheckedOn'), expiresOn: text('checkExpiresOn') } } : {}),
  };
  return { input: Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)), awayRows };
}

const YES_NO = new Map<string, boolean | undefined>([
  ['yes', true],
  ['no', false],
  ['', undefined],
]);

/** "54.57", "-1.23" (a typographer's minus too) as a number; anything else as typed. */
function decimal(typed: string): number | string {
  const plain = typed.replace(/\u2212/g, '-');
  return /^-?\d{1,3}(\.\d{1,12})?$/.test(plain) ? Number(plain) : typed;
}

function whole(typed: string): number | string {
  return /^\d{1,6}$/.test(typed) ? Number(typed) : typed;
}

export type ReadProfile<T> = { ok: true; input: T; awayRows: AwayRows } | { ok: false; errors: FormErrors; values: ProfileValues };

/**
 * The profile form read as the API reads a body: its answers checked by the API's own DTO
 * (CreateAmbassadorDto when adding, UpdateAmbassadorDto when changing), each refusal said
 * beside its question in the words of the person filling it in.
 */
export async function readProfile(mode: 'add', body: unknown, options: ProfileFormOptions): Promise<ReadProfile<CreateAmbassadorDto>>;
export async function readProfile(mode: 'change', body: unknown, options: ProfileFormOptions): Promise<ReadProfile<UpdateAmbassadorDto>>;
export async function readProfile(mode: 'add' | 'change', body: unknown, options: ProfileFormOptions): Promise<ReadProfile<CreateAmbassadorDto | UpdateAmbassadorDto>> {
  const values = typedProfile(body);
  const { input, awayRows } = profileInput(values, options);
  const checked = mode === 'add' ? await validateForm(CreateAmbassadorDto, input) : await validateForm(UpdateAmbassadorDto, input);
  if (checked.ok) return { ok: true, input: checked.value, awayRows };
  const problems = checked.errors.list.map((e) => problemAt(e.href.slice(1), values, awayRows));
  return { ok: false, errors: formErrors(unique(problems), ORDER), values };
}

/** What a manager is told when no school is near enough to place the postcode: the position's questions are opened for them. */
export const UNPLACED = 'We could not place this postcode from the schools we know: check it, or enter the position yourself';

/**
 * The service's own refusals of a profile that the DTO let through, said beside the
 * question: dates the wrong way round, or an email address another ambassador has.
 */
export function refusedProfile(error: unknown, values: ProfileValues, awayRows: AwayRows): FormErrors | undefined {
  if (!(error instanceof DomainError)) return undefined;
  if (error.kind === 'conflict') return formErrors([{ field: 'email', text: 'An ambassador with this email address is already in the pool: find them in the list' }], ORDER);
  if (error.kind !== 'invalid' || error.fields.length === 0) return undefined;
  const problems = error.fields.map((f) => {
    const path = f.field.replace(/\[(\d+)\]/g, '.$1');
    const away = /^availability\.unavailable\.(\d+)\.to$/.exec(path);
    if (away) {
      const row = awayRows[Number(away[1])] ?? 0;
      return { field: `away-${row}-to`, text: `The last day of time away ${row + 1} must be the same as or after its first day` };
    }
    if (path === 'check.expiresOn') return { field: 'checkExpiresOn', text: 'The expiry date must be after the date the check was made' };
    // The DTO took the postcode: the service found no school near enough to place it.
    if (path === 'postcode') return { field: 'postcode', text: UNPLACED };
    return problemAt(path, values, awayRows);
  });
  return formErrors(unique(problems), ORDER);
}

const unique = (problems: Array<{ field: string; text: string }>) => problems.filter((p, i) => problems.findIndex((q) => q.field === p.field) === i);

/** What to say about a refused answer, by where the DTO found it and what was typed. */
function problemAt(path: string, values: ProfileValues, awayRows: AwayRows): { field: string; text: string } {
  const typed = (name: string) => (typeof values[name] === 'string' ? (values[name] as string).trim() : '');
  const items = (name: string) =>
    typed(name)
      .split(/[,\n]/)
      .filter((s) => s.trim()).length;
  const blank = (name: string) => typed(name) === '';
  const isNumber = (name: string) => typeof decimal(typed(name)) === 'number';
  const away = /^availability\.unavailable\.(\d+)\.(from|to)$/.exec(path);
  if (away) {
    const row = awayRows[Number(away[1])] ?? 0;
    const end = away[2] as 'from' | 'to';
    return { field: `away-${row}-${end}`, text: `Enter the ${end === 'from' ? 'first' : 'last'} day of time away ${row + 1} as a real date, like 2027-04-01` };
  }
  switch (path) {
    case 'name':
      return { field: 'name', text: blank('name') ? 'Enter their full name' : 'Enter a name of 200 characters or fewer, on one line' };
    case 'email':
      return { field: 'email', text: blank('email') ? 'Enter their email address' : 'Enter an email address in the correct format, like name@example.com' };
    case 'employer':
      return { field: 'employer', text: blank('employer') ? 'Enter their employer: once given, it can be changed but not removed' : 'Enter an employer of 200 characters or fewer' };
    case 'sector':
      return { field: 'sector', text: blank('sector') ? 'Enter their sector: once given, it can be changed but not removed' : 'Enter a sector of 200 characters or fewer' };
    case 'disciplines':
      return { field: 'disciplines', text: items('disciplines') > 30 ? 'Enter 30 disciplines or fewer' : 'Enter each discipline in 100 characters or fewer, separated by commas' };
    case 'skills':
      return { field: 'skills', text: items('skills') > 30 ? 'Enter 30 skills or fewer' : 'Enter each skill in 100 characters or fewer, separated by commas' };
    case 'keyStages':
      return { field: 'keyStages', text: 'Select the key stages they can work with' };
    case 'offersVirtual':
      return { field: 'offersVirtual', text: 'Select whether they give sessions online' };
    case 'postcode':
      return { field: 'postcode', text: blank('postcode') ? 'Enter the postcode they travel from' : 'Enter a real UK postcode, like TS1 3BA' };
    case 'latitude':
      return {
        field: 'latitude',
        text: blank('latitude')
          ? 'Enter the latitude as well as the longitude, like 54.5742, or clear both to place them by their postcode'
          : isNumber('latitude')
            ? 'Enter a latitude in the UK, between 49 and 61'
            : 'Enter the latitude as a number, like 54.5742',
      };
    case 'longitude':
      return {
        field: 'longitude',
        text: blank('longitude')
          ? 'Enter the longitude as well as the latitude, like -1.2350, or clear both to place them by their postcode'
          : isNumber('longitude')
            ? 'Enter a longitude in the UK, between -9 and 2'
            : 'Enter the longitude as a number, like -1.2350',
      };
    case 'travelRadiusKm':
      return {
        field: 'travelRadiusKm',
        text: blank('travelRadiusKm')
          ? 'Enter how far they will travel, in kilometres'
          : /^\d+$/.test(typed('travelRadiusKm').replace(/\s*km$/i, ''))
            ? 'Enter a distance of 500 km or less'
            : 'Enter how far they will travel as a whole number of kilometres, like 25',
      };
    case 'availability':
    case 'availability.weekdays':
      return { field: 'weekdays', text: 'Select the days they are usually free' };
    case 'availability.unavailable':
      return { field: 'away-0-from', text: `Enter ${MOST_AWAY_ROWS} periods away or fewer` };
    case 'check':
    case 'check.type':
      return { field: 'checkType', text: 'Select the type of check' };
    case 'check.number':
      return { field: 'checkNumber', text: 'Enter the certificate number, 4 to 40 characters' };
    case 'check.checkedOn':
      return { field: 'checkCheckedOn', text: 'Enter the date the check was made as a real date' };
    case 'check.expiresOn':
      return { field: 'checkExpiresOn', text: 'Enter the date the check expires as a real date' };
    case 'status':
      return { field: 'status', text: 'Select whether the ambassador is active, paused or has left' };
    default:
      return { field: path, text: 'Check this answer' };
  }
}
