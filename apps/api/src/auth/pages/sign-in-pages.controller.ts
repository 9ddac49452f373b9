import { Body, Controller, Get, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '#domain';
import { DashboardAuth, sessionCookieHeader, type DashboardUser } from '../../dashboard/dashboard-auth.js';
import { PageRateLimit } from '../../common/rate-limits.js';
import { validateForm } from '../../web/forms.js';
import { Public } from '../auth.decorators.js';
import { SignInForm } from './sign-in.form.js';

/** Where a signed-in person starts. The dashboard, until the console has a home of its own. */
export function homeFor(_user: DashboardUser): string {
  return '/dashboard';
}

/**
 * Signing in at the site's address: an email address, a one-time link by email, and a
 * page behind the link with one button (a mail scanner opening the link signs nobody in).
 * The answer to an address is the same whether or not stemflow knows it.
 */
@ApiExcludeController()
@Controller()
@Public()
@UseGuards(PageRateLimit)
export class SignInPagesController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: DashboardAuth,
  ) {}

  @Get()
  async signInPage(@Req() req: Request, @Res() res: Response) {
    const user = await this.auth.userFor(req);
    if (user) return res.redirect(303, homeFor(user));
    return res.render('auth/pages/sign-in', { values: {} });
  }

  @Post()
  async requestLink(@Body() body: unknown, @Res() res: Response) {
    const form = await validateForm(SignInForm, body);
    if (!form.ok) return res.status(422).render('auth/pages/sign-in', { values: form.values, errors: form.errors });
    await this.auth.requestLink(form.value.email);
    return res.redirect(303, '/check-your-email');
  }

  @Get('check-your-email')
  checkYourEmail(@Res() res: Response) {
    return res.render('auth/pages/check-your-email');
  }

  @Get('sign-in/:token')
  async confirm(@Param('token') token: string, @Res() res: Response) {
    const link = await this.auth.link(token);
    if (!link) return res.status(404).render('auth/pages/link-not-valid');
    return res.render('auth/pages/confirm-sign-in', { name: link.recipientName ?? link.email, email: link.email });
  }

  @Post('sign-in/:token')
  async signIn(@Param('token') token: string, @Res() res: Response) {
    const session = await this.auth.signIn(token);
    if (!session) return res.status(404).render('auth/pages/link-not-valid');
    res.setHeader('Set-Cookie', sessionCookieHeader(session, this.config.publicBaseUrl.startsWith('https:')));
    // The site's address sends a signed-in person on to their home.
    return res.redirect(303, '/');
  }
}
