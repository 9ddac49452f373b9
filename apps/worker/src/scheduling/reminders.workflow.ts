import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import {
  APP_CONFIG,
  BOOKING_STATUS_RULES,
  brandingFor,
  type CohortContext,
  cohortContext,
  nextSendSlot,
  Queues,
  reminderKey,
  ScheduledActionKinds,
  type AppConfig,
  type BookingStatus,
  type ReminderRule,
  type ScheduledAction,
  type ScheduledActionJobData,
} from '#domain';
import { NotificationKinds, type NotificationKind, type NotificationSubject } from '#notifications';
import { HandlesJob } from '../jobs/job-registry.js';
import { Notifier } from '../notifications/notifier.js';
import { ScheduledActions, type ActionOutcome } from './scheduled-actions.js';
import { SelfEvaluations } from '../self-evaluation/self-evaluations.js';

const WEEK = 7 * 86_400_000;

interface Recipient {
  email: string;
  name: string | null;
}

type Message = { skip: string } | { kind: NotificationKind; recipient: Recipient; data: Record<string, unknown>; about: NotificationSubject };

/**
 * A cohort's reminder rules coming due. It decides again at the moment of sending, from the
 * current policy and records: a rule since removed, a booking since cancelled, a session
 * already started or a nudge more than a week late is superseded with the reason; a late
 * one still worth sending goes once. Nudges wait for the next school-day send window.
 */
