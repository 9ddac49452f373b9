import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Conflict, Forbidden, InvalidInput, NotFound, type AcademicCalendar, type Principal } from '#domain';
import { Roles } from '../../auth/auth.decorators.js';
import type { DashboardUser } from '../../dashboard/dashboard-auth.js';
import { formErrors } from '../../programmes/pages/programme.forms.js';
import { validateForm } from '../../web/forms.js';
import { Staff, StaffPages } from '../../web/staff-pages.js';
import { CalendarsService } from '../calendars.service.js';
import { CALENDAR_KEY } from '../dto/calendar.dto.js';
import { CopyCalendarForm, EXTRA_BREAKS, keyFromName, NATION_NAMES, readTerm, termFields, termProblems, termTitle, termValues } from './calendar.forms.js';

type FormBody = Record<string, unknown>;

const READERS = ['programme_manager', 'educational_lead', 'school_contact'] as const;

/** What the calendar's page says was done, after a change sent the person back to it. */
function doneMessage(calendar: AcademicCalendar, query: Record<string, unknown>): string | undefined {
  if (query.done === 'copied') return 'Calendar copied. Change its term dates below, then choose it when you add a cohort.';
  if (query.done !== 'term-saved') return undefined;
  const term = termAt(calendar, query.year, query.term, false);
  const replanned = typeof query.replanned === 'string' && /^\d{1,6}$/.test(query.replanned) ? Number(query.replanned) : 0;
  const saved = term ? `${termTitle(term.term, term.year)} saved.` : 'Term dates saved.';
  if (replanned === 0) return `${saved} No cohort follows this calendar, so no schedule has changed.`;
  return `${saved} ${replanned === 1 ? '1 cohort’s schedule was' : `${replanned.toLocaleString('en-GB')} cohorts’ schedules were`} replanned to the new dates.`;
}

/** "2025/26 to 2027/28". */
const yearsCovered = (labels: string[]) => (labels.length === 0 ? 'None' : labels.length === 1 ? labels[0] : `${labels[0]} to ${labels[labels.length - 1]}`);

/** The calendar's term at the page's address (years and terms counted from 1), or "Page not found". */
function termAt(calendar: AcademicCalendar, year: unknown, term: unknown, mustExist = true) {
  const index = (n: unknown) => (typeof n === 'string' && /^[1-9]\d{0,1}$/.test(n) ? Number(n) - 1 : -1);
  const y = index(year);
  const t = index(term);
  const found = calendar.years[y]?.terms[t];
  if (!found) {
    if (mustExist) throw new NotFound('Term', `${String(year)}/${String(term)}`);
    return undefined;
  }
  return { y, t, year: calendar.years[y], term: found };
}

/**
 * Academic calendars in the console: the list, a calendar's terms and breaks year by year
 * with the cohorts that follow it, one term's dates and breaks changed at a time (which
 * re-plans those cohorts' schedules), and a copy of a calendar to adjust for a local
 * authority's own dates. Every read and change goes through the service the API calls.
 */
@Controller('calendars')
@StaffPages()
export class CalendarsPagesController {
  constructor(private readonly calendars: CalendarsService) {}

  @Get()
  @Roles(...READERS)
  async list(@Staff() user: DashboardUser, @Res() res: Response) {
    const calendars = await this.calendars.list();
    return res.render('calendars/pages/calendars', {
      calendars: calendars.map((c) => ({ ...c, nationName: NATION_NAMES[c.nation] ?? c.nation, yearsCovered: yearsCovered(c.academicYears) })),
      mayCopy: mayCopy(user.principal),
    });
  }

  @Get(':key')
  @Roles(...READERS)
  async calendar(@Staff() user: DashboardUser, @Param('key') key: string, @Query() query: Record<string, unknown>, @Res() res: Response) {
    const calendar = await this.calendarAt(key);
    const [followers, mayChange] = await Promise.all([this.calendars.followers(user.principal, key), this.calendars.mayChange(user.principal, key)]);
    return res.render('calendars/pages/calendar', {
      calendar,
      nationName: NATION_NAMES[calendar.nation] ?? calendar.nation,
      yearsCovered: yearsCovered(calendar.years.map((y) => y.label)),
      years: calendar.years.map((year) => ({ ...year, terms: year.terms.map((term) => ({ ...term, title: termTitle(term, year) })) })),
      followers,
      mayChange,
      mayCopy: mayCopy(user.principal),
      done: doneMessage(calendar, query),
    });
  }

  @Get(':key/years/:year/terms/:term')
  @Roles('programme_manager')
  async editTerm(@Staff() user: DashboardUser, @Param('key') key: string, @Param('year') year: string, @Param('term') term: string, @Res() res: Response) {
    const calendar = await this.calendarAt(key);
    const place = termAt(calendar, year, term)!;
    await this.mustChange(user.principal, key);
    return res.render('calendars/pages/term', this.termModel(calendar, place, termValues(place.term)));
  }

