/**
 * The self-evaluation frameworks stemflow knows, by key (structure in
 * shared/frameworks.json; the self-evaluation issue loads their elements and levels).
 */
export const FRAMEWORK_KEYS = ['iris-ri', 'scotland-stem-sei', 'ats-maturity', 'ats-subject-rating'] as const;
export type FrameworkKey = (typeof FRAMEWORK_KEYS)[number];

/** Academic calendars by nation: term dates differ between England and Scotland. */
export const CALENDAR_KEYS = ['england', 'scotland'] as const;
export type CalendarKey = (typeof CALENDAR_KEYS)[number];
