import type { Role } from '#domain';

export interface NavigationItem {
  text: string;
  href: string;
  /** What the area is for, in a sentence, on the home page. */
  description: string;
}

/**
 * The console's areas, in the order a programme team works through them, each with the
 * roles that see it. An area joins here when its pages land; the home page lists the same.
 */
const AREAS: Array<NavigationItem & { roles: Role[] }> = [
  { text: 'Home', href: '/', description: 'Where you start.', roles: ['admin', 'programme_manager', 'educational_lead'] },
  {
    text: 'Emails',
    href: '/emails',
    description: 'Every email sent or decided not to send, with why, each as its recipient saw it; and what is still to go.',
    roles: ['admin', 'programme_manager', 'educational_lead'],
  },
  { text: 'Audit log', href: '/audit', description: 'Who changed what and when, and what each retention run removed.', roles: ['admin'] },
  {
    text: 'Schools',
    href: '/schools',
    description: 'Find a school by name, URN, postcode or local authority, read its record and history, and upload a GIAS extract.',
    roles: ['admin', 'programme_manager', 'educational_lead'],
  },
  { text: 'Reports', href: '/dashboard', description: 'The figures funders ask for, with their definitions, as charts, tables and CSV.', roles: ['admin', 'programme_manager', 'educational_lead'] },
  {
    text: 'People with access',
    href: '/users',
    description: 'Who can sign in, with what role and for which programme or partnership: invite someone, change or revoke their access.',
    roles: ['admin', 'programme_manager'],
  },
  { text: 'API tokens', href: '/tokens', description: 'Tokens for scripts and other systems that use the API: make one, or revoke it.', roles: ['admin', 'programme_manager'] },
];

/** The service navigation a signed-in person sees, by role. */
export function navigationFor(role: Role | undefined): NavigationItem[] {
  return role ? AREAS.filter((area) => area.roles.includes(role)).map(({ text, href, description }) => ({ text, href, description })) : [];
}
