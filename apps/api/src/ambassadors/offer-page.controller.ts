import { Body, Controller, Get, HttpCode, Injectable, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { AmbassadorOffer, AmbassadorRequest, answerOffer, LinkPurposes, UnitOfWork, type OfferAction, type OfferOutcome } from '#domain';
import { escapeHtml } from '#notifications';
import { Public } from '../auth/auth.decorators.js';
import { renderPage, type PageBranding } from '../pages/page-layout.js';
import { PageLinks, type OpenedLink } from '../pages/page-links.js';
import { PageRateLimit } from '../common/rate-limits.js';

const when = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'full', timeStyle: 'short' });
const time = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', timeStyle: 'short' });
const stamp = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'medium', timeStyle: 'short' });

interface OfferView {
  offer: AmbassadorOffer;
  request: AmbassadorRequest;
  schoolName: string;
  ambassadorName: string;
  answers: Array<{ answer: string; reason: string | null; hours: number | null; answered_at: Date }>;
}

type Errors = Partial<Record<'answer' | 'reason' | 'hours' | 'notes', string>>;
type Form = { answer?: string; reason?: string; hours?: string; notes?: string };

const OUTCOME_NOTICES: Record<OfferOutcome, string> = {
  accepted: "Thank you: you're going. We have told the school, and an email with the details is on its way.",
  already_accepted: "You had already said yes: you're going.",
  filled: 'Thank you for saying yes. This request has just filled, so there is nothing more you need to do. We will be in touch with the next request that matches you.',
  declined: 'Thank you for letting us know. We will ask someone else.',
  withdrew: 'Thank you for letting us know. Your place is freed and we will ask someone else.',
  hours_logged: 'Thank you: your hours are logged.',
  offer_expired: 'This offer closed before your answer arrived, and the place has been offered to someone else. Thank you all the same.',
  closed: 'This request is closed now, so answers can no longer be changed.',
  not_allowed: 'That answer cannot be given at this point.',
};

/**
 * An ambassador's offer, reached from the email (`/r/:token`). Before the activity they say
 * yes or no (with a reason if they like) and may come back to change it; after it, an
 * ambassador who came logs their hours. Every answer is kept as history.
 */
@Injectable()
export class OfferPageService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async load(offerId: string): Promise<OfferView | undefined> {
    const offer = await this.dataSource.manager.findOneBy(AmbassadorOffer, { id: offerId });
    if (!offer) return undefined;
    const request = await this.dataSource.manager.findOneByOrFail(AmbassadorRequest, { id: offer.requestId });
    const [names]: Array<{ school: string; ambassador: string }> = await this.dataSource.query(
      `SELECT s.name AS school, a.name AS ambassador FROM schools s, ambassadors a WHERE s.id = $1 AND a.id = $2`,
      [request.schoolId, offer.ambassadorId],
    );
    const answers = await this.dataSource.query(`SELECT answer, reason, hours, answered_at FROM offer_answers WHERE offer_id = $1 ORDER BY answered_at, id`, [offerId]);
    return { offer, request, schoolName: names.school, ambassadorName: names.ambassador, answers };
  }

  answer(offerId: string, action: OfferAction): Promise<OfferOutcome> {
    return this.unitOfWork.run((tx) => answerOffer(tx, offerId, action));
  }
}

function details(v: OfferView): string {
  const r = v.request;
  return `<dl class="evidence">
<dt><strong>School</strong></dt><dd>${escapeHtml(v.schoolName)}</dd>
<dt><strong>Activity</strong></dt><dd>${escapeHtml(r.activityType)}</dd>
<dt><strong>When</strong></dt><dd>${escapeHtml(when.format(r.startsAt))} to ${escapeHtml(time.format(r.endsAt))}</dd>
<dt><strong>Key stages</strong></dt><dd>${escapeHtml(r.keyStages.join(', '))}</dd>
${r.skillsWanted.length > 0 ? `<dt><strong>Skills wanted</strong></dt><dd>${escapeHtml(r.skillsWanted.join(', '))}</dd>` : ''}
${r.virtualAcceptable ? '<dt><strong>Virtual</strong></dt><dd>The school is happy with a virtual session.</dd>' : ''}
${r.notes ? `<dt><strong>From the school</strong></dt><dd>${escapeHtml(r.notes)}</dd>` : ''}
</dl>`;
}

const ANSWER_WORDS: Record<string, string> = { accepted: 'Said yes', declined: 'Said no', withdrew: 'Withdrew', too_late: 'Said yes after it filled', hours_logged: 'Logged hours' };

