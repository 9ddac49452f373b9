import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsString, MaxLength } from 'class-validator';
import { DataSource, In } from 'typeorm';
import { APP_CONFIG, Conflict, currentRequestId, JobNames, NotFound, PRIVATE_TOKEN, Queues, UnitOfWork, withPrivatePageAddresses, type AppConfig, type Principal, type SendJobData } from '#domain';
import {
  isNotificationKind,
  NOTIFICATION_STATUSES,
  Notification,
  NotificationAttempt,
  NotificationKinds,
  notify,
  renderNotification,
  sendJobOptions,
  TRANSACTIONAL_KINDS,
  type RenderedMessage,
} from '#notifications';
import { Access } from '../auth/access.js';
import { boundedCount, keysetPage, KeysetPageQuery, keysetRead, keysetTime, type KeysetPage } from '../common/pagination.js';
import { MayBeOmitted } from '../common/validation.js';

export class ListNotificationsQuery extends KeysetPageQuery {
  @ApiPropertyOptional({ description: "The recipient's email address (exactly), or part of their address or name" })
  @MayBeOmitted()
  @IsString()
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

  @ApiPropertyOptional({ example: '2027-01-01T00:00:00Z', description: 'Decided at or after' })
  @MayBeOmitted()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ example: '2027-02-01T00:00:00Z', description: 'Decided before (exclusive)' })
  @MayBeOmitted()
  @IsISO8601({ strict: true })
  to?: string;
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
  @ApiProperty() updatedAt: string;
  @ApiPropertyOptional({ nullable: true, type: String }) sentAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) failedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) requestId: string | null;
  @ApiProperty() priority: number;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The notification this one resends' }) resendOf: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid', description: 'The programme it was sent for (null: mail about no programme)' }) programmeId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) partnershipId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) schoolId: string | null;
  @ApiProperty({ type: [AttemptResponse] }) attempts: AttemptResponse[];
}

/** An email as its recipient saw it, their own links left out. */
export type MessageAsSent = Pick<RenderedMessage, 'subject' | 'text' | 'html'>;

const EMAIL_ADDRESS = /^[^\s@]{1,64}@[^\s@]{1,190}$/;

/**
 * The email ledger: every notification decided, sent or not, read by the same rule as the
 * records it is about (`Access.notificationCondition`), for the API and the pages alike.
 */
