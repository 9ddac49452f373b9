import type { Availability } from './ambassador.entities.js';
import { distanceKm, type LatLon } from './distance.js';

/** What matching needs to know about a request. */
export interface MatchRequest {
  startsAt: Date;
  keyStages: string[];
  skillsWanted: string[];
  virtualAcceptable: boolean;
}

/** What matching needs to know about an ambassador. */
export interface MatchCandidate {
  id: string;
  status: string;
  latitude: number;
  longitude: number;
  travelRadiusKm: number;
  keyStages: string[];
  skills: string[];
  availability: Availability;
  offersVirtual: boolean;
  checkExpiresOn: string | null;
  /** Offers made to them, for any request, in the last FAIR_SPREAD_DAYS days. */
  recentOffers: number;
  /** Already offered a place on this request (whatever they answered). */
  alreadyOffered: boolean;
}

export type Exclusion = 'not_active' | 'no_valid_check' | 'out_of_range' | 'key_stage' | 'skills' | 'unavailable' | 'already_offered';

export interface RankedAmbassador {
  id: string;
  /** Null when the school's location is unknown. */
  distanceKm: number | null;
  /** Comes virtually: out of range (or the school's location is unknown), but both sides accept virtual. */
  virtual: boolean;
  skillsMatched: number;
  recentOffers: number;
}

/** How far back "the same few are not asked every time" looks. */
export const FAIR_SPREAD_DAYS = 90;

const londonDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' });
const londonWeekday = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'short' });
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** The date in Europe/London, YYYY-MM-DD. */
export function londonDate(at: Date): string {
  return londonDay.format(at);
}

/**
 * A check is valid up to and including its expiry date. It must be valid both today (an
 * expired check takes an ambassador out of matching at once) and on the day of the
 * activity (a school is promised a checked visitor on the day itself).
 */
export function checkValidOn(expiresOn: string | null, day: string): boolean {
  return expiresOn !== null && day <= expiresOn;
}

export function isAvailableOn(availability: Availability, at: Date): boolean {
  const weekday = WEEKDAYS.indexOf(londonWeekday.format(at)) + 1;
  if (!availability.weekdays.includes(weekday)) return false;
  const day = londonDate(at);
  return !availability.unavailable.some((range) => range.from <= day && day <= range.to);
}

/** Why one ambassador cannot be asked, or where they stand if they can. */
export function assess(request: MatchRequest, school: LatLon | null, candidate: MatchCandidate, now: Date): { excluded: Exclusion } | { ranked: RankedAmbassador } {
  if (candidate.alreadyOffered) return { excluded: 'already_offered' };
  if (candidate.status !== 'active') return { excluded: 'not_active' };
  if (!checkValidOn(candidate.checkExpiresOn, londonDate(now)) || !checkValidOn(candidate.checkExpiresOn, londonDate(request.startsAt))) return { excluded: 'no_valid_check' };
  const distance = school ? distanceKm(school, candidate) : null;
  const inRange = distance !== null && distance <= candidate.travelRadiusKm;
  const virtual = !inRange && request.virtualAcceptable && candidate.offersVirtual;
  if (!inRange && !virtual) return { excluded: 'out_of_range' };
  if (!request.keyStages.some((ks) => candidate.keyStages.includes(ks))) return { excluded: 'key_stage' };
  const wanted = new Set(request.skillsWanted.map((s) => s.toLowerCase()));
  const skillsMatched = candidate.skills.filter((s) => wanted.has(s.toLowerCase())).length;
  if (wanted.size > 0 && skillsMatched === 0) return { excluded: 'skills' };
  if (!isAvailableOn(candidate.availability, request.startsAt)) return { excluded: 'unavailable' };
  return { ranked: { id: candidate.id, distanceKm: distance === null ? null : Math.round(distance * 10) / 10, virtual, skillsMatched, recentOffers: candidate.recentOffers } };
}

/**
 * The ambassadors who may be asked, best first: those asked least in the last 90 days
 * first (a fair spread, so the same few are not asked every time), then those matching
 * more of the skills wanted, then the nearest (someone coming in person before someone
 * joining virtually), then by id so that the order never depends on the database's.
 */
export function rankAmbassadors(request: MatchRequest, school: LatLon | null, candidates: MatchCandidate[], now: Date): { ranked: RankedAmbassador[]; excluded: Map<string, Exclusion> } {
  const ranked: RankedAmbassador[] = [];
  const excluded = new Map<string, Exclusion>();
  for (const candidate of candidates) {
    const result = assess(request, school, candidate, now);
    if ('excluded' in result) excluded.set(candidate.id, result.excluded);
    else ranked.push(result.ranked);
  }
  const distanceOrder = (r: RankedAmbassador) => (r.virtual || r.distanceKm === null ? Number.MAX_SAFE_INTEGER : r.distanceKm);
  ranked.sort((a, b) => a.recentOffers - b.recentOffers || b.skillsMatched - a.skillsMatched || distanceOrder(a) - distanceOrder(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { ranked, excluded };
}

/**
 * Who to ask now. The policy's wave size is how many offers may be open at once: a wave
 * tops the open offers up to it, so a decline or an expiry is replaced one for one, and
 * nobody is asked once the places are filled. A wave may ask more people than places
 * are left (the first to accept get them; the rest are thanked and released).
 */
export function nextWave(ranked: RankedAmbassador[], state: { waveSize: number; openOffers: number; stillNeeded: number }): RankedAmbassador[] {
  if (state.stillNeeded <= 0) return [];
  return ranked.slice(0, Math.max(0, state.waveSize - state.openOffers));
}

export interface OfferCounts {
  wanted: number;
  accepted: number;
  declined: number;
  expired: number;
  open: number;
  /** Accepted, then withdrew. */
  withdrew: number;
  /** Eligible people not yet asked. */
  eligibleLeft: number;
}

/** Why a request is still short, in the words the programme team reads. */
export function shortReason(c: OfferCounts): string {
  const asked = c.accepted + c.declined + c.expired + c.open + c.withdrew;
  if (asked === 0) return 'nobody eligible within range';
  const parts = [`${c.accepted} of ${c.wanted} accepted`];
  if (c.accepted === 0 && c.open === 0 && c.declined === asked) parts.push(`all ${asked} asked declined`);
  else {
    if (c.declined > 0) parts.push(`${c.declined} declined`);
    if (c.expired > 0) parts.push(`${c.expired} did not answer in time`);
    if (c.withdrew > 0) parts.push(`${c.withdrew} withdrew after accepting`);
  }
  if (c.open > 0) parts.push(`${c.open} ${c.open === 1 ? 'offer' : 'offers'} still unanswered`);
  if (c.eligibleLeft === 0) parts.push('nobody else eligible within range');
  return parts.join('; ');
}
