import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { BOOKING_STATUS_RULES, Clock, CPD_FORMATS, CPD_SUBJECTS, Forbidden, type CpdCourse, type CpdSession, type Principal } from '#domain';
import type { DashboardUser } from '../../dashboard/dashboard-auth.js';
import { validateForm, type FormErrors } from '../../web/forms.js';
import { Staff, StaffPages } from '../../web/staff-pages.js';
import { CpdService, type BookingOfPerson, type PersonFound } from '../cpd.service.js';
import {
  BookPersonForm,
  CancelBookingForm,
  CancelSessionForm,
  CHANNEL_NAMES,
  courseInput,
  courseProblems,
  CourseForm,
  CpdRecordForm,
  dayOf,
  FORMAT_NAMES,
  hoursOf,
  sessionFormValues,
  SessionForm,
  SessionTimeForm,
  sessionTimes,
  SUBJECT_NAMES,
  withProblems,
} from './cpd.forms.js';

/** What the page a person lands on after a change says was done. */
const DONE: Record<string, string> = {
  'course-created': 'Course created',
  'course-changed': 'Course details saved',
  'session-created': 'Session added',
  'session-moved': 'Session moved. Everyone with a place is being sent the new time with a calendar update.',
  'session-cancelled': 'Session cancelled. Everyone booked on it is being sent a cancellation.',
  booked: 'Place confirmed',
  waitlisted: 'The session is full: added to the waiting list',
  'booking-cancelled': 'Booking cancelled',
  register: 'Register saved. Feedback invitations are being sent to those who attended.',
  'cpd-recorded': 'CPD recorded',
};

const STATUS_NAMES: Record<string, string> = {
  requested: 'Requested',
  confirmed: 'Confirmed',
  waitlisted: 'Waiting list',
  offered: 'Place offered',
  cancelled: 'Cancelled',
  attended: 'Attended',
  no_show: 'Did not attend',
};

const options = (names: Record<string, string>, chosen?: string) => Object.entries(names).map(([value, text]) => ({ value, text, checked: value === chosen }));
const doneMessage = (done: unknown) => (typeof done === 'string' ? DONE[done] : undefined);

/** Orders a refused form's messages as its questions are asked. */
function inOrder(errors: FormErrors | undefined, fields: string[]): FormErrors | undefined {
  if (!errors) return undefined;
  const rank = (href: string) => {
    const i = fields.indexOf(href.slice(1));
    return i === -1 ? fields.length : i;
  };
  return { ...errors, list: [...errors.list].sort((a, b) => rank(a.href) - rank(b.href)) };
}

/** Suggestions offered at once: a longer list is a search with more of the name, or the Search button. */
const SUGGESTIONS = 10;

/** A person as a suggestion names them: "Amira Khan (Tees School 1, amira.khan@tees.example.sch.uk)". */
const personSuggestion = (person: PersonFound) => {
  const about = [person.schoolName, person.email].filter(Boolean).join(', ');
  return { id: person.id, label: about ? `${person.name} (${about})` : person.name };
};
const searchOf = (q: unknown) => (typeof q === 'string' ? q.trim().slice(0, 100) : '');

const SESSION_FIELDS = ['date-day', 'startTime', 'endTime', 'venue', 'onlineUrl', 'capacity'];

/**
 * CPD in the console: courses, their sessions, a session's bookings and waiting list by
 * name, booking a person, moving or cancelling a session, and taking its register (and a
 * printable copy for the day); CPD from other channels goes in the same ledger. Every
 * handler calls the service the API calls, with the person's principal.
 */
@Controller('cpd')
@StaffPages()
export class CpdPagesController {
  constructor(
    private readonly cpd: CpdService,
    private readonly clock: Clock,
  ) {}

  @Get()
  async courses(@Staff() user: DashboardUser, @Query('page') pageParam: string | undefined, @Query('done') done: unknown, @Res() res: Response) {
    const page = Math.max(1, Math.min(10_000, Number.parseInt(String(pageParam ?? '1'), 10) || 1));
    const list = await this.cpd.courses(user.principal, { page, pageSize: 25 });
    const mayCreate = (await this.cpd.programmesToRun(user.principal)).length > 0;
    const pages = Math.ceil(list.total / list.pageSize);
    return res.render('cpd/pages/courses', {
      courses: list.items,
      total: list.total,
      pagination: pages > 1 ? paginationFor(page, pages) : null,
      mayCreate,
      subjects: SUBJECT_NAMES,
      formats: FORMAT_NAMES,
      done: doneMessage(done),
    });
  }

