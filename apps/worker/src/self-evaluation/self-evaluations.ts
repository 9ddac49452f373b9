import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  APP_CONFIG,
  BASELINE_TERM,
  brandingFor,
  buildForm,
  cohortChoice,
  cohortContext,
  DEFAULT_BASELINE_FRAMEWORKS,
  findFramework,
  formItems,
  issuePageLink,
  issuePageLinks,
  LinkPurposes,
  nextSendSlot,
  openSelfEvaluation,
  openSelfEvaluations,
  type PageAddress,
  planSelfEvaluationReminders,
  planSelfEvaluationRemindersFor,
  reminderKey,
  SelfEvaluation,
  type AppConfig,
  type CohortContext,
  type EvaluationForm,
  type Framework,
  type LinkRequest,
  type ReminderRule,
  type ScheduledAction,
  type Transaction,
} from '#domain';
import { NotificationKinds } from '#notifications';
import { Notifier } from '../notifications/notifier.js';
import type { ActionOutcome } from '../scheduling/scheduled-actions.js';

const DAY = 86_400_000;
/** A page link works for two weeks at most (never past the deadline); an expired one can be renewed while the form is open. */
export const LINK_LIFETIME_MS = 14 * DAY;

interface TermlyCohort {
  ctx: CohortContext;
  form: EvaluationForm;
  branding: Awaited<ReturnType<typeof brandingFor>>;
}

interface SchoolRow {
  name: string;
  status: string;
  contact_email: string | null;
  contact_name: string | null;
  partnership: string | null;
  partnership_id: string | null;
}

/**
 * Opening self-evaluations and the messages that carry their page links. Each link is
 * issued in the same transaction as the email that carries its token, under keys derived
 * from the decision, so a retried job makes neither a second link nor a second email.
 */
