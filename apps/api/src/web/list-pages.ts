import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, ValidatorConstraint, type ValidationArguments, type ValidatorConstraintInterface } from 'class-validator';
import { DateTime } from 'luxon';
import { BY_NAME, IsCursor, NEWEST_FIRST, type KeysetSort } from '../common/pagination.js';
import { PAGE_ZONE } from './view-filters.js';

/** What `govukPagination` takes for a list's page: numbered links (with gaps) and previous/next. */
export interface PaginationView {
  items: Array<{ number?: number; href?: string; current?: boolean; ellipsis?: boolean }>;
  previous?: { href: string };
  next?: { href: string };
}

/** The same list's address with other values: the filters stay in the query string, so a list can be bookmarked. */
export function listHref(path: string, filters: Record<string, string | number | undefined>, changes: Record<string, string | number | undefined> = {}): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...filters, ...changes })) if (value !== undefined && value !== '' && !(key === 'page' && value === 1)) query.set(key, String(value));
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** The pagination of a list of `total` rows: the first, the last and the pages either side of this one, or none with one page. */
export function pagination(page: number, pageSize: number, total: number, href: (page: number) => string): PaginationView | undefined {
  const last = Math.max(1, Math.ceil(total / pageSize));
  if (last === 1 && page === 1) return undefined;
  const shown = [...new Set([1, page - 1, page, page + 1, last])].filter((n) => n >= 1 && n <= last).sort((a, b) => a - b);
  const items: PaginationView['items'] = [];
  for (const n of shown) {
    const before = items.at(-1)?.number;
    if (before !== undefined && n - before > 1) items.push({ ellipsis: true });
    items.push({ number: n, href: href(n), current: n === page });
  }
  return { items, previous: page > 1 ? { href: href(Math.min(page - 1, last)) } : undefined, next: page < last ? { href: href(page + 1) } : undefined };
}

/** A day a person chose ("2027-02-04", in London) as the instant it starts, for a filter's "from". */
export function londonDayStart(day: string): string {
  return DateTime.fromISO(day, { zone: PAGE_ZONE }).startOf('day').toUTC().toISO()!;
}

/** The instant after a day a person chose ends in London, for a filter's "to" that includes the day. */
export function londonDayEnd(day: string): string {
  return DateTime.fromISO(day, { zone: PAGE_ZONE }).startOf('day').plus({ days: 1 }).toUTC().toISO()!;
}

/** A day as a date field sends it. */
export const DAY = /^\d{4}-\d{2}-\d{2}$/;

@ValidatorConstraint({ name: 'realDay' })
export class RealDay implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && DAY.test(value) && DateTime.fromISO(value).isValid;
  }
}

@ValidatorConstraint({ name: 'notBeforeFrom' })
export class NotBeforeFrom implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    const from = (args.object as { from?: string }).from;
    return typeof value !== 'string' || !from || value >= from;
  }
}

/** The page number of a list, from its address: a page past the end shows no rows, a nonsense one is refused. */
export class ListPageForm {
  // An empty page field (a form sent with JavaScript off sends every field) is the first page.
  @Transform(({ value }) => (typeof value === 'string' ? (value.trim() === '' ? undefined : Number(value)) : value))
  @IsOptional()
  @IsInt({ message: 'Choose a page from the list of pages' })
  @Min(1, { message: 'Choose a page from the list of pages' })
  @Max(100_000, { message: 'Choose a page from the list of pages' })
  page?: number;
}

const CURSOR_MESSAGE = 'This link to a page of the list is not complete: go back to the first page and try again';

/** A list's place in `sort`'s order, from its address: the page after or before a row. A link cut short or made up is refused, never a failure. */
function keysetListForm(sort: KeysetSort) {
  class CursorListForm extends ListPageForm {
    @IsOptional()
    @IsCursor(sort, { message: CURSOR_MESSAGE })
    after?: string;

    @IsOptional()
    @IsCursor(sort, { message: CURSOR_MESSAGE })
    before?: string;
  }
  return CursorListForm;
}

/** A newest-first list's place: the page after (older) or before (newer) a row. */
export class KeysetListForm extends keysetListForm(NEWEST_FIRST) {}

/** A list by name's place: the page after (later in the alphabet) or before (earlier) a row. */
export class ByNameListForm extends keysetListForm(BY_NAME) {}

/**
 * A list's links to the pages either side (govukPagination's previous and next), carrying the
 * filters and the place: "Newer" and "Older" for a newest-first list, "Previous" and "Next"
 * (govukPagination's own words) for one by name.
 */
export function keysetPagination(
  path: string,
  filters: Record<string, string | number | undefined>,
  page: { previous: string | null; next: string | null },
  words: { previous?: string; next?: string } = { previous: 'Newer', next: 'Older' },
): { previous?: { href: string; text?: string }; next?: { href: string; text?: string } } | undefined {
  if (!page.previous && !page.next) return undefined;
  return {
    previous: page.previous ? { href: listHref(path, filters, { before: page.previous }), text: words.previous } : undefined,
    next: page.next ? { href: listHref(path, filters, { after: page.next }), text: words.next } : undefined,
  };
}

/** A list's query string as a form body: fields left empty are not there at all. */
export function filledIn(query: unknown): Record<string, string> {
  const fields = typeof query === 'object' && query !== null ? (query as Record<string, unknown>) : {};
  return Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].trim() !== ''));
}