  @Post(':key/years/:year/terms/:term')
  @Roles('programme_manager')
  async saveTerm(@Staff() user: DashboardUser, @Param('key') key: string, @Param('year') year: string, @Param('term') term: string, @Body() body: FormBody, @Res() res: Response) {
    const calendar = await this.calendarAt(key);
    const place = termAt(calendar, year, term)!;
    await this.mustChange(user.principal, key);
    const rows = place.term.breaks.length + EXTRA_BREAKS;
    const typed = readTerm(body, rows);
    const refuse = (problems: Array<{ field: string; text: string }>) =>
      res.status(422).render('calendars/pages/term', { ...this.termModel(calendar, place, typed.values), errors: formErrors(problems, termFields(rows)) });
    if (!typed.term) return refuse(typed.problems);
    const changed = { name: place.term.name, starts: typed.term.starts, ends: typed.term.ends, breaks: typed.term.breaks.map(({ name, starts, ends }) => ({ name, starts, ends })) };
    const years = calendar.years.map((y, yi) => (yi === place.y ? { ...y, terms: y.terms.map((t, ti) => (ti === place.t ? changed : t)) } : y));
    try {
      const saved = await this.calendars.save(user.principal, key, { years });
      return res.redirect(303, `/calendars/${key}?done=term-saved&year=${place.y + 1}&term=${place.t + 1}&replanned=${saved.replanned.length}`);
    } catch (error) {
      if (error instanceof InvalidInput && error.fields.length > 0) return refuse(termProblems(error.fields, years, { year: place.y, term: place.t }, typed.term.breaks));
      throw error;
    }
  }

  @Get(':key/copy')
  @Roles('programme_manager')
  async copyPage(@Param('key') key: string, @Res() res: Response) {
    const calendar = await this.calendarAt(key);
    return res.render('calendars/pages/copy', { calendar, nations: NATION_NAMES, values: { nation: calendar.nation } });
  }

  @Post(':key/copy')
  @Roles('programme_manager')
  async copy(@Param('key') key: string, @Body() body: FormBody, @Res() res: Response) {
    const calendar = await this.calendarAt(key);
    const form = await validateForm(CopyCalendarForm, body);
    const typed = Object.fromEntries(['name', 'key', 'nation'].map((field) => [field, typeof body[field] === 'string' ? (body[field] as string) : '']));
    const refuse = (problems: Array<{ field: string; text: string }>) =>
      res.status(422).render('calendars/pages/copy', { calendar, nations: NATION_NAMES, values: typed, errors: formErrors(problems, ['name', 'key', 'nation']) });
    if (!form.ok) return refuse(form.errors.list.map((e) => ({ field: e.href.slice(1), text: e.text })));
    const newKey = form.value.key || keyFromName(form.value.name);
    if (!newKey) return refuse([{ field: 'key', text: 'Enter a key of 2 to 41 lower-case letters, numbers and hyphens, like middlesbrough: the name has too few letters to make one' }]);
    try {
      await this.calendars.create({ key: newKey, name: form.value.name, nation: form.value.nation as AcademicCalendar['nation'], years: calendar.years });
    } catch (error) {
      if (error instanceof Conflict) return refuse([{ field: 'key', text: `There is already a calendar with the key ${newKey}: enter another` }]);
      throw error;
    }
    return res.redirect(303, `/calendars/${newKey}?done=copied`);
  }

  /** A calendar at its address; a key that could not be one is not there either. */
  private calendarAt(key: string) {
    if (!CALENDAR_KEY.test(key)) throw new NotFound('Academic calendar', key);
    return this.calendars.get(key);
  }

  private async mustChange(principal: Principal, key: string) {
    if (!(await this.calendars.mayChange(principal, key))) {
      throw new Forbidden('Other programmes’ cohorts follow this calendar too, so it is not yours to change: copy it to make a calendar of your own, then choose it for your cohorts.');
    }
  }

  private termModel(calendar: AcademicCalendar, place: NonNullable<ReturnType<typeof termAt>>, values: Record<string, string>) {
    return {
      calendar,
      title: termTitle(place.term, place.year),
      action: `/calendars/${calendar.key}/years/${place.y + 1}/terms/${place.t + 1}`,
      saved: place.term.breaks.length,
      rows: place.term.breaks.length + EXTRA_BREAKS,
      values,
    };
  }
}

/** Programme managers and admins make calendars; the others read them. */
const mayCopy = (principal: Principal) => principal.role === 'admin' || principal.role === 'programme_manager';
