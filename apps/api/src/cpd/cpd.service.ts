import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  actOnBooking,
  AlreadyBooked,
  cancelSession,
  CpdBooking,
  CpdCourse,
  CpdRecord,
  CpdSession,
  cpdUnits,
  EventTypes,
  InvalidInput,
  moveSession,
  NotFound,
  Person,
  recordRegister,
  requestPlace,
  UnitOfWork,
  type BookingAction,
  type Principal,
} from '#domain';
import { Access } from '../auth/access.js';
import type { Page } from '../common/pagination.js';
import { isUniqueViolation } from '../schools/schools.service.js';
import type { CancelSessionDto, CreateCourseDto, CreateCpdRecordDto, CreateSessionDto, ListCoursesQuery, MoveSessionDto, RegisterDto, UpdateCourseDto } from './dto/cpd.dto.js';

export interface PersonFound {
  id: string;
  name: string;
  email: string | null;
  schoolName: string | null;
}

/** A booking with who it is for, as a session's bookings, waitlist and register show it. */
export interface BookingOfPerson {
  booking: CpdBooking;
  personName: string;
  schoolName: string | null;
}

@Injectable()
export class CpdService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly access: Access,
  ) {}

  async createCourse(principal: Principal, input: CreateCourseDto): Promise<CpdCourse> {
    await this.access.mustChange(principal, 'programme', input.programmeId, 'Programme');
    return this.unitOfWork.run(async (tx) => {
      const course = tx.manager.create(CpdCourse, { id: randomUUID(), ...input, title: input.title.trim(), provider: input.provider ?? null, createdAt: tx.now, updatedAt: tx.now });
      await tx.manager.insert(CpdCourse, course);
      tx.record({ type: EventTypes.CourseCreated, aggregateType: 'course', aggregateId: course.id, payload: { courseId: course.id, programmeId: course.programmeId } });
      return course;
    });
  }

  /** Changes a course's details; places already booked keep the cost they were booked at. */
  async updateCourse(principal: Principal, id: string, input: Omit<UpdateCourseDto, 'provider'> & { provider?: string | null }): Promise<CpdCourse> {
    const course = await this.course(principal, id);
    await this.access.mustChange(principal, 'programme', course.programmeId, 'Course');
    return this.unitOfWork.run(async (tx) => {
      const changes = Object.fromEntries(Object.entries({ ...input, title: input.title?.trim() }).filter(([, v]) => v !== undefined)) as Partial<CpdCourse>;
      const changed = Object.keys(changes).filter((k) => changes[k as keyof CpdCourse] !== course[k as keyof CpdCourse]);
      if (changed.length === 0) return course;
      Object.assign(course, changes, { updatedAt: tx.now });
      await tx.manager.update(CpdCourse, { id }, { ...changes, updatedAt: tx.now });
      tx.record({ type: EventTypes.CourseUpdated, aggregateType: 'course', aggregateId: id, payload: { courseId: id, changed } });
      return course;
    });
  }

  /** The programmes whose courses the principal may create: their own, or every one for an admin. */
  async programmesToRun(principal: Principal): Promise<Array<{ id: string; name: string }>> {
    return this.dataSource.manager
      .createQueryBuilder()
      .select(['p.id AS id', 'p.name AS name'])
      .from('programmes', 'p')
      .where(this.access.where('p.id', this.access.programmeIdsToChange(principal)), this.access.params(principal))
      .orderBy('p.name')
      .getRawMany<{ id: string; name: string }>();
  }

  /** May the principal run this course (change it, add and move its sessions)? */
  mayRun(principal: Principal, course: CpdCourse): Promise<boolean> {
    return this.access.canChange(principal, 'programme', course.programmeId);
  }

  async mustRunCourse(principal: Principal, course: CpdCourse): Promise<void> {
    await this.access.mustChange(principal, 'programme', course.programmeId, 'Course');
  }

  async course(principal: Principal, id: string): Promise<CpdCourse> {
    const course = await this.dataSource.manager.findOneBy(CpdCourse, { id });
    if (!course || !(await this.access.canSee(principal, 'programme', course.programmeId))) throw new NotFound('Course', id);
    return course;
  }

  async courses(principal: Principal, query: ListCoursesQuery): Promise<Page<CpdCourse>> {
    const qb = this.dataSource.manager
      .createQueryBuilder(CpdCourse, 'c')
      .where(this.access.where('c.programme_id', this.access.programmeIds(principal)), this.access.params(principal))
      .orderBy('c.title')
      .addOrderBy('c.id');
    if (query.programmeId) qb.andWhere('c.programme_id = :programmeId', { programmeId: query.programmeId });
    const [items, total] = await qb
      .skip((query.page - 1) * query.pageSize)
      .take(query.pageSize)
      .getManyAndCount();
    return { items, page: query.page, pageSize: query.pageSize, total };
  }

  async createSession(principal: Principal, courseId: string, input: CreateSessionDto): Promise<CpdSession> {
    const course = await this.course(principal, courseId);
    await this.access.mustChange(principal, 'programme', course.programmeId, 'Course');
    const startsAt = new Date(input.startsAt);
    const endsAt = new Date(input.endsAt);
    if (endsAt <= startsAt) throw new InvalidInput('A session must end after it starts', [{ field: 'endsAt', message: 'must be after startsAt' }]);
    if (!input.venue && !input.onlineUrl) throw new InvalidInput('A session needs a venue or an online link', [{ field: 'venue', message: 'or onlineUrl is required' }]);
    return this.unitOfWork.run(async (tx) => {
      const session = tx.manager.create(CpdSession, {
        id: randomUUID(),
        courseId,
        startsAt,
        endsAt,
        venue: input.venue ?? null,
        onlineUrl: input.onlineUrl ?? null,
        capacity: input.capacity,
        placesTaken: 0,
        offerHours: input.offerHours ?? 48,
        createdAt: tx.now,
        updatedAt: tx.now,
      });
      await tx.manager.insert(CpdSession, session);
      tx.record({ type: EventTypes.SessionCreated, aggregateType: 'session', aggregateId: session.id, payload: { sessionId: session.id, courseId } });
      return session;
    });
  }

  async session(principal: Principal, id: string): Promise<{ session: CpdSession; waitlisted: number }> {
    const session = await this.dataSource.manager.findOneBy(CpdSession, { id });
    if (!session) throw new NotFound('Session', id);
    await this.course(principal, session.courseId).catch(() => {
      throw new NotFound('Session', id);
    });
    const waitlisted = await this.dataSource.manager.countBy(CpdBooking, { sessionId: id, status: 'waitlisted' });
    return { session, waitlisted };
  }

  /** Moves a session; everyone holding a place gets a calendar update (the worker sends it). */
  async moveSession(principal: Principal, id: string, input: MoveSessionDto): Promise<CpdSession> {
    const { session } = await this.session(principal, id);
    await this.mustRun(principal, session);
    return this.unitOfWork.run((tx) =>
      moveSession(tx, id, { startsAt: new Date(input.startsAt), endsAt: new Date(input.endsAt), venue: input.venue?.trim() || null, onlineUrl: input.onlineUrl?.trim() || null }),
    );
  }

  /** Cancels a session and every booking on it; each person gets the cancellation and its calendar cancellation. */
  async cancelSession(principal: Principal, id: string, input: CancelSessionDto): Promise<CpdSession> {
    const { session } = await this.session(principal, id);
    await this.mustRun(principal, session);
    return this.unitOfWork.run((tx) => cancelSession(tx, id, input.reason.trim()));
  }

  /** The course's programme runs the session: its managers change it. */
  private async mustRun(principal: Principal, session: CpdSession): Promise<void> {
    const course = await this.dataSource.manager.findOneByOrFail(CpdCourse, { id: session.courseId });
    await this.access.mustChange(principal, 'programme', course.programmeId, 'Session');
  }

  async sessions(principal: Principal, courseId: string): Promise<CpdSession[]> {
    await this.course(principal, courseId);
    return this.dataSource.manager.find(CpdSession, { where: { courseId }, order: { startsAt: 'ASC' } });
  }

  async book(principal: Principal, sessionId: string, personId: string): Promise<CpdBooking> {
    await this.session(principal, sessionId);
    const person = await this.mustSeePerson(principal, personId);
    await this.access.mustChangePerson(principal, person);
    try {
      return await this.unitOfWork.run((tx) => requestPlace(tx, sessionId, personId));
    } catch (error) {
      if (isUniqueViolation(error, 'cpd_bookings_one_live_per_person')) throw new AlreadyBooked(person.name);
      throw error;
    }
  }

  async booking(principal: Principal, id: string): Promise<CpdBooking> {
    const booking = await this.dataSource.manager.findOneBy(CpdBooking, { id });
    if (!booking || !(await this.access.canSee(principal, 'booking', booking.id))) throw new NotFound('Booking', id);
    return booking;
  }

  async bookings(principal: Principal, sessionId: string): Promise<CpdBooking[]> {
    await this.session(principal, sessionId);
    return this.dataSource.manager
      .createQueryBuilder(CpdBooking, 'b')
      .where('b.session_id = :sessionId', { sessionId })
      .andWhere(this.access.where('b.id', this.access.bookingIds(principal)), this.access.params(principal))
      .orderBy('b.queued_at')
      .addOrderBy('b.id')
      .getMany();
  }

  /** A session's bookings the principal may see, each with the person's name and their school. */
  async bookingsOfPeople(principal: Principal, sessionId: string): Promise<BookingOfPerson[]> {
    const bookings = await this.bookings(principal, sessionId);
    if (bookings.length === 0) return [];
    const people: Array<{ id: string; name: string }> = await this.dataSource.query(`SELECT id, name FROM people WHERE id = ANY($1::uuid[])`, [bookings.map((b) => b.personId)]);
    const schoolIds = [...new Set(bookings.map((b) => b.schoolId).filter((id): id is string => id !== null))];
    const schools: Array<{ id: string; name: string }> = schoolIds.length ? await this.dataSource.query(`SELECT id, name FROM schools WHERE id = ANY($1::uuid[])`, [schoolIds]) : [];
    const nameOf = new Map(people.map((p) => [p.id, p.name]));
    const schoolOf = new Map(schools.map((s) => [s.id, s.name]));
    return bookings.map((booking) => ({ booking, personName: nameOf.get(booking.personId) ?? '', schoolName: booking.schoolId ? (schoolOf.get(booking.schoolId) ?? null) : null }));
  }

  /** People the principal may book onto a session, found by name or email, without a live booking on it already. */
  async peopleToBook(principal: Principal, sessionId: string, search: string, limit?: number): Promise<PersonFound[]> {
    await this.session(principal, sessionId);
    return this.peopleToChoose(principal, search, sessionId, limit);
  }

  /**
   * People at schools the principal may change (whose CPD they may book and record), found
   * by name or email; with a session, those already holding a live booking on it are left out.
   */
  async peopleToChoose(principal: Principal, search: string, notBookedOn?: string, limit = 20): Promise<PersonFound[]> {
    const words = search.trim();
    if (!words) return [];
    const qb = this.dataSource.manager
      .createQueryBuilder()
      .select(['p.id AS id', 'p.name AS name', 'p.email AS email', 's.name AS "schoolName"'])
      .from(Person, 'p')
      .innerJoin('schools', 's', 's.id = p.school_id')
      .where(this.access.where('p.school_id', this.access.schoolIdsToChange(principal)), this.access.params(principal))
      .andWhere(`(p.name ILIKE :like ESCAPE '\\' OR p.email ILIKE :like ESCAPE '\\')`, { like: `%${words.replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
    if (notBookedOn) qb.andWhere(`NOT EXISTS (SELECT 1 FROM cpd_bookings b WHERE b.session_id = :sessionId AND b.person_id = p.id AND b.status <> 'cancelled')`, { sessionId: notBookedOn });
    return qb.orderBy('p.name').addOrderBy('p.id').limit(limit).getRawMany<PersonFound>();
  }

  /** A person whose CPD the principal may record, with their school's name; none when out of reach. */
  async personToRecord(principal: Principal, personId: string): Promise<PersonFound | null> {
    const person = await this.dataSource.manager.findOneBy(Person, { id: personId });
    if (!person?.schoolId || !(await this.access.canChangePerson(principal, person))) return null;
    const [school]: Array<{ name: string }> = await this.dataSource.query(`SELECT name FROM schools WHERE id = $1`, [person.schoolId]);
    return { id: person.id, name: person.name, email: person.email, schoolName: school?.name ?? null };
  }

  /** The hours already in the ledger for these bookings' attendance. */
  async recordedHours(bookingIds: string[]): Promise<Map<string, number>> {
    if (bookingIds.length === 0) return new Map();
    const rows: Array<{ booking_id: string; hours: string }> = await this.dataSource.query(`SELECT booking_id, hours FROM cpd_records WHERE booking_id = ANY($1::uuid[])`, [bookingIds]);
    return new Map(rows.map((r) => [r.booking_id, Number(r.hours)]));
  }

  async act(principal: Principal, bookingId: string, action: BookingAction): Promise<CpdBooking> {
    await this.booking(principal, bookingId);
    await this.access.mustChange(principal, 'booking', bookingId, 'Booking');
    return this.unitOfWork.run((tx) => actOnBooking(tx, bookingId, action));
  }

  /**
   * The programme running the session takes its whole register. A lead puts on it only the
   * places that are their partnership's: a booking of another partnership is answered as
   * one that is not on this session at all, and nothing is recorded.
   */
  async register(principal: Principal, sessionId: string, input: RegisterDto) {
    const { session } = await this.session(principal, sessionId);
    const course = await this.dataSource.manager.findOneByOrFail(CpdCourse, { id: session.courseId });
    const wholeRegister = await this.access.canChange(principal, 'programme', course.programmeId);
    return this.unitOfWork.run(async (tx) => {
      // Before the session starts the rule refuses every register, whoever's places it names.
      if (!wholeRegister && session.startsAt <= tx.now) {
        const named = [...new Set([...input.attended, ...input.noShow, ...(input.hours ?? []).map((h) => h.bookingId)])];
        const theirs =
          named.length === 0
            ? []
            : await tx.manager
                .createQueryBuilder(CpdBooking, 'b')
                .select('b.id', 'id')
                .where('b.id IN (:...named)', { named })
                .andWhere(this.access.where('b.id', this.access.bookingIds(principal)), this.access.params(principal))
                .getRawMany<{ id: string }>();
        const others = named.filter((id) => !theirs.some((b) => b.id === id));
        if (others.length > 0)
          throw new InvalidInput(
            'Only confirmed places can go on the register',
            others.map((id) => ({ field: 'bookings', message: `${id} is not a booking for this session` })),
          );
      }
      const hoursOf = Object.fromEntries((input.hours ?? []).map((h) => [h.bookingId, h.hours]));
      return recordRegister(tx, sessionId, input.attended, input.noShow, hoursOf);
    });
  }

  /** CPD from any other channel (local, third-party, coaching…) goes in the same ledger. */
  async recordCpd(principal: Principal, input: CreateCpdRecordDto): Promise<CpdRecord> {
    const person = await this.mustSeePerson(principal, input.personId);
    await this.access.mustChangePerson(principal, person);
    return this.unitOfWork.run(async (tx) => {
      const [membership]: Array<{ partnership_id: string }> = person.schoolId
        ? await tx.manager.query(`SELECT partnership_id FROM partnership_members WHERE school_id = $1 AND left_at IS NULL ORDER BY joined_at DESC LIMIT 1`, [person.schoolId])
        : [];
      const record = tx.manager.create(CpdRecord, {
        id: randomUUID(),
        personId: person.id,
        schoolId: person.schoolId,
        partnershipId: membership?.partnership_id ?? null,
        bookingId: null,
        courseId: null,
        channel: input.channel,
        subject: input.subject,
        title: input.title.trim(),
        hours: input.hours,
        occurredOn: input.occurredOn,
        provider: input.provider ?? null,
        recordedAt: tx.now,
      });
      await tx.manager.insert(CpdRecord, record);
      tx.record({ type: EventTypes.CpdRecorded, aggregateType: 'person', aggregateId: person.id, payload: { recordId: record.id, personId: person.id, hours: record.hours, channel: record.channel } });
      return record;
    });
  }

  /** Hours and CPD units (hours / 5) for a person, from every channel. */
  async personCpd(principal: Principal, personId: string) {
    await this.mustSeePerson(principal, personId);
    const records = await this.dataSource.manager.find(CpdRecord, { where: { personId }, order: { occurredOn: 'ASC' } });
    const hours = round(records.reduce((sum, r) => sum + r.hours, 0));
    // Their bookings the caller may read (a place at another programme's session is not theirs to see).
    const bookings: Array<{ id: string; session_id: string; status: string; course_title: string; starts_at: Date; ends_at: Date }> = await this.dataSource.manager
      .createQueryBuilder()
      .select(['b.id AS id', 'b.session_id AS session_id', 'b.status AS status', 'c.title AS course_title', 's.starts_at AS starts_at', 's.ends_at AS ends_at'])
      .from('cpd_bookings', 'b')
      .innerJoin('cpd_sessions', 's', 's.id = b.session_id')
      .innerJoin('cpd_courses', 'c', 'c.id = s.course_id')
      .where('b.person_id = :personId', { personId })
      .andWhere(this.access.where('b.id', this.access.bookingIds(principal)), this.access.params(principal))
      .orderBy('s.starts_at')
      .addOrderBy('b.id')
      .getRawMany();
    return {
      personId,
      hours,
      cpdUnits: cpdUnits(hours),
      definition: 'Hours from every channel in the CPD ledger; 1 CPD unit = 5 hours.',
      records: records.map(recordResponse),
      bookings: bookings.map((b) => ({ id: b.id, sessionId: b.session_id, status: b.status, courseTitle: b.course_title, startsAt: b.starts_at.toISOString(), endsAt: b.ends_at.toISOString() })),
    };
  }

  async schoolCpd(principal: Principal, schoolId: string) {
    await this.access.mustSee(principal, 'school', schoolId, 'School');
    const rows: Array<{ person_id: string; name: string; hours: string; records: string }> = await this.dataSource.query(
      `SELECT r.person_id, p.name, sum(r.hours) AS hours, count(*) AS records FROM cpd_records r JOIN people p ON p.id = r.person_id
        WHERE r.school_id = $1 GROUP BY r.person_id, p.name ORDER BY p.name`,
      [schoolId],
    );
    const people = rows.map((r) => ({ personId: r.person_id, name: r.name, hours: Number(r.hours), cpdUnits: cpdUnits(Number(r.hours)), records: Number(r.records) }));
    const hours = round(people.reduce((sum, p) => sum + p.hours, 0));
    return { schoolId, hours, cpdUnits: cpdUnits(hours), participants: people.length, definition: 'Hours from every channel in the CPD ledger; 1 CPD unit = 5 hours.', people };
  }

  private async mustSeePerson(principal: Principal, personId: string): Promise<Person> {
    const person = await this.dataSource.manager.findOneBy(Person, { id: personId });
    if (!person || !(await this.access.canSeePerson(principal, person))) {
      throw new NotFound('Person', personId);
    }
    return person;
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

export const recordResponse = (r: CpdRecord) => ({
  id: r.id,
  personId: r.personId,
  schoolId: r.schoolId,
  partnershipId: r.partnershipId,
  bookingId: r.bookingId,
  channel: r.channel,
  subject: r.subject,
  title: r.title,
  hours: r.hours,
  cpdUnits: cpdUnits(r.hours),
  occurredOn: r.occurredOn,
  provider: r.provider,
});
