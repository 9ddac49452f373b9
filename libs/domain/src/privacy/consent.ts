import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';

/** What a person can agree to, each given or withdrawn on its own. */
export const CONSENT_PURPOSES = ['programme_communications', 'surveys', 'data_sharing'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/** How the agreement reached us: the person on a page, an import, a manager on their behalf, or another system through the API. */
export const CONSENT_METHODS = ['page', 'import', 'manager', 'api'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

/** The purposes in the words people read on a page or in an export. */
export const CONSENT_PURPOSE_NAMES: Record<ConsentPurpose, string> = {
  programme_communications: 'programme communications',
  surveys: 'surveys',
  data_sharing: 'sharing their data with the funder',
};

export interface ConsentEntry {
  personId?: string | null;
  email?: string | null;
  purpose: ConsentPurpose;
  granted: boolean;
  how: ConsentMethod;
  byTokenId?: string | null;
  requestId?: string | null;
}

/**
 * Whether a purpose is agreed when nothing was ever recorded for it. Programme
 * communications rest on the programme's legitimate interest, so they go until the person
 * says no (the unsubscribe link, or a withdrawal here); surveys and sharing with the funder
 * need a yes.
 */
export const CONSENT_WITHOUT_ENTRY: Record<ConsentPurpose, boolean> = {
  programme_communications: true,
  surveys: false,
  data_sharing: false,
};

/**
 * Appends an entry to the person's consent log. `people.consent_to_contact` is kept in
 * step with the surveys purpose, so every rule that already reads it (survey invitations
 * and reminders) follows the log.
 */
export async function recordConsent(manager: EntityManager, entry: ConsentEntry, now: Date): Promise<{ id: string }> {
  const id = randomUUID();
  await manager.query(
    `INSERT INTO consent_log (id, person_id, email, purpose, granted, how, by_token_id, request_id, at) VALUES ($1, $2, lower($3), $4, $5, $6, $7, $8, $9)`,
    [id, entry.personId ?? null, entry.email ?? null, entry.purpose, entry.granted, entry.how, entry.byTokenId ?? null, entry.requestId ?? null, now],
  );
  if (entry.purpose === 'surveys' && entry.personId) {
    await manager.query(`UPDATE people SET consent_to_contact = $2, updated_at = $3 WHERE id = $1 AND consent_to_contact IS DISTINCT FROM $2`, [entry.personId, entry.granted, now]);
  }
  return { id };
}

/**
 * The one rule for "may we, for this purpose": the latest entry for the person (or, for
 * someone known only by address, for the email) decides; with none, CONSENT_WITHOUT_ENTRY.
 * Read at send time, so a withdrawal stops what was decided before it.
 */
export async function consentGiven(manager: EntityManager, who: { personId?: string | null; email?: string | null }, purpose: ConsentPurpose): Promise<boolean> {
  return (await consentFor(manager, who, purpose)).granted;
}

/** As consentGiven, saying also whether a no is a withdrawal on record (rather than a yes never given). */
export async function consentFor(manager: EntityManager, who: { personId?: string | null; email?: string | null }, purpose: ConsentPurpose): Promise<{ granted: boolean; withdrawn: boolean }> {
  const [answer] = await consentForMany(manager, [{ ...who, purpose }]);
  return answer;
}

/**
 * consentFor for many questions in one statement, answered in order: the sender asks it
 * for every email of a batch at once.
 */
export async function consentForMany(
  manager: EntityManager,
  questions: Array<{ personId?: string | null; email?: string | null; purpose: ConsentPurpose }>,
): Promise<Array<{ granted: boolean; withdrawn: boolean }>> {
  if (questions.length === 0) return [];
  const rows: Array<{ i: number; granted: boolean | null }> = await manager.query(
    `SELECT q.i::int AS i, latest.granted
       FROM unnest($1::uuid[], $2::text[], $3::text[]) WITH ORDINALITY AS q(person_id, email, purpose, i)
       LEFT JOIN LATERAL (
         SELECT c.granted FROM consent_log c
          WHERE c.purpose = q.purpose
            AND (c.person_id = q.person_id
                 OR c.person_id IN (SELECT p.id FROM people p WHERE q.email IS NOT NULL AND lower(p.email) = lower(q.email))
                 OR (q.email IS NOT NULL AND lower(c.email) = lower(q.email)))
          ORDER BY c.at DESC, c.seq DESC LIMIT 1) latest ON true`,
    [questions.map((q) => q.personId ?? null), questions.map((q) => q.email ?? null), questions.map((q) => q.purpose)],
  );
  const answers = new Map(rows.map((row) => [row.i, row.granted]));
  return questions.map((q, index) => {
    const granted = answers.get(index + 1) ?? null;
    return granted === null ? { granted: CONSENT_WITHOUT_ENTRY[q.purpose], withdrawn: false } : { granted, withdrawn: !granted };
  });
}

export interface ConsentState {
  purpose: ConsentPurpose;
  granted: boolean;
  since: string | null;
  how: ConsentMethod | null;
}

/** The current state of every purpose for a person, from the latest entry of each. */
export async function consentStates(manager: EntityManager, personId: string): Promise<ConsentState[]> {
  const rows: Array<{ purpose: ConsentPurpose; granted: boolean; at: Date; how: ConsentMethod }> = await manager.query(
    `SELECT DISTINCT ON (purpose) purpose, granted, at, how FROM consent_log WHERE person_id = $1 ORDER BY purpose, at DESC, seq DESC`,
    [personId],
  );
  return CONSENT_PURPOSES.map((purpose) => {
    const row = rows.find((r) => r.purpose === purpose);
    return row
      ? { purpose, granted: row.granted, since: new Date(row.at).toISOString(), how: row.how }
      : { purpose, granted: CONSENT_WITHOUT_ENTRY[purpose], since: null, how: null };
  });
}
