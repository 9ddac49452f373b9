import { BadRequestException, Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Forbidden, type Principal, type School } from '#domain';
import { Access } from '../../auth/access.js';
import { Roles } from '../../auth/auth.decorators.js';
import type { DashboardUser } from '../../dashboard/dashboard-auth.js';
import { ProgrammesService } from '../../programmes/programmes.service.js';
import { SchoolsService } from '../../schools/schools.service.js';
import { validateForm, type FormErrors } from '../../web/forms.js';
import { Staff, StaffPages } from '../../web/staff-pages.js';
import { PartnershipsService } from '../partnerships.service.js';
import { AddSchoolForm, BudgetOverrideForm, PartnershipForm, poundsToPence, SchoolSearchForm } from './partnership.form.js';

const PAGE_SIZE = 25;
const SEARCH_RESULTS = 10;
/** Suggestions offered at once: a longer list is a search with more of the name, or the Search button. */
const SUGGESTIONS = 10;

/** What a redirect's `done` says on the page it lands on. */
const DONE: Record<string, string> = {
  created: 'Partnership created',
  'school-added': 'School added to the partnership',
  'school-removed': 'School removed from the partnership',
  override: 'Budget override recorded',
};

/**
 * The partnerships a person works on: the list, a new one (a cohort, a lead, a budget), and
 * a partnership's page with its schools (add and remove), its budget ledger (and an
 * override with a reason) and its recruitment KPI. Every read and change goes through the
 * services the API calls, with the person's own principal.
 */
@Controller('partnerships')
@StaffPages()
export class PartnershipsPagesController {
  constructor(
    private readonly partnerships: PartnershipsService,
    private readonly programmes: ProgrammesService,
    private readonly schools: SchoolsService,
    private readonly access: Access,
  ) {}

  @Get()
  @Roles('programme_manager', 'educational_lead', 'school_contact')
  async list(@Staff() user: DashboardUser, @Query('page') pageParam: string | undefined, @Res() res: Response) {
    const page = pageNumber(pageParam);
    const result = await this.partnerships.list(user.principal, { page, pageSize: PAGE_SIZE });
    const described = await this.partnerships.describe(result.items);
    const rows = result.items.map((p) => ({ ...p, ...described.get(p.id) }));
    return res.render('partnerships/pages/partnerships', {
      rows,
      total: result.total,
      pagination: pagination(page, result.total, (n) => `/partnerships?page=${n}`),
      mayCreate: mayCreate(user.principal),
    });
  }

  @Get('new')
  @Roles('programme_manager')
  async newPartnership(@Staff() user: DashboardUser, @Res() res: Response) {
    return this.renderNew(user.principal, res, {});
  }

  @Post()
  @Roles('programme_manager')
  async create(@Staff() user: DashboardUser, @Body() body: unknown, @Res() res: Response) {
    const form = await validateForm(PartnershipForm, body);
    if (!form.ok) return this.renderNew(user.principal, res.status(422), form.values, form.errors);
    const { name, area, cohortId, educationalLeadId, budget } = form.value;
    const partnership = await this.partnerships.create(user.principal, {
      name,
      area: area || undefined,
      cohortId,
      educationalLeadId: educationalLeadId || undefined,
      budgetPounds: Number(budget),
    });
    return res.redirect(303, `/partnerships/${partnership.id}?done=created`);
  }

  @Get(':id')
  @Roles('programme_manager', 'educational_lead', 'school_contact')
  async show(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Query() query: Record<string, unknown>, @Res() res: Response) {
    const search = await validateForm(SchoolSearchForm, { q: typeof query.q === 'string' ? query.q : undefined });
    return this.renderPartnership(user, id, res, { q: search.ok ? search.value.q : undefined, searchErrors: search.ok ? undefined : search.errors, done: DONE[String(query.done)] });
  }

  /**
   * The schools that may join, as the search for one is typed: the search's schools (the
   * same service, the same reach), less those already in the partnership, as JSON for the
   * page's script. Only for those who may change its schools.
   */
  @Get(':id/schools/suggestions')
  @Roles('programme_manager', 'educational_lead')
  async schoolSuggestions(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Query('q') q: unknown): Promise<Array<{ id: string; label: string }>> {
    const search = await validateForm(SchoolSearchForm, { q: typeof q === 'string' ? q : undefined });
    if (!search.ok) throw new BadRequestException(search.errors.list[0]?.text);
    await this.partnerships.get(user.principal, id);
    if (!(await this.access.canChange(user.principal, 'partnership', id))) throw new Forbidden('Only its programme’s managers and its lead change a partnership’s schools.');
    if (!search.value.q) return [];
    const found = await this.schools.list(user.principal, { page: 1, pageSize: SUGGESTIONS, q: search.value.q, notInPartnershipId: id });
    return found.items.map((school) => ({ id: school.id, label: schoolLabel(school) }));
  }

  @Post(':id/schools')
  @Roles('programme_manager', 'educational_lead')
  async addSchool(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @Res() res: Response) {
    const form = await validateForm(AddSchoolForm, body);
    if (!form.ok) return this.renderPartnership(user, id, res.status(422), { addErrors: form.errors });
    await this.partnerships.join(user.principal, id, form.value.schoolId, 'member');
    return res.redirect(303, `/partnerships/${id}?done=school-added#schools`);
  }

  @Post(':id/schools/:schoolId/remove')
  @Roles('programme_manager', 'educational_lead')
  async removeSchool(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Param('schoolId', ParseUUIDPipe) schoolId: string, @Res() res: Response) {
    await this.partnerships.leave(user.principal, id, schoolId);
    return res.redirect(303, `/partnerships/${id}?done=school-removed#schools`);
  }

