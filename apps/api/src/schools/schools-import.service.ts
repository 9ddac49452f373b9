import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { DataSource } from 'typeorm';
import { Clock, Forbidden, GIAS_COLUMNS, InvalidInput, NotFound, parseGiasRow, REQUIRED_GIAS_COLUMNS, type Principal } from '#domain';
import type { ImportReport } from './dto/school.response.js';
import { SchoolsService } from './schools.service.js';

const MAX_ROWS = 50_000;
/** An upload nobody confirmed is deleted after a day: its rows name schools' contacts. */
const UNCONFIRMED_KEPT_MS = 24 * 3_600_000;
const IMPORTERS = new Set(['admin', 'programme_manager']);

/** An uploaded extract waiting for (or past) its confirmation: what the preview said, and what applying it did. */
export interface ImportDraft {
  id: string;
  fileName: string | null;
  preview: ImportReport;
  applied: ImportReport | null;
  appliedAt: Date | null;
  createdAt: Date;
}

/**
 * Imports a GIAS extract. Each row is its own transaction: a bad row is reported with its
 * line and never stops the good ones, and an unchanged row writes nothing, so importing
 * the same file again changes nothing. A programme manager's import creates schools new to
 * the platform and changes only the contact details of the schools their programme owns
 * now; a row about any other school, or one that would change a register field, is
 * reported as an error with its line and changes nothing (docs/ownership.md).
 */
@Injectable()
export class SchoolsImportService {
  constructor(
    private readonly schools: SchoolsService,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Who imports: an admin (the register's import) and programme managers (their programme's). */
  mayImport(principal: Principal): boolean {
    return IMPORTERS.has(principal.role);
  }

  /**
   * Reads the extract and applies each row, or with `dryRun` answers what each row would do
   * (the same rule, nothing written): the counts, each error with its line, and the rows that
   * would be created or updated, so a person can check before anything changes.
   */
  async import(principal: Principal, csv: string, { dryRun = false } = {}): Promise<ImportReport> {
    if (!this.mayImport(principal)) throw new Forbidden('Only admins and programme managers import schools.');
    const report: ImportReport = { created: 0, updated: 0, unchanged: 0, errors: [], ...(dryRun ? { dryRun: true, changes: [] } : {}) };
    let header: string[] = [];
    const records = parse(csv, {
      bom: true,
      columns: (names: string[]) => (header = names.map((n) => n.trim())),
      skip_empty_lines: true,
      relax_quotes: false,
      info: true,
      skip_records_with_error: true,
      on_skip: (error) => {
        const line = (error as { lines?: number } | undefined)?.lines ?? 0;
        report.errors.push({ line, message: `the row cannot be read as CSV: ${error?.message ?? 'malformed'}` });
        return undefined;
      },
    }) as Array<{ record: Record<string, string>; info: { lines: number } }>;

    if (header.length === 0) throw new InvalidInput('The file is empty: expected a header row with the GIAS column names.');
    const missing = REQUIRED_GIAS_COLUMNS.filter((column) => !header.includes(column));
    if (missing.length > 0) {
      throw new InvalidInput(
        `The header lacks required GIAS columns: ${missing.join(', ')}.`,
        missing.map((field) => ({ field, message: 'column is missing' })),
      );
    }
    if (records.length > MAX_ROWS) throw new InvalidInput(`The file has ${records.length} rows; import at most ${MAX_ROWS} at a time.`);

    const firstLineOfUrn = new Map<string, number>();
    for (const { record, info } of records) {
      const line = info.lines;
      const parsed = parseGiasRow(record);
      if (!parsed.ok) {
        report.errors.push({ line, message: parsed.problems.map((p) => `${p.field} ${p.message}`).join('; ') });
        continue;
      }
      const urn = String(parsed.school.urn);
      const earlier = firstLineOfUrn.get(urn);
      if (earlier !== undefined) {
        report.errors.push({ line, message: `${GIAS_COLUMNS.urn} ${urn} already appeared on line ${earlier}` });
        continue;
      }
      firstLineOfUrn.set(urn, line);
      const result = await this.schools.upsertByUrn(principal, parsed.school, { dryRun });
      if ('refused' in result) {
        report.errors.push({ line, message: result.refused });
        continue;
      }
      report[result.outcome] += 1;
      if (report.changes && result.outcome !== 'unchanged') {
        report.changes.push({ line, urn: parsed.school.urn, name: parsed.school.name, outcome: result.outcome, changed: result.changed ?? [] });
      }
    }
    report.errors = mergeByLine(report.errors);
    return report;
  }

  /**
   * An upload on the console's page: previewed now (a dry run), kept until the person who
   * uploaded it confirms it. Uploads older than a day that nobody confirmed go first.
   */
  async upload(principal: Principal, csv: string, fileName: string | null): Promise<ImportDraft> {
    const preview = await this.import(principal, csv, { dryRun: true });
    const now = await this.clock.now();
    await this.dataSource.query(`DELETE FROM school_imports WHERE applied_at IS NULL AND created_at < $1`, [new Date(now.getTime() - UNCONFIRMED_KEPT_MS)]);
    const id = randomUUID();
    await this.dataSource.query(`INSERT INTO school_imports (id, api_token_id, role, file_name, csv, preview, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      id,
      principal.tokenId,
      principal.role,
      fileName,
      csv,
      JSON.stringify(preview),
      now,
    ]);
    return { id, fileName, preview, applied: null, appliedAt: null, createdAt: now };
  }

  /** An upload, to the account that made it; to anyone else it does not exist. */
  async draft(principal: Principal, id: string): Promise<ImportDraft> {
    const [row]: Array<{ id: string; file_name: string | null; preview: ImportReport; applied: ImportReport | null; applied_at: Date | null; created_at: Date }> = await this.dataSource.query(
      `SELECT id, file_name, preview, applied, applied_at, created_at FROM school_imports WHERE id = $1 AND api_token_id IS NOT DISTINCT FROM $2 AND role = $3`,
      [id, principal.tokenId, principal.role],
    );
    if (!row) throw new NotFound('Import', id);
    return { id: row.id, fileName: row.file_name, preview: row.preview, applied: row.applied, appliedAt: row.applied_at, createdAt: row.created_at };
  }

  /**
   * Applies an upload once: the first confirmation takes it (a second, or a double click,
   * finds it taken and changes nothing), imports its rows, keeps what that did and forgets
   * the rows themselves.
   */
  async confirm(principal: Principal, id: string): Promise<ImportDraft> {
    await this.draft(principal, id);
    const now = await this.clock.now();
    const [taken]: [Array<{ csv: string }>, number] = await this.dataSource.query(`UPDATE school_imports SET applied_at = $2 WHERE id = $1 AND applied_at IS NULL AND csv IS NOT NULL RETURNING csv`, [
      id,
      now,
    ]);
    if (taken.length === 0) return this.draft(principal, id);
    const applied = await this.import(principal, taken[0].csv);
    await this.dataSource.query(`UPDATE school_imports SET applied = $2, csv = NULL WHERE id = $1`, [id, JSON.stringify(applied)]);
    return this.draft(principal, id);
  }
}

/** One entry per line, however many things are wrong with it, in file order. */
function mergeByLine(errors: ImportReport['errors']): ImportReport['errors'] {
  const byLine = new Map<number, string[]>();
  for (const { line, message } of errors) byLine.set(line, [...(byLine.get(line) ?? []), message]);
  return [...byLine.entries()].sort(([a], [b]) => a - b).map(([line, messages]) => ({ line, message: messages.join('; ') }));
}