  @Get('courses/new')
  async newCourse(@Staff() user: DashboardUser, @Res() res: Response) {
    return res.render('cpd/pages/course-form', await this.courseFormView(user.principal, { values: {} }));
  }

  @Post('courses')
  async createCourse(@Staff() user: DashboardUser, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const programmes = await this.cpd.programmesToRun(user.principal);
    const form = await validateForm(CourseForm, body);
    const programmeId = programmes.length === 1 ? programmes[0].id : typeof body.programmeId === 'string' ? body.programmeId : '';
    const programmeProblem = programmes.some((p) => p.id === programmeId) ? [] : [{ field: 'programmeId', text: 'Select the programme that runs the course' }];
    const problems = [...programmeProblem, ...(form.ok ? courseProblems(form.value) : [])];
    if (!form.ok || problems.length > 0) {
      const errors = inOrder(withProblems(form.ok ? undefined : form.errors, problems), ['programmeId', 'title', 'subject', 'format', 'hours', 'cost', 'provider']);
      return res.status(422).render('cpd/pages/course-form', await this.courseFormView(user.principal, { values: stringsOf(body), errors }));
    }
    const course = await this.cpd.createCourse(user.principal, { programmeId, ...courseInput(form.value) });
    return res.redirect(303, `/cpd/courses/${course.id}?done=course-created`);
  }

  @Get('courses/:id')
  async course(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Query('done') done: unknown, @Res() res: Response) {
    const course = await this.cpd.course(user.principal, id);
    const sessions = await this.cpd.sessions(user.principal, id);
    const waiting = await Promise.all(sessions.map(async (s) => (await this.cpd.session(user.principal, s.id)).waitlisted));
    return res.render('cpd/pages/course', {
      course,
      sessions: sessions.map((session, i) => ({ session, waitlisted: waiting[i] })),
      mayRun: await this.cpd.mayRun(user.principal, course),
      subjects: SUBJECT_NAMES,
      formats: FORMAT_NAMES,
      done: doneMessage(done),
    });
  }

  @Get('courses/:id/edit')
  async editCourse(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response) {
    const course = await this.runnableCourse(user.principal, id);
    const values = {
      title: course.title,
      subject: course.subject,
      format: course.format,
      hours: String(course.hours),
      cost: (course.costPence / 100).toFixed(course.costPence % 100 ? 2 : 0),
      provider: course.provider ?? '',
    };
    return res.render('cpd/pages/course-form', await this.courseFormView(user.principal, { values, course }));
  }

  @Post('courses/:id/edit')
  async saveCourse(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const course = await this.runnableCourse(user.principal, id);
    const form = await validateForm(CourseForm, body);
    const problems = form.ok ? courseProblems(form.value) : [];
    if (!form.ok || problems.length > 0) {
      const errors = inOrder(withProblems(form.ok ? undefined : form.errors, problems), ['title', 'subject', 'format', 'hours', 'cost', 'provider']);
      return res.status(422).render('cpd/pages/course-form', await this.courseFormView(user.principal, { values: stringsOf(body), errors, course }));
    }
    // A provider cleared on the form is no longer the course's.
    await this.cpd.updateCourse(user.principal, id, { ...courseInput(form.value), provider: form.value.provider || null });
    return res.redirect(303, `/cpd/courses/${id}?done=course-changed`);
  }

  @Get('courses/:id/sessions/new')
  async newSession(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response) {
    const course = await this.runnableCourse(user.principal, id);
    return res.render('cpd/pages/session-form', { course, values: {} });
  }

  @Post('courses/:id/sessions')
  async createSession(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const course = await this.runnableCourse(user.principal, id);
    const form = await validateForm(SessionForm, body);
    const { times, problems } = sessionTimes(trimmedStrings(body));
    const capacity = form.ok ? Number(form.value.capacity) : 0;
    if (form.ok && (capacity < 1 || capacity > 10_000)) problems.push({ field: 'capacity', text: 'Enter between 1 and 10,000 places' });
    if (!form.ok || problems.length > 0 || !times) {
      const errors = inOrder(withProblems(form.ok ? undefined : form.errors, problems), SESSION_FIELDS);
      return res.status(422).render('cpd/pages/session-form', { course, values: stringsOf(body), errors });
    }
    const session = await this.cpd.createSession(user.principal, id, { ...times, capacity });
    return res.redirect(303, `/cpd/sessions/${session.id}?done=session-created`);
  }

