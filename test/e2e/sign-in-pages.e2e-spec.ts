import type { Browser, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, linkIn, phonePage, screenshot, withoutJavaScript } from '../support/browser.js';
import { eventually, TestPlatform } from '../support/platform.js';
import { openArea } from '../support/console.js';

/**
 * Signing in at the site's own address, as a programme manager would from the welcome
 * email: an email address, a link in the inbox, one button on the link's page, and then
 * their home. Driven by what a person reads on the page, with JavaScript and without.
 */
/** Every page is checked by axe at two widths; on a busy machine that takes a while. */
const STEP_TIMEOUT = 180_000;

describe('signing in at /', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let base: string;
  const MANAGER = 'priya.shah@signin.example.org';
  const STRANGER = 'nobody@unknown.example.org';

  const requestsRecorded = async () => Number((await platform.query<{ n: string }>(`SELECT count(*) AS n FROM outbox_events WHERE type = 'dashboard.sign_in_requested'`))[0].n);
  const emailsTo = (address: string) => platform.catcher.messages.filter((m) => m.to.includes(address));
  const shot = (page: Page, name: string) => screenshot(page, platform.artifactsDir, name);

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'sign-in-pages' });
    base = `http://127.0.0.1:${platform.apiPort}`;
    const programme = await platform.http('POST', '/api/v1/programmes', {
      name: 'Sign-in Programme',
      startsOn: '2026-09-01',
      endsOn: '2028-08-31',
      frameworkKey: 'ats-maturity',
      kpiDefinition: { completeRecordRequires: ['email'] },
    });
    expect(programme.status).toBe(201);
    const made = await platform.run('node', ['dist/tools/token.js', '--role', 'programme_manager', '--scope', `programme:${programme.body.id}`, '--name', 'Priya Shah', '--email', MANAGER], {
      DATABASE_URL: platform.databaseUrl,
    });
    expect(made.code).toBe(0);
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  }, STEP_TIMEOUT);

  /** Asks for a link at `/` and answers the email's link: the part of the journey every sign-in shares. */
  async function askForLink(page: Page, typed: string, step: string, { javaScript = true } = {}): Promise<string> {
    const before = emailsTo(MANAGER).length;
    await page.goto(`${base}/`);
    await page.getByLabel('Email address').fill(typed);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/check-your-email');
    if (javaScript) await expectAccessible(page);
    await shot(page, `${step}-check-your-email`);
    const email = await eventually(async () => {
      const sent = emailsTo(MANAGER);
      expect(sent.length).toBe(before + 1);
      return sent[before];
    });
    expect(email.subject).toBe('Sign in to the stemflow dashboard');
    return linkIn(email, 'sign-in');
  }

  it(
    'asks for an email address and, when it is missing or malformed, says what to fix and keeps what was typed',
    async () => {
      const page = await phonePage(browser);
      await page.goto(`${base}/`);
      await expect(page.title()).resolves.toBe('Sign in – stemflow');
      await page.getByRole('heading', { name: 'Sign in to stemflow' }).waitFor();
      await expectAccessible(page);
      await shot(page, '01-sign-in');

      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
      await expect(page.title()).resolves.toBe('Error: Sign in – stemflow');
      await expect(page.locator('.govuk-error-summary').getByRole('link', { name: 'Enter your email address' }).getAttribute('href')).resolves.toBe('#email');
      await expect(page.locator('#email-error').textContent()).resolves.toContain('Enter your email address');
      await expectAccessible(page);
      await shot(page, '02-sign-in-empty');

      await page.getByLabel('Email address').fill('priya at school');
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.locator('#email-error').getByText('Enter an email address in the correct format, like name@school.org.uk').waitFor();
      await expect(page.getByLabel('Email address').inputValue()).resolves.toBe('priya at school');
      await expectAccessible(page);
      await shot(page, '03-sign-in-malformed');
      expect(await requestsRecorded()).toBe(0);
      await page.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    'answers an address it does not know exactly as it answers a known one, and sends nothing',
    async () => {
      const page = await phonePage(browser);
      await page.goto(`${base}/`);
      await page.getByLabel('Email address').fill(STRANGER);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('heading', { name: 'Check your email' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/check-your-email');
      await expectAccessible(page);
      await shot(page, '04-unknown-check-your-email');
      // Nothing was asked of the worker, so nothing can be sent.
      expect(await requestsRecorded()).toBe(0);
      await page.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    'emails a known address a link whose page signs them in with one button, and then / takes them home',
    async () => {
      const page = await phonePage(browser);
      // Typed as people do: capitals and a stray space.
      const link = await askForLink(page, ' Priya.Shah@SignIn.example.org ', '05');
      expect(link.startsWith(`${base}/sign-in/`)).toBe(true);
      // JavaScript ran: GOV.UK Frontend's scripts were served and started.
      await expect(page.locator('body.govuk-frontend-supported').count()).resolves.toBe(1);

      await page.goto(link);
      await page.getByRole('heading', { name: 'Sign in to stemflow' }).waitFor();
      await page.getByText('You are signing in as Priya Shah').waitFor();
      await expectAccessible(page);
      await shot(page, '06-link-page');
      // Opening the link (as a mail scanner would) used nothing: the button does.
      expect((await platform.query(`SELECT 1 FROM page_links WHERE purpose = 'dashboard_sign_in' AND revoked_at IS NULL`)).length).toBe(1);

      await page.getByRole('button', { name: 'Sign in' }).click();
      // The site's address is now the person's home: who they are, and where to go.
      await page.getByRole('heading', { name: 'Welcome, Priya Shah' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/');
      await page.getByText('Programme manager, Sign-in Programme').waitFor();
      await expectAccessible(page);
      await shot(page, '07-signed-in');
      await openArea(page, 'Reports');
      await page.getByRole('heading', { name: 'Programme figures' }).waitFor();

      // The link worked once.
      const again = await page.context().newPage();
      await again.goto(link);
      await again.getByRole('heading', { name: 'This sign-in link cannot be used' }).waitFor();
      await expectAccessible(again);
      await shot(again, '08-link-used');
      await page.context().close();
    },
    STEP_TIMEOUT,
  );

  // axe-core runs as a script in the page, so it checks these same pages in the tests above.
  it(
    'does all of it with JavaScript off',
    async () => {
      const page = await withoutJavaScript(browser);
      await page.goto(`${base}/`);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
      await expect(page.title()).resolves.toBe('Error: Sign in – stemflow');
      await shot(page, '09-no-js-sign-in-empty');
      await expect(page.locator('body.govuk-frontend-supported').count()).resolves.toBe(0);

      const link = await askForLink(page, MANAGER, '10-no-js', { javaScript: false });
      await page.goto(link);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Welcome, Priya Shah' }).waitFor();
      await shot(page, '11-no-js-signed-in');
      // Signing out is a form, and works without a script too; the session is over.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in to stemflow' }).waitFor();
      await page.goto(`${base}/dashboard`);
      expect(new URL(page.url()).pathname).toBe('/');
      await page.context().close();
    },
    STEP_TIMEOUT,
  );

  it('answers a made-up link with the same page, and serves the pages’ assets', async () => {
    const made = await fetch(`${base}/sign-in/${'A'.repeat(43)}`);
    expect(made.status).toBe(404);
    await expect(made.text()).resolves.toContain('This sign-in link cannot be used');
    expect((await fetch(`${base}/sign-in/${'A'.repeat(43)}`, { method: 'POST', headers: { origin: base } })).status).toBe(404);

    for (const [path, type] of [
      ['/assets/application.css', 'text/css'],
      ['/assets/init.js', 'text/javascript'],
      ['/assets/govuk/govuk-frontend.min.js', 'text/javascript'],
      ['/assets/moj/moj-frontend.min.js', 'text/javascript'],
      ['/assets/images/icon-close-cross-black.svg', 'image/svg+xml'],
    ]) {
      const answer = await fetch(`${base}${path}`);
      expect([path, answer.status, answer.headers.get('content-type')?.split(';')[0]]).toEqual([path, 200, type]);
    }
    // No address was ever asked for the stranger, so no email reached them.
    expect(emailsTo(STRANGER)).toEqual([]);
  });
});
