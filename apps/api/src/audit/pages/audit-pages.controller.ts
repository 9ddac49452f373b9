import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { DashboardUser } from '../../dashboard/dashboard-auth.js';
import { RetentionService } from '../../privacy/retention.service.js';
import { validateForm } from '../../web/forms.js';
import { COUNTED_UP_TO } from '../../common/pagination.js';
import { filledIn, keysetPagination, ListPageForm, listHref, londonDayEnd, londonDayStart, pagination } from '../../web/list-pages.js';
import { Staff, StaffPages } from '../../web/staff-pages.js';
import { AuditService, type AuditRow } from '../audit.service.js';
import { AuditFiltersForm } from './audit-filters.form.js';

const PAGE_SIZE = 50;

export const ACTION_NAMES: Record<string, string> = { POST: 'Created or acted', PUT: 'Replaced', PATCH: 'Changed', DELETE: 'Removed' };
export const OUTCOME_NAMES: Record<string, string> = { committed: 'Changed something', unchanged: 'Changed nothing', unknown: 'Not recorded' };
const ROLE_NAMES: Record<string, string> = {
  admin: 'Admin',
  programme_manager: 'Programme manager',
  educational_lead: 'Educational lead',
  school_contact: 'School contact',
  ambassador: 'STEM Ambassador',
};
const ACTOR_TYPES: Record<string, string> = { token: 'API token', dashboard: 'Signed in', page_link: 'Emailed link', unsubscribe_link: 'Unsubscribe link', anonymous: 'Nobody known' };

/** What each retention count removed, in words. */
const REMOVED_NAMES: Record<string, string> = {
  surveyTextAnswers: 'Survey answers in words',
  notificationBodies: "Emails' contents",
  expiredLinks: 'Expired emailed links',
  dashboardSessions: 'Ended sign-in sessions',
};

function auditRow(r: AuditRow) {
  return {
    ...r,
    who: r.actorName ?? r.actorEmail ?? ACTOR_TYPES[r.actorType] ?? r.actorType,
    whoDetail: r.actorName && r.actorEmail ? r.actorEmail : null,
    roleName: r.role ? (ROLE_NAMES[r.role] ?? r.role) : null,
    actionName: ACTION_NAMES[r.method] ?? r.method,
    outcomeName: OUTCOME_NAMES[r.outcome] ?? r.outcome,
  };
}

/**
 * The audit log (every write through the API and the pages) with its filters, and the
 * retention policy's runs with what each removed: the platform's records, read by admins.
 */
@Controller('audit')
@StaffPages()
export class AuditPagesController {
  constructor(
    private readonly audit: AuditService,
    private readonly retention: RetentionService,
  ) {}

  @Get()
  async list(@Staff() user: DashboardUser, @Query() query: unknown, @Res() res: Response) {
    const values = filledIn(query);
    const [form, kinds] = await Promise.all([validateForm(AuditFiltersForm, values), this.audit.subjectTypes(user.principal)]);
    const view = { values, kinds, actions: Object.entries(ACTION_NAMES), outcomes: Object.entries(OUTCOME_NAMES) };
    if (!form.ok) return res.status(400).render('audit/pages/audit', { ...view, errors: form.errors, rows: [], total: 0 });
    const filters = form.value;
    const found = await this.audit.list(user.principal, {
      // A place in the log when the address has one (quick at any depth); a page number from an older link otherwise.
      page: filters.after || filters.before ? 1 : (filters.page ?? 1),
      after: filters.after,
      before: filters.after ? undefined : filters.before,
      pageSize: PAGE_SIZE,
      actor: filters.actor,
      subjectType: filters.subjectType,
      method: filters.method,
      outcome: filters.outcome,
      from: filters.from ? londonDayStart(filters.from) : undefined,
      to: filters.to ? londonDayEnd(filters.to) : undefined,
    });
    const kept = { actor: filters.actor, subjectType: filters.subjectType, method: filters.method, outcome: filters.outcome, from: filters.from, to: filters.to };
    return res.render('audit/pages/audit', {
      ...view,
      rows: found.items.map(auditRow),
      total: found.total,
      totalIsAtLeast: found.totalIsAtLeast,
      countedUpTo: COUNTED_UP_TO,
      filtered: Object.values(kept).some((v) => v !== undefined),
      pagination: keysetPagination('/audit', kept, found),
    });
  }

  @Get('retention')
  async retentionRuns(@Staff() user: DashboardUser, @Query() query: unknown, @Res() res: Response) {
    const form = await validateForm(ListPageForm, filledIn(query));
    const page = form.ok ? (form.value.page ?? 1) : 1;
    const found = await this.retention.runs(user.principal, { page, pageSize: PAGE_SIZE });
    return res.render('audit/pages/retention', {
      runs: found.items.map((r) => ({ ...r, removedList: Object.entries(r.removed).map(([key, n]) => ({ what: REMOVED_NAMES[key] ?? key, n })) })),
      total: found.total,
      pagination: pagination(page, PAGE_SIZE, found.total, (n) => listHref('/audit/retention', {}, { page: n })),
    });
  }
}
