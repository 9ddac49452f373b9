import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { buildMessage, IsInt, IsString, Max, Min, ValidateBy, type ValidationOptions } from 'class-validator';
import { InvalidInput } from '#domain';
import { MayBeOmitted } from './validation.js';

export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @MayBeOmitted()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  page = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @MayBeOmitted()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize = 50;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

/** How far a list's count goes: beyond this a list says "more than 10,000", since counting millions of rows on every page is what made deep lists slow. */
export const COUNTED_UP_TO = 10_000;

/** A place in a list: the row's sort value exactly as the database keeps it (a time to the microsecond, or a name) and its id, which breaks ties. */
export interface Keyset {
  value: string;
  id: string;
}

/**
 * How a list is ordered by its sort value and then its id: which values a cursor may carry
 * (only ones the list could have handed out, so the database never refuses one), how the rows
 * past a place are found, and the order to read them in, onward or back.
 */
export interface KeysetSort {
  valid(value: string): boolean;
  past(column: string, id: string, value: string, keyId: string, backwards: boolean): string;
  directions(backwards: boolean): ['ASC' | 'DESC', 'ASC' | 'DESC'];
}

const KEYSET_AT = /^[1-9]\d{3}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const KEYSET_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Newest first, by a time kept to the microsecond; the id ascending settles rows of the same instant. */
export const NEWEST_FIRST: KeysetSort = {
  valid: (at) => {
    if (!KEYSET_AT.test(at)) return false;
    // 2027-02-31 (or year 0) has the right shape but is no instant: the database would refuse it.
    const millis = `${at.slice(0, 23)}Z`;
    return !Number.isNaN(Date.parse(millis)) && new Date(millis).toISOString() === millis;
  },
  // Time first on its own, so the index's range starts at the cursor; the id only settles rows of the same instant.
  past: (time, id, at, keyId, backwards) =>
    backwards
      ? `${time} >= CAST(${at} AS timestamptz) AND (${time} > CAST(${at} AS timestamptz) OR ${id} < CAST(${keyId} AS uuid))`
      : `${time} <= CAST(${at} AS timestamptz) AND (${time} < CAST(${at} AS timestamptz) OR ${id} > CAST(${keyId} AS uuid))`,
  directions: (backwards) => (backwards ? ['ASC', 'DESC'] : ['DESC', 'ASC']),
};

/** A to Z by a name (as the database sorts text), people of the same name by id: both ascending, so one row comparison finds the place in a (name, id) index. */
export const BY_NAME: KeysetSort = {
  // Any text a name column could hold: not empty, not absurdly long, and nothing the database cannot store (a NUL, half a character).
  valid: (name) => name.length >= 1 && name.length <= 1000 && !name.includes('\u0000') && !/\p{Cs}/u.test(name),
  past: (column, id, name, keyId, backwards) => `(${column}, ${id}) ${backwards ? '<' : '>'} (CAST(${name} AS text), CAST(${keyId} AS uuid))`,
  directions: (backwards) => (backwards ? ['DESC', 'DESC'] : ['ASC', 'ASC']),
};

/** The opaque text a list hands out for a place in it: base64url of the row's sort value and id. */
export function encodeCursor(key: Keyset): string {
  return Buffer.from(JSON.stringify([key.value, key.id])).toString('base64url');
}

/** The place a cursor names, or undefined for anything the list did not hand out (a sort value the list's order could hold and a lower-case uuid, nothing else). */
export function decodeCursor(cursor: unknown, sort: KeysetSort = NEWEST_FIRST): Keyset | undefined {
  if (typeof cursor !== 'string' || !/^[A-Za-z0-9_-]{1,8200}$/.test(cursor)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [sorted, id] = value as unknown[];
  if (typeof sorted !== 'string' || typeof id !== 'string' || !KEYSET_ID.test(id) || !sort.valid(sorted)) return undefined;
  return { value: sorted, id };
}

/** A cursor this list handed out; anything else is refused as the request's fault. */
export function IsCursor(sort: KeysetSort = NEWEST_FIRST, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCursor',
      validator: {
        validate: (value) => decodeCursor(value, sort) !== undefined,
        defaultMessage: buildMessage((each) => `${each}$property must be a cursor from this list's next or previous`, options),
      },
    },
    options,
  );
}

/** Neither cursor when the other is sent, and no page number beside either. */
function oneWay(others: Array<'after' | 'before' | 'page'>, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'oneWayThroughAList',
      constraints: others,
      validator: {
        validate: (_value, args) =>
          others.every((other) => ((args?.object ?? {}) as Record<string, unknown>)[other] === undefined || (other === 'page' && Number((args?.object as Record<string, unknown>).page) === 1)),
        defaultMessage: buildMessage((each) => `${each}$property cannot be sent with ${others.join(' or ')}`, options),
      },
    },
    options,
  );
}

/**
 * A request for a list in `sort`'s order: a page by number (as before; slow deep in a long
 * list, since the database still reads every row before it) or, quick at any depth, the page
 * after or before a cursor the last answer gave. `earlier` says which rows come before a place.
 */
