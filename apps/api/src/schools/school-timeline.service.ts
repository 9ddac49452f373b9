import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '#domain';
import { SchoolsService } from './schools.service.js';

export interface TimelineEntry {
  at: string;
  kind: string;
  summary: string;
  ref: { type: string; id: string };
}

/**
 * One engagement record per school (001_27ddbfeaf192e737.txt: no single view of a school's
 * engagement across schemes): memberships, status changes, contacts, Ofsted, bookings,
 * CPD from every channel, enrichment and the emails sent to its people, in time order.
 */
@Injectable()
export class SchoolTimelineService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly schools: SchoolsService,
  ) {}

  async timeline(principal: Principal, schoolId: string): Promise<{ schoolId: string; entries: TimelineEntry[] }> {
    await this.schools.get(principal, schoolId);
    const rows: Array<{ at: Date; kind: string; summary: string; ref_type: string; ref_id: string }> = await this.dataSource.query(
      `SELECT m.joined_at AS at, 'membership.joined' AS kind, 'Joined ' || p.name AS summary, 'partnership' AS ref_type, p.id::text AS ref_id
         FROM partnership_members m JOIN partnerships p ON p.id = m.partnership_id WHERE m.school_id = $1
       UNION ALL
       SELECT m.left_at, 'membership.left', 'Left ' || p.name, 'partnership', p.id::text
         FROM partnership_members m JOIN partnerships p ON p.id = m.partnership_id WHERE m.school_id = $1 AND m.left_at IS NOT NULL
       UNION ALL
       SELECT changed_at, 'status.changed', 'Status ' || coalesce(from_status, 'new') || ' → ' || to_status || coalesce(' (' || reason || ')', ''), 'school', school_id::text
         FROM school_status_changes WHERE school_id = $1
       UNION ALL
       SELECT from_at, 'contact.started', replace(role, '_', ' ') || ': ' || name, 'contact', id::text FROM school_contacts WHERE school_id = $1
       UNION ALL
       SELECT recorded_at, 'ofsted.recorded', 'Ofsted inspection ' || inspected_on || ': ' || coalesce(rating::text, 'not graded'), 'ofsted', id::text
         FROM ofsted_inspections WHERE school_id = $1
       UNION ALL
       SELECT h.at, 'booking.' || h.to_status, pe.name || ' — ' || c.title || ' (' || to_char(s.starts_at AT TIME ZONE 'Europe/London', 'DD Mon YYYY') || '): ' || replace(h.to_status, '_', ' '),
              'booking', b.id::text
         FROM cpd_booking_history h JOIN cpd_bookings b ON b.id = h.booking_id JOIN people pe ON pe.id = b.person_id
         JOIN cpd_sessions s ON s.id = b.session_id JOIN cpd_courses c ON c.id = s.course_id
        WHERE b.school_id = $1
       UNION ALL
       SELECT r.recorded_at, 'cpd.recorded', pe.name || ' — ' || r.title || ': ' || r.hours || ' h (' || replace(r.channel, '_', ' ') || ')', 'cpd_record', r.id::text
         FROM cpd_records r JOIN people pe ON pe.id = r.person_id WHERE r.school_id = $1
       UNION ALL
       SELECT e.created_at, 'enrichment.recorded', (e.details->>'title') || ' on ' || e.occurs_on, 'enrichment_event', e.id::text
         FROM enrichment_events e WHERE e.host_school_id = $1 OR e.id IN (SELECT event_id FROM enrichment_event_schools WHERE school_id = $1)
       UNION ALL
       SELECT n.created_at, 'notification.' || n.status, coalesce(n.subject, n.kind) || ' → ' || n.recipient_email, 'notification', n.id::text
         FROM notifications n
        WHERE lower(n.recipient_email) IN (
                SELECT lower(contact_email) FROM schools WHERE id = $1 AND contact_email IS NOT NULL
                UNION SELECT lower(email) FROM school_contacts WHERE school_id = $1 AND email IS NOT NULL
                UNION SELECT lower(email) FROM people WHERE school_id = $1 AND email IS NOT NULL)
       ORDER BY at, kind`,
      [schoolId],
    );
    return {
      schoolId,
      entries: rows.map((r) => ({ at: new Date(r.at).toISOString(), kind: r.kind, summary: r.summary, ref: { type: r.ref_type, id: r.ref_id } })),
    };
  }
}
