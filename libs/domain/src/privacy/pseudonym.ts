import { createHash } from 'node:crypto';

/**
 * What an erased person is called from then on: stable (the same id always gives the same
 * words, so reports and histories still group their records) and not reversible (a hash of
 * a random id, salted so it cannot be matched against another system's hashes).
 */
export function pseudonymFor(subjectId: string): { name: string; email: string; tag: string } {
  const tag = createHash('sha256').update(`stemflow-erasure:${subjectId.toLowerCase()}`, 'utf8').digest('hex').slice(0, 12);
  return { name: `Erased person ${tag}`, email: `erased-${tag}@erased.invalid`, tag };
}

/**
 * Replaces every occurrence of the given names and addresses in a JSON value's strings,
 * whatever their case, as whole words only: erasing "Ann" leaves "Annual planning" alone.
 */
export function scrubStrings<T>(value: T, replacements: Array<[string, string]>): T {
  const patterns = replacements.filter(([from]) => from.trim().length > 0).map(([from, to]) => [new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(from)}(?![\\p{L}\\p{N}])`, 'giu'), to] as const);
  const scrub = (v: unknown): unknown => {
    if (typeof v === 'string') return patterns.reduce((out, [pattern, to]) => out.replace(pattern, () => to), v);
    if (Array.isArray(v)) return v.map(scrub);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scrub(x)]));
    return v;
  };
  return scrub(value) as T;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
