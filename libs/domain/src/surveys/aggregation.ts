import type { EntityManager } from 'typeorm';
import { INSTRUMENTS, itemValues, type Answers, type EvaluationLevel, type InstrumentKey, type ItemType, type SurveyInstrument } from './instruments.js';

export interface ItemSummary {
  key: string;
  text: string;
  type: ItemType;
  level: EvaluationLevel;
  scale: string | null;
  /** Responses that answered this item. */
  answered: number;
  /** For scale and choice items: each value in the scale's order, with its count and share of those who answered. */
  distribution: Array<{ value: string; label: string; count: number; percent: number }>;
  /** For text items: the answers themselves, without names. */
  texts: string[];
}

export interface SurveyResults {
  instrumentKey: InstrumentKey;
  instrumentVersion: number;
  invitations: number;
  responses: number;
  /** Responses per invitation, as a percentage to one decimal place; null with no invitations. */
  responseRate: number | null;
  definition: string;
  items: ItemSummary[];
}

const pct = (n: number, of: number) => (of === 0 ? 0 : Math.round((n / of) * 1000) / 10);

/** Per-item distributions over a set of responses to one instrument (pure: the reports reuse it). */
export function summariseResponses(instrument: SurveyInstrument, responses: Answers[]): ItemSummary[] {
  return instrument.items.map((item) => {
    const given = responses.map((r) => r[item.key]).filter((v): v is string => typeof v === 'string' && v !== '');
    const values = itemValues(instrument, item);
    return {
      key: item.key,
      text: item.text,
      type: item.type,
      level: item.level,
      scale: item.scale ?? null,
      answered: given.length,
      distribution: values.map((v) => {
        const count = given.filter((g) => g === v.value).length;
        return { value: v.value, label: v.label, count, percent: pct(count, given.length) };
      }),
      texts: item.type === 'text' ? given : [],
    };
  });
}

export interface ResultsFilter {
  instrumentKey: InstrumentKey;
  sessionId?: string;
  courseId?: string;
  /** A subquery of the school ids the reader may see (with named parameters), or null for all. */
  schoolScope?: { sql: string | null; params: Record<string, unknown> };
}

/**
 * Results of one instrument for a session or a course: invitations, responses, the rate,
 * and per-item distributions. Scoped by school, so a school sees only its own teachers'
 * answers and a lead only their partnership's.
 */
export async function surveyResults(manager: EntityManager, filter: ResultsFilter): Promise<SurveyResults> {
  const instrument = INSTRUMENTS[filter.instrumentKey];
  const conditions = ['i.instrument_key = :instrumentKey'];
  const params: Record<string, unknown> = { instrumentKey: filter.instrumentKey, ...(filter.schoolScope?.params ?? {}) };
  if (filter.sessionId) {
    conditions.push('i.session_id = :sessionId');
    params.sessionId = filter.sessionId;
  }
  if (filter.courseId) {
    conditions.push('i.course_id = :courseId');
    params.courseId = filter.courseId;
  }
  if (filter.schoolScope?.sql) conditions.push(`i.school_id IN (${filter.schoolScope.sql})`);
  const [sql, values] = manager.connection.driver.escapeQueryWithParameters(
    `SELECT r.answers FROM survey_invitations i LEFT JOIN survey_responses r ON r.invitation_id = i.id WHERE ${conditions.join(' AND ')} ORDER BY i.created_at, i.id`,
    params,
  );
  const rows: Array<{ answers: Answers | null }> = await manager.query(sql, values);
  const responses = rows.map((r) => r.answers).filter((a): a is Answers => a !== null);
  return {
    instrumentKey: instrument.key,
    instrumentVersion: instrument.version,
    invitations: rows.length,
    responses: responses.length,
    responseRate: rows.length === 0 ? null : pct(responses.length, rows.length),
    definition: 'Invitations sent to participants whose attendance was recorded; a response counts once however often it was edited (its latest answers).',
    items: summariseResponses(instrument, responses),
  };
}