  @Get('sessions/:id')
  async session(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Query('q') q: unknown, @Query('done') done: unknown, @Res() res: Response) {
    const search = searchOf(q);
    const view = await this.sessionView(user.principal, id);
    const found = search ? await this.cpd.peopleToBook(user.principal, id, search) : [];
    return res.render('cpd/pages/session', { ...view, search, found, done: doneMessage(done) });
  }

  /** Who may be booked on the session, as their name or email is typed: the search's people, as JSON for the page's script. */
  @Get('sessions/:id/people/suggestions')
  async bookingSuggestions(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Query('q') q: unknown): Promise<Array<{ id: string; label: string }>> {
    return (await this.cpd.peopleToBook(user.principal, id, searchOf(q), SUGGESTIONS)).map(personSuggestion);
  }

  @Post('sessions/:id/bookings')
  async book(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @Res() res: Response) {
    const form = await validateForm(BookPersonForm, body);
    if (!form.ok) {
      const view = await this.sessionView(user.principal, id);
      return res.status(422).render('cpd/pages/session', { ...view, search: '', found: [], errors: form.errors });
    }
    const booking = await this.cpd.book(user.principal, id, form.value.personId);
    return res.redirect(303, `/cpd/sessions/${id}?done=${booking.status === 'waitlisted' ? 'waitlisted' : 'booked'}`);
  }

  @Get('sessions/:id/move')
  async moveForm(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response) {
    const { session, course } = await this.runnableSession(user.principal, id);
    return res.render('cpd/pages/session-form', { course, session, values: sessionFormValues(session) });
  }

  @Post('sessions/:id/move')
  async move(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const { session, course } = await this.runnableSession(user.principal, id);
    const form = await validateForm(SessionTimeForm, body);
    const { times, problems } = sessionTimes(trimmedStrings(body));
    if (!form.ok || problems.length > 0 || !times) {
      const errors = inOrder(withProblems(form.ok ? undefined : form.errors, problems), SESSION_FIELDS);
      return res.status(422).render('cpd/pages/session-form', { course, session, values: stringsOf(body), errors });
    }
    await this.cpd.moveSession(user.principal, id, times);
    return res.redirect(303, `/cpd/sessions/${id}?done=session-moved`);
  }

  @Get('sessions/:id/cancel')
  async cancelForm(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response) {
    const { session, course } = await this.runnableSession(user.principal, id);
    return res.render('cpd/pages/cancel-session', { course, session, values: {} });
  }

  @Post('sessions/:id/cancel')
  async cancel(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @Res() res: Response) {
    const { session, course } = await this.runnableSession(user.principal, id);
    const form = await validateForm(CancelSessionForm, body);
    if (!form.ok) return res.status(422).render('cpd/pages/cancel-session', { course, session, values: form.values, errors: form.errors });
    await this.cpd.cancelSession(user.principal, id, form.value);
    return res.redirect(303, `/cpd/sessions/${id}?done=session-cancelled`);
  }

  @Get('bookings/:id/cancel')
  async cancelBookingForm(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response) {
    return res.render('cpd/pages/cancel-booking', { ...(await this.bookingView(user.principal, id)), values: {} });
  }

  @Post('bookings/:id/cancel')
  async cancelBooking(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @Res() res: Response) {
    const view = await this.bookingView(user.principal, id);
    const form = await validateForm(CancelBookingForm, body);
    if (!form.ok) return res.status(422).render('cpd/pages/cancel-booking', { ...view, values: form.values, errors: form.errors });
    await this.cpd.act(user.principal, id, { type: 'cancel', reason: form.value.reason || undefined });
    return res.redirect(303, `/cpd/sessions/${view.booking.sessionId}?done=booking-cancelled`);
  }

  @Get('sessions/:id/register')
  async registerForm(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response) {
    const view = await this.registerView(user.principal, id);
    const values = Object.fromEntries(
      view.register.flatMap(({ booking }) => [
        [`attendance-${booking.id}`, booking.status === 'confirmed' ? '' : booking.status],
        [`hours-${booking.id}`, String(view.recordedHours.get(booking.id) ?? view.course.hours)],
      ]),
    );
    return res.render('cpd/pages/register', { ...view, values });
  }

