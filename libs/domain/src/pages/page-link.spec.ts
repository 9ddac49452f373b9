import { LINK_TOKEN, linkToken, pageAddress, withPageAddresses } from './page-link.js';

const SECRET = 'a-link-secret-of-at-least-32-characters';
const LINK_ID = '0b6f9a3e-3f7c-4d2a-9a55-1c2d3e4f5a6b';

describe('links derived from their id and LINK_SECRET', () => {
  it('gives every link a token of the shape pages accept, the same each time, and another under another secret', () => {
    const token = linkToken(SECRET, LINK_ID);
    expect(token).toMatch(LINK_TOKEN);
    expect(linkToken(SECRET, LINK_ID)).toBe(token);
    expect(linkToken(`${SECRET}!`, LINK_ID)).not.toBe(token);
    expect(linkToken(SECRET, '1b6f9a3e-3f7c-4d2a-9a55-1c2d3e4f5a6b')).not.toBe(token);
  });

  it('renders the addresses in an email’s data, and nothing else, only when asked', () => {
    const data = { url: pageAddress({ id: LINK_ID, purpose: 'survey' }), surveyName: 'CPD impact', offerId: LINK_ID };
    const rendered = withPageAddresses(data, SECRET, 'https://stemflow.example.org/');
    expect(rendered).toEqual({ url: `https://stemflow.example.org/s/${linkToken(SECRET, LINK_ID)}`, surveyName: 'CPD impact', offerId: LINK_ID });
    expect(JSON.stringify(data)).not.toContain(linkToken(SECRET, LINK_ID));
  });

  it('leaves data without addresses as it is, and ignores look-alikes of an unknown purpose', () => {
    const data = { url: 'https://stemflow.example.org/e/legacy', other: { pageLink: LINK_ID, purpose: 'nothing' } };
    expect(withPageAddresses(data, SECRET, 'https://stemflow.example.org')).toBe(data);
  });
});
