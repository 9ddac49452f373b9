import { createEvent } from 'ics';

export interface CalendarInvite {
  method: 'REQUEST' | 'CANCEL';
  content: string;
}

export interface SessionForCalendar {
  uid: string;
  title: string;
  startsAt: string;
  endsAt: string;
  location: string | null;
  url: string | null;
  description: string;
  sequence?: number;
}

/** An iCalendar invitation a mail client offers to add to the calendar (RFC 5545/5546). */
export function sessionInvite(session: SessionForCalendar, method: CalendarInvite['method'] = 'REQUEST'): CalendarInvite {
  const { error, value } = createEvent({
    uid: session.uid,
    title: session.title,
    start: Date.parse(session.startsAt),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: Date.parse(session.endsAt),
    endInputType: 'utc',
    endOutputType: 'utc',
    location: session.location ?? undefined,
    url: session.url ?? undefined,
    description: session.description,
    method,
    status: method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED',
    sequence: session.sequence ?? (method === 'CANCEL' ? 1 : 0),
    productId: 'stemflow',
  });
  if (error || !value) throw new Error(`could not build the calendar invitation: ${error?.message ?? 'no output'}`);
  return { method, content: value };
}
