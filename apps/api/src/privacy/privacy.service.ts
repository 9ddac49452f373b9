import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, Conflict, consentStates, currentRequestId, eraseAmbassador, erasePerson, NotFound, Person, recordConsent, UnitOfWork, type ErasureOutcome, type Principal } from '#domain';
import { isNotificationKind, renderNotification } from '#notifications';
import { Access } from '../auth/access.js';
import { consentSource } from '../people/people.service.js';
import type { RecordConsentDto } from './privacy.dto.js';

type Rows = Array<Record<string, unknown>>;

/** Consent, subject access and erasure for a person (UK GDPR). */
@Injectable()
export class PrivacyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly access: Access,
    private readonly clock: Clock,
  ) {}

  async consents(principal: Principal, personId: string) {
    await this.person(principal, personId);
    const manager = this.dataSource.manager;
    return { personId, current: await consentStates(manager, personId), log: await this.consentLog(personId) };
  }

  async recordConsent(principal: Principal, personId: string, input: RecordConsentDto) {
    const person = await this.person(principal, personId);
    await this.access.mustChangePerson(principal, person);
    if (await this.erased(personId)) throw new Conflict('This person was erased: nothing more can be recorded about them');
    const source = consentSource(principal);
    await this.unitOfWork.run(async (tx) => {
      await recordConsent(tx.manager, { personId: person.id, purpose: input.purpose, granted: input.granted, ...source, how: input.how ?? source.how }, tx.now);
    });
    return this.consents(principal, personId);
  }

  /** Everything held about a person, across every module, and nothing about anyone else. */
  async export(principal: Principal, personId: string): Promise<Record<string, unknown>> {
    const person = await this.person(principal, personId);
    const q = (sql: string, params: unknown[] = [personId]): Promise<Rows> => this.dataSource.query(sql, params);
    const email = person.email?.toLowerCase() ?? null;
    const [flags] = await q(`SELECT erased_at FROM people WHERE id = $1`);
    const notifications = email
      ? await q(
          `SELECT id, kind, status, recipient_email, recipient_name, subject, data, not_before, sent_at, last_error, created_at FROM notifications WHERE lower(recipient_email) = $1 ORDER BY created_at`,
          [email],
        )
      : [];
    return {
      exportedAt: (await this.clock.now()).toISOString(),
      person: {
        id: person.id,
        name: person.name,
        email: person.email,
        schoolId: person.schoolId,
        role: person.role,
        slt: person.slt,
        phase: person.phase,
        subjectSpecialism: person.subjectSpecialism,
        careerStage: person.careerStage,
        specialist: person.specialist,
        gender: person.gender,
        consentToContact: person.consentToContact,
        createdAt: person.createdAt,
        updatedAt: person.updatedAt,
        erasedAt: flags?.erased_at ?? null,
      },
      consents: { current: await consentStates(this.dataSource.manager, personId), log: await this.consentLog(personId) },
      bookings: await q(`SELECT b.id, b.status, b.status_reason, b.session_id, c.title AS course, s.starts_at, s.venue, b.cost_pence, b.created_at, b.updated_at,
          (SELECT coalesce(jsonb_agg(jsonb_build_object('from', h.from_status, 'to', h.to_status, 'reason', h.reason, 'at', h.at) ORDER BY h.at), '[]') FROM cpd_booking_history h WHERE h.booking_id = b.id) AS history
        FROM cpd_bookings b JOIN cpd_sessions s ON s.id = b.session_id JOIN cpd_courses c ON c.id = s.course_id WHERE b.person_id = $1 ORDER BY s.starts_at`),
      cpdRecords: await q(`SELECT id, booking_id, course_id, channel, subject, title, hours, occurred_on, provider, recorded_at FROM cpd_records WHERE person_id = $1 ORDER BY occurred_on`),
      surveyInvitations: await q(
        `SELECT id, instrument_key, purpose, email, status, opens_at, expires_at, reminders_sent, responded_at FROM survey_invitations WHERE person_id = $1 ORDER BY opens_at`,
      ),
      surveysNotAsked: await q(`SELECT instrument_key, booking_id, enrichment_event_id, reason, notification_id, decided_at FROM survey_not_asked WHERE person_id = $1 ORDER BY decided_at`),
      surveyResponses: await q(`SELECT r.id, r.invitation_id, r.instrument_key, r.answers, r.revision, r.submitted_at, r.updated_at,
          (SELECT coalesce(jsonb_agg(jsonb_build_object('revision', v.revision, 'answers', v.answers, 'recordedAt', v.recorded_at) ORDER BY v.revision), '[]') FROM survey_response_revisions v WHERE v.response_id = r.id) AS revisions
        FROM survey_responses r WHERE r.person_id = $1 ORDER BY r.submitted_at`),
      selfEvaluationEdits: email
        ? await q(
            `SELECT v.id, v.self_evaluation_id, e.school_id, e.term_label, v.revision, v.action, v.answers, v.recorded_at FROM self_evaluation_revisions v JOIN self_evaluations e ON e.id = v.self_evaluation_id
            WHERE lower(v.by_email) = $1 ORDER BY v.recorded_at`,
            [email],
          )
        : [],
      notifications: notifications.map((n) => ({ ...n, data: undefined, subject: n.subject ?? renderedSubject(String(n.kind), n.data as Record<string, unknown>) })),
      pageLinks: await q(
        `SELECT id, purpose, subject_type, subject_id, email, recipient_name, expires_at, closes_at, first_opened_at, revoked_at, created_at FROM page_links
          WHERE person_id = $1 OR ($2::text IS NOT NULL AND lower(email) = $2) ORDER BY created_at`,
        [personId, email],
      ),
      scheduledActions: await q(
        `SELECT id, kind, status, due_at, description, reason FROM scheduled_actions
          WHERE ($2::text IS NOT NULL AND lower(recipient) = $2) OR subject_id = $1 OR subject_id IN (SELECT id FROM survey_invitations WHERE person_id = $1)
             OR subject_id IN (SELECT id FROM cpd_bookings WHERE person_id = $1) ORDER BY due_at`,
        [personId, email],
      ),
      communicationPreferences: email ? await q(`SELECT kind, opted_out_at, source FROM communication_preferences WHERE lower(email) = $1`, [email]) : [],
      schoolContactRoles: email ? await q(`SELECT school_id, role, name, email, from_at, until_at FROM school_contacts WHERE lower(email) = $1 ORDER BY from_at`, [email]) : [],
      partnershipsLed: await q(`SELECT id, name FROM partnerships WHERE educational_lead_id = $1 ORDER BY name`),
      ambassador: email ? await this.ambassador(email) : null,
      erasure: (await q(`SELECT pseudonym, counts, at FROM erasures WHERE subject_type = 'person' AND subject_id = $1`))[0] ?? null,
      auditTrail: await q(`SELECT id, at, actor_type, actor_id, role, method, route, outcome, status, request_id FROM audit_log WHERE subject_id = $1::text ORDER BY at, id`),
    };
  }

  /** When the person's personal data was erased, or null while it is held. */
  async erasedAt(principal: Principal, personId: string): Promise<Date | null> {
    await this.person(principal, personId);
    const [row]: Array<{ erased_at: Date | null }> = await this.dataSource.query(`SELECT erased_at FROM people WHERE id = $1`, [personId]);
    return row?.erased_at ?? null;
  }

  async erase(principal: Principal, personId: string): Promise<ErasureOutcome & { personId: string }> {
    await this.access.mustChangePerson(principal, await this.person(principal, personId));
    const outcome = await this.unitOfWork.run(async (tx) => {
      const [row]: Array<{ erased: boolean }> = await tx.manager.query(`SELECT erased_at IS NOT NULL AS erased FROM people WHERE id = $1 FOR UPDATE`, [personId]);
      if (row.erased) throw new Conflict('This person was already erased');
      return erasePerson(tx.manager, personId, tx.now, { tokenId: principal.tokenId, requestId: currentRequestId() ?? null });
    });
    return { personId, ...outcome };
  }

  /**
   * Erases a STEM Ambassador. They are in the pool every programme shares, so no programme
   * may erase them: the ambassador themself or a platform admin.
   */
  async eraseAmbassador(principal: Principal, ambassadorId: string): Promise<ErasureOutcome & { ambassadorId: string }> {
    this.access.ambassadorChange(principal, ambassadorId, [], 'erase');
    const outcome = await this.unitOfWork.run(async (tx) => {
      const [row]: Array<{ erased: boolean }> = await tx.manager.query(`SELECT erased_at IS NOT NULL AS erased FROM ambassadors WHERE id = $1 FOR UPDATE`, [ambassadorId]);
      if (!row) throw new NotFound('Ambassador', ambassadorId);
      if (row.erased) throw new Conflict('This ambassador was already erased');
      return eraseAmbassador(tx.manager, ambassadorId, tx.now, { tokenId: principal.tokenId, requestId: currentRequestId() ?? null });
    });
    return { ambassadorId, ...outcome };
  }

  private async ambassador(email: string): Promise<Record<string, unknown> | null> {
    const [profile] = await this.dataSource.query(`SELECT * FROM ambassadors WHERE lower(email) = $1`, [email]);
    if (!profile) return null;
    const offers = await this.dataSource.query(
      `SELECT o.id, o.request_id, o.status, o.offered_at, o.answered_at, o.decline_reason, o.hours_logged,
          (SELECT coalesce(jsonb_agg(jsonb_build_object('answer', a.answer, 'reason', a.reason, 'hours', a.hours, 'at', a.answered_at) ORDER BY a.answered_at), '[]') FROM offer_answers a WHERE a.offer_id = o.id) AS answers
        FROM ambassador_offers o WHERE o.ambassador_id = $1 ORDER BY o.offered_at`,
      [profile.id],
    );
    return { profile, offers };
  }

  private consentLog(personId: string): Promise<Rows> {
    return this.dataSource.query(`SELECT purpose, granted, how, by_token_id AS "byTokenId", request_id AS "requestId", at FROM consent_log WHERE person_id = $1 ORDER BY at, seq`, [personId]);
  }

  private async erased(personId: string): Promise<boolean> {
    const [row]: Array<{ erased: boolean }> = await this.dataSource.query(`SELECT erased_at IS NOT NULL AS erased FROM people WHERE id = $1`, [personId]);
    return row?.erased ?? false;
  }

  private async person(principal: Principal, id: string): Promise<Person> {
    const person = await this.dataSource.manager.findOneBy(Person, { id });
    if (!person || !(await this.access.canSeePerson(principal, person))) throw new NotFound('Person', id);
    return person;
  }
}

function renderedSubject(kind: string, data: Record<string, unknown>): string | null {
  if (!isNotificationKind(kind)) return null;
  try {
    return renderNotification(kind, data).subject;
  } catch {
    return null;
  }
}
