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
    text: 'CPD',
    href: '/cpd',
    description: 'Courses and their sessions, who is booked and waiting, the register on the day, and CPD from other channels.',
    roles: ['admin', 'programme_manager', 'educational_lead'],
  },
  { text: 'Reports', href: '/dashboard', description: 'The figures funders ask for, with their definitions, as charts, tables and CSV.', roles: ['admin', 'programme_manager', 'educational_lead'] },
];

/** The service navigation a signed-in person sees, by role. */
export function navigationFor(role: Role | undefined): NavigationItem[] {
  return role ? AREAS.filter((area) => area.roles.includes(role)).map(({ text, href, description }) => ({ text, href, description })) : [];
}
