import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  Clock,
  cohortSchedule,
  Cohort,
  DEFAULT_WORKFLOW_POLICY,
  loadCalendar,
  replanCohort,
  EventTypes,
  Forbidden,
  InvalidInput,
  mergeWorkflowPolicy,
  missingKpiFields,
  NotFound,
  Person,
  Programme,
  scheduleChanges,
  scheduleWarnings,
  UnitOfWork,
  validateWorkflowPolicy,
  type KpiField,
  type Principal,
  type ScheduleChanges,
  type WorkflowPolicy,
} from '#domain';
import { Access } from '../auth/access.js';
import type { CreateCohortDto, CreateProgrammeDto, UpdateCohortDto, UpdateProgrammeDto } from './dto/programme.dto.js';

/** How far ahead a dry run compares the schedule before and after a change: past a cohort's year. */
const DRY_RUN_REACH_MS = 400 * 86_400_000;

/** Carries a dry run's result out of the transaction it rolls back. */
class DryRun extends Error {
  constructor(
    readonly result: {
      cohort: Cohort;
      changed: string[];
      replanned: { superseded: number; planned: number };
      schedule: Awaited<ReturnType<typeof cohortSchedule>>;
      changes: ScheduleChanges;
    },
  ) {
    super('dry run');
  }
}

