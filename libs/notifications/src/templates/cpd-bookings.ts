import type { MessageTemplate } from './render.js';

/** What every booking message knows about the booking and its session. */
export interface BookingMessageData {
  bookingId: string;
  personName: string;
  courseTitle: string;
  startsAt: string;
  endsAt: string;
  venue: string | null;
  onlineUrl: string | null;
  offerExpiresAt?: string | null;
  daysBefore?: number;
  publicBaseUrl: string;
  /** The session's calendar sequence: a later invitation replaces an earlier one. */
  calendarSequence?: number;
}

const WHEN_WHERE_TEXT = `When: {{when}}
Where: {{#if venue}}{{venue}}{{/if}}{{#if onlineUrl}}{{#if venue}}, and {{/if}}online at {{onlineUrl}}{{/if}}`;
const WHEN_WHERE_HTML = `<p><strong>When:</strong> {{when}}<br><strong>Where:</strong> {{#if venue}}{{venue}}{{/if}}{{#if onlineUrl}}{{#if venue}}, and {{/if}}online at <a href="{{onlineUrl}}">{{onlineUrl}}</a>{{/if}}</p>`;

export const bookingConfirmed: MessageTemplate = {
  subject: 'Your place is confirmed: {{courseTitle}}, {{shortDate}}',
  text: `Dear {{personName}},

Your place on {{courseTitle}} is confirmed.

${WHEN_WHERE_TEXT}

The calendar invitation attached adds it to your calendar. If you can no longer come, please cancel so that someone on the waiting list can have your place.

Booking reference: {{bookingId}}
`,
  html: `<p>Dear {{personName}},</p>
<p>Your place on <strong>{{courseTitle}}</strong> is confirmed.</p>
${WHEN_WHERE_HTML}
<p>The calendar invitation attached adds it to your calendar. If you can no longer come, please cancel so that someone on the waiting list can have your place.</p>
<p style="color:#555">Booking reference: {{bookingId}}</p>`,
};

export const placeOffered: MessageTemplate = {
  subject: 'A place has come free: {{courseTitle}}, {{shortDate}}',
  text: `Dear {{personName}},

A place has come free on {{courseTitle}}, and you are first on the waiting list.

${WHEN_WHERE_TEXT}

The place is held for you until {{offerDeadline}}. After that it passes to the next person waiting.
To take it, accept booking {{bookingId}} (POST {{publicBaseUrl}}/api/v1/bookings/{{bookingId}}/accept), or decline it so the next person can.
`,
  html: `<p>Dear {{personName}},</p>
<p>A place has come free on <strong>{{courseTitle}}</strong>, and you are first on the waiting list.</p>
${WHEN_WHERE_HTML}
<p>The place is held for you until <strong>{{offerDeadline}}</strong>. After that it passes to the next person waiting.</p>
<p>To take it, accept booking <code>{{bookingId}}</code>, or decline it so the next person can.</p>`,
};

export const bookingCancelled: MessageTemplate = {
  subject: 'Booking cancelled: {{courseTitle}}, {{shortDate}}',
  text: `Dear {{personName}},

Your booking on {{courseTitle}} ({{when}}) is cancelled{{#if reason}}: {{reason}}{{/if}}.

If this is a mistake, book again while places remain.

Booking reference: {{bookingId}}
`,
  html: `<p>Dear {{personName}},</p>
<p>Your booking on <strong>{{courseTitle}}</strong> ({{when}}) is cancelled{{#if reason}}: {{reason}}{{/if}}.</p>
<p>If this is a mistake, book again while places remain.</p>
<p style="color:#555">Booking reference: {{bookingId}}</p>`,
};

export const sessionReminder: MessageTemplate = {
  subject: '{{#if tomorrow}}Tomorrow{{else}}In {{daysBefore}} days{{/if}}: {{courseTitle}}',
  text: `Dear {{personName}},

A reminder that you have a place on {{courseTitle}}.

${WHEN_WHERE_TEXT}

If you can no longer come, please cancel so that someone on the waiting list can have your place.
`,
  html: `<p>Dear {{personName}},</p>
<p>A reminder that you have a place on <strong>{{courseTitle}}</strong>.</p>
${WHEN_WHERE_HTML}
<p>If you can no longer come, please cancel so that someone on the waiting list can have your place.</p>`,
};

export const sessionMoved: MessageTemplate = {
  subject: 'Session changed: {{courseTitle}}, now {{shortDate}}',
  text: `Dear {{personName}},

The session of {{courseTitle}} you have a place on has changed. Your place is kept.

${WHEN_WHERE_TEXT}

The calendar update attached changes the entry in your calendar. If you can no longer come, please cancel so that someone on the waiting list can have your place.

Booking reference: {{bookingId}}
`,
  html: `<p>Dear {{personName}},</p>
<p>The session of <strong>{{courseTitle}}</strong> you have a place on has changed. Your place is kept.</p>
${WHEN_WHERE_HTML}
<p>The calendar update attached changes the entry in your calendar. If you can no longer come, please cancel so that someone on the waiting list can have your place.</p>
<p style="color:#555">Booking reference: {{bookingId}}</p>`,
};
