import { Injectable } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { GIAS_COLUMNS, InvalidInput, parseGiasRow, REQUIRED_GIAS_COLUMNS, type Principal } from '#domain';
import type { ImportReport } from './dto/school.response.js';
import { SchoolsService } from './schools.service.js';

const MAX_ROWS = 50_000;

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
  constructor(private readonly schools: SchoolsService) {}

  async import(principal: Principal, csv: string): Promise<ImportReport> {
    const report: ImportReport = { created: 0, updated: 0, unchanged: 0, errors: [] };
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
      const outcome = await this.schools.upsertByUrn(principal, parsed.school);
      if (typeof outcome === 'string') report[outcome] += 1;
      else report.errors.push({ line, message: outcome.refused });
    }
    report.errors = mergeByLine(report.errors);
    return report;
  }
}

/** One entry per line, however many things are wrong with it, in file order. */
function mergeByLine(errors: ImportReport['errors']): ImportReport['errors'] {
  const byLine = new Map<number, string[]>();
  for (const { line, message } of errors) byLine.set(line, [...(byLine.get(line) ?? []), message]);
  return [...byLine.entries()].sort(([a], [b]) => a - b).map(([line, messages]) => ({ line, message: messages.join('; ') }));
}
