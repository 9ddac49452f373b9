/** Queue names and job names, in one place (STYLE.md). */
export const Queues = {
  /** One job per outbox event; job name = event type, jobId = event id. */
  Events: 'events',
  /** One job per notification to send; jobId = notification id. */
  Notifications: 'notifications',
} as const;

export const JobNames = {
  SendNotification: 'notification.send',
} as const;

export interface SendJobData {
  notificationId: string;
  requestId: string | null;
}

/** Each worker scores itself here every few seconds; /health counts the recent ones. */
export const workersKey = (queuePrefix: string): string => `${queuePrefix}:workers`;
export const WORKER_HEARTBEAT_MS = 10_000;
