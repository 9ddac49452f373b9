import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Clock, FINISHED_REQUEST_STATUSES, Forbidden, londonDate, type Ambassador, type Principal } from '#domain';
import { Access } from '../../auth/access.js';
import { Roles } from '../../auth/auth.decorators.js';
import type { DashboardUser } from '../../dashboard/dashboard-auth.js';
import { validateForm, type FormErrors } from '../../web/forms.js';
import { listHref, pagination } from '../../web/list-pages.js';
import { Staff, StaffPages } from '../../web/staff-pages.js';
import { AmbassadorRequestsService } from '../ambassador-requests.service.js';
import { AmbassadorsService, changedAmbassadorFields } from '../ambassadors.service.js';
import { AMBASSADOR_STATUS_NAMES, CancelRequestForm, CheckForm, checkState, deliveryInput, DeliveryForm, OFFER_STATUS_NAMES, REQUEST_STATUS_NAMES, statusFilter } from './ambassadors.forms.js';
import { awayRowsOf, positionNote, profileChoices, profileValues, readProfile, refusedProfile, typedProfile, UNPLACED, type ProfileValues } from './profile.form.js';

const PAGE_SIZE = 25;
const POOL_STAFF = new Set(['admin', 'programme_manager']);

/** What the page a person lands on after a change says was done. */
const DONE: Record<string, string> = {
  cancelled: 'Request cancelled. Any ambassador who was offered or had accepted it is being told.',
  delivered: 'Delivery recorded',
  'not-delivered': 'Recorded that the activity did not take place',
  'check-recorded': 'Safeguarding check saved. Renewal reminders are planned from its expiry.',
  added: 'STEM Ambassador added to the pool',
  changed: 'Profile saved',
  unchanged: 'Nothing was changed',
};
const doneMessage = (done: unknown) => (typeof done === 'string' && Object.hasOwn(DONE, done) ? DONE[done] : undefined);

const pageOf = (value: unknown) => Math.max(1, Math.min(10_000, Number.parseInt(String(value ?? '1'), 10) || 1));
const stringsOf = (body: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(typeof body === 'object' && body !== null ? body : {}).filter((e): e is [string, string] => typeof e[1] === 'string'));

/**
 * STEM Ambassadors in the console: the pool's profiles with their safeguarding checks (for
 * admins and programme managers, as the API), adding an ambassador to the pool and changing
 * their profile, and schools' requests by status, each with
 * its offers by wave, why it escalated, and cancelling it or recording its delivery. Every
 * handler calls the service the API calls, with the person's principal.
 */
@Controller('ambassadors')
@StaffPages()
export class AmbassadorsPagesController {
  constructor(
    private readonly ambassadors: AmbassadorsService,
    private readonly requests: AmbassadorRequestsService,
    private readonly access: Access,
    private readonly clock: Clock,
  ) {}

  @Get()
  async pool(@Staff() user: DashboardUser, @Query('q') q: unknown, @Query('page') pageParam: unknown, @Res() res: Response) {
    // The pool is the programme managers'; a lead works with their schools' requests.
    if (!POOL_STAFF.has(user.principal.role)) return res.redirect(303, '/ambassadors/requests');
    const search = typeof q === 'string' ? q.trim().slice(0, 200) : '';
    const page = pageOf(pageParam);
    const list = await this.ambassadors.list({ q: search || undefined, page, pageSize: PAGE_SIZE });
    const today = londonDate(await this.clock.now());
    return res.render('ambassadors/pages/ambassadors', {
      rows: list.items.map((a) => ({ ambassador: a, check: checkState(a.checkExpiresOn, today) })),
      total: list.total,
      search,
      statusNames: AMBASSADOR_STATUS_NAMES,
      pagination: pagination(page, PAGE_SIZE, list.total, (n) => listHref('/ambassadors', { q: search }, { page: n })),
    });
  }

