import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, UnsupportedMediaTypeException } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '#domain';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators.js';
import type { KeysetPage } from '../common/pagination.js';
import { CreateSchoolDto, ImportQuery, ListSchoolsQuery } from './dto/create-school.dto.js';
import { ChangeSchoolStatusDto, HandOverContactDto, RecordOfstedDto, UpdateSchoolIndicatorsDto } from './dto/school-records.dto.js';
import { ImportReport, SchoolResponse } from './dto/school.response.js';
import { SchoolRecordsService } from './school-records.service.js';
import { SchoolTimelineService } from './school-timeline.service.js';
import { SchoolsImportService } from './schools-import.service.js';
import { SchoolsService } from './schools.service.js';

const READERS = ['programme_manager', 'educational_lead', 'school_contact'] as const;
const iso = (d: Date | null) => d?.toISOString() ?? null;

@ApiTags('schools')
@ApiBearerAuth()
@Controller('api/v1/schools')
export class SchoolsController {
  constructor(
    private readonly schools: SchoolsService,
    private readonly importer: SchoolsImportService,
    private readonly records: SchoolRecordsService,
    private readonly timelines: SchoolTimelineService,
  ) {}

  @Post()
  @Roles('programme_manager')
  @ApiCreatedResponse({ type: SchoolResponse })
  async create(@Body() body: CreateSchoolDto): Promise<SchoolResponse> {
    const school = await this.schools.create({
      urn: body.urn,
      name: body.name.trim(),
      phase: body.phase,
      establishmentType: body.establishmentType ?? null,
      localAuthority: body.localAuthority ?? null,
      postcode: body.postcode ? body.postcode.trim().toUpperCase() : null,
      pupils: body.pupils ?? null,
      easting: null,
      northing: null,
      latitude: body.latitude ?? null,
      longitude: body.longitude ?? null,
      contactName: body.contactName?.trim() ?? null,
      contactEmail: body.contactEmail?.toLowerCase() ?? null,
    });
    return SchoolResponse.of(school);
  }

  @Post('import')
  @Roles('programme_manager')
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @ApiBody({
    description:
      'A GIAS extract: URN, EstablishmentName, PhaseOfEducation (name) are required; TypeOfEstablishment (name), LA (name), Postcode, NumberOfPupils, Easting, Northing, HeadFirstName, HeadLastName, ContactName, ContactEmail are read when present.',
    schema: { type: 'string' },
  })
  @ApiOkResponse({ type: ImportReport })
  async import(@CurrentPrincipal() principal: Principal, @Body() csv: unknown, @Query() query: ImportQuery): Promise<ImportReport> {
    if (typeof csv !== 'string') throw new UnsupportedMediaTypeException('Send the CSV file as the body with "Content-Type: text/csv".');
    return this.importer.import(principal, csv, { dryRun: query.dryRun === 'true' });
  }

  @Get()
  @Roles(...READERS)
  @ApiOkResponse({
    description:
      'A page of schools, by name, found by name, local authority, postcode or URN and filtered by status, phase, partnership or cohort; with `next` and `previous` cursors for the pages either side and a count that stops above 10,000 (`totalIsAtLeast`)',
  })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListSchoolsQuery): Promise<KeysetPage<SchoolResponse>> {
    const result = await this.schools.list(principal, query);
    return { ...result, items: result.items.map(SchoolResponse.of) };
  }

  @Get(':id')
  @Roles(...READERS)
  @ApiOkResponse({ type: SchoolResponse })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<SchoolResponse> {
    return SchoolResponse.of(await this.schools.get(principal, id));
  }

  @Patch(':id')
  @Roles('programme_manager', 'educational_lead')
  async updateIndicators(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateSchoolIndicatorsDto) {
    return SchoolResponse.of(await this.records.updateIndicators(principal, id, body));
  }

  @Get(':id/timeline')
  @Roles(...READERS)
  timeline(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.timelines.timeline(principal, id);
  }

  @Post(':id/status')
  @Roles('programme_manager', 'educational_lead')
  @HttpCode(200)
  async changeStatus(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ChangeSchoolStatusDto) {
    return SchoolResponse.of(await this.records.changeStatus(principal, id, body));
  }

  @Get(':id/status-history')
  @Roles(...READERS)
  async statusHistory(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return (await this.records.statusHistory(principal, id)).map((c) => ({ from: c.fromStatus, to: c.toStatus, reason: c.reason, at: c.changedAt.toISOString() }));
  }

  @Post(':id/contacts')
  @Roles('programme_manager', 'educational_lead', 'school_contact')
  async handOver(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: HandOverContactDto) {
    const c = await this.records.handOver(principal, id, body);
    return { id: c.id, role: c.role, name: c.name, email: c.email, from: iso(c.fromAt), until: iso(c.untilAt) };
  }

  @Get(':id/contacts')
  @Roles(...READERS)
  async contacts(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return (await this.records.contacts(principal, id)).map((c) => ({ id: c.id, role: c.role, name: c.name, email: c.email, from: iso(c.fromAt), until: iso(c.untilAt) }));
  }

  @Post(':id/ofsted')
  @Roles('programme_manager', 'educational_lead')
  async recordOfsted(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: RecordOfstedDto) {
    const o = await this.records.recordOfsted(principal, id, body);
    return { id: o.id, inspectedOn: o.inspectedOn, rating: o.rating };
  }

  @Get(':id/ofsted')
  @Roles(...READERS)
  async ofsted(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return (await this.records.ofsted(principal, id)).map((o) => ({ id: o.id, inspectedOn: o.inspectedOn, rating: o.rating }));
  }
}
