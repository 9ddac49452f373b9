import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import {
  batchJobName,
  brandingFor,
  compareWithEarlier,
  earlierSubmitted,
  EventTypes,
  Queues,
  ScheduledActionKinds,
  SelfEvaluation,
  SelfEvaluationRevision,
  type EventJobData,
  type ScheduledActionBatchJobData,
  type ScheduledActionJobData,
} from '#domain';
import { NotificationKinds } from '#notifications';
import { HandlesJob } from '../jobs/job-registry.js';
import { Notifier } from '../notifications/notifier.js';
import { ScheduledActions, type ActionOutcome } from '../scheduling/scheduled-actions.js';
import { SelfEvaluations } from './self-evaluations.js';

const ARROWS = { up: 'up', same: 'same', down: 'down', new: 'new' } as const;

/**
 * The termly self-evaluation: each school invited after the term starts,
 * the educational lead told after the deadline which schools have not submitted, and on
 * every submission the school and its lead sent the comparison with last time.
 */
@Injectable()
export class SelfEvaluationWorkflow {
  constructor(
    private readonly dataSource: DataSource,
    private readonly notifier: Notifier,
    private readonly actions: ScheduledActions,
    private readonly selfEvaluations: SelfEvaluations,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('SelfEvaluationWorkflow');
  }

  @HandlesJob(Queues.Schedules, ScheduledActionKinds.OpenSelfEvaluation)
  async open(data: ScheduledActionJobData): Promise<string> {
    return this.actions.run(data, (action, now) => this.selfEvaluations.openTermly(action, now));
  }

  /** The term-start fan-out: the ticker hands this workflow its due invitations in batches. */
  @HandlesJob(Queues.Schedules, batchJobName(ScheduledActionKinds.OpenSelfEvaluation))
  async openMany(data: ScheduledActionBatchJobData): Promise<Record<string, number>> {
    return this.actions.runMany(data, (actions, now) => this.selfEvaluations.openTermlyMany(actions, now));
  }

  @HandlesJob(Queues.Schedules, ScheduledActionKinds.SelfEvaluationOverdueNotice)
  async overdue(data: ScheduledActionJobData): Promise<string> {
    return this.actions.run(data, async (action, now): Promise<ActionOutcome> => {
      const termLabel = String(action.payload.termLabel);
      const [partnership]: Array<{ name: string; lead_email: string | null; lead_name: string | null; cohort_id: string | null }> = await this.dataSource.query(
        `SELECT p.name, p.cohort_id, pe.email AS lead_email, pe.name AS lead_name FROM partnerships p LEFT JOIN people pe ON pe.id = p.educational_lead_id WHERE p.id = $1`,
        [action.subjectId],
      );
      if (!partnership) return { outcome: 'superseded', reason: 'the partnership is gone' };
      // Overdue: invited, past its own deadline, not submitted, and still a member that has not withdrawn.
      const overdue: Array<{ name: string; status: string; contact_email: string | null; deadline_at: Date }> = await this.dataSource.query(
        `SELECT s.name, e.status, s.contact_email, e.deadline_at FROM self_evaluations e JOIN schools s ON s.id = e.school_id
          WHERE e.partnership_id = $1 AND e.term_label = $2 AND e.status <> 'submitted' AND e.deadline_at <= $3 AND s.status <> 'withdrawn'
            AND EXISTS (SELECT 1 FROM partnership_members m WHERE m.school_id = e.school_id AND m.partnership_id = e.partnership_id AND m.left_at IS NULL)
          ORDER BY s.name`,
        [action.subjectId, termLabel, now],
      );
      if (overdue.length === 0) return { outcome: 'superseded', reason: 'every school invited has submitted' };
      if (!partnership.lead_email) return { outcome: 'superseded', reason: 'the partnership has no educational lead with an email address' };
      const deadline = overdue.map((o) => new Date(o.deadline_at)).sort((a, b) => a.getTime() - b.getTime())[0];
      await this.notifier.notify({
        key: `self-evaluation:overdue:${action.subjectId}:${termLabel}`,
        kind: NotificationKinds.SelfEvaluationOverdue,
        recipient: { email: partnership.lead_email, name: partnership.lead_name },
        data: {
          partnershipId: action.subjectId,
          leadName: partnership.lead_name,
          partnershipName: partnership.name,
          termName: termLabel,
          deadlineAt: deadline.toISOString(),
          overdueCount: overdue.length === 1 ? '1 school has' : `${overdue.length} schools have`,
          schools: overdue.map((o) => ({ name: o.name, status: o.status === 'draft' ? 'draft saved' : 'not started', contactEmail: o.contact_email })),
          ...(await brandingFor(this.dataSource.manager, { partnershipId: action.subjectId })),
        },
        about: { partnershipId: action.subjectId },
      });
      return { outcome: 'done' };
    });
  }

  @HandlesJob(Queues.Events, EventTypes.SelfEvaluationSubmitted)
  async onSubmitted(event: EventJobData): Promise<void> {
    const { selfEvaluationId, revision } = event.payload as { selfEvaluationId: string; revision: number };
    const evaluation = await this.dataSource.manager.findOneBy(SelfEvaluation, { id: selfEvaluationId });
    const submitted = await this.dataSource.manager.findOneBy(SelfEvaluationRevision, { selfEvaluationId, revision });
    if (!evaluation || !submitted) {
      this.logger.warn({ selfEvaluationId, revision }, 'self_evaluation.submitted names a revision that is gone; no comparison to send');
      return;
    }
    const earlier = await earlierSubmitted(this.dataSource.manager, evaluation);
    const items = compareWithEarlier(evaluation.form, submitted.answers, earlier).map((i) => ({ ...i, arrow: ARROWS[i.movement] }));
    const [people]: Array<{ school: string; contact_email: string | null; contact_name: string | null; lead_email: string | null; lead_name: string | null }> = await this.dataSource.query(
      `SELECT s.name AS school, s.contact_email, s.contact_name, pe.email AS lead_email, pe.name AS lead_name
         FROM schools s JOIN partnerships p ON p.id = $2 LEFT JOIN people pe ON pe.id = p.educational_lead_id WHERE s.id = $1`,
      [evaluation.schoolId, evaluation.partnershipId],
    );
    if (!people) return;
    const branding = await brandingFor(this.dataSource.manager, { cohortId: evaluation.cohortId });
    const base = { selfEvaluationId, revision, schoolName: people.school, termName: evaluation.termLabel, previousTerm: earlier[0]?.termLabel ?? null, items, ...branding };
    const recipients = [
      { role: 'school', email: people.contact_email, name: people.contact_name },
      { role: 'lead', email: people.lead_email, name: people.lead_name },
    ];
    for (const r of recipients) {
      if (!r.email) continue;
      await this.notifier.notify({
        key: `self-evaluation:comparison:${selfEvaluationId}:${revision}:${r.role}`,
        kind: NotificationKinds.SelfEvaluationComparison,
        recipient: { email: r.email, name: r.name },
        data: { ...base, recipientName: r.name },
        about: { cohortId: evaluation.cohortId, partnershipId: evaluation.partnershipId, schoolId: evaluation.schoolId },
      });
    }
  }
}
