import { exportView, fieldName } from './export-view.js';

describe('everything held about a person, as the page shows it', () => {
  const view = exportView({
    exportedAt: '2027-03-02T16:00:00.000Z',
    person: { id: 'p1', name: 'Ada Byron', role: 'middle_leader', slt: true, email: null, createdAt: new Date('2027-03-01T10:00:00Z') },
    consents: { current: [{ purpose: 'surveys', granted: true }], log: [] },
    bookings: [
      { course: 'Forces', cost_pence: 1500, starts_at: new Date('2027-03-02T09:30:00Z'), history: [{ from: 'requested', to: 'confirmed', at: '2027-03-01T10:00:00Z' }] },
      { course: 'Magnets', cost_pence: 0, venue: 'Hub school', history: [] },
    ],
    surveyResponses: [{ answers: { satisfaction: 'excellent', why_useful: 'The demos' } }],
    partnershipsLed: [],
    ambassador: null,
  });
  const section = (id: string) => view.sections.find((s) => s.id === id)!;

  it('names the person and when it was exported, and has a section for each module but the date', () => {
    expect(view.name).toBe('Ada Byron');
    expect(view.exportedAt).toBe('2 March 2027 at 4pm');
    expect(view.sections.map((s) => s.title)).toEqual(['The person', 'What they agreed to', 'CPD bookings', 'Survey answers', 'Partnerships they lead', 'STEM Ambassador profile and offers']);
  });

  it('shows one record as its answers, in words: labels, yes or no, London dates, "None"', () => {
    const [person] = section('person').parts;
    expect(person.kind).toBe('record');
    expect(person.kind === 'record' && person.rows).toMatchObject([
      { key: 'ID', value: { text: 'p1' } },
      { key: 'Name', value: { text: 'Ada Byron' } },
      { key: 'Role', value: { text: 'Middle leader' } },
      { key: 'Senior leadership team', value: { text: 'Yes' } },
      { key: 'Email', value: { text: 'None', missing: true } },
      { key: 'Created at', value: { text: '1 March 2027 at 10am' } },
    ]);
  });

  it('shows a list of records as a table of every field any of them has, parts one a line', () => {
    const [bookings] = section('bookings').parts;
    expect(bookings.kind === 'table' && bookings.columns.map((c) => c.name)).toEqual(['Course', 'Cost', 'Starts at', 'History', 'Venue']);
    expect(bookings.kind === 'table' && bookings.rows).toMatchObject([
      [{ text: 'Forces' }, { text: '£15' }, { text: '2 March 2027 at 9:30am' }, { lines: ['From: requested, To: confirmed, At: 1 March 2027 at 10am'] }, { text: 'None', missing: true }],
      [{ text: 'Magnets' }, { text: '£0' }, { text: 'None', missing: true }, { text: 'None', missing: true }, { text: 'Hub school' }],
    ]);
    const [responses] = section('surveyResponses').parts;
    expect(responses.kind === 'table' && responses.rows[0][0]).toEqual({ lines: ['Satisfaction: excellent', 'Why useful: The demos'] });
  });

  it('keeps short values to a line, gives sentences room, lets only an overlong word break, and reads codes as words', () => {
    const [table] = exportView({
      notifications: [{ kind: 'booking.confirmed', subject: 'Your place is confirmed: Forces in the primary classroom', recipient_email: 'someone.with.a.long.name@school.example.org' }],
    }).sections[0].parts;
    expect(table.kind === 'table' && table.columns).toEqual([
      { name: 'Kind', wide: false },
      { name: 'Subject', wide: true },
      { name: 'Recipient email', wide: true },
    ]);
    expect(table.kind === 'table' && table.rows[0]).toEqual([
      { text: 'booking confirmed', short: true },
      { text: 'Your place is confirmed: Forces in the primary classroom' },
      { text: 'someone.with.a.long.name@school.example.org', longWord: true },
    ]);
  });

  it('shows a record made of lists under a heading each, and an empty list or nothing as "Nothing held"', () => {
    expect(section('consents').parts.map((p) => [p.title, p.kind])).toEqual([
      ['What they agree to now', 'table'],
      ['Every answer they gave', 'empty'],
    ]);
    expect(section('partnershipsLed').parts).toEqual([{ label: 'Partnerships they lead', kind: 'empty' }]);
    expect(section('ambassador').parts).toEqual([{ label: 'STEM Ambassador profile and offers', kind: 'empty' }]);
  });

  it('writes field names as words', () => {
    expect(fieldName('recipient_email')).toBe('Recipient email');
    expect(fieldName('schoolId')).toBe('School ID');
    expect(fieldName('cpd_records')).toBe('CPD records');
  });
});
