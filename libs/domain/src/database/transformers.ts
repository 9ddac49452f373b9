import type { ValueTransformer } from 'typeorm';

/** numeric and bigint columns arrive from pg as strings; these values fit a JS number. */
export const asNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/** A `date` column as 'YYYY-MM-DD', never shifted by a time zone. */
export const DATE_COLUMN = { type: 'date' as const };
