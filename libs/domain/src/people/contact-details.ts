/**
 * What an email address or a name must be to be stored, the one rule wherever one comes in:
 * the API's bodies, the school import, the dashboard's sign-in form and the token tool.
 */

/** The longest address SMTP carries (RFC 5321's 256-octet path, less its angle brackets). */
export const EMAIL_ADDRESS_MAX_LENGTH = 254;

// A dot-atom local part (RFC 5322 without quoted strings or comments, which nobody needs and
// which let CR, LF and spaces into an address whose emails then fail forever), letters of any
// script allowed (RFC 6531), and a domain of dotted labels ending in a name of letters.
const LOCAL_ATOM = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const DOMAIN = /^(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}][\p{L}\p{N}-]{0,61}[\p{L}\p{N}]$/u;

/** Why a value cannot be used as an email address, or undefined when it can. */
export function emailAddressProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be an email address';
  if (value.length > EMAIL_ADDRESS_MAX_LENGTH) return `must be an email address of at most ${EMAIL_ADDRESS_MAX_LENGTH} characters`;
  if (/[\p{Cc}\p{Zl}\p{Zp}\s]/u.test(value)) return 'must be an email address without spaces, line breaks or control characters';
  const at = value.lastIndexOf('@');
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (at < 1 || local.length > 64 || !LOCAL_ATOM.test(local) || !DOMAIN.test(domain)) return 'must be an email address, like name@school.org.uk';
  return undefined;
}

export function isEmailAddress(value: unknown): value is string {
  return emailAddressProblem(value) === undefined;
}

const LINE_BREAK = /[\r\n\v\f\u0085\u2028\u2029]/u;

/** A name is one line: a line break in one can split an email's header or a CSV row that carries it. */
export function hasLineBreak(value: string): boolean {
  return LINE_BREAK.test(value);
}

/** The name on one line: each run of white space holding a line break becomes one space. */
export function flattenLines(value: string): string {
  return value.replace(/\s*[\r\n\v\f\u0085\u2028\u2029][\s\u0085\u2028\u2029]*/gu, ' ').trim();
}
