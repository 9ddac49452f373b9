import { changedSchoolFields, normalisePostcode, parseGiasRow } from './gias-row.js';

const row = (overrides: Record<string, string> = {}) => ({
  URN: '111740',
  EstablishmentName: 'Beechwood Primary School',
  'PhaseOfEducation (name)': 'Primary',
  'TypeOfEstablishment (name)': 'Community school',
  'LA (name)': 'Middlesbrough',
  Postcode: 'ts4 3ey',
  NumberOfPupils: '420',
  Easting: '451200',
  Northing: '518300',
  ContactName: 'Amira Khan',
  ContactEmail: 'Stem.Lead@Beechwood.example.sch.uk',
  ...overrides,
});

describe('reading a GIAS row as a school', () => {
  it('reads every column it knows, normalising postcode, phase and email', () => {
    const parsed = parseGiasRow(row());
    expect(parsed).toEqual({
      ok: true,
      school: {
        urn: 111740,
        name: 'Beechwood Primary School',
        phase: 'primary',
        establishmentType: 'Community school',
        localAuthority: 'Middlesbrough',
        postcode: 'TS4 3EY',
        pupils: 420,
        easting: 451200,
        northing: 518300,
        contactName: 'Amira Khan',
        contactEmail: 'stem.lead@beechwood.example.sch.uk',
      },
    });
  });

  it.each([
    ['Middle deemed secondary', 'middle'],
    ['All-through', 'all_through'],
    ['16 plus', 'sixteen_plus'],
    ['Not applicable', 'not_applicable'],
  ])('maps the GIAS phase "%s" to %s', (gias, phase) => {
    const parsed = parseGiasRow(row({ 'PhaseOfEducation (name)': gias }));
    expect(parsed.ok && parsed.school.phase).toBe(phase);
  });

  it("falls back to the head's name when no contact is given", () => {
    const parsed = parseGiasRow(row({ ContactName: '', HeadFirstName: 'Jo', HeadLastName: 'Bloggs' }));
    expect(parsed.ok && parsed.school.contactName).toBe('Jo Bloggs');
  });

  it('names every problem of a bad row at once', () => {
    const parsed = parseGiasRow(row({ URN: '12a', EstablishmentName: '', 'PhaseOfEducation (name)': 'Kindergarten', Postcode: 'nowhere', NumberOfPupils: '-3', ContactEmail: 'not-an-email' }));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((p) => p.field)).toEqual(['URN', 'EstablishmentName', 'PhaseOfEducation (name)', 'Postcode', 'ContactEmail', 'NumberOfPupils']);
  });

  it('refuses a contact address with a line break in a quoted local part, by the same rule as the API', () => {
    const parsed = parseGiasRow(row({ ContactEmail: '"stem\r\nlead"@beechwood.example.sch.uk' }));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems).toEqual([{ field: 'ContactEmail', message: expect.stringContaining('without spaces, line breaks or control characters') }]);
  });

  it('flattens names with line breaks onto one line', () => {
    const parsed = parseGiasRow(row({ EstablishmentName: 'Beechwood\r\nPrimary School', ContactName: 'Amira\nKhan' }));
    expect(parsed.ok && [parsed.school.name, parsed.school.contactName]).toEqual(['Beechwood Primary School', 'Amira Khan']);
  });

  it('sees no change between a stored school and the same row read again', () => {
    const first = parseGiasRow(row());
    const again = parseGiasRow(row({ Postcode: 'TS4 3EY' }));
    if (!first.ok || !again.ok) throw new Error('rows should parse');
    expect(changedSchoolFields(first.school, again.school)).toEqual([]);
    const moved = parseGiasRow(row({ NumberOfPupils: '433' }));
    if (!moved.ok) throw new Error('row should parse');
    expect(changedSchoolFields(first.school, moved.school)).toEqual(['pupils']);
  });

  it('writes postcodes the Royal Mail way', () => {
    expect(normalisePostcode('sw1a1aa')).toBe('SW1A 1AA');
    expect(normalisePostcode(' m1  1ae ')).toBe('M1 1AE');
  });
});
