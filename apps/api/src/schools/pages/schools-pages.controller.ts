import { BadRequestException, Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import { DateTime } from 'luxon';
import {
  Clock,
  CONTACT_ROLE_NAMES,
  DomainError,
  Forbidden,
  nextSchoolStatuses,
  OFSTED_RATING_NAMES,
  SCHOOL_PHASE_NAMES,
  SCHOOL_PHASES,
  SCHOOL_STATUS_NAMES,
  SCHOOL_STATUSES,
  type School,
  type SchoolStatus,
} from '#domain';
import { AmbassadorRequestsService } from '../../ambassadors/ambassador-requests.service.js';
import { COUNTED_UP_TO } from '../../common/pagination.js';
import { CpdService } from '../../cpd/cpd.service.js';
import type { DashboardUser } from '../../dashboard/dashboard-auth.js';
import { SelfEvaluationService } from '../../self-evaluation/self-evaluation.service.js';
import { validateForm, type FormErrors } from '../../web/forms.js';
import { keysetPagination } from '../../web/list-pages.js';
import { PAGE_ZONE } from '../../web/view-filters.js';
import { Staff, StaffPages } from '../../web/staff-pages.js';
import { SchoolRecordsService } from '../school-records.service.js';
import { SchoolTimelineService } from '../school-timeline.service.js';
import { SchoolsImportService } from '../schools-import.service.js';
import { SchoolsService } from '../schools.service.js';
import { ChangeStatusForm, FindSchoolsForm, inspectionDate, RecordOfstedForm } from './school-pages.forms.js';

const PAGE_SIZE = 50;
/** The most a school's page shows of its timeline, newest first. */
const TIMELINE_SHOWN = 100;
const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
const FILTER_KEYS = ['q', 'status', 'phase', 'partnershipId', 'cohortId'] as const;

/** What multer hands over for the uploaded file (kept in memory: an extract is read once, then stored as text). */
interface UploadedCsv {
  originalname: string;
  buffer: Buffer;
  size: number;
}

/** The words the school views use for the stored codes. */
/** A school's fields as the preview of an import names what a row changes. */
const FIELD_NAMES: Record<string, string> = {
  urn: 'URN',
  name: 'name',
  phase: 'phase',
  establishmentType: 'type',
  localAuthority: 'local authority',
  postcode: 'postcode',
  pupils: 'pupils',
  easting: 'easting',
  northing: 'northing',
  contactName: 'contact name',
  contactEmail: 'contact email',
};
const STATUS_TAGS: Record<SchoolStatus, string> = { invited: 'govuk-tag--grey', joined: 'govuk-tag--blue', active: 'govuk-tag--green', less_active: 'govuk-tag--yellow', withdrawn: 'govuk-tag--red' };
const WORDS = { statusNames: SCHOOL_STATUS_NAMES, statusTags: STATUS_TAGS, phaseNames: SCHOOL_PHASE_NAMES, ratingNames: OFSTED_RATING_NAMES, contactRoleNames: CONTACT_ROLE_NAMES };

/**
 * The schools a person works with: find them (by name, URN, postcode or local authority,
 * filtered and paged), read one school's record and history, change its status or record
 * an Ofsted judgement, and upload a GIAS extract, previewed before it is applied. Every
 * answer comes from the services the API calls, with the signed-in person's principal.
 */
@Controller('schools')
@StaffPages()
export class SchoolsPagesController {
  constructor(
    private readonly schools: SchoolsService,
    private readonly importer: SchoolsImportService,
    private readonly records: SchoolRecordsService,
    private readonly timelines: SchoolTimelineService,
    private readonly evaluations: SelfEvaluationService,
    private readonly requests: AmbassadorRequestsService,
    private readonly cpd: CpdService,
    private readonly clock: Clock,
  ) {}

  @Get()
  async find(@Staff() user: DashboardUser, @Query() query: Record<string, unknown>, @Res() res: Response) {
    const form = await validateForm(FindSchoolsForm, query);
    if (!form.ok) throw new BadRequestException();
    const search = form.value;
    // A place in the list when the address has one (quick at any depth); a page number from an older link otherwise.
    const page = search.after || search.before ? 1 : (search.page ?? 1);
    const [result, filters] = await Promise.all([
      this.schools.list(user.principal, { ...search, page, after: search.after, before: search.after ? undefined : search.before, pageSize: PAGE_SIZE }),
      this.schools.listFilters(user.principal),
    ]);
    const filtered = Object.fromEntries(FILTER_KEYS.filter((key) => search[key]).map((key) => [key, String(search[key])]));
    return res.render('schools/pages/find-schools', {
      ...WORDS,
      result,
      values: filtered,
      filtering: Object.keys(filtered).length > 0,
      first: (page - 1) * PAGE_SIZE + 1,
      last: (page - 1) * PAGE_SIZE + result.items.length,
      countedUpTo: COUNTED_UP_TO,
      pagination: keysetPagination('/schools', filtered, result, { previous: 'Previous', next: 'Next' }),
      statuses: SCHOOL_STATUSES,
      phases: SCHOOL_PHASES,
      partnerships: filters.partnerships,
      cohorts: filters.cohorts,
      mayImport: this.importer.mayImport(user.principal),
    });
  }

  @Get('import')
  uploadPage(@Staff() user: DashboardUser, @Res() res: Response) {
    this.mustImport(user);
    return res.render('schools/pages/upload', { values: {} });
  }

  /** A multipart form: the body parsers do not read it, so its form token is in the action's query. */
  @Post('import')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 5 } }))
  async upload(@Staff() user: DashboardUser, @UploadedFile() file: UploadedCsv | undefined, @Res() res: Response) {
    this.mustImport(user);
    const refuse = (text: string) => res.status(422).render('schools/pages/upload', { values: {}, errors: fieldError('file', text) });
    if (!file || file.size === 0) return refuse('Select a GIAS extract (a CSV file) to upload');
    const csv = file.buffer.toString('utf8');
    if (csv.includes('\u0000')) return refuse('The selected file must be a CSV file');
    try {
      const draft = await this.importer.upload(user.principal, csv, file.originalname.slice(0, 200) || null);
      return res.redirect(303, `/schools/import/${draft.id}`);
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'invalid') return refuse(error.message);
      throw error;
    }
  }

  @Get('import/:id')
  async preview(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response) {
    const draft = await this.importer.draft(user.principal, id);
    return res.render('schools/pages/import-preview', {
      fieldNames: FIELD_NAMES,
      draft,
      shownChanges: draft.preview.changes?.slice(0, 200) ?? [],
    });
  }

  @Post('import/:id')
  async confirm(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response) {
    await this.importer.confirm(user.principal, id);
    return res.redirect(303, `/schools/import/${id}`);
  }

  @Get(':id')
  async show(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Query('done') done: unknown, @Res() res: Response) {
    const principal = user.principal;
    const school = await this.schools.get(principal, id);
    const [contacts, ofsted, statusHistory, timeline, evaluations, requests, cpd, mayChange] = await Promise.all([
      this.records.contacts(principal, id),
      this.records.ofsted(principal, id),
      this.records.statusHistory(principal, id),
      this.timelines.timeline(principal, id),
      this.evaluations.forSchool(principal, id),
      this.requests.listForSchool(principal, id),
      this.cpd.schoolCpd(principal, id),
      this.schools.mayChange(principal, id),
    ]);
    const entries = [...timeline.entries].reverse();
    return res.render('schools/pages/school', {
      ...WORDS,
      school,
      contacts,
      ofsted: [...ofsted].reverse(),
      statusHistory: [...statusHistory].reverse(),
      timeline: entries.slice(0, TIMELINE_SHOWN),
      timelineTotal: entries.length,
      evaluations,
      requests,
      cpd,
      mayChange,
      done: done === 'status' || done === 'ofsted' ? done : undefined,
    });
  }

  @Get(':id/status')
  async statusPage(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response) {
    const school = await this.changeable(user, id);
    return res.render('schools/pages/change-status', { ...WORDS, school, choices: nextSchoolStatuses(school.status), values: {} });
  }

  @Post(':id/status')
  async changeStatus(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @Res() res: Response) {
    const school = await this.changeable(user, id);
    const again = (values: Record<string, string>, errors: FormErrors) =>
      res.status(422).render('schools/pages/change-status', { ...WORDS, school, choices: nextSchoolStatuses(school.status), values, errors });
    const form = await validateForm(ChangeStatusForm, body);
    if (!form.ok) return again(form.values, form.errors);
    try {
      await this.records.changeStatus(user.principal, id, { status: form.value.status, reason: form.value.reason });
    } catch (error) {
      // The school moved on since the page was opened (or the form was altered): say where it can go now.
      if (error instanceof DomainError && error.kind === 'conflict') return again(stringValues(body), fieldError('status', error.message));
      throw error;
    }
    return res.redirect(303, `/schools/${id}?done=status`);
  }

  @Get(':id/ofsted')
  async ofstedPage(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response) {
    const school = await this.changeable(user, id);
    return res.render('schools/pages/record-ofsted', { ...WORDS, school, values: {} });
  }

  @Post(':id/ofsted')
  async recordOfsted(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @Res() res: Response) {
    const school = await this.changeable(user, id);
    const again = (values: Record<string, string>, errors: FormErrors) => res.status(422).render('schools/pages/record-ofsted', { ...WORDS, school, values, errors });
    const form = await validateForm(RecordOfstedForm, body);
    const today = DateTime.fromJSDate(await this.clock.now(), { zone: PAGE_ZONE }).toISODate()!;
    const date = inspectionDate(stringValues(body), today);
    const errors = join('message' in date ? fieldError('inspectedOn', date.message, 'inspectedOn-day') : undefined, form.ok ? undefined : form.errors);
    if (errors || !form.ok || !('iso' in date)) return again(stringValues(body), errors ?? fieldError('rating', 'Select the judgement'));
    try {
      await this.records.recordOfsted(user.principal, id, { inspectedOn: date.iso, rating: form.value.rating === 'none' ? null : Number(form.value.rating) });
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'conflict') return again(stringValues(body), fieldError('inspectedOn', error.message, 'inspectedOn-day'));
      throw error;
    }
    return res.redirect(303, `/schools/${id}?done=ofsted`);
  }

  /** A school whose record the person may change: not found when out of reach, refused (403) when only theirs to read. */
  private async changeable(user: DashboardUser, id: string): Promise<School & { status: SchoolStatus }> {
    await this.schools.mustChange(user.principal, id);
    return this.schools.get(user.principal, id);
  }

  private mustImport(user: DashboardUser): void {
    if (!this.importer.mayImport(user.principal)) throw new Forbidden('Only admins and programme managers import schools.');
  }
}

function stringValues(body: unknown): Record<string, string> {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  return Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function fieldError(field: string, text: string, anchor = field): FormErrors {
  return { list: [{ text, href: `#${anchor}` }], byField: { [field]: { text } } };
}

/** Two sets of form errors as one, in the order the fields come on the page. */
function join(first: FormErrors | undefined, second: FormErrors | undefined): FormErrors | undefined {
  if (!first) return second;
  if (!second) return first;
  return { list: [...first.list, ...second.list], byField: { ...first.byField, ...second.byField } };
}
