import { performance } from 'node:perf_hooks';
import type { DataSource, EntityManager } from 'typeorm';
import type { Figure, Row } from './figure-kit.js';
import { FIGURES } from './figures.js';
import { NO_FILTER, type ReportFilter } from './report-query.js';

/** The scope of the snapshot that answers for every programme at once (an admin's unfiltered figures). */
export const PLATFORM_SNAPSHOT = 'platform';

/**
 * Held shared while a figure is worked out and kept, and alone while snapshots are
 * dropped: a figure worked out before an erasure committed is either kept before the drop
 * (and dropped by it) or worked out again after it, never kept after the drop with the
 * erased name in it.
 */
const SNAPSHOT_LOCK = `hashtext('stemflow.figure_snapshots')`;

/** The rows kept apart at the head of each figure, for pages that show only the first few. */
export const SNAPSHOT_HEAD_ROWS = 100;

/** A figure as the worker last worked it out for one scope, with when and how long it took. */
export interface FigureSnapshot {
  key: string;
  computedAt: Date;
  tookMs: number;
  /** Every row, or only the first when the reader asked for a cut (see `RowCut`). */
  rows: Row[];
  rowCount: number;
}

/** A figure with more than `over` rows is answered with its first `keep` (at most SNAPSHOT_HEAD_ROWS): a page that shows a few of them. */
export interface RowCut {
  over: number;
  keep: number;
}

/**
 * Which snapshot, if any, answers this filter: a whole programme's figures, or the whole
 * platform's, with nothing else narrowing them. A cohort, partnership, phase, date range or
 * a "gone quiet" period of its own is worked out when asked: there are too many of those
 * to keep, and each reads fewer rows.
 */
export function snapshotScopeOf(filter: ReportFilter): string | null {
  const narrowed = filter.cohortId !== null || filter.partnershipId !== null || filter.phase !== null || filter.from !== null || filter.to !== null || filter.quietDays !== NO_FILTER.quietDays;
  if (narrowed) return null;
  return filter.programmeId ?? PLATFORM_SNAPSHOT;
}

function filterOf(scope: string): ReportFilter {
  return { ...NO_FILTER, programmeId: scope === PLATFORM_SNAPSHOT ? null : scope };
}

/** How long each kept figure of one scope took to work out last time (all of them, or those named). */
export async function keptTimes(manager: EntityManager, scope: string, keys?: string[]): Promise<Array<{ key: string; tookMs: number }>> {
  const found: Array<{ figure_key: string; took_ms: number }> = await manager.query(
    `SELECT figure_key, took_ms FROM figure_snapshots WHERE scope = $1 AND (CAST($2 AS text[]) IS NULL OR figure_key = ANY(CAST($2 AS text[])))`,
    [scope, keys ?? null],
  );
  return found.map((f) => ({ key: f.figure_key, tookMs: f.took_ms }));
}

/** The kept figures of one scope named, each whole or, past the cut, its first rows. */
export async function readSnapshots(manager: EntityManager, scope: string, keys: string[], cut?: RowCut): Promise<Map<string, FigureSnapshot>> {
  if (keys.length === 0) return new Map();
  if (cut && cut.keep > SNAPSHOT_HEAD_ROWS) throw new Error(`a cut keeps at most ${SNAPSHOT_HEAD_ROWS} rows (asked for ${cut.keep})`);
  const found: Array<{ figure_key: string; computed_at: Date; took_ms: number; row_count: number; rows: Row[] }> = await manager.query(
    `SELECT figure_key, computed_at, took_ms, row_count, CASE WHEN CAST($3 AS integer) IS NULL OR row_count <= CAST($3 AS integer) THEN rows ELSE head END AS rows
       FROM figure_snapshots WHERE scope = $1 AND figure_key = ANY($2::text[])`,
    [scope, keys, cut?.over ?? null],
  );
  return new Map(
    found.map((s) => [
      s.figure_key,
      { key: s.figure_key, computedAt: new Date(s.computed_at), tookMs: s.took_ms, rowCount: s.row_count, rows: cut && s.row_count > cut.over ? s.rows.slice(0, cut.keep) : s.rows },
    ]),
  );
}

