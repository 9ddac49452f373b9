import type { MessageTemplate } from './render.js';

/** A school invited to its termly self-evaluation (or its baseline), with the page link. */
export const selfEvaluationInvitation: MessageTemplate = {
  subject: 'Your {{termName}} self-evaluation is open: {{schoolName}}',
  text: `Dear {{#if contactName}}{{contactName}}{{else}}colleague{{/if}},

It is time for {{schoolName}}'s {{termName}} self-evaluation with {{partnershipName}}. For each element you choose the level that describes your school, say how you know, and note your next steps. You can save a draft and come back.

{{#if elements}}This term you are looking at:
{{#each elements}}- {{this}}
{{/each}}
{{/if}}Open your self-evaluation:
{{url}}

Please submit it by {{deadlineDate}}. You can still change it after submitting, until then.
`,
  html: `<p>Dear {{#if contactName}}{{contactName}}{{else}}colleague{{/if}},</p>
<p>It is time for <strong>{{schoolName}}</strong>'s {{termName}} self-evaluation with {{partnershipName}}. For each element you choose the level that describes your school, say how you know, and note your next steps. You can save a draft and come back.</p>
{{#if elements}}<p>This term you are looking at:</p><ul>{{#each elements}}<li>{{this}}</li>{{/each}}</ul>{{/if}}
<p><a href="{{url}}" style="display:inline-block;padding:10px 18px;background:#0b5394;color:#fff;text-decoration:none;border-radius:4px">Open your self-evaluation</a></p>
<p style="font-size:13px;color:#555">Or copy this address: {{url}}<br>Please submit it by {{deadlineDate}}. You can still change it after submitting, until then.</p>`,
};

/** Before the deadline, only to schools that have not submitted; each carries a fresh link. */
export const selfEvaluationReminder: MessageTemplate = {
  subject: "Reminder: {{schoolName}}'s {{termName}} self-evaluation is due {{deadlineDate}}",
  text: `Dear {{#if contactName}}{{contactName}}{{else}}colleague{{/if}},

{{schoolName}}'s {{termName}} self-evaluation has not been submitted yet. It is due by {{deadlineDate}}.

Open it here (anything you saved as a draft is kept):
{{url}}
`,
  html: `<p>Dear {{#if contactName}}{{contactName}}{{else}}colleague{{/if}},</p>
<p><strong>{{schoolName}}</strong>'s {{termName}} self-evaluation has not been submitted yet. It is due by <strong>{{deadlineDate}}</strong>.</p>
<p><a href="{{url}}" style="display:inline-block;padding:10px 18px;background:#0b5394;color:#fff;text-decoration:none;border-radius:4px">Open your self-evaluation</a></p>
<p style="font-size:13px;color:#555">Or copy this address: {{url}}<br>Anything you saved as a draft is kept.</p>`,
};

/** After the deadline, the educational lead hears which schools have not submitted. */
export const selfEvaluationOverdue: MessageTemplate = {
  subject: '{{partnershipName}}: {{overdueCount}} not submitted the {{termName}} self-evaluation',
  text: `Dear {{#if leadName}}{{leadName}}{{else}}colleague{{/if}},

The {{termName}} self-evaluation for {{partnershipName}} was due by {{deadlineDate}}. These schools have not submitted it:
{{#each schools}}- {{name}} ({{status}}{{#if contactEmail}}, {{contactEmail}}{{/if}})
{{/each}}
A word from you may help: they can still be sent a fresh link from their expired one.
`,
  html: `<p>Dear {{#if leadName}}{{leadName}}{{else}}colleague{{/if}},</p>
<p>The {{termName}} self-evaluation for <strong>{{partnershipName}}</strong> was due by {{deadlineDate}}. These schools have not submitted it:</p>
<ul>{{#each schools}}<li>{{name}} ({{status}}{{#if contactEmail}}, {{contactEmail}}{{/if}})</li>{{/each}}</ul>
<p>A word from you may help.</p>`,
};

/** On each submission, to the school and its lead: level then → now per element. */
export const selfEvaluationComparison: MessageTemplate = {
  subject: '{{schoolName}}: {{termName}} self-evaluation submitted',
  text: `Dear {{#if recipientName}}{{recipientName}}{{else}}colleague{{/if}},

{{schoolName}} has submitted its {{termName}} self-evaluation.{{#if previousTerm}} Compared with {{previousTerm}}:{{else}} There is no earlier evaluation to compare with yet.{{/if}}

{{#each items}}- {{name}}: {{#if then}}{{then}} → {{/if}}{{#if now}}{{now}}{{else}}no level{{/if}} ({{arrow}})
{{/each}}
The levels are the school's own judgement; the evidence and next steps are on its self-evaluation page.
`,
  html: `<p>Dear {{#if recipientName}}{{recipientName}}{{else}}colleague{{/if}},</p>
<p><strong>{{schoolName}}</strong> has submitted its {{termName}} self-evaluation.{{#if previousTerm}} Compared with {{previousTerm}}:{{else}} There is no earlier evaluation to compare with yet.{{/if}}</p>
<table style="border-collapse:collapse;width:100%"><tr><th align="left">Element</th><th align="left">Then</th><th align="left">Now</th><th align="left">Change</th></tr>
{{#each items}}<tr><td>{{name}}</td><td>{{#if then}}{{then}}{{else}}–{{/if}}</td><td>{{#if now}}{{now}}{{else}}–{{/if}}</td><td>{{arrow}}</td></tr>{{/each}}</table>
<p style="font-size:13px;color:#555">The levels are the school's own judgement; the evidence and next steps are on its self-evaluation page.</p>`,
};
