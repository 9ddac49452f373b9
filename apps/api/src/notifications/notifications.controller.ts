import { Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { InvalidInput, type Principal } from '#domain';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators.js';
import type { KeysetPage } from '../common/pagination.js';
import { ListNotificationsQuery, NotificationResponse, NotificationsService } from './notifications.service.js';

/**
 * The email ledger: a programme's managers read and resend their programme's emails, a lead
 * their partnership's, admins everyone's (docs/ownership.md).
 */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/v1/notifications')
@Roles('programme_manager', 'educational_lead')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOkResponse({
    description:
      'Notifications the caller may see, newest first, each with its attempts; `next` and `previous` cursors for the pages either side, and a count that stops above 10,000 (`totalIsAtLeast`)',
  })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListNotificationsQuery): Promise<KeysetPage<NotificationResponse>> {
    return this.notifications.list(principal, query);
  }

  /** One address's mail across every programme, and what it opted out of: the platform's, so admins only. */
  @Get('recipients/:email')
  @Roles('admin')
  recipient(@Param('email') email: string) {
    if (!/^[^\s@]{1,64}@[^\s@]{1,190}$/.test(email)) throw new InvalidInput('That is not an email address', [{ field: 'email', message: 'must be an email address' }]);
    return this.notifications.forRecipient(email);
  }

  @Post(':id/resend')
  @ApiCreatedResponse({ type: NotificationResponse })
  resend(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<NotificationResponse> {
    return this.notifications.resend(principal, id);
  }

  @Get(':id')
  @ApiOkResponse({ type: NotificationResponse })
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<NotificationResponse> {
    return this.notifications.get(principal, id);
  }
}
