import { Inject, Injectable } from '@nestjs/common';
import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { strToU8, Zip, ZipDeflate } from 'fflate';
import { DataSource } from 'typeorm';
import {
  APP_CONFIG,
  Clock,
  csvText,
  figureByKey,
  FIGURE_GROUPS,
  FIGURES,
  InvalidInput,
  keptTimes,
  keptToRead,
  NO_FILTER,
  NotFound,
  readSnapshots,
  SCHOOL_PHASES,
  snapshotScopeOf,
  type AppConfig,
  type Figure,
  type FigureSnapshot,
  type Principal,
  type ReportFilter,
  type Row,
  type RowCut,
} from '#domain';
import { Access } from '../auth/access.js';
import type { ReportQuery } from './reports.dto.js';

/** What a person may filter the figures by: the programmes, cohorts and partnerships they can see, and the phases. */
export interface FilterChoices {
  programmes: Array<{ id: string; name: string }>;
  cohorts: Array<{ id: string; name: string; programme: string }>;
  partnerships: Array<{ id: string; name: string; cohort: string }>;
  phases: readonly string[];
}

export interface FigureAnswer {
  key: string;
  group: string;
  title: string;
  definition: string;
  suppression: string | null;
  filter: ReportFilter;
  /** When the rows were worked out: now, or when the worker last worked out a figure that is slow to work out. */
  computedAt: string;
  source: 'live' | 'snapshot';
  columns: Figure['columns'];
  /** Every row, or the first of them when a page asked for a cut. */
  rows: Row[];
  rowCount: number;
}

/** Figures computed at once for one page or export: under half the API's pool of database connections. */
const FIGURES_AT_ONCE = 4;

/** Each figure's answer, FIGURES_AT_ONCE at a time, in the figures' order. */
async function inTurns(figures: readonly Figure[], work: (figure: Figure) => Promise<FigureAnswer>): Promise<FigureAnswer[]> {
  const answers: FigureAnswer[] = new Array(figures.length);
  let next = 0;
  const computeInTurn = async () => {
    for (let i = next++; i < figures.length; i = next++) answers[i] = await work(figures[i]);
  };
  await Promise.all(Array.from({ length: Math.min(FIGURES_AT_ONCE, figures.length) }, computeInTurn));
  return answers;
}

/** Waits until a stream can take more, or has closed; whichever listener did not fire is removed, so waits do not pile up on the stream. */
async function drainedOrClosed(stream: PassThrough): Promise<void> {
  const done = new AbortController();
  try {
    await Promise.race([once(stream, 'drain', { signal: done.signal }), once(stream, 'close', { signal: done.signal })]);
  } finally {
    done.abort();
  }
}

/** The filter as the export's README gives it: what was set, as name=value. */
function filterText(filter: ReportFilter): string {
  return Object.entries(filter)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
}

