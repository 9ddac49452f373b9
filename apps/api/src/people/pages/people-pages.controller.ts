import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Conflict, InvalidInput, type Person, type Principal } from '#domain';
import { Access } from '../../auth/access.js';
import { Roles } from '../../auth/auth.decorators.js';
import { CpdService } from '../../cpd/cpd.service.js';
import type { DashboardUser } from '../../dashboard/dashboard-auth.js';
import { COUNTED_UP_TO } from '../../common/pagination.js';
import { pageNumber } from '../../partnerships/pages/partnerships-pages.controller.js';
import { PartnershipsService } from '../../partnerships/partnerships.service.js';
import { PrivacyService } from '../../privacy/privacy.service.js';
import { exportView } from '../../privacy/views/export-view.js';
import { SchoolsService } from '../../schools/schools.service.js';
import { validateForm, type FormErrors } from '../../web/forms.js';
import { keysetPagination } from '../../web/list-pages.js';
import { Staff, StaffPages } from '../../web/staff-pages.js';
import { EmailTaken, PeopleService } from '../people.service.js';
import { BASIS_LABELS, BOOKING_STATUS_LABELS, CHANNEL_LABELS, choices, CONSENT_HOW_LABELS, PERSON_LABELS } from './person-labels.js';
import { PeopleFilterForm, PersonForm, personInput } from './person.form.js';

const PAGE_SIZE = 25;
const READERS = ['programme_manager', 'educational_lead', 'school_contact'] as const;

/** Who may export and erase a person's data, as the API's privacy routes allow. */
const DATA_CONTROLLERS = new Set(['programme_manager', 'admin']);

const DONE: Record<string, string> = { added: 'Person added', changed: 'Details saved', erased: 'Personal data erased' };

/**
 * Teachers and staff: the list (found by name or email, at a school, in a partnership), a
 * new person, a change to one, and a person's page with their consents by purpose and their
 * CPD record; for a programme's managers, everything held about a person and its erasure.
 * The people, CPD, schools and privacy services answer with the person's own principal, as
 * they answer the API.
 */
@Controller('people')
@StaffPages()
@Roles(...READERS)
export class PeoplePagesController {
  constructor(
    private readonly people: PeopleService,
    private readonly cpd: CpdService,
    private readonly partnerships: PartnershipsService,
    private readonly schools: SchoolsService,
    private readonly privacy: PrivacyService,
    private readonly access: Access,
  ) {}

  @Get()
  async list(@Staff() user: DashboardUser, @Query() query: Record<string, unknown>, @Res() res: Response) {
    const filter = await validateForm(PeopleFilterForm, { q: query.q, schoolId: query.schoolId, partnershipId: query.partnershipId, after: query.after, before: query.before });
    const schools = await this.people.schoolsToStaff(user.principal);
    const partnerships = (await this.partnerships.list(user.principal, { page: 1, pageSize: 200 })).items;
    const chosen = filter.ok ? filter.value : { q: filter.values.q, schoolId: filter.values.schoolId, partnershipId: filter.values.partnershipId };
    const view = {
      values: { q: chosen.q ?? '' },
      filtered: Boolean(chosen.q || chosen.schoolId || chosen.partnershipId),
      schoolItems: [{ value: '', text: 'Any school' }, ...schools.map((s) => ({ value: s.id, text: s.name }))].map((i) => ({ ...i, selected: i.value === (chosen.schoolId ?? '') })),
      partnershipItems: [{ value: '', text: 'Any partnership' }, ...partnerships.map((p) => ({ value: p.id, text: p.name }))].map((i) => ({
        ...i,
        selected: i.value === (chosen.partnershipId ?? ''),
      })),
      mayAdd: user.principal.role !== 'school_contact' || schools.length > 0,
    };
    if (!filter.ok) return res.status(400).render('people/pages/people', { ...view, errors: filter.errors, rows: [], total: 0 });
    const { q, schoolId, partnershipId, after, before } = filter.value;
    const kept = { q: q || undefined, schoolId: schoolId || undefined, partnershipId: partnershipId || undefined };
    // A place in the list when the address has one (quick at any depth); a page number from an older link otherwise.
    const result = await this.people.list(user.principal, {
      page: after || before ? 1 : pageNumber(query.page),
      after: after || undefined,
      before: after ? undefined : before || undefined,
      pageSize: PAGE_SIZE,
      ...kept,
    });
    const schoolNames = await this.schoolNames(
      user.principal,
      result.items.map((p) => p.schoolId),
      schools,
    );
    return res.render('people/pages/people', {
      ...view,
      rows: result.items.map((p) => ({ ...p, roleName: PERSON_LABELS.role[p.role] ?? p.role, schoolName: p.schoolId ? schoolNames.get(p.schoolId) : undefined })),
      total: result.total,
      totalIsAtLeast: result.totalIsAtLeast,
      countedUpTo: COUNTED_UP_TO,
      pagination: keysetPagination('/people', kept, result, { previous: 'Previous', next: 'Next' }),
    });
  }

