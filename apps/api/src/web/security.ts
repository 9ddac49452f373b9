import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import type { AppConfig } from '#domain';
import { sendFormRefused } from '../pages/emailed-pages.js';
import { runWithPageNonce } from './page-nonce.js';

/*
 * Security headers and the same-origin rule for forms. Read with docs/security.md, which
 * says what each page kind answers and why.
 *
 * Paths are tested case-insensitively and with repeated slashes folded: Express routes
 * `/E/…` and `/Dashboard/…` to the same handlers as `/e/…` and `/dashboard/…`, and a rule
 * that missed them would be a way round it.
 */

/** Swagger UI and its assets. */
const API_DOCS = /^\/api\/docs(?:-json|-yaml)?(?:\/|$)/i;
/** The queue dashboard (bull-board), for admins. */
const QUEUE_DASHBOARD = /^\/admin\/queues(?:\/|$)/i;
const QUEUE_DASHBOARD_ASSETS = /^\/admin\/queues\/static\//i;
/**
 * An email rendered as the email it is (a template's preview, or an email of the ledger as
 * its recipient saw it): its look is in style attributes, as every email's is.
 */
const EMAIL_PREVIEW = /^\/(?:api\/v1\/templates\/[^/]+\/preview|emails\/[^/]+\/message)$/i;
/**
 * What may be kept by a browser or proxy: the assets, the health check and the API's
 * document. Everything else is a page of the console, a page opened from an email, an API
 * answer or the queue dashboard's, which hold personal data or carry a token in their
 * address, and whether a link works changes with time too: a kept 410 would outlive a
 * fresh link, a kept page someone's answers. So no-store is the rule, not the exception
 * a new page could be forgotten from.
 */
const MAY_BE_KEPT = /^\/(?:assets\/|health(?:\/|$)|api\/docs(?:-json|-yaml)?(?:\/|$))/i;
/** The bearer-token API: a token is never sent by a browser on its own, so a cross-site form cannot use one. */
const BEARER_API = /^\/api\/v1(?:\/|$)/i;
/** The unsubscribe link in a nudge, which mail providers POST to on the reader's behalf (RFC 8058). */
const UNSUBSCRIBE_LINK = /^\/u\/[^/]+$/i;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function pathOf(req: Request): string {
  return req.path.replace(/\/{2,}/g, '/');
}

type Directives = Record<string, Array<string | ((req: IncomingMessage, res: ServerResponse) => string)>>;

/**
 * Every header but the Content-Security-Policy, which depends on the path. The policy for
 * stemflow's own pages: nothing but stemflow's own (scripts only from its files, never
 * inline; styles from its files or in `<style>` elements carrying this answer's nonce;
 * requests only to itself), never framed, forms only to stemflow. `Referrer-Policy: no-referrer` everywhere: the address of a page opened from
 * an email holds its token, and no page needs to tell another site where it was.
 */
function headerSets(config: AppConfig): { pages: RequestHandler; docs: RequestHandler; queues: RequestHandler; emailPreview: RequestHandler } {
  const https = config.publicBaseUrl.startsWith('https:');
  const common = {
    referrerPolicy: { policy: 'no-referrer' as const },
    xFrameOptions: { action: 'deny' as const },
    // Only a site served over https may ask browsers to keep to it; subdomains are not ours to speak for.
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
  };
  const policy = (directives: Directives) =>
    helmet({
      ...common,
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          'frame-ancestors': ["'none'"],
          'object-src': ["'none'"],
          ...directives,
          // Only over https: on a plain-http deployment it would send forms to an https address that is not there.
          ...(https ? { 'upgrade-insecure-requests': [] } : {}),
        },
      },
    }) as RequestHandler;
  const nonce = (_req: IncomingMessage, res: ServerResponse) => `'nonce-${(res as unknown as Response).locals.cspNonce as string}'`;
  return {
    pages: policy({
      'default-src': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'self'"],
      'img-src': ["'self'"],
      'font-src': ["'self'"],
      // The page layer's stylesheet and scripts are files under /assets; older pages still
      // carry one <style> element with the answer's nonce.
      'script-src': ["'self'"],
      'style-src': ["'self'", nonce],
      // A search field's script asks stemflow, and only stemflow, for suggestions as a name is typed.
      'connect-src': ["'self'"],
    }),
    // Swagger UI is a third-party page: its scripts are files, but its HTML and the
    // components it draws carry inline styles, and its icons are data: images.
    docs: policy({
      'default-src': ["'self'"],
      'base-uri': ["'self'"],
      'form-action': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'data:'],
    }),
    // bull-board is a third-party page too: a React bundle (script files) drawing with
    // inline styles, a <base> element, data: icons, and its fonts from Google Fonts.
    queues: policy({
      'default-src': ["'self'"],
      'base-uri': ["'self'"],
      'form-action': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'", "'unsafe-inline'", 'https://fonts.googleapis.com'],
      'font-src': ["'self'", 'data:', 'https://fonts.gstatic.com'],
      'img-src': ["'self'", 'data:'],
    }),
    // An email's HTML styles itself with attributes (mail clients drop <style>); no script,
    // nothing loaded, and a sandbox of its own origin, so even a link in it acts as nothing
    // of the console's.
    emailPreview: policy({
      sandbox: [],
      'default-src': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
      'style-src': ["'unsafe-inline'"],
      'img-src': ["'self'", 'data:'],
    }),
  };
}

