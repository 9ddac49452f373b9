import type { EventType } from './event-types.js';

/** What a command records about what it caused; the unit of work writes it to the outbox. */
export interface DomainEvent<P extends object = Record<string, unknown>> {
  type: EventType;
  aggregateType: string;
  aggregateId: string;
  payload: P;
}

/** The shape an outbox event travels in, as the data of its BullMQ job. */
export interface EventJobData {
  eventId: string;
  type: EventType;
  aggregateType: string;
  aggregateId: string;
  payload: Record<string, unknown>;
  occurredAt: string;
  requestId: string | null;
}

export interface SchoolJoinedPartnershipPayload {
  membershipId: string;
  partnershipId: string;
  schoolId: string;
  joinedAt: string;
}