  @Get('new')
  async newPerson(@Staff() user: DashboardUser, @Query('schoolId') schoolId: unknown, @Res() res: Response) {
    return this.renderForm(user.principal, res, { values: { schoolId: typeof schoolId === 'string' ? schoolId : '' } });
  }

  @Post()
  async create(@Staff() user: DashboardUser, @Body() body: unknown, @Res() res: Response) {
    const form = await validateForm(PersonForm, body);
    if (!form.ok) return this.renderForm(user.principal, res.status(422), { values: form.values, errors: form.errors });
    try {
      const person = await this.people.create(user.principal, personInput(form.value));
      return res.redirect(303, `/people/${person.id}?done=added`);
    } catch (error) {
      const errors = refusedAnswer(error);
      if (!errors) throw error;
      return this.renderForm(user.principal, res.status(422), { values: typed(body), errors });
    }
  }

  @Get(':id')
  async show(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Query('done') done: unknown, @Res() res: Response) {
    const principal = user.principal;
    const person = await this.people.get(principal, id);
    const consents = (await this.people.consentsOf([person])).get(person.id) ?? [];
    const cpd = await this.cpd.personCpd(principal, id);
    const school = person.schoolId ? await this.schools.get(principal, person.schoolId) : undefined;
    const erasedAt = await this.privacy.erasedAt(principal, id);
    const mayChange = !erasedAt && (await this.access.canChangePerson(principal, person));
    return res.render('people/pages/person', {
      person,
      school,
      labels: PERSON_LABELS,
      consents: consents.map((c) => ({ ...c, basisName: BASIS_LABELS[c.basis] ?? c.basis, howName: c.how ? CONSENT_HOW_LABELS[c.how] : undefined })),
      cpd: {
        ...cpd,
        records: cpd.records.map((r) => ({ ...r, channelName: CHANNEL_LABELS[r.channel] ?? r.channel })),
        bookings: cpd.bookings.map((b) => ({ ...b, statusName: BOOKING_STATUS_LABELS[b.status] ?? b.status })),
      },
      erasedAt,
      mayChange,
      mayExport: DATA_CONTROLLERS.has(principal.role),
      mayErase: mayChange && DATA_CONTROLLERS.has(principal.role),
      done: DONE[String(done)],
    });
  }

  @Get(':id/export')
  @Roles('programme_manager')
  async export(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response) {
    const data = await this.privacy.export(user.principal, id);
    return res.render('privacy/views/export', { ...exportView(data), backHref: `/people/${id}` });
  }

  @Get(':id/erase')
  @Roles('programme_manager')
  async eraseForm(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response) {
    const person = await this.people.get(user.principal, id);
    const erasedAt = await this.privacy.erasedAt(user.principal, id);
    // Someone who may read the person but not change them is refused here, as the erasure would refuse them.
    if (!erasedAt) await this.access.mustChangePerson(user.principal, person);
    return res.render('people/pages/erase', { person, erasedAt });
  }

  @Post(':id/erase')
  @Roles('programme_manager')
  async erase(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response) {
    try {
      await this.privacy.erase(user.principal, id);
    } catch (error) {
      // Erased already (a second tab, a second click): the page says so, with when.
      if (error instanceof Conflict) return res.redirect(303, `/people/${id}/erase`);
      throw error;
    }
    return res.redirect(303, `/people/${id}?done=erased`);
  }

