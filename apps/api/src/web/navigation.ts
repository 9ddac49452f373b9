import type { Role } from '#domain';

export interface NavigationItem {
  text: string;
  href: string;
  /** What the area is for, in a sentence, on the home page. */
  description: string;
}

/** Everyone who works in the console. */
const STAFF: Role[] = ['admin', 'programme_manager', 'educational_lead'];

/**
 * The console's areas, in the order a programme team works through them, each with the
 * roles that see it. An area joins here when its pages land; the home page lists the same.
 */
const AREAS: Array<NavigationItem & { roles: Role[] }> = [
  { text: 'Home', href: '/', description: 'Where you start.', roles: STAFF },
  {
    text: 'Programmes',
    href: '/programmes',
    description: "Programmes and their cohorts: dates, academic calendars, self-evaluation frameworks, and each cohort's workflow policy beside the emails it plans.",
    roles: ['admin', 'programme_manager'],
  },
  {
    text: 'Schools',
    href: '/schools',
    description: 'Find a school by name, URN, postcode or local authority, read its record and history, and upload a GIAS extract.',
    roles: STAFF,
  },
  {
    text: 'Partnerships',
    href: '/partnerships',
    description: 'Partnerships of schools: their schools, their educational lead, the budget ledger and recruitment.',
    roles: STAFF,
  },
  { text: 'People', href: '/people', description: 'Teachers and staff: their details, consents and CPD record.', roles: STAFF },
  {
    text: 'CPD',
    href: '/cpd',
    description: 'Courses and their sessions, who is booked and waiting, the register on the day, and CPD from other channels.',
    roles: STAFF,
  },
  {
    text: 'Enrichment',
    href: '/enrichment',
    description: 'Clubs, visits, competitions and careers events your schools held or took part in: record one, and correct it with every earlier version kept.',
    roles: STAFF,
  },
  {
    text: 'STEM Ambassadors',
    href: '/ambassadors',
    description: "Schools' requests for STEM Ambassadors by status, with their offers, escalations and delivery; and the ambassadors with their safeguarding checks.",
    roles: STAFF,
  },
  {
    text: 'Emails',
    href: '/emails',
    description: 'Every email sent or decided not to send, with why, each as its recipient saw it; and what is still to go.',
    roles: STAFF,
  },
  { text: 'Reports', href: '/dashboard', description: 'The figures funders ask for, with their definitions, as charts, tables and CSV.', roles: STAFF },
  {
    text: 'People with access',
    href: '/users',
    description: 'Who can sign in, with what role and for which programme or partnership: invite someone, change or revoke their access.',
    roles: ['admin', 'programme_manager'],
  },
  { text: 'API tokens', href: '/tokens', description: 'Tokens for scripts and other systems that use the API: make one, or revoke it.', roles: ['admin', 'programme_manager'] },
  { text: 'Audit log', href: '/audit', description: 'Who changed what and when, and what each retention run removed.', roles: ['admin'] },
];

/** The service navigation a signed-in person sees, by role. */
export function navigationFor(role: Role | undefined): NavigationItem[] {
  return role ? AREAS.filter((area) => area.roles.includes(role)).map(({ text, href, description }) => ({ text, href, description })) : [];
}
