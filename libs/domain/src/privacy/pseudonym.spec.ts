import { pseudonymFor, scrubStrings } from './pseudonym.js';

describe('pseudonymFor', () => {
  it('is the same for the same id and different for another, and does not contain the id', () => {
    const id = '7f3a2c1e-0000-4000-8000-000000000001';
    expect(pseudonymFor(id)).toEqual(pseudonymFor(id.toUpperCase()));
    expect(pseudonymFor(id).name).not.toEqual(pseudonymFor('7f3a2c1e-0000-4000-8000-000000000002').name);
    expect(pseudonymFor(id).name).toMatch(/^Erased person [0-9a-f]{12}$/);
    expect(pseudonymFor(id).email).not.toContain('7f3a2c1e');
  });
});

describe('scrubStrings', () => {
  it('replaces names and addresses anywhere in message data, whatever their case', () => {
    const data = { personName: 'Ann Smith', nested: [{ to: 'ANN@school.example.org' }], greeting: 'Dear Ann Smith,', count: 3 };
    expect(
      scrubStrings(data, [
        ['Ann Smith', 'Erased person x'],
        ['ann@school.example.org', 'erased-x@erased.invalid'],
      ]),
    ).toEqual({
      personName: 'Erased person x',
      nested: [{ to: 'erased-x@erased.invalid' }],
      greeting: 'Dear Erased person x,',
      count: 3,
    });
  });

  it('replaces whole words only, in any script', () => {
    expect(
      scrubStrings({ note: 'Ann: Annual planning with ann and Zoë; Zoëtrope stays' }, [
        ['Ann', 'X'],
        ['Zoë', 'Y'],
      ]),
    ).toEqual({ note: 'X: Annual planning with X and Y; Zoëtrope stays' });
  });
});
