import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Principal } from '#domain';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators.js';
import { CorrectEnrichmentEventDto, EnrichmentEventDto, ListEnrichmentQuery } from './enrichment.dto.js';
import { EnrichmentService } from './enrichment.service.js';

@ApiTags('enrichment')
@ApiBearerAuth()
@Controller('api/v1/enrichment-events')
@Roles('programme_manager', 'educational_lead', 'school_contact')
export class EnrichmentController {
  constructor(private readonly enrichment: EnrichmentService) {}

  @Post()
  record(@CurrentPrincipal() principal: Principal, @Body() body: EnrichmentEventDto) {
    return this.enrichment.record(principal, body);
  }

  /** A correction: the whole event as it should read, and why; the old version stays in the history. */
  @Put(':id')
  correct(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: CorrectEnrichmentEventDto) {
    return this.enrichment.correct(principal, id, body);
  }

  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListEnrichmentQuery) {
    return this.enrichment.list(principal, query);
  }

  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.enrichment.get(principal, id);
  }
}
