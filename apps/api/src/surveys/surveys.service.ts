import { Injectable } from '@nestjs/common';
import { EnrichmentService } from '../enrichment/enrichment.service.js';
import { DataSource } from 'typeorm';
import {
  consentForMany,
  CpdCourse,
  CpdSession,
  EventTypes,
  InvalidInput,
  UnitOfWork,
  INSTRUMENTS,
  INSTRUMENT_KEYS,
  isInstrumentKey,
  NotFound,
  Person,
  surveyResults,
  type InstrumentKey,
  type Principal,
  type SurveyInstrument,
  type SurveyResults,
} from '#domain';
import { Access } from '../auth/access.js';

/** Survey instruments, and their results for a session, a course or a person, scoped like every read. */
@Injectable()
export class SurveysService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: Access,
    private readonly enrichment: EnrichmentService,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /**
   * Asks staff who took part in an enrichment event for their feedback. Each person must be
   * at one of the event's schools and visible to the caller; those without an email address
   * or who objected to surveys are named in the answer and not invited. The invitations and
   * their emails are the worker's (one per person and event, however often this is asked).
   */
  async inviteToEnrichmentFeedback(principal: Principal, eventId: string, personIds: string[]) {
    const event = await this.enrichment.get(principal, eventId);
    const people = personIds.length
      ? await this.dataSource.manager.findBy(
          Person,
          personIds.map((id) => ({ id })),
        )
      : [];
    const problems: Array<{ field: string; message: string }> = [];
    for (const id of personIds) {
      const person = people.find((p) => p.id === id);
      if (!person || !(await this.access.canSeePerson(principal, person))) problems.push({ field: 'personIds', message: `${id} is not a person you can see` });
      else if (!person.schoolId || !event.schoolIds.includes(person.schoolId)) problems.push({ field: 'personIds', message: `${person.name} is not at a school that took part in this event` });
    }
    if (problems.length > 0) throw new InvalidInput('Only staff of the schools that took part can be asked for feedback', problems);
    // The purpose rule decides, as the worker's will: with nothing recorded, evaluation surveys go.
    const surveys = await consentForMany(
      this.dataSource.manager,
      people.map((p) => ({ personId: p.id, email: p.email, purpose: 'surveys' as const })),
    );
    const asked = people.map((p, i) => Boolean(p.email) && surveys[i].allowed);
    const skipped = people.filter((_, i) => !asked[i]).map((p) => ({ personId: p.id, reason: !p.email ? 'no email address' : 'has not agreed to be contacted' }));
    const invited = people.filter((_, i) => asked[i]).map((p) => p.id);
    // Everyone goes to the worker, which records those not asked beside the invited (the response rate's other half).
    if (people.length > 0) {
      await this.unitOfWork.run(async (tx) => {
        tx.record({
          type: EventTypes.EnrichmentFeedbackRequested,
          aggregateType: 'enrichment_event',
          aggregateId: eventId,
          payload: { enrichmentEventId: eventId, personIds: people.map((p) => p.id) },
        });
      });
    }
    return { enrichmentEventId: eventId, invited: invited.length, skipped };
  }

  instruments(): Array<Pick<SurveyInstrument, 'key' | 'name' | 'version' | 'intro'> & { items: number }> {
    return INSTRUMENT_KEYS.map((key) => ({ key, name: INSTRUMENTS[key].name, version: INSTRUMENTS[key].version, intro: INSTRUMENTS[key].intro, items: INSTRUMENTS[key].items.length }));
  }

  instrument(key: string): SurveyInstrument {
    if (!isInstrumentKey(key)) throw new NotFound('Survey instrument', key);
    return INSTRUMENTS[key];
  }

  async sessionFeedback(principal: Principal, sessionId: string, instrumentKey: InstrumentKey): Promise<SurveyResults & { sessionId: string }> {
    const session = await this.dataSource.manager.findOneBy(CpdSession, { id: sessionId });
    const course = session ? await this.dataSource.manager.findOneBy(CpdCourse, { id: session.courseId }) : null;
    if (!session || !course || !(await this.access.canSee(principal, 'programme', course.programmeId))) throw new NotFound('Session', sessionId);
    return { sessionId, ...(await surveyResults(this.dataSource.manager, { instrumentKey, sessionId, schoolScope: this.scope(principal) })) };
  }

  async courseFeedback(principal: Principal, courseId: string, instrumentKey: InstrumentKey): Promise<SurveyResults & { courseId: string }> {
    const course = await this.dataSource.manager.findOneBy(CpdCourse, { id: courseId });
    if (!course || !(await this.access.canSee(principal, 'programme', course.programmeId))) throw new NotFound('Course', courseId);
    return { courseId, ...(await surveyResults(this.dataSource.manager, { instrumentKey, courseId, schoolScope: this.scope(principal) })) };
  }

  /** Every invitation a person has had, with their answers: for the person themselves (a subject access request) and their school. */
  async personResponses(principal: Principal, personId: string) {
    const person = await this.dataSource.manager.findOneBy(Person, { id: personId });
    if (!person || !(await this.access.canSeePerson(principal, person))) throw new NotFound('Person', personId);
    const rows: Array<{
      id: string;
      instrument_key: InstrumentKey;
      purpose: string;
      status: string;
      session_id: string | null;
      course_id: string | null;
      enrichment_event_id: string | null;
      school_id: string | null;
      opens_at: Date;
      expires_at: Date;
      reminders_sent: number;
      responded_at: Date | null;
      answers: Record<string, string> | null;
      revision: number | null;
      submitted_at: Date | null;
      updated_at: Date | null;
    }> = await this.dataSource.query(
      `SELECT i.id, i.instrument_key, i.purpose, i.status, i.session_id, i.course_id, i.enrichment_event_id, i.school_id, i.opens_at, i.expires_at, i.reminders_sent, i.responded_at,
              r.answers, r.revision, r.submitted_at, r.updated_at
         FROM survey_invitations i LEFT JOIN survey_responses r ON r.invitation_id = i.id
        WHERE i.person_id = $1 ORDER BY i.opens_at, i.id`,
      [personId],
    );
    return {
      personId,
      items: rows.map((r) => ({
        invitationId: r.id,
        instrumentKey: r.instrument_key,
        purpose: r.purpose,
        status: r.status,
        sessionId: r.session_id,
        courseId: r.course_id,
        enrichmentEventId: r.enrichment_event_id,
        schoolId: r.school_id,
        opensAt: new Date(r.opens_at).toISOString(),
        closesAt: new Date(r.expires_at).toISOString(),
        remindersSent: r.reminders_sent,
        response: r.answers ? { answers: r.answers, revision: r.revision, submittedAt: new Date(r.submitted_at!).toISOString(), updatedAt: new Date(r.updated_at!).toISOString() } : null,
      })),
    };
  }

  private scope(principal: Principal) {
    return { sql: this.access.schoolIds(principal), params: this.access.params(principal) };
  }
}
