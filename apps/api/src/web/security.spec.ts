import type { Request } from 'express';
import { sentFromOwnPage } from './security.js';

const OWN = 'https://stemflow.example.org';
const sent = (headers: Record<string, string>) => sentFromOwnPage({ headers } as unknown as Request, OWN);

describe('sentFromOwnPage', () => {
  it('takes an Origin naming our own origin', () => {
    expect(sent({ origin: OWN })).toBe(true);
  });

  it('takes a form from a page under no-referrer: Origin null, and the browser saying same-origin', () => {
    expect(sent({ origin: 'null', 'sec-fetch-site': 'same-origin' })).toBe(true);
  });

  it('takes a Referer on our origin when there is neither Origin nor Sec-Fetch-Site', () => {
    expect(sent({ referer: `${OWN}/e/abc` })).toBe(true);
  });

  it.each<[string, Record<string, string>]>([
    ['another origin', { origin: 'https://evil.example.net' }],
    ['our origin on another scheme', { origin: 'http://stemflow.example.org' }],
    ['our origin on another port', { origin: 'https://stemflow.example.org:8443' }],
    ['another origin, even if it claims same-origin', { origin: 'https://evil.example.net', 'sec-fetch-site': 'same-origin' }],
    ['a null origin from another site', { origin: 'null', 'sec-fetch-site': 'cross-site' }],
    ['a sibling site', { 'sec-fetch-site': 'same-site' }],
    ['a navigation typed by hand', { 'sec-fetch-site': 'none' }],
    ['a null origin with nothing else', { origin: 'null' }],
    ['a null origin with a Referer on our origin', { origin: 'null', referer: `${OWN}/e/abc` }],
    ['a Referer elsewhere', { referer: 'https://evil.example.net/stemflow.example.org' }],
    ['a Referer that is not an address', { referer: 'not a url' }],
    ['nothing at all', {}],
  ])('refuses %s', (_, headers) => {
    expect(sent(headers)).toBe(false);
  });
});
