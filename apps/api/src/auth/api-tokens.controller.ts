import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '#domain';
import type { Page } from '../common/pagination.js';
import { ApiTokensService } from './api-tokens.service.js';
import { CurrentPrincipal, Roles } from './auth.decorators.js';
import { ApiTokenResponse, CreateApiTokenDto, CreatedApiTokenResponse, ListApiTokensQuery } from './dto/api-token.dto.js';

/** Bearer tokens for people and services: made (the secret shown once), listed, revoked. */
@ApiTags('tokens')
@ApiBearerAuth()
@Controller('api/v1/tokens')
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  @Post()
  @Roles('programme_manager')
  @Header('Cache-Control', 'no-store')
  @ApiCreatedResponse({ type: CreatedApiTokenResponse, description: 'The token, with its secret: keep it, it is not shown again' })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateApiTokenDto): Promise<CreatedApiTokenResponse> {
    const { token, secret } = await this.tokens.create(principal, body);
    return { ...ApiTokenResponse.of(token), token: secret };
  }

  @Get()
  @Roles('programme_manager')
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListApiTokensQuery): Promise<Page<ApiTokenResponse>> {
    const result = await this.tokens.list(principal, query);
    return { ...result, items: result.items.map(ApiTokenResponse.of) };
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @Roles('programme_manager')
  @ApiOkResponse({ type: ApiTokenResponse, description: 'Revoked from now on (or already); the bootstrap ADMIN_TOKEN is not stored and cannot be revoked here' })
  @ApiNotFoundResponse({ description: 'No such token, or one outside your programme' })
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<ApiTokenResponse> {
    return ApiTokenResponse.of(await this.tokens.revoke(principal, id));
  }
}
