import { budgetPosition, formatPounds } from './budget.js';

describe("a partnership's budget position", () => {
  it('is the allocation plus overrides, less what is committed and spent', () => {
    expect(budgetPosition(2_500_000, { commitment: 90_000, release: -30_000, spend: 30_000, override: 10_000 })).toEqual({
      allocatedPence: 2_500_000,
      overridesPence: 10_000,
      committedPence: 60_000,
      spentPence: 30_000,
      availablePence: 2_420_000,
    });
  });

  it('writes pounds the British way', () => {
    expect(formatPounds(2_500_000)).toBe('£25,000.00');
    expect(formatPounds(1_999)).toBe('£19.99');
  });
});
