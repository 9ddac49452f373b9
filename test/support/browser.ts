import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
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
export function linkIn(message: CaughtMessage, prefix: 'e' | 'r' | 's' | 'sign-in'): string {
  const match = message.text.match(new RegExp(`https?://[^\\s]+/${prefix}/[A-Za-z0-9_-]{43}`));
  if (!match) throw new Error(`no /${prefix}/ link in "${message.subject}":\n${message.text}`);
  return match[0];
}

export async function screenshot(page: Page, dir: string, name: string): Promise<string> {
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * A page in a browser with JavaScript turned off: every journey works without it (plain
 * forms, POST-redirect-GET), and this is how a suite proves so. `expectAccessible` cannot
 * run here (axe-core is a script, and with scripts off its timers never fire): check the
 * same pages in a page with JavaScript on.
 */
export async function withoutJavaScript(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options, javaScriptEnabled: false });
  return context.newPage();
}

/** The widths every page is checked at: a phone, and a laptop. */
export const CHECKED_WIDTHS = [390, 1280] as const;
const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/**
 * Runs axe-core's WCAG 2.2 A and AA rules on the page as it is now, at each width (the page
 * is resized and then put back), and fails on any serious or critical violation, naming
 * the rule, the width and the elements. Lesser findings are not a failure.
 */
export async function expectAccessible(page: Page, widths: readonly number[] = CHECKED_WIDTHS): Promise<void> {
  const size = page.viewportSize() ?? { width: 1280, height: 900 };
  const problems: string[] = [];
  try {
    for (const width of widths) {
      await page.setViewportSize({ width, height: size.height });
      const { violations } = await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze();
      for (const v of violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
        problems.push(`${v.id} (${v.impact}) at ${width} px: ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`);
      }
    }
  } finally {
    await page.setViewportSize(size);
  }
  if (problems.length > 0) throw new Error(`${page.url()} is not accessible:\n  ${problems.join('\n  ')}`);
}
