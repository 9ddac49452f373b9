import { ScheduledActionKinds } from '#domain';

/** A notification's status as the ledger's pages say it. */
export const STATUS_NAMES: Record<string, string> = {
  queued: 'Waiting to go',
  sending: 'Sending',
  sent: 'Sent',
  failed: 'Failed',
  skipped: 'Not sent',
};

/** The tag colour of each status: sent is done, failed and not sent want a look. */
export const STATUS_TAGS: Record<string, string> = {
  queued: 'govuk-tag--blue',
  sending: 'govuk-tag--light-blue',
  sent: 'govuk-tag--green',
  failed: 'govuk-tag--red',
  skipped: 'govuk-tag--orange',
};

/** What each kind of planned action will do, in words. */
export const SCHEDULED_KIND_NAMES: Record<string, string> = {
  [ScheduledActionKinds.ExpireOffer]: 'A waiting-list place offer lapses',
  [ScheduledActionKinds.SendReminder]: 'Reminder',
  [ScheduledActionKinds.InviteToImpactSurvey]: 'Impact survey invitation',
  [ScheduledActionKinds.RemindSurvey]: 'Survey reminder',
  [ScheduledActionKinds.OpenSelfEvaluation]: 'Self-evaluation invitation',
  [ScheduledActionKinds.SelfEvaluationOverdueNotice]: 'Overdue self-evaluations, to the lead',
  [ScheduledActionKinds.AmbassadorOfferExpiry]: 'A STEM Ambassador offer lapses',
  [ScheduledActionKinds.AmbassadorEscalation]: 'A short STEM Ambassador request goes to the programme team',
  [ScheduledActionKinds.AmbassadorActivityStart]: 'A STEM Ambassador activity starts',
  [ScheduledActionKinds.AmbassadorCheckRenewal]: 'Safeguarding check renewal reminder',
  [ScheduledActionKinds.EnforceRetention]: 'Retention run',
  [ScheduledActionKinds.RefreshFigureSnapshots]: 'Programme figures worked out again',
};
