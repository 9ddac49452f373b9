import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '#domain';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators.js';
import type { KeysetPage } from '../common/pagination.js';
import { AuditQuery, AuditService, type AuditRow } from './audit.service.js';

/** The append-only record of every write through the API and the pages, for admins. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit')
@Roles('admin')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOkResponse({ description: 'Entries newest first, with `next` and `previous` cursors for the pages either side and a count that stops above 10,000 (`totalIsAtLeast`)' })
  list(@CurrentPrincipal() principal: Principal, @Query() query: AuditQuery): Promise<KeysetPage<AuditRow>> {
    return this.audit.list(principal, query);
  }
}
