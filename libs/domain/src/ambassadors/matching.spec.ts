import { checkValidOn, isAvailableOn, nextWave, rankAmbassadors, shortReason, type MatchCandidate, type MatchRequest } from './matching.js';

const school = { latitude: 54.5742, longitude: -1.235 }; // Middlesbrough
const now = new Date('2027-01-11T09:00:00Z');
// A Wednesday in term.
const request: MatchRequest = { startsAt: new Date('2027-02-10T09:30:00Z'), keyStages: ['ks2'], skillsWanted: ['robotics', 'coding'], virtualAcceptable: false };

const candidate = (id: string, over: Partial<MatchCandidate> = {}): MatchCandidate => ({
  id,
  status: 'active',
  latitude: 54.55,
  longitude: -1.3,
  travelRadiusKm: 30,
  keyStages: ['ks2', 'ks3'],
  skills: ['robotics'],
  availability: { weekdays: [1, 2, 3, 4, 5], unavailable: [] },
  offersVirtual: false,
  checkExpiresOn: '2028-01-01',
  recentOffers: 0,
  alreadyOffered: false,
  ...over,
});

describe('matching ambassadors to a request', () => {
  it('keeps out whoever cannot be asked, saying why', () => {
    const { ranked, excluded } = rankAmbassadors(
      request,
      school,
      [
        candidate('ok'),
        candidate('paused', { status: 'paused' }),
        candidate('no-check', { checkExpiresOn: null }),
        candidate('expired', { checkExpiresOn: '2027-01-10' }),
        candidate('lapses-before-visit', { checkExpiresOn: '2027-02-09' }),
        candidate('far', { latitude: 51.5, longitude: -0.12 }),
        candidate('ks4-only', { keyStages: ['ks4'] }),
        candidate('no-skill', { skills: ['chemistry'] }),
        candidate('weekends', { availability: { weekdays: [6, 7], unavailable: [] } }),
        candidate('on-holiday', { availability: { weekdays: [3], unavailable: [{ from: '2027-02-08', to: '2027-02-12' }] } }),
        candidate('asked', { alreadyOffered: true }),
      ],
      now,
    );
    expect(ranked.map((r) => r.id)).toEqual(['ok']);
    expect(Object.fromEntries(excluded)).toEqual({
      paused: 'not_active',
      'no-check': 'no_valid_check',
      expired: 'no_valid_check',
      'lapses-before-visit': 'no_valid_check',
      far: 'out_of_range',
      'ks4-only': 'key_stage',
      'no-skill': 'skills',
      weekends: 'unavailable',
      'on-holiday': 'unavailable',
      asked: 'already_offered',
    });
  });

  it('judges the check against the clock at match time: an expired check is out at once', () => {
    const expiring = candidate('x', { checkExpiresOn: '2027-02-20' });
    expect(rankAmbassadors(request, school, [expiring], now).ranked).toHaveLength(1);
    expect(rankAmbassadors(request, school, [expiring], new Date('2027-02-21T08:00:00Z')).excluded.get('x')).toBe('no_valid_check');
    expect(checkValidOn('2027-02-10', '2027-02-10')).toBe(true);
    expect(checkValidOn('2027-02-10', '2027-02-11')).toBe(false);
  });

  it('lets someone out of range come virtually only when both sides accept virtual', () => {
    const far = candidate('far', { latitude: 51.5, longitude: -0.12, offersVirtual: true });
    expect(rankAmbassadors(request, school, [far], now).ranked).toEqual([]);
    const [ranked] = rankAmbassadors({ ...request, virtualAcceptable: true }, school, [far], now).ranked;
    expect(ranked).toMatchObject({ id: 'far', virtual: true });
    // A school whose location is unknown can still have virtual visitors.
    expect(rankAmbassadors({ ...request, virtualAcceptable: true }, null, [far], now).ranked).toHaveLength(1);
    expect(rankAmbassadors(request, null, [candidate('near')], now).ranked).toEqual([]);
  });

  it('asks no skills of anyone when none are wanted', () => {
    expect(rankAmbassadors({ ...request, skillsWanted: [] }, school, [candidate('any', { skills: [] })], now).ranked).toHaveLength(1);
  });

  it('ranks the least asked first, then the better skills match, then the nearest', () => {
    const { ranked } = rankAmbassadors(
      request,
      school,
      [
        candidate('busy-near', { recentOffers: 3, latitude: 54.575, longitude: -1.236 }),
        candidate('one-skill-far', { latitude: 54.7, longitude: -1.5 }),
        candidate('one-skill-near', { latitude: 54.575, longitude: -1.236 }),
        candidate('two-skills-far', { skills: ['robotics', 'coding'], latitude: 54.7, longitude: -1.5 }),
      ],
      now,
    );
    expect(ranked.map((r) => r.id)).toEqual(['two-skills-far', 'one-skill-near', 'one-skill-far', 'busy-near']);
    expect(ranked[1].distanceKm).toBeLessThan(1);
  });

  it('reads availability as London weekdays and inclusive unavailable dates', () => {
    const wednesday = new Date('2027-02-10T09:30:00Z');
    expect(isAvailableOn({ weekdays: [3], unavailable: [] }, wednesday)).toBe(true);
    expect(isAvailableOn({ weekdays: [3], unavailable: [{ from: '2027-02-10', to: '2027-02-10' }] }, wednesday)).toBe(false);
    // 23:30 UTC on a summer Tuesday is already Wednesday in London.
    expect(isAvailableOn({ weekdays: [3], unavailable: [] }, new Date('2027-06-08T23:30:00Z'))).toBe(true);
  });
});

describe('waves', () => {
  const ranked = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, distanceKm: 1, virtual: false, skillsMatched: 1, recentOffers: 0 }));

  it('tops the open offers up to the wave size', () => {
    expect(nextWave(ranked, { waveSize: 3, openOffers: 0, stillNeeded: 2 }).map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(nextWave(ranked, { waveSize: 3, openOffers: 2, stillNeeded: 2 }).map((r) => r.id)).toEqual(['a']);
    expect(nextWave(ranked, { waveSize: 3, openOffers: 4, stillNeeded: 2 })).toEqual([]);
  });

  it('asks nobody once the places are filled', () => {
    expect(nextWave(ranked, { waveSize: 3, openOffers: 0, stillNeeded: 0 })).toEqual([]);
  });
});

describe('why a request is short', () => {
  const counts = { wanted: 3, accepted: 0, declined: 0, expired: 0, open: 0, withdrew: 0, eligibleLeft: 0 };
  it('says it in the words the programme team reads', () => {
    expect(shortReason(counts)).toBe('nobody eligible within range');
    expect(shortReason({ ...counts, declined: 12 })).toBe('0 of 3 accepted; all 12 asked declined; nobody else eligible within range');
    expect(shortReason({ ...counts, accepted: 1, declined: 2, expired: 1, open: 3, eligibleLeft: 4 })).toBe('1 of 3 accepted; 2 declined; 1 did not answer in time; 3 offers still unanswered');
  });
});
