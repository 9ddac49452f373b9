import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { EnrichmentDetails, Principal } from '#domain';
import { Roles } from '../../auth/auth.decorators.js';
import type { DashboardUser } from '../../dashboard/dashboard-auth.js';
import { SchoolsService } from '../../schools/schools.service.js';
import { validateForm, type FormErrors } from '../../web/forms.js';
import { filledIn, listHref, pagination } from '../../web/list-pages.js';
import { Staff, StaffPages } from '../../web/staff-pages.js';
import { EnrichmentService } from '../enrichment.service.js';
import { EnrichmentCorrectionForm, EnrichmentEventForm, EnrichmentFiltersForm, eventBody, formValues, KEY_STAGE_NAMES, readEventForm, TYPE_NAMES, type EventFormValues } from './enrichment.form.js';
import { changesBetween, typeName } from './event-history.js';

const PAGE_SIZE = 25;

/** What a redirect's `done` says on the page it lands on. */
const DONE: Record<string, string> = { recorded: 'Enrichment event recorded', corrected: 'Correction saved; the earlier version is kept in the history' };

const TYPE_OPTIONS = Object.entries(TYPE_NAMES).map(([value, text]) => ({ value, text }));
const KEY_STAGE_OPTIONS = Object.entries(KEY_STAGE_NAMES).map(([value, text]) => ({ value, text }));

type EventView = Awaited<ReturnType<EnrichmentService['get']>>;

/**
 * Enrichment events in the console: the list of those the person may read (filtered by
 * partnership, school and day), recording one for a school they may record for, and an
 * event's page with every version it has had, newest first, and its correction. Every read
 * and change goes through the service the API calls, with the person's own principal.
 */
@Controller('enrichment')
@StaffPages()
@Roles('programme_manager', 'educational_lead', 'school_contact')
export class EnrichmentPagesController {
  constructor(
    private readonly enrichment: EnrichmentService,
    private readonly schools: SchoolsService,
  ) {}

  @Get()
  async list(@Staff() user: DashboardUser, @Query() query: unknown, @Res() res: Response) {
    const values = filledIn(query);
    const [{ partnerships }, schools] = await Promise.all([this.schools.listFilters(user.principal), this.enrichment.schoolsToRecordFor(user.principal)]);
    const view = {
      values,
      partnerships: [{ value: '', text: 'Any partnership' }, ...partnerships.map((p) => ({ value: p.id, text: p.name, selected: p.id === values.partnershipId }))],
      schoolItems: [{ value: '', text: 'Any school' }, ...schools.map((s) => ({ value: s.id, text: s.name, selected: s.id === values.schoolId }))],
      mayRecord: schools.length > 0,
    };
    const form = await validateForm(EnrichmentFiltersForm, values);
    if (!form.ok) return res.status(400).render('enrichment/pages/events', { ...view, errors: form.errors, rows: [], total: 0 });
    const filters = form.value;
    const page = filters.page ?? 1;
    const kept = { partnershipId: filters.partnershipId || undefined, schoolId: filters.schoolId || undefined, from: filters.from || undefined, to: filters.to || undefined };
    const found = await this.enrichment.list(user.principal, { page, pageSize: PAGE_SIZE, ...kept });
    return res.render('enrichment/pages/events', {
      ...view,
      rows: found.items.map((e) => ({ ...e, typeName: typeName(e.type), took: e.audience.pupils + e.audience.parents + e.audience.staff + e.audience.otherSchools })),
      total: found.total,
      filtered: Object.values(kept).some((v) => v !== undefined),
      pagination: pagination(page, PAGE_SIZE, found.total, (n) => listHref('/enrichment', kept, { page: n })),
    });
  }

  @Get('new')
  async newEvent(@Staff() user: DashboardUser, @Res() res: Response) {
    return this.renderForm(user.principal, res, { keyStages: [] });
  }

