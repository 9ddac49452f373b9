import type { MessageTemplate } from './render.js';

export interface TermStartData {
  contactName: string | null;
  schoolName: string;
  partnershipName: string;
  termName: string;
  publicBaseUrl: string;
}

export const schoolTermStart: MessageTemplate = {
  subject: 'A new term with {{partnershipName}}',
  text: `Dear {{#if contactName}}{{contactName}}{{else}}colleague{{/if}},

Welcome back to the {{termName}} term. Here is what {{partnershipName}} offers {{schoolName}} this term:
- CPD places for your teachers, booked through stemflow;
- STEM Ambassador visits and enrichment events;
- a short self-evaluation, so you can see how far you have come.

Your educational lead is there to help you plan.
`,
  html: `<p>Dear {{#if contactName}}{{contactName}}{{else}}colleague{{/if}},</p>
<p>Welcome back to the {{termName}} term. Here is what <strong>{{partnershipName}}</strong> offers {{schoolName}} this term:</p>
<ul><li>CPD places for your teachers, booked through stemflow;</li><li>STEM Ambassador visits and enrichment events;</li><li>a short self-evaluation, so you can see how far you have come.</li></ul>
<p>Your educational lead is there to help you plan.</p>`,
};
