import type { MessageTemplate } from './render.js';

export interface SchoolWelcomeData {
  contactName: string | null;
  schoolName: string;
  partnershipName: string;
  partnershipArea: string | null;
  joinedAt: string;
  publicBaseUrl: string;
  /** The baseline self-evaluation's page, when the partnership is part of a cohort. */
  baselineUrl?: string;
  deadlineAt?: string;
}

export const schoolWelcome: MessageTemplate = {
  subject: 'Welcome to {{partnershipName}}, {{schoolName}}',
  text: `Dear {{#if contactName}}{{contactName}}{{else}}colleague{{/if}},

{{schoolName}} has joined {{partnershipName}}{{#if partnershipArea}} ({{partnershipArea}}){{/if}}, a delivery partnership of neighbouring schools working together on STEM.

What happens next:
- Your educational lead will be in touch to agree your school's needs and an action plan.
- You will be invited each term to a short self-evaluation, so the partnership can see how far you have come.
- CPD places, enrichment events and STEM Ambassador visits are booked through stemflow.
{{#if baselineUrl}}
First, please tell us where {{schoolName}} starts from: a short baseline self-evaluation (your own rating of each STEM subject, and the STEM maturity grid), due by {{deadlineDate}}. You can save a draft and come back:
{{baselineUrl}}
{{/if}}
Joined on {{joinedDate}}.

The stemflow team
{{publicBaseUrl}}
`,
  html: `<p>Dear {{#if contactName}}{{contactName}}{{else}}colleague{{/if}},</p>
<p><strong>{{schoolName}}</strong> has joined <strong>{{partnershipName}}</strong>{{#if partnershipArea}} ({{partnershipArea}}){{/if}}, a delivery partnership of neighbouring schools working together on STEM.</p>
<p>What happens next:</p>
<ul>
  <li>Your educational lead will be in touch to agree your school's needs and an action plan.</li>
  <li>You will be invited each term to a short self-evaluation, so the partnership can see how far you have come.</li>
  <li>CPD places, enrichment events and STEM Ambassador visits are booked through stemflow.</li>
</ul>
{{#if baselineUrl}}<p>First, please tell us where {{schoolName}} starts from: a short baseline self-evaluation (your own rating of each STEM subject, and the STEM maturity grid), due by {{deadlineDate}}. You can save a draft and come back.</p>
<p><a href="{{baselineUrl}}" style="display:inline-block;padding:10px 18px;background:#0b5394;color:#fff;text-decoration:none;border-radius:4px">Start your baseline self-evaluation</a></p>{{/if}}
<p>Joined on {{joinedDate}}.</p>`,
};