  @Post()
  async record(@Staff() user: DashboardUser, @Body() body: unknown, @Res() res: Response) {
    const read = await readEventForm(EnrichmentEventForm, body);
    if (!read.ok) return this.renderForm(user.principal, res.status(422), read.values, read.errors);
    // A manager records under their programme, so the event stays the programme's to read if its school moves on.
    const scope = user.principal.scope;
    const programmeId = scope?.kind === 'programme' ? scope.id : null;
    const event = await this.enrichment.record(user.principal, eventBody(read.form, read.occursOn, { programmeId, schoolIds: [], hostSchoolId: null }));
    return res.redirect(303, `/enrichment/${event.id}?done=recorded`);
  }

  @Get(':id')
  async show(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Query('done') done: unknown, @Res() res: Response) {
    const event = await this.enrichment.get(user.principal, id);
    const names = await this.enrichment.schoolNames([...event.schoolIds, ...event.history.flatMap((v) => v.schoolIds), ...(event.hostSchoolId ? [event.hostSchoolId] : [])]);
    const history = event.history.map((v, i) => ({ ...v, changes: i === 0 ? [] : changesBetween(event.history[i - 1], v, names) })).reverse();
    return res.render('enrichment/pages/event', {
      event: { ...event, typeName: typeName(event.type) },
      hostName: event.hostSchoolId ? names.get(event.hostSchoolId) : undefined,
      attending: event.schoolIds.filter((s) => s !== event.hostSchoolId).map((s) => names.get(s) ?? 'A school'),
      keyStages: event.keyStages.map((k) => KEY_STAGE_NAMES[k] ?? k),
      history,
      done: DONE[String(done)],
    });
  }

  @Get(':id/correct')
  async correctPage(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response) {
    const event = await this.enrichment.get(user.principal, id);
    return this.renderForm(user.principal, res, formValues(event), undefined, event);
  }

  @Post(':id/correct')
  async correct(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @Res() res: Response) {
    const event = await this.enrichment.get(user.principal, id);
    const read = await readEventForm(EnrichmentCorrectionForm, body);
    if (!read.ok) return this.renderForm(user.principal, res.status(422), read.values, read.errors, event);
    await this.enrichment.correct(user.principal, id, { ...eventBody(read.form, read.occursOn, event), reason: read.form.reason });
    return res.redirect(303, `/enrichment/${id}?done=corrected#history`);
  }

  /** The event's form, to record one or (given the event) to correct it: the host school is one the person may record for. */
  private async renderForm(principal: Principal, res: Response, values: EventFormValues, errors?: FormErrors, event?: EventView & Partial<EnrichmentDetails>) {
    const schools = await this.enrichment.schoolsToRecordFor(principal);
    const chosen = typeof values.hostSchoolId === 'string' ? values.hostSchoolId : '';
    // A correction by someone who may not record for its host school still shows that school, so the form does not change it unasked.
    const hostKept =
      event?.hostSchoolId && !schools.some((s) => s.id === event.hostSchoolId)
        ? [{ id: event.hostSchoolId, name: (await this.enrichment.schoolNames([event.hostSchoolId])).get(event.hostSchoolId) ?? 'Its host school', urn: 0 }]
        : [];
    const stages = Array.isArray(values.keyStages) ? values.keyStages : [];
    return res.render('enrichment/pages/event-form', {
      event,
      values,
      errors,
      types: [{ value: '', text: 'Select a kind of event' }, ...TYPE_OPTIONS].map((t) => ({ ...t, selected: t.value === (values.type ?? '') })),
      schools: [{ value: '', text: 'Select a school' }, ...[...hostKept, ...schools].map((s) => ({ value: s.id, text: s.urn ? `${s.name} (URN ${s.urn})` : s.name }))].map((s) => ({
        ...s,
        selected: s.value === chosen,
      })),
      keyStages: KEY_STAGE_OPTIONS.map((k) => ({ ...k, checked: stages.includes(k.value) })),
    });
  }
}
