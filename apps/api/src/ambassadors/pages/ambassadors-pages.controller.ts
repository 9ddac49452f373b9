import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Clock, FINISHED_REQUEST_STATUSES, londonDate, type Principal } from '#domain';
import { Roles } from '../../auth/auth.decorators.js';
import type { DashboardUser } from '../../dashboard/dashboard-auth.js';
import { validateForm, type FormErrors } from '../../web/forms.js';
import { listHref, pagination } from '../../web/list-pages.js';
import { Staff, StaffPages } from '../../web/staff-pages.js';
import { AmbassadorRequestsService } from '../ambassador-requests.service.js';
import { AmbassadorsService } from '../ambassadors.service.js';
import { AMBASSADOR_STATUS_NAMES, CancelRequestForm, CheckForm, checkState, deliveryInput, DeliveryForm, OFFER_STATUS_NAMES, REQUEST_STATUS_NAMES, statusFilter } from './ambassadors.forms.js';

const PAGE_SIZE = 25;
const POOL_STAFF = new Set(['admin', 'programme_manager']);

/** What the page a person lands on after a change says was done. */
const DONE: Record<string, string> = {
  cancelled: 'Request cancelled. Any ambassador who was offered or had accepted it is being told.',
  delivered: 'Delivery recorded',
  'not-delivered': 'Recorded that the activity did not take place',
  'check-recorded': 'Safeguarding check saved. Renewal reminders are planned from its expiry.',
};
const doneMessage = (done: unknown) => (typeof done === 'string' && Object.hasOwn(DONE, done) ? DONE[done] : undefined);

const pageOf = (value: unknown) => Math.max(1, Math.min(10_000, Number.parseInt(String(value ?? '1'), 10) || 1));
const stringsOf = (body: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(typeof body === 'object' && body !== null ? body : {}).filter((e): e is [string, string] => typeof e[1] === 'string'));

/**
 * STEM Ambassadors in the console: the pool's profiles with their safeguarding checks (for
 * admins and programme managers, as the API), and schools' requests by status, each with
 * its offers by wave, why it escalated, and cancelling it or recording its delivery. Every
 * handler calls the service the API calls, with the person's principal.
 */
@Controller('ambassadors')
@StaffPages()
export class AmbassadorsPagesController {
  constructor(
    private readonly ambassadors: AmbassadorsService,
    private readonly requests: AmbassadorRequestsService,
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

  @Get(':id')
  @Roles('programme_manager')
  async ambassador(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Query('done') done: unknown, @Res() res: Response) {
    const ambassador = await this.ambassadors.get(user.principal, id);
    const today = londonDate(await this.clock.now());
    return res.render('ambassadors/pages/ambassador', { ambassador, check: checkState(ambassador.checkExpiresOn, today), statusNames: AMBASSADOR_STATUS_NAMES, done: doneMessage(done) });
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
