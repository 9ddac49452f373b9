import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AppConfig } from '#domain';

/*
 * A token in every form of the console and the sign-in page, so a page on another site
 * cannot make a signed-in person's browser submit one (the same-origin check in
 * security.ts is the first line; this is the second, and the one that does not depend on
 * what headers an old browser sends).
 *
 * The browser holds a random value in the `stemflow_form` cookie (HttpOnly, SameSite=Lax);
 * a form carries an HMAC of it under LINK_SECRET in its `_csrf` field. Another site can
 * neither read the cookie nor compute the HMAC. It is set on the first page a browser
 * opens, before anyone signs in, so the sign-in form is covered too.
 *
 * Not covered, on purpose: the bearer-token API (a browser never sends a token on its own),
 * and the pages behind an emailed link (`/e`, `/r`, `/s`, `/u`, `/sign-in/<token>`), whose
 * address is itself a secret another site cannot know; the one-click unsubscribe is POSTed
 * by mail providers, which hold no cookie.
 */

export const FORM_COOKIE = 'stemflow_form';
const FORM_FIELD = '_csrf';
const COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/;
const NOT_A_FORM = /^\/(?:api\/v1|assets|health|api\/docs|admin\/queues)(?:[/-]|$)/i;
const SECRET_ADDRESS = /^\/(?:e|r|s|u|sign-in)\/[^/]+/i;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function cookieValue(req: Request): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === FORM_COOKIE) {
      const v = value.join('=');
      return COOKIE_VALUE.test(v) ? v : undefined;
    }
  }
  return undefined;
}

export function formToken(secret: string, cookie: string): string {
  return createHmac('sha256', secret).update(`form:${cookie}`).digest('base64url');
}

function sameToken(given: unknown, expected: string): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

/**
 * Gives every browser its form cookie, puts the matching token in the view locals
 * (`csrfToken`, which every form template carries as `_csrf`), and refuses a form sent
 * without it with a page (403) before any handler runs, so nothing changes. A file upload
 * (multipart, which no body parser here reads) carries the token in its action's query.
 */
export function formTokens(config: AppConfig): RequestHandler {
  const secure = config.publicBaseUrl.startsWith('https:');
  return (req: Request, res: Response, next: NextFunction) => {
    const path = req.path.replace(/\/{2,}/g, '/');
    if (NOT_A_FORM.test(path)) return next();
    let cookie = cookieValue(req);
    const expected = cookie ? formToken(config.linkSecret, cookie) : undefined;
    if (!SAFE_METHODS.has(req.method) && !SECRET_ADDRESS.test(path)) {
      const body = req.body as Record<string, unknown> | undefined;
      const given = body?.[FORM_FIELD] ?? req.query[FORM_FIELD];
      if (!expected || !sameToken(given, expected)) {
        res.status(403).render('form-expired');
        return;
      }
    }
    if (!cookie) {
      cookie = randomBytes(32).toString('base64url');
      res.append('Set-Cookie', `${FORM_COOKIE}=${cookie}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`);
    }
    res.locals.csrfToken = expected ?? formToken(config.linkSecret, cookie);
    next();
  };
}
