import { Controller, Get, Injectable, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { NotFound } from '#domain';
import { NOTIFICATION_STATUSES, Notification, NotificationAttempt, NotificationKinds } from '#notifications';
import { Roles } from '../auth/auth.decorators.js';
import { PageQuery, type Page } from '../common/pagination.js';

export class ListNotificationsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Recipient email address' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  recipient?: string;

  @ApiPropertyOptional({ enum: NOTIFICATION_STATUSES })
  @IsOptional()
  @IsIn(NOTIFICATION_STATUSES)
  status?: string;

  @ApiPropertyOptional({ enum: Object.values(NotificationKinds) })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  kind?: string;
}

export class AttemptResponse {
  @ApiProperty() attempt: number;
  @ApiProperty({ enum: ['sent', 'transient_error', 'permanent_error', 'interrupted'] }) outcome: string;
  @ApiPropertyOptional({ nullable: true, type: String }) error: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) smtpResponse: string | null;
  @ApiProperty() startedAt: string;
  @ApiProperty() finishedAt: string;
}

export class NotificationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() kind: string;
  @ApiProperty() idempotencyKey: string;
  @ApiProperty() recipientEmail: string;
  @ApiPropertyOptional({ nullable: true, type: String }) recipientName: string | null;
  @ApiProperty({ enum: NOTIFICATION_STATUSES }) status: string;
  @ApiPropertyOptional({ nullable: true, type: String }) subject: string | null;
  @ApiProperty() messageId: string;
  @ApiPropertyOptional({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty() notBefore: string;
  @ApiProperty() createdAt: string;
  @ApiPropertyOptional({ nullable: true, type: String }) sentAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) failedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) requestId: string | null;
  @ApiProperty({ type: [AttemptResponse] }) attempts: AttemptResponse[];
}

@Injectable()
export class NotificationsService {
  constructor(private readonly dataSource: DataSource) {}

  async list(query: ListNotificationsQuery): Promise<Page<NotificationResponse>> {
    const qb = this.dataSource.manager.createQueryBuilder(Notification, 'n').orderBy('n.created_at', 'DESC').addOrderBy('n.id');
    if (query.recipient) qb.andWhere('lower(n.recipient_email) = lower(:recipient)', { recipient: query.recipient });
    if (query.status) qb.andWhere('n.status = :status', { status: query.status });
    if (query.kind) qb.andWhere('n.kind = :kind', { kind: query.kind });
    const [rows, total] = await qb.skip((query.page - 1) * query.pageSize).take(query.pageSize).getManyAndCount();
    return { items: await this.withAttempts(rows), page: query.page, pageSize: query.pageSize, total };
  }

  async get(id: string): Promise<NotificationResponse> {
    const row = await this.dataSource.manager.findOneBy(Notification, { id });
    if (!row) throw new NotFound('Notification', id);
    return (await this.withAttempts([row]))[0];
  }

  private async withAttempts(rows: Notification[]): Promise<NotificationResponse[]> {
    const attempts = rows.length
      ? await this.dataSource.manager
          .createQueryBuilder(NotificationAttempt, 'a')
          .where('a.notification_id IN (:...ids)', { ids: rows.map((r) => r.id) })
          .orderBy('a.attempt')
          .addOrderBy('a.started_at')
          .getMany()
      : [];
    const iso = (d: Date | null) => d?.toISOString() ?? null;
    return rows.map((n) => ({
      id: n.id,
      kind: n.kind,
      idempotencyKey: n.idempotencyKey,
      recipientEmail: n.recipientEmail,
      recipientName: n.recipientName,
      status: n.status,
      subject: n.subject,
      messageId: n.messageId,
      lastError: n.lastError,
      notBefore: n.notBefore.toISOString(),
      createdAt: n.createdAt.toISOString(),
      sentAt: iso(n.sentAt),
      failedAt: iso(n.failedAt),
      requestId: n.requestId,
      attempts: attempts
        .filter((a) => a.notificationId === n.id)
        .map((a) => ({
          attempt: a.attempt,
          outcome: a.outcome,
          error: a.error,
          smtpResponse: a.smtpResponse,
          startedAt: a.startedAt.toISOString(),
          finishedAt: a.finishedAt.toISOString(),
        })),
    }));
  }
}

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
// The ledger names recipients across every programme: admins only until it is scoped.
@Roles('admin')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOkResponse({ description: 'Notifications, newest first, each with its attempts' })
  list(@Query() query: ListNotificationsQuery): Promise<Page<NotificationResponse>> {
    return this.notifications.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: NotificationResponse })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<NotificationResponse> {
    return this.notifications.get(id);
  }
}