@Injectable()
export class ProgrammesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly access: Access,
    private readonly clock: Clock,
  ) {}

  /** Programmes are made by the platform's admins; a programme's managers then run it. */
  mustCreate(principal: Principal): void {
    if (this.access.scopeKind(principal) !== 'admin') throw new Forbidden('Only a platform admin creates a programme.');
  }

  /** May the principal change the programme and its cohorts (a lead and a school only read them)? */
  mayChange(principal: Principal, programmeId: string): Promise<boolean> {
    return this.access.canChange(principal, 'programme', programmeId);
  }

  /** The programme, when the principal may change it: 404 when they cannot read it, 403 when they only read it. */
  async mustChange(principal: Principal, id: string): Promise<Programme> {
    const programme = await this.get(principal, id);
    await this.access.mustChange(principal, 'programme', id, 'Programme');
    return programme;
  }

  async create(principal: Principal, input: CreateProgrammeDto): Promise<Programme> {
    this.mustCreate(principal);
    if (input.endsOn < input.startsOn) throw new InvalidInput('A programme cannot end before it starts', [{ field: 'endsOn', message: 'must not be before startsOn' }]);
    return this.unitOfWork.run(async (tx) => {
      const programme = tx.manager.create(Programme, {
        id: randomUUID(),
        name: input.name.trim(),
        funder: input.funder ?? null,
        aims: input.aims ?? null,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        frameworkKey: input.frameworkKey,
        brandColour: input.brandColour ?? '#0b5394',
        teamEmail: input.teamEmail?.toLowerCase() ?? null,
        kpiDefinition: { ...input.kpiDefinition },
        createdAt: tx.now,
        updatedAt: tx.now,
      });
      await tx.manager.insert(Programme, programme);
      tx.record({ type: EventTypes.ProgrammeCreated, aggregateType: 'programme', aggregateId: programme.id, payload: { programmeId: programme.id } });
      return programme;
    });
  }

  async list(principal: Principal): Promise<Programme[]> {
    return this.dataSource.manager
      .createQueryBuilder(Programme, 'p')
      .where(this.access.where('p.id', this.access.programmeIds(principal)), this.access.params(principal))
      .orderBy('p.starts_on', 'DESC')
      .addOrderBy('p.name')
      .getMany();
  }

  async get(principal: Principal, id: string): Promise<Programme> {
    const programme = await this.dataSource.manager.findOneBy(Programme, { id });
    if (!programme || !(await this.access.canSee(principal, 'programme', id))) throw new NotFound('Programme', id);
    return programme;
  }

  /** Changes a programme's name, funder, aims, colour or team email: only what the change names. */
  async update(principal: Principal, id: string, input: UpdateProgrammeDto): Promise<Programme> {
    await this.mustChange(principal, id);
    return this.unitOfWork.run(async (tx) => {
      const programme = await tx.manager.findOneOrFail(Programme, { where: { id }, lock: { mode: 'pessimistic_write' } });
      const next = {
        name: input.name === undefined ? programme.name : input.name.trim(),
        funder: input.funder === undefined ? programme.funder : input.funder?.trim() || null,
        aims: input.aims === undefined ? programme.aims : input.aims?.trim() || null,
        brandColour: input.brandColour === undefined ? programme.brandColour : input.brandColour.toLowerCase(),
        teamEmail: input.teamEmail === undefined ? programme.teamEmail : input.teamEmail?.toLowerCase() || null,
      };
      const changed = (Object.keys(next) as Array<keyof typeof next>).filter((key) => next[key] !== programme[key]);
      if (changed.length === 0) return programme;
      Object.assign(programme, next, { updatedAt: tx.now });
      await tx.manager.save(Programme, programme);
      tx.record({ type: EventTypes.ProgrammeUpdated, aggregateType: 'programme', aggregateId: id, payload: { programmeId: id, changed } });
      return programme;
    });
  }

  async createCohort(principal: Principal, programmeId: string, input: CreateCohortDto): Promise<Cohort> {
    await this.get(principal, programmeId);
    await this.access.mustChange(principal, 'programme', programmeId, 'Programme');
    await loadCalendar(this.dataSource.manager, input.calendarKey);
    if (input.endsOn < input.startsOn) throw new InvalidInput('A cohort cannot end before it starts', [{ field: 'endsOn', message: 'must not be before startsOn' }]);
    const policy = this.policy(input.workflowPolicy ?? DEFAULT_WORKFLOW_POLICY);
    return this.unitOfWork.run(async (tx) => {
      const cohort = tx.manager.create(Cohort, {
        id: randomUUID(),
        programmeId,
        name: input.name.trim(),
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        calendarKey: input.calendarKey,
        workflowPolicy: policy,
        status: input.status ?? 'planned',
        createdAt: tx.now,
        updatedAt: tx.now,
      });
      await tx.manager.insert(Cohort, cohort);
      tx.record({ type: EventTypes.CohortCreated, aggregateType: 'cohort', aggregateId: cohort.id, payload: { cohortId: cohort.id, programmeId } });
      return cohort;
    });
  }

  async cohorts(principal: Principal, programmeId: string): Promise<Cohort[]> {
    await this.get(principal, programmeId);
    return this.dataSource.manager.find(Cohort, { where: { programmeId }, order: { startsOn: 'ASC', name: 'ASC' } });
  }

  async cohort(principal: Principal, id: string): Promise<Cohort> {
    const cohort = await this.dataSource.manager.findOneBy(Cohort, { id });
    if (!cohort || !(await this.access.canSee(principal, 'programme', cohort.programmeId))) throw new NotFound('Cohort', id);
    return cohort;
  }

  /**
   * Changes a cohort; a new policy or calendar re-plans its future actions in the same
   * transaction. With `dryRun` the change and the re-plan are made, the resulting schedule
   * is read, and everything is rolled back: the preview of a policy before it is saved, with
   * the planned actions it would add, move and drop (over the window, or 400 days from now).
   * A policy change names only the settings it changes; the others keep their values.
   */
  async updateCohort(principal: Principal, id: string, input: UpdateCohortDto, dryRun = false, window?: { from: Date; to: Date }) {
    const visible = await this.cohort(principal, id);
    await this.access.mustChange(principal, 'programme', visible.programmeId, 'Cohort');
    if (input.calendarKey) await loadCalendar(this.dataSource.manager, input.calendarKey);
    try {
      return await this.unitOfWork.run(async (tx) => {
        const cohort = await tx.manager.findOneOrFail(Cohort, { where: { id }, lock: { mode: 'pessimistic_write' } });
        // A change names some settings; the rest keep what the cohort has now, not the defaults.
        const policy = input.workflowPolicy ? this.policy(mergeWorkflowPolicy(cohort.workflowPolicy, input.workflowPolicy)) : undefined;
        const reach = { from: window?.from ?? tx.now, to: window?.to ?? new Date((window?.from ?? tx.now).getTime() + DRY_RUN_REACH_MS) };
        const before = dryRun ? await cohortSchedule(tx.manager, id, reach.from, reach.to) : undefined;
        const changed: string[] = [];
        if (input.status && input.status !== cohort.status) {
          cohort.status = input.status;
          changed.push('status');
        }
        if (input.calendarKey && input.calendarKey !== cohort.calendarKey) {
          cohort.calendarKey = input.calendarKey;
          changed.push('calendarKey');
        }
        if (policy && JSON.stringify({ ...policy, version: 0 }) !== JSON.stringify({ ...cohort.workflowPolicy, version: 0 })) {
          // Each saved policy is a new version; the actions it plans carry that number.
          cohort.workflowPolicy = { ...policy, version: cohort.workflowPolicy.version + 1 };
          changed.push('workflowPolicy');
        }
        let replanned = { superseded: 0, planned: 0 };
        if (changed.length > 0) {
          cohort.updatedAt = tx.now;
          await tx.manager.save(Cohort, cohort);
          if (changed.includes('workflowPolicy') || changed.includes('calendarKey')) replanned = await replanCohort(tx, id);
          tx.record({ type: EventTypes.CohortUpdated, aggregateType: 'cohort', aggregateId: id, payload: { cohortId: id, changed, policyVersion: cohort.workflowPolicy.version } });
        }
        if (!dryRun) return { cohort, changed, replanned, schedule: undefined, changes: undefined };
        const from = window?.from ?? tx.now;
        const schedule = await cohortSchedule(tx.manager, id, from, window?.to ?? new Date(from.getTime() + 120 * 86_400_000));
        const after = await cohortSchedule(tx.manager, id, reach.from, reach.to);
        throw new DryRun({ cohort, changed, replanned, schedule, changes: scheduleChanges(before!.entries, after.entries) });
      });
    } catch (error) {
      if (error instanceof DryRun) return error.result;
      throw error;
    }
  }

  /**
   * The cohort's schedule; by default from now (the platform's clock) for 120 days. A lead
   * reads only their partnership's part of it: no other school, and no other recipient.
   */
  async schedule(principal: Principal, id: string, window?: { from: Date; to: Date }) {
    const cohort = await this.cohort(principal, id);
    const from = window?.from ?? (await this.clock.now());
    const scope = { condition: this.access.scheduleCondition(principal), params: this.access.params(principal) };
    const schedule = await cohortSchedule(this.dataSource.manager, id, from, window?.to ?? new Date(from.getTime() + 120 * 86_400_000), scope);
    const calendar = await loadCalendar(this.dataSource.manager, cohort.calendarKey);
    const [{ team_email: teamEmail }]: Array<{ team_email: string | null }> = await this.dataSource.query(`SELECT team_email FROM programmes WHERE id = $1`, [cohort.programmeId]);
    const leadless: Array<{ id: string }> = await this.dataSource.query(
      `SELECT p.id FROM partnerships p LEFT JOIN people pe ON pe.id = p.educational_lead_id WHERE p.cohort_id = $1 AND pe.email IS NULL`,
      [id],
    );
    const context = { calendar, teamEmail, partnershipsWithoutLead: new Set(leadless.map((p) => p.id)) };
    return { ...schedule, entries: schedule.entries.map((entry) => ({ ...entry, warnings: scheduleWarnings(entry, context) })) };
  }

  /**
   * The recruitment KPI: people at the programme's schools whose records hold every field
   * the programme's definition requires (003_def1d3e673f8defb.txt: 2,802 counted of 3,563);
   * with `partnershipId`, held to the schools now in that partnership of the programme.
   */
  async kpis(principal: Principal, programmeId: string, options: { partnershipId?: string } = {}) {
    const programme = await this.get(principal, programmeId);
    const rows: Array<Person & { schoolName: string }> = await this.dataSource.manager
      .createQueryBuilder(Person, 'person')
      .innerJoin('schools', 's', 's.id = person.school_id')
      .addSelect('s.name', 'schoolName')
      .where(
        `person.school_id IN (SELECT m.school_id FROM partnership_members m JOIN partnerships p ON p.id = m.partnership_id JOIN cohorts c ON c.id = p.cohort_id WHERE c.programme_id = :programmeId AND m.left_at IS NULL)`,
        { programmeId },
      )
      .andWhere(this.access.where('person.school_id', this.access.schoolIds(principal)), this.access.params(principal))
      .andWhere(`person.role <> 'educational_lead'`)
      .andWhere(
        options.partnershipId ? `person.school_id IN (SELECT m.school_id FROM partnership_members m WHERE m.partnership_id = :partnershipId AND m.left_at IS NULL)` : 'TRUE',
        options.partnershipId ? { partnershipId: options.partnershipId } : {},
      )
      .orderBy('s.name')
      .getRawAndEntities()
      .then(({ raw, entities }) => entities.map((person, i) => Object.assign(person, { schoolName: raw[i].schoolName as string })));
    const bySchool = new Map<string, { schoolId: string; schoolName: string; people: number; complete: number; missing: Partial<Record<KpiField, number>> }>();
    let complete = 0;
    for (const person of rows) {
      const school = bySchool.get(person.schoolId!) ?? { schoolId: person.schoolId!, schoolName: person.schoolName, people: 0, complete: 0, missing: {} };
      bySchool.set(person.schoolId!, school);
      school.people += 1;
      const missing = missingKpiFields(person, programme.kpiDefinition);
      if (missing.length === 0) {
        school.complete += 1;
        complete += 1;
      }
      for (const field of missing) school.missing[field] = (school.missing[field] ?? 0) + 1;
    }
    return {
      programmeId,
      definition: `A participant counts when their record holds: ${programme.kpiDefinition.completeRecordRequires.join(', ')}. People at schools that are current members of the programme's partnerships; educational leads excluded.`,
      requiredFields: programme.kpiDefinition.completeRecordRequires,
      target: programme.kpiDefinition.recruitmentTarget ?? null,
      people: rows.length,
      complete,
      schools: [...bySchool.values()],
    };
  }

  private policy(input: unknown): WorkflowPolicy {
    const result = validateWorkflowPolicy(input);
    if (!result.ok) throw new InvalidInput('The workflow policy is not valid', result.problems);
    return result.policy;
  }
}
