/** Queue names and job names, in one place. */
export const Queues = {
  /** One job per outbox event; job name = event type, jobId = event id. */
  Events: 'events',
  /** One job per notification to send (jobId = notification id), or per batch of a fan-out's notifications. */
  Notifications: 'notifications',
  /** The ticker and one job per due scheduled action; job name = action kind, jobId = action id. */
  Schedules: 'schedules',
} as const;

export const JobNames = {
  SendNotification: 'notification.send',
  SendNotifications: 'notification.send-batch',
} as const;

export interface SendJobData {
  notificationId: string;
  requestId: string | null;
}

/**
 * Notifications decided together (a term's invitations) are sent by one job per
 * SEND_BATCH_SIZE: one claim, one consent check and one BullMQ job for the lot, where one
 * each per email was most of what the worker did besides sending. A notification that has
 * to wait (a transient refusal's backoff) leaves its batch for a job of its own.
 */
export const SEND_BATCH_SIZE = 25;

export interface SendBatchJobData {
  notificationIds: string[];
  requestId: string | null;
}

/** Each worker scores itself here every few seconds; /health counts the recent ones. */
export const workersKey = (queuePrefix: string): string => `${queuePrefix}:workers`;
export const WORKER_HEARTBEAT_MS = 10_000;
/** The one tick a minute across the cluster: a BullMQ job scheduler with this stable id. */
export const TICK_SCHEDULER_ID = 'scheduled-actions-ticker';
export const TICK_JOB = 'schedule.tick';

export interface ScheduledActionJobData {
  actionId: string;
  requestId: string | null;
}

/**
 * A kind whose workflow also handles `batchJobName(kind)` gets its due actions from the
 * ticker in batches (one job for up to SCHEDULE_BATCH_SIZE actions, its id stable for the
 * batch), so that a term's thousands of invitations are decided in few transactions.
 */
export const batchJobName = (kind: string): string => `${kind}.batch`;
export const SCHEDULE_BATCH_SIZE = 100;

export interface ScheduledActionBatchJobData {
  actionIds: string[];
  requestId: string | null;
}

/** Job states in which BullMQ will still run the job: the sweeps that revive lost work leave these alone. */
export const LIVE_JOB_STATES: ReadonlySet<string> = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);
