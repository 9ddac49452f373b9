import { NO_FILTER } from './report-query.js';
import { keptToRead, PLATFORM_SNAPSHOT, snapshotScopeOf } from './snapshots.js';

describe('which kept figures answer a filter', () => {
  const programmeId = '6f1c1d56-0c39-4e0b-9a53-0b1a3c1f0a01';

  it('answers a whole programme from its own snapshot, and no filter at all from the platform one', () => {
    expect(snapshotScopeOf({ ...NO_FILTER, programmeId })).toBe(programmeId);
    expect(snapshotScopeOf(NO_FILTER)).toBe(PLATFORM_SNAPSHOT);
  });

  it.each([
    ['a cohort', { cohortId: '0d7f6f3e-4c55-4f3c-8d0e-5a0c2b0f0a02' }],
    ['a partnership', { partnershipId: '0d7f6f3e-4c55-4f3c-8d0e-5a0c2b0f0a03' }],
    ['a phase', { phase: 'primary' }],
    ['a first day', { from: '2026-09-01' }],
    ['a last day', { to: '2027-07-23' }],
    ['a "gone quiet" period of its own', { quietDays: 30 }],
  ])('works a figure out when asked for %s, kept or not', (_, narrowing) => {
    expect(snapshotScopeOf({ ...NO_FILTER, programmeId, ...narrowing })).toBeNull();
    expect(snapshotScopeOf({ ...NO_FILTER, ...narrowing })).toBeNull();
  });
});

describe('which kept figures a page reads', () => {
  const kept = [
    { key: 'slow', tookMs: 4_000 },
    { key: 'middling-a', tookMs: 200 },
    { key: 'middling-b', tookMs: 180 },
    { key: 'quick', tookMs: 20 },
    { key: 'instant', tookMs: 2 },
  ];

  it('reads one figure from what was kept only when it is slow itself', () => {
    expect(keptToRead([kept[0]], 250, 1)).toEqual(['slow']);
    expect(keptToRead([kept[1]], 250, 1)).toEqual([]);
  });

  it('works out a page of figures now, quickest first, while they fit its time, and reads the slowest from what was kept', () => {
    // One at a time, 250 ms: 2 + 20 + 180 fit, 200 more would not. Four at once, 1,000 ms: all but the slow one.
    expect(keptToRead(kept, 250, 1)).toEqual(['middling-a', 'slow']);
    expect(keptToRead(kept, 250, 4)).toEqual(['slow']);
  });

  it('reads every kept figure at 0 ms, and none when every figure fits the time given', () => {
    expect(keptToRead(kept, 0, 4).sort()).toEqual(['instant', 'middling-a', 'middling-b', 'quick', 'slow']);
    expect(keptToRead(kept, 3_600_000, 4)).toEqual([]);
  });
});
