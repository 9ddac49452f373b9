import { InjectQueue } from '@nestjs/bullmq';
import { Controller, Get, Inject, Injectable, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsEmail, IsIn, IsString, MaxLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { APP_CONFIG, Conflict, currentRequestId, InvalidInput, JobNames, NotFound, Queues, UnitOfWork, type AppConfig, type SendJobData } from '#domain';
import { isNotificationKind, NOTIFICATION_STATUSES, Notification, NotificationAttempt, NotificationKinds, notify, sendJobOptions } from '#notifications';
import { Roles } from '../auth/auth.decorators.js';
import { PageQuery, type Page } from '../common/pagination.js';
import { MayBeOmitted } from '../common/validation.js';

export class ListNotificationsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Recipient email address' })
  @MayBeOmitted()
  @IsEmail()
  @MaxLength(254)
  recipient?: string;

  @ApiPropertyOptional({ enum: NOTIFICATION_STATUSES })
  @MayBeOmitted()
  @IsIn(NOTIFICATION_STATUSES)
  status?: string;

  @ApiPropertyOptional({ description: 'Skipped notifications whose reason contains this text, e.g. "objected"' })
  @MayBeOmitted()
  @IsString()
  @MaxLength(200)
  skipReason?: string;

  @ApiPropertyOptional({ enum: Object.values(NotificationKinds) })
  @MayBeOmitted()
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
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Why it was not sent, when skipped: the recipient objected to its purpose, has not said yes to one that needs it, unsubscribed, or what it was about changed',
  })
  skipReason: string | null;
  @ApiProperty() notBefore: string;
  @ApiProperty() createdAt: string;
  @ApiPropertyOptional({ nullable: true, type: String }) sentAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) failedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) requestId: string | null;
  @ApiProperty() priority: number;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The notification this one resends' }) resendOf: string | null;
  @ApiProperty({ type: [AttemptResponse] }) attempts: AttemptResponse[];
}

@Injectable()
export class NotificationsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    @InjectQueue(Queues.Notifications) private readonly queue: Queue,
  ) {}

  async list(query: ListNotificationsQuery): Promise<Page<NotificationResponse>> {
    const qb = this.dataSource.manager.createQueryBuilder(Notification, 'n').orderBy('n.created_at', 'DESC').addOrderBy('n.id');
    if (query.recipient) qb.andWhere('lower(n.recipient_email) = lower(:recipient)', { recipient: query.recipient });
    if (query.status) qb.andWhere('n.status = :status', { status: query.status });
    if (query.kind) qb.andWhere('n.kind = :kind', { kind: query.kind });
    if (query.skipReason) qb.andWhere('position(lower(:skipReason) in lower(n.skip_reason)) > 0', { skipReason: query.skipReason });
    const [rows, total] = await qb
      .skip((query.page - 1) * query.pageSize)
      .take(query.pageSize)
      .getManyAndCount();
    return { items: await this.withAttempts(rows), page: query.page, pageSize: query.pageSize, total };
  }

  /** Everything sent (or decided) for one address, and the kinds of email it has opted out of. */
  async forRecipient(email: string) {
    const rows = await this.dataSource.manager.createQueryBuilder(Notification, 'n').where('lower(n.recipient_email) = lower(:email)', { email }).orderBy('n.created_at', 'DESC').take(500).getMany();
    const optOuts: Array<{ kind: string; opted_out_at: Date; source: string }> = await this.dataSource.query(
      `SELECT kind, opted_out_at, source FROM communication_preferences WHERE email = lower($1) ORDER BY opted_out_at`,
      [email],
    );
    return {
      recipient: email.toLowerCase(),
      optedOut: optOuts.map((o) => ({ kind: o.kind, at: new Date(o.opted_out_at).toISOString(), source: o.source })),
      notifications: await this.withAttempts(rows),
    };
  }

  /** Sends a notification again: a new ledger row that names the one it repeats. */
  async resend(id: string): Promise<NotificationResponse> {
    const original = await this.dataSource.manager.findOneBy(Notification, { id });
    if (!original) throw new NotFound('Notification', id);
    if (!isNotificationKind(original.kind)) throw new Conflict(`Notifications of kind ${original.kind} can no longer be sent`);
    const kind = original.kind;
    const { notification } = await this.unitOfWork.run(async (tx) => {
      const [{ n }]: Array<{ n: string }> = await tx.manager.query(`SELECT count(*) AS n FROM notifications WHERE resend_of = $1`, [id]);
      return notify(
        tx.manager,
        {
          key: `resend:${id}:${Number(n) + 1}`,
          kind,
          recipient: { email: original.recipientEmail, name: original.recipientName },
          data: original.data,
          notBefore: tx.now,
          requestId: currentRequestId() ?? null,
          resendOf: id,
        },
        tx.now,
      );
    });
    await this.queue.add(
      JobNames.SendNotification,
      { notificationId: notification.id, requestId: notification.requestId } satisfies SendJobData,
      sendJobOptions(notification.id, 1, { attempts: this.config.sendMaxAttempts, baseMs: this.config.sendRetryBaseMs }),
    );
    return this.get(notification.id);
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
      skipReason: n.skipReason,
      notBefore: n.notBefore.toISOString(),
      createdAt: n.createdAt.toISOString(),
      sentAt: iso(n.sentAt),
      failedAt: iso(n.failedAt),
      requestId: n.requestId,
      priority: n.priority,
      resendOf: n.resendOf,
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
@Controller('api/v1/notifications')
// The ledger names recipients across every programme: admins only until it is scoped.
@Roles('admin')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOkResponse({ description: 'Notifications, newest first, each with its attempts' })
  list(@Query() query: ListNotificationsQuery): Promise<Page<NotificationResponse>> {
    return this.notifications.list(query);
  }

  @Get('recipients/:email')
  recipient(@Param('email') email: string) {
    if (!/^[^\s@]{1,64}@[^\s@]{1,190}$/.test(email)) throw new InvalidInput('That is not an email address', [{ field: 'email', message: 'must be an email address' }]);
    return this.notifications.forRecipient(email);
  }

  @Post(':id/resend')
  @ApiCreatedResponse({ type: NotificationResponse })
  resend(@Param('id', ParseUUIDPipe) id: string): Promise<NotificationResponse> {
    return this.notifications.resend(id);
  }

  @Get(':id')
  @ApiOkResponse({ type: NotificationResponse })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<NotificationResponse> {
    return this.notifications.get(id);
  }
}