@Injectable()
export class SelfEvaluations {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly notifier: Notifier,
  ) {}

  /** The school as a member of the cohort: gone when it left every partnership of it. */
  async schoolInCohort(schoolId: string, cohortId: string | null): Promise<SchoolRow | undefined> {
    const [school]: SchoolRow[] = await this.dataSource.query(
      `SELECT s.name, s.status, s.contact_email, s.contact_name, p.name AS partnership, p.id AS partnership_id FROM schools s
         LEFT JOIN partnership_members m ON m.school_id = s.id AND m.left_at IS NULL AND m.cohort_id = $2
         LEFT JOIN partnerships p ON p.id = m.partnership_id
        WHERE s.id = $1`,
      [schoolId, cohortId],
    );
    return school;
  }

  private async frameworks(keys: readonly string[]): Promise<Framework[]> {
    const found: Framework[] = [];
    for (const key of keys) {
      const framework = await findFramework(this.dataSource.manager, key);
      if (framework) found.push(framework);
    }
    return found;
  }

  /** A term's self-evaluation falling due for one school. */
  async openTermly(action: ScheduledAction, now: Date): Promise<ActionOutcome> {
    return (await this.openTermlyMany([action], now)).get(action.id)!;
  }

  /**
   * A term's self-evaluations falling due for many schools at once (the ticker's batches at
   * term start): one transaction opens them all, plans their reminders, issues their links
   * and decides their invitations, each kind of row written in one statement.
   */
  async openTermlyMany(actions: ScheduledAction[], now: Date): Promise<Map<string, ActionOutcome>> {
    const outcomes = new Map<string, ActionOutcome>();
    const schools = await this.schoolsInCohorts(actions);
    const cohorts = new Map<string | null, TermlyCohort | string>();
    const toOpen: Array<{ action: ScheduledAction; school: SchoolRow & { partnership_id: string }; cohort: TermlyCohort; deadlineAt: Date }> = [];
    for (const action of actions) {
      const school = schools[actions.indexOf(action)];
      if (!school?.partnership_id) outcomes.set(action.id, { outcome: 'superseded', reason: 'the school is no longer in a partnership of this cohort' });
      else if (school.status === 'withdrawn') outcomes.set(action.id, { outcome: 'superseded', reason: 'the school has withdrawn' });
      else {
        if (!cohorts.has(action.cohortId)) cohorts.set(action.cohortId, await this.termlyCohort(action.cohortId));
        const cohort = cohorts.get(action.cohortId)!;
        const deadlineAt = new Date(String(action.payload.deadlineAt));
        if (typeof cohort === 'string') outcomes.set(action.id, { outcome: 'superseded', reason: cohort });
        else if (deadlineAt <= now) outcomes.set(action.id, { outcome: 'superseded', reason: 'its deadline has already gone by' });
        else toOpen.push({ action, school: school as SchoolRow & { partnership_id: string }, cohort, deadlineAt });
      }
    }
    if (toOpen.length === 0) return outcomes;
    await this.notifier.decideMany(async (tx, notifyMany) => {
      const evaluations = await openSelfEvaluations(
        tx.manager,
        toOpen.map(({ action, school, cohort, deadlineAt }) => ({
          schoolId: action.subjectId,
          cohortId: action.cohortId!,
          partnershipId: school.partnership_id,
          kind: 'termly' as const,
          termLabel: String(action.payload.termLabel),
          form: cohort.form,
          deadlineAt,
        })),
        tx.now,
      );
      const opened = toOpen.map((o, i) => ({ ...o, evaluation: evaluations[i] }));
      for (const cohort of new Set(opened.map((o) => o.cohort))) {
        await planSelfEvaluationRemindersFor(
          tx,
          cohort.ctx,
          opened
            .filter((o) => o.cohort === cohort)
            .map(({ evaluation, school }) => ({
              id: evaluation.id,
              deadlineAt: evaluation.deadlineAt,
              termLabel: evaluation.termLabel,
              status: evaluation.status,
              school: school.name,
              email: school.contact_email,
            })),
        );
      }
      const invited = opened.filter((o) => o.school.contact_email);
      // The window's next opening is the same for the whole batch: worked out once per cohort.
      const openings = new Map<TermlyCohort, Date>();
      const sendSlot = (cohort: TermlyCohort, deadlineAt: Date) => {
        if (!openings.has(cohort)) openings.set(cohort, this.windowOpening(cohort.ctx, tx.now));
        return this.sendSlot(cohort.ctx, tx.now, deadlineAt, openings.get(cohort));
      };
      const addresses = await issuePageLinks(
        tx.manager,
        invited.map(({ evaluation, school }) => this.linkRequest(tx.now, evaluation, `self-evaluation:${evaluation.id}:invitation`, school.contact_email!, school.contact_name)),
        tx.now,
        this.config.linkSecret,
      );
      await notifyMany(
        invited.map(({ evaluation, school, cohort }) => {
          return {
            key: `self-evaluation:invitation:${evaluation.id}`,
            kind: NotificationKinds.SelfEvaluationInvitation,
            recipient: { email: school.contact_email!, name: school.contact_name },
            notBefore: sendSlot(cohort, evaluation.deadlineAt),
            data: {
              selfEvaluationId: evaluation.id,
              contactName: school.contact_name,
              schoolName: school.name,
              partnershipName: school.partnership,
              termName: evaluation.termLabel,
              url: addresses.get(`self-evaluation:${evaluation.id}:invitation`) ?? '',
              deadlineAt: evaluation.deadlineAt.toISOString(),
              elements: formItems(evaluation.form).map((i) => i.label),
              ...cohort.branding,
            },
            about: { cohortId: evaluation.cohortId, partnershipId: evaluation.partnershipId, schoolId: evaluation.schoolId },
          };
        }),
      );
    });
    for (const { action } of toOpen) outcomes.set(action.id, { outcome: 'done' });
    return outcomes;
  }

  /**
   * `schoolInCohort` for each action's school and cohort, in one query, in the actions' order.
   * Each school and membership is looked up by its key (the LIMIT keeps Postgres from
   * turning the lookups into joins). Joined, Postgres scanned every school and every
   * membership of the cohort for each batch: at 20,000 schools about 50 ms a batch of a
   * hundred, against under 1 ms by key.
   */
  private async schoolsInCohorts(actions: ScheduledAction[]): Promise<Array<SchoolRow | undefined>> {
    const rows: Array<SchoolRow & { ord: string }> = await this.dataSource.query(
      `SELECT a.ord, s.name, s.status, s.contact_email, s.contact_name, p.name AS partnership, p.id AS partnership_id
         FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS a(school_id, cohort_id, ord)
         JOIN LATERAL (SELECT name, status, contact_email, contact_name FROM schools WHERE id = a.school_id LIMIT 1) s ON true
         LEFT JOIN LATERAL (SELECT partnership_id FROM partnership_members
                             WHERE cohort_id = a.cohort_id AND school_id = a.school_id AND left_at IS NULL LIMIT 1) m ON true
         LEFT JOIN partnerships p ON p.id = m.partnership_id
        ORDER BY a.ord`,
      [actions.map((a) => a.subjectId), actions.map((a) => a.cohortId)],
    );
    const byOrd = new Map(rows.map((r) => [Number(r.ord), r]));
    return actions.map((_, i) => byOrd.get(i + 1));
  }

  /** What a cohort's termly invitations need, or why there are none. */
  private async termlyCohort(cohortId: string | null): Promise<TermlyCohort | string> {
    const choice = cohortId ? await cohortChoice(this.dataSource.manager, cohortId) : null;
    if (!choice) return 'the cohort has not chosen what its schools evaluate';
    const [framework] = await this.frameworks([choice.frameworkKey]);
    if (!framework) return `the framework "${choice.frameworkKey}" no longer exists`;
    return {
      ctx: await cohortContext(this.dataSource.manager, cohortId),
      form: buildForm([{ framework, elementKeys: choice.elementKeys }]),
      branding: await brandingFor(this.dataSource.manager, { cohortId }),
    };
  }

  /**
   * The baseline at joining, opened inside the welcome's own transaction: its link travels
   * in the welcome email. Undefined when the partnership is in no cohort, or the school
   * already has its baseline for the cohort (a school that left and came back).
   */
  async openBaseline(
    tx: Transaction,
    join: { schoolId: string; partnershipId: string; cohortId: string | null; email: string; name: string | null },
  ): Promise<{ url: PageAddress; deadlineAt: string } | undefined> {
    if (!join.cohortId) return undefined;
    const choice = await cohortChoice(tx.manager, join.cohortId);
    const frameworks = await this.frameworks(choice?.baselineFrameworkKeys ?? DEFAULT_BASELINE_FRAMEWORKS);
    if (frameworks.length === 0) return undefined;
    const ctx = await cohortContext(tx.manager, join.cohortId);
    const { evaluation } = await openSelfEvaluation(
      tx.manager,
      {
        schoolId: join.schoolId,
        cohortId: join.cohortId,
        partnershipId: join.partnershipId,
        kind: 'baseline',
        termLabel: BASELINE_TERM,
        form: buildForm(frameworks.map((framework) => ({ framework }))),
        deadlineAt: new Date(tx.now.getTime() + ctx.policy.selfEvaluation.deadlineDays * DAY),
      },
      tx.now,
    );
    if (evaluation.status === 'submitted' || evaluation.deadlineAt <= tx.now) return undefined;
    await planSelfEvaluationReminders(tx, evaluation.id);
    const { address, created } = await issuePageLink(
      tx.manager,
      this.linkRequest(tx.now, evaluation, `self-evaluation:${evaluation.id}:invitation`, join.email, join.name),
      tx.now,
      this.config.linkSecret,
    );
    return created ? { url: address, deadlineAt: evaluation.deadlineAt.toISOString() } : undefined;
  }

  /** A `before_deadline` reminder: only to a school that has not submitted, with a fresh link of its own. */
  async remind(action: ScheduledAction, rule: ReminderRule, ctx: CohortContext, now: Date): Promise<ActionOutcome> {
    const evaluation = await this.dataSource.manager.findOneBy(SelfEvaluation, { id: action.subjectId });
    if (!evaluation) return { outcome: 'superseded', reason: 'the self-evaluation is gone' };
    if (evaluation.status === 'submitted') return { outcome: 'superseded', reason: 'the school has submitted its self-evaluation' };
    const school = await this.schoolInCohort(evaluation.schoolId, evaluation.cohortId);
    if (!school?.partnership_id) return { outcome: 'superseded', reason: 'the school is no longer in a partnership of this cohort' };
    if (school.status === 'withdrawn') return { outcome: 'superseded', reason: 'the school has withdrawn' };
    if (rule.recipients !== 'school_contact') return { outcome: 'superseded', reason: 'self-evaluation reminders go to the school contact' };
    if (!school.contact_email) return { outcome: 'superseded', reason: 'no email address for the school contact' };
    const key = reminderKey(rule.id, action.subjectType, action.subjectId, String(action.payload.occurrence ?? 'once'), Number(action.payload.sendIndex ?? 0));
    await this.notifier.notifyWith(async (tx, notify) => {
      const { address: url } = await issuePageLink(tx.manager, this.linkRequest(tx.now, evaluation, `${key}:link`, school.contact_email!, school.contact_name), tx.now, this.config.linkSecret);
      await notify({
        key,
        kind: NotificationKinds.SelfEvaluationReminder,
        recipient: { email: school.contact_email!, name: school.contact_name },
        notBefore: this.sendSlot(ctx, now, evaluation.deadlineAt),
        data: {
          selfEvaluationId: evaluation.id,
          contactName: school.contact_name,
          schoolName: school.name,
          termName: evaluation.termLabel,
          url,
          deadlineAt: evaluation.deadlineAt.toISOString(),
          daysLeft: Math.max(0, Math.round((evaluation.deadlineAt.getTime() - now.getTime()) / DAY)),
          ...(await brandingFor(tx.manager, { cohortId: evaluation.cohortId })),
        },
        about: { cohortId: evaluation.cohortId, partnershipId: evaluation.partnershipId, schoolId: evaluation.schoolId },
      });
    });
    return { outcome: 'done' };
  }

  private linkRequest(now: Date, evaluation: SelfEvaluation, key: string, email: string, name: string | null): LinkRequest {
    return {
      key,
      purpose: LinkPurposes.SelfEvaluation,
      subjectType: 'self_evaluation',
      subjectId: evaluation.id,
      email,
      recipientName: name,
      cohortId: evaluation.cohortId,
      expiresAt: new Date(Math.min(evaluation.deadlineAt.getTime(), now.getTime() + LINK_LIFETIME_MS)),
      closesAt: evaluation.deadlineAt,
    };
  }

  /** Nudges wait for the school-day window, but never past the deadline they are about. */
  private sendSlot(ctx: CohortContext, now: Date, deadlineAt: Date, opening = this.windowOpening(ctx, now)): Date {
    return opening >= deadlineAt ? now : opening;
  }

  private windowOpening(ctx: CohortContext, now: Date): Date {
    return nextSendSlot(now, ctx.calendar, ctx.policy.sendWindow) ?? now;
  }
}
