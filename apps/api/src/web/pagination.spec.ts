import { pagination } from './pagination.js';

describe('pagination', () => {
  const href = (n: number) => `/schools?page=${n}`;
  const numbers = (current: number, last: number) => pagination(current, last, href)?.items.map((i) => (i.ellipsis ? '…' : i.current ? `[${i.number}]` : String(i.number)));

  it('shows nothing for one page', () => {
    expect(pagination(1, 1, href)).toBeUndefined();
  });

  it('keeps the first, the last, and the current page with its neighbours, with gaps between', () => {
    expect(numbers(1, 480)).toEqual(['[1]', '2', '…', '480']);
    expect(numbers(240, 480)).toEqual(['1', '…', '239', '[240]', '241', '…', '480']);
    expect(numbers(479, 480)).toEqual(['1', '…', '478', '[479]', '480']);
    expect(numbers(3, 4)).toEqual(['1', '2', '[3]', '4']);
  });

  it('links previous and next where there are such pages', () => {
    expect(pagination(1, 3, href)).toMatchObject({ previous: undefined, next: { href: '/schools?page=2' } });
    expect(pagination(3, 3, href)).toMatchObject({ previous: { href: '/schools?page=2' }, next: undefined });
  });
});
