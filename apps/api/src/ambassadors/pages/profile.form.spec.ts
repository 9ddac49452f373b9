import { InvalidInput, Conflict, type Ambassador } from '#domain';
import { awayRowsOf, positionNote, profileValues, readProfile, refusedProfile, typedProfile } from './profile.form.js';

const filledIn = {
  _csrf: 'token',
  name: ' Jo Okafor ',
  email: 'jo@industry.example.com',
  employer: 'Tees Robotics Ltd',
  sector: '',
  disciplines: 'Engineering',
  skills: 'robotics, careers talk ,',
  keyStages: ['ks3', 'ks4'],
  offersVirtual: 'yes',
  postcode: 'ts1 3ba',
  latitude: '54.5742',
  longitude: '\u22121.235',
  travelRadiusKm: '25 km',
  weekdays: ['1', '3'],
  'away-0-from': '',
  'away-0-to': '',
  'away-1-from': '2027-04-01',
  'away-1-to': '2027-04-14',
  status: 'active',
};

const jo = {
  id: '7d3c1f9e-4a55-4b1e-9e7a-2f1d0c9b8a77',
  name: 'Jo Okafor',
  email: 'jo@industry.example.com',
  employer: 'Tees Robotics Ltd',
  sector: null,
  disciplines: [],
  skills: ['robotics'],
  keyStages: ['ks3'],
  postcode: 'TS1 3BA',
  latitude: 54.5742,
  longitude: -1.235,
  travelRadiusKm: 25,
  availability: { weekdays: [1, 2], unavailable: [{ to: '2027-04-14', from: '2027-04-01' }] },
  offersVirtual: false,
  status: 'active',
} as unknown as Ambassador;

