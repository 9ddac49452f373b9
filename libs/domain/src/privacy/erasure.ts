import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { INSTRUMENTS } from '../surveys/instruments.js';
import { pseudonymFor, scrubStrings } from './pseudonym.js';

export const ERASED_REASON = 'the person was erased';

export interface ErasureOutcome {
  pseudonym: string;
  counts: Record<string, number>;
}

/**
 * Erases a person (a teacher, member of staff or educational lead) in the caller's
 * transaction. Identifying fields become the stable pseudonym; free text they wrote is
 * deleted; what was still to be sent to them is stopped with the reason. Everything a
 * figure counts is kept (school, role, SLT, phase, subject, career stage, specialism,
 * gender, bookings, attendance, hours, scaled survey answers), so every report reads the
 * same before and after. Audit rows hold ids only and are never touched.
 */
export async function erasePerson(manager: EntityManager, personId: string, now: Date, by: { tokenId: string | null; requestId: string | null }): Promise<ErasureOutcome> {
  const [person]: Array<{ name: string; email: string | null }> = await manager.query(`SELECT name, email FROM people WHERE id = $1 FOR UPDATE`, [personId]);
  const alias = pseudonymFor(personId);
  const email = person.email?.toLowerCase() ?? null;
  const replacements: Array<[string, string]> = [[person.name, alias.name], ...(email ? [[email, alias.email] as [string, string]] : [])];
  const counts: Record<string, number> = {};
  const count = async (key: string, sql: string, params: unknown[]) => {
    const [, affected] = (await manager.query(sql, params)) as [unknown, number];
    counts[key] = (counts[key] ?? 0) + (affected ?? 0);
  };

  // What was still to go to them stops first, with the reason, before their address is replaced.
  await count('notificationsCancelled', `UPDATE notifications SET status = 'skipped', last_error = $2, lease_until = NULL, updated_at = $3 WHERE lower(recipient_email) = $1 AND status = 'queued'`, [email, ERASED_REASON, now]);
  await count('actionsCancelled', `UPDATE scheduled_actions SET status = 'cancelled', reason = $3, updated_at = $4
      WHERE status = 'planned' AND (lower(recipient) = $1 OR subject_id = $2
        OR subject_id IN (SELECT id FROM survey_invitations WHERE person_id = $2) OR subject_id IN (SELECT id FROM cpd_bookings WHERE person_id = $2))`, [email, personId, ERASED_REASON, now]);
  await count('linksRevoked', `UPDATE page_links SET revoked_at = $3 WHERE (person_id = $1 OR lower(email) = $2) AND revoked_at IS NULL`, [personId, email, now]);

  // Names and addresses wherever they were copied.
  const notifications: Array<{ id: string; data: Record<string, unknown>; subject: string | null }> = email
    ? await manager.query(`SELECT id, data, subject FROM notifications WHERE lower(recipient_email) = $1`, [email])
    : [];
  for (const n of notifications) {
    await manager.query(`UPDATE notifications SET recipient_email = $2, recipient_name = $3, data = $4, subject = $5, unsubscribe_token_hash = NULL WHERE id = $1`, [
      n.id, alias.email, alias.name, JSON.stringify(scrubStrings(n.data, replacements)), n.subject === null ? null : scrubStrings(n.subject, replacements),
    ]);
  }
  counts.notificationsPseudonymised = notifications.length;
  await count('linksPseudonymised', `UPDATE page_links SET email = $3, recipient_name = $4 WHERE person_id = $1 OR lower(email) = $2`, [personId, email, alias.email, alias.name]);
  const actions: Array<{ id: string; description: string | null; payload: Record<string, unknown> }> = await manager.query(
    `SELECT id, description, payload FROM scheduled_actions WHERE lower(recipient) = $1 OR subject_id = $2
        OR subject_id IN (SELECT id FROM survey_invitations WHERE person_id = $2) OR subject_id IN (SELECT id FROM cpd_bookings WHERE person_id = $2)`,
    [email, personId],
  );
  for (const a of actions) {
    await manager.query(`UPDATE scheduled_actions SET recipient = CASE WHEN recipient IS NULL THEN NULL ELSE $2 END, description = $3, payload = $4 WHERE id = $1`, [
      a.id, alias.email, a.description === null ? null : scrubStrings(a.description, replacements), JSON.stringify(scrubStrings(a.payload, replacements)),
    ]);
  }
  counts.actionsPseudonymised = actions.length;
  await count('surveyInvitations', `UPDATE survey_invitations SET email = $2 WHERE person_id = $1`, [personId, alias.email]);
  if (email) {
    await count('selfEvaluationEdits', `UPDATE self_evaluation_revisions SET by_email = $2 WHERE lower(by_email) = $1`, [email, alias.email]);
    await count('preferences', `UPDATE communication_preferences SET email = $2 WHERE lower(email) = $1`, [email, alias.email]);
    await count('schoolContacts', `UPDATE school_contacts SET name = $2, email = NULL WHERE lower(email) = $1`, [email, alias.name]);
    await count('schoolContacts', `UPDATE schools SET contact_name = $2, contact_email = NULL WHERE lower(contact_email) = $1`, [email, alias.name]);
    await count('apiTokens', `UPDATE api_tokens SET email = NULL WHERE lower(email) = $1`, [email]);
    await count('consentEntries', `UPDATE consent_log SET person_id = $2, email = NULL WHERE lower(email) = $1`, [email, personId]);
  }

  // Free text they wrote: survey answers in their own words, and reasons they gave.
  const responses: Array<{ id: string; instrument_key: string; answers: Record<string, unknown> }> = await manager.query(
    `SELECT id, instrument_key, answers FROM survey_responses WHERE person_id = $1`, [personId],
  );
  let texts = 0;
  for (const r of responses) {
    const textKeys = new Set((INSTRUMENTS[r.instrument_key as keyof typeof INSTRUMENTS]?.items ?? []).filter((i) => i.type === 'text').map((i) => i.key));
    const keep = (answers: Record<string, unknown>) => Object.fromEntries(Object.entries(answers).filter(([k]) => !textKeys.has(k)));
    texts += Object.keys(r.answers).filter((k) => textKeys.has(k)).length;
    await manager.query(`UPDATE survey_responses SET answers = $2 WHERE id = $1`, [r.id, JSON.stringify(keep(r.answers))]);
    const revisions: Array<{ revision: number; answers: Record<string, unknown> }> = await manager.query(`SELECT revision, answers FROM survey_response_revisions WHERE response_id = $1`, [r.id]);
    for (const rev of revisions) await manager.query(`UPDATE survey_response_revisions SET answers = $3 WHERE response_id = $1 AND revision = $2`, [r.id, rev.revision, JSON.stringify(keep(rev.answers))]);
  }
  counts.surveyTextAnswersDeleted = texts;
  await count('bookingReasonsDeleted', `UPDATE cpd_bookings SET status_reason = NULL WHERE person_id = $1 AND status_reason IS NOT NULL`, [personId]);
  await count('bookingReasonsDeleted', `UPDATE cpd_booking_history SET reason = NULL WHERE booking_id IN (SELECT id FROM cpd_bookings WHERE person_id = $1) AND reason IS NOT NULL`, [personId]);

  await manager.query(`UPDATE people SET name = $2, email = NULL, consent_to_contact = false, erased_at = $3, updated_at = $3 WHERE id = $1`, [personId, alias.name, now]);
  await manager.query(
    `INSERT INTO erasures (id, subject_type, subject_id, pseudonym, counts, by_token_id, request_id, at) VALUES ($1, 'person', $2, $3, $4, $5, $6, $7)`,
    [randomUUID(), personId, alias.name, JSON.stringify(counts), by.tokenId, by.requestId, now],
  );
  return { pseudonym: alias.name, counts };
}
