import { Controller, Get, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { isNotificationKind, KIND_NAMES, kindName } from '#notifications';
import type { DashboardUser } from '../../dashboard/dashboard-auth.js';
import { ProgrammesService } from '../../programmes/programmes.service.js';
import { validateForm } from '../../web/forms.js';
import { COUNTED_UP_TO } from '../../common/pagination.js';
import { filledIn, keysetPagination, londonDayEnd, londonDayStart } from '../../web/list-pages.js';
import { Staff, StaffPages } from '../../web/staff-pages.js';
import { NotificationsService, type NotificationResponse } from '../notifications.service.js';
import { EmailFiltersForm } from './email-filters.form.js';
import { SCHEDULED_KIND_NAMES, STATUS_NAMES, STATUS_TAGS } from './words.js';

const PAGE_SIZE = 50;

/** Every kind, in words, for the kind filter. */
const KIND_OPTIONS = Object.entries(KIND_NAMES)
  .map(([value, text]) => ({ value, text }))
  .sort((a, b) => a.text.localeCompare(b.text));

/** When a row's status says something happened: sent, failed, skipped; otherwise when it is due. */
function when(n: NotificationResponse): { label: string; at: string } {
  if (n.status === 'sent' && n.sentAt) return { label: 'Sent', at: n.sentAt };
  if (n.status === 'failed' && n.failedAt) return { label: 'Failed', at: n.failedAt };
  if (n.status === 'skipped') return { label: 'Decided', at: n.updatedAt };
  return { label: 'Due', at: n.notBefore };
}

/** Why it was not sent (or why it failed), as a sentence. */
function reason(n: NotificationResponse): string | null {
  const text = n.status === 'skipped' ? n.skipReason : n.status === 'failed' ? n.lastError : null;
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : null;
}

function row(n: NotificationResponse) {
  return { ...n, reason: reason(n), kindName: kindName(n.kind), statusName: STATUS_NAMES[n.status] ?? n.status, statusTag: STATUS_TAGS[n.status] ?? 'govuk-tag--grey', when: when(n) };
}

/**
 * The email ledger's pages: every email the person may see (the same rule as the API's),
 * found by recipient and filtered by kind, status and date; one email with its attempts,
 * its reason when it was not sent, the message as its recipient saw it, and a resend; and
 * what each cohort still has to send.
 */
@Controller('emails')
@StaffPages()
export class EmailsPagesController {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly programmes: ProgrammesService,
  ) {}

  @Get()
  async list(@Staff() user: DashboardUser, @Query() query: unknown, @Res() res: Response) {
    const values = filledIn(query);
    const form = await validateForm(EmailFiltersForm, values);
    const view = { values, kinds: KIND_OPTIONS, statuses: Object.entries(STATUS_NAMES).map(([value, text]) => ({ value, text })) };
    if (!form.ok) return res.status(400).render('notifications/pages/emails', { ...view, errors: form.errors, rows: [], total: 0 });
    const filters = form.value;
    const found = await this.notifications.list(user.principal, {
      // A place in the list when the address has one (quick at any depth); a page number from an older link otherwise.
      page: filters.after || filters.before ? 1 : (filters.page ?? 1),
      after: filters.after,
      before: filters.after ? undefined : filters.before,
      pageSize: PAGE_SIZE,
      recipient: filters.recipient,
      kind: filters.kind,
      status: filters.status,
      from: filters.from ? londonDayStart(filters.from) : undefined,
      to: filters.to ? londonDayEnd(filters.to) : undefined,
    });
    const kept = { recipient: filters.recipient, kind: filters.kind, status: filters.status, from: filters.from, to: filters.to };
    return res.render('notifications/pages/emails', {
      ...view,
      rows: found.items.map(row),
      total: found.total,
      totalIsAtLeast: found.totalIsAtLeast,
      countedUpTo: COUNTED_UP_TO,
      filtered: Object.values(kept).some((v) => v !== undefined),
      pagination: keysetPagination('/emails', kept, found),
    });
  }

  /** What each cohort still has to send: planned and due actions, from now, in London time. */
  @Get('scheduled')
  async scheduled(@Staff() user: DashboardUser, @Query('cohort') chosen: unknown, @Res() res: Response) {
    const programmes = await this.programmes.list(user.principal);
    const cohorts = (await Promise.all(programmes.map(async (p) => (await this.programmes.cohorts(user.principal, p.id)).map((c) => ({ id: c.id, name: `${c.name} (${p.name})` }))))).flat();
    const cohortId = typeof chosen === 'string' && cohorts.some((c) => c.id === chosen) ? chosen : cohorts[0]?.id;
    const schedule = cohortId ? await this.programmes.schedule(user.principal, cohortId) : undefined;
    const entries = (schedule?.entries ?? []).filter((e) => e.status === 'planned' || e.status === 'claimed').map((e) => ({ ...e, kindName: SCHEDULED_KIND_NAMES[e.kind] ?? e.kind }));
    return res.render('notifications/pages/scheduled', { cohorts, cohortId, entries, schedule });
  }

  @Get(':id')
  async email(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Query('done') done: unknown, @Res() res: Response) {
    const [email, message, resends] = await Promise.all([this.notifications.get(user.principal, id), this.notifications.message(user.principal, id), this.notifications.resends(user.principal, id)]);
    return res.render('notifications/pages/email', {
      email: row(email),
      message,
      resends: resends.map(row),
      mayResend: isNotificationKind(email.kind),
      done: done === 'resent',
    });
  }

  /**
   * The email's HTML, as a page of its own under the email preview's policy (no script, no
   * forms, nothing loaded but its own images, in a sandbox of its own origin): an email's
   * look lives in style attributes, which the console's own policy rightly refuses.
   */
  @Get(':id/message')
  async messageHtml(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response) {
    const message = await this.notifications.message(user.principal, id);
    if (!message) return res.status(404).render('problem', { status: 404 });
    return res.type('text/html').send(message.html);
  }

  @Post(':id/resend')
  async resend(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response) {
    const again = await this.notifications.resend(user.principal, id);
    return res.redirect(303, `/emails/${again.id}?done=resent`);
  }
}
