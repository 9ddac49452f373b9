import { csvCell, csvText } from './csv.js';

describe('CSV cells a spreadsheet will not run', () => {
  it.each(['=HYPERLINK("http://evil.example","click")', '+1+1', '-2+3', '@SUM(A1:A2)', '\tindented', '\rreturn', '-', '=1'])('puts a quote before %j', (text) => {
    expect(csvCell(text)).toBe(`'${text}`);
  });

  it('leaves numbers as numbers, negative ones included', () => {
    expect(csvCell(-12)).toBe(-12);
    expect(csvCell(0.5)).toBe(0.5);
    expect(csvCell('-12.50')).toBe('-12.50');
    expect(csvCell('42')).toBe('42');
  });

  it('leaves other text alone and writes nothing for no value', () => {
    expect(csvCell('Riverside Academy')).toBe('Riverside Academy');
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('writes whole rows through the same rule', () => {
    expect(
      csvText([
        ['name', 'pupils'],
        ['=cmd|"/c calc"!A1', -3],
      ]),
    ).toBe(`name,pupils\n"'=cmd|""/c calc""!A1",-3\n`);
  });
});
