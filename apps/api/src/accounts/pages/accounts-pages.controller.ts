import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { APP_CONFIG, DomainError, type ApiToken, ROLE_NAMES, type AppConfig, type Principal, type Role } from '#domain';
import { ApiTokensService } from '../../auth/api-tokens.service.js';
import { validateForm, type FormErrors } from '../../web/forms.js';
import { Staff, StaffPages } from '../../web/staff-pages.js';
import type { DashboardUser } from '../../dashboard/dashboard-auth.js';
import { AccountsService, type Account } from '../accounts.service.js';
import { InviteForm, RoleAndScopeForm, scopeOf, TokenForm } from './access.form.js';

const PAGE_SIZE = 50;

/** What each role does, in a sentence, beside its radio. */
const ROLE_HINTS: Record<string, string> = {
  admin: 'Sees and changes everything on the platform, including who has access.',
  programme_manager: 'Runs one programme: its cohorts, partnerships, schools, CPD and people, and who has access to it.',
  educational_lead: 'Works on one partnership and its schools.',
};

const DONE: Record<string, string> = {
  invited: 'Invitation sent. Their sign-in link works once, for 7 days.',
  changed: 'Their role and scope are changed. The change holds from the next page they open.',
  revoked: 'Access revoked. They were signed out everywhere at once.',
  'token-revoked': 'Token revoked. It is refused from now on.',
};

/** The roles a person may hand out on these pages: a programme manager never makes an admin. */
function rolesFor(principal: Principal): Array<{ value: Role; text: string; hint: string }> {
  const roles: Role[] = principal.role === 'admin' ? ['admin', 'programme_manager', 'educational_lead'] : ['programme_manager', 'educational_lead'];
  return roles.map((role) => ({ value: role, text: ROLE_NAMES[role], hint: ROLE_HINTS[role] }));
}

function pageNumber(raw: unknown): number {
  const n = typeof raw === 'string' && /^\d{1,6}$/.test(raw) ? Number(raw) : 1;
  return n >= 1 ? n : 1;
}

/** Puts a refused form's messages in the order its questions are asked. */
function inOrder(errors: FormErrors, fields: string[]): FormErrors {
  const at = (href: string) => {
    const i = fields.indexOf(href.slice(1));
    return i < 0 ? fields.length : i;
  };
  return { ...errors, list: [...errors.list].sort((a, b) => at(a.href) - at(b.href)) };
}

/**
 * A rule's refusal the person can fix on the form (a taken address, a name on two lines),
 * shown beside its question; any other refusal is answered as a page.
 */
function refusalOnForm(error: unknown): FormErrors | undefined {
  if (!(error instanceof DomainError)) return undefined;
  const shown: Array<{ field: string; text: string }> = [];
  if (error.kind === 'conflict' && error.fields.some((f) => f.field === 'name'))
    shown.push({ field: 'name', text: 'A token with this name is still in use: choose another name, or revoke that token first' });
  else if (error.kind === 'conflict') shown.push({ field: 'email', text: 'Someone with this email address already has access to stemflow' });
  if (error.kind === 'invalid') {
    for (const { field } of error.fields) {
      if (field === 'email') shown.push({ field, text: 'Enter an email address in the correct format, like name@school.org.uk' });
      else if (field === 'name') shown.push({ field, text: 'Enter their name on one line' });
      else if (field === 'role' || field === 'scope') shown.push({ field: 'role', text: 'Choose what they will do' });
    }
  }
  if (shown.length === 0) return undefined;
  return { list: shown.map((f) => ({ text: f.text, href: `#${f.field}` })), byField: Object.fromEntries(shown.map((f) => [f.field, { text: f.text }])) };
}

/** The values the role and scope questions start from, for a person's current access. */
function roleValues(account: Pick<Account, 'role' | 'scope'>): Record<string, string> {
  const [kind, id] = (account.scope ?? '').split(':');
  return { role: account.role, programmeId: kind === 'programme' ? id : '', partnershipId: kind === 'partnership' ? id : '' };
}

/**
 * People with access (`/users`): who may sign in to the console, inviting someone by email
 * with a role and a scope, changing it, and revoking it. Admins and programme managers
 * only, each within what the tokens API lets them hand out.
 */
@Controller('users')
@StaffPages()
export class UsersPagesController {
  constructor(private readonly accounts: AccountsService) {}

  @Get()
  async list(@Staff() user: DashboardUser, @Query('page') page: unknown, @Query('done') done: unknown, @Res() res: Response) {
    const accounts = await this.accounts.list(user.principal, { page: pageNumber(page), pageSize: PAGE_SIZE });
    return res.render('accounts/pages/users', { accounts, roleNames: ROLE_NAMES, done: typeof done === 'string' ? DONE[done] : undefined, me: user.principal.tokenId });
  }

  @Get('invite')
  async inviteForm(@Staff() user: DashboardUser, @Res() res: Response) {
    return this.renderInvite(res, user.principal, {});
  }

