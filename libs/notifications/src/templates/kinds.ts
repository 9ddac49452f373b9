/** Every kind of notification, in one place; each has exactly one template. */
export const NotificationKinds = {
  SchoolWelcome: 'school.welcome',
  BookingConfirmed: 'booking.confirmed',
  PlaceOffered: 'booking.place_offered',
  BookingCancelled: 'booking.cancelled',
  SessionReminder: 'booking.session_reminder',
} as const;

export type NotificationKind = (typeof NotificationKinds)[keyof typeof NotificationKinds];

export function isNotificationKind(value: string): value is NotificationKind {
  return (Object.values(NotificationKinds) as string[]).includes(value);
}