  /**
   * The register as one form: for each booking, attended or not and the hours. Every row
   * must be answered; the service records it all at once, and the same register twice
   * changes nothing.
   */
  @Post('sessions/:id/register')
  async register(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const view = await this.registerView(user.principal, id);
    const fields = stringsOf(body);
    const attended: string[] = [];
    const noShow: string[] = [];
    const hours: Array<{ bookingId: string; hours: number }> = [];
    const problems: Array<{ field: string; text: string }> = [];
    for (const { booking, personName } of view.register) {
      const answer = fields[`attendance-${booking.id}`];
      const typed = (fields[`hours-${booking.id}`] ?? '').trim();
      if (answer === 'attended') {
        attended.push(booking.id);
        if (!/^\d{1,3}(\.\d{1,2})?$/.test(typed) || hoursOf(typed) < 0.25 || hoursOf(typed) > 200)
          problems.push({ field: `hours-${booking.id}`, text: `Enter the hours ${personName} attended, like 6 or 2.5` });
        else if (hoursOf(typed) !== view.course.hours || view.recordedHours.has(booking.id)) hours.push({ bookingId: booking.id, hours: hoursOf(typed) });
      } else if (answer === 'no_show') noShow.push(booking.id);
      else problems.push({ field: `attendance-${booking.id}`, text: `Select whether ${personName} attended` });
    }
    if (problems.length > 0) {
      const errors = withProblems(undefined, problems);
      return res.status(422).render('cpd/pages/register', { ...view, values: fields, errors });
    }
    await this.cpd.register(user.principal, id, { attended, noShow, hours });
    return res.redirect(303, `/cpd/sessions/${id}?done=register`);
  }

  @Get('sessions/:id/register/print')
  async printableRegister(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response) {
    return res.render('cpd/pages/register-print', await this.registerView(user.principal, id));
  }

  @Get('records/new')
  async newRecord(@Staff() user: DashboardUser, @Query('q') q: unknown, @Query('personId') personIdParam: unknown, @Query('done') done: unknown, @Res() res: Response) {
    const search = searchOf(q);
    const personId = typeof personIdParam === 'string' ? personIdParam : '';
    const person = personId ? await this.cpd.personToRecord(user.principal, personId) : null;
    const found = search && !person ? await this.cpd.peopleToChoose(user.principal, search) : [];
    return res.render('cpd/pages/record-form', { ...this.recordOptions({}), search, found, person, values: {}, done: doneMessage(done) });
  }

  /** Whose CPD may be recorded, as their name or email is typed: the search's people, as JSON for the page's script. */
  @Get('records/people/suggestions')
  async recordSuggestions(@Staff() user: DashboardUser, @Query('q') q: unknown): Promise<Array<{ id: string; label: string }>> {
    return (await this.cpd.peopleToChoose(user.principal, searchOf(q), undefined, SUGGESTIONS)).map(personSuggestion);
  }

  @Post('records')
  async record(@Staff() user: DashboardUser, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const form = await validateForm(CpdRecordForm, body);
    const personId = typeof body.personId === 'string' ? body.personId : '';
    const person = /^[0-9a-f-]{36}$/i.test(personId) ? await this.cpd.personToRecord(user.principal, personId) : null;
    const { day, problem } = dayOf(trimmedStrings(body), 'Enter the date of the CPD');
    const problems = [...(person ? [] : [{ field: 'personId', text: 'Choose the person' }]), ...(problem ? [{ field: 'date-day', text: problem }] : [])];
    if (form.ok) {
      const hours = hoursOf(form.value.hours);
      if (hours < 0.25 || hours > 200) problems.push({ field: 'hours', text: 'Enter hours between 0.25 and 200' });
    }
    if (!form.ok || problems.length > 0 || !day || !person) {
      const values = stringsOf(body);
      const errors = inOrder(withProblems(form.ok ? undefined : form.errors, problems), ['personId', 'channel', 'subject', 'title', 'hours', 'date-day', 'provider']);
      return res.status(422).render('cpd/pages/record-form', { ...this.recordOptions(values), search: '', found: [], person, values, errors });
    }
    const v = form.value;
    await this.cpd.recordCpd(user.principal, {
      personId: person.id,
      channel: v.channel,
      subject: v.subject,
      title: v.title,
      hours: hoursOf(v.hours),
      occurredOn: day,
      provider: v.provider || undefined,
    });
    return res.redirect(303, `/cpd/records/new?done=cpd-recorded`);
  }

  private recordOptions(values: Record<string, string>) {
    return {
      channels: options(CHANNEL_NAMES, values.channel),
      subjectOptions: [{ value: '', text: 'Choose a subject' }, ...CPD_SUBJECTS.map((value) => ({ value, text: SUBJECT_NAMES[value], selected: value === values.subject }))],
    };
  }

