/**
 * What the sender and its SMTP delivery thread say to each other. Plain data only: it is
 * copied between threads (the message's bytes are moved, not copied).
 */
import { performance } from 'node:perf_hooks';
import type { SendFailure } from '#notifications/transport/mail-transport';

/**
 * Milliseconds on a timeline both threads share (each thread's own origin plus its
 * monotonic time): for leases, which are local timers, not the programme's clock.
 */
export function sharedMonotonicMs(): number {
  return performance.timeOrigin + performance.now();
}

export interface DeliverySettings {
  smtpUrl: string;
  databaseUrl: string;
  /** SMTP_IN_FLIGHT: messages between the end of their data and their record on its way to the ledger. */
  inFlight: number;
  leaseMs: number;
}

/** A claimed notification's message, built, to be sent and recorded. */
export interface DeliveryRequest {
  seq: number;
  envelope: { from: string; to: string[] };
  raw: Uint8Array;
  notificationId: string;
  /** The claim's attempt, renewed before the message goes if its turn comes late. */
  attempt: number;
  /** When, on sharedMonotonicMs's timeline, half the claim's lease is gone. */
  renewAfter: number;
  /** What the sent record says besides the server's answer. */
  record: { startedAt: string; subject: string; attemptId: string; unsubscribeTokenHash: string | null };
}

export type DeliveryOutcome =
  | { kind: 'sent' }
  /** Its turn came after the claim had run out: not sent, the server discarded what it had. */
  | { kind: 'held-back' }
  /** Refused or cut off, read by classifySendError on the thread (an error does not cross threads whole). */
  | { kind: 'refused'; failure: SendFailure }
  /** The server accepted it and the ledger could not be told for half a minute: the claim runs out and the next one finds it interrupted. */
  | { kind: 'unrecorded'; reason: string };

export interface DeliveryReply {
  seq: number;
  outcome: DeliveryOutcome;
}
