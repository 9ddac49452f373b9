import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Principal } from '#domain';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators.js';
import { CohortEvaluationsQuery, CohortSelfEvaluationDto, UploadFrameworkDto } from './dto/self-evaluation.dto.js';
import { SelfEvaluationService } from './self-evaluation.service.js';

const READERS = ['programme_manager', 'educational_lead', 'school_contact'] as const;

@ApiTags('self-evaluation')
@ApiBearerAuth()
@Controller('api/v1')
export class SelfEvaluationController {
  constructor(private readonly service: SelfEvaluationService) {}

  @Get('frameworks')
  @Roles(...READERS)
  frameworks(@CurrentPrincipal() principal: Principal) {
    return this.service.listFrameworks(principal);
  }

  @Get('frameworks/:key')
  @Roles(...READERS)
  framework(@CurrentPrincipal() principal: Principal, @Param('key') key: string) {
    return this.service.framework(principal, key);
  }

  @Post('frameworks')
  @Roles('programme_manager')
  upload(@CurrentPrincipal() principal: Principal, @Body() body: UploadFrameworkDto) {
    return this.service.upload(principal, body);
  }

  @Get('cohorts/:id/self-evaluation')
  @Roles(...READERS)
  choice(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.service.choice(principal, id);
  }

  @Put('cohorts/:id/self-evaluation')
  @Roles('programme_manager')
  choose(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: CohortSelfEvaluationDto) {
    return this.service.choose(principal, id, body);
  }

  @Get('cohorts/:id/self-evaluations')
  @Roles(...READERS)
  forCohort(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() query: CohortEvaluationsQuery) {
    return this.service.forCohort(principal, id, query.term);
  }

  @Get('schools/:id/self-evaluations')
  @Roles(...READERS)
  forSchool(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.service.forSchool(principal, id);
  }

  @Get('self-evaluations/:id')
  @Roles(...READERS)
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.service.get(principal, id);
  }
}
