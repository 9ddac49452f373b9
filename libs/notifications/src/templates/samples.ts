import { NotificationKinds, type NotificationKind } from './kinds.js';

const start = '2027-02-10T09:30:00.000Z';
const end = '2027-02-10T15:30:00.000Z';
const booking = {
  bookingId: '4f1c2b8e-6a3d-4e0f-9b1a-2c3d4e5f6a7b', personName: 'Priya Shah', courseTitle: 'Practical physics for non-specialists', startsAt: start, endsAt: end,
  venue: 'Teesside University, Middlesbrough', onlineUrl: null,
};

const ambassadorRequest = {
  requestId: '7a1c2b8e-6a3d-4e0f-9b1a-2c3d4e5f6a7c', schoolName: 'Beechwood Primary School', activityType: 'Careers talk', startsAt: start, endsAt: end, keyStages: 'KS2',
  skillsWanted: 'engineering, robotics', notes: 'Year 6, about 60 pupils',
};

/** Sample data for each template, for previews (GET /api/v1/templates/:key/preview). */
export const TEMPLATE_SAMPLES: Record<NotificationKind, Record<string, unknown>> = {
  [NotificationKinds.SchoolWelcome]: {
    membershipId: '00000000-0000-4000-8000-000000000000', contactName: 'Amira Khan', schoolName: 'Beechwood Primary School', partnershipName: 'Tees Valley STEM Partnership',
    partnershipArea: 'Middlesbrough', joinedAt: '2026-09-14T10:00:00.000Z',
  },
  [NotificationKinds.BookingConfirmed]: booking,
  [NotificationKinds.PlaceOffered]: { ...booking, offerExpiresAt: '2027-02-03T09:30:00.000Z' },
  [NotificationKinds.BookingCancelled]: { ...booking, reason: 'Supply cover fell through' },
  [NotificationKinds.SessionReminder]: { ...booking, daysBefore: 7 },
  [NotificationKinds.LinkRenewed]: { recipientName: 'Amira Khan', what: 'your school\'s self-evaluation', url: 'https://stemflow.example.org/e/sample-token', expiresAt: '2027-02-24T17:00:00.000Z' },
  [NotificationKinds.AmbassadorOffer]: {
    ...ambassadorRequest, ambassadorName: 'Jo Okafor', offerId: '8b1c2b8e-6a3d-4e0f-9b1a-2c3d4e5f6a7d', url: 'https://stemflow.example.org/r/sample-token', offerExpiresAt: '2027-02-03T09:30:00.000Z',
    virtual: false, distanceKm: 6.4,
  },
  [NotificationKinds.AmbassadorAccepted]: { ...ambassadorRequest, ambassadorName: 'Jo Okafor' },
  [NotificationKinds.AmbassadorRequestFilled]: { ...ambassadorRequest, ambassadorName: 'Jo Okafor' },
  [NotificationKinds.AmbassadorRequestCancelled]: { ...ambassadorRequest, ambassadorName: 'Jo Okafor' },
  [NotificationKinds.AmbassadorTeamConfirmed]: {
    ...ambassadorRequest, contactName: 'Amira Khan', numberWanted: 2,
    team: [{ name: 'Jo Okafor', employer: 'Tees Robotics Ltd', checkValid: true, virtual: false }, { name: 'Sam Reid', employer: null, checkValid: true, virtual: true }],
  },
  [NotificationKinds.AmbassadorRequestEscalated]: { ...ambassadorRequest, numberWanted: 3, accepted: 1, reason: '1 of 3 accepted; all 12 asked declined; nobody else eligible within range' },
  [NotificationKinds.AmbassadorCheckRenewal]: { ambassadorName: 'Jo Okafor', checkType: 'DBS', expiresOn: '12 March 2027', daysBefore: 30 },
  [NotificationKinds.TermStart]: { contactName: 'Amira Khan', schoolName: 'Beechwood Primary School', partnershipName: 'Tees Valley STEM Partnership', termName: 'spring' },
};
