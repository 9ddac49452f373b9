import { Forbidden, NotFound, type Principal } from '#domain';
import { Access } from './access.js';

// These rules decide before any SQL runs, so no database is needed to hold them.
const access = new Access(undefined as never);
const id = '5b0c3a52-6f1e-4c55-9d0a-0d8f2f1f9a11';
const other = '8e4f0f8e-1a3b-4b7e-8a55-3f6f0c2b7d22';
const principal = (role: Principal['role'], kind?: string): Principal => ({ tokenId: null, role, scope: kind ? ({ kind, id } as Principal['scope']) : null });

describe('Access: roles and scopes that do not fit see nothing', () => {
  it.each([
    ['educational_lead', 'school'],
    ['programme_manager', 'partnership'],
    ['school_contact', 'programme'],
    ['programme_manager', 'ambassador'],
    ['programme_manager', 'region'],
    ['educational_lead', undefined],
  ] as const)('a %s token scoped to %s reads no school, partnership or programme, and no report figures', (role, kind) => {
    const p = principal(role, kind);
    expect(access.scopeKind(p)).toBeNull();
    for (const ids of [access.schoolIds(p), access.partnershipIds(p), access.programmeIds(p), access.bookingIds(p), access.schoolIdsToChange(p)]) expect(ids).toMatch(/WHERE false$/);
    expect(access.scheduleCondition(p)).toBe('FALSE');
    expect(() => access.reportScope(p)).toThrow(Forbidden);
  });

  it('holds report figures to the manager’s programme and the lead’s partnership; an admin’s are every programme’s', () => {
    expect(access.reportScope(principal('programme_manager', 'programme'))).toEqual({ programmeId: id });
    expect(access.reportScope(principal('educational_lead', 'partnership'))).toEqual({ partnershipId: id });
    expect(access.reportScope(principal('admin'))).toEqual({});
  });
});

describe('Access: the STEM Ambassador pool', () => {
  it('a programme manager keeps the pool’s working fields but not an ambassador’s name or email, and erases no one', () => {
    const manager = principal('programme_manager', 'programme');
    expect(() => access.ambassadorChange(manager, other, ['availability', 'check', 'status'], 'change')).not.toThrow();
    expect(() => access.ambassadorChange(manager, other, ['email'], 'change')).toThrow(Forbidden);
    expect(() => access.ambassadorChange(manager, other, ['name', 'skills'], 'change')).toThrow(Forbidden);
    expect(() => access.ambassadorChange(manager, other, [], 'erase')).toThrow(Forbidden);
  });

  it('an ambassador changes and erases only themself, and never their own check or status', () => {
    const self = principal('ambassador', 'ambassador');
    expect(() => access.ambassadorChange(self, id, ['name', 'email', 'availability'], 'change')).not.toThrow();
    expect(() => access.ambassadorChange(self, id, [], 'erase')).not.toThrow();
    expect(() => access.ambassadorChange(self, id, ['check'], 'change')).toThrow(Forbidden);
    expect(() => access.ambassadorChange(self, other, [], 'change')).toThrow(NotFound);
    expect(() => access.ambassadorChange(self, other, [], 'erase')).toThrow(NotFound);
  });

  it('an admin may do anything; a school contact or lead finds no ambassador at all', () => {
    expect(() => access.ambassadorChange(principal('admin'), other, ['name', 'check'], 'erase')).not.toThrow();
    expect(() => access.ambassadorChange(principal('school_contact', 'school'), other, [], 'change')).toThrow(NotFound);
    expect(() => access.ambassadorChange(principal('educational_lead', 'partnership'), other, [], 'erase')).toThrow(NotFound);
  });
});
