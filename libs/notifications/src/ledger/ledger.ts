import { randomUUID } from 'node:crypto';
import { In, type EntityManager } from 'typeorm';
import { TRANSACTIONAL_KINDS, type NotificationKind } from '../templates/kinds.js';
import { Notification } from './notification.entity.js';

/** A workflow's decision to tell someone something. */
export interface NotifyDecision {
  /** Unique per decision, e.g. `welcome:{partnership}:{school}`; deciding twice is a no-op. */
  key: string;
  kind: NotificationKind;
  recipient: { email: string; name?: string | null };
  data: Record<string, unknown>;
  notBefore: Date;
  requestId?: string | null;
  /** Set when an admin resends an earlier notification. */
  resendOf?: string | null;
  /**
   * Set when the decision already knows it must not go (the person objected to its
   * purpose): the row is written as skipped with this reason, so the ledger shows who was
   * not told and why, and no send is enqueued. (`notify` only.)
   */
  skipReason?: string | null;
  /**
   * What the email is about, so the ledger is read by the same rule as the record: its
   * programme (or the cohort or partnership that names it), partnership and school. Mail
   * about no programme leaves it out and is seen by admins alone.
   */
  about?: NotificationSubject;
}

export interface NotificationSubject {
  programmeId?: string | null;
  cohortId?: string | null;
  partnershipId?: string | null;
  schoolId?: string | null;
}

/** The subject's four values, in the order `SUBJECT_COLUMNS` and `subjectValues` name them. */
function subjectParams(about: NotificationSubject | undefined): Array<string | null> {
  return [about?.programmeId ?? null, about?.cohortId ?? null, about?.partnershipId ?? null, about?.schoolId ?? null];
}

const SUBJECT_COLUMNS = 'programme_id, cohort_id, partnership_id, school_id';

/** The subject's columns from its four parameters: a cohort or partnership names its programme, a partnership its cohort. */
function subjectValues(p: (i: number) => string): string {
  const [programme, cohort, partnership, school] = [p(1), p(2), p(3), p(4)];
  const cohortOf = `COALESCE(${cohort}::uuid, (SELECT x.cohort_id FROM partnerships x WHERE x.id = ${partnership}::uuid))`;
  return `COALESCE(${programme}::uuid, (SELECT c.programme_id FROM cohorts c WHERE c.id = ${cohortOf})), ${cohortOf}, ${partnership}::uuid, ${school}::uuid`;
}

export interface NotifyOutcome {
  notification: Notification;
  /** False when an earlier decision with the same key already stands. */
  created: boolean;
}

/** The host part of every Message-ID stemflow sends. */
export const MESSAGE_ID_DOMAIN = 'stemflow.notifications';

/**
 * The one way to decide to notify: an idempotent insert into the ledger.
 * It never sends; the caller enqueues the send job for the returned row.
 */
export async function notify(manager: EntityManager, decision: NotifyDecision, now: Date): Promise<NotifyOutcome> {
  const id = randomUUID();
  const inserted: Array<{ id: string }> = await manager.query(
    `INSERT INTO notifications
       (id, idempotency_key, kind, recipient_email, recipient_name, data, status, not_before,
        attempt_count, message_id, request_id, priority, resend_of, created_at, updated_at, skip_reason, last_error, ${SUBJECT_COLUMNS})
     VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $13::text IS NULL THEN 'queued' ELSE 'skipped' END, $7, 0, $8, $9, $11, $12, $10, $10, $13, $13,
       ${subjectValues((i) => `$${13 + i}`)})
     ON CONFLICT (idempotency_key) DO NOTHING
     RETURNING id`,
    [
      id,
      decision.key,
      decision.kind,
      decision.recipient.email,
      decision.recipient.name ?? null,
      JSON.stringify(decision.data),
      decision.notBefore,
      `<${id}@${MESSAGE_ID_DOMAIN}>`,
      decision.requestId ?? null,
      now,
      TRANSACTIONAL_KINDS.has(decision.kind) ? 1 : 5,
      decision.resendOf ?? null,
      decision.skipReason ?? null,
      ...subjectParams(decision.about),
    ],
  );
  const notification = await manager.findOneByOrFail(Notification, { idempotencyKey: decision.key });
  return { notification, created: inserted.length === 1 };
}

/**
 * `notify` for many decisions in one statement (a batch of term invitations): the ledger
 * rows for every key, new or decided before, in the order of the decisions.
 */
export async function notifyMany(manager: EntityManager, decisions: NotifyDecision[], now: Date): Promise<Notification[]> {
  if (decisions.length === 0) return [];
  const values: unknown[] = [];
  const rows = decisions.map((decision) => {
    const id = randomUUID();
    const at = values.length;
    values.push(
      id,
      decision.key,
      decision.kind,
      decision.recipient.email,
      decision.recipient.name ?? null,
      JSON.stringify(decision.data),
      decision.notBefore,
      `<${id}@${MESSAGE_ID_DOMAIN}>`,
      decision.requestId ?? null,
      now,
      TRANSACTIONAL_KINDS.has(decision.kind) ? 1 : 5,
      decision.resendOf ?? null,
      ...subjectParams(decision.about),
    );
    const p = (i: number) => `$${at + i}`;
    return `(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, 'queued', ${p(7)}, 0, ${p(8)}, ${p(9)}, ${p(11)}, ${p(12)}, ${p(10)}, ${p(10)}, ${subjectValues((i) => p(12 + i))})`;
  });
  await manager.query(
    `INSERT INTO notifications
       (id, idempotency_key, kind, recipient_email, recipient_name, data, status, not_before,
        attempt_count, message_id, request_id, priority, resend_of, created_at, updated_at, ${SUBJECT_COLUMNS})
     VALUES ${rows.join(', ')}
     ON CONFLICT (idempotency_key) DO NOTHING`,
    values,
  );
  const found = await manager.find(Notification, { where: { idempotencyKey: In(decisions.map((d) => d.key)) } });
  const byKey = new Map(found.map((n) => [n.idempotencyKey, n]));
  return decisions.map((d) => byKey.get(d.key)!);
}

/** How much of a retry's delay is left to chance, so that a burst of refusals does not come back as one burst. */
const SEND_RETRY_JITTER = 0.5;

/** BullMQ options for a notification's send job: retries with backoff and jitter, kept long enough to drop repeats. */
export function sendJobOptions(jobId: string, priority: number, retry: { attempts: number; baseMs: number }) {
  return {
    jobId,
    priority,
    attempts: retry.attempts,
    backoff: { type: 'exponential', delay: retry.baseMs, jitter: SEND_RETRY_JITTER },
    removeOnComplete: { age: 24 * 3600, count: 100_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}

/**
 * The wait before a send's next try, as `sendJobOptions`' backoff would choose it after
 * `attempt` tries: for a retry that leaves a batch job for a job of its own.
 */
export function sendRetryDelayMs(baseMs: number, attempt: number): number {
  const delay = baseMs * 2 ** Math.max(0, attempt - 1);
  return Math.round(delay * (1 - SEND_RETRY_JITTER * Math.random()));
}
