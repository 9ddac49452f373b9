import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import {
  actOnBooking,
  APP_CONFIG,
  brandingFor,
  planBookingRules,
  CpdBooking,
  CpdCourse,
  CpdSession,
  EventTypes,
  Person,
  Queues,
  ScheduledActionKinds,
  UnitOfWork,
  type AppConfig,
  type BookingPayload,
  type EventJobData,
  type ScheduledActionJobData,
  type SessionMovedPayload,
} from '#domain';
import { NotificationKinds, type BookingMessageData, type NotificationKind } from '#notifications';
import { HandlesJob } from '../jobs/job-registry.js';
import { Notifier } from '../notifications/notifier.js';
import { ScheduledActions, type ActionOutcome } from '../scheduling/scheduled-actions.js';

/**
 * CPD bookings: the confirmation with its calendar invitation, the waitlist offer, the
 * cancellation, and the expiry of an unanswered offer, which passes the place on. (The
 * reminders before a session are the cohort's reminder rules: see RemindersWorkflow.)
 */
@Injectable()
export class BookingMessagesWorkflow {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly notifier: Notifier,
    private readonly actions: ScheduledActions,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('BookingMessagesWorkflow');
  }

  @HandlesJob(Queues.Events, EventTypes.BookingConfirmed)
  async onConfirmed(event: EventJobData): Promise<void> {
    const { bookingId } = event.payload as unknown as BookingPayload;
    // The cohort's reminder rules for this place (idempotent by key; a place cancelled since gets none).
    await this.unitOfWork.run(async (tx) => {
      const [booking]: Array<{ status: string }> = await tx.manager.query(`SELECT status FROM cpd_bookings WHERE id = $1 FOR SHARE`, [bookingId]);
      if (booking?.status === 'confirmed') await planBookingRules(tx, bookingId, undefined, new Date(event.occurredAt));
    });
    await this.tell(NotificationKinds.BookingConfirmed, `booking-confirmed:${bookingId}`, event);
  }

  @HandlesJob(Queues.Events, EventTypes.BookingPlaceOffered)
  async onPlaceOffered(event: EventJobData): Promise<void> {
    const payload = event.payload as unknown as BookingPayload;
    await this.tell(NotificationKinds.PlaceOffered, `place-offered:${payload.bookingId}:${payload.offerExpiresAt}`, event, { offerExpiresAt: payload.offerExpiresAt });
  }

  @HandlesJob(Queues.Events, EventTypes.BookingCancelled)
  async onCancelled(event: EventJobData): Promise<void> {
    const payload = event.payload as unknown as BookingPayload;
    await this.tell(NotificationKinds.BookingCancelled, `booking-cancelled:${payload.bookingId}`, event, { reason: payload.reason });
  }

  /** Everyone holding a place (or offered one) on a moved session: the new time and place, with a calendar update. */
  @HandlesJob(Queues.Events, EventTypes.SessionMoved)
  async onSessionMoved(event: EventJobData): Promise<void> {
    const { sessionId, calendarSequence } = event.payload as unknown as SessionMovedPayload;
    const holders: Array<{ id: string }> = await this.dataSource.query(`SELECT id FROM cpd_bookings WHERE session_id = $1 AND status IN ('confirmed', 'offered') ORDER BY id`, [sessionId]);
    for (const { id } of holders) {
      await this.tell(NotificationKinds.SessionMoved, `session-moved:${id}:${calendarSequence}`, { ...event, payload: { ...event.payload, bookingId: id } });
    }
  }

  @HandlesJob(Queues.Schedules, ScheduledActionKinds.ExpireOffer)
  async expireOffer(data: ScheduledActionJobData): Promise<string> {
    return this.actions.run(data, async (action, now): Promise<ActionOutcome> => {
      const booking = await this.dataSource.manager.findOneBy(CpdBooking, { id: action.subjectId });
      if (!booking || booking.status !== 'offered') return { outcome: 'superseded', reason: `the offer was already answered (${booking?.status ?? 'gone'})` };
      if (booking.offerExpiresAt && booking.offerExpiresAt > now) return { outcome: 'superseded', reason: 'the offer was extended' };
      await this.unitOfWork.run((tx) => actOnBooking(tx, booking.id, { type: 'expire' }));
      return { outcome: 'done' };
    });
  }

  private async tell(kind: NotificationKind, key: string, event: EventJobData, extra: Partial<BookingMessageData> & Record<string, unknown> = {}): Promise<void> {
    const id = (event.payload as unknown as BookingPayload).bookingId;
    const booking = await this.dataSource.manager.findOneBy(CpdBooking, { id });
    if (!booking) return;
    const [person, session] = await Promise.all([
      this.dataSource.manager.findOneByOrFail(Person, { id: booking.personId }),
      this.dataSource.manager.findOneByOrFail(CpdSession, { id: booking.sessionId }),
    ]);
    if (!person.email) {
      this.logger.info({ bookingId: id, kind }, 'the person has no email address; nothing to send');
      return;
    }
    const course = await this.dataSource.manager.findOneByOrFail(CpdCourse, { id: session.courseId });
    await this.notifier.notify({
      key,
      kind,
      recipient: { email: person.email, name: person.name },
      data: {
        bookingId: booking.id,
        personName: person.name,
        courseTitle: course.title,
        startsAt: session.startsAt.toISOString(),
        endsAt: session.endsAt.toISOString(),
        venue: session.venue,
        onlineUrl: session.onlineUrl,
        publicBaseUrl: this.config.publicBaseUrl,
        calendarSequence: session.calendarSequence,
        ...(await brandingFor(this.dataSource.manager, { courseId: course.id })),
        ...extra,
      } satisfies BookingMessageData & Record<string, unknown>,
      about: { programmeId: course.programmeId, partnershipId: booking.partnershipId, schoolId: booking.schoolId },
    });
  }
}
