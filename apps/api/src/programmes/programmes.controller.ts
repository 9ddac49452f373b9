import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InvalidInput, type Principal } from '#domain';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators.js';
import { cohortResponse, CreateCohortDto, CreateProgrammeDto, KpiQuery, programmeResponse, ScheduleQuery, UpdateCohortDto, UpdateCohortQuery, UpdateProgrammeDto } from './dto/programme.dto.js';
import { ProgrammesService } from './programmes.service.js';

const READERS = ['programme_manager', 'educational_lead', 'school_contact'] as const;

function window(query: ScheduleQuery): { from: Date; to: Date } | undefined {
  if (!query.from && !query.to) return undefined;
  if (!query.from) throw new InvalidInput('Give the window a start', [{ field: 'from', message: 'is required with to' }]);
  const from = new Date(query.from);
  const to = query.to ? new Date(query.to) : new Date(from.getTime() + 120 * 86_400_000);
  if (to <= from) throw new InvalidInput('The window must end after it starts', [{ field: 'to', message: 'must be after from' }]);
  return { from, to };
}

@ApiTags('programmes')
@ApiBearerAuth()
@Controller('api/v1')
export class ProgrammesController {
  constructor(private readonly programmes: ProgrammesService) {}

  @Post('programmes')
  @Roles('admin')
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateProgrammeDto) {
    return programmeResponse(await this.programmes.create(principal, body));
  }

  @Get('programmes')
  @Roles(...READERS)
  async list(@CurrentPrincipal() principal: Principal) {
    return (await this.programmes.list(principal)).map(programmeResponse);
  }

  @Get('programmes/:id')
  @Roles(...READERS)
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return programmeResponse(await this.programmes.get(principal, id));
  }

  @Patch('programmes/:id')
  @Roles('programme_manager')
  async update(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateProgrammeDto) {
    return programmeResponse(await this.programmes.update(principal, id, body));
  }

  @Get('programmes/:id/kpis')
  @Roles('programme_manager', 'educational_lead')
  kpis(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() query: KpiQuery) {
    return this.programmes.kpis(principal, id, { partnershipId: query.partnershipId });
  }

  @Post('programmes/:id/cohorts')
  @Roles('programme_manager')
  async createCohort(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: CreateCohortDto) {
    return cohortResponse(await this.programmes.createCohort(principal, id, body));
  }

  @Get('programmes/:id/cohorts')
  @Roles(...READERS)
  async cohorts(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return (await this.programmes.cohorts(principal, id)).map(cohortResponse);
  }

  @Get('cohorts/:id')
  @Roles(...READERS)
  async cohort(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return cohortResponse(await this.programmes.cohort(principal, id));
  }

  @Patch('cohorts/:id')
  @Roles('programme_manager')
  async updateCohort(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateCohortDto, @Query() query: UpdateCohortQuery) {
    const dryRun = query.dryRun === 'true';
    const result = await this.programmes.updateCohort(principal, id, body, dryRun, window(query));
    return {
      ...cohortResponse(result.cohort),
      changed: result.changed,
      replanned: result.replanned,
      ...(dryRun ? { dryRun: true, schedule: result.schedule, changes: result.changes } : {}),
    };
  }

  @Get('cohorts/:id/schedule')
  @Roles('programme_manager', 'educational_lead')
  schedule(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() query: ScheduleQuery) {
    return this.programmes.schedule(principal, id, window(query));
  }
}
