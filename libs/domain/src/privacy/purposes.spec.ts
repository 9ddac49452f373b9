import { CONSENT_PURPOSES, CONSENT_WITHOUT_ENTRY, decidePurpose, isConsentPurpose, PURPOSE_RULES, PURPOSES } from './purposes.js';

describe('the purposes a programme emails for', () => {
  it('records a lawful basis and a default for every purpose, marketing consent being one purpose among them', () => {
    expect(Object.fromEntries(PURPOSES.map((p) => [p, [PURPOSE_RULES[p].basis, PURPOSE_RULES[p].withoutEntry]]))).toEqual({
      service: ['contract', true],
      programme_communications: ['legitimate_interests', true],
      surveys: ['legitimate_interests', true],
      news: ['consent', false],
      data_sharing: ['consent', false],
    });
    expect(PURPOSE_RULES.surveys.alternativeBasis).toBe('public_task');
    expect(CONSENT_WITHOUT_ENTRY).toEqual({ programme_communications: true, surveys: true, news: false, data_sharing: false });
  });

  it('never records consent for service messages: they answer what the person did', () => {
    expect(isConsentPurpose('service')).toBe(false);
    expect(CONSENT_PURPOSES).not.toContain('service');
    expect(decidePurpose('service', null).allowed).toBe(true);
    expect(decidePurpose('service', { granted: false }).allowed).toBe(true);
  });

  it('sends evaluation surveys when nothing is recorded, and stops them when the person objected', () => {
    expect(decidePurpose('surveys', null)).toEqual({ allowed: true, byDefault: true, objected: false, reason: null });
    expect(decidePurpose('surveys', { granted: false })).toEqual({ allowed: false, byDefault: false, objected: true, reason: 'the recipient objected to evaluation surveys' });
    expect(decidePurpose('surveys', { granted: true }).allowed).toBe(true);
    expect(decidePurpose('programme_communications', { granted: false }).reason).toBe('the recipient objected to programme communications');
  });

  it('refuses news and marketing without an explicit yes, and after a yes is withdrawn', () => {
    expect(decidePurpose('news', null)).toEqual({
      allowed: false,
      byDefault: true,
      objected: false,
      reason: 'the recipient has not said yes to news and marketing (it needs their explicit consent)',
    });
    expect(decidePurpose('news', { granted: true })).toEqual({ allowed: true, byDefault: false, objected: false, reason: null });
    expect(decidePurpose('news', { granted: false }).reason).toBe('the recipient has withdrawn consent to news and marketing');
    expect(decidePurpose('data_sharing', null).allowed).toBe(false);
  });
});
