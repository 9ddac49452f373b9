import { acceptApiToken, apiTokenRequestProblems } from './api-tokens.js';
import { ROLES, SCOPE_KINDS, type Role } from './roles.js';
import { readRoleAndScope, SCOPE_KIND_OF_ROLE, scopeMisfit } from './scope-fit.js';

const ID = '0b8f4a52-3c1d-4e8f-9a7b-6c5d4e3f2a10';

describe('which scope each role takes', () => {
  it('is none for an admin and one kind for every other role', () => {
    expect(SCOPE_KIND_OF_ROLE).toEqual({ admin: null, programme_manager: 'programme', educational_lead: 'partnership', school_contact: 'school', ambassador: 'ambassador' });
  });

  it('accepts each role with its own kind of scope and refuses it with every other kind, or with none', () => {
    for (const role of ROLES.filter((r): r is Exclude<Role, 'admin'> => r !== 'admin')) {
      for (const kind of SCOPE_KINDS) {
        const misfit = scopeMisfit(role, { kind, id: ID });
        if (kind === SCOPE_KIND_OF_ROLE[role]) expect(misfit).toBeUndefined();
        else expect(misfit).toMatch(new RegExp(`is scoped to an? ${SCOPE_KIND_OF_ROLE[role]}, not an? ${kind}`));
      }
      expect(scopeMisfit(role, null)).toMatch(/needs a scope of/);
    }
  });

  it('refuses any scope on an admin token', () => {
    expect(scopeMisfit('admin', null)).toBeUndefined();
    for (const kind of SCOPE_KINDS) expect(scopeMisfit('admin', { kind, id: ID })).toMatch(/an admin token sees everything and takes no scope/);
  });

  it('names the scope field when reading what a person typed', () => {
    expect(readRoleAndScope('educational_lead', `partnership:${ID.toUpperCase()}`)).toEqual({ scope: { kind: 'partnership', id: ID }, problems: [] });
    expect(readRoleAndScope('educational_lead', `school:${ID}`).problems).toEqual([
      { field: 'scope', message: 'an educational lead token is scoped to a partnership, not a school (expected partnership:<uuid>)' },
    ]);
    expect(readRoleAndScope('school_contact', 'school:42').problems).toEqual([{ field: 'scope', message: expect.stringContaining('is not kind:uuid') }]);
    expect(readRoleAndScope('admin', '')).toEqual({ scope: null, problems: [] });
  });
});

describe('a request for a token', () => {
  it('is checked field by field before anything is stored', () => {
    expect(apiTokenRequestProblems({ role: 'wizard' })).toEqual([{ field: 'role', message: expect.stringContaining('must be one of admin') }]);
    expect(apiTokenRequestProblems({ role: 'programme_manager', scope: `programme:${ID}`, email: 'ada@example.org', expiresInDays: 30 })).toEqual([]);
    expect(apiTokenRequestProblems({ role: 'school_contact', scope: `partnership:${ID}`, email: 'not an address', expiresInDays: 0 }).map((p) => p.field)).toEqual(['scope', 'email', 'expiresInDays']);
    expect(apiTokenRequestProblems({ role: 'admin', expiresInDays: 3651 })).toEqual([{ field: 'expiresInDays', message: 'must be a whole number of days from 1 to 3650' }]);
    expect(apiTokenRequestProblems({ role: 'admin', expiresInDays: 1.5 }).map((p) => p.field)).toEqual(['expiresInDays']);
  });
});

describe('using a stored token', () => {
  const now = new Date('2027-01-05T08:00:00Z');
  const stored = { id: ID, role: 'educational_lead' as Role, scope: `partnership:${ID}`, expiresAt: new Date('2027-06-01T00:00:00Z'), revokedAt: null };

  it('answers whom a fitting, live token speaks for', () => {
    expect(acceptApiToken(stored, now)).toEqual({ principal: { tokenId: ID, role: 'educational_lead', scope: { kind: 'partnership', id: ID } } });
    expect(acceptApiToken({ ...stored, role: 'admin', scope: null }, now)).toEqual({ principal: { tokenId: ID, role: 'admin', scope: null } });
  });

  it('refuses it once revoked, from the instant it expires, and when its role and scope do not fit', () => {
    expect(acceptApiToken({ ...stored, revokedAt: now }, now)).toMatchObject({ refused: 'revoked' });
    expect(acceptApiToken({ ...stored, expiresAt: now }, now)).toEqual({ refused: 'expired', message: 'That token expired at 2027-01-05T08:00:00.000Z; ask for a new one.' });
    expect(acceptApiToken({ ...stored, scope: `school:${ID}` }, now)).toMatchObject({ refused: 'misfit', message: expect.stringContaining('scoped to a partnership, not a school') });
    expect(acceptApiToken({ ...stored, scope: null }, now)).toMatchObject({ refused: 'misfit' });
    expect(acceptApiToken({ ...stored, scope: 'partnership:nope' }, now)).toMatchObject({ refused: 'misfit' });
    expect(acceptApiToken({ ...stored, role: 'admin', scope: `programme:${ID}` }, now)).toMatchObject({ refused: 'misfit' });
  });
});
