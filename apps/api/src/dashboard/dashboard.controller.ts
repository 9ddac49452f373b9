import { Controller, Get, Inject, Param, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { APP_CONFIG, DomainError, SCHOOL_PHASES, type AppConfig, type Principal } from '#domain';
import { Access } from '../auth/access.js';
import { Public } from '../auth/auth.decorators.js';
import { ReportQuery } from '../reports/reports.dto.js';
import { ReportsService } from '../reports/reports.service.js';
import { DashboardAuth, type DashboardUser } from './dashboard-auth.js';
import { dashboardPage, type FilterChoices } from './dashboard-page.js';
import { PageRateLimit } from '../common/rate-limits.js';

const FILTER_KEYS = ['programmeId', 'cohortId', 'partnershipId', 'phase', 'from', 'to'] as const;

/**
 * The dashboard for programme managers and educational leads: the report figures as
 * charts and tables, filtered, with CSV and the funder export, seen through the
 * signed-in person's token scope exactly as the API would answer it.
 */
@ApiExcludeController()
@Controller('dashboard')
@Public()
@UseGuards(PageRateLimit)
export class DashboardController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: DashboardAuth,
    private readonly reports: ReportsService,
    private readonly access: Access,
    private readonly dataSource: DataSource,
  ) {}

  @Get()
  async show(@Req() req: Request, @Res() res: Response, @Query() raw: Record<string, unknown>) {
    const user = await this.signedIn(req, res);
    if (!user) return;
    const query = Object.fromEntries(FILTER_KEYS.map((k) => [k, typeof raw[k] === 'string' && raw[k] !== '' ? (raw[k] as string) : undefined]));
    const choices = await this.choices(user.principal);
    const csrfToken = res.locals.csrfToken as string;
    const page = (answers: Awaited<ReturnType<ReportsService['all']>>, error?: string) => dashboardPage({ userName: user.name, role: user.principal.role, answers, query, choices, error, csrfToken });
    const problem = await this.invalid(query);
    if (problem)
      return res
        .status(400)
        .type('text/html')
        .send(page(await this.reports.all(user.principal, {}), problem));
    try {
      return res.type('text/html').send(page(await this.reports.all(user.principal, query as ReportQuery)));
    } catch (error) {
      // A filter naming something outside the person's scope, or a range that ends before it starts.
      if (!(error instanceof DomainError)) throw error;
      return res
        .status(error.kind === 'not_found' ? 404 : 400)
        .type('text/html')
        .send(page(await this.reports.all(user.principal, {}), error.message));
    }
  }

  @Get('csv/:key')
  async csv(@Req() req: Request, @Res() res: Response, @Param('key') key: string, @Query() raw: Record<string, unknown>) {
    const user = await this.signedIn(req, res);
    if (!user) return;
    const query = Object.fromEntries(FILTER_KEYS.map((k) => [k, typeof raw[k] === 'string' && raw[k] !== '' ? raw[k] : undefined])) as ReportQuery;
    const problem = await this.invalid(query);
    if (problem) return res.status(400).type('text/plain').send(problem);
    const answer = await this.reports.figure(user.principal, key, query);
    res.setHeader('Content-Disposition', `attachment; filename="${answer.key}.csv"`);
    return res.type('text/csv; charset=utf-8').send(ReportsService.csv(answer));
  }

  @Get('export.zip')
  async exportZip(@Req() req: Request, @Res() res: Response, @Query() raw: Record<string, unknown>) {
    const user = await this.signedIn(req, res);
    if (!user) return;
    const query = Object.fromEntries(FILTER_KEYS.map((k) => [k, typeof raw[k] === 'string' && raw[k] !== '' ? raw[k] : undefined])) as ReportQuery;
    const problem = await this.invalid(query);
    if (problem) return res.status(400).type('text/plain').send(problem);
    res.setHeader('Content-Disposition', 'attachment; filename="stemflow-funder-export.zip"');
    return res.type('application/zip').send(Buffer.from(await this.reports.exportZip(user.principal, query)));
  }

  /** The dashboard's own sign-in page is gone: signing in is at the site's address. */
  @Get('sign-in')
  signInMoved(@Res() res: Response) {
    return res.redirect(301, '/');
  }

  private async signedIn(req: Request, res: Response): Promise<DashboardUser | undefined> {
    const user = await this.auth.userFor(req);
    if (!user) res.redirect(303, '/');
    return user;
  }

  /** The same checks the API's validation pipe makes, answered on the page. */
  private async invalid(query: object): Promise<string | undefined> {
    const errors = await validate(plainToInstance(ReportQuery, query), { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length === 0) return undefined;
    return `Those filters cannot be used: ${errors.map((e) => `${e.property} ${Object.values(e.constraints ?? {}).join(', ')}`).join('; ')}.`;
  }

  private async choices(principal: Principal): Promise<FilterChoices> {
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
    return { programmes, cohorts: visibleCohorts, partnerships, phases: SCHOOL_PHASES };
  }
}
