import { calendarProblems, ENGLAND, type AcademicYear } from '#domain';
import { keyFromName, readTerm, termProblems, termValues } from './calendar.forms.js';

const spring = ENGLAND.years[1].terms[1];
/** The spring term 2026/27's form as sent, with changes. */
const sent = (changes: Record<string, string> = {}) => ({ ...termValues(spring), ...changes });
/** The calendar with the typed term in the place of the spring term 2026/27. */
const withTerm = (term: { starts: string; ends: string; breaks: Array<{ name: string; starts: string; ends: string }> }): AcademicYear[] =>
  ENGLAND.years.map((y, yi) => (yi === 1 ? { ...y, terms: y.terms.map((t, ti) => (ti === 1 ? { name: t.name, ...term } : t)) } : y));

describe("the calendar pages' forms", () => {
  it('makes a key from a name, as an address would show it', () => {
    expect(keyFromName('Middlesbrough schools')).toBe('middlesbrough-schools');
    expect(keyFromName('  Ynys Môn / Anglesey 2026–28 ')).toBe('ynys-mon-anglesey-2026-28');
    expect(keyFromName('x')).toBe('');
    expect(keyFromName('!!!')).toBe('');
    expect(keyFromName('a'.repeat(60))).toHaveLength(41);
  });

  it('reads a term as typed, leaving out blank and removed breaks, and putting the rest in date order', () => {
    const read = readTerm(
      sent({
        'ends-day': '1',
        'ends-month': '4',
        'breaks-0-remove': 'remove',
        'breaks-2-name': 'Easter Monday',
        'breaks-2-starts-day': '29',
        'breaks-2-starts-month': '3',
        'breaks-2-starts-year': '2027',
        'breaks-2-ends-day': '29',
        'breaks-2-ends-month': '3',
        'breaks-2-ends-year': '2027',
        'breaks-1-name': 'Inset day',
        'breaks-1-starts-day': '4',
        'breaks-1-starts-month': '1',
        'breaks-1-starts-year': '2027',
        'breaks-1-ends-day': '4',
        'breaks-1-ends-month': '1',
        'breaks-1-ends-year': '2027',
      }),
      4,
    );
    expect(read.problems).toEqual([]);
    expect(read.term).toEqual({
      starts: '2027-01-04',
      ends: '2027-04-01',
      breaks: [
        { row: 1, name: 'Inset day', starts: '2027-01-04', ends: '2027-01-04' },
        { row: 2, name: 'Easter Monday', starts: '2027-03-29', ends: '2027-03-29' },
      ],
    });
    expect(read.values['breaks-2-name']).toBe('Easter Monday');
  });

  it('asks for what is missing before the calendar rules run, keeping what was typed', () => {
    const read = readTerm(sent({ 'ends-day': '31', 'ends-month': '2', 'breaks-1-starts-day': '1', 'breaks-1-starts-month': '3' }), 4);
    expect(read.term).toBeUndefined();
    expect(read.problems).toEqual([
      { field: 'ends-day', text: 'The date the term ends must be a real date, like 1 9 2027' },
      { field: 'breaks-1-name', text: 'Enter the name of break 2, like February half-term' },
      { field: 'breaks-1-starts-year', text: 'The date break 2 starts must include a year' },
      { field: 'breaks-1-ends-day', text: 'Enter the date break 2 ends' },
    ]);
    expect(read.values['ends-day']).toBe('31');
  });

  it("says each of the calendar rules' problems on the field to change", () => {
    const overlapping = { starts: '2026-12-10', ends: '2027-04-20', breaks: [{ name: 'February half-term', starts: '2027-02-15', ends: '2027-02-19' }] };
    const years = withTerm(overlapping);
    expect(termProblems(calendarProblems({ years }), years, { year: 1, term: 1 }, [{ row: 0, ...overlapping.breaks[0] }])).toEqual([
      { field: 'starts-day', text: 'The term must start after the autumn term 2026/27 ends, on 18 December 2026' },
      { field: 'ends-day', text: 'The term must end before the summer term 2026/27 starts, on 12 April 2027' },
    ]);

    const backwards = {
      starts: '2027-01-04',
      ends: '2027-03-25',
      breaks: [
        { name: 'Late', starts: '2027-03-22', ends: '2027-03-29' },
        { name: 'Odd', starts: '2027-03-24', ends: '2027-03-23' },
      ],
    };
    const years2 = withTerm(backwards);
    expect(
      termProblems(calendarProblems({ years: years2 }), years2, { year: 1, term: 1 }, [
        { row: 3, ...backwards.breaks[0] },
        { row: 1, ...backwards.breaks[1] },
      ]),
    ).toEqual([
      { field: 'breaks-3-starts-day', text: 'Break 4 must be inside the term, from 4 January 2027 to 25 March 2027' },
      { field: 'breaks-1-ends-day', text: 'The date break 2 ends must be the same as or after the date it starts' },
    ]);

    const reversed = withTerm({ starts: '2027-03-25', ends: '2027-01-04', breaks: [] });
    expect(termProblems(calendarProblems({ years: reversed }), reversed, { year: 1, term: 1 }, [])).toContainEqual({
      field: 'ends-day',
      text: 'The date the term ends must be the same as or after the date it starts',
    });
  });
});
