import { Body, Controller, Get, HttpCode, Injectable, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { hashToken, recordConsent, UnitOfWork } from '#domain';
import { escapeHtml, purposeOf } from '#notifications';
import { Public } from '../auth/auth.decorators.js';
import { PageRateLimit } from '../common/rate-limits.js';
import { nonceAttribute } from '../web/page-nonce.js';

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

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>
<style${nonceAttribute()}>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1b1f23;line-height:1.5}button{font-size:1rem;padding:.6rem 1.2rem;background:#0b5394;color:#fff;border:0;border-radius:4px;cursor:pointer}button:focus{outline:3px solid #f9a825}</style>
</head><body><main>${body}</main></body></html>`;
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
    if (!found) return res.status(404).type('text/html').send(page('Link not valid', '<h1>This link is not valid</h1><p>It may have been mistyped. Nothing has changed.</p>'));
    const what = KIND_NAMES[found.kind] ?? 'these emails';
    return res.type('text/html').send(
      page(
        'Stop these emails',
        `<h1>Stop ${escapeHtml(what)}?</h1><p>${escapeHtml(found.email)} will no longer receive ${escapeHtml(what)} from stemflow. Booking confirmations still arrive.</p>
<form method="post"><button type="submit">Stop ${escapeHtml(what)}</button></form>`,
      ),
    );
  }

  @Post(':token')
  @HttpCode(200)
  async confirm(@Param('token') token: string, @Body() _body: unknown, @Res() res: Response) {
    const found = await this.unsubscribe.find(token);
    if (!found) return res.status(404).type('text/html').send(page('Link not valid', '<h1>This link is not valid</h1><p>Nothing has changed.</p>'));
    await this.unsubscribe.optOut(found.email, found.kind);
    const what = KIND_NAMES[found.kind] ?? 'these emails';
    return res.type('text/html').send(page('Done', `<h1>Done</h1><p>${escapeHtml(found.email)} will no longer receive ${escapeHtml(what)}.</p>`));
  }
}
