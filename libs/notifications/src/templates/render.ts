import Handlebars from 'handlebars';
import { NotificationKinds, type NotificationKind } from './kinds.js';
import { schoolWelcome } from './school-welcome.js';
import { schoolTermStart } from './school-term-start.js';
import { accountInvitation, dashboardSignIn, linkRenewed } from './page-links.js';
import { selfEvaluationComparison, selfEvaluationInvitation, selfEvaluationOverdue, selfEvaluationReminder } from './self-evaluation.js';
import { sessionInvite, type CalendarInvite } from './calendar.js';
import { bookingCancelled, bookingConfirmed, placeOffered, sessionMoved, sessionReminder } from './cpd-bookings.js';
import { surveyInvitation, surveyReminder } from './surveys.js';
import {
  ambassadorAccepted,
  ambassadorCheckRenewal,
  ambassadorOffer,
  ambassadorRequestCancelled,
  ambassadorRequestEscalated,
  ambassadorRequestFilled,
  ambassadorTeamConfirmed,
} from './ambassadors.js';

export interface MessageTemplate {
  subject: string;
  text: string;
  /** The body only: every message shares one layout. */
  html: string;
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
  calendar?: CalendarInvite;
}

const TEMPLATES: Record<NotificationKind, MessageTemplate> = {
  [NotificationKinds.SchoolWelcome]: schoolWelcome,
  [NotificationKinds.BookingConfirmed]: bookingConfirmed,
  [NotificationKinds.PlaceOffered]: placeOffered,
  [NotificationKinds.BookingCancelled]: bookingCancelled,
  [NotificationKinds.SessionMoved]: sessionMoved,
  [NotificationKinds.SessionReminder]: sessionReminder,
  [NotificationKinds.TermStart]: schoolTermStart,
  [NotificationKinds.LinkRenewed]: linkRenewed,
  [NotificationKinds.DashboardSignIn]: dashboardSignIn,
  [NotificationKinds.AccountInvitation]: accountInvitation,
  [NotificationKinds.SurveyInvitation]: surveyInvitation,
  [NotificationKinds.SurveyReminder]: surveyReminder,
  [NotificationKinds.SelfEvaluationInvitation]: selfEvaluationInvitation,
  [NotificationKinds.SelfEvaluationReminder]: selfEvaluationReminder,
  [NotificationKinds.SelfEvaluationOverdue]: selfEvaluationOverdue,
  [NotificationKinds.SelfEvaluationComparison]: selfEvaluationComparison,
  [NotificationKinds.AmbassadorOffer]: ambassadorOffer,
  [NotificationKinds.AmbassadorAccepted]: ambassadorAccepted,
  [NotificationKinds.AmbassadorRequestFilled]: ambassadorRequestFilled,
  [NotificationKinds.AmbassadorTeamConfirmed]: ambassadorTeamConfirmed,
  [NotificationKinds.AmbassadorRequestEscalated]: ambassadorRequestEscalated,
  [NotificationKinds.AmbassadorRequestCancelled]: ambassadorRequestCancelled,
  [NotificationKinds.AmbassadorCheckRenewal]: ambassadorCheckRenewal,
};