function keysetPageQuery(sort: KeysetSort, earlier: string) {
  class CursorPageQuery extends PageQuery {
    @ApiPropertyOptional({ description: "The page after this place in the list: the last answer's `next`. Quick at any depth, unlike `page`; not with `page` or `before`." })
    @MayBeOmitted()
    @IsString()
    @IsCursor(sort)
    @oneWay(['before', 'page'])
    after?: string;

    @ApiPropertyOptional({ description: `The page before this place in the list (${earlier}): the last answer's \`previous\`. Not with \`page\` or \`after\`.` })
    @MayBeOmitted()
    @IsString()
    @IsCursor(sort)
    @oneWay(['after', 'page'])
    before?: string;
  }
  return CursorPageQuery;
}

/** A newest-first list's request (NEWEST_FIRST). */
export class KeysetPageQuery extends keysetPageQuery(NEWEST_FIRST, 'newer rows') {}

/** A list by name's request (BY_NAME). */
export class ByNamePageQuery extends keysetPageQuery(BY_NAME, 'names earlier in the alphabet') {}

/** A page of a list paged by cursor, with the cursors to the pages either side and a count that stops at COUNTED_UP_TO. */
export class KeysetPage<T> {
  @ApiProperty({ description: "The rows, in the list's order" }) items: T[];
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'The page number asked for by `page`; null when paging by `after` or `before`, where the number is not known' }) page:
    number | null;
  @ApiProperty() pageSize: number;
  @ApiProperty({
    description: `How many rows match the filters, counted up to ${COUNTED_UP_TO + 1}: exact when totalIsAtLeast is false; when it is true there are at least this many (more than ${COUNTED_UP_TO})`,
  })
  total: number;
  @ApiProperty({ description: `True when the count stopped at ${COUNTED_UP_TO + 1}: more than ${COUNTED_UP_TO} rows match, and total is a floor, not the number` })
  totalIsAtLeast: boolean;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Send as `after` for the next page (older rows, or later names); null on the last page' }) next: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Send as `before` for the previous page (newer rows, or earlier names); null on the first page' }) previous: string | null;
}

/**
 * A list's rows for one request, read in the order of its index (its sort value, then id):
 * how to find them (`condition`, with placeholders standing for the cursor's sort value and id,
 * or none), how to order them (`order` for SQL, `orderBy` for a query builder), how many to
 * read (one more than a page, to know whether there is another) and how many to skip (a
 * numbered page only).
 */
export interface KeysetRead {
  key?: Keyset;
  backwards: boolean;
  limit: number;
  offset: number;
  condition(column: string, id: string, value: string, keyId: string): string;
  order(column: string, id: string): string;
  orderBy(column: string, id: string): Record<string, 'ASC' | 'DESC'>;
}

/** How to read the page a request asks for in `sort`'s order, its cursor already checked by IsCursor. */
export function keysetRead(query: KeysetPageQuery | ByNamePageQuery, sort: KeysetSort = NEWEST_FIRST): KeysetRead {
  const cursor = query.after ?? query.before;
  const key = cursor === undefined ? undefined : decodeCursor(cursor, sort);
  if (cursor !== undefined && !key)
    throw new InvalidInput('That cursor is not one this list gave', [{ field: query.after ? 'after' : 'before', message: "must be a cursor from this list's next or previous" }]);
  const backwards = query.before !== undefined;
  const [columnWay, idWay] = sort.directions(backwards);
  return {
    key,
    backwards,
    limit: query.pageSize + 1,
    offset: key ? 0 : (query.page - 1) * query.pageSize,
    condition: (column, id, value, keyId) => (!key ? 'TRUE' : sort.past(column, id, value, keyId, backwards)),
    order: (column, id) => `${column} ${columnWay}, ${id} ${idWay}`,
    orderBy: (column, id) => ({ [column]: columnWay, [id]: idWay }),
  };
}

/** A row's time as exact text, for its cursor: a JavaScript Date would drop the microseconds and skip or repeat rows. */
export function keysetTime(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** A count of at most COUNTED_UP_TO + 1 of the rows `fromWhere` finds ("notifications n WHERE …"). */
export function boundedCount(fromWhere: string): string {
  return countUpTo(`SELECT 1 FROM ${fromWhere}`);
}

/** A count of at most COUNTED_UP_TO + 1 of the rows a query without an order or a limit of its own finds. */
export function countUpTo(rows: string): string {
  return `SELECT count(*)::int AS total FROM (${rows} LIMIT ${COUNTED_UP_TO + 1}) counted`;
}

/** The page the rows read by `read` make, in the list's order, with its cursors and its count. */
export function keysetPage<T>(query: KeysetPageQuery | ByNamePageQuery, read: KeysetRead, rows: Array<{ item: T; key: Keyset }>, counted: number): KeysetPage<T> {
  const more = rows.length > query.pageSize;
  const shown = rows.slice(0, query.pageSize);
  if (read.backwards) shown.reverse();
  const first = shown[0]?.key;
  const last = shown.at(-1)?.key;
  const hasNewer = read.backwards ? more : read.key !== undefined || read.offset > 0;
  const hasOlder = read.backwards ? true : more;
  return {
    items: shown.map((r) => r.item),
    page: read.key ? null : query.page,
    pageSize: query.pageSize,
    total: Math.min(counted, COUNTED_UP_TO + 1),
    totalIsAtLeast: counted > COUNTED_UP_TO,
    next: hasOlder && last ? encodeCursor(last) : null,
    previous: hasNewer && first ? encodeCursor(first) : null,
  };
}
