import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '#domain';
import type { Page } from '../common/pagination.js';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators.js';
import { AccountsService } from './accounts.service.js';
import { ChangeUserDto, InviteUserDto, ListUsersQuery, UserResponse } from './dto/user.dto.js';

/** People with access to the console: invited by email, given a role and a scope, revoked. */
@ApiTags('users')
@ApiBearerAuth()
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly accounts: AccountsService) {}

  @Get()
  @Roles('programme_manager')
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListUsersQuery): Promise<Page<UserResponse>> {
    const result = await this.accounts.list(principal, query);
    return { ...result, items: result.items.map(UserResponse.of) };
  }

  @Post()
  @Roles('programme_manager')
  @ApiCreatedResponse({ type: UserResponse, description: 'Invited: an email with a one-time sign-in link is on its way' })
  @ApiConflictResponse({ description: 'Someone with this email address already has access' })
  async invite(@CurrentPrincipal() principal: Principal, @Body() body: InviteUserDto): Promise<UserResponse> {
    return UserResponse.of(await this.accounts.invite(principal, body));
  }

  @Get(':id')
  @Roles('programme_manager')
  @ApiNotFoundResponse({ description: 'No such person, or one outside your programme' })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<UserResponse> {
    return UserResponse.of(await this.accounts.get(principal, id));
  }

  @Patch(':id')
  @Roles('programme_manager')
  @ApiOkResponse({ type: UserResponse, description: 'The new role and scope hold from their next request' })
  async change(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ChangeUserDto): Promise<UserResponse> {
    return UserResponse.of(await this.accounts.change(principal, id, body));
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @Roles('programme_manager')
  @ApiOkResponse({ type: UserResponse, description: 'Access ended now, with every session of theirs' })
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<UserResponse> {
    return UserResponse.of(await this.accounts.revoke(principal, id));
  }
}
