import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { calendarProblems, Conflict, normaliseYears, InvalidInput, loadCalendar, replanCohort, UnitOfWork, type AcademicCalendar, type Principal } from '#domain';
import { Access } from '../auth/access.js';
import type { CreateCalendarDto, SaveCalendarDto } from './dto/calendar.dto.js';

/** A cohort that follows a calendar, as a person who may read its programme sees it. */
export interface CalendarFollower {
  id: string;
  name: string;
  programmeId: string;
  programmeName: string;
}

/**
 * Academic calendars: the term dates and breaks a cohort's schools follow. Any calendar may
 * be read; programme managers make new ones and change one that only their own cohorts follow.
 */
@Injectable()
export class CalendarsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly access: Access,
  ) {}

  /** Every calendar, with the academic years it covers in order ("2025/26", …). */
  async list() {
    const rows: Array<{ key: string; name: string; nation: string; version: number; academicYears: string[] }> = await this.dataSource.query(
      `SELECT key, name, nation, version, coalesce((SELECT array_agg(y->>'label' ORDER BY n) FROM jsonb_array_elements(years) WITH ORDINALITY AS e(y, n)), '{}') AS "academicYears"
         FROM academic_calendars ORDER BY key`,
    );
    return rows;
  }

  async get(key: string) {
    const calendar = await loadCalendar(this.dataSource.manager, key);
    const [{ version }]: Array<{ version: number }> = await this.dataSource.query(`SELECT version FROM academic_calendars WHERE key = $1`, [key]);
    return { ...calendar, version };
  }

  async create(input: CreateCalendarDto) {
    this.check(input.years);
    const exists: unknown[] = await this.dataSource.query(`SELECT 1 FROM academic_calendars WHERE key = $1`, [input.key]);
    if (exists.length > 0) throw new Conflict(`A calendar called ${input.key} already exists`);
    await this.unitOfWork.run((tx) =>
      tx.manager.query(`INSERT INTO academic_calendars (key, name, nation, bank_holiday_region, note, years) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key) DO NOTHING`, [
        input.key,
        input.name ?? input.key,
        input.nation,
        input.nation === 'scotland' ? 'SCT' : 'ENG',
        'Edited for this programme',
        JSON.stringify(normaliseYears(input.years)),
      ]),
    );
    return this.get(input.key);
  }

  /**
   * The cohorts that follow a calendar: those of programmes the person may read, by name,
   * and how many others there are besides, which the person is not told more about.
   */
  async followers(principal: Principal, key: string): Promise<{ cohorts: CalendarFollower[]; others: number }> {
    const rows: Array<{ id: string; name: string; programme_id: string; programme_name: string }> = await this.dataSource.query(
      `SELECT c.id, c.name, c.programme_id, p.name AS programme_name FROM cohorts c JOIN programmes p ON p.id = c.programme_id
        WHERE c.calendar_key = $1 ORDER BY p.name, c.starts_on, c.name`,
      [key],
    );
    const readable = new Map<string, boolean>();
    for (const row of rows) {
      if (!readable.has(row.programme_id)) readable.set(row.programme_id, principal.role === 'admin' || (await this.access.canSee(principal, 'programme', row.programme_id)));
    }
    const cohorts = rows.filter((row) => readable.get(row.programme_id)).map((row) => ({ id: row.id, name: row.name, programmeId: row.programme_id, programmeName: row.programme_name }));
    return { cohorts, others: rows.length - cohorts.length };
  }

  /**
   * Whether the person may change a calendar's dates: an admin may change any; a programme
   * manager one that no other programme's cohorts follow, since a change re-plans every
   * cohort that follows it. Anyone else reads calendars only.
   */
  async mayChange(principal: Principal, key: string): Promise<boolean> {
    if (principal.role === 'admin') return true;
    if (principal.role !== 'programme_manager') return false;
    return (await this.followers(principal, key)).others === 0;
  }

  /** Saves new term dates and re-plans every cohort that follows the calendar, in one transaction. */
  async save(principal: Principal, key: string, input: SaveCalendarDto) {
    await loadCalendar(this.dataSource.manager, key);
    this.check(input.years);
    if (principal.role !== 'admin' && (await this.followers(principal, key)).others > 0) {
      throw new Conflict('Other programmes follow this calendar too: create a calendar of your own (POST /api/v1/calendars) and point your cohorts at it');
    }
    const cohorts: Array<{ id: string }> = await this.dataSource.query(`SELECT id FROM cohorts WHERE calendar_key = $1`, [key]);
    const replanned = await this.unitOfWork.run(async (tx) => {
      await tx.manager.query(`UPDATE academic_calendars SET years = $2, name = coalesce($3, name), version = version + 1, updated_at = $4 WHERE key = $1`, [
        key,
        JSON.stringify(normaliseYears(input.years)),
        input.name ?? null,
        tx.now,
      ]);
      const outcomes = [];
      for (const cohort of cohorts) outcomes.push({ cohortId: cohort.id, ...(await replanCohort(tx, cohort.id)) });
      return outcomes;
    });
    return { ...(await this.get(key)), replanned };
  }

  private check(years: unknown): void {
    const problems = calendarProblems({ years: years as AcademicCalendar['years'] });
    if (problems.length > 0) throw new InvalidInput('The calendar is not valid', problems);
  }
}
