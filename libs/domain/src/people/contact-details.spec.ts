import { emailAddressProblem, flattenLines, hasLineBreak, isEmailAddress } from './contact-details.js';

describe('an email address stemflow can send to', () => {
  it.each(['a@b.co', "o'brien+stem@example.org", 'p.shah@beechwood.example.sch.uk', 'ünïcødé@exämple.org', 'x@sub-domain.example-school.uk'])('takes %s', (address) => {
    expect(emailAddressProblem(address)).toBeUndefined();
  });

  it.each([
    '"a\r\nb"@example.org',
    '"a\nb"@example.org',
    '"a b"@example.org',
    'a@example.org\r\nBcc: b@example.org',
    'a\tb@example.org',
    'a\u2028b@example.org',
    'no-at-sign',
    'a@',
    '@example.org',
    'a@b',
    'a b@example.org',
    'a@@example.org',
    'a..b@example.org',
    '.a@example.org',
    'a@example..org',
    'a@-example.org',
    `${'x'.repeat(65)}@example.org`,
    `a@${'x'.repeat(250)}.org`,
    'a@example.org\u0000',
  ])('refuses %j', (address) => {
    expect(isEmailAddress(address)).toBe(false);
  });

  it('says why, in words a person can act on', () => {
    expect(emailAddressProblem('"a\r\nb"@example.org')).toBe('must be an email address without spaces, line breaks or control characters');
    expect(emailAddressProblem(42)).toBe('must be an email address');
  });
});

describe('a name on one line', () => {
  it('finds line breaks of every kind', () => {
    for (const name of ['Sam\nPatel', 'Sam\r\nPatel', 'Sam\rPatel', 'Sam\u2028Patel', 'Sam\u0085Patel']) expect(hasLineBreak(name)).toBe(true);
    expect(hasLineBreak('Sam Patel\t(STEM lead)')).toBe(false);
  });

  it('flattens them into single spaces', () => {
    expect(flattenLines('Riverside\r\n  Academy\n')).toBe('Riverside Academy');
    expect(flattenLines('Sam\u2028Patel')).toBe('Sam Patel');
    expect(flattenLines('Zoë Brontë')).toBe('Zoë Brontë');
  });
});