@Injectable()
export class RemindersWorkflow {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly notifier: Notifier,
    private readonly actions: ScheduledActions,
    private readonly logger: PinoLogger,
    private readonly selfEvaluations: SelfEvaluations,
  ) {
    logger.setContext('RemindersWorkflow');
  }

  /**
   * A fan-out asks for the same cohort's policy, calendar and branding thousands of times a
   * minute; they are held for two seconds. A policy edited in that time re-plans in its own
   * transaction, and a superseded action is never run, so nothing goes under a stale rule.
   */
  private readonly cohorts = new ShortCache<CohortContext>(2_000);
  private readonly brands = new ShortCache<Awaited<ReturnType<typeof brandingFor>>>(2_000);

  @HandlesJob(Queues.Schedules, ScheduledActionKinds.SendReminder)
  async send(data: ScheduledActionJobData): Promise<string> {
    return this.actions.run(data, async (action, now) => this.decide(action, now));
  }

  private async decide(action: ScheduledAction, now: Date): Promise<ActionOutcome> {
    const ctx = await this.cohorts.get(action.cohortId ?? 'none', () => cohortContext(this.dataSource.manager, action.cohortId));
    const rule = ctx.policy.reminders.find((r) => r.id === action.payload.ruleId);
    if (!rule) return { outcome: 'superseded', reason: `rule "${String(action.payload.ruleId)}" is no longer in the cohort's policy` };
    const anchorAt = new Date(String(action.payload.anchorAt));
    const before = rule.anchor === 'before_session_start' || rule.anchor === 'before_deadline';
    if (before && now >= anchorAt) {
      const passed = rule.anchor === 'before_deadline' ? 'the deadline has gone by' : 'the session has already started';
      return { outcome: 'superseded', reason: `its moment has passed: ${passed}` };
    }
    if (!before && now.getTime() > action.dueAt.getTime() + WEEK) return { outcome: 'superseded', reason: 'more than a week late: no longer useful' };
    // A self-evaluation reminder carries a fresh page link, issued with its email in one transaction.
    if (action.subjectType === 'self_evaluation') return this.selfEvaluations.remind(action, rule, ctx, now);

    const message: Message = action.subjectType === 'booking' ? await this.bookingMessage(action, rule, anchorAt) : await this.schoolMessage(action, rule);
    if ('skip' in message) return { outcome: 'superseded', reason: message.skip };

    // A nudge waits for the school-day window, but never past the moment it is about.
    let notBefore = nextSendSlot(now, ctx.calendar, ctx.policy.sendWindow) ?? now;
    if (before && notBefore >= anchorAt) notBefore = now;
    await this.notifier.notify({
      key: reminderKey(rule.id, action.subjectType, action.subjectId, String(action.payload.occurrence ?? 'once'), Number(action.payload.sendIndex ?? 0)),
      kind: message.kind,
      recipient: message.recipient,
      data: { ...message.data, publicBaseUrl: this.config.publicBaseUrl, ...(await this.brands.get(ctx.cohortId ?? 'none', () => brandingFor(this.dataSource.manager, { cohortId: ctx.cohortId }))) },
      notBefore,
      about: { cohortId: action.cohortId, ...message.about },
    });
    return { outcome: 'done' };
  }

  private async bookingMessage(action: ScheduledAction, rule: ReminderRule, anchorAt: Date): Promise<Message> {
    const [row]: Array<{
      status: BookingStatus;
      person: string;
      email: string | null;
      title: string;
      starts_at: Date;
      ends_at: Date;
      venue: string | null;
      online_url: string | null;
      school_id: string | null;
      partnership_id: string | null;
    }> = await this.dataSource.query(
      `SELECT b.status, p.name AS person, p.email, c.title, s.starts_at, s.ends_at, s.venue, s.online_url, b.school_id, b.partnership_id
           FROM cpd_bookings b JOIN people p ON p.id = b.person_id JOIN cpd_sessions s ON s.id = b.session_id JOIN cpd_courses c ON c.id = s.course_id
          WHERE b.id = $1`,
      [action.subjectId],
    );
    if (!row) return { skip: 'the booking is gone' };
    if (!rule.audience.includes(BOOKING_STATUS_RULES[row.status].class)) return { skip: `the booking is ${row.status.replace('_', ' ')}` };
    const recipient = rule.recipients === 'participant' ? (row.email ? { email: row.email, name: row.person } : null) : await this.contactOf(row.school_id, rule, action.cohortId);
    if (!recipient) return { skip: `no email address for the ${rule.recipients.replace('_', ' ')}` };
    return {
      kind: NotificationKinds.SessionReminder,
      recipient,
      data: {
        bookingId: action.subjectId,
        personName: row.person,
        courseTitle: row.title,
        startsAt: new Date(row.starts_at).toISOString(),
        endsAt: new Date(row.ends_at).toISOString(),
        venue: row.venue,
        onlineUrl: row.online_url,
        audience: rule.audience,
        daysBefore: Math.max(0, Math.round((anchorAt.getTime() - action.dueAt.getTime()) / 86_400_000)),
      },
      about: { partnershipId: row.partnership_id, schoolId: row.school_id },
    };
  }

  private async schoolMessage(action: ScheduledAction, rule: ReminderRule): Promise<Message> {
    const schoolId =
      action.subjectType === 'membership'
        ? ((await this.dataSource.query(`SELECT school_id FROM partnership_members WHERE id = $1 AND left_at IS NULL`, [action.subjectId])) as Array<{ school_id: string }>)[0]?.school_id
        : action.subjectId;
    if (!schoolId) return { skip: 'the school has left the partnership' };
    const [school]: Array<{ name: string; status: string; partnership: string | null; partnership_id: string | null; contact_email: string | null; contact_name: string | null }> =
      await this.dataSource.query(
        `SELECT s.name, s.status, s.contact_email, s.contact_name, p.name AS partnership, p.id AS partnership_id FROM schools s
         LEFT JOIN partnership_members m ON m.school_id = s.id AND m.left_at IS NULL AND m.cohort_id = $2
         LEFT JOIN partnerships p ON p.id = m.partnership_id
        WHERE s.id = $1`,
        [schoolId, action.cohortId],
      );
    if (!school?.partnership) return { skip: 'the school is no longer in a partnership of this cohort' };
    if (school.status === 'withdrawn') return { skip: 'the school has withdrawn' };
    const recipient =
      rule.recipients === 'school_contact' ? (school.contact_email ? { email: school.contact_email, name: school.contact_name } : null) : await this.contactOf(schoolId, rule, action.cohortId);
    if (!recipient) return { skip: `no email address for the ${rule.recipients.replace('_', ' ')}` };
    const termName = String(action.payload.occurrence ?? '').split(' ')[1] ?? 'new';
    return {
      kind: NotificationKinds.TermStart,
      recipient,
      data: { contactName: recipient.name, schoolName: school.name, partnershipName: school.partnership, termName },
      about: { partnershipId: school.partnership_id, schoolId },
    };
  }

  /** The school's contact, or the lead of its partnership in this cohort (never another programme's). */
  private async contactOf(schoolId: string | null, rule: ReminderRule, cohortId: string | null): Promise<Recipient | null> {
    if (!schoolId) return null;
    if (rule.recipients === 'educational_lead') {
      if (!cohortId) return null;
      const [lead]: Array<{ email: string | null; name: string }> = await this.dataSource.query(
        `SELECT pe.email, pe.name FROM partnership_members m JOIN partnerships p ON p.id = m.partnership_id JOIN people pe ON pe.id = p.educational_lead_id
          WHERE m.school_id = $1 AND m.cohort_id = $2 AND m.left_at IS NULL`,
        [schoolId, cohortId],
      );
      return lead?.email ? { email: lead.email, name: lead.name } : null;
    }
    const [school]: Array<{ contact_email: string | null; contact_name: string | null }> = await this.dataSource.query(`SELECT contact_email, contact_name FROM schools WHERE id = $1`, [schoolId]);
    return school?.contact_email ? { email: school.contact_email, name: school.contact_name } : null;
  }
}

/** Values kept for a short time per key, loaded once however many callers ask at once. */
class ShortCache<T> {
  private readonly entries = new Map<string, { at: number; value: Promise<T> }>();

  constructor(private readonly ttlMs: number) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value;
    const value = load();
    this.entries.set(key, { at: Date.now(), value });
    value.catch(() => this.entries.delete(key));
    if (this.entries.size > 1_000) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }
}
