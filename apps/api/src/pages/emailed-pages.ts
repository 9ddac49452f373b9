import type { Response } from 'express';
import { SERVICE_NAME } from '../web/pages.js';

/** The programme a page opened from an email speaks for, as the domain gives it. */
export interface PageBranding {
  programmeName?: string;
  brandColour?: string;
}

/** What the layout needs to put a page in a programme's name and colour. */
export interface BrandingView {
  name: string;
  colour: string;
  ink: string;
}

/** stemflow's own teal, when no programme is known (a link that is not valid, say). */
const DEFAULT_COLOUR = '#158187';

/** Black or white, whichever reads better on the programme's colour (WCAG relative luminance). */
export function inkOn(hex: string): string {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 ? '#ffffff' : '#0b0c0c';
}

/**
 * The layout's `branding` for a page opened from an email: the programme's name, and its
 * colour only when it is a plain #rrggbb (it is written into the page's style element).
 */
export function pageBranding(branding?: PageBranding): BrandingView {
  const colour = branding?.brandColour && /^#[0-9a-fA-F]{6}$/.test(branding.brandColour) ? branding.brandColour : DEFAULT_COLOUR;
  return { name: branding?.programmeName ?? SERVICE_NAME, colour, ink: inkOn(colour) };
}

/** Shows an address as a hint to its owner without spelling it out to whoever holds the link. */
export function maskEmail(email: string): string {
  const [local, domain] = email.split('@');
  return `${local.slice(0, 1)}${'•'.repeat(Math.max(2, Math.min(6, local.length - 1)))}@${domain ?? ''}`;
}

/**
 * Answers with a page opened from an email (or one of the answers such a page can get):
 * one of the views under `pages/views` or a page's own, in the programme's colours.
 */
export function sendEmailedPage(res: Response, status: number, view: string, locals: Record<string, unknown> & { branding?: PageBranding } = {}): void {
  res.status(status).render(view, { ...locals, branding: pageBranding(locals.branding) });
}

export function sendLinkNotValid(res: Response): void {
  sendEmailedPage(res, 404, 'pages/views/link-not-valid');
}

export function sendLinkExpired(res: Response, options: { renewable: boolean; closesAt: Date | null; email: string; renewAction: string; branding?: PageBranding }): void {
  sendEmailedPage(res, 410, 'pages/views/link-expired', { ...options, maskedEmail: maskEmail(options.email) });
}

export function sendRenewalSent(res: Response, email: string, branding?: PageBranding): void {
  sendEmailedPage(res, 202, 'pages/views/renewal-sent', { maskedEmail: maskEmail(email), branding });
}

/**
 * The answer to a client that opened pages faster than a person reading their email would.
 * Like the form refusal below, it can answer any page, so it wears stemflow's own look.
 */
export function sendTooManyRequests(res: Response, retryAfterSeconds: number): void {
  const wait = retryAfterSeconds <= 60 ? 'a minute' : `${Math.ceil(retryAfterSeconds / 60)} minutes`;
  res.status(429).render('pages/views/too-many-requests', { wait });
}

/** A form that did not come from one of stemflow's pages: refused before anything changed. */
export function sendFormRefused(res: Response): void {
  res.status(403).render('pages/views/form-refused');
}
