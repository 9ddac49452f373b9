import { Controller, HttpCode, Injectable, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { brandingFor, Clock, EventTypes, LINK_PATHS, LinkPurposes, resolvePageLink, UnitOfWork, type LinkPurpose, type PageLink, type ResolvedLink } from '#domain';
import { Public } from '../auth/auth.decorators.js';
import { sendLinkExpired, sendLinkNotValid, sendRenewalSent, type PageBranding } from './emailed-pages.js';
import { PageRateLimit } from '../common/rate-limits.js';

export type OpenedLink = { link: PageLink; branding: PageBranding; now: Date };

/**
 * What every page reached from an email does first: find the link its token names, and
 * answer "not valid" (404) or "expired" (410, with a fresh link offered) before the page
 * itself runs. A page controller calls `open` and renders only for a valid link.
 */
@Injectable()
export class PageLinks {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async resolve(token: string, purpose: LinkPurpose): Promise<{ resolved: ResolvedLink; now: Date }> {
    const now = await this.clock.now();
    return { resolved: await resolvePageLink(this.dataSource.manager, token, purpose, now), now };
  }

  /** The valid link, or undefined after the 404 or 410 page has been sent. */
  async open(token: string, purpose: LinkPurpose, res: Response): Promise<OpenedLink | undefined> {
    const { resolved, now } = await this.resolve(token, purpose);
    if (resolved.state === 'unknown') {
      sendLinkNotValid(res);
      return undefined;
    }
    const branding = await this.branding(resolved.link);
    if (resolved.state === 'expired') {
      sendLinkExpired(res, {
        renewable: resolved.renewable,
        closesAt: resolved.link.closesAt,
        email: resolved.link.email,
        renewAction: `/${LINK_PATHS[purpose]}/${token}/renew`,
        branding,
      });
      return undefined;
    }
    return { link: resolved.link, branding, now };
  }

  async branding(link: PageLink): Promise<PageBranding> {
    return brandingFor(this.dataSource.manager, { cohortId: link.cohortId });
  }

  /**
   * Asks the worker to send a fresh link to the expired one's address. The page never
   * says more than it would to the link's owner: a masked address, and nothing if the
   * link is unknown.
   */
  async renew(token: string, purpose: LinkPurpose, res: Response): Promise<void> {
    const { resolved, now } = await this.resolve(token, purpose);
    if (resolved.state === 'unknown') {
      sendLinkNotValid(res);
      return;
    }
    const branding = await this.branding(resolved.link);
    if (resolved.state === 'valid' || !resolved.renewable) {
      // A live link needs no renewal, and a closed one cannot have it: show what opening it shows.
      if (resolved.state === 'valid') res.redirect(303, `/${LINK_PATHS[purpose]}/${token}`);
      else sendLinkExpired(res, { renewable: false, closesAt: resolved.link.closesAt, email: resolved.link.email, renewAction: '', branding });
      return;
    }
    const link = resolved.link;
    await this.unitOfWork.run(async (tx) => {
      tx.record({ type: EventTypes.PageLinkRenewalRequested, aggregateType: 'page_link', aggregateId: link.id, payload: { linkId: link.id, requestedAt: now.toISOString() } });
    });
    sendRenewalSent(res, link.email, branding);
  }
}

/** "Send me a fresh link", from the expired-link page of each kind of page. */
@ApiExcludeController()
@Controller()
@Public()
@UseGuards(PageRateLimit)
export class PageLinksController {
  constructor(private readonly links: PageLinks) {}

  @Post('e/:token/renew')
  @HttpCode(202)
  async renewSelfEvaluation(@Param('token') token: string, @Res() res: Response) {
    await this.links.renew(token, LinkPurposes.SelfEvaluation, res);
  }

  @Post('r/:token/renew')
  @HttpCode(202)
  async renewOffer(@Param('token') token: string, @Res() res: Response) {
    await this.links.renew(token, LinkPurposes.AmbassadorOffer, res);
  }

  @Post('s/:token/renew')
  @HttpCode(202)
  async renewSurvey(@Param('token') token: string, @Res() res: Response) {
    await this.links.renew(token, LinkPurposes.Survey, res);
  }
}
