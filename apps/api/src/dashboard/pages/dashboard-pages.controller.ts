import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { APP_CONFIG, InvalidInput, type AppConfig } from '#domain';
import { ReportsService } from '../../reports/reports.service.js';
import type { FormErrors } from '../../web/forms.js';
import { validateForm } from '../../web/forms.js';
import { Staff, StaffPages } from '../../web/staff-pages.js';
import type { DashboardUser } from '../dashboard-auth.js';
import { DASHBOARD_ROWS, dashboardView } from '../dashboard-view.js';
import { DashboardFilterForm, FILTER_FIELDS } from './dashboard-filter.form.js';

/**
 * Reports in the console: every figure with its title, definition, chart and table,
 * filtered, with a CSV per figure and the funder export. The figures are the API's,
 * computed by the same service with the signed-in person's principal, so a person sees
 * exactly what their token would.
 */
@Controller('dashboard')
@StaffPages()
export class DashboardPagesController {
  constructor(
    private readonly reports: ReportsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async show(@Staff() user: DashboardUser, @Query() query: unknown, @Res() res: Response) {
    const choices = await this.reports.filterChoices(user.principal);
    const form = await validateForm(DashboardFilterForm, query);
    if (!form.ok) return res.status(400).render('dashboard/pages/dashboard', { choices, values: form.values, errors: form.errors });
    const values = Object.fromEntries(FILTER_FIELDS.flatMap((field) => (form.value[field] ? [[field, form.value[field]]] : [])));
    try {
      const answers = await this.reports.all(user.principal, form.value, DASHBOARD_ROWS);
      const filterQuery = new URLSearchParams(values).toString();
      return res.render('dashboard/pages/dashboard', {
        choices,
        values,
        groups: dashboardView(answers),
        keptFigures: answers.filter((a) => a.source === 'snapshot').length,
        figureCount: answers.length,
        refreshMinutes: this.config.reportSnapshotsEveryMinutes,
        filterQuery: filterQuery ? `?${filterQuery}` : '',
      });
    } catch (error) {
      // A range that ends before it starts is the person's to correct, beside the form.
      if (!(error instanceof InvalidInput)) throw error;
      return res.status(400).render('dashboard/pages/dashboard', { choices, values, errors: errorsFrom(error) });
    }
  }

  @Get('csv/:key')
  async csv(@Staff() user: DashboardUser, @Param('key') key: string, @Query() query: unknown, @Res() res: Response) {
    const answer = await this.reports.figure(user.principal, key, await this.filters(query));
    res.setHeader('Content-Disposition', `attachment; filename="${answer.key}.csv"`);
    return res.type('text/csv; charset=utf-8').send(ReportsService.csv(answer));
  }

  @Get('export.zip')
  async exportZip(@Staff() user: DashboardUser, @Query() query: unknown, @Res() res: Response) {
    const zip = await this.reports.exportZip(user.principal, await this.filters(query));
    res.setHeader('Content-Disposition', 'attachment; filename="stemflow-funder-export.zip"');
    res.type('application/zip');
    // A zip that fails part way ends the download short rather than sending a broken file as whole.
    zip.on('error', () => res.destroy());
    zip.pipe(res);
  }

  /** The dashboard's own sign-in page is gone: signing in is at the site's address. */
  @Get('sign-in')
  signInMoved(@Res() res: Response) {
    return res.redirect(301, '/');
  }

  /** A download's filters, checked as the page's are; refused ones are a problem page (the links on the page carry good ones). */
  private async filters(query: unknown): Promise<DashboardFilterForm> {
    const form = await validateForm(DashboardFilterForm, query);
    if (!form.ok) throw new InvalidInput(form.errors.list.map((e) => e.text).join('. '));
    return form.value;
  }
}

function errorsFrom(error: InvalidInput): FormErrors {
  const fields = error.fields.length > 0 ? error.fields.map((f) => f.field) : ['from'];
  return { list: [{ text: error.message, href: `#${fields[0]}` }], byField: Object.fromEntries(fields.map((field) => [field, { text: error.message }])) };
}
