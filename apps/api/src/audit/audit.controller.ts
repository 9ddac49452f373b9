import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Principal } from '#domain';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators.js';
import type { Page } from '../common/pagination.js';
import { AuditQuery, AuditService, type AuditRow } from './audit.service.js';

/** The append-only record of every write through the API and the pages, for admins. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit')
@Roles('admin')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() query: AuditQuery): Promise<Page<AuditRow>> {
    return this.audit.list(principal, query);
  }
}
