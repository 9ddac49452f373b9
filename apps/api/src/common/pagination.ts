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

/** A place in a newest-first list: the row's time exactly as the database keeps it (to the microsecond) and its id, which breaks ties. */
export interface Keyset {
  at: string;
  id: string;
}

const KEYSET_AT = /^[1-9]\d{3}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const KEYSET_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The opaque text a list hands out for a place in it: base64url of the row's time and id. */
export function encodeCursor(key: Keyset): string {
  return Buffer.from(JSON.stringify([key.at, key.id])).toString('base64url');
}

/** The place a cursor names, or undefined for anything a list did not hand out (a real instant and a lower-case uuid, nothing else). */
export function decodeCursor(cursor: unknown): Keyset | undefined {
  if (typeof cursor !== 'string' || !/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [at, id] = value as unknown[];
  if (typeof at !== 'string' || typeof id !== 'string' || !KEYSET_AT.test(at) || !KEYSET_ID.test(id)) return undefined;
  // 2027-02-31 (or year 0) has the right shape but is no instant: the database would refuse it.
  const millis = `${at.slice(0, 23)}Z`;
  if (Number.isNaN(Date.parse(millis)) || new Date(millis).toISOString() !== millis) return undefined;
  return { at, id };
}

/** A cursor this API handed out; anything else is refused as the request's fault. */
export function IsCursor(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCursor',
      validator: {
        validate: (value) => decodeCursor(value) !== undefined,
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
 * A newest-first list's request: a page by number (as before; slow deep in a long list, since
 * the database still reads every row before it) or, quick at any depth, the page after or
 * before a cursor the last answer gave.
 */
export class KeysetPageQuery extends PageQuery {
  @ApiPropertyOptional({ description: "The page after this place in the list: the last answer's `next`. Quick at any depth, unlike `page`; not with `page` or `before`." })
  @MayBeOmitted()
  @IsString()
  @IsCursor()
  @oneWay(['before', 'page'])
  after?: string;

  @ApiPropertyOptional({ description: "The page before this place in the list (newer rows): the last answer's `previous`. Not with `page` or `after`." })
  @MayBeOmitted()
  @IsString()
  @IsCursor()
  @oneWay(['after', 'page'])
  before?: string;
}

/** A newest-first list's page, with the cursors to the pages either side and a count that stops at COUNTED_UP_TO. */
export class KeysetPage<T> {
  @ApiProperty({ description: 'The rows, newest first' }) items: T[];
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'The page number asked for by `page`; null when paging by `after` or `before`, where the number is not known' }) page:
    number | null;
  @ApiProperty() pageSize: number;
  @ApiProperty({
    description: `How many rows match the filters, counted up to ${COUNTED_UP_TO + 1}: exact when totalIsAtLeast is false; when it is true there are at least this many (more than ${COUNTED_UP_TO})`,
  })
  total: number;
  @ApiProperty({ description: `True when the count stopped at ${COUNTED_UP_TO + 1}: more than ${COUNTED_UP_TO} rows match, and total is a floor, not the number` })
  totalIsAtLeast: boolean;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Send as `after` for the next (older) page; null on the last page' }) next: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Send as `before` for the previous (newer) page; null on the first page' }) previous: string | null;
}

/**
 * A newest-first list's rows for one request, read in the order of its index (time
 * descending, then id): how to find them (`condition`, with `:keysetAt` and `:keysetId`
 * standing for the cursor's place, or none), how to order them, how many to read (one more
 * than a page, to know whether there is another) and how many to skip (a numbered page only).
 */
export interface KeysetRead {
  key?: Keyset;
  backwards: boolean;
  limit: number;
  offset: number;
  condition(time: string, id: string, at: string, keyId: string): string;
  order(time: string, id: string): string;
}

/** How to read the page a request asks for, its cursor already checked by IsCursor. */
export function keysetRead(query: KeysetPageQuery): KeysetRead {
  const cursor = query.after ?? query.before;
  const key = cursor === undefined ? undefined : decodeCursor(cursor);
  if (cursor !== undefined && !key)
    throw new InvalidInput('That cursor is not one this list gave', [{ field: query.after ? 'after' : 'before', message: "must be a cursor from this list's next or previous" }]);
  const backwards = query.before !== undefined;
  return {
    key,
    backwards,
    limit: query.pageSize + 1,
    offset: key ? 0 : (query.page - 1) * query.pageSize,
    // Time first on its own, so the index's range starts at the cursor; the id only settles rows of the same instant.
    condition: (time, id, at, keyId) =>
      !key
        ? 'TRUE'
        : backwards
          ? `${time} >= CAST(${at} AS timestamptz) AND (${time} > CAST(${at} AS timestamptz) OR ${id} < CAST(${keyId} AS uuid))`
          : `${time} <= CAST(${at} AS timestamptz) AND (${time} < CAST(${at} AS timestamptz) OR ${id} > CAST(${keyId} AS uuid))`,
    order: (time, id) => (backwards ? `${time} ASC, ${id} DESC` : `${time} DESC, ${id} ASC`),
  };
}

/** A row's time as exact text, for its cursor: a JavaScript Date would drop the microseconds and skip or repeat rows. */
export function keysetTime(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** A count of at most COUNTED_UP_TO + 1 of the rows `fromWhere` finds ("notifications n WHERE …"). */
export function boundedCount(fromWhere: string): string {
  return `SELECT count(*)::int AS total FROM (SELECT 1 FROM ${fromWhere} LIMIT ${COUNTED_UP_TO + 1}) counted`;
}

/** The page the rows read by `read` make, newest first, with its cursors and its count. */
export function keysetPage<T>(query: KeysetPageQuery, read: KeysetRead, rows: Array<{ item: T; key: Keyset }>, counted: number): KeysetPage<T> {
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
