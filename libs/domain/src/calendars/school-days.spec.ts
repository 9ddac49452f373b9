import { ENGLAND, SCOTLAND } from './builtin-calendars.js';
import { calendarProblems } from './academic-calendar.js';
import { bankHolidays, isSchoolDay, nextSendSlot } from './school-days.js';

describe('school days', () => {
  it('are weekdays in term, outside half-term and bank holidays', () => {
    expect(isSchoolDay('2026-11-23', ENGLAND)).toBe(true); // a Monday in the autumn term
    expect(isSchoolDay('2026-11-21', ENGLAND)).toBe(false); // Saturday
    expect(isSchoolDay('2026-10-28', ENGLAND)).toBe(false); // October half-term
    expect(isSchoolDay('2026-12-24', ENGLAND)).toBe(false); // Christmas holidays
    expect(isSchoolDay('2027-05-03', ENGLAND)).toBe(false); // Early May bank holiday, in term
    expect(isSchoolDay('2026-08-20', SCOTLAND)).toBe(true); // Scottish schools are back in August
    expect(isSchoolDay('2026-08-20', ENGLAND)).toBe(false);
  });

  it('take bank holidays from the nation', () => {
    expect(bankHolidays('SCT', 2027).has('2027-01-04')).toBe(true); // 2 January's substitute, Scotland only
    expect(bankHolidays('ENG', 2027).has('2027-01-04')).toBe(false);
    expect(bankHolidays('ENG', 2027).has('2027-08-30')).toBe(true);
    expect(bankHolidays('SCT', 2027).has('2027-08-30')).toBe(false);
  });
});

describe('the next moment a nudge may go', () => {
  const at = (iso: string) => nextSendSlot(new Date(iso), ENGLAND)!.toISOString();

  it('is now, inside the window on a school day', () => {
    expect(at('2026-11-23T11:15:00Z')).toBe('2026-11-23T11:15:00.000Z');
  });

  it("is the window's opening, early in the morning", () => {
    expect(at('2026-11-23T06:00:00Z')).toBe('2026-11-23T09:00:00.000Z');
  });

  it('moves a Friday evening nudge to Monday morning', () => {
    expect(at('2026-11-20T18:00:00Z')).toBe('2026-11-23T09:00:00.000Z');
  });

  it('moves a half-term nudge to the first day back, in British Summer Time or not', () => {
    expect(at('2026-10-27T10:00:00Z')).toBe('2026-11-02T09:00:00.000Z');
    expect(at('2027-05-31T10:00:00Z')).toBe('2027-06-07T08:00:00.000Z'); // 09:00 BST
  });

  it('skips the Christmas holidays and the New Year bank holiday', () => {
    expect(at('2026-12-18T17:00:00Z')).toBe('2027-01-04T09:00:00.000Z');
  });
});

describe('an edited calendar', () => {
  it('is checked for order and well-formed dates', () => {
    expect(calendarProblems(ENGLAND)).toEqual([]);
    expect(calendarProblems({ years: [{ label: 'x', terms: [{ name: 'autumn', starts: '2026-09-02', ends: '2026-07-01', breaks: [] }] }] })).toEqual([
      { field: 'years[0].terms[0]', message: 'ends before it starts' },
    ]);
    expect(calendarProblems({ years: [] })).toEqual([{ field: 'years', message: 'must list at least one academic year' }]);
  });
});
