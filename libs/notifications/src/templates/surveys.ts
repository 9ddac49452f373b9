import type { MessageTemplate } from './render.js';

/** What every survey email knows: whom it is for, what the survey is about, its link and close. */
export interface SurveyMessageData {
  invitationId: string;
  personId: string;
  personName: string;
  surveyName: string;
  /** What the survey is about: a course title or an enrichment event. */
  about: string;
  /** When that took place (ISO), if known. */
  startsAt: string | null;
  url: string;
  closesAt: string;
  /** For a reminder: which one (1-based). */
  reminderNumber?: number;
}

export const surveyInvitation: MessageTemplate = {
  subject: '{{surveyName}}: {{about}}',
  text: `Dear {{personName}},

Thank you for taking part in {{about}}{{#if shortDate}} ({{shortDate}}){{/if}}. Please tell us how it went: it takes a few minutes, and your answers shape what the programme offers next.

{{url}}

You can change your answers until {{closesDate}}.

We ask everyone who takes part, so the programme can see what works. If you would rather not be asked for surveys like this, use "Stop these emails" at the foot of this email: we will not ask again.
`,
  html: `<p>Dear {{personName}},</p>
<p>Thank you for taking part in <strong>{{about}}</strong>{{#if shortDate}} ({{shortDate}}){{/if}}. Please tell us how it went: it takes a few minutes, and your answers shape what the programme offers next.</p>
<p><a href="{{url}}" style="display:inline-block;padding:10px 18px;background:#0b5394;color:#fff;text-decoration:none;border-radius:4px">Answer the survey</a></p>
<p style="font-size:13px;color:#555">Or copy this address: {{url}}<br>You can change your answers until {{closesDate}}.</p>
<p style="font-size:13px;color:#555">We ask everyone who takes part, so the programme can see what works. If you would rather not be asked for surveys like this, use "Stop these emails" at the foot of this email: we will not ask again.</p>`,
};

export const surveyReminder: MessageTemplate = {
  subject: 'Reminder: {{surveyName}}: {{about}}',
  text: `Dear {{personName}},

We have not yet had your answers about {{about}}{{#if shortDate}} ({{shortDate}}){{/if}}. If you have a few minutes, here is a fresh link:

{{url}}

The survey closes on {{closesDate}}. If you have already answered, thank you: please ignore this email.

If you would rather not be asked for surveys like this, use "Stop these emails" at the foot of this email: we will not ask again.
`,
  html: `<p>Dear {{personName}},</p>
<p>We have not yet had your answers about <strong>{{about}}</strong>{{#if shortDate}} ({{shortDate}}){{/if}}. If you have a few minutes, here is a fresh link:</p>
<p><a href="{{url}}" style="display:inline-block;padding:10px 18px;background:#0b5394;color:#fff;text-decoration:none;border-radius:4px">Answer the survey</a></p>
<p style="font-size:13px;color:#555">Or copy this address: {{url}}<br>The survey closes on {{closesDate}}. If you have already answered, thank you: please ignore this email.</p>
<p style="font-size:13px;color:#555">If you would rather not be asked for surveys like this, use "Stop these emails" at the foot of this email: we will not ask again.</p>`,
};
