import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, UnsupportedMediaTypeException } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators.js';
import type { Page } from '../common/pagination.js';
import { CreateSchoolDto, ListSchoolsQuery } from './dto/create-school.dto.js';
import { ImportReport, SchoolResponse } from './dto/school.response.js';
import { SchoolsImportService } from './schools-import.service.js';
import { SchoolsService } from './schools.service.js';

@ApiTags('schools')
@ApiBearerAuth()
@Controller('schools')
@Roles('programme_manager')
export class SchoolsController {
  constructor(
    private readonly schools: SchoolsService,
    private readonly importer: SchoolsImportService,
  ) {}

  @Post()
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
      contactName: body.contactName?.trim() ?? null,
      contactEmail: body.contactEmail?.toLowerCase() ?? null,
    });
    return SchoolResponse.of(school);
  }

  @Post('import')
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @ApiBody({
    description: 'A GIAS extract: URN, EstablishmentName, PhaseOfEducation (name) are required; TypeOfEstablishment (name), LA (name), Postcode, NumberOfPupils, Easting, Northing, ContactName, ContactEmail are read when present.',
    schema: { type: 'string' },
  })
  @ApiOkResponse({ type: ImportReport })
  async import(@Body() csv: unknown): Promise<ImportReport> {
    if (typeof csv !== 'string') throw new UnsupportedMediaTypeException('Send the CSV file as the body with "Content-Type: text/csv".');
    return this.importer.import(csv);
  }

  @Get()
  @ApiOkResponse({ description: 'A page of schools, by name' })
  async list(@Query() query: ListSchoolsQuery): Promise<Page<SchoolResponse>> {
    const result = await this.schools.list(query.page, query.pageSize, query.q);
    return { ...result, items: result.items.map(SchoolResponse.of) };
  }

  @Get(':id')
  @ApiOkResponse({ type: SchoolResponse })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<SchoolResponse> {
    return SchoolResponse.of(await this.schools.get(id));
  }
}
