export * from './ledger/ledger.js';
export * from './ledger/notification-attempt.entity.js';
export * from './ledger/notification.entity.js';
export * from './templates/kinds.js';
export * from './templates/render.js';
export * from './templates/school-welcome.js';
export * from './templates/cpd-bookings.js';
export * from './templates/calendar.js';
export * from './templates/school-term-start.js';
export * from './templates/page-links.js';
export * from './templates/surveys.js';
export * from './templates/self-evaluation.js';
export * from './templates/ambassadors.js';
export * from './transport/mail-transport.js';

import { NotificationAttempt } from './ledger/notification-attempt.entity.js';
import { Notification } from './ledger/notification.entity.js';

export const NOTIFICATION_ENTITIES = [Notification, NotificationAttempt];
export * from './templates/samples.js';
export * from './templates/html.js';
