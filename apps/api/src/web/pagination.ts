/**
 * What `govukPagination` takes for page `current` of `last`: the first and last pages, the
 * current one and its neighbours, an ellipsis for each gap, and previous and next. No
 * pagination for a single page.
 */
export function pagination(current: number, last: number, href: (page: number) => string) {
  if (last <= 1) return undefined;
  const shown = [...new Set([1, current - 1, current, current + 1, last])].filter((n) => n >= 1 && n <= last).sort((a, b) => a - b);
  const items: Array<{ number?: number; href?: string; current?: boolean; ellipsis?: boolean }> = [];
  shown.forEach((n, i) => {
    if (i > 0 && n - shown[i - 1] > 1) items.push({ ellipsis: true });
    items.push({ number: n, href: href(n), current: n === current });
  });
  return {
    items,
    previous: current > 1 ? { href: href(Math.min(current - 1, last)) } : undefined,
    next: current < last ? { href: href(current + 1) } : undefined,
  };
}
