import type { Browser } from 'playwright-core';
import { launchBrowser, screenshot } from '../support/browser.js';
import { FormClient } from '../support/forms.js';
import { ADMIN_TOKEN, eventually, TestPlatform } from '../support/platform.js';
import { emailedLinks } from '../support/programme.js';
import { openArea } from '../support/console.js';

/**
 * Every kind of page and API answer carries the security headers, and every kind of form
 * is answered only when sent from stemflow's own pages: a POST from another origin, or
 * with no origin at all, gets a 403 page and changes nothing; the same POST from
 * PUBLIC_BASE_URL's origin works. A mail provider's one-click unsubscribe still works.
 * In Chromium, a page and the dashboard show no Content-Security-Policy violation.
 */
describe('security headers and same-origin forms', () => {
  let platform: TestPlatform;
  let browser: Browser;
  const links: Record<'e' | 'r' | 's' | 'u', string> = {} as never;
  let personId = '';
  let dashboardCookie = '';
  /** The browser signed in to the dashboard, holding its session and form cookies. */
  let dashboardBrowser: FormClient;
  const evil = 'https://evil.example.net';
  const MANAGER = 'manager@headers.example.org';

  const ok = async (method: string, path: string, body?: unknown) => {
    const answer = await platform.http(method, path, body);
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
    return answer.body;
  };
  const moveClock = (iso: string) => ok('POST', '/api/v1/admin/clock', { now: iso });
  const mailTo = (email: string, subject: RegExp) =>
    eventually(async () => {
      const found = platform.catcher.messages.filter((m) => m.to.includes(email) && subject.test(m.subject));
      if (found.length === 0) throw new Error(`no message to ${email} matching ${subject}`);
      return found[found.length - 1];
    });
  const signInLinkIn = (text: string) => text.match(/http:\/\/\S+\/sign-in\/[A-Za-z0-9_-]{43}/)![0];
  /** A form POST as a browser or a tool sends it; `origin` undefined sends none. */
  const post = (url: string, form: string, headers: Record<string, string> = {}) =>
    fetch(url.startsWith('http') ? url : `${platform.baseUrl}${url}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: form,
    });
  const own = () => ({ origin: platform.baseUrl });

  /** What any of the forms could change, read straight from the database. */
  const snapshot = async () => {
    const digest = async (sql: string) => (await platform.query<{ d: string | null }>(`SELECT md5(string_agg(r::text, '|' ORDER BY r::text)) AS d FROM (${sql}) r`))[0].d;
    return {
      selfEvaluations: await digest('SELECT id, status, revision, answers FROM self_evaluations'),
      revisions: await platform.count('self_evaluation_revisions'),
      surveyResponses: await digest('SELECT id, revision, answers FROM survey_responses'),
      offers: await digest('SELECT id, status FROM ambassador_offers'),
      offerAnswers: await platform.count('offer_answers'),
      preferences: await platform.count('communication_preferences'),
      sessions: await digest('SELECT id, ended_at FROM dashboard_sessions'),
      signInLinks: await digest(`SELECT id, revoked_at FROM page_links WHERE purpose = 'dashboard_sign_in'`),
      // Only the events a form records: the worker keeps recording others of its own.
      events: await platform.count(
        `outbox_events WHERE type IN ('page_link.renewal_requested', 'dashboard.sign_in_requested', 'self_evaluation.submitted') OR type IN ('ambassador_offer.accepted', 'ambassador_offer.declined', 'ambassador_offer.withdrew', 'survey.responded')`,
      ),
      audit: await platform.count('audit_log'),
    };
  };

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'security-headers', env: { CLOCK: 'virtual' } });
    const emailed = await emailedLinks(platform, { name: 'Headers', urnBase: 970_000 });
    Object.assign(links, emailed.links);
    const fixture = emailed.fixture;
    personId = emailed.teacher.id;

    const made = await platform.run('node', ['dist/tools/token.js', '--role', 'programme_manager', '--scope', `programme:${fixture.programmeId}`, '--name', 'Priya', '--email', MANAGER], {
      DATABASE_URL: platform.databaseUrl,
    });
    if (made.code !== 0) throw new Error(made.stderr);
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  /** The headers every page and answer carries, with the page policy unless told otherwise. */
  const expectSecured = (answer: Response, what: string, options: { noStore: boolean; policy?: 'pages' | 'third-party' | 'email' }) => {
    const h = (name: string) => answer.headers.get(name) ?? '';
    const csp = h('content-security-policy');
    try {
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain("'unsafe-eval'");
      const policy = options.policy ?? 'pages';
      if (policy === 'third-party') {
        // Scripts from files only, never inline.
        expect(csp).toMatch(/script-src 'self'(;|$)/);
      } else if (policy === 'email') {
        // No script at all.
        expect(csp).toContain("default-src 'none'");
        expect(csp).not.toContain('script-src');
      } else {
        // Scripts only from stemflow's own files (the page layer's /assets), never inline.
        expect(csp).toContain("default-src 'none'");
        expect(csp).toMatch(/script-src 'self'(;|$)/);
      }
      if (policy === 'pages') {
        expect(csp).toMatch(/style-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}'(;|$)/);
        expect(csp).not.toContain("'unsafe-inline'");
      }
      expect(h('x-content-type-options')).toBe('nosniff');
      expect(h('x-frame-options')).toBe('DENY');
      expect(h('referrer-policy')).toBe('no-referrer');
      if (options.noStore) expect(h('cache-control')).toBe('no-store');
      else expect(h('cache-control')).not.toBe('no-store');
    } catch (error) {
      throw new Error(`${what}: ${(error as Error).message}`, { cause: error });
    }
  };
  /** A page's `<style>` carries the nonce its header allows, and nothing on it is an inline script or a style attribute. */
  const expectNonced = (answer: Response, html: string, what: string) => {
    const nonce = /'nonce-([^']+)'/.exec(answer.headers.get('content-security-policy') ?? '')![1];
    const styles = [...html.matchAll(/<style([^>]*)>/g)];
    expect({ what, styles: styles.length > 0 && styles.every((s) => s[1] === ` nonce="${nonce}"`) }).toEqual({ what, styles: true });
    expect({ what, script: /<script(?![^>]*\ssrc=)|\son[a-z]+=|\sstyle="/i.test(html) }).toEqual({ what, script: false });
  };

  it('secures the pages opened from emails, valid and unknown, and the unsubscribe page', async () => {
    for (const kind of ['e', 'r', 's', 'u'] as const) {
      const page = await fetch(links[kind]);
      const html = await page.text();
      expect({ kind, status: page.status }).toEqual({ kind, status: 200 });
      expectSecured(page, `/${kind}/ valid`, { noStore: true });
      expectNonced(page, html, `/${kind}/ valid`);
      const unknown = await fetch(`${platform.baseUrl}/${kind}/${'x'.repeat(43)}`);
      expect({ kind, status: unknown.status }).toEqual({ kind, status: 404 });
      expectSecured(unknown, `/${kind}/ unknown`, { noStore: true });
      expectNonced(unknown, await unknown.text(), `/${kind}/ unknown`);
    }
  });

  it('secures signing in and the dashboard: the sign-in page, a signed-in page with charts, and its CSV', async () => {
    dashboardBrowser = new FormClient(platform.baseUrl);
    const signIn = await dashboardBrowser.open('/');
    expectSecured(signIn, '/', { noStore: true });
    // The page layer's pages load their script as a file: nothing inline.
    expect(/<script(?![^>]*\ssrc=)|\son[a-z]+=|\sstyle="/i.test(await signIn.text())).toBe(false);

    expect((await dashboardBrowser.send('/', { email: MANAGER })).status).toBe(303);
    const link = signInLinkIn((await mailTo(MANAGER, /^Sign in to the stemflow dashboard/)).text);
    const confirm = await dashboardBrowser.open(link);
    expectSecured(confirm, 'sign-in link page', { noStore: true });
    const signedIn = await dashboardBrowser.send(link);
    expect(signedIn.status).toBe(303);
    expectSecured(signedIn, 'sign-in answer', { noStore: true });
    dashboardCookie = dashboardBrowser.cookie;

    const dashboard = await fetch(`${platform.baseUrl}/dashboard`, { headers: { cookie: dashboardCookie } });
    const html = await dashboard.text();
    expect(dashboard.status).toBe(200);
    expect(html).toContain('<svg class="chart app-chart"');
    expectSecured(dashboard, '/dashboard', { noStore: true });
    // On the page layer too: the charts' colours are SVG attributes, the rest the stylesheet's; no inline style or script.
    expect(/<script(?![^>]*\ssrc=)|<style|\son[a-z]+=|\sstyle="/i.test(html)).toBe(false);
    const csv = await fetch(`${platform.baseUrl}/dashboard/csv/schools-by-status`, { headers: { cookie: dashboardCookie } });
    expect(csv.status).toBe(200);
    expectSecured(csv, '/dashboard/csv', { noStore: true });
  });

  it('secures the API: a list, a problem answer, the export page, /health, and the two third-party pages on their own policy', async () => {
    const bearer = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const list = await fetch(`${platform.baseUrl}/api/v1/programmes`, { headers: bearer });
    expect(list.status).toBe(200);
    expectSecured(list, 'API list', { noStore: true });
    const problem = await fetch(`${platform.baseUrl}/api/v1/programmes/00000000-0000-4000-8000-000000000000`, { headers: bearer });
    expect(problem.status).toBe(404);
    expect(problem.headers.get('content-type')).toContain('application/problem+json');
    expectSecured(problem, 'problem answer', { noStore: true });
    const anonymous = await fetch(`${platform.baseUrl}/api/v1/programmes`);
    expect(anonymous.status).toBe(401);
    expectSecured(anonymous, '401 answer', { noStore: true });

    const exported = await fetch(`${platform.baseUrl}/api/v1/people/${personId}/export`, { headers: { ...bearer, accept: 'text/html' } });
    const html = await exported.text();
    expect(exported.status).toBe(200);
    expect(html).toContain('Everything held about a person');
    expectSecured(exported, 'export page', { noStore: true });
    // On the page layer: the stylesheet's file, no inline style or script.
    expect(/<style|<script(?![^>]*\ssrc=)|\son[a-z]+=|\sstyle="/i.test(html)).toBe(false);
    expect(html).toContain('<link rel="stylesheet" href="/assets/application.css">');

    const health = await fetch(`${platform.baseUrl}/health`);
    expect(health.status).toBe(200);
    expectSecured(health, '/health', { noStore: false });

    const docs = await fetch(`${platform.baseUrl}/api/docs`);
    expect(docs.status).toBe(200);
    expectSecured(docs, '/api/docs', { noStore: false, policy: 'third-party' });
    const queues = await fetch(`${platform.baseUrl}/admin/queues`, { headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}` } });
    expect(queues.status).toBe(200);
    expectSecured(queues, '/admin/queues', { noStore: true, policy: 'third-party' });
    const preview = await fetch(`${platform.baseUrl}/api/v1/templates/survey.invitation/preview?format=html`, { headers: bearer });
    expect(preview.status).toBe(200);
    expect(preview.headers.get('content-security-policy')).toContain("style-src 'unsafe-inline'");
    expectSecured(preview, 'email preview', { noStore: true, policy: 'email' });
  });

  /** One POST of each kind of form, as its page sends it. */
  const forms = () => [
    { name: 'self-evaluation draft', url: links.e, form: 'action=draft&evidence-1=Our+clubs' },
    { name: 'self-evaluation fresh link', url: `${links.e}/renew`, form: '' },
    { name: "ambassador's answer", url: links.r, form: 'answer=decline&reason=Away' },
    { name: 'offer fresh link', url: `${links.r}/renew`, form: '' },
    { name: 'survey answers', url: links.s, form: 'satisfaction=poor' },
    { name: 'survey fresh link', url: `${links.s}/renew`, form: '' },
    { name: 'unsubscribe button', url: links.u, form: '' },
    { name: 'sign-out', url: '/sign-out', form: '' },
    { name: 'sign-in request', url: '/', form: `email=${encodeURIComponent(MANAGER)}` },
    { name: 'sign-in link', url: '/sign-in/' + 'A'.repeat(43), form: '' },
  ];

  it('refuses every kind of form sent from another origin, another site, or no origin, with a 403 page, and changes nothing', async () => {
    // A live sign-in link, so that a refused use of it could be seen to change something.
    expect((await new FormClient(platform.baseUrl).send('/', { email: MANAGER })).status).toBe(303);
    const liveLink = await eventually(async () => {
      const found = platform.catcher.messages.filter((m) => m.to.includes(MANAGER) && /^Sign in/.test(m.subject));
      expect(found.length).toBe(2);
      return signInLinkIn(found[1].text);
    });
    const before = await snapshot();
    const senders: Array<[string, Record<string, string>]> = [
      ['another origin', { origin: evil }],
      ['another site, as a browser says', { origin: 'null', 'sec-fetch-site': 'cross-site' }],
      ['a sibling site', { 'sec-fetch-site': 'same-site' }],
      ['a null origin alone', { origin: 'null' }],
      ['a referer elsewhere', { referer: `${evil}/page` }],
      ['no origin at all', {}],
    ];
    for (const { name, url, form } of [...forms(), { name: 'live dashboard sign-in link', url: liveLink, form: '' }]) {
      for (const [sender, headers] of senders) {
        const answer = await post(url, form, { ...headers, ...(name === 'sign-out' ? { cookie: dashboardCookie } : {}) });
        const html = await answer.text();
        expect({ name, sender, status: answer.status }).toEqual({ name, sender, status: 403 });
        expect(answer.headers.get('content-type')).toContain('text/html');
        expect(html).toContain('This form was not accepted</h1>');
        expect(html).toContain('class="govuk-generic-header');
        expectSecured(answer, `${name} refused`, { noStore: true });
      }
    }
    // The same holds whatever case or slashes the address is written with.
    expect((await post(links.e.replace('/e/', '/E/'), 'action=draft', { origin: evil })).status).toBe(403);
    expect((await post(`${platform.baseUrl}/SIGN-OUT`, '', { origin: evil, cookie: dashboardCookie })).status).toBe(403);
    expect(await snapshot()).toEqual(before);
    // The session refused a sign-out is still signed in.
    expect((await fetch(`${platform.baseUrl}/dashboard`, { headers: { cookie: dashboardCookie }, redirect: 'manual' })).status).toBe(200);
  });

  it("answers the same forms sent from stemflow's own origin, or by a browser under no-referrer", async () => {
    const draft = await post(links.e, 'action=draft&evidence-1=Our+clubs', own());
    expect(draft.status).toBe(303);
    expect(await platform.count('self_evaluation_revisions')).toBe(1);
    // Under no-referrer a browser sends `Origin: null`, and says the form is ours with Sec-Fetch-Site.
    expect((await post(`${links.e}/renew`, '', { origin: 'null', 'sec-fetch-site': 'same-origin' })).status).toBe(303);
    const answered = await post(links.r, 'answer=decline&reason=Away', own());
    expect(answered.status).toBe(200);
    expect(await platform.count('offer_answers')).toBe(1);
    expect((await post(`${links.r}/renew`, '', { referer: `${platform.baseUrl}/r/page` })).status).toBe(303);
    const survey = await post(links.s, 'satisfaction=poor', own());
    expect(survey.status).toBe(422);
    expect((await post(`${links.s}/renew`, '', own())).status).toBe(303);
    expect((await post('/sign-in/' + 'A'.repeat(43), '', own())).status).toBe(404);
    const unsubscribed = await post(links.u, '', own());
    expect(unsubscribed.status).toBe(200);
    expect(await unsubscribed.text()).toContain('>Done</h1>');
    expect(await platform.count('communication_preferences')).toBe(1);
    const signedOut = await dashboardBrowser.send('/sign-out');
    expect(signedOut.status).toBe(303);
    expect((await fetch(`${platform.baseUrl}/dashboard`, { headers: { cookie: dashboardCookie }, redirect: 'manual' })).status).toBe(303);
  });

  it("keeps a mail provider's one-click unsubscribe working without an origin, but not from another site's page", async () => {
    await platform.query('DELETE FROM communication_preferences');
    const fromAnotherSite = await post(links.u, 'List-Unsubscribe=One-Click', { origin: evil, 'sec-fetch-site': 'cross-site' });
    expect(fromAnotherSite.status).toBe(403);
    expect(await platform.count('communication_preferences')).toBe(0);
    const oneClick = await post(links.u, 'List-Unsubscribe=One-Click');
    expect(oneClick.status).toBe(200);
    expect(await platform.count('communication_preferences')).toBe(1);
    await platform.query('DELETE FROM communication_preferences');
    const multipart = new FormData();
    multipart.set('List-Unsubscribe', 'One-Click');
    const asMultipart = await fetch(links.u, { method: 'POST', body: multipart });
    expect(asMultipart.status).toBe(200);
    expect(await platform.count('communication_preferences')).toBe(1);
  });

  it('leaves the bearer-token API to its tokens: a write with no origin works', async () => {
    const answer = await platform.http('POST', '/api/v1/programmes', {
      name: 'No origin needed',
      startsOn: '2026-09-01',
      endsOn: '2027-08-31',
      frameworkKey: 'ats-maturity',
      kpiDefinition: { completeRecordRequires: ['email'] },
    });
    expect(answer.status).toBe(201);
  });

  it('in Chromium, a page opened from an email and the dashboard show no policy violation, and a form still sends', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const violations: string[] = [];
    const page = await context.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(links.e);
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    // The error summary, with its alert, is what has the focus.
    await eventually(async () => expect(await page.evaluate('document.activeElement.querySelector("[role=alert]") !== null')).toBe(true));
    // The page's own style element applied: the header has the programme's colour.
    expect(await page.evaluate(`getComputedStyle(document.querySelector('.govuk-generic-header')).backgroundColor`)).toBe('rgb(11, 83, 148)');
    await screenshot(page, platform.artifactsDir, 'self-evaluation-errors');

    await page.goto(`${platform.baseUrl}/`);
    await page.getByLabel('Email address').fill(MANAGER);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    const link = await eventually(async () => {
      const found = platform.catcher.messages.filter((m) => m.to.includes(MANAGER) && /^Sign in/.test(m.subject));
      expect(found.length).toBe(3);
      return signInLinkIn(found[2].text);
    });
    await page.goto(link);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: /Welcome/ }).waitFor();
    await openArea(page, 'Reports');
    await page.getByRole('heading', { name: 'Programme figures' }).waitFor();
    expect(await page.locator('svg.chart').count()).toBeGreaterThan(0);
    // The stylesheet applied: the console's width and the charts scaled to it.
    expect(await page.evaluate(`getComputedStyle(document.querySelector('.govuk-width-container')).maxWidth`)).toBe('1100px');
    expect(await page.evaluate(`getComputedStyle(document.querySelector('svg.chart')).maxWidth`)).toBe('100%');
    await screenshot(page, platform.artifactsDir, 'dashboard');
    expect(violations).toEqual([]);
    await context.close();
  }, 120_000);

  it('secures an expired link page (410), whose fresh-link form is checked like the others', async () => {
    await moveClock('2027-01-28T10:00:00Z');
    const expired = await fetch(links.e);
    const html = await expired.text();
    expect(expired.status).toBe(410);
    expectSecured(expired, '/e/ expired', { noStore: true });
    expectNonced(expired, html, '/e/ expired');
  });
});
