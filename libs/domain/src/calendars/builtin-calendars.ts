import type { AcademicCalendar } from './academic-calendar.js';

const NOTE = 'Typical term dates, shipped as defaults: every local authority sets its own, so edit them to match your schools.';

/** England: three terms with a week's half-term in each (typical LA dates). */
export const ENGLAND: AcademicCalendar = {
  key: 'england',
  name: 'England (typical local authority dates)',
  nation: 'england',
  bankHolidayRegion: 'ENG',
  note: NOTE,
  years: [
    {
      label: '2025/26',
      terms: [
        { name: 'autumn', starts: '2025-09-03', ends: '2025-12-19', breaks: [{ name: 'October half-term', starts: '2025-10-27', ends: '2025-10-31' }] },
        { name: 'spring', starts: '2026-01-05', ends: '2026-03-27', breaks: [{ name: 'February half-term', starts: '2026-02-16', ends: '2026-02-20' }] },
        { name: 'summer', starts: '2026-04-13', ends: '2026-07-22', breaks: [{ name: 'May half-term', starts: '2026-05-25', ends: '2026-05-29' }] },
      ],
    },
    {
      label: '2026/27',
      terms: [
        { name: 'autumn', starts: '2026-09-02', ends: '2026-12-18', breaks: [{ name: 'October half-term', starts: '2026-10-26', ends: '2026-10-30' }] },
        { name: 'spring', starts: '2027-01-04', ends: '2027-03-25', breaks: [{ name: 'February half-term', starts: '2027-02-15', ends: '2027-02-19' }] },
        { name: 'summer', starts: '2027-04-12', ends: '2027-07-21', breaks: [{ name: 'May half-term', starts: '2027-05-31', ends: '2027-06-04' }] },
      ],
    },
    {
      label: '2027/28',
      terms: [
        { name: 'autumn', starts: '2027-09-01', ends: '2027-12-17', breaks: [{ name: 'October half-term', starts: '2027-10-25', ends: '2027-10-29' }] },
        { name: 'spring', starts: '2028-01-04', ends: '2028-04-07', breaks: [{ name: 'February half-term', starts: '2028-02-14', ends: '2028-02-18' }] },
        { name: 'summer', starts: '2028-04-24', ends: '2028-07-21', breaks: [{ name: 'May half-term', starts: '2028-05-29', ends: '2028-06-02' }] },
      ],
    },
  ],
};

/** Scotland: the year starts in mid-August, with an October week and a short February break. */
export const SCOTLAND: AcademicCalendar = {
  key: 'scotland',
  name: 'Scotland (typical local authority dates)',
  nation: 'scotland',
  bankHolidayRegion: 'SCT',
  note: NOTE,
  years: [
    {
      label: '2025/26',
      terms: [
        { name: 'autumn', starts: '2025-08-18', ends: '2025-12-19', breaks: [{ name: 'October week', starts: '2025-10-13', ends: '2025-10-17' }] },
        { name: 'spring', starts: '2026-01-06', ends: '2026-04-02', breaks: [{ name: 'February mid-term', starts: '2026-02-16', ends: '2026-02-17' }] },
        { name: 'summer', starts: '2026-04-20', ends: '2026-06-26', breaks: [] },
      ],
    },
    {
      label: '2026/27',
      terms: [
        { name: 'autumn', starts: '2026-08-18', ends: '2026-12-22', breaks: [{ name: 'October week', starts: '2026-10-12', ends: '2026-10-16' }] },
        { name: 'spring', starts: '2027-01-06', ends: '2027-03-26', breaks: [{ name: 'February mid-term', starts: '2027-02-15', ends: '2027-02-16' }] },
        { name: 'summer', starts: '2027-04-12', ends: '2027-06-30', breaks: [] },
      ],
    },
    {
      label: '2027/28',
      terms: [
        { name: 'autumn', starts: '2027-08-17', ends: '2027-12-22', breaks: [{ name: 'October week', starts: '2027-10-11', ends: '2027-10-15' }] },
        { name: 'spring', starts: '2028-01-06', ends: '2028-03-31', breaks: [{ name: 'February mid-term', starts: '2028-02-14', ends: '2028-02-15' }] },
        { name: 'summer', starts: '2028-04-17', ends: '2028-06-30', breaks: [] },
      ],
    },
  ],
};

export const BUILTIN_CALENDARS: AcademicCalendar[] = [ENGLAND, SCOTLAND];
