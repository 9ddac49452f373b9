import { count, londonDate, londonDateTime, money } from './view-filters.js';

describe('the view filters', () => {
  it('writes dates as people do, on the London calendar', () => {
    expect(londonDate('2027-02-04T12:00:00Z')).toBe('4 February 2027');
    // 23:30 UTC in summer is already the next day in London.
    expect(londonDate(new Date('2027-06-30T23:30:00Z'))).toBe('1 July 2027');
    expect(londonDate('2027-12-31')).toBe('31 December 2027');
    expect(londonDate(null)).toBe('');
    expect(londonDate('not a date')).toBe('not a date');
  });

  it('writes times on London’s clock, morning and afternoon', () => {
    expect(londonDateTime('2027-02-04T09:30:00Z')).toBe('4 February 2027 at 9:30am');
    expect(londonDateTime('2027-06-04T13:00:00Z')).toBe('4 June 2027 at 2pm');
  });

  it('writes pence as pounds, with separators, and pence only when there are some', () => {
    expect(money(105_000)).toBe('£1,050');
    expect(money(105_050)).toBe('£1,050.50');
    expect(money(-2_500)).toBe('−£25');
    expect(money(0)).toBe('£0');
  });

  it('separates thousands in counts', () => {
    expect(count(1234)).toBe('1,234');
    expect(count('24000')).toBe('24,000');
    expect(count(7)).toBe('7');
  });
});
