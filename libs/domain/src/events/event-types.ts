import { BookingEventTypes } from '../cpd/booking-status.js';
import { AmbassadorEventTypes } from '../ambassadors/ambassador.events.js';

/**
 * Every domain event type, in one place. The relay moves every event to the events
 * queue under its type as the job name; the worker's registry checks at start-up that
 * each type marked reactive has exactly one handler.
 */
export const EventTypes = {
  SchoolCreated: 'school.created',
  SchoolUpdated: 'school.updated',
  SchoolStatusChanged: 'school.status_changed',
  SchoolContactChanged: 'school.contact_changed',
  OfstedInspectionRecorded: 'school.ofsted_recorded',
  PartnershipCreated: 'partnership.created',
  PartnershipUpdated: 'partnership.updated',
  SchoolJoinedPartnership: 'school.joined_partnership',
  SchoolLeftPartnership: 'school.left_partnership',
  BudgetOverrideRecorded: 'partnership.budget_override',
  ProgrammeCreated: 'programme.created',
  ProgrammeUpdated: 'programme.updated',
  CohortCreated: 'cohort.created',
  CohortUpdated: 'cohort.updated',
  PersonCreated: 'person.created',
  PersonUpdated: 'person.updated',
  CourseCreated: 'cpd.course_created',
  SessionCreated: 'cpd.session_created',
  SessionMoved: 'cpd.session_moved',
  SessionCancelled: 'cpd.session_cancelled',
  CourseUpdated: 'cpd.course_updated',
  CpdRecorded: 'cpd.recorded',
  BookingConfirmed: BookingEventTypes.Confirmed,
  BookingWaitlisted: BookingEventTypes.Waitlisted,
  BookingPlaceOffered: BookingEventTypes.PlaceOffered,
  BookingCancelled: BookingEventTypes.Cancelled,
  BookingOfferExpired: BookingEventTypes.OfferExpired,
  BookingAttended: BookingEventTypes.Attended,
  BookingNoShow: BookingEventTypes.NoShow,
  EnrichmentRecorded: 'enrichment.recorded',
  EnrichmentCorrected: 'enrichment.corrected',
  PageLinkRenewalRequested: 'page_link.renewal_requested',
  DashboardSignInRequested: 'dashboard.sign_in_requested',
  AccountInvited: 'account.invited',
  SurveyResponded: 'survey.responded',
  EnrichmentFeedbackRequested: 'survey.enrichment_feedback_requested',
  SelfEvaluationSubmitted: 'self_evaluation.submitted',
  AmbassadorCreated: AmbassadorEventTypes.AmbassadorCreated,
  AmbassadorUpdated: AmbassadorEventTypes.AmbassadorUpdated,
  AmbassadorCheckRecorded: AmbassadorEventTypes.CheckRecorded,
  AmbassadorRequestCreated: AmbassadorEventTypes.RequestCreated,
  AmbassadorWaveDue: AmbassadorEventTypes.WaveDue,
  AmbassadorRequestFilled: AmbassadorEventTypes.RequestFilled,
  AmbassadorRequestCancelled: AmbassadorEventTypes.RequestCancelled,
  AmbassadorDeliveryConfirmed: AmbassadorEventTypes.DeliveryConfirmed,
  AmbassadorOfferAccepted: AmbassadorEventTypes.OfferAccepted,
  AmbassadorOfferDeclined: AmbassadorEventTypes.OfferDeclined,
  AmbassadorOfferWithdrew: AmbassadorEventTypes.OfferWithdrew,
  AmbassadorHoursLogged: AmbassadorEventTypes.HoursLogged,
} as const;

export type EventType = (typeof EventTypes)[keyof typeof EventTypes];

/** Event types some workflow must react to; the others are kept for the record and for later reactions. */
export const REACTIVE_EVENT_TYPES: readonly EventType[] = [
  EventTypes.SchoolJoinedPartnership,
  EventTypes.BookingConfirmed,
  EventTypes.BookingPlaceOffered,
  EventTypes.BookingCancelled,
  EventTypes.SessionMoved,
  EventTypes.PageLinkRenewalRequested,
  EventTypes.DashboardSignInRequested,
  EventTypes.AccountInvited,
  EventTypes.BookingAttended,
  EventTypes.EnrichmentFeedbackRequested,
  EventTypes.SelfEvaluationSubmitted,
  EventTypes.AmbassadorRequestCreated,
  EventTypes.AmbassadorWaveDue,
  EventTypes.AmbassadorRequestFilled,
  EventTypes.AmbassadorOfferAccepted,
  EventTypes.AmbassadorRequestCancelled,
];

export function isEventType(value: string): value is EventType {
  return (Object.values(EventTypes) as string[]).includes(value);
}
