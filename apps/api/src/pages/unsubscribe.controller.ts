import { Body, Controller, Get, HttpCode, Injectable, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { hashToken, recordConsent, UnitOfWork } from '#domain';
import { purposeOf } from '#notifications';
import { Public } from '../auth/auth.decorators.js';
import { PageRateLimit } from '../common/rate-limits.js';
import { sendEmailedPage } from './emailed-pages.js';

const KIND_NAMES: Record<string, string> = {
  'school.welcome': 'partnership welcome emails',
  'booking.session_reminder': 'reminders before CPD sessions',
  'school.term_start': 'start-of-term emails',
  'survey.invitation': 'evaluation surveys',
  'survey.reminder': 'evaluation surveys',
  'self_evaluation.invitation': 'self-evaluation invitations',
  'self_evaluation.reminder': 'self-evaluation reminders',
  'self_evaluation.overdue': 'overdue self-evaluation notices',
  'ambassador.offer': 'STEM Ambassador requests',
  'ambassador.check_renewal': 'safeguarding check renewal reminders',
};

@Injectable()
export class UnsubscribeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async find(token: string): Promise<{ email: string; kind: string } | undefined> {
    if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return undefined;
    const [row]: Array<{ recipient_email: string; kind: string }> = await this.dataSource.query(`SELECT recipient_email, kind FROM notifications WHERE unsubscribe_token_hash = $1`, [
      hashToken(token),
    ]);
    return row ? { email: row.recipient_email, kind: row.kind } : undefined;
  }

  /**
   * Stops this kind of email. From a survey email, it is also the person's objection to
   * evaluation surveys (the survey emails say so), recorded in the consent log: no survey
   * is asked of them again, and response rates count them as not asked.
   */
  async optOut(email: string, kind: string): Promise<void> {
    await this.unitOfWork.run(async (tx) => {
      await tx.manager.query(`INSERT INTO communication_preferences (email, kind, opted_out_at, source) VALUES (lower($1), $2, $3, 'unsubscribe link') ON CONFLICT (email, kind) DO NOTHING`, [
        email,
        kind,
        tx.now,
      ]);
      if (purposeOf(kind) === 'surveys') {
        const [person]: Array<{ id: string }> = await tx.manager.query(`SELECT id FROM people WHERE lower(email) = lower($1) AND erased_at IS NULL`, [email]);
        await recordConsent(tx.manager, { personId: person?.id ?? null, email, purpose: 'surveys', granted: false, how: 'page' }, tx.now);
      }
    });
  }
}

/**
 * The unsubscribe link in every nudge. Opening it asks (a mail scanner that follows links
 * must not unsubscribe anyone); the button, or a one-click POST from the mail client
 * (RFC 8058), records the choice, which the sender checks before each message. The
 * button's POST must come from this page, like every form's; the one-click POST is told
 * by its body and needs no origin (`sameOriginForms` in web/security.ts).
 */
@ApiExcludeController()
@Controller('u')
@Public()
@UseGuards(PageRateLimit)
export class UnsubscribeController {
  constructor(private readonly unsubscribe: UnsubscribeService) {}

  @Get(':token')
  async ask(@Param('token') token: string, @Res() res: Response) {
    const found = await this.unsubscribe.find(token);
    if (!found) return sendEmailedPage(res, 404, 'pages/views/unsubscribe', { state: 'unknown' });
    return sendEmailedPage(res, 200, 'pages/views/unsubscribe', { state: 'ask', email: found.email, what: KIND_NAMES[found.kind] ?? 'these emails' });
  }

  @Post(':token')
  @HttpCode(200)
  async confirm(@Param('token') token: string, @Body() _body: unknown, @Res() res: Response) {
    const found = await this.unsubscribe.find(token);
    if (!found) return sendEmailedPage(res, 404, 'pages/views/unsubscribe', { state: 'unknown' });
    await this.unsubscribe.optOut(found.email, found.kind);
    return sendEmailedPage(res, 200, 'pages/views/unsubscribe', { state: 'done', email: found.email, what: KIND_NAMES[found.kind] ?? 'these emails' });
  }
}
