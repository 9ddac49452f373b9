import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { CaughtMessage } from '#notifications/catcher/mail-catcher';

/**
 * Debian's Chromium, driven by playwright-core (no browser download). The flags keep it
 * from reaching for the network this machine does not have.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p)) ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** A phone-sized page, as most people open links from their email. */
export async function phonePage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
  return context.newPage();
}

/** The first link in an email's text to a page under `/{prefix}/`. */
export function linkIn(message: CaughtMessage, prefix: 'e' | 'r' | 's'): string {
  const match = message.text.match(new RegExp(`https?://[^\\s]+/${prefix}/[A-Za-z0-9_-]{43}`));
  if (!match) throw new Error(`no /${prefix}/ link in "${message.subject}":\n${message.text}`);
  return match[0];
}

export async function screenshot(page: Page, dir: string, name: string): Promise<string> {
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