@Injectable()
export class NotificationsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly access: Access,
    @InjectQueue(Queues.Notifications) private readonly queue: Queue,
  ) {}

  /**
   * Newest first. Each filter has an index of its own (or the scope's), so a page stays quick
   * at hundreds of thousands of rows; a cursor's page starts in the index at its place, so
   * the thousandth page is as quick as the first, and the count stops at ten thousand.
   */
  async list(principal: Principal, query: ListNotificationsQuery): Promise<KeysetPage<NotificationResponse>> {
    const conditions = [this.access.notificationCondition(principal)];
    const params: Record<string, unknown> = { ...this.access.params(principal) };
    const recipient = query.recipient?.trim();
    if (recipient && EMAIL_ADDRESS.test(recipient)) {
      conditions.push('lower(n.recipient_email) = lower(:recipient)');
      params.recipient = recipient;
    } else if (recipient) {
      conditions.push(`(n.recipient_email ILIKE :pattern OR n.recipient_name ILIKE :pattern)`);
      params.pattern = `%${recipient.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    }
    if (query.status) conditions.push('n.status = :status');
    if (query.kind) conditions.push('n.kind = :kind');
    if (query.skipReason) conditions.push('position(lower(:skipReason) in lower(n.skip_reason)) > 0');
    if (query.from) conditions.push('n.created_at >= :from');
    if (query.to) conditions.push('n.created_at < :to');
    Object.assign(params, { status: query.status, kind: query.kind, skipReason: query.skipReason, from: query.from, to: query.to });
    const where = conditions.join(' AND ');
    const read = keysetRead(query);
    const [countSql, countValues] = this.dataSource.driver.escapeQueryWithParameters(boundedCount(`notifications n WHERE ${where}`), params);
    const [{ total }]: Array<{ total: number }> = await this.dataSource.query(countSql, countValues);
    const [sql, values] = this.dataSource.driver.escapeQueryWithParameters(
      `SELECT n.id, ${keysetTime('n.created_at')} AS keyset_at FROM notifications n
        WHERE ${where} AND ${read.condition('n.created_at', 'n.id', ':keysetAt', ':keysetId')}
        ORDER BY ${read.order('n.created_at', 'n.id')} LIMIT ${read.limit} OFFSET ${read.offset}`,
      { ...params, keysetAt: read.key?.value, keysetId: read.key?.id },
    );
    const keys: Array<{ id: string; keyset_at: string }> = await this.dataSource.query(sql, values);
    const found = keys.length ? await this.dataSource.manager.findBy(Notification, { id: In(keys.map((k) => k.id)) }) : [];
    const items = new Map((await this.withAttempts(found)).map((n) => [n.id, n]));
    const rows = keys.flatMap((k) => {
      const item = items.get(k.id);
      return item ? [{ item, key: { value: k.keyset_at, id: k.id } }] : [];
    });
    return keysetPage(query, read, rows, total);
  }

  /** Everything sent (or decided) for one address, and the kinds of email it has opted out of: the admins' view of one person's mail. */
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

  /** Sends a notification again: a new ledger row that names the one it repeats, about the same records. */
  async resend(principal: Principal, id: string): Promise<NotificationResponse> {
    const original = await this.visible(principal, id);
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
          about: { programmeId: original.programmeId, cohortId: original.cohortId, partnershipId: original.partnershipId, schoolId: original.schoolId },
        },
        tx.now,
      );
    });
    await this.queue.add(
      JobNames.SendNotification,
      { notificationId: notification.id, requestId: notification.requestId } satisfies SendJobData,
      sendJobOptions(notification.id, 1, { attempts: this.config.sendMaxAttempts, baseMs: this.config.sendRetryBaseMs }),
    );
    return this.get(principal, notification.id);
  }

  async get(principal: Principal, id: string): Promise<NotificationResponse> {
    return (await this.withAttempts([await this.visible(principal, id)]))[0];
  }

  /** The resends of a notification the principal may see, oldest first. */
  async resends(principal: Principal, id: string): Promise<NotificationResponse[]> {
    await this.visible(principal, id);
    const rows = await this.dataSource.manager.find(Notification, { where: { resendOf: id }, order: { createdAt: 'ASC' } });
    return this.withAttempts(rows);
  }

  /**
   * The email as it reached (or would have reached) the recipient, rendered again from what
   * the ledger keeps; the recipient's own links (a page's token, their unsubscribe link)
   * are shown without their secret. Null when its kind is no longer sent or its data no
   * longer renders.
   */
  async message(principal: Principal, id: string): Promise<MessageAsSent | null> {
    const row = await this.visible(principal, id);
    if (!isNotificationKind(row.kind)) return null;
    const base = this.config.publicBaseUrl.replace(/\/+$/, '');
    const data = withPrivatePageAddresses(row.data, this.config.publicBaseUrl);
    try {
      const { subject, text, html } = renderNotification(row.kind, {
        publicBaseUrl: this.config.publicBaseUrl,
        ...data,
        unsubscribeUrl: TRANSACTIONAL_KINDS.has(row.kind) ? undefined : `${base}/u/${PRIVATE_TOKEN}`,
      });
      return { subject, text, html };
    } catch {
      return null;
    }
  }

  /** The row, if the principal may see it; otherwise exactly what an absent one answers. */
  private async visible(principal: Principal, id: string): Promise<Notification> {
    const row = await this.dataSource.manager
      .createQueryBuilder(Notification, 'n')
      .where('n.id = :id', { id })
      .andWhere(this.access.notificationCondition(principal), this.access.params(principal))
      .getOne();
    if (!row) throw new NotFound('Notification', id);
    return row;
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
      updatedAt: n.updatedAt.toISOString(),
      sentAt: iso(n.sentAt),
      failedAt: iso(n.failedAt),
      requestId: n.requestId,
      priority: n.priority,
      resendOf: n.resendOf,
      programmeId: n.programmeId,
      partnershipId: n.partnershipId,
      schoolId: n.schoolId,
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
