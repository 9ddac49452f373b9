import { Body, Controller, Get, HttpCode, Injectable, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { AmbassadorOffer, AmbassadorRequest, answerOffer, LinkPurposes, UnitOfWork, type OfferAction, type OfferOutcome } from '#domain';
import { Public } from '../auth/auth.decorators.js';
import { sendEmailedPage, sendLinkNotValid } from '../pages/emailed-pages.js';
import { PageLinks, type OpenedLink } from '../pages/page-links.js';
import { PageRateLimit } from '../common/rate-limits.js';
import type { FormErrors } from '../web/forms.js';

const weekday = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'long' });

interface OfferView {
  offer: AmbassadorOffer;
  request: AmbassadorRequest;
  schoolName: string;
  ambassadorName: string;
  answers: Array<{ answer: string; reason: string | null; hours: number | null; answered_at: Date }>;
}

type Form = { answer?: string; reason?: string; hours?: string; notes?: string };

/** What the page says after an answer; `done` when it went as the ambassador asked, else it is for their information. */
interface Notice {
  text: string;
  done: boolean;
}

const OUTCOME_NOTICES: Record<OfferOutcome, Notice> = {
  accepted: { done: true, text: "Thank you: you're going. We have told the school, and an email with the details is on its way." },
  already_accepted: { done: true, text: "You had already said yes: you're going." },
  filled: {
    done: false,
    text: 'Thank you for saying yes. This request has just filled, so there is nothing more you need to do. We will be in touch with the next request that matches you.',
  },
  declined: { done: true, text: 'Thank you for letting us know. We will ask someone else.' },
  withdrew: { done: true, text: 'Thank you for letting us know. Your place is freed and we will ask someone else.' },
  hours_logged: { done: true, text: 'Thank you: your hours are logged.' },
  offer_expired: { done: false, text: 'This offer closed before your answer arrived, and the place has been offered to someone else. Thank you all the same.' },
  closed: { done: false, text: 'This request is closed now, so answers can no longer be changed.' },
  not_allowed: { done: false, text: 'That answer cannot be given at this point.' },
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

/** Which part of the offer's life the page shows. */
type OfferState = 'cancelled' | 'hours' | 'taken_place' | 'filled' | 'closed' | 'answer';

function stateOf({ offer, request }: OfferView, now: Date): OfferState {
  const started = now >= request.startsAt;
  if (request.status === 'cancelled') return 'cancelled';
  if (started && offer.status === 'accepted') return 'hours';
  if (started) return 'taken_place';
  if (offer.status === 'withdrawn' && offer.withdrawnReason === 'filled') return 'filled';
  if (offer.status === 'expired') return 'closed';
  // Offered, accepted or declined: the answer can be given, or changed, until the activity.
  return 'answer';
}

function headingOf({ offer }: OfferView, state: OfferState): string {
  switch (state) {
    case 'cancelled':
      return 'This request was cancelled';
    case 'hours':
      return offer.hoursLogged === null ? 'Log your hours' : 'Your hours are logged';
    case 'taken_place':
      return 'This activity has taken place';
    case 'filled':
      return 'This request has filled';
    case 'closed':
      return 'This offer has closed';
    case 'answer':
      return offer.status === 'accepted' ? "You're going" : offer.status === 'offered' ? 'Can you help?' : 'You said no to this request';
  }
}

const OFFER_VIEW = 'ambassadors/pages/offer';

const ANSWER_WORDS: Record<string, string> = { accepted: 'Said yes', declined: 'Said no', withdrew: 'Withdrew', too_late: 'Said yes after it filled', hours_logged: 'Logged hours' };

/**
 * The offer page's view: its state and heading, the request, the answers so far, and the
 * form's values — what was typed when a form is shown again, else the answer on record.
 */
function offerPageView(v: OfferView, now: Date, options: { notice?: Notice; errors?: FormErrors; form?: Form } = {}) {
  const { offer, request } = v;
  const form = options.form ?? {};
  const state = stateOf(v, now);
  const values =
    state === 'hours'
      ? { hours: form.hours ?? (offer.hoursLogged === null ? '' : String(offer.hoursLogged)), notes: form.notes ?? '' }
      : {
          answer: form.answer ?? (offer.status === 'accepted' ? 'accept' : offer.status === 'declined' || offer.status === 'withdrawn' ? 'decline' : ''),
          reason: form.reason ?? offer.declineReason ?? '',
        };
  return {
    state,
    heading: headingOf(v, state),
    offer,
    request,
    schoolName: v.schoolName,
    ambassadorName: v.ambassadorName,
    // The day of the week helps someone deciding whether they can come.
    startsOn: weekday.format(request.startsAt),
    answerByDay: weekday.format(offer.expiresAt),
    answers: v.answers.map((a) => ({
      answeredAt: new Date(a.answered_at),
      words: ANSWER_WORDS[a.answer] ?? a.answer,
      hours: a.hours === null ? null : Number(a.hours),
      reason: a.reason ?? '',
    })),
    notice: options.notice,
    errors: options.errors,
    values,
  };
}

/** A refused form's errors, in the order the fields are on the page. */
function formErrors(problems: Array<[field: string, text: string]>): FormErrors | undefined {
  if (problems.length === 0) return undefined;
  return { list: problems.map(([field, text]) => ({ text, href: `#${field}` })), byField: Object.fromEntries(problems.map(([field, text]) => [field, { text }])) };
}

function parse(form: Form, view: OfferView, now: Date): { action?: OfferAction; errors?: FormErrors } {
  const problems: Array<[string, string]> = [];
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
  if (form.answer === 'hours') {
    const raw = text(form.hours);
    const hours = Number(raw);
    if (raw === '') problems.push(['hours', 'Enter the hours you gave']);
    else if (!/^\d{1,2}(\.\d{1,2})?$/.test(raw) || !Number.isFinite(hours) || hours < 0.25 || hours > 24) problems.push(['hours', 'Enter hours as a number from 0.25 to 24, like 2.5']);
    else if (Math.round(hours * 4) !== hours * 4) problems.push(['hours', 'Enter hours in quarters of an hour, like 2.25 or 2.5']);
    const notes = text(form.notes);
    if (notes.length > 1000) problems.push(['notes', 'Keep the note to 1,000 characters']);
    return problems.length > 0 ? { errors: formErrors(problems) } : { action: { type: 'log_hours', hours, notes: notes || null } };
  }
  const reason = text(form.reason);
  if (form.answer !== 'accept' && form.answer !== 'decline') problems.push(['answer', 'Choose yes or no']);
  if (reason.length > 1000) problems.push(['reason', 'Keep the reason to 1,000 characters']);
  if (problems.length > 0) return { errors: formErrors(problems) };
  if (form.answer === 'accept') return { action: { type: 'accept' } };
  const withdraw = view.offer.status === 'accepted' && now < view.request.startsAt;
  return { action: withdraw ? { type: 'withdraw', reason: reason || null } : { type: 'decline', reason: reason || null } };
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
    if (view) sendEmailedPage(res, 200, OFFER_VIEW, { ...offerPageView(view, opened.now), branding: opened.branding });
  }

  /**
   * An answer is shown on the page it was given from, with a notice saying what became of
   * it: the page itself is the answer's result, and sending it again changes nothing.
   */
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
    if (!action) return sendEmailedPage(res, 422, OFFER_VIEW, { ...offerPageView(before, opened.now, { errors, form }), branding: opened.branding });
    const outcome = await this.offers.answer(before.offer.id, action);
    const after = (await this.offers.load(before.offer.id))!;
    sendEmailedPage(res, 200, OFFER_VIEW, { ...offerPageView(after, opened.now, { notice: OUTCOME_NOTICES[outcome] }), branding: opened.branding });
  }

  private async view(opened: OpenedLink, res: Response): Promise<OfferView | undefined> {
    const view = opened.link.subjectType === 'ambassador_offer' ? await this.offers.load(opened.link.subjectId) : undefined;
    if (!view) sendLinkNotValid(res);
    return view;
  }
}
