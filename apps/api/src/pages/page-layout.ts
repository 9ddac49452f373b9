import { escapeHtml } from '#notifications';
import { nonceAttribute } from '../web/page-nonce.js';

/** The programme a page speaks for. */
export interface PageBranding {
  programmeName?: string;
  brandColour?: string;
}

const DEFAULT_COLOUR = '#0b5394';

/** Black or white, whichever reads better on the programme's colour (WCAG relative luminance). */
function textOn(hex: string): string {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 ? '#ffffff' : '#111111';
}

/**
 * Shared look of every page reached from an email: readable on a phone, labelled fields,
 * visible focus, errors next to the field they are about, and the programme's colours with
 * text in whichever of black or white contrasts with them.
 */
const STYLE = `
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1b1f23;background:#f4f6f8;line-height:1.5;font-size:1.05rem}
header.brand{padding:.8rem 1rem;font-weight:700;font-size:1.15rem}
main{max-width:44rem;margin:0 auto;padding:1rem 1rem 3rem;background:#fff;min-height:60vh}
h1{font-size:1.6rem;line-height:1.25;margin:.6rem 0 1rem}
h2{font-size:1.25rem;margin:1.8rem 0 .6rem}
a{color:#0b4f8a}
fieldset{border:1px solid #c8ced6;border-radius:6px;padding:.8rem 1rem;margin:0 0 1.2rem}
legend{font-weight:700;padding:0 .3rem}
label{display:block;font-weight:600;margin:.8rem 0 .25rem}
.choice label,label.choice{display:flex;gap:.6rem;align-items:flex-start;font-weight:400;margin:.35rem 0;padding:.35rem .2rem;cursor:pointer}
.choice input,label.choice input{width:1.25rem;height:1.25rem;margin-top:.15rem;flex:none}
input[type=text],input[type=email],input[type=number],input[type=date],select,textarea{width:100%;font:inherit;padding:.55rem .6rem;border:2px solid #6b7480;border-radius:4px;background:#fff}
textarea{min-height:6rem}
input:focus,select:focus,textarea:focus,button:focus,a:focus{outline:3px solid #f9a825;outline-offset:2px}
.hint{color:#4a525c;font-size:.95rem;margin:.1rem 0 .4rem}
.error{color:#b00020;font-weight:600;margin:.25rem 0}
.has-error{border-left:4px solid #b00020;padding-left:.8rem}
.summary{border:3px solid #b00020;padding:.8rem 1rem;margin-bottom:1.2rem}
.notice{border-left:5px solid #2e7d32;background:#eef7ef;padding:.7rem 1rem;margin:1rem 0}
.evidence{background:#f4f6f8;border-radius:6px;padding:.6rem .9rem;margin:.6rem 0;font-size:.95rem}
.actions{display:flex;flex-wrap:wrap;gap:.8rem;margin-top:1.4rem}
button{font:inherit;font-weight:600;padding:.7rem 1.3rem;border:0;border-radius:4px;cursor:pointer}
button.secondary{background:#e7eaee;color:#1b1f23}
table{border-collapse:collapse;width:100%;margin:.6rem 0}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #dde1e6;vertical-align:top}
footer{max-width:44rem;margin:0 auto;padding:1rem;color:#4a525c;font-size:.9rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.question{margin:0 0 1.2rem}
`;

export function renderPage(options: { title: string; body: string; branding?: PageBranding }): string {
  const colour = options.branding?.brandColour && /^#[0-9a-fA-F]{6}$/.test(options.branding.brandColour) ? options.branding.brandColour : DEFAULT_COLOUR;
  const ink = textOn(colour);
  const programme = options.branding?.programmeName ?? 'stemflow';
  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><meta name="referrer" content="no-referrer">
<title>${escapeHtml(options.title)} · ${escapeHtml(programme)}</title>
<style${nonceAttribute()}>${STYLE}
header.brand{background:${colour};color:${ink}}
button{background:${colour};color:${ink}}</style>
</head><body>
<header class="brand" role="banner">${escapeHtml(programme)}</header>
<main id="main">${options.body}</main>
<footer>${escapeHtml(programme)} runs with stemflow. This page was opened from a link sent to you by email; please do not share it.</footer>
</body></html>`;
}

export function linkNotValidPage(): string {
  return renderPage({
    title: 'Link not valid',
    body: `<h1>This link is not valid</h1><p>It may have been copied only in part, or it is not a link stemflow sent. Please open it again from the email, or ask whoever sent it for a new one.</p>`,
  });
}

const londonDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'long' });

/** Shows an address as a hint to its owner without spelling it out to whoever holds the link. */
export function maskEmail(email: string): string {
  const [local, domain] = email.split('@');
  return `${local.slice(0, 1)}${'•'.repeat(Math.max(2, Math.min(6, local.length - 1)))}@${domain ?? ''}`;
}

export function linkExpiredPage(options: { renewable: boolean; closesAt: Date | null; email: string; renewAction: string; branding?: PageBranding }): string {
  const closed = options.closesAt ? ` It closed on ${escapeHtml(londonDate.format(options.closesAt))}.` : '';
  const body = options.renewable
    ? `<h1>This link has expired</h1><p>For your safety, links stop working after a while. What it opens is still open: we can send a fresh link to the same address (${escapeHtml(maskEmail(options.email))}).</p>
<form method="post" action="${escapeHtml(options.renewAction)}"><div class="actions"><button type="submit">Send me a fresh link</button></div></form>`
    : `<h1>This link has expired</h1><p>What it opened is no longer open.${closed} If you think this is a mistake, reply to the email it came in.</p>`;
  return renderPage({ title: 'Link expired', body, branding: options.branding });
}

export function renewalSentPage(email: string, branding?: PageBranding): string {
  return renderPage({
    title: 'Fresh link on its way',
    body: `<h1>A fresh link is on its way</h1><p>We have sent it to ${escapeHtml(maskEmail(email))}. It can take a few minutes to arrive; the old link stays expired.</p>`,
    branding,
  });
}

/** The answer to a client that opened pages faster than a person reading their email would. */
export function tooManyRequestsPage(retryAfterSeconds: number): string {
  const wait = retryAfterSeconds <= 60 ? 'a minute' : `${Math.ceil(retryAfterSeconds / 60)} minutes`;
  return renderPage({
    title: 'Please wait a moment',
    body: `<h1>Please wait a moment</h1><p>Too many pages were asked for from your connection in a short time. Please wait ${wait}, then open the link from your email again.</p>`,
  });
}
