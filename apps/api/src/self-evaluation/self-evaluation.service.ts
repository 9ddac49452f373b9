import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import {
  BUILT_IN_FRAMEWORKS,
  checkElementChoice,
  Clock,
  Cohort,
  CohortSelfEvaluationChoice,
  Conflict,
  DEFAULT_BASELINE_FRAMEWORKS,
  evaluationState,
  EventTypes,
  findFramework,
  frameworkElements,
  InvalidInput,
  NotFound,
  replanCohort,
  SelfEvaluation,
  SelfEvaluationRevision,
  UnitOfWork,
  UploadedFramework,
  uploadedToFramework,
  validateFramework,
  type FieldProblem,
  type Framework,
  type Principal,
} from '#domain';
import { Access } from '../auth/access.js';
import { isUniqueViolation } from '../schools/schools.service.js';
import type { CohortSelfEvaluationDto, UploadFrameworkDto } from './dto/self-evaluation.dto.js';

const summary = (f: Framework) => ({ key: f.key, name: f.name, publisher: f.publisher, levels: f.levels, builtIn: f.builtIn, elements: frameworkElements(f).length });

const evaluationSummary = (e: SelfEvaluation, now: Date) => ({
  id: e.id,
  schoolId: e.schoolId,
  cohortId: e.cohortId,
  partnershipId: e.partnershipId,
  kind: e.kind,
  term: e.termLabel,
  status: evaluationState(e, now),
  revision: e.revision,
  openedAt: e.openedAt.toISOString(),
  deadlineAt: e.deadlineAt.toISOString(),
  submittedAt: e.submittedAt?.toISOString() ?? null,
});