function history(v: OfferView): string {
  if (v.answers.length === 0) return '';
  const rows = v.answers.map(
    (a) =>
      `<tr><td>${escapeHtml(stamp.format(new Date(a.answered_at)))}</td><td>${escapeHtml(ANSWER_WORDS[a.answer] ?? a.answer)}${a.hours !== null ? ` (${escapeHtml(String(Number(a.hours)))} h)` : ''}</td><td>${escapeHtml(a.reason ?? '')}</td></tr>`,
  );
  return `<h2>Your answers so far</h2><table><thead><tr><th scope="col">When</th><th scope="col">Answer</th><th scope="col">Reason or note</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function summary(errors: Errors): string {
  const entries = Object.entries(errors);
  if (entries.length === 0) return '';
  return `<div class="summary" role="alert" tabindex="-1" id="error-summary"><h2>There is a problem</h2><ul>${entries.map(([field, message]) => `<li><a href="#${field}">${escapeHtml(message!)}</a></li>`).join('')}</ul></div>`;
}

function fieldError(errors: Errors, field: keyof Errors): string {
  return errors[field] ? `<p class="error" id="${field}-error">${escapeHtml(errors[field]!)}</p>` : '';
}
const describedBy = (errors: Errors, field: keyof Errors, hint?: string) => {
  const ids = [hint, errors[field] ? `${field}-error` : undefined].filter(Boolean);
  return ids.length > 0 ? ` aria-describedby="${ids.join(' ')}"` : '';
};

export function offerPage(v: OfferView, now: Date, options: { notice?: string; errors?: Errors; form?: Form; branding?: PageBranding } = {}): string {
  const errors = options.errors ?? {};
  const form = options.form ?? {};
  const { offer, request } = v;
  const notice = options.notice ? `<div class="notice" role="status">${escapeHtml(options.notice)}</div>` : '';
  const started = now >= request.startsAt;
  let body: string;
  let heading: string;

  if (request.status === 'cancelled') {
    heading = 'This request was cancelled';
    body = `<p>The school cancelled this request, so there is nothing more you need to do. Thank you for being ready to help.</p>`;
  } else if (started && offer.status === 'accepted') {
    heading = offer.hoursLogged === null ? 'Log your hours' : 'Your hours are logged';
    const hours = form.hours ?? (offer.hoursLogged === null ? '' : String(offer.hoursLogged));
    body = `<p>Thank you for going to ${escapeHtml(request.activityType)} at ${escapeHtml(v.schoolName)}. Log the time you gave, including preparation and travel; you can change it later.</p>
<form method="post" novalidate>
<input type="hidden" name="answer" value="hours">
<div class="${errors.hours ? 'has-error' : ''}"><label for="hours">Hours you gave</label><p class="hint" id="hours-hint">For example 2.5</p>${fieldError(errors, 'hours')}
<input type="number" id="hours" name="hours" step="0.25" min="0.25" max="24" inputmode="decimal" value="${escapeHtml(hours)}"${describedBy(errors, 'hours', 'hours-hint')}></div>
<div class="${errors.notes ? 'has-error' : ''}"><label for="notes">Anything to tell the programme (optional)</label>${fieldError(errors, 'notes')}
<textarea id="notes" name="notes" maxlength="1000"${describedBy(errors, 'notes')}>${escapeHtml(form.notes ?? '')}</textarea></div>
<div class="actions"><button type="submit">${offer.hoursLogged === null ? 'Log my hours' : 'Update my hours'}</button></div>
</form>`;
  } else if (started) {
    heading = 'This activity has taken place';
    body = `<p>${escapeHtml(request.activityType)} at ${escapeHtml(v.schoolName)} has taken place, so this offer is closed. Thank you for being ready to help.</p>`;
  } else if (offer.status === 'withdrawn' && offer.withdrawnReason === 'filled') {
    heading = 'This request has filled';
    body = `<p>Thank you for being ready to help. This request has just filled, so there is nothing more you need to do. We will be in touch with the next request that matches you.</p>`;
  } else if (offer.status === 'expired') {
    heading = 'This offer has closed';
    body = `<p>We did not hear back in time, so the place was offered to someone else. Thank you all the same; we will be in touch with the next request that matches you.</p>`;
  } else {
    // Offered, accepted or declined: the answer can be given, or changed, until the activity.
    const current = form.answer ?? (offer.status === 'accepted' ? 'accept' : offer.status === 'declined' || offer.status === 'withdrawn' ? 'decline' : '');
    heading = offer.status === 'accepted' ? "You're going" : offer.status === 'offered' ? 'Can you help?' : 'You said no to this request';
    const intro =
      offer.status === 'accepted'
        ? `<p>You said yes. If something changes, say so here before the day and we will ask someone else.</p>`
        : offer.status === 'offered'
          ? `<p>${escapeHtml(v.ambassadorName)}, ${escapeHtml(v.schoolName)} would like STEM Ambassadors for this activity, and you match what they need. Please answer by ${escapeHtml(when.format(offer.expiresAt))}.</p>`
          : `<p>If you can come after all, you can change your answer while places are left.</p>`;
    const reason = form.reason ?? offer.declineReason ?? '';
    body = `${intro}
<form method="post" novalidate>
<fieldset class="${errors.answer ? 'has-error' : ''}"${describedBy(errors, 'answer')}><legend>Can you come?</legend>${fieldError(errors, 'answer')}
<div class="choice"><label><input type="radio" name="answer" id="answer" value="accept"${current === 'accept' ? ' checked' : ''}> Yes, I can come</label>
<label><input type="radio" name="answer" value="decline"${current === 'decline' ? ' checked' : ''}> ${offer.status === 'accepted' ? 'No, I can no longer come' : "No, I can't this time"}</label></div>
</fieldset>
<div class="${errors.reason ? 'has-error' : ''}"><label for="reason">Reason (optional)</label><p class="hint" id="reason-hint">If you say no, a reason helps us ask better next time. The school does not see it.</p>${fieldError(errors, 'reason')}
<textarea id="reason" name="reason" maxlength="1000"${describedBy(errors, 'reason', 'reason-hint')}>${escapeHtml(reason)}</textarea></div>
<div class="actions"><button type="submit">Send my answer</button></div>
</form>`;
  }
  return renderPage({ title: heading, branding: options.branding, body: `${summary(errors)}${notice}<h1>${escapeHtml(heading)}</h1>${body}${details(v)}${history(v)}` });
}

function parse(form: Form, view: OfferView, now: Date): { action?: OfferAction; errors: Errors } {
  const errors: Errors = {};
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
  if (form.answer === 'hours') {
    const raw = text(form.hours);
    const hours = Number(raw);
    if (raw === '') errors.hours = 'Enter the hours you gave';
    else if (!/^\d{1,2}(\.\d{1,2})?$/.test(raw) || !Number.isFinite(hours) || hours < 0.25 || hours > 24) errors.hours = 'Enter hours as a number from 0.25 to 24, like 2.5';
    else if (Math.round(hours * 4) !== hours * 4) errors.hours = 'Enter hours in quarters of an hour, like 2.25 or 2.5';
    const notes = text(form.notes);
    if (notes.length > 1000) errors.notes = 'Keep the note to 1,000 characters';
    return Object.keys(errors).length > 0 ? { errors } : { action: { type: 'log_hours', hours, notes: notes || null }, errors };
  }
  const reason = text(form.reason);
  if (reason.length > 1000) errors.reason = 'Keep the reason to 1,000 characters';
  if (form.answer !== 'accept' && form.answer !== 'decline') errors.answer = 'Choose yes or no';
  if (Object.keys(errors).length > 0) return { errors };
  if (form.answer === 'accept') return { action: { type: 'accept' }, errors };
  const withdraw = view.offer.status === 'accepted' && now < view.request.startsAt;
  return { action: withdraw ? { type: 'withdraw', reason: reason || null } : { type: 'decline', reason: reason || null }, errors };
}

@ApiExcludeController()
@Controller('r')
@Public()
@UseGuards(PageRateLimit)
export class OfferPageController {
  constructor(
    private readonly links: PageLinks,
    private readonly offers: OfferPageService,
  ) {}

  @Get(':token')
  async show(@Param('token') token: string, @Res() res: Response) {
    const opened = await this.links.open(token, LinkPurposes.AmbassadorOffer, res);
    if (!opened) return;
    const view = await this.view(opened, res);
    if (view)
      res
        .status(200)
        .type('text/html')
        .send(offerPage(view, opened.now, { branding: opened.branding }));
  }

  @Post(':token')
  @HttpCode(200)
  async submit(@Param('token') token: string, @Body() body: unknown, @Res() res: Response) {
    const opened = await this.links.open(token, LinkPurposes.AmbassadorOffer, res);
    if (!opened) return;
    const before = await this.view(opened, res);
    if (!before) return;
    const raw = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const form: Form = Object.fromEntries(['answer', 'reason', 'hours', 'notes'].map((k) => [k, typeof raw[k] === 'string' ? (raw[k] as string) : undefined]));
    const { action, errors } = parse(form, before, opened.now);
    if (!action) {
      res
        .status(422)
        .type('text/html')
        .send(offerPage(before, opened.now, { errors, form, branding: opened.branding }));
      return;
    }
    const outcome = await this.offers.answer(before.offer.id, action);
    const after = (await this.offers.load(before.offer.id))!;
    res
      .status(200)
      .type('text/html')
      .send(offerPage(after, opened.now, { notice: OUTCOME_NOTICES[outcome], branding: opened.branding }));
  }

  private async view(opened: OpenedLink, res: Response): Promise<OfferView | undefined> {
    const view = opened.link.subjectType === 'ambassador_offer' ? await this.offers.load(opened.link.subjectId) : undefined;
    if (!view)
      res
        .status(404)
        .type('text/html')
        .send(renderPage({ title: 'Link not valid', body: '<h1>This link is not valid</h1><p>Please open it again from the email.</p>' }));
    return view;
  }
}
