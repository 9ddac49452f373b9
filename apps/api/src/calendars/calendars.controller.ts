import { Body, Controller, Get, Injectable, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsArray, IsIn, IsString, Length, Matches } from 'class-validator';
import { DataSource } from 'typeorm';
import { calendarProblems, Conflict, normaliseYears, InvalidInput, loadCalendar, NotFound, replanCohort, UnitOfWork, type AcademicCalendar, type Principal } from '#domain';
import { Access } from '../auth/access.js';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators.js';
import { IsOneLine, MayBeOmitted } from '../common/validation.js';

export class SaveCalendarDto {
  @ApiPropertyOptional({ example: 'Middlesbrough 2026–28' }) @MayBeOmitted() @IsOneLine() @IsString() @Length(1, 200) name?: string;

  @ApiProperty({
    description: 'Academic years, each with its terms and their breaks (YYYY-MM-DD, inclusive)',
    example: [{ label: '2026/27', terms: [{ name: 'autumn', starts: '2026-09-02', ends: '2026-12-18', breaks: [{ name: 'October half-term', starts: '2026-10-26', ends: '2026-10-30' }] }] }],
  })
  @IsArray()
  years: AcademicCalendar['years'];
}

export class CreateCalendarDto extends SaveCalendarDto {
  @ApiProperty({ example: 'middlesbrough' }) @IsString() @Matches(/^[a-z0-9][a-z0-9-]{1,40}$/) key: string;
  @ApiProperty({ enum: ['england', 'scotland'] }) @IsIn(['england', 'scotland']) nation: AcademicCalendar['nation'];
}

@Injectable()
export class CalendarsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly access: Access,
  ) {}

  async list() {
    const rows: Array<{ key: string; name: string; nation: string; version: number }> = await this.dataSource.query(`SELECT key, name, nation, version FROM academic_calendars ORDER BY key`);
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

  /** Saves new term dates and re-plans every cohort that follows the calendar, in one transaction. */
  async save(principal: Principal, key: string, input: SaveCalendarDto) {
    await loadCalendar(this.dataSource.manager, key);
    this.check(input.years);
    const cohorts: Array<{ id: string; programme_id: string }> = await this.dataSource.query(`SELECT id, programme_id FROM cohorts WHERE calendar_key = $1`, [key]);
    if (principal.role !== 'admin') {
      for (const cohort of cohorts) {
        if (!(await this.access.canSee(principal, 'programme', cohort.programme_id))) {
          throw new Conflict('Other programmes follow this calendar too: create a calendar of your own (POST /api/v1/calendars) and point your cohorts at it');
        }
      }
    }
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

@ApiTags('calendars')
@ApiBearerAuth()
@Controller('api/v1/calendars')
export class CalendarsController {
  constructor(private readonly calendars: CalendarsService) {}

  @Get()
  @Roles('programme_manager', 'educational_lead', 'school_contact')
  list() {
    return this.calendars.list();
  }

  @Get(':key')
  @Roles('programme_manager', 'educational_lead', 'school_contact')
  get(@Param('key') key: string) {
    if (!/^[a-z0-9][a-z0-9-]{1,40}$/.test(key)) throw new NotFound('Academic calendar', key);
    return this.calendars.get(key);
  }

  @Post()
  @Roles('programme_manager')
  create(@Body() body: CreateCalendarDto) {
    return this.calendars.create(body);
  }

  @Put(':key')
  @Roles('programme_manager')
  save(@CurrentPrincipal() principal: Principal, @Param('key') key: string, @Body() body: SaveCalendarDto) {
    if (!/^[a-z0-9][a-z0-9-]{1,40}$/.test(key)) throw new NotFound('Academic calendar', key);
    return this.calendars.save(principal, key, body);
  }
}