  @Get(':id/budget/override')
  @Roles('programme_manager')
  async overridePage(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response) {
    const partnership = await this.partnerships.get(user.principal, id);
    return res.render('partnerships/pages/budget-override', { partnership, values: {} });
  }

  @Post(':id/budget/override')
  @Roles('programme_manager')
  async override(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @Res() res: Response) {
    const partnership = await this.partnerships.get(user.principal, id);
    const form = await validateForm(BudgetOverrideForm, body);
    if (!form.ok) return res.status(422).render('partnerships/pages/budget-override', { partnership, values: form.values, errors: form.errors });
    await this.partnerships.recordOverride(user.principal, id, poundsToPence(form.value.amount), form.value.reason);
    return res.redirect(303, `/partnerships/${id}?done=override#budget`);
  }

  private async renderNew(principal: Principal, res: Response, values: Record<string, string>, errors?: FormErrors) {
    const programmes = await this.programmes.list(principal);
    const cohorts = (
      await Promise.all(programmes.map(async (p) => (await this.programmes.cohorts(principal, p.id)).map((c) => ({ value: c.id, text: programmes.length > 1 ? `${p.name}: ${c.name}` : c.name }))))
    ).flat();
    const leads = await this.partnerships.leadsToName(principal);
    return res.render('partnerships/pages/new-partnership', {
      values,
      errors,
      cohorts: [{ value: '', text: 'Select a cohort' }, ...cohorts].map((item) => ({ ...item, selected: item.value === (values.cohortId ?? '') })),
      leads: [{ value: '', text: 'No lead yet' }, ...leads.map((l) => ({ value: l.id, text: l.email ? `${l.name} (${l.email})` : l.name }))].map((item) => ({
        ...item,
        selected: item.value === (values.educationalLeadId ?? ''),
      })),
    });
  }

  private async renderPartnership(user: DashboardUser, id: string, res: Response, options: { q?: string; searchErrors?: FormErrors; addErrors?: FormErrors; done?: string }) {
    const principal = user.principal;
    const partnership = await this.partnerships.get(principal, id);
    const described = (await this.partnerships.describe([partnership])).get(id);
    const memberships = await this.partnerships.memberSchools(principal, id);
    const current = memberships.filter((m) => !m.leftAt);
    const past = memberships.filter((m) => m.leftAt);
    const staff = principal.role !== 'school_contact';
    const mayChangeSchools = staff && (await this.access.canChange(principal, 'partnership', id));
    const budget = staff ? await this.partnerships.budget(principal, id) : undefined;
    const schoolNames = new Map(memberships.map((m) => [m.schoolId, m.schoolName]));
    const ledger = budget?.entries.map((e) => ({ ...e, schoolName: e.schoolId ? schoolNames.get(e.schoolId) : undefined }));
    const kpi = staff && described?.programmeId ? await this.programmes.kpis(principal, described.programmeId, { partnershipId: id }) : undefined;
    let results: Array<{ id: string; name: string; urn: number; member: boolean; postcode: string | null; localAuthority: string | null }> | undefined;
    let resultsTotal = 0;
    let resultsTotalIsAtLeast = false;
    if (mayChangeSchools && options.q) {
      const found = await this.schools.list(principal, { page: 1, pageSize: SEARCH_RESULTS, q: options.q });
      const members = new Set(current.map((m) => m.schoolId));
      results = found.items.map((s) => ({ id: s.id, name: s.name, urn: s.urn, postcode: s.postcode, localAuthority: s.localAuthority, member: members.has(s.id) }));
      resultsTotal = found.total;
      resultsTotalIsAtLeast = found.totalIsAtLeast;
    }
    const errors = options.addErrors ?? options.searchErrors;
    return res.render('partnerships/pages/partnership', {
      partnership,
      described,
      current,
      past,
      mayChangeSchools,
      mayOverride: principal.role === 'programme_manager' || principal.role === 'admin',
      budget,
      ledger,
      kpi,
      q: options.q ?? '',
      results,
      resultsTotal,
      resultsTotalIsAtLeast,
      errors,
      values: {},
      done: options.done,
    });
  }
}

/** A school as a suggestion names it: "Beacon Primary School (URN 610001, TS10 1AA)", by its local authority when it has no postcode. */
function schoolLabel(school: School): string {
  const where = school.postcode ?? school.localAuthority;
  return `${school.name} (URN ${school.urn}${where ? `, ${where}` : ''})`;
}

function mayCreate(principal: Principal): boolean {
  return principal.role === 'programme_manager' || principal.role === 'admin';
}

/** A page number from the query: absent is the first; anything but a whole number from 1 is a bad request. */
export function pageNumber(value: unknown): number {
  if (value === undefined || value === '') return 1;
  if (typeof value !== 'string' || !/^\d{1,6}$/.test(value) || Number(value) < 1) throw new BadRequestException('page must be a whole number from 1');
  return Number(value);
}

/** govukPagination's items for a list of `total` rows. */
export function pagination(page: number, total: number, href: (n: number) => string, pageSize = PAGE_SIZE) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return undefined;
  const shown = [...new Set([1, page - 1, page, page + 1, pages])].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b);
  const items: Array<{ number?: number; href?: string; current?: boolean; ellipsis?: boolean }> = [];
  shown.forEach((n, i) => {
    if (i > 0 && n - shown[i - 1] > 1) items.push({ ellipsis: true });
    items.push({ number: n, href: href(n), current: n === page });
  });
  return {
    items,
    previous: page > 1 ? { href: href(page - 1) } : undefined,
    next: page < pages ? { href: href(page + 1) } : undefined,
  };
}
