import { Controller, Get, Param, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Principal } from '#domain';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators.js';
import { ReportQuery } from './reports.dto.js';
import { ReportsService } from './reports.service.js';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/v1/reports')
@Roles('programme_manager', 'educational_lead')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  /** Every figure with its definition and columns. */
  @Get()
  list() {
    return { items: this.reports.list() };
  }

  /** The funder export: a zip of one CSV per figure group and a README of definitions. */
  @Get('export.zip')
  @ApiProduces('application/zip')
  async exportZip(@CurrentPrincipal() principal: Principal, @Query() query: ReportQuery, @Res({ passthrough: true }) res: Response) {
    const zip = await this.reports.exportZip(principal, query);
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Disposition', 'attachment; filename="stemflow-funder-export.zip"');
    return new StreamableFile(zip);
  }

  /** One figure, computed now, as JSON or CSV (`?format=csv` or `Accept: text/csv`). */
  @Get(':key')
  @ApiProduces('application/json', 'text/csv')
  async figure(@CurrentPrincipal() principal: Principal, @Param('key') key: string, @Query() query: ReportQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const answer = await this.reports.figure(principal, key, query);
    const wantsCsv = query.format === 'csv' || (query.format === undefined && /\btext\/csv\b/.test(req.headers.accept ?? ''));
    if (!wantsCsv) return answer;
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${answer.key}.csv"`);
    return ReportsService.csv(answer);
  }
}