/**
 * Figures for funders, computed from records when they are asked for, or, for a figure that
 * takes a while (REPORT_LIVE_UNDER_MS) over a whole programme or the whole platform, read
 * from what the worker last worked out, with that time. A token sees
 * the figures of what it may see: a programme manager's filter is held to their
 * programme, an educational lead's to their partnership; a filter naming something
 * outside that answers 404, as a record outside scope does.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly access: Access,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  list() {
    return FIGURES.map(({ key, group, title, definition, suppression, columns }) => ({ key, group, title, definition, suppression: suppression ?? null, columns }));
  }

  async filterChoices(principal: Principal): Promise<FilterChoices> {
    const params = this.access.params(principal);
    const query = async <T>(sql: string) => {
      const [text, values] = this.dataSource.driver.escapeQueryWithParameters(sql, params);
      return (await this.dataSource.query(text, values)) as T[];
    };
    const programmes = await query<{ id: string; name: string }>(`SELECT id, name FROM programmes p WHERE ${this.access.where('p.id', this.access.programmeIds(principal))} ORDER BY name`);
    const partnerships = await query<{ id: string; name: string; cohort: string; cohort_id: string }>(
      `SELECT p.id, p.name, c.name AS cohort, c.id AS cohort_id FROM partnerships p JOIN cohorts c ON c.id = p.cohort_id WHERE ${this.access.where('p.id', this.access.partnershipIds(principal))} ORDER BY p.name`,
    );
    const cohorts = await query<{ id: string; name: string; programme: string }>(
      `SELECT c.id, c.name, pr.name AS programme FROM cohorts c JOIN programmes pr ON pr.id = c.programme_id WHERE ${this.access.where('pr.id', this.access.programmeIds(principal))} ORDER BY pr.name, c.name`,
    );
    // A lead sees the cohort of their partnership, not every cohort of the programme.
    const visibleCohorts = principal.role === 'educational_lead' ? cohorts.filter((c) => partnerships.some((p) => p.cohort_id === c.id)) : cohorts;
    return {
      programmes,
      cohorts: visibleCohorts,
      partnerships: partnerships.map(({ id, name, cohort }) => ({ id, name, cohort })),
      phases: SCHOOL_PHASES,
    };
  }

  async filterFor(principal: Principal, query: ReportQuery): Promise<ReportFilter> {
    if (query.from && query.to && query.from > query.to) throw new InvalidInput('The date range ends before it starts', [{ field: 'to', message: 'must be on or after from' }]);
    const filter: ReportFilter = {
      ...NO_FILTER,
      programmeId: query.programmeId ?? null,
      cohortId: query.cohortId ?? null,
      partnershipId: query.partnershipId ?? null,
      phase: query.phase ?? null,
      from: query.from ?? null,
      to: query.to ?? null,
      quietDays: query.quietDays ?? NO_FILTER.quietDays,
    };
    // Held to the token's own scope whatever else the filter says; a token no rule knows sees nothing.
    const scope = this.access.reportScope(principal);
    if (filter.programmeId) await this.access.mustSee(principal, 'programme', filter.programmeId, 'Programme');
    if (filter.partnershipId) await this.access.mustSee(principal, 'partnership', filter.partnershipId, 'Partnership');
    if (filter.cohortId) {
      const [cohort]: Array<{ programme_id: string }> = await this.dataSource.query(`SELECT programme_id FROM cohorts WHERE id = $1`, [filter.cohortId]);
      if (!cohort || !(await this.access.canSee(principal, 'programme', cohort.programme_id))) throw new NotFound('Cohort', filter.cohortId);
    }
    if (scope.programmeId) filter.programmeId = scope.programmeId;
    if (scope.partnershipId) filter.partnershipId = scope.partnershipId;
    return filter;
  }

  async figure(principal: Principal, key: string, query: ReportQuery): Promise<FigureAnswer> {
    const figure = figureByKey(key);
    if (!figure) throw new NotFound('Report figure', key);
    const filter = await this.filterFor(principal, query);
    const kept = await (await this.keptFor(filter, 1, [figure.key])).read([figure.key]);
    return this.answer(figure, filter, await this.clock.now(), kept.get(figure.key));
  }

  /**
   * Every figure for one filter, checked against the person's scope once. They are computed
   * a few at a time rather than one after another: each is one statement, so the slowest
   * sets the wait, and the pool keeps connections free for everyone else's requests.
   */
  async all(principal: Principal, query: ReportQuery, cut?: RowCut): Promise<FigureAnswer[]> {
    const filter = await this.filterFor(principal, query);
    const now = await this.clock.now();
    const kept = await this.keptFor(filter, FIGURES_AT_ONCE);
    const snapshots = await kept.read(
      FIGURES.map((f) => f.key),
      cut,
    );
    return inTurns(FIGURES, (figure) => this.answer(figure, filter, now, snapshots.get(figure.key), cut));
  }

  /**
   * Which kept figures to read for this filter, `atOnce` figures being worked out together:
   * only when the worker keeps them, only a whole programme's or the platform's, and only
   * those too slow to work out now (see `keptToRead`); and a way to read them, some at a
   * time, each whole or, past a cut, its first rows.
   */
  private async keptFor(filter: ReportFilter, atOnce: number, keys?: string[]) {
    const scope = snapshotScopeOf(filter);
    const slow = this.config.reportSnapshotsEveryMinutes === 0 || scope === null ? [] : keptToRead(await keptTimes(this.dataSource.manager, scope, keys), this.config.reportLiveUnderMs, atOnce);
    return {
      read: async (of: string[], cut?: RowCut): Promise<Map<string, FigureSnapshot>> => {
        const wanted = slow.filter((key) => of.includes(key));
        return scope === null || wanted.length === 0 ? new Map() : readSnapshots(this.dataSource.manager, scope, wanted, cut);
      },
    };
  }

  private async answer(figure: Figure, filter: ReportFilter, now: Date, snapshot?: FigureSnapshot, cut?: RowCut): Promise<FigureAnswer> {
    const all = snapshot ? snapshot.rows : await figure.rows(this.dataSource.manager, filter, now);
    const rowCount = snapshot ? snapshot.rowCount : all.length;
    const rows = cut && rowCount > cut.over ? all.slice(0, cut.keep) : all;
    return {
      key: figure.key,
      group: figure.group,
      title: figure.title,
      definition: figure.definition,
      suppression: figure.suppression ?? null,
      filter,
      computedAt: (snapshot?.computedAt ?? now).toISOString(),
      source: snapshot ? 'snapshot' : 'live',
      columns: figure.columns,
      rows,
      rowCount,
    };
  }

  /**
   * The funder export: one CSV per figure group, each figure a titled section of it, and a
   * README of every definition with the filter used and when it was computed. The filter is
   * checked before the first byte; then the zip is written as it is worked out, a group of
   * figures at a time, so the API holds one group's rows, not every figure's.
   */
  async exportZip(principal: Principal, query: ReportQuery): Promise<Readable> {
    const filter = await this.filterFor(principal, query);
    const now = await this.clock.now();
    const kept = await this.keptFor(filter, FIGURES_AT_ONCE);
    const out = new PassThrough();
    const zip = new Zip((error, chunk, final) => {
      if (error) return void out.destroy(error);
      out.write(chunk);
      if (final) out.end();
    });
    const file = (name: string) => {
      const entry = new ZipDeflate(name, { level: 6 });
      entry.mtime = now;
      zip.add(entry);
      return entry;
    };
    const write = async () => {
      const readme: string[][] = [['File', 'Figure', 'Title', 'Definition', 'Small cells', 'Filter', 'Computed at']];
      for (const group of FIGURE_GROUPS) {
        const figures = FIGURES.filter((f) => f.group === group);
        if (figures.length === 0) continue;
        const snapshots = await kept.read(figures.map((f) => f.key));
        const answers = await inTurns(figures, (figure) => this.answer(figure, filter, now, snapshots.get(figure.key)));
        file(`${group}.csv`).push(strToU8(answers.map((a) => `${csvText([[a.title]])}${ReportsService.csv(a)}`).join('\n')), true);
        readme.push(...answers.map((a) => [`${group}.csv`, a.key, a.title, a.definition, a.suppression ?? '', filterText(filter), a.computedAt]));
        // The next group waits while the person's connection is behind, and is not worked out once they have gone.
        if (out.writableNeedDrain) await drainedOrClosed(out);
        if (out.destroyed) return;
      }
      file('README.csv').push(strToU8(csvText(readme)), true);
      zip.end();
    };
    write().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
    return out;
  }

  /** The same rows as the JSON, with the columns' labels as the header; money in pounds; text that would start a formula quoted. */
  static csv(answer: Pick<FigureAnswer, 'columns' | 'rows'>): string {
    return csvText([
      answer.columns.map((c) => (c.type === 'pence' ? `${c.label} (£)` : c.label)),
      ...answer.rows.map((row) =>
        answer.columns.map((c) => {
          const value = row[c.key];
          if (value === null || value === undefined) return '';
          return c.type === 'pence' ? (Number(value) / 100).toFixed(2) : value;
        }),
      ),
    ]);
  }
}
