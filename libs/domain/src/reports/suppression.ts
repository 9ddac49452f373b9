/**
 * Small-cell suppression for equality breakdowns: a count from 1 to 4 is
 * never shown, and the published total must not give it back. When a group has exactly
 * one suppressed cell, the next smallest non-zero cell is suppressed with it, so the
 * difference between the total and the shown cells is a sum of at least two unknowns.
 * A group whose total is itself small is suppressed whole. Zero is shown: it discloses
 * nobody.
 */
export const SUPPRESSION_THRESHOLD = 5;

export interface SuppressedGroup {
  cells: Array<number | null>;
  total: number | null;
}

export function suppressSmallCounts(counts: number[], threshold = SUPPRESSION_THRESHOLD): SuppressedGroup {
  const total = counts.reduce((sum, n) => sum + n, 0);
  if (total > 0 && total < threshold) return { cells: counts.map((n) => (n === 0 ? 0 : null)), total: null };
  const hidden = counts.map((n) => n > 0 && n < threshold);
  if (hidden.filter(Boolean).length === 1) {
    let next = -1;
    counts.forEach((n, i) => {
      if (!hidden[i] && n > 0 && (next === -1 || n < counts[next])) next = i;
    });
    if (next !== -1) hidden[next] = true;
  }
  return { cells: counts.map((n, i) => (hidden[i] ? null : n)), total };
}