  @Get('requests')
  async requestList(@Staff() user: DashboardUser, @Query('status') statusParam: unknown, @Query('page') pageParam: unknown, @Res() res: Response) {
    const status = statusFilter(statusParam);
    const page = pageOf(pageParam);
    const list = await this.requests.list(user.principal, { status, page, pageSize: PAGE_SIZE });
    return res.render('ambassadors/pages/requests', {
      rows: list.items,
      total: list.total,
      status,
      statusNames: REQUEST_STATUS_NAMES,
      statusOptions: [{ value: '', text: 'Any status' }, ...Object.entries(REQUEST_STATUS_NAMES).map(([value, text]) => ({ value, text, selected: value === status }))],
      pagination: pagination(page, PAGE_SIZE, list.total, (n) => listHref('/ambassadors/requests', { status }, { page: n })),
    });
  }

  @Get('requests/:id')
  async request(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Query('done') done: unknown, @Res() res: Response) {
    return res.render('ambassadors/pages/request', { ...(await this.requestView(user.principal, id)), values: {}, done: doneMessage(done) });
  }

  @Get('requests/:id/cancel')
  async cancelForm(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response) {
    const view = await this.requestView(user.principal, id);
    if (!view.mayCancel) return res.redirect(303, `/ambassadors/requests/${id}`);
    return res.render('ambassadors/pages/cancel-request', { ...view, values: {} });
  }

  @Post('requests/:id/cancel')
  async cancel(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @Res() res: Response) {
    const form = await validateForm(CancelRequestForm, body);
    if (!form.ok) return res.status(422).render('ambassadors/pages/cancel-request', { ...(await this.requestView(user.principal, id)), values: stringsOf(body), errors: form.errors });
    await this.requests.cancel(user.principal, id, { reason: form.value.reason });
    return res.redirect(303, `/ambassadors/requests/${id}?done=cancelled`);
  }

  @Post('requests/:id/delivery')
  async delivery(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @Res() res: Response) {
    const form = await validateForm(DeliveryForm, body);
    if (!form.ok) {
      const errors: FormErrors = form.errors;
      return res.status(422).render('ambassadors/pages/request', { ...(await this.requestView(user.principal, id)), values: stringsOf(body), errors });
    }
    const input = deliveryInput(form.value);
    await this.requests.confirmDelivery(user.principal, id, input);
    return res.redirect(303, `/ambassadors/requests/${id}?done=${input.delivered ? 'delivered' : 'not-delivered'}`);
  }

  @Get('new')
  @Roles('programme_manager')
  newAmbassador(@Res() res: Response) {
    // A new ambassador is offered to schools unless the form says otherwise, as the API defaults.
    return this.renderProfileForm(res, { identity: true, values: { status: 'active', keyStages: [], weekdays: [] } });
  }

  @Post()
  @Roles('programme_manager')
  async create(@Body() body: unknown, @Res() res: Response) {
    const form = await readProfile('add', body, { identity: true, check: true });
    if (!form.ok) return this.renderProfileForm(res.status(422), { identity: true, values: form.values, errors: form.errors });
    try {
      const ambassador = await this.ambassadors.create(form.input);
      return res.redirect(303, `/ambassadors/${ambassador.id}?done=added`);
    } catch (error) {
      const values = typedProfile(body);
      const errors = refusedProfile(error, values, form.awayRows);
      if (!errors) throw error;
      return this.renderProfileForm(res.status(422), { identity: true, values, errors });
    }
  }

  @Get(':id')
  @Roles('programme_manager')
  async ambassador(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Query('done') done: unknown, @Res() res: Response) {
    const ambassador = await this.ambassadors.get(user.principal, id);
    const today = londonDate(await this.clock.now());
    return res.render('ambassadors/pages/ambassador', {
      ambassador,
      positionNote: positionNote(ambassador),
      check: checkState(ambassador.checkExpiresOn, today),
      statusNames: AMBASSADOR_STATUS_NAMES,
      mayChangeIdentity: this.mayChangeIdentity(user.principal, id),
      done: doneMessage(done),
    });
  }

  @Get(':id/edit')
  @Roles('programme_manager')
  async editForm(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response) {
    const ambassador = await this.ambassadors.get(user.principal, id);
    return this.renderProfileForm(res, { ambassador, identity: this.mayChangeIdentity(user.principal, id), values: profileValues(ambassador) });
  }

