import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Principal } from '#domain';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators.js';
import { PageQuery } from '../common/pagination.js';
import { RetentionService } from './retention.service.js';

/** The retention policy's runs (daily in the worker), and a run now through the same code. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v1/admin')
@Roles('admin')
export class RetentionController {
  constructor(private readonly retention: RetentionService) {}

  @Post('retention/run')
  @HttpCode(200)
  run(@CurrentPrincipal() principal: Principal) {
    return this.retention.run(principal);
  }

  @Get('retention-runs')
  runs(@CurrentPrincipal() principal: Principal, @Query() query: PageQuery) {
    return this.retention.runs(principal, query);
  }
}