  @Post('invite')
  async invite(@Staff() user: DashboardUser, @Body() body: unknown, @Res() res: Response) {
    const form = await validateForm(InviteForm, body);
    const order = ['name', 'email', 'role', 'programmeId', 'partnershipId'];
    if (!form.ok) return this.renderInvite(res.status(422), user.principal, form.values, inOrder(form.errors, order));
    try {
      await this.accounts.invite(user.principal, { name: form.value.name, email: form.value.email, role: form.value.role, scope: scopeOf(form.value) });
    } catch (error) {
      const errors = refusalOnForm(error);
      if (!errors) throw error;
      const { name, email, role, programmeId = '', partnershipId = '' } = form.value;
      return this.renderInvite(res.status(422), user.principal, { name, email, role, programmeId, partnershipId }, errors);
    }
    return res.redirect(303, '/users?done=invited');
  }

  @Get(':id')
  async show(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Query('done') done: unknown, @Res() res: Response) {
    const account = await this.accounts.get(user.principal, id);
    return this.renderAccount(res, user.principal, account, roleValues(account), undefined, typeof done === 'string' ? DONE[done] : undefined);
  }

  @Post(':id')
  async change(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @Res() res: Response) {
    const account = await this.accounts.get(user.principal, id);
    const form = await validateForm(RoleAndScopeForm, body);
    if (!form.ok) return this.renderAccount(res.status(422), user.principal, account, form.values, form.errors);
    await this.accounts.change(user.principal, id, { role: form.value.role, scope: scopeOf(form.value) });
    return res.redirect(303, `/users/${id}?done=changed`);
  }

  @Post(':id/revoke')
  async revoke(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response) {
    await this.accounts.revoke(user.principal, id);
    return res.redirect(303, '/users?done=revoked');
  }

  private async renderInvite(res: Response, principal: Principal, values: Record<string, string>, errors?: FormErrors) {
    return res.render('accounts/pages/invite', { values, errors, roles: rolesFor(principal), choices: await this.accounts.scopeChoices(principal) });
  }

  private async renderAccount(res: Response, principal: Principal, account: Account, values: Record<string, string>, errors?: FormErrors, done?: string) {
    const self = principal.tokenId === account.id;
    const open = account.status === 'active' || account.status === 'invited';
    return res.render('accounts/pages/user', {
      account,
      roleName: ROLE_NAMES[account.role],
      values,
      errors,
      done,
      self,
      mayChange: open && !self,
      roles: rolesFor(principal),
      choices: open && !self ? await this.accounts.scopeChoices(principal) : undefined,
    });
  }
}

/**
 * API tokens (`/tokens`): the machine tokens scripts and services use (people sign in by
 * email instead), made with their secret shown once on the page that answers the form,
 * and revoked. The same service and rules as `/api/v1/tokens`.
 */
@Controller('tokens')
@StaffPages()
export class TokensPagesController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tokens: ApiTokensService,
    private readonly accounts: AccountsService,
  ) {}

  @Get()
  async list(@Staff() user: DashboardUser, @Query('page') page: unknown, @Query('done') done: unknown, @Res() res: Response) {
    const tokens = await this.tokens.list(user.principal, { page: pageNumber(page), pageSize: PAGE_SIZE, holder: 'machine' });
    const scopeNames = await this.accounts.scopeNames(tokens.items.map((t) => t.scope));
    const now = await this.accounts.now();
    return res.render('accounts/pages/tokens', { tokens, scopeNames, roleNames: ROLE_NAMES, now, done: typeof done === 'string' ? DONE[done] : undefined });
  }

  @Get('new')
  async newForm(@Staff() user: DashboardUser, @Res() res: Response) {
    return this.renderNew(res, user.principal, { expiresInDays: String(Math.min(this.config.apiTokenTtlDays, 365)) });
  }

  /**
   * Answers the page with the secret itself, not a redirect: the secret is in no address and
   * nowhere stored. Sent again (a refresh), the same name is refused as in use, so no second
   * token is made behind the person's back.
   */
  @Post('new')
  async make(@Staff() user: DashboardUser, @Body() body: unknown, @Res() res: Response) {
    const form = await validateForm(TokenForm, body);
    const order = ['name', 'role', 'programmeId', 'partnershipId', 'expiresInDays'];
    if (!form.ok) return this.renderNew(res.status(422), user.principal, form.values, inOrder(form.errors, order));
    const { name, role, programmeId = '', partnershipId = '', expiresInDays } = form.value;
    let made: { token: ApiToken; secret: string };
    try {
      made = await this.tokens.create(user.principal, { name, role, scope: scopeOf(form.value) ?? undefined, expiresInDays });
    } catch (error) {
      const errors = refusalOnForm(error);
      if (!errors) throw error;
      return this.renderNew(res.status(422), user.principal, { name, role, programmeId, partnershipId, expiresInDays: String(expiresInDays) }, errors);
    }
    const { token, secret } = made;
    const [scopeName] = Object.values(await this.accounts.scopeNames([token.scope]));
    return res.status(201).render('accounts/pages/token-made', { token, secret, roleName: ROLE_NAMES[token.role], scopeName });
  }

  @Post(':id/revoke')
  async revoke(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response) {
    await this.tokens.revoke(user.principal, id);
    return res.redirect(303, '/tokens?done=token-revoked');
  }

  private async renderNew(res: Response, principal: Principal, values: Record<string, string>, errors?: FormErrors) {
    return res.render('accounts/pages/new-token', { values, errors, roles: rolesFor(principal), choices: await this.accounts.scopeChoices(principal) });
  }
}
