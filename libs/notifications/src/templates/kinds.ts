/** Every kind of notification, in one place; each has exactly one template. */
export const NotificationKinds = {
  SchoolWelcome: 'school.welcome',
  BookingConfirmed: 'booking.confirmed',
  PlaceOffered: 'booking.place_offered',
  BookingCancelled: 'booking.cancelled',
  SessionMoved: 'booking.session_moved',
  SessionReminder: 'booking.session_reminder',
  TermStart: 'school.term_start',
  LinkRenewed: 'page_link.renewed',
  DashboardSignIn: 'dashboard.sign_in',
  AccountInvitation: 'account.invitation',
  SurveyInvitation: 'survey.invitation',
  SurveyReminder: 'survey.reminder',
  SelfEvaluationInvitation: 'self_evaluation.invitation',
  SelfEvaluationReminder: 'self_evaluation.reminder',
  SelfEvaluationOverdue: 'self_evaluation.overdue',
  SelfEvaluationComparison: 'self_evaluation.comparison',
  AmbassadorOffer: 'ambassador.offer',
  AmbassadorAccepted: 'ambassador.accepted',
  AmbassadorRequestFilled: 'ambassador.request_filled',
  AmbassadorTeamConfirmed: 'ambassador.team_confirmed',
  AmbassadorRequestEscalated: 'ambassador.request_escalated',
  AmbassadorRequestCancelled: 'ambassador.request_cancelled',
  AmbassadorCheckRenewal: 'ambassador.check_renewal',
} as const;

export type NotificationKind = (typeof NotificationKinds)[keyof typeof NotificationKinds];

export function isNotificationKind(value: string): value is NotificationKind {
  return (Object.values(NotificationKinds) as string[]).includes(value);
}

/** Mail a person expects as the direct answer to something they did: it goes at once and has no unsubscribe link. */
export const TRANSACTIONAL_KINDS: ReadonlySet<NotificationKind> = new Set([
  NotificationKinds.BookingConfirmed,
  NotificationKinds.PlaceOffered,
  NotificationKinds.BookingCancelled,
  NotificationKinds.SessionMoved,
  NotificationKinds.LinkRenewed,
  NotificationKinds.DashboardSignIn,
  NotificationKinds.AccountInvitation,
  NotificationKinds.SelfEvaluationComparison,
  NotificationKinds.AmbassadorAccepted,
  NotificationKinds.AmbassadorRequestFilled,
  NotificationKinds.AmbassadorTeamConfirmed,
  NotificationKinds.AmbassadorRequestEscalated,
  NotificationKinds.AmbassadorRequestCancelled,
]);

/** The purposes an email kind is sent for; their lawful bases and defaults are libs/domain's PURPOSE_RULES. */
export type KindPurpose = 'service' | 'programme_communications' | 'surveys' | 'news';

/**
 * The purpose each kind of message is sent for. Transactional mail (a booking confirmation,
 * a fresh link they asked for, the team an ambassador request gets) is a service message
 * answering something the person did. Survey invitations and reminders are evaluation
 * surveys; kinds named `news.*` are news and marketing, which need the person's explicit
 * yes; every other nudge is a programme communication.
 */
export function purposeOf(kind: string): KindPurpose {
  if (TRANSACTIONAL_KINDS.has(kind as NotificationKind)) return 'service';
  if (kind === NotificationKinds.SurveyInvitation || kind === NotificationKinds.SurveyReminder) return 'surveys';
  if (kind.startsWith('news.')) return 'news';
  return 'programme_communications';
}

/** Each kind in the words a programme team uses, for the ledger's pages. */
export const KIND_NAMES: Record<NotificationKind, string> = {
  [NotificationKinds.SchoolWelcome]: 'Welcome to the partnership',
  [NotificationKinds.BookingConfirmed]: 'CPD booking confirmed',
  [NotificationKinds.PlaceOffered]: 'CPD place offered from the waiting list',
  [NotificationKinds.BookingCancelled]: 'CPD booking cancelled',
  [NotificationKinds.SessionMoved]: 'CPD session changed',
  [NotificationKinds.SessionReminder]: 'CPD session reminder',
  [NotificationKinds.TermStart]: 'Start of term',
  [NotificationKinds.LinkRenewed]: 'A fresh link',
  [NotificationKinds.DashboardSignIn]: 'Sign-in link',
  [NotificationKinds.SurveyInvitation]: 'Survey invitation',
  [NotificationKinds.SurveyReminder]: 'Survey reminder',
  [NotificationKinds.SelfEvaluationInvitation]: 'Self-evaluation invitation',
  [NotificationKinds.SelfEvaluationReminder]: 'Self-evaluation reminder',
  [NotificationKinds.SelfEvaluationOverdue]: 'Self-evaluations overdue',
  [NotificationKinds.SelfEvaluationComparison]: 'Self-evaluation compared with last time',
  [NotificationKinds.AmbassadorOffer]: 'STEM Ambassador offer',
  [NotificationKinds.AmbassadorAccepted]: 'STEM Ambassador acceptance confirmed',
  [NotificationKinds.AmbassadorRequestFilled]: 'STEM Ambassador request filled',
  [NotificationKinds.AmbassadorTeamConfirmed]: 'STEM Ambassadors coming',
  [NotificationKinds.AmbassadorRequestEscalated]: 'STEM Ambassador request escalated',
  [NotificationKinds.AmbassadorRequestCancelled]: 'STEM Ambassador request cancelled',
  [NotificationKinds.AmbassadorCheckRenewal]: 'STEM Ambassador check renewal',
  [NotificationKinds.AccountInvitation]: 'Invitation to stemflow',
};

/** A kind in words; a kind no longer sent shows as it is stored. */
export function kindName(kind: string): string {
  return isNotificationKind(kind) ? KIND_NAMES[kind] : kind;
}
