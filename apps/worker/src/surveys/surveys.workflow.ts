import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import {
  APP_CONFIG,
  brandingFor,
  type CohortContext,
  cohortContext,
  cohortOfPartnership,
  consentFor,
  EventTypes,
  INSTRUMENTS,
  invitationKey,
  inviteToSurvey,
  issuePageLink,
  LinkPurposes,
  nextSendSlot,
  type PageAddress,
  Person,
  planImpactSurvey,
  planSurveyReminders,
  Queues,
  recordNotAsked,
  ScheduledActionKinds,
  SURVEY_SUBJECT,
  SurveyInvitation,
  surveyLinkExpiry,
  surveySubject,
  whyNoReminder,
  type AppConfig,
  type BookingPayload,
  type EventJobData,
  type InvitationRequest,
  type ScheduledAction,
  type ScheduledActionJobData,
  type Transaction,
} from '#domain';
import { NotificationKinds, type Notification, type NotifyDecision, type SurveyMessageData } from '#notifications';
import { HandlesJob } from '../jobs/job-registry.js';
import { Notifier } from '../notifications/notifier.js';
import { ScheduledActions, type ActionOutcome } from '../scheduling/scheduled-actions.js';

const DAY = 86_400_000;

type Notify = (decision: Omit<NotifyDecision, 'notBefore' | 'requestId'> & { notBefore?: Date }) => Promise<Notification>;

interface AttendedBooking {
  status: string;
  person_id: string;
  person: string;
  email: string | null;
  session_id: string;
  course_id: string;
  title: string;
  starts_at: Date;
  school_id: string | null;
  partnership_id: string | null;
}

/**
 * Post-CPD surveys: attendance recorded → the feedback survey at once; the
 * impact survey about a term later; reminders only to people who have not answered, at
 * most the cohort's cap, a minimum gap apart, never after the survey closes, and never to
 * someone who objected to surveys (checked when each falls due). With nothing recorded,
 * evaluation surveys go (PURPOSE_RULES). Someone not asked (no address, an objection) is
 * recorded as such for the response rates, and an objector's survey as a skipped ledger
 * row with its reason. Decides; never sends.
 */