/** Frameworks, each cohort's choice, and the evaluations as the programme team reads them. */
@Injectable()
export class SelfEvaluationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly access: Access,
    private readonly clock: Clock,
  ) {}

  /** Built-in frameworks, and uploaded ones of programmes the token sees (or uploaded for all). */
  async frameworks(principal: Principal): Promise<Framework[]> {
    const qb = this.dataSource.manager.createQueryBuilder(UploadedFramework, 'f').orderBy('f.key');
    const visible = this.access.programmeIds(principal);
    if (visible !== null) qb.where(`(f.programme_id IS NULL OR f.programme_id IN (${visible}))`, this.access.params(principal));
    return [...BUILT_IN_FRAMEWORKS, ...(await qb.getMany()).map(uploadedToFramework)];
  }

  listFrameworks(principal: Principal) {
    return this.frameworks(principal).then((all) => all.map(summary));
  }

  async framework(principal: Principal, key: string): Promise<Framework> {
    const found = (await this.frameworks(principal)).find((f) => f.key === key);
    if (!found) throw new NotFound('Framework', key);
    return found;
  }

  async upload(principal: Principal, input: UploadFrameworkDto): Promise<Framework> {
    const uploaded: Array<{ key: string }> = await this.dataSource.query(`SELECT key FROM self_evaluation_frameworks`);
    const taken = [...BUILT_IN_FRAMEWORKS.map((f) => f.key), ...uploaded.map((f) => f.key)];
    const checked = validateFramework({ ...input }, taken);
    if (!checked.ok) throw new InvalidInput('The framework is not valid', checked.problems);
    const { framework } = checked;
    const programmeId = principal.scope?.kind === 'programme' ? principal.scope.id : null;
    try {
      await this.unitOfWork.run(async (tx) => {
        await tx.manager.insert(UploadedFramework, {
          key: framework.key,
          name: framework.name,
          publisher: framework.publisher,
          levels: framework.levels,
          groups: framework.groups,
          programmeId,
          createdAt: tx.now,
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new Conflict(`A framework with key ${framework.key} already exists`);
      throw error;
    }
    return framework;
  }

  private async cohort(principal: Principal, id: string): Promise<Cohort> {
    const cohort = await this.dataSource.manager.findOneBy(Cohort, { id });
    if (!cohort || !(await this.access.canSee(principal, 'programme', cohort.programmeId))) throw new NotFound('Cohort', id);
    return cohort;
  }

  async choice(principal: Principal, cohortId: string) {
    await this.cohort(principal, cohortId);
    const choice = await this.dataSource.manager.findOneBy(CohortSelfEvaluationChoice, { cohortId });
    return {
      cohortId,
      chosen: !!choice,
      frameworkKey: choice?.frameworkKey ?? null,
      elementKeys: choice?.elementKeys ?? [],
      baselineFrameworkKeys: choice?.baselineFrameworkKeys ?? [...DEFAULT_BASELINE_FRAMEWORKS],
      note: choice ? null : 'No termly invitations go until the cohort chooses its framework and elements; the baseline at joining uses the default frameworks.',
    };
  }

  /** The cohort's framework and elements; its schools' invitations are (re-)planned in the same transaction. */
  async choose(principal: Principal, cohortId: string, input: CohortSelfEvaluationDto) {
    const cohort = await this.cohort(principal, cohortId);
    await this.access.mustChange(principal, 'programme', cohort.programmeId, 'Cohort');
    const usable = async (key: string) => {
      const f = await findFramework(this.dataSource.manager, key);
      if (!f || f.builtIn) return f;
      const row = await this.dataSource.manager.findOneBy(UploadedFramework, { key });
      return row && (row.programmeId === null || row.programmeId === cohort.programmeId) ? f : undefined;
    };
    const problems: FieldProblem[] = [];
    const framework = await usable(input.frameworkKey);
    if (!framework) problems.push({ field: 'frameworkKey', message: 'is not a framework this programme can use' });
    else problems.push(...checkElementChoice(framework, input.elementKeys));
    const baseline = input.baselineFrameworkKeys ?? [...DEFAULT_BASELINE_FRAMEWORKS];
    for (const [i, key] of baseline.entries()) if (!(await usable(key))) problems.push({ field: `baselineFrameworkKeys[${i}]`, message: 'is not a framework this programme can use' });
    if (new Set(baseline).size !== baseline.length) problems.push({ field: 'baselineFrameworkKeys', message: 'must not repeat a framework' });
    if (problems.length > 0) throw new InvalidInput('The self-evaluation choice is not valid', problems);
    const replanned = await this.unitOfWork.run(async (tx) => {
      await tx.manager.query(
        `INSERT INTO cohort_self_evaluation (cohort_id, framework_key, element_keys, baseline_framework_keys, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (cohort_id) DO UPDATE SET framework_key = EXCLUDED.framework_key, element_keys = EXCLUDED.element_keys, baseline_framework_keys = EXCLUDED.baseline_framework_keys, updated_at = EXCLUDED.updated_at`,
        [cohortId, input.frameworkKey, input.elementKeys, baseline, tx.now],
      );
      const outcome = await replanCohort(tx, cohortId);
      tx.record({ type: EventTypes.CohortUpdated, aggregateType: 'cohort', aggregateId: cohortId, payload: { cohortId, changed: ['selfEvaluation'], policyVersion: cohort.workflowPolicy.version } });
      return outcome;
    });
    return { ...(await this.choice(principal, cohortId)), replanned };
  }

  async forSchool(principal: Principal, schoolId: string) {
    await this.access.mustSee(principal, 'school', schoolId, 'School');
    const now = await this.clock.now();
    const rows = await this.dataSource.manager.find(SelfEvaluation, { where: { schoolId }, order: { openedAt: 'DESC' } });
    return rows.map((e) => evaluationSummary(e, now));
  }

  async get(principal: Principal, id: string) {
    const evaluation = await this.dataSource.manager.findOneBy(SelfEvaluation, { id });
    if (!evaluation || !(await this.access.canSee(principal, 'school', evaluation.schoolId))) throw new NotFound('Self-evaluation', id);
    const revisions = await this.dataSource.manager.find(SelfEvaluationRevision, { where: { selfEvaluationId: id }, order: { revision: 'ASC' } });
    return {
      ...evaluationSummary(evaluation, await this.clock.now()),
      form: evaluation.form,
      answers: evaluation.answers,
      submittedRevision: evaluation.submittedRevision,
      revisions: revisions.map((r) => ({ revision: r.revision, action: r.action, answers: r.answers, by: r.byEmail, recordedAt: r.recordedAt.toISOString() })),
    };
  }

  /** Each member school's state for a term: submitted, draft, not started, overdue (or not invited). */
  async forCohort(principal: Principal, cohortId: string, term?: string) {
    await this.cohort(principal, cohortId);
    const now = await this.clock.now();
    let label = term;
    if (!label) {
      const [latest]: Array<{ term_label: string }> = await this.dataSource.query(
        `SELECT term_label FROM self_evaluations WHERE cohort_id = $1 AND kind = 'termly' GROUP BY term_label ORDER BY min(opened_at) DESC LIMIT 1`,
        [cohortId],
      );
      label = latest?.term_label ?? 'baseline';
    }
    const visible = this.access.schoolIds(principal);
    const [sql, params] = this.dataSource.driver.escapeQueryWithParameters(
      `SELECT s.id AS school_id, s.name, m.partnership_id, e.id
         FROM partnership_members m JOIN schools s ON s.id = m.school_id
         LEFT JOIN self_evaluations e ON e.school_id = m.school_id AND e.cohort_id = m.cohort_id AND e.term_label = :term
        WHERE m.cohort_id = :cohortId AND m.left_at IS NULL ${visible === null ? '' : `AND m.school_id IN (${visible})`}
        ORDER BY s.name, s.id`,
      { cohortId, term: label, ...this.access.params(principal) },
    );
    const rows: Array<{ school_id: string; name: string; partnership_id: string; id: string | null }> = await this.dataSource.query(sql, params);
    const evaluations = new Map((await this.dataSource.manager.findBy(SelfEvaluation, { id: In(rows.map((r) => r.id).filter((id): id is string => !!id)) })).map((e) => [e.id, e]));
    const schools = rows.map((r) => {
      const e = r.id ? (evaluations.get(r.id) ?? null) : null;
      return {
        schoolId: r.school_id,
        schoolName: r.name,
        partnershipId: r.partnership_id,
        selfEvaluationId: e?.id ?? null,
        status: evaluationState(e, now),
        deadlineAt: e?.deadlineAt.toISOString() ?? null,
        submittedAt: e?.submittedAt?.toISOString() ?? null,
      };
    });
    return { cohortId, term: label, schools };
  }
}
