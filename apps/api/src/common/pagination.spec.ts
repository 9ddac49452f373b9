import { BY_NAME, ByNamePageQuery, COUNTED_UP_TO, decodeCursor, encodeCursor, keysetPage, keysetRead, KeysetPageQuery, type Keyset } from './pagination.js';

const key = (n: number): Keyset => ({ value: `2027-03-01T09:00:${String(59 - n).padStart(2, '0')}.123456Z`, id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` });
const query = (fields: Partial<KeysetPageQuery>) => Object.assign(new KeysetPageQuery(), { pageSize: 2 }, fields);
const rows = (...ns: number[]) => ns.map((n) => ({ item: n, key: key(n) }));

describe('keyset paging', () => {
  it('reads back the place a cursor names, microseconds and all', () => {
    expect(decodeCursor(encodeCursor(key(1)))).toEqual(key(1));
  });

  it.each([
    ['not base64url', 'a b'],
    ['not JSON', Buffer.from('[').toString('base64url')],
    ['not a pair', Buffer.from('{}').toString('base64url')],
    ['no microseconds', Buffer.from(JSON.stringify(['2027-03-01T09:00:00Z', key(1).id])).toString('base64url')],
    ['no such day', Buffer.from(JSON.stringify(['2027-02-31T09:00:00.000000Z', key(1).id])).toString('base64url')],
    ['in year 0', Buffer.from(JSON.stringify(['0000-01-01T09:00:00.000000Z', key(1).id])).toString('base64url')],
    ['no uuid', Buffer.from(JSON.stringify([key(1).value, 'x'])).toString('base64url')],
    ['too long', 'a'.repeat(8201)],
    ['not text', 7],
  ])('refuses a cursor that is %s', (_why, cursor) => {
    expect(decodeCursor(cursor)).toBeUndefined();
  });

  it('gives the first page a next cursor only, from its last row', () => {
    const q = query({});
    const page = keysetPage(q, keysetRead(q), rows(1, 2, 3), 3);
    expect(page).toMatchObject({ items: [1, 2], page: 1, total: 3, totalIsAtLeast: false, previous: null, next: encodeCursor(key(2)) });
  });

  it('gives a page after a cursor both cursors, and none onward on the last', () => {
    const q = query({ after: encodeCursor(key(2)) });
    const read = keysetRead(q);
    expect(read.condition('t', 'i', ':a', ':b')).toBe('t <= CAST(:a AS timestamptz) AND (t < CAST(:a AS timestamptz) OR i > CAST(:b AS uuid))');
    expect(keysetPage(q, read, rows(3, 4), 4)).toMatchObject({ items: [3, 4], page: null, previous: encodeCursor(key(3)), next: null });
  });

  it('reads a page before a cursor backwards and shows it newest first', () => {
    const q = query({ before: encodeCursor(key(4)) });
    const read = keysetRead(q);
    expect(read.order('t', 'i')).toBe('t ASC, i DESC');
    expect(keysetPage(q, read, rows(3, 2, 1), 4)).toMatchObject({ items: [2, 3], previous: encodeCursor(key(2)), next: encodeCursor(key(3)) });
    expect(keysetPage(q, read, rows(3, 2), 4)).toMatchObject({ items: [2, 3], previous: null });
  });

  it('says when the count stopped', () => {
    const q = query({});
    expect(keysetPage(q, keysetRead(q), [], COUNTED_UP_TO + 1)).toMatchObject({ total: COUNTED_UP_TO + 1, totalIsAtLeast: true });
    expect(keysetPage(q, keysetRead(q), [], COUNTED_UP_TO)).toMatchObject({ total: COUNTED_UP_TO, totalIsAtLeast: false });
  });

  describe('by name', () => {
    const named = (name: unknown, id: unknown = key(1).id) => Buffer.from(JSON.stringify([name, id])).toString('base64url');

    it('reads back a name, and refuses a time-ordered list a name', () => {
      const place = { value: "Zoë O'Brien", id: key(1).id };
      expect(decodeCursor(encodeCursor(place), BY_NAME)).toEqual(place);
      expect(decodeCursor(encodeCursor(place))).toBeUndefined();
    });

    it.each([
      ['empty', named('')],
      ['too long', named('a'.repeat(1001))],
      ['holding a NUL', named('a\u0000b')],
      ['half a character', named('a\ud800')],
      ['not text', named(7)],
      ['no uuid', named('Ann', 'x')],
    ])('refuses a name that is %s', (_why, cursor) => {
      expect(decodeCursor(cursor, BY_NAME)).toBeUndefined();
    });

    it('finds the rows past a place with one row comparison, A to Z onward and Z to A back', () => {
      const onward = keysetRead(Object.assign(new ByNamePageQuery(), { pageSize: 2, after: named('Ann') }), BY_NAME);
      expect(onward.condition('p.name', 'p.id', ':v', ':k')).toBe('(p.name, p.id) > (CAST(:v AS text), CAST(:k AS uuid))');
      expect(onward.order('p.name', 'p.id')).toBe('p.name ASC, p.id ASC');
      const back = keysetRead(Object.assign(new ByNamePageQuery(), { pageSize: 2, before: named('Ann') }), BY_NAME);
      expect(back.condition('p.name', 'p.id', ':v', ':k')).toBe('(p.name, p.id) < (CAST(:v AS text), CAST(:k AS uuid))');
      expect(back.orderBy('p.name', 'p.id')).toEqual({ 'p.name': 'DESC', 'p.id': 'DESC' });
    });
  });
});