describe('the ambassador profile form', () => {
  it('reads its answers into the body the API takes, and checks them by the API’s own DTO', async () => {
    const form = await readProfile('add', filledIn, { identity: true, check: true });
    expect(form.ok).toBe(true);
    if (!form.ok) return;
    expect({ ...form.input, availability: { ...form.input.availability } }).toEqual({
      name: 'Jo Okafor',
      email: 'jo@industry.example.com',
      employer: 'Tees Robotics Ltd',
      disciplines: ['Engineering'],
      skills: ['robotics', 'careers talk'],
      keyStages: ['ks3', 'ks4'],
      offersVirtual: true,
      postcode: 'ts1 3ba',
      latitude: 54.5742,
      longitude: -1.235,
      travelRadiusKm: 25,
      availability: { weekdays: [1, 3], unavailable: [expect.objectContaining({ from: '2027-04-01', to: '2027-04-14' })] },
      status: 'active',
    });
    expect(form.awayRows).toEqual([1]);
  });

  it('says what to put right beside each question, in the order they are asked, keeping what was typed', async () => {
    const form = await readProfile(
      'add',
      { name: '', email: 'jo at industry', latitude: 'north', longitude: '12', travelRadiusKm: '2.5', postcode: 'TS1', 'away-0-from': '2027-02-30', 'away-0-to': '2027-03-01', checkNumber: '12' },
      { identity: true, check: true },
    );
    expect(form.ok).toBe(false);
    if (form.ok) return;
    expect(form.errors.list).toEqual([
      { text: 'Enter their full name', href: '#name' },
      { text: 'Enter an email address in the correct format, like name@example.com', href: '#email' },
      { text: 'Select the key stages they can work with', href: '#keyStages' },
      { text: 'Enter a real UK postcode, like TS1 3BA', href: '#postcode' },
      { text: 'Enter the latitude as a number, like 54.5742', href: '#latitude' },
      { text: 'Enter a longitude in the UK, between -9 and 2', href: '#longitude' },
      { text: 'Enter how far they will travel as a whole number of kilometres, like 25', href: '#travelRadiusKm' },
      { text: 'Select the days they are usually free', href: '#weekdays' },
      { text: 'Enter the first day of time away 1 as a real date, like 2027-04-01', href: '#away-0-from' },
      { text: 'Select the type of check', href: '#checkType' },
      { text: 'Enter the certificate number, 4 to 40 characters', href: '#checkNumber' },
      { text: 'Enter the date the check was made as a real date', href: '#checkCheckedOn' },
      { text: 'Enter the date the check expires as a real date', href: '#checkExpiresOn' },
    ]);
    expect(form.values).toMatchObject({ email: 'jo at industry', latitude: 'north', keyStages: [], weekdays: [] });
  });

  it('on a change, refuses a required answer cleared rather than keeping the old one, and an employer cleared', async () => {
    const values = { ...profileValues(jo), postcode: ' ', employer: '', keyStages: [] };
    const form = await readProfile('change', values, { identity: false, check: false, current: jo });
    expect(form.ok ? [] : form.errors.list.map((e) => e.href)).toEqual(['#employer', '#keyStages', '#postcode']);
    const untouched = await readProfile('change', profileValues(jo), { identity: false, check: false, current: jo });
    expect(untouched.ok && Object.keys(untouched.input)).not.toContain('name');
  });

  it('shows a profile with its periods away and a row to add one, and never more rows than the API takes', () => {
    const values = profileValues(jo);
    expect(values).toMatchObject({ 'away-0-from': '2027-04-01', 'away-0-to': '2027-04-14', 'away-1-from': '', skills: 'robotics', weekdays: ['1', '2'] });
    expect(awayRowsOf(values)).toBe(2);
    expect(awayRowsOf(typedProfile({ 'away-99-from': '2027-01-01', 'away-999999999-to': 'x' }))).toBe(1);
    expect(typedProfile({ keyStages: 'ks2' }).keyStages).toEqual(['ks2']);
  });

  it('leaves the position out when both are blank, so the postcode places them; half a position asks for the other half', async () => {
    const byPostcode = await readProfile('add', { ...filledIn, latitude: ' ', longitude: '' }, { identity: true, check: true });
    expect(byPostcode.ok && byPostcode.input).toEqual(expect.objectContaining({ postcode: 'ts1 3ba' }));
    expect(byPostcode.ok && [byPostcode.input.latitude, byPostcode.input.longitude]).toEqual([undefined, undefined]);
    for (const mode of ['add', 'change'] as const) {
      const half = await readProfile(mode as 'add', { ...filledIn, longitude: '' }, { identity: true, check: true, current: mode === 'change' ? jo : undefined });
      expect([mode, half.ok ? [] : half.errors.list]).toEqual([
        mode,
        [{ text: 'Enter the longitude as well as the latitude, like -1.2350, or clear both to place them by their postcode', href: '#longitude' }],
      ]);
    }
  });

  it('shows a position placed by postcode as blank, to follow the postcode, and says how closely it was placed', () => {
    const placed = { ...jo, postcode: 'TS1 3BA', locationPrecision: 'district' } as Ambassador;
    expect(profileValues(placed)).toMatchObject({ latitude: '', longitude: '' });
    expect(profileValues(jo)).toMatchObject({ latitude: '54.5742', longitude: '-1.235' });
    expect(positionNote(placed)).toMatch(/^Placed by postcode \(district TS1\)/);
    expect(positionNote({ ...placed, locationPrecision: 'sector' } as Ambassador)).toMatch(/^Placed by postcode \(sector TS1 3\)/);
    expect(positionNote({ ...placed, locationPrecision: 'postcode' } as Ambassador)).toBe('Placed by postcode: where the schools at TS1 3BA are');
    expect(positionNote({ ...jo, locationPrecision: null } as Ambassador)).toBe('Entered by hand');
  });

  it('says the service’s own refusals beside the question: dates the wrong way round, an address in use', () => {
    const wrongWay = refusedProfile(
      new InvalidInput('Some fields are not valid', [
        { field: 'availability.unavailable[0].to', message: 'must not be before from' },
        { field: 'check.expiresOn', message: 'must be after checkedOn' },
      ]),
      {},
      [2],
    );
    expect(wrongWay?.list).toEqual([
      { text: 'The last day of time away 3 must be the same as or after its first day', href: '#away-2-to' },
      { text: 'The expiry date must be after the date the check was made', href: '#checkExpiresOn' },
    ]);
    const unplaced = refusedProfile(new InvalidInput('The postcode could not be placed', [{ field: 'postcode', message: 'we could not place this postcode: give latitude and longitude' }]), {}, []);
    expect(unplaced?.list).toEqual([{ text: 'We could not place this postcode from the schools we know: check it, or enter the position yourself', href: '#postcode' }]);
    expect(refusedProfile(new Conflict('taken'), {}, [])?.byField.email).toBeDefined();
    expect(refusedProfile(new Error('boom'), {}, [])).toBeUndefined();
  });
});