const LAYOUT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{{subject}}</title></head>
<body style="margin:0;background:#f4f6f8;font-family:Arial,Helvetica,sans-serif;color:#1b1f23">
<div style="max-width:600px;margin:0 auto;padding:24px">
<div style="background:{{brandColour}};color:#fff;padding:12px 20px;font-weight:bold;font-size:18px">{{programmeName}}</div>
<div style="background:#fff;padding:20px;line-height:1.5">{{{body}}}</div>
<p style="font-size:12px;color:#555">You receive this because your school takes part in {{programmeName}}, a STEM education programme run with stemflow.{{#if unsubscribeUrl}} <a href="{{unsubscribeUrl}}" style="color:#555">Stop these emails</a>.{{/if}}</p>
</div></body></html>`;

interface Compiled {
  subject: HandlebarsTemplateDelegate;
  text: HandlebarsTemplateDelegate;
  html: HandlebarsTemplateDelegate;
}

// Compiled once per process: rendering is on the send path of every message.
const compiled = new Map<NotificationKind, Compiled>(
  Object.entries(TEMPLATES).map(([kind, template]) => [
    kind as NotificationKind,
    {
      subject: Handlebars.compile(template.subject, { noEscape: true, strict: true }),
      text: Handlebars.compile(template.text, { noEscape: true }),
      html: Handlebars.compile(template.html),
    },
  ]),
);
const layout = Handlebars.compile(LAYOUT);

// People read times in the UK's own time, whatever the server's zone.
const londonDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'long' });
const londonShortDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'short', day: 'numeric', month: 'short' });
const londonDateTime = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'full', timeStyle: 'short' });
const londonTime = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', timeStyle: 'short' });

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function derived(data: Record<string, unknown>): Record<string, unknown> {
  const joinedAt = text(data.joinedAt);
  const startsAt = text(data.startsAt);
  const endsAt = text(data.endsAt);
  const offerExpiresAt = text(data.offerExpiresAt);
  const expiresAt = text(data.expiresAt);
  const closesAt = text(data.closesAt);
  const deadlineAt = text(data.deadlineAt);
  return {
    joinedDate: joinedAt ? londonDate.format(new Date(joinedAt)) : undefined,
    shortDate: startsAt ? londonShortDate.format(new Date(startsAt)) : undefined,
    when: startsAt && endsAt ? `${londonDateTime.format(new Date(startsAt))} to ${londonTime.format(new Date(endsAt))}` : undefined,
    offerDeadline: offerExpiresAt ? londonDateTime.format(new Date(offerExpiresAt)) : undefined,
    tomorrow: data.daysBefore === 1,
    expiresDate: expiresAt ? londonDateTime.format(new Date(expiresAt)) : undefined,
    closesDate: closesAt ? londonDateTime.format(new Date(closesAt)) : undefined,
    deadlineDate: deadlineAt ? londonDate.format(new Date(deadlineAt)) : undefined,
  };
}

export function renderNotification(kind: NotificationKind, data: Record<string, unknown>): RenderedMessage {
  const template = compiled.get(kind);
  if (!template) throw new Error(`no template for notification kind "${kind}"`);
  const context = { ...data, ...derived(data) };
  const subject = template
    .subject(context)
    .replace(/[\r\n]+/g, ' ')
    .trim();
  const brandColour = typeof data.brandColour === 'string' && /^#[0-9a-fA-F]{6}$/.test(data.brandColour) ? data.brandColour : '#0b5394';
  const programmeName = text(data.programmeName) ?? 'stemflow';
  const unsubscribeUrl = text(data.unsubscribeUrl);
  const footer = unsubscribeUrl ? `\n--\nStop these emails: ${unsubscribeUrl}\n` : '';
  const message: RenderedMessage = {
    subject,
    text: template.text(context) + footer,
    html: layout({ subject, body: template.html(context), brandColour, programmeName, unsubscribeUrl }),
  };
  if (kind === NotificationKinds.BookingConfirmed || kind === NotificationKinds.BookingCancelled || kind === NotificationKinds.SessionMoved) {
    // The session's sequence, raised by each move, lets a calendar replace the entry it holds; a cancellation outranks it.
    const sequence = (typeof data.calendarSequence === 'number' ? data.calendarSequence : 0) + (kind === NotificationKinds.BookingCancelled ? 1 : 0);
    message.calendar = sessionInvite(
      {
        uid: `booking-${String(data.bookingId)}@stemflow`,
        title: String(data.courseTitle),
        startsAt: String(data.startsAt),
        endsAt: String(data.endsAt),
        location: text(data.venue) ?? text(data.onlineUrl) ?? null,
        url: text(data.onlineUrl) ?? null,
        description: `stemflow booking ${String(data.bookingId)}`,
        sequence,
      },
      kind === NotificationKinds.BookingCancelled ? 'CANCEL' : 'REQUEST',
    );
  }
  return message;
}