@Injectable()
export class SurveysWorkflow {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly notifier: Notifier,
    private readonly actions: ScheduledActions,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('SurveysWorkflow');
  }

  @HandlesJob(Queues.Events, EventTypes.BookingAttended)
  async onAttended(event: EventJobData): Promise<void> {
    const { bookingId } = event.payload as unknown as BookingPayload;
    // Timings count from when attendance was recorded, so a late reaction neither extends the survey nor skips a step.
    const attendedAt = new Date(event.occurredAt);
    await this.notifier.notifyWith(async (tx, notify) => {
      const booking = await this.attendedBooking(tx, bookingId);
      if (!booking || booking.status !== 'attended') return;
      const ctx = await cohortContext(tx.manager, await cohortOfPartnership(tx.manager, booking.partnership_id));
      await planImpactSurvey(tx, ctx, { id: bookingId, attendedAt, email: booking.email, person: booking.person, title: booking.title });
      const closesAt = new Date(attendedAt.getTime() + ctx.policy.surveys.feedbackOpenDays * DAY);
      const request = {
        instrumentKey: 'cpd-feedback' as const,
        purpose: 'cpd-feedback',
        personId: booking.person_id,
        email: booking.email,
        bookingId,
        sessionId: booking.session_id,
        courseId: booking.course_id,
        schoolId: booking.school_id,
        partnershipId: booking.partnership_id,
        cohortId: ctx.cohortId,
        expiresAt: closesAt,
      };
      const skip =
        (await this.whyNotAsked(tx, notify, request, booking.person, booking.title)) ??
        (closesAt <= tx.now ? await this.tooLate(notify, { ...request, email: booking.email! }, booking.person, booking.title) : null);
      if (skip) {
        this.logger.info({ bookingId, reason: skip }, 'no feedback invitation');
        return;
      }
      await this.invite(tx, notify, ctx, { ...request, email: booking.email! }, booking.person, tx.now);
    });
  }

  /** Staff asked for their feedback on an enrichment event: one invitation each, whichever cohort their school is in. */
  @HandlesJob(Queues.Events, EventTypes.EnrichmentFeedbackRequested)
  async onEnrichmentFeedbackRequested(event: EventJobData): Promise<void> {
    const { enrichmentEventId, personIds } = event.payload as { enrichmentEventId: string; personIds: string[] };
    const requestedAt = new Date(event.occurredAt);
    for (const personId of personIds) {
      await this.notifier.notifyWith(async (tx, notify) => {
        const [person]: Array<{ name: string; email: string | null; school_id: string | null; partnership_id: string | null; event: string }> = await tx.manager.query(
          `SELECT p.name, p.email, p.school_id, m.partnership_id, coalesce(e.details->>'title', 'an enrichment event') AS event
             FROM people p JOIN enrichment_events e ON e.id = $2
             LEFT JOIN LATERAL (SELECT m.partnership_id FROM partnership_members m JOIN partnerships x ON x.id = m.partnership_id JOIN cohorts c ON c.id = x.cohort_id
                                 WHERE m.school_id = p.school_id AND m.left_at IS NULL AND (e.programme_id IS NULL OR c.programme_id = e.programme_id)
                                 ORDER BY m.joined_at DESC LIMIT 1) m ON true
            WHERE p.id = $1`,
          [personId, enrichmentEventId],
        );
        if (!person) return;
        const ctx = await cohortContext(tx.manager, await cohortOfPartnership(tx.manager, person.partnership_id));
        const closesAt = new Date(requestedAt.getTime() + ctx.policy.surveys.feedbackOpenDays * DAY);
        const request = {
          instrumentKey: 'enrichment-feedback' as const,
          purpose: 'enrichment-feedback',
          personId,
          email: person.email,
          enrichmentEventId,
          schoolId: person.school_id,
          partnershipId: person.partnership_id,
          cohortId: ctx.cohortId,
          expiresAt: closesAt,
        };
        if (await this.whyNotAsked(tx, notify, request, person.name, person.event)) return;
        if (closesAt <= tx.now && person.email) {
          await this.tooLate(notify, { ...request, email: person.email }, person.name, person.event);
          return;
        }
        await this.invite(tx, notify, ctx, { ...request, email: person.email! }, person.name, tx.now);
      });
    }
  }

  @HandlesJob(Queues.Schedules, ScheduledActionKinds.InviteToImpactSurvey)
  async inviteToImpactSurvey(data: ScheduledActionJobData): Promise<string> {
    return this.actions.run(data, (action) =>
      this.notifier.notifyWith(async (tx, notify): Promise<ActionOutcome> => {
        const booking = await this.attendedBooking(tx, action.subjectId);
        if (!booking) return { outcome: 'superseded', reason: 'the booking is gone' };
        if (booking.status !== 'attended') return { outcome: 'superseded', reason: `the booking is ${booking.status.replace('_', ' ')}` };
        const ctx = await cohortContext(tx.manager, action.cohortId);
        const notAsked = {
          instrumentKey: 'cpd-impact' as const,
          personId: booking.person_id,
          email: booking.email,
          bookingId: action.subjectId,
          sessionId: booking.session_id,
          courseId: booking.course_id,
          schoolId: booking.school_id,
          partnershipId: booking.partnership_id,
          cohortId: ctx.cohortId,
        };
        if (await this.whyNotAsked(tx, notify, notAsked, booking.person, booking.title)) {
          return { outcome: 'superseded', reason: booking.email ? 'the person has not agreed to be contacted' : 'the person has no email address' };
        }
        const notBefore = nextSendSlot(tx.now, ctx.calendar, ctx.policy.sendWindow) ?? tx.now;
        await this.invite(
          tx,
          notify,
          ctx,
          {
            instrumentKey: 'cpd-impact',
            purpose: 'cpd-impact',
            personId: booking.person_id,
            email: booking.email!,
            bookingId: action.subjectId,
            sessionId: booking.session_id,
            courseId: booking.course_id,
            schoolId: booking.school_id,
            partnershipId: booking.partnership_id,
            cohortId: ctx.cohortId,
            expiresAt: new Date(notBefore.getTime() + ctx.policy.surveys.impactOpenDays * DAY),
          },
          booking.person,
          notBefore,
        );
        return { outcome: 'done' };
      }),
    );
  }

  @HandlesJob(Queues.Schedules, ScheduledActionKinds.RemindSurvey)
  async remind(data: ScheduledActionJobData): Promise<string> {
    return this.actions.run(data, (action) => this.notifier.notifyWith((tx, notify) => this.decideReminder(tx, notify, action)));
  }

  private async decideReminder(tx: Transaction, notify: Notify, action: ScheduledAction): Promise<ActionOutcome> {
    const invitation = await tx.manager.findOne(SurveyInvitation, { where: { id: action.subjectId }, lock: { mode: 'pessimistic_write' } });
    if (!invitation) return { outcome: 'superseded', reason: 'the invitation is gone' };
    if (invitation.status === 'invited' && invitation.expiresAt <= tx.now) {
      await tx.manager.update(SurveyInvitation, { id: invitation.id }, { status: 'expired', updatedAt: tx.now });
    }
    const person = await tx.manager.findOneBy(Person, { id: invitation.personId });
    const surveys = person ? await consentFor(tx.manager, { personId: person.id, email: person.email }, 'surveys') : null;
    const why = whyNoReminder(invitation, person && { email: person.email, consentToContact: surveys!.allowed }, tx.now);
    if (why) return { outcome: 'superseded', reason: why };
    if (invitation.bookingId) {
      const [booking]: Array<{ status: string }> = await tx.manager.query(`SELECT status FROM cpd_bookings WHERE id = $1`, [invitation.bookingId]);
      if (booking?.status !== 'attended') return { outcome: 'superseded', reason: `the booking is ${booking?.status.replace('_', ' ') ?? 'gone'}` };
    }
    const optedOut: unknown[] = await tx.manager.query(`SELECT 1 FROM communication_preferences WHERE lower(email) = lower($1) AND (kind = $2 OR kind = '*')`, [
      invitation.email,
      NotificationKinds.SurveyReminder,
    ]);
    if (optedOut.length > 0) return { outcome: 'superseded', reason: 'the person has unsubscribed from survey reminders' };

    const ctx = await cohortContext(tx.manager, invitation.cohortId);
    const index = Number(action.payload.reminderIndex ?? 0);
    const key = `survey-reminder:${invitation.id}:${index}`;
    const alreadyDecided: unknown[] = await tx.manager.query(`SELECT 1 FROM page_links WHERE key = $1`, [key]);
    if (!alreadyDecided.length && invitation.remindersSent >= ctx.policy.surveys.maxReminders) {
      return { outcome: 'superseded', reason: `${invitation.remindersSent} reminders already sent, the cohort's most` };
    }
    // Never closer to the last reminder than the cohort's gap, even when a worker catches up on two at once.
    const gapEnds = invitation.lastRemindedAt ? new Date(invitation.lastRemindedAt.getTime() + ctx.policy.surveys.reminderGapDays * DAY) : tx.now;
    const earliest = gapEnds > tx.now ? gapEnds : tx.now;
    const notBefore = nextSendSlot(earliest, ctx.calendar, ctx.policy.sendWindow) ?? earliest;
    if (notBefore >= invitation.expiresAt) return { outcome: 'superseded', reason: 'the survey closes before the reminder could go' };

    // Each reminder carries a link of its own, expiring with the invitation.
    const { link, address, created } = await issuePageLink(
      tx.manager,
      {
        key,
        purpose: LinkPurposes.Survey,
        subjectType: SURVEY_SUBJECT,
        subjectId: invitation.id,
        email: invitation.email,
        recipientName: person!.name,
        personId: invitation.personId,
        cohortId: invitation.cohortId,
        expiresAt: surveyLinkExpiry(tx.now, invitation.expiresAt),
        closesAt: invitation.expiresAt,
      },
      tx.now,
      this.config.linkSecret,
    );
    await notify({
      key,
      kind: NotificationKinds.SurveyReminder,
      recipient: { email: link.email, name: person!.name },
      data: { ...(await this.messageData(tx, invitation, person!.name, address)), reminderNumber: index + 1 },
      notBefore,
      about: { cohortId: invitation.cohortId, partnershipId: invitation.partnershipId, schoolId: invitation.schoolId },
    });
    if (created) {
      await tx.manager.update(SurveyInvitation, { id: invitation.id }, { remindersSent: invitation.remindersSent + 1, lastRemindedAt: notBefore, updatedAt: tx.now });
    }
    return { outcome: 'done' };
  }

  /**
   * Why this person is not asked to take the survey, recorded as such, or null to ask them:
   * no email address, or an objection to evaluation surveys (the purpose rule, for the
   * person and for their address). An objector's survey is also a skipped ledger row with
   * the reason, so "who was not sent what" is answered where every other email is.
   */
  private async whyNotAsked(
    tx: Transaction,
    notify: Notify,
    request: Omit<InvitationRequest, 'email' | 'expiresAt' | 'purpose'> & { email: string | null },
    personName: string,
    about: string,
  ): Promise<string | null> {
    if (!request.email) {
      await recordNotAsked(tx.manager, request, 'no_email', null, tx.now);
      return 'no email address';
    }
    const surveys = await consentFor(tx.manager, { personId: request.personId, email: request.email }, 'surveys');
    if (surveys.allowed) return null;
    const notification = await this.notAsked(notify, { ...request, email: request.email }, personName, about, surveys.reason ?? 'objected to evaluation surveys');
    await recordNotAsked(tx.manager, request, 'objected', notification.id, tx.now);
    return surveys.reason;
  }

  /**
   * A feedback survey decided after it would have closed (attendance recorded late): not
   * sent, and a skipped ledger row says so, as every email decided but not sent does.
   */
  private async tooLate(notify: Notify, request: Omit<InvitationRequest, 'expiresAt' | 'purpose'>, personName: string, about: string): Promise<string> {
    const reason = 'the feedback survey would already have closed';
    await this.notAsked(notify, request, personName, about, reason);
    return reason;
  }

  /** The skipped ledger row of a survey not sent, with why. */
  private notAsked(notify: Notify, request: Omit<InvitationRequest, 'expiresAt' | 'purpose'>, personName: string, about: string, reason: string) {
    return notify({
      key: `survey-not-asked:${invitationKey(request.instrumentKey, request)}`,
      kind: NotificationKinds.SurveyInvitation,
      recipient: { email: request.email, name: personName },
      data: {
        personId: request.personId,
        personName,
        surveyName: INSTRUMENTS[request.instrumentKey].name,
        about,
        bookingId: request.bookingId ?? null,
        enrichmentEventId: request.enrichmentEventId ?? null,
      },
      skipReason: reason,
      about: { cohortId: request.cohortId, partnershipId: request.partnershipId, schoolId: request.schoolId },
    });
  }

  /** The invitation, its link and its email in one transaction, and its reminders planned. */
  private async invite(tx: Transaction, notify: Notify, ctx: CohortContext, request: InvitationRequest, personName: string, notBefore: Date): Promise<void> {
    const { invitation } = await inviteToSurvey(tx.manager, request, tx.now);
    const key = `survey-invitation:${invitation.id}`;
    const { address } = await issuePageLink(
      tx.manager,
      {
        key,
        purpose: LinkPurposes.Survey,
        subjectType: SURVEY_SUBJECT,
        subjectId: invitation.id,
        email: invitation.email,
        recipientName: personName,
        personId: invitation.personId,
        cohortId: invitation.cohortId,
        expiresAt: surveyLinkExpiry(tx.now, invitation.expiresAt),
        closesAt: invitation.expiresAt,
      },
      tx.now,
      this.config.linkSecret,
    );
    await notify({
      key,
      kind: NotificationKinds.SurveyInvitation,
      recipient: { email: invitation.email, name: personName },
      data: await this.messageData(tx, invitation, personName, address),
      notBefore,
      about: { cohortId: invitation.cohortId, partnershipId: invitation.partnershipId, schoolId: invitation.schoolId },
    });
    await planSurveyReminders(tx, ctx, invitation, notBefore > invitation.createdAt ? notBefore : invitation.createdAt, personName);
  }

  private async messageData(tx: Transaction, invitation: SurveyInvitation, personName: string, address: PageAddress): Promise<Omit<SurveyMessageData, 'url'> & Record<string, unknown>> {
    const subject = await surveySubject(tx.manager, invitation);
    return {
      invitationId: invitation.id,
      personId: invitation.personId,
      personName,
      surveyName: INSTRUMENTS[invitation.instrumentKey].name,
      about: subject.title,
      startsAt: subject.occurredAt,
      // The link's id, not its token: the sender renders the address as it sends.
      url: address,
      closesAt: invitation.expiresAt.toISOString(),
      ...(await brandingFor(tx.manager, { cohortId: invitation.cohortId })),
    };
  }

  private async attendedBooking(tx: Transaction, bookingId: string): Promise<AttendedBooking | undefined> {
    const [row]: AttendedBooking[] = await tx.manager.query(
      `SELECT b.status, b.person_id, p.name AS person, p.email, b.session_id, s.course_id, c.title, s.starts_at, b.school_id, b.partnership_id
         FROM cpd_bookings b JOIN people p ON p.id = b.person_id JOIN cpd_sessions s ON s.id = b.session_id JOIN cpd_courses c ON c.id = s.course_id
        WHERE b.id = $1 FOR SHARE OF b`,
      [bookingId],
    );
    return row;
  }
}
