import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Principal } from '#domain';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators.js';
import { ExportQuery, RecordConsentDto } from './privacy.dto.js';
import { PrivacyService } from './privacy.service.js';
import { exportView } from './views/export-view.js';

/** A person's consent log, their subject-access export and their erasure. */
@ApiTags('privacy')
@ApiBearerAuth()
@Controller('api/v1/people/:id')
export class PrivacyController {
  constructor(private readonly privacy: PrivacyService) {}

  @Get('consents')
  @Roles('programme_manager', 'educational_lead', 'school_contact')
  consents(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.privacy.consents(principal, id);
  }

  @Post('consents')
  @Roles('programme_manager', 'educational_lead', 'school_contact')
  recordConsent(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: RecordConsentDto) {
    return this.privacy.recordConsent(principal, id, body);
  }

  /** JSON by default; a readable page with Accept: text/html or ?format=html. */
  @Get('export')
  @Roles('programme_manager')
  @ApiProduces('application/json', 'text/html')
  async export(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() query: ExportQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const data = await this.privacy.export(principal, id);
    res.setHeader('Cache-Control', 'no-store');
    const html = query.format === 'html' || (!query.format && req.accepts(['application/json', 'text/html']) === 'text/html');
    if (!html) return data;
    // The console's page, without the console around it: a token holder has no session.
    const page = await new Promise<string>((resolve, reject) => res.render('privacy/views/export', exportView(data), (error: Error | null, out: string) => (error ? reject(error) : resolve(out))));
    res.type('text/html');
    return page;
  }

  @Post('erase')
  @HttpCode(200)
  @Roles('programme_manager')
  erase(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.privacy.erase(principal, id);
  }
}

/** Erasure of a STEM Ambassador, whose record is the shared pool's: by an admin or the ambassador themself. */
@ApiTags('privacy')
@ApiBearerAuth()
@Controller('api/v1/ambassadors/:id')
export class AmbassadorPrivacyController {
  constructor(private readonly privacy: PrivacyService) {}

  @Post('erase')
  @HttpCode(200)
  @Roles('ambassador')
  erase(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.privacy.eraseAmbassador(principal, id);
  }
}
