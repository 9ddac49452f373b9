/**
 * Every domain event type, in one place. The relay moves every event to the events
 * queue under its type as the job name; the worker's registry checks at start-up that
 * each type marked `reacts` has exactly one handler.
 */
export const EventTypes = {
  SchoolCreated: 'school.created',
  SchoolUpdated: 'school.updated',
  PartnershipCreated: 'partnership.created',
  SchoolJoinedPartnership: 'school.joined_partnership',
} as const;

export type EventType = (typeof EventTypes)[keyof typeof EventTypes];

/** Event types some workflow must react to; the others are kept for the record and for later reactions. */
export const REACTIVE_EVENT_TYPES: readonly EventType[] = [EventTypes.SchoolJoinedPartnership];

export function isEventType(value: string): value is EventType {
  return (Object.values(EventTypes) as string[]).includes(value);
}
