import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Clock, type Principal } from '#domain';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators.js';
import { AmbassadorRequestsService } from './ambassador-requests.service.js';
import {
  CancelAmbassadorRequestDto,
  ConfirmDeliveryDto,
  CreateAmbassadorDto,
  CreateAmbassadorRequestDto,
  ListAmbassadorRequestsQuery,
  ListAmbassadorsQuery,
  UpdateAmbassadorDto,
} from './ambassadors.dto.js';
import { ambassadorResponse, AmbassadorsService } from './ambassadors.service.js';

@ApiTags('ambassadors')
@ApiBearerAuth()
@Controller('api/v1/ambassadors')
export class AmbassadorsController {
  constructor(
    private readonly ambassadors: AmbassadorsService,
    private readonly clock: Clock,
  ) {}

  @Post()
  @Roles('programme_manager')
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateAmbassadorDto) {
    return ambassadorResponse(await this.ambassadors.create(body), principal, await this.clock.now());
  }

  @Get()
  @Roles('programme_manager')
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListAmbassadorsQuery) {
    const page = await this.ambassadors.list(query);
    const now = await this.clock.now();
    return { ...page, items: page.items.map((a) => ambassadorResponse(a, principal, now)) };
  }

  @Get(':id')
  @Roles('programme_manager', 'ambassador')
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return ambassadorResponse(await this.ambassadors.get(principal, id), principal, await this.clock.now());
  }

  @Patch(':id')
  @Roles('programme_manager', 'ambassador')
  async update(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateAmbassadorDto) {
    return ambassadorResponse(await this.ambassadors.update(principal, id, body), principal, await this.clock.now());
  }
}

const REQUESTERS = ['programme_manager', 'educational_lead', 'school_contact'] as const;

@ApiTags('ambassadors')
@ApiBearerAuth()
@Controller('api/v1')
@Roles(...REQUESTERS)
export class AmbassadorRequestsController {
  constructor(private readonly requests: AmbassadorRequestsService) {}

  @Post('schools/:id/ambassador-requests')
  create(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) schoolId: string, @Body() body: CreateAmbassadorRequestDto) {
    return this.requests.create(principal, schoolId, body);
  }

  @Get('schools/:id/ambassador-requests')
  list(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) schoolId: string) {
    return this.requests.listForSchool(principal, schoolId);
  }

  @Get('ambassador-requests')
  listAll(@CurrentPrincipal() principal: Principal, @Query() query: ListAmbassadorRequestsQuery) {
    return this.requests.list(principal, query);
  }

  @Get('ambassador-requests/:id')
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.requests.get(principal, id);
  }

  @Post('ambassador-requests/:id/cancel')
  @HttpCode(200)
  cancel(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: CancelAmbassadorRequestDto) {
    return this.requests.cancel(principal, id, body);
  }

  @Post('ambassador-requests/:id/delivery')
  @HttpCode(200)
  confirmDelivery(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ConfirmDeliveryDto) {
    return this.requests.confirmDelivery(principal, id, body);
  }
}
