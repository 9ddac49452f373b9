import type { MessageTemplate } from './render.js';

/** What every message about an ambassador request knows about it. */
export interface AmbassadorRequestData {
  requestId: string;
  schoolName: string;
  activityType: string;
  startsAt: string;
  endsAt: string;
  keyStages: string;
  skillsWanted: string | null;
  notes: string | null;
}

export interface AmbassadorOfferData extends AmbassadorRequestData {
  ambassadorName: string;
  offerId: string;
  url: string;
  offerExpiresAt: string;
  virtual: boolean;
  distanceKm: number | null;
}

export interface AmbassadorTeamData extends AmbassadorRequestData {
  contactName: string | null;
  numberWanted: number;
  /** Who is coming; "check valid" is all a school is told of anyone's safeguarding check. */
  team: Array<{ name: string; employer: string | null; checkValid: boolean; virtual: boolean }>;
}

export interface AmbassadorEscalationData extends AmbassadorRequestData {
  numberWanted: number;
  accepted: number;
  reason: string;
}

export interface CheckRenewalData {
  ambassadorName: string;
  checkType: string;
  expiresOn: string;
  daysBefore: number;
}

const REQUEST_TEXT = `What: {{activityType}} at {{schoolName}}
When: {{when}}
Key stages: {{keyStages}}{{#if skillsWanted}}
Skills wanted: {{skillsWanted}}{{/if}}{{#if notes}}
From the school: {{notes}}{{/if}}`;
const REQUEST_HTML = `<p><strong>What:</strong> {{activityType}} at {{schoolName}}<br><strong>When:</strong> {{when}}<br><strong>Key stages:</strong> {{keyStages}}{{#if skillsWanted}}<br><strong>Skills wanted:</strong> {{skillsWanted}}{{/if}}</p>{{#if notes}}<p><strong>From the school:</strong> {{notes}}</p>{{/if}}`;

export const ambassadorOffer: MessageTemplate = {
  subject: 'Can you help? {{activityType}} at {{schoolName}}, {{shortDate}}',
  text: `Dear {{ambassadorName}},

A school near you has asked for STEM Ambassadors, and you match what they need.

${REQUEST_TEXT}{{#if virtual}}
This would be a virtual session.{{else}}{{#if distanceKm}}
About {{distanceKm}} km from you.{{/if}}{{/if}}

Please say yes or no on this page by {{offerDeadline}}:

{{url}}

If you cannot, a "no" (with a reason if you like) lets us ask someone else straight away.
`,
  html: `<p>Dear {{ambassadorName}},</p>
<p>A school near you has asked for STEM Ambassadors, and you match what they need.</p>
${REQUEST_HTML}
{{#if virtual}}<p>This would be a virtual session.</p>{{else}}{{#if distanceKm}}<p>About {{distanceKm}} km from you.</p>{{/if}}{{/if}}
<p><a href="{{url}}" style="display:inline-block;padding:10px 18px;background:#0b5394;color:#fff;text-decoration:none;border-radius:4px">Answer the request</a></p>
<p style="font-size:13px;color:#555">Please answer by {{offerDeadline}}. Or copy this address: {{url}}</p>`,
};

export const ambassadorAccepted: MessageTemplate = {
  subject: "You're going: {{activityType}} at {{schoolName}}, {{shortDate}}",
  text: `Dear {{ambassadorName}},

Thank you: your place is confirmed.

${REQUEST_TEXT}

If something changes, you can withdraw on the same page, so that someone else can be asked. After the activity, the same page lets you log your hours.
`,
  html: `<p>Dear {{ambassadorName}},</p><p>Thank you: your place is confirmed.</p>${REQUEST_HTML}
<p>If something changes, you can withdraw on the same page, so that someone else can be asked. After the activity, the same page lets you log your hours.</p>`,
};

export const ambassadorRequestFilled: MessageTemplate = {
  subject: 'Thank you – {{activityType}} at {{schoolName}} has filled',
  text: `Dear {{ambassadorName}},

Thank you for being ready to help. The request for {{activityType}} at {{schoolName}} ({{shortDate}}) has now filled, so there is nothing more you need to do.

We will be in touch with the next request that matches you.
`,
  html: `<p>Dear {{ambassadorName}},</p>
<p>Thank you for being ready to help. The request for <strong>{{activityType}}</strong> at {{schoolName}} ({{shortDate}}) has now filled, so there is nothing more you need to do.</p>
<p>We will be in touch with the next request that matches you.</p>`,
};

export const ambassadorTeamConfirmed: MessageTemplate = {
  subject: 'STEM Ambassadors coming to {{activityType}}, {{shortDate}}',
  text: `Dear {{#if contactName}}{{contactName}}{{else}}colleague{{/if}},

These STEM Ambassadors are coming to {{activityType}} ({{when}}):

{{#each team}}- {{name}}{{#if employer}}, {{employer}}{{/if}}{{#if checkValid}} (safeguarding check valid){{/if}}{{#if virtual}} – joining virtually{{/if}}
{{/each}}
You asked for {{numberWanted}}. Every ambassador's safeguarding check is held and vouched for by the programme.
`,
  html: `<p>Dear {{#if contactName}}{{contactName}}{{else}}colleague{{/if}},</p>
<p>These STEM Ambassadors are coming to <strong>{{activityType}}</strong> ({{when}}):</p>
<ul>{{#each team}}<li>{{name}}{{#if employer}}, {{employer}}{{/if}}{{#if checkValid}} (safeguarding check valid){{/if}}{{#if virtual}} – joining virtually{{/if}}</li>{{/each}}</ul>
<p>You asked for {{numberWanted}}. Every ambassador's safeguarding check is held and vouched for by the programme.</p>`,
};

export const ambassadorRequestEscalated: MessageTemplate = {
  subject: 'Ambassador request still short: {{schoolName}}, {{shortDate}}',
  text: `The request from {{schoolName}} for {{activityType}} ({{when}}) is still short: {{accepted}} of {{numberWanted}} ambassadors accepted.

Why: {{reason}}.

${REQUEST_TEXT}

Request reference: {{requestId}}
`,
  html: `<p>The request from <strong>{{schoolName}}</strong> for {{activityType}} ({{when}}) is still short: {{accepted}} of {{numberWanted}} ambassadors accepted.</p>
<p><strong>Why:</strong> {{reason}}.</p>${REQUEST_HTML}<p style="color:#555">Request reference: {{requestId}}</p>`,
};

export const ambassadorRequestCancelled: MessageTemplate = {
  subject: 'Cancelled: {{activityType}} at {{schoolName}}, {{shortDate}}',
  text: `Dear {{ambassadorName}},

{{schoolName}} has cancelled its request for {{activityType}} ({{when}}). There is nothing more you need to do. Thank you for being ready to help.
`,
  html: `<p>Dear {{ambassadorName}},</p><p>{{schoolName}} has cancelled its request for <strong>{{activityType}}</strong> ({{when}}). There is nothing more you need to do. Thank you for being ready to help.</p>`,
};

export const ambassadorCheckRenewal: MessageTemplate = {
  subject: 'Your {{checkType}} check expires in {{daysBefore}} days',
  text: `Dear {{ambassadorName}},

Your {{checkType}} safeguarding check expires on {{expiresOn}}. Schools can only be offered ambassadors with a valid check, so please start the renewal now and send us the new certificate's details.
`,
  html: `<p>Dear {{ambassadorName}},</p><p>Your {{checkType}} safeguarding check expires on <strong>{{expiresOn}}</strong>. Schools can only be offered ambassadors with a valid check, so please start the renewal now and send us the new certificate's details.</p>`,
};