/**
 * Which kept figures a page reads rather than working them out now. A figure quicker than
 * `liveUnderMs` last time is worked out now, quickest first, while the page's work fits in
 * `liveUnderMs` for each of the `atOnce` figures it works out together; the slowest are read
 * from what was kept. So one figure is kept only when it is slow itself, and a page of many
 * (the dashboard, the funder export) answers in about `liveUnderMs` however many figures it
 * has, with as many as possible as the records are now.
 */
export function keptToRead(kept: ReadonlyArray<{ key: string; tookMs: number }>, liveUnderMs: number, atOnce: number): string[] {
  const read: string[] = [];
  let budget = liveUnderMs * atOnce;
  for (const figure of [...kept].sort((a, b) => a.tookMs - b.tookMs || a.key.localeCompare(b.key))) {
    if (figure.tookMs < liveUnderMs && figure.tookMs <= budget) budget -= figure.tookMs;
    else read.push(figure.key);
  }
  return read;
}

/**
 * Forgets every snapshot, in the caller's transaction (which must be one): erasing a person
 * must not leave their name in a figure kept from before (a lead's name in "schools gone
 * quiet", for one). It waits for a figure being worked out to be kept, then drops it too.
 * Until the next refresh, every figure is worked out when asked.
 */
export async function dropSnapshots(manager: EntityManager): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(${SNAPSHOT_LOCK})`);
  await manager.query(`DELETE FROM figure_snapshots`);
}

export interface RefreshOutcome {
  scopes: number;
  figures: number;
  failed: Array<{ scope: string; key: string; error: string }>;
  tookMs: number;
}

/**
 * Works out every figure for the whole platform and for each programme, one statement at
 * a time so that a refresh never holds more than one of the database's connections, and
 * keeps each figure's rows with the time it was worked out and how long that took. A figure
 * that fails keeps its previous snapshot and the others carry on. Snapshots of a programme
 * that no longer exists are removed.
 */
export async function refreshSnapshots(dataSource: DataSource, now: Date, figures: readonly Figure[] = FIGURES): Promise<RefreshOutcome> {
  const started = performance.now();
  const programmes: Array<{ id: string }> = await dataSource.query(`SELECT id FROM programmes ORDER BY name, id`);
  const scopes = [PLATFORM_SNAPSHOT, ...programmes.map((p) => p.id)];
  await dataSource.query(`DELETE FROM figure_snapshots WHERE scope <> ALL($1::text[])`, [scopes]);
  const outcome: RefreshOutcome = { scopes: scopes.length, figures: 0, failed: [], tookMs: 0 };
  for (const scope of scopes) {
    const filter = filterOf(scope);
    for (const figure of figures) {
      try {
        await dataSource.transaction(async (manager) => {
          await manager.query(`SELECT pg_advisory_xact_lock_shared(${SNAPSHOT_LOCK})`);
          const began = performance.now();
          const rows = await figure.rows(manager, filter, now);
          const tookMs = Math.round(performance.now() - began);
          await manager.query(
            `INSERT INTO figure_snapshots (figure_key, scope, computed_at, took_ms, row_count, head, rows) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb)
             ON CONFLICT (figure_key, scope) DO UPDATE
               SET computed_at = EXCLUDED.computed_at, took_ms = EXCLUDED.took_ms, row_count = EXCLUDED.row_count, head = EXCLUDED.head, rows = EXCLUDED.rows`,
            [figure.key, scope, now, tookMs, rows.length, JSON.stringify(rows.slice(0, SNAPSHOT_HEAD_ROWS)), JSON.stringify(rows)],
          );
        });
        outcome.figures += 1;
      } catch (error) {
        outcome.failed.push({ scope, key: figure.key, error: error instanceof Error ? error.message : String(error) });
      }
    }
  }
  outcome.tookMs = Math.round(performance.now() - started);
  return outcome;
}
