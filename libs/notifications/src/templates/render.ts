import Handlebars from 'handlebars';
import { NotificationKinds, type NotificationKind } from './kinds.js';
import { schoolWelcome } from './school-welcome.js';

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
}

const TEMPLATES: Record<NotificationKind, MessageTemplate> = {
  [NotificationKinds.SchoolWelcome]: schoolWelcome,
};

const LAYOUT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{{subject}}</title></head>
<body style="margin:0;background:#f4f6f8;font-family:Arial,Helvetica,sans-serif;color:#1b1f23">
<div style="max-width:600px;margin:0 auto;padding:24px">
<div style="background:#0b5394;color:#fff;padding:12px 20px;font-weight:bold;font-size:18px">stemflow</div>
<div style="background:#fff;padding:20px;line-height:1.5">{{{body}}}</div>
<p style="font-size:12px;color:#555">You receive this because your school takes part in a STEM education programme run with stemflow.</p>
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

const londonDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'long' });

export function renderNotification(kind: NotificationKind, data: Record<string, unknown>): RenderedMessage {
  const template = compiled.get(kind);
  if (!template) throw new Error(`no template for notification kind "${kind}"`);
  const context = { ...data, joinedDate: typeof data.joinedAt === 'string' ? londonDate.format(new Date(data.joinedAt)) : undefined };
  const subject = template.subject(context).replace(/[\r\n]+/g, ' ').trim();
  return {
    subject,
    text: template.text(context),
    html: layout({ subject, body: template.html(context) }),
  };
}
