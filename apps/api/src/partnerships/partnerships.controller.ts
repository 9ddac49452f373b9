import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '#domain';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators.js';
import type { Page } from '../common/pagination.js';
import { AddMemberDto, BudgetOverrideDto, CreatePartnershipDto, ListPartnershipsQuery, MembershipResponse, PartnershipResponse, UpdatePartnershipDto } from './dto/partnership.dto.js';
import { PartnershipsService } from './partnerships.service.js';

@ApiTags('partnerships')
@ApiBearerAuth()
@Controller('api/v1/partnerships')
export class PartnershipsController {
  constructor(private readonly partnerships: PartnershipsService) {}

  @Post()
  @Roles('programme_manager')
  @ApiCreatedResponse({ type: PartnershipResponse })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreatePartnershipDto): Promise<PartnershipResponse> {
    return PartnershipResponse.of(await this.partnerships.create(principal, body));
  }

  @Get()
  @Roles('programme_manager', 'educational_lead', 'school_contact')
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListPartnershipsQuery): Promise<Page<PartnershipResponse>> {
    const result = await this.partnerships.list(principal, query);
    return { ...result, items: result.items.map(PartnershipResponse.of) };
  }

  @Get(':id')
  @Roles('programme_manager', 'educational_lead', 'school_contact')
  @ApiOkResponse({ type: PartnershipResponse })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<PartnershipResponse> {
    return PartnershipResponse.of(await this.partnerships.get(principal, id));
  }

  @Patch(':id')
  @Roles('programme_manager')
  async update(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdatePartnershipDto): Promise<PartnershipResponse> {
    return PartnershipResponse.of(await this.partnerships.update(principal, id, body));
  }

  @Post(':id/members')
  @Roles('programme_manager', 'educational_lead')
  @ApiCreatedResponse({ type: MembershipResponse, description: 'The school joined; its contact is welcomed by email' })
  @ApiNotFoundResponse({ description: 'No such partnership or school' })
  @ApiConflictResponse({ description: 'The school is already a member, or in another partnership of the cohort' })
  async join(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: AddMemberDto): Promise<MembershipResponse> {
    return MembershipResponse.of(await this.partnerships.join(principal, id, body.schoolId, body.role ?? 'member'));
  }

  @Delete(':id/members/:schoolId')
  @Roles('programme_manager', 'educational_lead')
  async leave(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Param('schoolId', ParseUUIDPipe) schoolId: string): Promise<MembershipResponse> {
    return MembershipResponse.of(await this.partnerships.leave(principal, id, schoolId));
  }

  @Get(':id/members')
  @Roles('programme_manager', 'educational_lead', 'school_contact')
  @ApiOkResponse({ type: [MembershipResponse] })
  async members(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<MembershipResponse[]> {
    return (await this.partnerships.members(principal, id)).map(MembershipResponse.of);
  }

  @Get(':id/budget')
  @Roles('programme_manager', 'educational_lead')
  budget(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.partnerships.budget(principal, id);
  }

  @Post(':id/budget/overrides')
  @Roles('programme_manager')
  override(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: BudgetOverrideDto) {
    return this.partnerships.recordOverride(principal, id, body.amountPence, body.reason.trim());
  }
}
