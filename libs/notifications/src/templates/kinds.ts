/** Every kind of notification, in one place; each has exactly one template. */
export const NotificationKinds = {
  SchoolWelcome: 'school.welcome',
} as const;

export type NotificationKind = (typeof NotificationKinds)[keyof typeof NotificationKinds];

export function isNotificationKind(value: string): value is NotificationKind {
  return (Object.values(NotificationKinds) as string[]).includes(value);
}
