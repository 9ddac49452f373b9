import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { LEGACY_LINKS } from '../pages/page-link.js';
import { INSTRUMENTS } from '../surveys/instruments.js';

const DAY = 86_400_000;

/** How long each kind of record is kept (config: RETENTION_*_DAYS). */
export interface RetentionPolicy {
  /** Answers in people's own words to survey questions, counted from when they were given. */
  surveyTextDays: number;
  /** The stored data of a delivered (or skipped, or failed) email, from which its body is rendered. */
  notificationBodyDays: number;
  /** Page links and dashboard sessions, counted from when they expired. */
  expiredLinkDays: number;
}

export type RetentionCounts = Record<'surveyTextAnswers' | 'notificationBodies' | 'expiredLinks' | 'dashboardSessions', number>;

/**
 * Removes what is older than the policy allows, in the caller's transaction, and records
 * the run with a count per kind. The same function runs daily in the worker and on an
 * admin's request through the API. Nothing a report counts is removed: scaled survey
 * answers stay, a message's ledger row stays (only its data goes), and links go only once
 * they can no longer be used or renewed.
 */
export async function enforceRetention(manager: EntityManager, policy: RetentionPolicy, now: Date, trigger: 'daily' | 'admin'): Promise<{ id: string; removed: RetentionCounts }> {
  const before = (days: number) => new Date(now.getTime() - days * DAY);
  const removed: RetentionCounts = { surveyTextAnswers: 0, notificationBodies: 0, expiredLinks: 0, dashboardSessions: 0 };

  const textKeys = [...new Set(Object.values(INSTRUMENTS).flatMap((i) => i.items.filter((item) => item.type === 'text').map((item) => item.key)))];
  if (textKeys.length > 0) {
    const [rows]: [Array<{ n: number }>, number] = await manager.query(
      `WITH old AS (SELECT id, (SELECT count(*) FROM jsonb_object_keys(answers) k WHERE k = ANY($2::text[]))::int AS n FROM survey_responses WHERE updated_at < $1 AND answers ?| $2::text[] FOR UPDATE)
       UPDATE survey_responses r SET answers = r.answers - $2::text[] FROM old WHERE old.id = r.id RETURNING old.n`,
      [before(policy.surveyTextDays), textKeys],
    );
    removed.surveyTextAnswers = rows.reduce((sum, r) => sum + r.n, 0);
    await manager.query(`UPDATE survey_response_revisions SET answers = answers - $2::text[] WHERE recorded_at < $1 AND answers ?| $2::text[]`, [before(policy.surveyTextDays), textKeys]);
  }

  const [, bodies]: [unknown, number] = await manager.query(
    `UPDATE notifications SET data = jsonb_build_object('retentionRemovedAt', CAST($2 AS timestamptz))
      WHERE status IN ('sent', 'skipped', 'failed') AND updated_at < $1 AND NOT (data ? 'retentionRemovedAt')`,
    [before(policy.notificationBodyDays), now],
  );
  removed.notificationBodies = bodies;
  // Tokens in clear from before links were derived from LINK_SECRET, of emails done with them (see LEGACY_LINKS).
  await manager.query(`UPDATE notifications SET data = data - $1::text WHERE status IN ('sent', 'skipped', 'failed') AND data ? $1::text`, [LEGACY_LINKS]);

  const cutoff = before(policy.expiredLinkDays);
  // A renewal points at the link it replaced; the pointer goes with the old link.
  await manager.query(`UPDATE page_links SET renewal_of = NULL WHERE renewal_of IN (SELECT id FROM page_links WHERE expires_at < $1)`, [cutoff]);
  const [, links]: [unknown, number] = await manager.query(`DELETE FROM page_links WHERE expires_at < $1`, [cutoff]);
  removed.expiredLinks = links;
  const [, sessions]: [unknown, number] = await manager.query(`DELETE FROM dashboard_sessions WHERE expires_at < $1`, [cutoff]);
  removed.dashboardSessions = sessions;

  const id = randomUUID();
  await manager.query(`INSERT INTO retention_runs (id, trigger, policy, removed, ran_at) VALUES ($1, $2, $3, $4, $5)`, [id, trigger, JSON.stringify(policy), JSON.stringify(removed), now]);
  return { id, removed };
}
