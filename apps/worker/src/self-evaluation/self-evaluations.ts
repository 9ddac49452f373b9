import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  APP_CONFIG, BASELINE_TERM, brandingFor, buildForm, cohortChoice, cohortContext, DEFAULT_BASELINE_FRAMEWORKS, findFramework, formItems, issuePageLink, LinkPurposes, nextSendSlot,
  openSelfEvaluation, pageUrl, planSelfEvaluationReminders, reminderKey, SelfEvaluation, type AppConfig, type CohortContext, type Framework, type ReminderRule, type ScheduledAction,
  type Transaction,
} from '#domain';
import { NotificationKinds } from '#notifications';
import { Notifier } from '../notifications/notifier.js';
import type { ActionOutcome } from '../scheduling/scheduled-actions.js';

const DAY = 86_400_000;
/** A page link works for two weeks at most (never past the deadline); an expired one can be renewed while the form is open. */
export const LINK_LIFETIME_MS = 14 * DAY;

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
    const termLabel = String(action.payload.termLabel);
    const school = await this.schoolInCohort(action.subjectId, action.cohortId);
    if (!school?.partnership_id) return { outcome: 'superseded', reason: 'the school is no longer in a partnership of this cohort' };
    if (school.status === 'withdrawn') return { outcome: 'superseded', reason: 'the school has withdrawn' };
    const choice = action.cohortId ? await cohortChoice(this.dataSource.manager, action.cohortId) : null;
    if (!choice) return { outcome: 'superseded', reason: 'the cohort has not chosen what its schools evaluate' };
    const [framework] = await this.frameworks([choice.frameworkKey]);
    if (!framework) return { outcome: 'superseded', reason: `the framework "${choice.frameworkKey}" no longer exists` };
    const ctx = await cohortContext(this.dataSource.manager, action.cohortId);
    const deadlineAt = new Date(String(action.payload.deadlineAt));
    if (deadlineAt <= now) return { outcome: 'superseded', reason: 'its deadline has already gone by' };
    const partnershipId = school.partnership_id;
    await this.notifier.notifyWith(async (tx, notify) => {
      const { evaluation } = await openSelfEvaluation(tx.manager, {
        schoolId: action.subjectId, cohortId: action.cohortId!, partnershipId, kind: 'termly', termLabel, form: buildForm([{ framework, elementKeys: choice.elementKeys }]), deadlineAt,
      }, tx.now);
      await planSelfEvaluationReminders(tx, evaluation.id);
      if (!school.contact_email) return;
      const url = await this.link(tx, evaluation, `self-evaluation:${evaluation.id}:invitation`, school.contact_email, school.contact_name);
      await notify({
        key: `self-evaluation:invitation:${evaluation.id}`,
        kind: NotificationKinds.SelfEvaluationInvitation,
        recipient: { email: school.contact_email, name: school.contact_name },
        notBefore: this.sendSlot(ctx, tx.now, evaluation.deadlineAt),
        data: {
          selfEvaluationId: evaluation.id, contactName: school.contact_name, schoolName: school.name, partnershipName: school.partnership, termName: termLabel, url,
          deadlineAt: evaluation.deadlineAt.toISOString(), elements: formItems(evaluation.form).map((i) => i.label),
          ...(await brandingFor(tx.manager, { cohortId: action.cohortId })),
        },
      });
    });
    return { outcome: 'done' };
  }

  /**
   * The baseline at joining, opened inside the welcome's own transaction: its link travels
   * in the welcome email. Undefined when the partnership is in no cohort, or the school
   * already has its baseline for the cohort (a school that left and came back).
   */
  async openBaseline(tx: Transaction, join: { schoolId: string; partnershipId: string; cohortId: string | null; email: string; name: string | null }): Promise<{ url: string; deadlineAt: string } | undefined> {
    if (!join.cohortId) return undefined;
    const choice = await cohortChoice(tx.manager, join.cohortId);
    const frameworks = await this.frameworks(choice?.baselineFrameworkKeys ?? DEFAULT_BASELINE_FRAMEWORKS);
    if (frameworks.length === 0) return undefined;
    const ctx = await cohortContext(tx.manager, join.cohortId);
    const { evaluation } = await openSelfEvaluation(tx.manager, {
      schoolId: join.schoolId, cohortId: join.cohortId, partnershipId: join.partnershipId, kind: 'baseline', termLabel: BASELINE_TERM,
      form: buildForm(frameworks.map((framework) => ({ framework }))), deadlineAt: new Date(tx.now.getTime() + ctx.policy.selfEvaluation.deadlineDays * DAY),
    }, tx.now);
    if (evaluation.status === 'submitted' || evaluation.deadlineAt <= tx.now) return undefined;
    await planSelfEvaluationReminders(tx, evaluation.id);
    const url = await this.link(tx, evaluation, `self-evaluation:${evaluation.id}:invitation`, join.email, join.name);
    return url ? { url, deadlineAt: evaluation.deadlineAt.toISOString() } : undefined;
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
      const url = await this.link(tx, evaluation, `${key}:link`, school.contact_email!, school.contact_name);
      await notify({
        key,
        kind: NotificationKinds.SelfEvaluationReminder,
        recipient: { email: school.contact_email!, name: school.contact_name },
        notBefore: this.sendSlot(ctx, now, evaluation.deadlineAt),
        data: {
          selfEvaluationId: evaluation.id, contactName: school.contact_name, schoolName: school.name, termName: evaluation.termLabel, url, deadlineAt: evaluation.deadlineAt.toISOString(),
          daysLeft: Math.max(0, Math.round((evaluation.deadlineAt.getTime() - now.getTime()) / DAY)), ...(await brandingFor(tx.manager, { cohortId: evaluation.cohortId })),
        },
      });
    });
    return { outcome: 'done' };
  }

  /** A link to the evaluation's page; '' when this key's link was issued before (its email was decided with it). */
  private async link(tx: Transaction, evaluation: SelfEvaluation, key: string, email: string, name: string | null): Promise<string> {
    const { token } = await issuePageLink(tx.manager, {
      key, purpose: LinkPurposes.SelfEvaluation, subjectType: 'self_evaluation', subjectId: evaluation.id, email, recipientName: name, cohortId: evaluation.cohortId,
      expiresAt: new Date(Math.min(evaluation.deadlineAt.getTime(), tx.now.getTime() + LINK_LIFETIME_MS)), closesAt: evaluation.deadlineAt,
    }, tx.now);
    return token ? pageUrl(this.config.publicBaseUrl, LinkPurposes.SelfEvaluation, token) : '';
  }

  /** Nudges wait for the school-day window, but never past the deadline they are about. */
  private sendSlot(ctx: CohortContext, now: Date, deadlineAt: Date): Date {
    const slot = nextSendSlot(now, ctx.calendar, ctx.policy.sendWindow) ?? now;
    return slot >= deadlineAt ? now : slot;
  }
}
