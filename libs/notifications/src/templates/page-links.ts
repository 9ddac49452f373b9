import type { MessageTemplate } from './render.js';

/** What an expired link opened, in words ("your school's self-evaluation"), by link purpose. */
export const LINK_PURPOSE_WORDS: Record<string, string> = {
  self_evaluation: "your school's self-evaluation",
  ambassador_offer: 'the STEM Ambassador request',
  survey: 'the survey',
};

export interface LinkRenewedData {
  recipientName: string | null;
  what: string;
  url: string;
  expiresAt: string;
}

/** Sent when someone asks for a fresh link from an expired one's page. */
export const linkRenewed: MessageTemplate = {
  subject: 'Your fresh link to {{what}}',
  text: `Dear {{#if recipientName}}{{recipientName}}{{else}}colleague{{/if}},

You asked for a fresh link to {{what}}. Here it is:

{{url}}

It works until {{expiresDate}}. If you did not ask for it, you can ignore this email.
`,
  html: `<p>Dear {{#if recipientName}}{{recipientName}}{{else}}colleague{{/if}},</p>
<p>You asked for a fresh link to {{what}}. Here it is:</p>
<p><a href="{{url}}" style="display:inline-block;padding:10px 18px;background:#0b5394;color:#fff;text-decoration:none;border-radius:4px">Open {{what}}</a></p>
<p style="font-size:13px;color:#555">Or copy this address: {{url}}<br>It works until {{expiresDate}}. If you did not ask for it, you can ignore this email.</p>`,
};

/** The one-time link that signs someone in to the dashboard; asked for on the sign-in page. */
export const dashboardSignIn: MessageTemplate = {
  subject: 'Sign in to the stemflow dashboard',
  text: `Hello{{#if recipientName}} {{recipientName}}{{/if}},

Open this link to sign in to the dashboard:

{{url}}

It works once, until {{expiresDate}}. If you did not ask to sign in, you can ignore this email: nobody can sign in without the link.
`,
  html: `<p>Hello{{#if recipientName}} {{recipientName}}{{/if}},</p>
<p><a href="{{url}}" style="display:inline-block;padding:10px 18px;background:#0b5394;color:#fff;text-decoration:none;border-radius:4px">Sign in to the dashboard</a></p>
<p style="font-size:13px;color:#555">Or copy this address: {{url}}<br>It works once, until {{expiresDate}}. If you did not ask to sign in, you can ignore this email: nobody can sign in without the link.</p>`,
};

/**
 * Sent when an admin or a programme manager gives someone access: who asked, to what, and a
 * one-time link that signs them in. After it, they ask for a link at the site's address.
 */
export const accountInvitation: MessageTemplate = {
  subject: '{{invitedBy}} has given you access to stemflow',
  text: `Hello {{recipientName}},

{{invitedBy}} has given you access to stemflow as {{roleName}}{{#if scopeName}} for {{scopeName}}{{/if}}.

Open this link to sign in:

{{url}}

The link works once, until {{expiresDate}}. After that, sign in at {{siteUrl}} with this email address and we will email you a new link each time.

If you were not expecting this, you can ignore this email.
`,
  html: `<p>Hello {{recipientName}},</p>
<p>{{invitedBy}} has given you access to stemflow as {{roleName}}{{#if scopeName}} for {{scopeName}}{{/if}}.</p>
<p><a href="{{url}}" style="display:inline-block;padding:10px 18px;background:#0b5394;color:#fff;text-decoration:none;border-radius:4px">Sign in to stemflow</a></p>
<p style="font-size:13px;color:#555">Or copy this address: {{url}}<br>The link works once, until {{expiresDate}}. After that, sign in at <a href="{{siteUrl}}" style="color:#555">{{siteUrl}}</a> with this email address and we will email you a new link each time.</p>
<p style="font-size:13px;color:#555">If you were not expecting this, you can ignore this email.</p>`,
};
