import { createHash } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, linkIn, phonePage, screenshot, withoutJavaScript } from '../support/browser.js';
import { openArea, signIn } from '../support/console.js';
import { eventually, TestPlatform } from '../support/platform.js';
import { buildProgramme, type ProgrammeFixture } from '../support/programme.js';

/**
 * Who has access, as the people who run a programme see it: the first admin (ADMIN_EMAIL)
 * signs in through the site, invites a programme manager, who invites an educational lead
 * inside their own programme, changes the lead's scope and revokes them; tokens for
 * scripts are made with their secret shown once, used and revoked; sessions left idle end.
 * Driven by what a person reads, asserted on the pages, the database and the emails.
 */
const STEP_TIMEOUT = 300_000;
const ADMIN = 'first.admin@accounts.example.org';
const MANAGER = 'priya.shah@accounts.example.org';
const LEAD = 'jo.whitfield@accounts.example.org';
/** A Monday in term, after the day the suite's database was made (its virtual clock starts at the real time). */
const START = new Date('2027-01-11T09:00:00Z');

describe('people with access and API tokens', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let A: ProgrammeFixture;
  let B: ProgrammeFixture;
  let coastalId: string;
  /** The admin's and the manager's signed-in pages, kept across the steps as people keep a tab open. */
  let adminPage: Page;
  let managerPage: Page;
  let clock = START;

  const base = () => `http://127.0.0.1:${platform.apiPort}`;
  const shot = (page: Page, name: string) => screenshot(page, platform.artifactsDir, name);
  const emailsTo = (address: string) => platform.catcher.messages.filter((m) => m.to.includes(address));
  const lastEmailTo = (address: string, subject: RegExp, count = 1) =>
    eventually(async () => {
      const sent = emailsTo(address).filter((m) => subject.test(m.subject));
      if (sent.length < count) throw new Error(`no email "${subject}" to ${address} yet`);
      return sent[sent.length - 1];
    });
  const account = async (email: string) => (await platform.query(`SELECT id, role, scope, revoked_at FROM api_tokens WHERE email = $1 ORDER BY created_at DESC`, [email]))[0];
  const moveClock = async (minutes: number) => {
    clock = new Date(clock.getTime() + minutes * 60_000);
    const answer = await platform.http('POST', '/api/v1/admin/clock', { now: clock.toISOString() });
    expect(answer.status).toBe(200);
  };
  /** The page fits a 320 px screen: a wide table scrolls inside its region, never the page. */
  const expectNoSidewaysScroll = async (page: Page) => {
    const size = page.viewportSize()!;
    await page.setViewportSize({ width: 320, height: size.height });
    const width = await page.evaluate<number>('document.documentElement.scrollWidth');
    await page.setViewportSize(size);
    expect({ url: page.url(), width }).toEqual({ url: page.url(), width: 320 });
  };
  /** Sends a form as the signed-in page's browser would, with fields a person could not choose on the page. */
  const tampered = async (page: Page, path: string, fields: Record<string, string>) => {
    const csrf = await page.locator('input[name="_csrf"]').first().getAttribute('value');
    return page.request.post(`${base()}${path}`, { form: { _csrf: csrf!, ...fields }, headers: { origin: base() }, maxRedirects: 0 });
  };

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'accounts-pages', env: { ADMIN_EMAIL: ADMIN, CLOCK: 'virtual' } });
    await moveClock(0);
    A = await buildProgramme(platform, { name: 'Northern Lights', schools: 1, urnBase: 731_000 });
    B = await buildProgramme(platform, { name: 'Southern Stars', schools: 0, urnBase: 732_000 });
    const coastal = await platform.http('POST', '/api/v1/partnerships', { name: 'Coastal Partnership', area: 'Redcar', cohortId: A.cohortId, budgetPounds: 10_000 });
    expect(coastal.status).toBe(201);
    coastalId = coastal.body.id;
    browser = await launchBrowser();
  }, STEP_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  }, STEP_TIMEOUT);

  it(
    'the first admin, from ADMIN_EMAIL, signs in through / and invites a programme manager, who is emailed a sign-in link',
    async () => {
      expect(await platform.query(`SELECT name, role, scope FROM api_tokens WHERE email = $1`, [ADMIN])).toEqual([{ name: 'Administrator', role: 'admin', scope: null }]);
      adminPage = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await signIn(adminPage, platform, ADMIN);
      await adminPage.getByRole('heading', { name: 'Welcome, Administrator' }).waitFor();
      await openArea(adminPage, 'People with access');
      await adminPage.getByRole('heading', { name: 'People with access' }).waitFor();
      await adminPage.getByRole('cell', { name: 'Administrator (you)' }).waitFor();
      await expectAccessible(adminPage);
      await shot(adminPage, '01-people-with-access');

      await adminPage.getByRole('button', { name: 'Invite someone' }).click();
      await adminPage.getByRole('heading', { name: 'Invite someone' }).waitFor();
      await expectAccessible(adminPage);
      await shot(adminPage, '02-invite');
      await adminPage.getByRole('button', { name: 'Send invitation' }).click();
      await adminPage.getByRole('heading', { name: 'There is a problem' }).waitFor();
      await expect(adminPage.title()).resolves.toBe('Error: Invite someone – stemflow');
      const summary = adminPage.locator('.govuk-error-summary');
      await expect(summary.getByRole('link').allTextContents()).resolves.toEqual(['Enter their full name', 'Enter their email address', 'Choose what they will do']);
      await expectAccessible(adminPage);
      await shot(adminPage, '03-invite-empty');

      await adminPage.getByLabel('Full name').fill('Priya Shah');
      await adminPage.getByLabel('Email address').fill(` ${MANAGER.toUpperCase()} `);
      await adminPage.getByLabel('Programme manager').check();
      await adminPage.getByLabel('Programme', { exact: true }).selectOption({ label: 'Northern Lights' });
      await adminPage.getByRole('button', { name: 'Send invitation' }).click();
      await adminPage.getByText('Invitation sent.').waitFor();
      expect(new URL(adminPage.url()).pathname).toBe('/users');
      await adminPage.getByRole('row', { name: /Priya Shah .*Programme manager Northern Lights Not yet Invited/ }).waitFor();
      await expectNoSidewaysScroll(adminPage);
      await shot(adminPage, '04-invited');
      expect(await account(MANAGER)).toMatchObject({ role: 'programme_manager', scope: `programme:${A.programmeId}`, revoked_at: null });

      const invitation = await lastEmailTo(MANAGER, /has given you access/);
      expect(invitation.subject).toBe('Administrator has given you access to stemflow');
      expect(invitation.text).toContain('Administrator has given you access to stemflow as Programme manager for Northern Lights.');
      expect(invitation.text).toContain('The link works once, until Monday, 18 January 2027 at 09:00.');
      expect(linkIn(invitation, 'sign-in').startsWith(`${base()}/sign-in/`)).toBe(true);

      // The same address again: a form error, and nothing more is made or sent.
      await adminPage.getByRole('button', { name: 'Invite someone' }).click();
      await adminPage.getByLabel('Full name').fill('Priya Shah again');
      await adminPage.getByLabel('Email address').fill(MANAGER);
      await adminPage.getByLabel('Programme manager').check();
      await adminPage.getByLabel('Programme', { exact: true }).selectOption({ label: 'Southern Stars' });
      await adminPage.getByRole('button', { name: 'Send invitation' }).click();
      await adminPage.locator('#email-error').getByText('Someone with this email address already has access to stemflow').waitFor();
      await expect(adminPage.getByLabel('Full name').inputValue()).resolves.toBe('Priya Shah again');
      await expectAccessible(adminPage);
      await shot(adminPage, '05-invite-taken');
      expect((await platform.query(`SELECT 1 FROM api_tokens WHERE email = $1`, [MANAGER])).length).toBe(1);
    },
    STEP_TIMEOUT,
  );

  it(
    "the manager signs in with the invitation's link and invites an educational lead to a partnership of their programme, never another programme's",
    async () => {
      managerPage = await phonePage(browser);
      await managerPage.goto(linkIn(await lastEmailTo(MANAGER, /has given you access/), 'sign-in'));
      await managerPage.getByText('You are signing in as Priya Shah').waitFor();
      await managerPage.getByRole('button', { name: 'Sign in' }).click();
      await managerPage.getByRole('heading', { name: 'Welcome, Priya Shah' }).waitFor();
      await managerPage.getByText('Programme manager, Northern Lights').waitFor();
      await shot(managerPage, '06-manager-home');

      await managerPage.goto(`${base()}/users`);
      await managerPage.getByRole('cell', { name: 'Priya Shah (you)' }).waitFor();
      // The admin's account is outside a programme manager's reach.
      await expect(managerPage.getByText(ADMIN).count()).resolves.toBe(0);
      await managerPage.getByRole('button', { name: 'Invite someone' }).click();
      await managerPage.getByRole('heading', { name: 'Invite someone' }).waitFor();
      await expect(managerPage.getByLabel('Administrator').count()).resolves.toBe(0);
      const partnerships = await managerPage.getByLabel('Partnership', { exact: true }).locator('option').allTextContents();
      expect(partnerships).toEqual(['Choose a partnership', 'Coastal Partnership', 'Northern Lights Partnership']);
      await expectAccessible(managerPage);
      await shot(managerPage, '07-manager-invite');

      // Forms naming what the page never offered: another programme's partnership, an admin's role.
      const before = await platform.count('api_tokens');
      const other = await tampered(managerPage, '/users/invite', { name: 'Mallory', email: 'mallory@accounts.example.org', role: 'educational_lead', partnershipId: B.partnershipId });
      expect(other.status()).toBe(404);
      await expect(other.text()).resolves.toContain('Page not found');
      const admin = await tampered(managerPage, '/users/invite', { name: 'Mallory', email: 'mallory@accounts.example.org', role: 'admin' });
      expect(admin.status()).toBe(403);
      const raised = await tampered(managerPage, `/users/${(await account(MANAGER)).id}`, { role: 'admin' });
      expect(raised.status()).toBe(403);
      expect(await platform.count('api_tokens')).toBe(before);
      expect(await account(MANAGER)).toMatchObject({ role: 'programme_manager', scope: `programme:${A.programmeId}` });

      await managerPage.getByLabel('Full name').fill('Jo Whitfield');
      await managerPage.getByLabel('Email address').fill(LEAD);
      await managerPage.getByLabel('Educational lead').check();
      await managerPage.getByLabel('Partnership', { exact: true }).selectOption({ label: 'Coastal Partnership' });
      await managerPage.getByRole('button', { name: 'Send invitation' }).click();
      await managerPage.getByText('Invitation sent.').waitFor();
      await expectAccessible(managerPage);
      await shot(managerPage, '08-manager-invited');
      expect(await account(LEAD)).toMatchObject({ role: 'educational_lead', scope: `partnership:${coastalId}` });
      const invitation = await lastEmailTo(LEAD, /has given you access/);
      expect(invitation.subject).toBe('Priya Shah has given you access to stemflow');
      expect(invitation.text).toContain('as Educational lead for Coastal Partnership.');
      // The invitation is the programme's mail: its manager finds it in the email ledger.
      await expect(platform.query(`SELECT programme_id, partnership_id FROM notifications WHERE kind = 'account.invitation' AND recipient_email = $1`, [LEAD])).resolves.toEqual([
        { programme_id: A.programmeId, partnership_id: coastalId },
      ]);
      await managerPage.goto(`${base()}/emails?recipient=${encodeURIComponent(LEAD)}`);
      await managerPage
        .getByRole('row', { name: new RegExp(LEAD.replace(/[.]/g, '\\.')) })
        .first()
        .waitFor();
    },
    STEP_TIMEOUT,
  );

  it(
    "the manager changes the lead's scope, then revokes them, and the lead's session ends at once; other programmes' people stay out of reach",
    async () => {
      const leadPage = await phonePage(browser);
      await leadPage.goto(linkIn(await lastEmailTo(LEAD, /has given you access/), 'sign-in'));
      await leadPage.getByRole('button', { name: 'Sign in' }).click();
      await leadPage.getByText('Educational lead, Coastal Partnership').waitFor();
      // A lead manages nobody: the pages refuse them as the API does.
      expect((await leadPage.goto(`${base()}/users`))!.status()).toBe(403);
      expect((await leadPage.goto(`${base()}/tokens`))!.status()).toBe(403);

      // Programme B's manager, invited by the admin through the API.
      const other = await platform.http('POST', '/api/v1/users', { name: 'Sam Other', email: 'sam.other@accounts.example.org', role: 'programme_manager', scope: `programme:${B.programmeId}` });
      expect(other.status).toBe(201);
      const notFound = await managerPage.goto(`${base()}/users/${other.body.id}`);
      expect(notFound!.status()).toBe(404);
      await managerPage.getByRole('heading', { name: 'Page not found' }).waitFor();
      expect((await managerPage.goto(`${base()}/users/not-an-id`))!.status()).toBe(400);
      const revokeOther = await tampered(managerPage, `/users/${other.body.id}/revoke`, {});
      expect(revokeOther.status()).toBe(404);
      expect((await account('sam.other@accounts.example.org')).revoked_at).toBeNull();

      await managerPage.goto(`${base()}/users`);
      await managerPage.getByRole('link', { name: 'Jo Whitfield' }).click();
      await managerPage.getByRole('heading', { name: 'Jo Whitfield' }).waitFor();
      await expect(managerPage.getByLabel('Educational lead').isChecked()).resolves.toBe(true);
      await expectAccessible(managerPage);
      await shot(managerPage, '09-lead');
      await managerPage.getByLabel('Partnership', { exact: true }).selectOption({ label: 'Northern Lights Partnership' });
      await managerPage.getByRole('button', { name: 'Save changes' }).click();
      await managerPage.getByText('Their role and scope are changed.').waitFor();
      await shot(managerPage, '10-lead-changed');
      expect(await account(LEAD)).toMatchObject({ role: 'educational_lead', scope: `partnership:${A.partnershipId}` });
      await leadPage.goto(`${base()}/`);
      await leadPage.getByText('Educational lead, Northern Lights Partnership').waitFor();

      await managerPage.getByRole('button', { name: 'Revoke access' }).click();
      await managerPage.getByText('Access revoked.').waitFor();
      await managerPage.getByRole('row', { name: /Jo Whitfield .*Access revoked/ }).waitFor();
      await expectAccessible(managerPage);
      await shot(managerPage, '11-lead-revoked');
      const lead = await account(LEAD);
      expect(lead.revoked_at).not.toBeNull();
      expect(await platform.query(`SELECT 1 FROM dashboard_sessions WHERE api_token_id = $1 AND ended_at IS NULL`, [lead.id])).toEqual([]);
      await leadPage.goto(`${base()}/`);
      await leadPage.getByRole('heading', { name: 'Sign in to stemflow' }).waitFor();
      // And no link brings them back.
      await leadPage.getByLabel('Email address').fill(LEAD);
      await leadPage.getByRole('button', { name: 'Continue' }).click();
      await leadPage.getByRole('heading', { name: 'Check your email' }).waitFor();
      expect(await platform.count(`outbox_events WHERE type = 'dashboard.sign_in_requested' AND aggregate_id = '${lead.id}'`)).toBe(0);
      await leadPage.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    'the manager makes a token for a script, sees its secret once, the script uses it, and once revoked it is refused',
    async () => {
      await managerPage.goto(`${base()}/`);
      await openArea(managerPage, 'API tokens');
      await managerPage.getByRole('heading', { name: 'API tokens' }).waitFor();
      await expectAccessible(managerPage);
      await managerPage.getByRole('button', { name: 'Make a token' }).click();
      await managerPage.getByRole('heading', { name: 'Make a token' }).waitFor();
      await managerPage.getByLabel('Days until it expires').fill('');
      await managerPage.getByRole('button', { name: 'Make token' }).click();
      await managerPage.getByRole('heading', { name: 'There is a problem' }).waitFor();
      await expect(managerPage.locator('.govuk-error-summary').getByRole('link').allTextContents()).resolves.toEqual([
        'Enter a name for the token',
        'Choose what they will do',
        'Enter how many days the token lasts',
      ]);
      await expectAccessible(managerPage);
      await shot(managerPage, '12-token-empty');

      await managerPage.getByLabel('Name', { exact: true }).fill('Timetable sync');
      await managerPage.getByLabel('Educational lead').check();
      await managerPage.getByLabel('Partnership', { exact: true }).selectOption({ label: 'Northern Lights Partnership' });
      await managerPage.getByLabel('Days until it expires').fill('30');
      await managerPage.getByRole('button', { name: 'Make token' }).click();
      await managerPage.getByRole('heading', { name: 'Token made' }).waitFor();
      const secret = (await managerPage.locator('.app-secret').textContent())!.trim();
      expect(secret).toMatch(/^sf_[A-Za-z0-9_-]{43}$/);
      expect(managerPage.url()).not.toContain(secret);
      await expectAccessible(managerPage);
      await shot(managerPage, '13-token-made');
      const [stored] = await platform.query(`SELECT id, token_hash, email, scope, expires_at FROM api_tokens WHERE name = 'Timetable sync'`);
      expect(stored).toMatchObject({ token_hash: createHash('sha256').update(secret).digest('hex'), email: null, scope: `partnership:${A.partnershipId}` });
      expect(new Date(stored.expires_at).getTime()).toBe(clock.getTime() + 30 * 86_400_000);

      const asScript = () => fetch(`${base()}/api/v1/partnerships/${A.partnershipId}`, { headers: { authorization: `Bearer ${secret}` } });
      expect((await asScript()).status).toBe(200);

      await expect(managerPage.getByRole('link', { name: 'Back to API tokens' }).getAttribute('href')).resolves.toBe('/tokens');
      // Refreshing the page sends the form again: the name is in use, so no second token is made.
      await managerPage.reload();
      await managerPage.getByRole('heading', { name: 'There is a problem' }).waitFor();
      await expect(managerPage.locator('.govuk-error-summary').getByRole('link').allTextContents()).resolves.toEqual([
        'A token with this name is still in use: choose another name, or revoke that token first',
      ]);
      await expect(managerPage.getByLabel('Name', { exact: true }).inputValue()).resolves.toBe('Timetable sync');
      await expect(platform.query(`SELECT count(*)::int AS n FROM api_tokens WHERE name = 'Timetable sync'`)).resolves.toEqual([{ n: 1 }]);
      await managerPage.goto(`${base()}/tokens`);

      // Listed, never shown again.
      await managerPage.getByRole('row', { name: /Timetable sync Educational lead Northern Lights Partnership/ }).waitFor();
      await expect(managerPage.content()).resolves.not.toContain(secret);
      await expectNoSidewaysScroll(managerPage);
      await shot(managerPage, '14-tokens');
      await managerPage.getByRole('button', { name: 'Revoke Timetable sync' }).click();
      await managerPage.getByText('Token revoked.').waitFor();
      await managerPage.getByRole('row', { name: /Timetable sync .*Access revoked/ }).waitFor();
      await expectAccessible(managerPage);
      expect((await asScript()).status).toBe(401);
      // Another programme's token is not the manager's to revoke: it answers as absent.
      const othersToken = await platform.http('POST', '/api/v1/tokens', { name: 'Southern script', role: 'programme_manager', scope: `programme:${B.programmeId}` });
      expect((await tampered(managerPage, `/tokens/${othersToken.body.id}/revoke`, {})).status()).toBe(404);
      expect((await platform.query(`SELECT revoked_at FROM api_tokens WHERE id = $1`, [othersToken.body.id]))[0].revoked_at).toBeNull();
    },
    STEP_TIMEOUT,
  );

  it(
    'invites, changes and revokes with JavaScript off',
    async () => {
      const page = await withoutJavaScript(browser);
      await signIn(page, platform, ADMIN);
      await page.goto(`${base()}/users/invite`);
      await page.getByLabel('Full name').fill('Sam Lee');
      await page.getByRole('button', { name: 'Send invitation' }).click();
      await page.locator('#email-error').getByText('Enter their email address').waitFor();
      await expect(page.getByLabel('Full name').inputValue()).resolves.toBe('Sam Lee');
      await shot(page, '15-no-js-invite-error');
      await page.getByLabel('Email address').fill('sam.lee@accounts.example.org');
      await page.getByLabel('Educational lead').check();
      // Without a script every role's question shows; the role chosen decides which counts.
      await page.getByLabel('Programme', { exact: true }).selectOption({ label: 'Southern Stars' });
      await page.getByLabel('Partnership', { exact: true }).selectOption({ label: 'Coastal Partnership (Northern Lights)' });
      await shot(page, '16-no-js-invite');
      await page.getByRole('button', { name: 'Send invitation' }).click();
      await page.getByText('Invitation sent.').waitFor();
      expect(await account('sam.lee@accounts.example.org')).toMatchObject({ role: 'educational_lead', scope: `partnership:${coastalId}` });
      await lastEmailTo('sam.lee@accounts.example.org', /has given you access/);

      await page.getByRole('link', { name: 'Sam Lee' }).click();
      await page.getByLabel('Programme manager').check();
      await page.getByLabel('Programme', { exact: true }).selectOption({ label: 'Southern Stars' });
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText('Their role and scope are changed.').waitFor();
      expect(await account('sam.lee@accounts.example.org')).toMatchObject({ role: 'programme_manager', scope: `programme:${B.programmeId}` });
      await page.getByRole('button', { name: 'Revoke access' }).click();
      await page.getByText('Access revoked.').waitFor();
      await shot(page, '17-no-js-revoked');
      expect((await account('sam.lee@accounts.example.org')).revoked_at).not.toBeNull();
      await page.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    'a session left idle for SESSION_IDLE_MINUTES sends the person to sign in; one in use stays',
    async () => {
      const cookie = (await adminPage.context().cookies()).find((c) => c.name === 'stemflow_dashboard')!.value;
      const session = async () => (await platform.query(`SELECT last_seen_at FROM dashboard_sessions WHERE token_hash = $1`, [createHash('sha256').update(cookie).digest('hex')]))[0];
      await moveClock(119);
      await adminPage.goto(`${base()}/users`);
      await adminPage.getByRole('heading', { name: 'People with access' }).waitFor();
      expect(new Date((await session()).last_seen_at).getTime()).toBe(clock.getTime());
      // Read again within the minute: not written again.
      await moveClock(0.5);
      await adminPage.goto(`${base()}/tokens`);
      expect(new Date((await session()).last_seen_at).getTime()).toBe(clock.getTime() - 30_000);
      await moveClock(119);
      await adminPage.goto(`${base()}/users`);
      await adminPage.getByRole('heading', { name: 'People with access' }).waitFor();

      await moveClock(121);
      await adminPage.goto(`${base()}/users`);
      await adminPage.getByRole('heading', { name: 'Sign in to stemflow' }).waitFor();
      expect(new URL(adminPage.url()).pathname).toBe('/');
      await shot(adminPage, '18-idle-sign-in');
    },
    STEP_TIMEOUT,
  );

  it(
    'a link past its 15 minutes signs nobody in, and a session signed out stays ended',
    async () => {
      const page = await phonePage(browser);
      await page.goto(`${base()}/`);
      const sent = emailsTo(MANAGER).length;
      await page.getByLabel('Email address').fill(MANAGER);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('heading', { name: 'Check your email' }).waitFor();
      const late = await lastEmailTo(MANAGER, /Sign in to the stemflow dashboard/);
      expect(emailsTo(MANAGER).length).toBe(sent + 1);
      await moveClock(16);
      await page.goto(linkIn(late, 'sign-in'));
      await page.getByRole('heading', { name: 'This sign-in link cannot be used' }).waitFor();
      await expectAccessible(page);
      await shot(page, '19-link-expired');

      await signIn(page, platform, MANAGER);
      const cookies = await page.context().cookies();
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in to stemflow' }).waitFor();
      // The old cookie, kept (a copied browser profile, a stolen cookie), opens nothing.
      const session = cookies.find((c) => c.name === 'stemflow_dashboard')!;
      for (const path of ['/users', '/tokens', '/dashboard']) {
        const answer = await fetch(`${base()}${path}`, { redirect: 'manual', headers: { cookie: `stemflow_dashboard=${session.value}` } });
        expect([path, answer.status, answer.headers.get('location')]).toEqual([path, 303, '/']);
      }
      await page.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    'a restarted API makes no second admin for the same ADMIN_EMAIL',
    async () => {
      await platform.kill(platform.api!, 'SIGTERM');
      await platform.startApi();
      expect(await platform.query(`SELECT role FROM api_tokens WHERE email = $1`, [ADMIN])).toEqual([{ role: 'admin' }]);
    },
    STEP_TIMEOUT,
  );
});