  @Get(':id/edit')
  async edit(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response) {
    const person = await this.people.get(user.principal, id);
    const surveys = (await this.people.consentsOf([person])).get(person.id)?.find((c) => c.purpose === 'surveys');
    // Unanswered stays unanswered: saving other details must not record an answer they never gave.
    const values = { ...valuesOf(person), consentToContact: surveys && !surveys.byDefault ? String(surveys.granted) : '' };
    return this.renderForm(user.principal, res, { person, values });
  }

  @Post(':id')
  async update(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @Res() res: Response) {
    const person = await this.people.get(user.principal, id);
    const form = await validateForm(PersonForm, body);
    if (!form.ok) return this.renderForm(user.principal, res.status(422), { person, values: form.values, errors: form.errors });
    try {
      await this.people.update(user.principal, id, personInput(form.value));
    } catch (error) {
      const errors = refusedAnswer(error);
      if (!errors) throw error;
      return this.renderForm(user.principal, res.status(422), { person, values: typed(body), errors });
    }
    return res.redirect(303, `/people/${id}?done=changed`);
  }

  private async renderForm(principal: Principal, res: Response, options: { person?: Person; values: Record<string, string>; errors?: FormErrors }) {
    const { person, values, errors } = options;
    const schools = await this.people.schoolsToStaff(principal);
    // Staff without a school are recorded by a programme's managers (educational leads).
    const mayRecordStaff = principal.role === 'programme_manager' || principal.role === 'admin';
    const current = person?.schoolId && !schools.some((s) => s.id === person.schoolId) ? await this.schools.get(principal, person.schoolId) : undefined;
    const schoolItems = [
      ...(mayRecordStaff || !values.schoolId ? [{ value: '', text: mayRecordStaff ? 'No school (staff such as an educational lead)' : 'Select their school' }] : []),
      ...(current ? [{ value: current.id, text: current.name }] : []),
      ...schools.map((s) => ({ value: s.id, text: `${s.name} (URN ${s.urn})` })),
    ].map((i) => ({ ...i, selected: i.value === (values.schoolId ?? '') }));
    return res.render('people/pages/person-form', {
      person,
      values,
      errors,
      schoolItems,
      roleItems: choices('role', values.role, 'Select their role'),
      phaseItems: choices('phase', values.phase, 'Not known'),
      subjectItems: choices('subjectSpecialism', values.subjectSpecialism, 'Not known'),
      careerItems: choices('careerStage', values.careerStage, 'Not known'),
      genderItems: choices('gender', values.gender, 'Not known'),
    });
  }

  /** The names of the schools on a page of people, from what the caller may read. */
  private async schoolNames(principal: Principal, ids: Array<string | null>, known: Array<{ id: string; name: string }>): Promise<Map<string, string>> {
    const names = new Map(known.map((s) => [s.id, s.name]));
    for (const id of new Set(ids)) {
      if (id && !names.has(id)) names.set(id, (await this.schools.get(principal, id)).name);
    }
    return names;
  }
}

/**
 * The service's refusals that are about one answer on the form, said beside that answer: an
 * address someone else already has, or a person with no school from someone who may only
 * add people at their schools.
 */
function refusedAnswer(error: unknown): FormErrors | undefined {
  const [field, text] =
    error instanceof EmailTaken
      ? ['email', 'This email address is already used by someone on the platform: find them in the list, or ask an admin']
      : error instanceof InvalidInput && error.fields.some((f) => f.field === 'schoolId')
        ? ['schoolId', 'Select their school']
        : [];
  if (!field || !text) return undefined;
  return { list: [{ text, href: `#${field}` }], byField: { [field]: { text } } };
}

/** What was typed into a form, to show again. */
function typed(body: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(typeof body === 'object' && body !== null ? body : {}).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function valuesOf(person: Person): Record<string, string> {
  const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));
  return {
    name: person.name,
    email: text(person.email),
    role: person.role,
    schoolId: text(person.schoolId),
    slt: text(person.slt),
    phase: text(person.phase),
    subjectSpecialism: text(person.subjectSpecialism),
    careerStage: text(person.careerStage),
    specialist: text(person.specialist),
    gender: text(person.gender),
  };
}
