import { NotificationKinds, type NotificationKind } from './kinds.js';

const start = '2027-02-10T09:30:00.000Z';
const end = '2027-02-10T15:30:00.000Z';
const booking = {
  bookingId: '4f1c2b8e-6a3d-4e0f-9b1a-2c3d4e5f6a7b',
  personName: 'Priya Shah',
  courseTitle: 'Practical physics for non-specialists',
  startsAt: start,
  endsAt: end,
  venue: 'Teesside University, Middlesbrough',
  onlineUrl: null,
};

const ambassadorRequest = {
  requestId: '7a1c2b8e-6a3d-4e0f-9b1a-2c3d4e5f6a7c',
  schoolName: 'Beechwood Primary School',
  activityType: 'Careers talk',
  startsAt: start,
  endsAt: end,
  keyStages: 'KS2',
  skillsWanted: 'engineering, robotics',
  notes: 'Year 6, about 60 pupils',
};

/** Sample data for each template, for previews (GET /api/v1/templates/:key/preview). */
export const TEMPLATE_SAMPLES: Record<NotificationKind, Record<string, unknown>> = {
  [NotificationKinds.SchoolWelcome]: {
    membershipId: '00000000-0000-4000-8000-000000000000',
    contactName: 'Amira Khan',
    schoolName: 'Beechwood Primary School',
    partnershipName: 'Tees Valley STEM Partnership',
    partnershipArea: 'Middlesbrough',
    joinedAt: '2026-09-14T10:00:00.000Z',
  },
  [NotificationKinds.BookingConfirmed]: booking,
  [NotificationKinds.PlaceOffered]: { ...booking, offerExpiresAt: '2027-02-03T09:30:00.000Z' },
  [NotificationKinds.BookingCancelled]: { ...booking, reason: 'Supply cover fell through' },
  [NotificationKinds.SessionMoved]: { ...booking, calendarSequence: 1 },
  [NotificationKinds.SessionReminder]: { ...booking, daysBefore: 7 },
  [NotificationKinds.LinkRenewed]: { recipientName: 'Amira Khan', what: "your school's self-evaluation", url: 'https://stemflow.example.org/e/sample-token', expiresAt: '2027-02-24T17:00:00.000Z' },
  [NotificationKinds.DashboardSignIn]: { recipientName: 'Priya Shah (programme manager)', url: 'https://stemflow.example.org/sign-in/sample-token', expiresAt: '2027-02-10T09:45:00.000Z' },
  [NotificationKinds.SurveyInvitation]: {
    invitationId: '7a0c1e2d-3b4f-4a5e-8d6c-9b0a1f2e3d4c',
    personId: '1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b',
    personName: 'Priya Shah',
    surveyName: 'Feedback on your CPD',
    about: 'Practical physics for non-specialists',
    startsAt: start,
    url: 'https://stemflow.example.org/s/sample-token',
    closesAt: '2027-02-24T17:00:00.000Z',
  },
  [NotificationKinds.SurveyReminder]: {
    invitationId: '7a0c1e2d-3b4f-4a5e-8d6c-9b0a1f2e3d4c',
    personId: '1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b',
    personName: 'Priya Shah',
    surveyName: 'Feedback on your CPD',
    about: 'Practical physics for non-specialists',
    startsAt: start,
    url: 'https://stemflow.example.org/s/sample-token',
    closesAt: '2027-02-24T17:00:00.000Z',
    reminderNumber: 1,
  },
  [NotificationKinds.AmbassadorOffer]: {
    ...ambassadorRequest,
    ambassadorName: 'Jo Okafor',
    offerId: '8b1c2b8e-6a3d-4e0f-9b1a-2c3d4e5f6a7d',
    url: 'https://stemflow.example.org/r/sample-token',
    offerExpiresAt: '2027-02-03T09:30:00.000Z',
    virtual: false,
    distanceKm: 6.4,
  },
  [NotificationKinds.AmbassadorAccepted]: { ...ambassadorRequest, ambassadorName: 'Jo Okafor' },
  [NotificationKinds.AmbassadorRequestFilled]: { ...ambassadorRequest, ambassadorName: 'Jo Okafor' },
  [NotificationKinds.AmbassadorRequestCancelled]: { ...ambassadorRequest, ambassadorName: 'Jo Okafor' },
  [NotificationKinds.AmbassadorTeamConfirmed]: {
    ...ambassadorRequest,
    contactName: 'Amira Khan',
    numberWanted: 2,
    team: [
      { name: 'Jo Okafor', employer: 'Tees Robotics Ltd', checkValid: true, virtual: false },
      { name: 'Sam Reid', employer: null, checkValid: true, virtual: true },
    ],
  },
  [NotificationKinds.AmbassadorRequestEscalated]: { ...ambassadorRequest, numberWanted: 3, accepted: 1, reason: '1 of 3 accepted; all 12 asked declined; nobody else eligible within range' },
  [NotificationKinds.AmbassadorCheckRenewal]: { ambassadorName: 'Jo Okafor', checkType: 'DBS', expiresOn: '12 March 2027', daysBefore: 30 },
  [NotificationKinds.TermStart]: { contactName: 'Amira Khan', schoolName: 'Beechwood Primary School', partnershipName: 'Tees Valley STEM Partnership', termName: 'spring' },
  [NotificationKinds.SelfEvaluationInvitation]: {
    contactName: 'Amira Khan',
    schoolName: 'Beechwood Primary School',
    partnershipName: 'Tees Valley STEM Partnership',
    termName: '2026/27 spring',
    url: 'https://stemflow.example.org/e/sample-token',
    deadlineAt: '2027-02-04T00:00:00.000Z',
    elements: ['1.1 Vision and values', '2.1 Practical STEM'],
  },
  [NotificationKinds.SelfEvaluationReminder]: {
    contactName: 'Amira Khan',
    schoolName: 'Beechwood Primary School',
    termName: '2026/27 spring',
    url: 'https://stemflow.example.org/e/sample-token',
    deadlineAt: '2027-02-04T00:00:00.000Z',
    daysLeft: 7,
  },
  [NotificationKinds.SelfEvaluationOverdue]: {
    leadName: 'Sam Patel',
    overdueCount: '1 school has',
    partnershipName: 'Tees Valley STEM Partnership',
    termName: '2026/27 spring',
    deadlineAt: '2027-02-04T00:00:00.000Z',
    schools: [{ name: 'Beechwood Primary School', status: 'draft', contactEmail: 'stem.lead@beechwood.example.sch.uk' }],
  },
  [NotificationKinds.SelfEvaluationComparison]: {
    recipientName: 'Amira Khan',
    schoolName: 'Beechwood Primary School',
    termName: '2026/27 spring',
    previousTerm: '2026/27 autumn',
    items: [
      { name: '1.1 Vision and values', then: 'Starting out', now: 'Embedding', movement: 'up', arrow: 'up' },
      { name: '2.1 Practical STEM', then: null, now: 'Starting out', movement: 'new', arrow: 'new' },
    ],
  },
};
