import type { Page } from 'playwright-core';
import { linkIn } from './browser.js';
import { eventually, type TestPlatform } from './platform.js';

/**
 * Makes a staff account the way scripts do (the token tool), for a suite's setup: a person
 * with an email address who can then sign in through the pages.
 */
export async function makeStaff(platform: TestPlatform, options: { role: string; scope?: string; name: string; email: string }): Promise<void> {
  const args = ['dist/tools/token.js', '--role', options.role, '--name', options.name, '--email', options.email, ...(options.scope ? ['--scope', options.scope] : [])];
  const made = await platform.run('node', args, { DATABASE_URL: platform.databaseUrl });
  if (made.code !== 0) throw new Error(`token tool failed: ${made.stderr}`);
}

/**
 * Signs in through the site's address as a person does: the email address, the link in the
 * inbox, the button on the link's page. Leaves the page on the person's home.
 */
export async function signIn(page: Page, platform: TestPlatform, email: string): Promise<void> {
  const base = `http://127.0.0.1:${platform.apiPort}`;
  const before = platform.catcher.messages.filter((m) => m.to.includes(email.toLowerCase())).length;
  await page.goto(`${base}/`);
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'Check your email' }).waitFor();
  const message = await eventually(async () => {
    const sent = platform.catcher.messages.filter((m) => m.to.includes(email.toLowerCase()));
    if (sent.length <= before) throw new Error(`no sign-in email to ${email} yet`);
    return sent[sent.length - 1];
  });
  await page.goto(linkIn(message, 'sign-in'));
  await page.getByRole('button', { name: 'Sign in' }).click();
  // The heading's caption (role and scope) comes first in its name: "Programme manager, … Welcome, Priya Shah".
  await page.getByRole('heading', { name: /Welcome, / }).waitFor();
}

/**
 * Opens an area of the console as a person would from where they are: by its visible link.
 * At a phone's width the service navigation folds behind "Menu" once the page's script has
 * run, so this waits for the page to load first, then takes the navigation's link where it
 * shows, else the home page's own link to the same area.
 */
export async function openArea(page: Page, name: string): Promise<void> {
  await page.waitForLoadState();
  await page.getByRole('link', { name }).filter({ visible: true }).first().click();
}

/**
 * Waits until the page's search fields that offer suggestions have been enhanced (with
 * JavaScript on), for a suite that means to use the suggestions: the script replaces the
 * field with its own, and suggestions are offered only in that one.
 */
export async function suggestionsReady(page: Page): Promise<void> {
  await page.locator('input[data-autocomplete]').first().waitFor({ state: 'detached' });
}
