import type { Role } from '#domain';

export interface NavigationItem {
  text: string;
  href: string;
}

/**
 * The service navigation a signed-in person sees, by role. For now every staff role has
 * one place to go; the console's areas join here as their pages land.
 */
export function navigationFor(role: Role | undefined): NavigationItem[] {
  switch (role) {
    case 'admin':
    case 'programme_manager':
    case 'educational_lead':
      return [{ text: 'Dashboard', href: '/dashboard' }];
    default:
      return [];
  }
}
