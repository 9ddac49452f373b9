import { dateField, typedTime } from './programme.forms.js';

describe("the programme pages' typed values", () => {
  it('reads a time of day as people write it, as the policy holds it', () => {
    expect(['9:00', '09:00', '9.30', '9am', '4:30pm', '12pm', '12am', '16:30'].map(typedTime)).toEqual(['09:00', '09:00', '09:30', '09:00', '16:30', '12:00', '00:00', '16:30']);
    expect(['', '9', '25:00', '9:75', '13pm', 'noon', '0am'].map(typedTime)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
  });

  it('reads a date from its day, month and year, and says which part is missing or wrong', () => {
    expect(dateField({ 'startsOn-day': '1', 'startsOn-month': '9', 'startsOn-year': '2027' }, 'startsOn', 'the cohort starts')).toEqual({ value: '2027-09-01' });
    expect(dateField({}, 'startsOn', 'the cohort starts')).toEqual({ problem: { field: 'startsOn-day', message: 'Enter the date the cohort starts' } });
    expect(dateField({ 'startsOn-day': '1', 'startsOn-year': '2027' }, 'startsOn', 'the cohort starts')).toEqual({
      problem: { field: 'startsOn-month', message: 'The date the cohort starts must include a month' },
    });
    expect(dateField({ 'startsOn-day': '30', 'startsOn-month': '2', 'startsOn-year': '2028' }, 'startsOn', 'the cohort starts')).toEqual({
      problem: { field: 'startsOn-day', message: 'The date the cohort starts must be a real date, like 1 9 2027' },
    });
    expect(dateField({ 'startsOn-day': ['1', '2'], 'startsOn-month': '9', 'startsOn-year': '2027' }, 'startsOn', 'the cohort starts')).toMatchObject({ problem: { field: 'startsOn-day' } });
  });
});
