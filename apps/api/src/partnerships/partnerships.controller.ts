import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators.js';
import { PageQuery, type Page } from '../common/pagination.js';
import { AddMemberDto, CreatePartnershipDto, MembershipResponse, PartnershipResponse } from './dto/partnership.dto.js';
import { PartnershipsService } from './partnerships.service.js';

@ApiTags('partnerships')
@ApiBearerAuth()
@Controller('partnerships')
@Roles('programme_manager')
export class PartnershipsController {
  constructor(private readonly partnerships: PartnershipsService) {}

  @Post()
  @ApiCreatedResponse({ type: PartnershipResponse })
  async create(@Body() body: CreatePartnershipDto): Promise<PartnershipResponse> {
    return PartnershipResponse.of(await this.partnerships.create(body.name.trim(), body.area?.trim() ?? null));
  }

  @Get()
  async list(@Query() query: PageQuery): Promise<Page<PartnershipResponse>> {
    const result = await this.partnerships.list(query.page, query.pageSize);
    return { ...result, items: result.items.map(PartnershipResponse.of) };
  }

  @Get(':id')
  @ApiOkResponse({ type: PartnershipResponse })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<PartnershipResponse> {
    return PartnershipResponse.of(await this.partnerships.get(id));
  }

  @Post(':id/members')
  @ApiCreatedResponse({ type: MembershipResponse, description: 'The school joined; its contact is welcomed by email' })
  @ApiNotFoundResponse({ description: 'No such partnership or school' })
  @ApiConflictResponse({ description: 'The school is already a member' })
  async join(@Param('id', ParseUUIDPipe) id: string, @Body() body: AddMemberDto): Promise<MembershipResponse> {
    return MembershipResponse.of(await this.partnerships.join(id, body.schoolId, body.role ?? 'member'));
  }

  @Get(':id/members')
  @ApiOkResponse({ type: [MembershipResponse] })
  async members(@Param('id', ParseUUIDPipe) id: string): Promise<MembershipResponse[]> {
    return (await this.partnerships.members(id)).map(MembershipResponse.of);
  }
}