  @Post(':id/edit')
  @Roles('programme_manager')
  async saveProfile(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @Res() res: Response) {
    const ambassador = await this.ambassadors.get(user.principal, id);
    const identity = this.mayChangeIdentity(user.principal, id);
    const form = await readProfile('change', body, { identity, check: false, current: ambassador });
    if (!form.ok) return this.renderProfileForm(res.status(422), { ambassador, identity, values: form.values, errors: form.errors });
    // Only what the form changes is sent, as a PATCH would: the record's history names just that.
    const changed = changedAmbassadorFields(ambassador, form.input);
    if (changed.length === 0) return res.redirect(303, `/ambassadors/${id}?done=unchanged`);
    const input = Object.fromEntries(changed.map((field) => [field, form.input[field as keyof typeof form.input]]));
    try {
      await this.ambassadors.update(user.principal, id, input);
    } catch (error) {
      const values = typedProfile(body);
      const errors = refusedProfile(error, values, form.awayRows);
      if (!errors) throw error;
      return this.renderProfileForm(res.status(422), { ambassador, identity, values, errors });
    }
    return res.redirect(303, `/ambassadors/${id}?done=changed`);
  }

  @Get(':id/check')
  @Roles('programme_manager')
  async checkForm(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response) {
    const a = await this.ambassadors.get(user.principal, id);
    const values = { type: a.checkType ?? '', number: a.checkNumber ?? '', checkedOn: a.checkCheckedOn ?? '', expiresOn: a.checkExpiresOn ?? '', status: a.status };
    return res.render('ambassadors/pages/check-form', { ambassador: a, values });
  }

  @Post(':id/check')
  @Roles('programme_manager')
  async saveCheck(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @Res() res: Response) {
    const ambassador = await this.ambassadors.get(user.principal, id);
    const form = await validateForm(CheckForm, body);
    if (!form.ok) return res.status(422).render('ambassadors/pages/check-form', { ambassador, values: stringsOf(body), errors: form.errors });
    const { status, ...check } = form.value;
    await this.ambassadors.update(user.principal, id, { check, status });
    return res.redirect(303, `/ambassadors/${id}?done=check-recorded`);
  }

  /** Whether the rule lets this person change an ambassador's name and email (only the ambassador, or an admin). */
  private mayChangeIdentity(principal: Principal, id: string): boolean {
    try {
      this.access.ambassadorChange(principal, id, ['name', 'email'], 'change');
      return true;
    } catch (error) {
      if (error instanceof Forbidden) return false;
      throw error;
    }
  }

  /** The add or change form: every answer the API takes, as typed or as the profile holds it. */
  private renderProfileForm(res: Response, view: { ambassador?: Ambassador; identity: boolean; values: ProfileValues; errors?: FormErrors }) {
    return res.render('ambassadors/pages/profile-form', {
      ...view,
      ...profileChoices(view.values),
      awayRows: awayRowsOf(view.values),
      statusNames: AMBASSADOR_STATUS_NAMES,
      unplaced: view.errors?.byField.postcode?.text === UNPLACED,
    });
  }

  private async requestView(principal: Principal, id: string) {
    const request = await this.requests.get(principal, id);
    const now = await this.clock.now();
    const finished = FINISHED_REQUEST_STATUSES.includes(request.status);
    const waves = new Map<number, NonNullable<typeof request.offers>>();
    for (const offer of request.offers ?? []) waves.set(offer.wave, [...(waves.get(offer.wave) ?? []), offer]);
    return {
      r: request,
      waves: [...waves.entries()].sort((a, b) => a[0] - b[0]).map(([wave, offers]) => ({ wave, offers })),
      statusNames: REQUEST_STATUS_NAMES,
      offerStatusNames: OFFER_STATUS_NAMES,
      deliveredBy: request.team.map((t) => t.name).join(', '),
      mayCancel: !finished,
      // The school says whether it happened once the activity has begun, as the service allows.
      mayRecordDelivery: request.status !== 'cancelled' && !request.delivery && new Date(request.startsAt) <= now,
    };
  }
}
