import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { decidePurpose, PURPOSE_RULES, CONSENT_PURPOSES, type ConsentPurpose, type LawfulBasis, type PurposeDecision } from './purposes.js';

export * from './purposes.js';

/** How the agreement reached us: the person on a page, an import, a manager on their behalf, or another system through the API. */
export const CONSENT_METHODS = ['page', 'import', 'manager', 'api'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

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
 * Appends an entry to the person's consent log. `people.consent_to_contact` is kept in
 * step with the surveys purpose (false: they objected to evaluation surveys), for API
 * clients that read and send it.
 */
export async function recordConsent(manager: EntityManager, entry: ConsentEntry, now: Date): Promise<{ id: string }> {
  const id = randomUUID();
  await manager.query(`INSERT INTO consent_log (id, person_id, email, purpose, granted, how, by_token_id, request_id, at) VALUES ($1, $2, lower($3), $4, $5, $6, $7, $8, $9)`, [
    id,
    entry.personId ?? null,
    entry.email ?? null,
    entry.purpose,
    entry.granted,
    entry.how,
    entry.byTokenId ?? null,
    entry.requestId ?? null,
    now,
  ]);
  if (entry.purpose === 'surveys' && entry.personId) {
    await manager.query(`UPDATE people SET consent_to_contact = $2, updated_at = $3 WHERE id = $1 AND consent_to_contact IS DISTINCT FROM $2`, [entry.personId, entry.granted, now]);
  }
  return { id };
}

/**
 * "May we, for this purpose": the latest entry for the person (or, for someone known only
 * by address, for the email) decides through decidePurpose; with none, the purpose's
 * default. Read at send time, so an objection stops what was decided before it.
 */
export async function consentGiven(manager: EntityManager, who: { personId?: string | null; email?: string | null }, purpose: ConsentPurpose): Promise<boolean> {
  return (await consentFor(manager, who, purpose)).granted;
}

export interface ConsentAnswer extends PurposeDecision {
  granted: boolean;
  /** A no on record (an objection or a withdrawn yes), rather than a yes never given. */
  withdrawn: boolean;
}

export async function consentFor(manager: EntityManager, who: { personId?: string | null; email?: string | null }, purpose: ConsentPurpose): Promise<ConsentAnswer> {
  const [answer] = await consentForMany(manager, [{ ...who, purpose }]);
  return answer;
}

/**
 * consentFor for many questions in one statement, answered in order: the sender asks it
 * for every email of a batch at once.
 */
export async function consentForMany(manager: EntityManager, questions: Array<{ personId?: string | null; email?: string | null; purpose: ConsentPurpose }>): Promise<ConsentAnswer[]> {
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
    const decision = decidePurpose(q.purpose, granted === null ? null : { granted });
    return { ...decision, granted: decision.allowed, withdrawn: decision.objected };
  });
}

/** A person's standing for one purpose, as the people API, the consent page and the export show it. */
export interface ConsentState {
  purpose: ConsentPurpose;
  name: string;
  /** Whether emails for this purpose go to them now. */
  granted: boolean;
  basis: LawfulBasis;
  alternativeBasis: LawfulBasis | null;
  /** Nothing recorded: the purpose's default applies. */
  byDefault: boolean;
  /** When and how their latest answer was recorded; null with nothing recorded. */
  since: string | null;
  how: ConsentMethod | null;
  control: string;
}

/** The current state of every purpose for a person, from the latest entry of each. */
export async function consentStates(manager: EntityManager, personId: string): Promise<ConsentState[]> {
  return (await consentStatesOf(manager, [personId])).get(personId)!;
}

/** consentStates for many people in one statement (a page of the people list). */
export async function consentStatesOf(manager: EntityManager, personIds: string[]): Promise<Map<string, ConsentState[]>> {
  const rows: Array<{ person_id: string; purpose: ConsentPurpose; granted: boolean; at: Date; how: ConsentMethod }> = personIds.length
    ? await manager.query(
        `SELECT DISTINCT ON (person_id, purpose) person_id, purpose, granted, at, how FROM consent_log WHERE person_id = ANY($1::uuid[]) ORDER BY person_id, purpose, at DESC, seq DESC`,
        [personIds],
      )
    : [];
  const states = new Map<string, ConsentState[]>();
  for (const personId of personIds) {
    states.set(
      personId,
      CONSENT_PURPOSES.map((purpose) => {
        const row = rows.find((r) => r.person_id === personId && r.purpose === purpose);
        const rule = PURPOSE_RULES[purpose];
        const decision = decidePurpose(purpose, row ? { granted: row.granted } : null);
        return {
          purpose,
          name: rule.name,
          granted: decision.allowed,
          basis: rule.basis,
          alternativeBasis: rule.alternativeBasis,
          byDefault: decision.byDefault,
          since: row ? new Date(row.at).toISOString() : null,
          how: row?.how ?? null,
          control: rule.control,
        };
      }),
    );
  }
  return states;
}
