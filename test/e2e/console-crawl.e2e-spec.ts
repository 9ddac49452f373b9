import type { Browser, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, screenshot } from '../support/browser.js';
import { makeStaff, signIn } from '../support/console.js';
import { TestPlatform } from '../support/platform.js';
import { emailedLinks, type EmailedLinks } from '../support/programme.js';

/**
 * Every page of the console a person can reach by following links from their home, for
 * each staff role: none answers an error, none has a serious or critical accessibility
 * problem at a phone's width or a laptop's, and none scrolls sideways on a 320 px screen.
 *
 * A page is visited once per kind: addresses are folded by replacing ids (and calendars'
 * keys) with `:id` and dropping the query, so a list's second page or another school's
 * page is not visited again. New areas are covered as soon as a link to them appears.
 */
/** An admin reaches every kind of page, each checked at two widths: generous, for a loaded machine. */
const STEP_TIMEOUT = 1_800_000;
/** A guard against a link loop, far above the console's size. */
const MOST_PAGES = 120;
/**
 * Not console pages: files to download, the API, the assets, and an email's HTML as its
 * recipient saw it (a sandboxed document that runs no script, so axe cannot run in it; the
 * email's own page, which links to it, is crawled).
 */
const NOT_A_PAGE = /^\/(?:api\/|assets\/|health\b)|\/csv\/|\.(?:zip|csv|ics|pdf)(?:\?|$)|^\/emails\/[^/?]+\/message\b/i;

function kindOf(path: string): string {
  return path
    .split('?')[0]
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ':id')
    .replace(/^\/calendars\/[^/]+/, '/calendars/:id')
    .replace(/\/\d+(?=\/|$)/g, '/:n');
}

interface Visit {
  path: string;
  status: number;
}

async function crawl(page: Page, base: string, role: string, artifacts: string): Promise<Visit[]> {
  const queue = ['/'];
  const kinds = new Set<string>([kindOf('/')]);
  const visits: Visit[] = [];
  while (queue.length > 0 && visits.length < MOST_PAGES) {
    const path = queue.shift()!;
    const answer = await page.goto(`${base}${path}`);
    const status = answer?.status() ?? 0;
    visits.push({ path, status });
    // A link on one of stemflow's own pages that answers an error is a broken promise.
    if (status >= 400) throw new Error(`${role}: ${path} answered ${status}`);
    if (!(answer?.headers()['content-type'] ?? '').includes('text/html')) continue;

    await expectAccessible(page);
    const size = page.viewportSize()!;
    await page.setViewportSize({ width: 320, height: size.height });
    const sideways = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    await page.setViewportSize(size);
    if ((sideways as number) > 0) throw new Error(`${role}: ${path} scrolls sideways by ${String(sideways)} px at 320 px`);
    await screenshot(page, artifacts, `${role}-${visits.length.toString().padStart(2, '0')}-${kindOf(path).replace(/[^a-z0-9]+/gi, '-') || 'home'}`);

    const hrefs = await page.$$eval('a[href]', (links) => links.map((a) => a.getAttribute('href') ?? ''));
    for (const href of hrefs) {
      if (!href.startsWith('/') || href.startsWith('//') || NOT_A_PAGE.test(href)) continue;
      const target = href.split('#')[0];
      const kind = kindOf(target);
      if (target === '' || kinds.has(kind)) continue;
      kinds.add(kind);
      queue.push(target);
    }
  }
  return visits;
}

describe('the console, crawled as each staff role', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let emailed: EmailedLinks;
  let base: string;

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'console-crawl', env: { CLOCK: 'virtual' } });
    base = `http://127.0.0.1:${platform.apiPort}`;
    // A programme with something in every area: schools, a partnership, a self-evaluation,
    // an ambassador request, a CPD session with its register taken, and the emails they sent.
    emailed = await emailedLinks(platform, { name: 'Crawl', urnBase: 960_000 });
    const { programmeId, partnershipId } = emailed.fixture;
    await makeStaff(platform, { role: 'admin', name: 'Ada Admin', email: 'ada@crawl.example.org' });
    await makeStaff(platform, { role: 'programme_manager', scope: `programme:${programmeId}`, name: 'Priya Manager', email: 'priya@crawl.example.org' });
    await makeStaff(platform, { role: 'educational_lead', scope: `partnership:${partnershipId}`, name: 'Lee Lead', email: 'lee@crawl.example.org' });
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  }, 180_000);

  it.each([
    ['admin', 'ada@crawl.example.org'],
    ['programme manager', 'priya@crawl.example.org'],
    ['educational lead', 'lee@crawl.example.org'],
  ])(
    'as %s, every page reached from home answers, is accessible at 390 and 1280 px, and does not scroll sideways at 320 px',
    async (role, email) => {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await signIn(page, platform, email);
      const visits = await crawl(page, base, role.replace(/ /g, '-'), platform.artifactsDir);
      process.stdout.write(`console crawl, ${role}: ${visits.length} kinds of page: ${visits.map((v) => kindOf(v.path)).join(' ')}\n`);
      // Home and at least the reports: the crawl found the navigation.
      expect(visits.map((v) => kindOf(v.path))).toEqual(expect.arrayContaining(['/', '/dashboard']));
      expect(visits.every((v) => v.status < 400)).toBe(true);
      await page.context().close();
    },
    STEP_TIMEOUT,
  );
});