/**
 * The headers of every answer: helmet's set with the policy of the path's kind, and
 * `Cache-Control: no-store` where personal data or a token is in play. Draws the nonce
 * that lets a page's own `<style>` through and runs the rest of the request with it.
 */
export function securityHeaders(config: AppConfig): RequestHandler {
  const sets = headerSets(config);
  return (req: Request, res: Response, next: NextFunction) => {
    const path = pathOf(req);
    const nonce = randomBytes(16).toString('base64');
    res.locals.cspNonce = nonce;
    const set = API_DOCS.test(path) ? sets.docs : QUEUE_DASHBOARD.test(path) ? sets.queues : EMAIL_PREVIEW.test(path) ? sets.emailPreview : sets.pages;
    if (!MAY_BE_KEPT.test(path) && !QUEUE_DASHBOARD_ASSETS.test(path)) res.setHeader('Cache-Control', 'no-store');
    set(req, res, (error?: unknown) => (error ? next(error) : runWithPageNonce(nonce, next)));
  };
}

/**
 * Whether a browser sent this request from one of stemflow's own pages. The Origin header
 * says so when it names PUBLIC_BASE_URL's origin. A page under `no-referrer` makes the
 * browser send `Origin: null` with its forms, and then `Sec-Fetch-Site: same-origin` says
 * so (browsers set it; no page can). With neither, a Referer on our origin will do.
 * Anything else — another origin, another site, or nothing at all — is refused.
 */
export function sentFromOwnPage(req: Request, ownOrigin: string): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== 'null') return origin === ownOrigin;
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin';
  if (origin === 'null') return false;
  const referer = req.headers.referer;
  if (!referer) return false;
  try {
    return new URL(referer).origin === ownOrigin;
  } catch {
    return false;
  }
}

/**
 * RFC 8058's one-click unsubscribe: the mail provider POSTs `List-Unsubscribe=One-Click`
 * (as a urlencoded or multipart form) from its own servers, with no Origin. The token in
 * the address is what authorises it, as the RFC intends; what is refused is a browser
 * saying the POST comes from another site's page.
 */
function isOneClickUnsubscribe(req: Request, path: string, ownOrigin: string): boolean {
  if (req.method !== 'POST' || !UNSUBSCRIBE_LINK.test(path)) return false;
  const origin = req.headers.origin;
  const site = req.headers['sec-fetch-site'];
  if ((origin !== undefined && origin !== ownOrigin) || (site !== undefined && site !== 'same-origin')) return false;
  const body = req.body as Record<string, unknown> | undefined;
  const multipart = /^multipart\/form-data\b/i.test(req.headers['content-type'] ?? '');
  return multipart || body?.['List-Unsubscribe'] === 'One-Click';
}

/**
 * The forms of the pages opened from emails, the dashboard's and the queue dashboard's
 * are answered only when sent from stemflow's own pages (see `sentFromOwnPage`); the
 * bearer-token API needs no such check. This needs no session, so it holds for the
 * emailed-link pages too, and a refusal (403, a page like the others) comes before any
 * handler runs, so nothing changes. Registered after the body parsers: the one-click
 * unsubscribe is recognised by its body.
 */
export function sameOriginForms(config: AppConfig): RequestHandler {
  const ownOrigin = new URL(config.publicBaseUrl).origin;
  return (req: Request, res: Response, next: NextFunction) => {
    const path = pathOf(req);
    if (SAFE_METHODS.has(req.method) || BEARER_API.test(path)) return next();
    if (sentFromOwnPage(req, ownOrigin) || isOneClickUnsubscribe(req, path, ownOrigin)) return next();
    sendFormRefused(res);
  };
}
