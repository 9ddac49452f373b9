import fc from 'fast-check';
import { suppressSmallCounts } from './suppression.js';

describe('small-cell suppression', () => {
  it('hides counts from 1 to 4 and shows zeros', () => {
    expect(suppressSmallCounts([12, 3, 0, 4, 40])).toEqual({ cells: [12, null, 0, null, 40], total: 59 });
  });

  it('hides a second cell when one alone would be given back by the total', () => {
    expect(suppressSmallCounts([12, 3, 0, 40])).toEqual({ cells: [null, null, 0, 40], total: 55 });
  });

  it('hides the whole group when its total is small', () => {
    expect(suppressSmallCounts([1, 0, 2])).toEqual({ cells: [null, 0, null], total: null });
  });

  it('never lets the total and the shown cells pin down a hidden one', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 60 }), { minLength: 1, maxLength: 8 }), (counts) => {
        const { cells, total } = suppressSmallCounts(counts);
        counts.forEach((n, i) => {
          if (n > 0 && n < 5) expect(cells[i]).toBeNull();
        });
        if (total === null) return;
        const hidden = cells.filter((c) => c === null).length;
        // With a total shown, a single hidden cell would be total − shown: never allowed.
        expect(hidden === 0 || hidden >= 2).toBe(true);
      }),
    );
  });
});
