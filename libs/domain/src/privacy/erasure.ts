import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { dropSnapshots } from '../reports/snapshots.js';
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
  await count(
    'notificationsCancelled',
    `UPDATE notifications SET status = 'skipped', last_error = $2, skip_reason = $2, lease_until = NULL, updated_at = $3 WHERE lower(recipient_email) = $1 AND status = 'queued'`,
    [email, ERASED_REASON, now],
  );
  await count(
    'actionsCancelled',
    `UPDATE scheduled_actions SET status = 'cancelled', reason = $3, updated_at = $4
      WHERE status = 'planned' AND (lower(recipient) = $1 OR subject_id = $2
        OR subject_id IN (SELECT id FROM survey_invitations WHERE person_id = $2) OR subject_id IN (SELECT id FROM cpd_bookings WHERE person_id = $2))`,
    [email, personId, ERASED_REASON, now],
  );
  await count('linksRevoked', `UPDATE page_links SET revoked_at = $3 WHERE (person_id = $1 OR lower(email) = $2) AND revoked_at IS NULL`, [personId, email, now]);

  // Names and addresses wherever they were copied.
  const notifications: Array<{ id: string; data: Record<string, unknown>; subject: string | null }> = email
    ? await manager.query(`SELECT id, data, subject FROM notifications WHERE lower(recipient_email) = $1`, [email])
    : [];
  for (const n of notifications) {
    await manager.query(`UPDATE notifications SET recipient_email = $2, recipient_name = $3, data = $4, subject = $5, unsubscribe_token_hash = NULL WHERE id = $1`, [
      n.id,
      alias.email,
      alias.name,
      JSON.stringify(scrubStrings(n.data, replacements)),
      n.subject === null ? null : scrubStrings(n.subject, replacements),
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
      a.id,
      alias.email,
      a.description === null ? null : scrubStrings(a.description, replacements),
      JSON.stringify(scrubStrings(a.payload, replacements)),
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
    `SELECT id, instrument_key, answers FROM survey_responses WHERE person_id = $1`,
    [personId],
  );
  let texts = 0;
  for (const r of responses) {
    const textKeys = new Set((INSTRUMENTS[r.instrument_key as keyof typeof INSTRUMENTS]?.items ?? []).filter((i) => i.type === 'text').map((i) => i.key));
    const keep = (answers: Record<string, unknown>) => Object.fromEntries(Object.entries(answers).filter(([k]) => !textKeys.has(k)));
    texts += Object.keys(r.answers).filter((k) => textKeys.has(k)).length;
    await manager.query(`UPDATE survey_responses SET answers = $2 WHERE id = $1`, [r.id, JSON.stringify(keep(r.answers))]);
    const revisions: Array<{ revision: number; answers: Record<string, unknown> }> = await manager.query(`SELECT revision, answers FROM survey_response_revisions WHERE response_id = $1`, [r.id]);
    for (const rev of revisions)
      await manager.query(`UPDATE survey_response_revisions SET answers = $3 WHERE response_id = $1 AND revision = $2`, [r.id, rev.revision, JSON.stringify(keep(rev.answers))]);
  }
  counts.surveyTextAnswersDeleted = texts;
  await count('bookingReasonsDeleted', `UPDATE cpd_bookings SET status_reason = NULL WHERE person_id = $1 AND status_reason IS NOT NULL`, [personId]);
  await count('bookingReasonsDeleted', `UPDATE cpd_booking_history SET reason = NULL WHERE booking_id IN (SELECT id FROM cpd_bookings WHERE person_id = $1) AND reason IS NOT NULL`, [personId]);

  await scrubCopies(manager, replacements, counts);
  // Kept figures are worked out again from the scrubbed records rather than scrubbed.
  await dropSnapshots(manager);
  await manager.query(`UPDATE people SET name = $2, email = NULL, consent_to_contact = false, erased_at = $3, updated_at = $3 WHERE id = $1`, [personId, alias.name, now]);
  await manager.query(`INSERT INTO erasures (id, subject_type, subject_id, pseudonym, counts, by_token_id, request_id, at) VALUES ($1, 'person', $2, $3, $4, $5, $6, $7)`, [
    randomUUID(),
    personId,
    alias.name,
    JSON.stringify(counts),
    by.tokenId,
    by.requestId,
    now,
  ]);
  return { pseudonym: alias.name, counts };
}

/**
 * A name or address copied into other people's mail (the team a school was told about, a
 * lead's list) or into the outbox's event payloads is replaced too: nothing stemflow keeps
 * still names them. (Copies of event payloads in Redis go with BullMQ's own clean-up of
 * finished jobs, within a day.)
 */
async function scrubCopies(manager: EntityManager, replacements: Array<[string, string]>, counts: Record<string, number>): Promise<void> {
  const likes = replacements.map(([from]) => `%${from.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const mail: Array<{ id: string; data: Record<string, unknown>; subject: string | null; recipient_name: string | null }> = await manager.query(
    `SELECT id, data, subject, recipient_name FROM notifications WHERE data::text ILIKE ANY($1) OR subject ILIKE ANY($1) OR recipient_name ILIKE ANY($1)`,
    [likes],
  );
  for (const n of mail) {
    await manager.query(`UPDATE notifications SET data = $2, subject = $3, recipient_name = $4 WHERE id = $1`, [
      n.id,
      JSON.stringify(scrubStrings(n.data, replacements)),
      n.subject === null ? null : scrubStrings(n.subject, replacements),
      n.recipient_name === null ? null : scrubStrings(n.recipient_name, replacements),
    ]);
  }
  counts.otherMailScrubbed = (counts.otherMailScrubbed ?? 0) + mail.length;
  const events: Array<{ id: string; payload: Record<string, unknown> }> = await manager.query(`SELECT id, payload FROM outbox_events WHERE payload::text ILIKE ANY($1)`, [likes]);
  for (const e of events) await manager.query(`UPDATE outbox_events SET payload = $2 WHERE id = $1`, [e.id, JSON.stringify(scrubStrings(e.payload, replacements))]);
  counts.eventPayloadsScrubbed = (counts.eventPayloadsScrubbed ?? 0) + events.length;
}

/**
 * Erases a STEM Ambassador: their name, address, employer, home or work location and
 * safeguarding check go; they leave the pool, so no request asks them again; what they
 * did stays (offers answered, visits made, hours logged), so the ambassador figures read
 * the same before and after. Reasons they wrote for declining are deleted.
 */
export async function eraseAmbassador(manager: EntityManager, ambassadorId: string, now: Date, by: { tokenId: string | null; requestId: string | null }): Promise<ErasureOutcome> {
  const [ambassador]: Array<{ name: string; email: string }> = await manager.query(`SELECT name, email FROM ambassadors WHERE id = $1 FOR UPDATE`, [ambassadorId]);
  const alias = pseudonymFor(ambassadorId);
  const email = ambassador.email.toLowerCase();
  const replacements: Array<[string, string]> = [
    [ambassador.name, alias.name],
    [email, alias.email],
  ];
  const counts: Record<string, number> = {};
  const count = async (key: string, sql: string, params: unknown[]) => {
    const [, affected] = (await manager.query(sql, params)) as [unknown, number];
    counts[key] = (counts[key] ?? 0) + (affected ?? 0);
  };
  const theirs = `subject_id = $2 OR subject_id IN (SELECT id FROM ambassador_offers WHERE ambassador_id = $2)`;

  await count(
    'notificationsCancelled',
    `UPDATE notifications SET status = 'skipped', last_error = $2, skip_reason = $2, lease_until = NULL, updated_at = $3 WHERE lower(recipient_email) = $1 AND status = 'queued'`,
    [email, ERASED_REASON, now],
  );
  await count('actionsCancelled', `UPDATE scheduled_actions SET status = 'cancelled', reason = $3, updated_at = $4 WHERE status = 'planned' AND (lower(recipient) = $1 OR ${theirs})`, [
    email,
    ambassadorId,
    ERASED_REASON,
    now,
  ]);
  await count('linksRevoked', `UPDATE page_links SET revoked_at = $3 WHERE (lower(email) = $1 OR ${theirs}) AND revoked_at IS NULL`, [email, ambassadorId, now]);

  const own: Array<{ id: string; data: Record<string, unknown>; subject: string | null }> = await manager.query(`SELECT id, data, subject FROM notifications WHERE lower(recipient_email) = $1`, [
    email,
  ]);
  for (const n of own) {
    await manager.query(`UPDATE notifications SET recipient_email = $2, recipient_name = $3, data = $4, subject = $5, unsubscribe_token_hash = NULL WHERE id = $1`, [
      n.id,
      alias.email,
      alias.name,
      JSON.stringify(scrubStrings(n.data, replacements)),
      n.subject === null ? null : scrubStrings(n.subject, replacements),
    ]);
  }
  counts.notificationsPseudonymised = own.length;
  await count('linksPseudonymised', `UPDATE page_links SET email = $3, recipient_name = $4 WHERE lower(email) = $1 OR ${theirs}`, [email, ambassadorId, alias.email, alias.name]);
  const actions: Array<{ id: string; description: string | null; payload: Record<string, unknown> }> = await manager.query(
    `SELECT id, description, payload FROM scheduled_actions WHERE lower(recipient) = $1 OR ${theirs}`,
    [email, ambassadorId],
  );
  for (const a of actions) {
    await manager.query(`UPDATE scheduled_actions SET recipient = CASE WHEN recipient IS NULL THEN NULL ELSE $2 END, description = $3, payload = $4 WHERE id = $1`, [
      a.id,
      alias.email,
      a.description === null ? null : scrubStrings(a.description, replacements),
      JSON.stringify(scrubStrings(a.payload, replacements)),
    ]);
  }
  counts.actionsPseudonymised = actions.length;
  await count('preferences', `UPDATE communication_preferences SET email = $2 WHERE lower(email) = $1`, [email, alias.email]);
  await count('consentEntries', `UPDATE consent_log SET email = $2 WHERE lower(email) = $1`, [email, alias.email]);
  await count('declineReasonsDeleted', `UPDATE ambassador_offers SET decline_reason = NULL WHERE ambassador_id = $1 AND decline_reason IS NOT NULL`, [ambassadorId]);
  await count('answerReasonsDeleted', `UPDATE offer_answers SET reason = NULL WHERE offer_id IN (SELECT id FROM ambassador_offers WHERE ambassador_id = $1) AND reason IS NOT NULL`, [ambassadorId]);
  await scrubCopies(manager, replacements, counts);
  await dropSnapshots(manager);
  await manager.query(
    `UPDATE ambassadors SET name = $2, email = $3, employer = NULL, postcode = 'erased', latitude = 0, longitude = 0, location_precision = NULL, status = 'left',
            check_type = NULL, check_number = NULL, check_checked_on = NULL, check_expires_on = NULL, erased_at = $4, updated_at = $4
      WHERE id = $1`,
    [ambassadorId, alias.name, alias.email, now],
  );
  await manager.query(`INSERT INTO erasures (id, subject_type, subject_id, pseudonym, counts, by_token_id, request_id, at) VALUES ($1, 'ambassador', $2, $3, $4, $5, $6, $7)`, [
    randomUUID(),
    ambassadorId,
    alias.name,
    JSON.stringify(counts),
    by.tokenId,
    by.requestId,
    now,
  ]);
  return { pseudonym: alias.name, counts };
}
