import { Body, Controller, Get, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG, ROLE_NAMES, type AppConfig } from '#domain';
import { clearedSessionCookie, DashboardAuth, sessionCookieHeader, type DashboardUser } from '../../dashboard/dashboard-auth.js';
import { navigationFor } from '../../web/navigation.js';
import { AccountsService } from '../../accounts/accounts.service.js';
import { PageRateLimit } from '../../common/rate-limits.js';
import { validateForm } from '../../web/forms.js';
import { Public } from '../auth.decorators.js';
import { SignInForm } from './sign-in.form.js';

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
    private readonly accounts: AccountsService,
  ) {}

  /** The site's address: the sign-in page, or for a signed-in person their home. */
  @Get()
  async signInPage(@Req() req: Request, @Res() res: Response) {
    const user = await this.auth.userFor(req);
    if (user) return this.home(user, req, res);
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
    res.append('Set-Cookie', sessionCookieHeader(session, this.config.publicBaseUrl.startsWith('https:')));
    // The site's address is a signed-in person's home.
    return res.redirect(303, '/');
  }

  /** Ends the person's sessions on every device, as "sign out" on a shared school laptop should. */
  @Post('sign-out')
  async signOut(@Req() req: Request, @Res() res: Response) {
    await this.auth.signOut(req);
    res.append('Set-Cookie', clearedSessionCookie());
    return res.redirect(303, '/');
  }

  private async home(user: DashboardUser, req: Request, res: Response) {
    const scope = user.principal.scope ? `${user.principal.scope.kind}:${user.principal.scope.id}` : null;
    const [scopeName] = Object.values(await this.accounts.scopeNames([scope]));
    return res.render('console/home', {
      user,
      navigation: navigationFor(user.principal.role),
      currentPath: req.path,
      roleName: ROLE_NAMES[user.principal.role],
      scopeName,
    });
  }
}