  private async courseFormView(principal: Principal, view: { values: Record<string, string>; errors?: FormErrors; course?: CpdCourse }) {
    const programmes = view.course ? [] : await this.cpd.programmesToRun(principal);
    if (!view.course && programmes.length === 0) throw new Forbidden("Courses are created by their programme's managers.");
    return {
      ...view,
      programmes: programmes.length > 1 ? [{ value: '', text: 'Choose a programme' }, ...programmes.map((p) => ({ value: p.id, text: p.name, selected: p.id === view.values.programmeId }))] : null,
      subjectOptions: CPD_SUBJECTS.map((value) => ({ value, text: SUBJECT_NAMES[value], checked: value === view.values.subject })),
      formatOptions: [{ value: '', text: 'Choose a format' }, ...CPD_FORMATS.map((value) => ({ value, text: FORMAT_NAMES[value], selected: value === view.values.format }))],
    };
  }

  /** A course the person may change: others' answer as the service answers them (404, or 403 for one they only read). */
  private async runnableCourse(principal: Principal, id: string): Promise<CpdCourse> {
    const course = await this.cpd.course(principal, id);
    await this.cpd.mustRunCourse(principal, course);
    return course;
  }

  private async runnableSession(principal: Principal, id: string): Promise<{ session: CpdSession; course: CpdCourse }> {
    const { session } = await this.cpd.session(principal, id);
    const course = await this.runnableCourse(principal, session.courseId);
    return { session, course };
  }

  private async sessionView(principal: Principal, id: string) {
    const { session, waitlisted } = await this.cpd.session(principal, id);
    const course = await this.cpd.course(principal, session.courseId);
    const bookings = await this.cpd.bookingsOfPeople(principal, id);
    const now = await this.clock.now();
    const rows = bookings.map((b) => ({ ...b, cancellable: !session.cancelledAt && session.startsAt > now && ['requested', 'confirmed', 'waitlisted', 'offered'].includes(b.booking.status) }));
    const holding = rows.filter((b) => BOOKING_STATUS_RULES[b.booking.status].holdsPlace);
    const waiting = rows.filter((b) => b.booking.status === 'waitlisted');
    const others = rows.filter((b) => !BOOKING_STATUS_RULES[b.booking.status].holdsPlace && b.booking.status !== 'waitlisted');
    return {
      course,
      session,
      waitlisted,
      holding,
      waiting,
      others,
      statusNames: STATUS_NAMES,
      mayRun: await this.cpd.mayRun(principal, course),
      started: session.startsAt <= now,
    };
  }

  private async bookingView(principal: Principal, id: string) {
    const booking = await this.cpd.booking(principal, id);
    const [found] = (await this.cpd.bookingsOfPeople(principal, booking.sessionId)).filter((b) => b.booking.id === id);
    const { session } = await this.cpd.session(principal, booking.sessionId);
    const course = await this.cpd.course(principal, session.courseId);
    return { booking, personName: found?.personName ?? '', schoolName: found?.schoolName ?? null, session, course };
  }

  private async registerView(principal: Principal, id: string) {
    const { session } = await this.cpd.session(principal, id);
    const course = await this.cpd.course(principal, session.courseId);
    const bookings = await this.cpd.bookingsOfPeople(principal, id);
    const register: BookingOfPerson[] = bookings.filter((b) => ['confirmed', 'attended', 'no_show'].includes(b.booking.status)).sort((a, b) => a.personName.localeCompare(b.personName));
    const recordedHours = await this.cpd.recordedHours(register.map((b) => b.booking.id));
    return { course, session, register, recordedHours, started: session.startsAt <= (await this.clock.now()), statusNames: STATUS_NAMES };
  }
}

function stringsOf(body: unknown): Record<string, string> {
  if (typeof body !== 'object' || body === null) return {};
  return Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function trimmedStrings(body: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(stringsOf(body)).map(([k, v]) => [k, v.trim()]));
}

function paginationFor(page: number, pages: number) {
  return {
    previous: page > 1 ? { href: `?page=${page - 1}` } : undefined,
    next: page < pages ? { href: `?page=${page + 1}` } : undefined,
    items: Array.from({ length: pages }, (_, i) => ({ number: i + 1, href: `?page=${i + 1}`, current: i + 1 === page })).filter(
      (item) => Math.abs(item.number - page) <= 2 || item.number === 1 || item.number === pages,
    ),
  };
}
