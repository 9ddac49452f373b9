import { Body, Controller, Get, HttpCode, Injectable, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import {
  earlierSubmitted,
  EventTypes,
  formItems,
  itemId,
  LinkPurposes,
  MAX_TEXT,
  previousLevels,
  readAnswers,
  School,
  schoolEvidence,
  SelfEvaluation,
  SelfEvaluationRevision,
  UnitOfWork,
  type EvaluationAnswers,
  type FieldProblem,
  type PageLink,
} from '#domain';
import { randomUUID } from 'node:crypto';
import { Public } from '../auth/auth.decorators.js';
import { sendEmailedPage, sendLinkExpired, type PageBranding } from '../pages/emailed-pages.js';
import { PageLinks } from '../pages/page-links.js';
import { PageRateLimit } from '../common/rate-limits.js';
import type { FormErrors } from '../web/forms.js';

type Saved = { outcome: 'saved'; action: 'draft' | 'submit' } | { outcome: 'closed'; evaluation: SelfEvaluation | null } | { outcome: 'invalid'; answers: EvaluationAnswers; problems: FieldProblem[] };

/** One unit of work per save: the answers, a revision kept as history, and on submission the event. */
@Injectable()
export class SelfEvaluationPageService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async save(link: PageLink, body: Record<string, unknown>): Promise<Saved> {
    return this.unitOfWork.run(async (tx): Promise<Saved> => {
      const evaluation = await tx.manager.findOne(SelfEvaluation, { where: { id: link.subjectId }, lock: { mode: 'pessimistic_write' } });
      if (!evaluation || evaluation.deadlineAt <= tx.now) return { outcome: 'closed', evaluation };
      // Once submitted, every save is a resubmission: the form never goes back to a draft.
      const submitting = body.action === 'submit' || evaluation.status === 'submitted';
      const { answers, problems } = readAnswers(evaluation.form, body, submitting);
      if (problems.length > 0) return { outcome: 'invalid', answers, problems };
      evaluation.revision += 1;
      evaluation.answers = answers;
      evaluation.updatedAt = tx.now;
      if (submitting) {
        evaluation.status = 'submitted';
        evaluation.submittedAt = tx.now;
        evaluation.submittedRevision = evaluation.revision;
      } else {
        evaluation.status = 'draft';
      }
      await tx.manager.save(SelfEvaluation, evaluation);
      await tx.manager.insert(SelfEvaluationRevision, {
        id: randomUUID(),
        selfEvaluationId: evaluation.id,
        revision: evaluation.revision,
        action: submitting ? 'submit' : 'draft',
        answers,
        byEmail: link.email,
        recordedAt: tx.now,
      });
      if (submitting) {
        tx.record({
          type: EventTypes.SelfEvaluationSubmitted,
          aggregateType: 'self_evaluation',
          aggregateId: evaluation.id,
          payload: { selfEvaluationId: evaluation.id, schoolId: evaluation.schoolId, revision: evaluation.revision },
        });
      }
      return { outcome: 'saved', action: submitting ? 'submit' : 'draft' };
    });
  }

  async view(link: PageLink, now: Date) {
    const evaluation = await this.dataSource.manager.findOneByOrFail(SelfEvaluation, { id: link.subjectId });
    const school = await this.dataSource.manager.findOneByOrFail(School, { id: evaluation.schoolId });
    const evidence = await schoolEvidence(this.dataSource.manager, evaluation.schoolId, now);
    const earlier = await earlierSubmitted(this.dataSource.manager, evaluation);
    const previous = previousLevels(evaluation.form, earlier);
    const previousTerm = new Map<string, string>();
    for (const item of formItems(evaluation.form)) {
      const found = earlier.find((e) => e.answers[item.id]?.level);
      if (found) previousTerm.set(item.id, found.termLabel);
    }
    return { evaluation, schoolName: school.name, evidence, previous, previousTerm };
  }
}

type PageView = Awaited<ReturnType<SelfEvaluationPageService['view']>>;

/** What the page says after a save, by the `saved` its address carries. */
const NOTICES: Record<string, string> = {
  draft: 'Draft saved. You can come back to it from the same link until the deadline.',
  submit: 'Thank you: your self-evaluation is submitted. A comparison with last time is on its way by email. You can still change it until the deadline.',
};

/** A refused save's problems as the page shows them: in the summary, linked to their field, and beside it. */
function formErrors(problems: FieldProblem[]): FormErrors | undefined {
  if (problems.length === 0) return undefined;
  return {
    list: problems.map((p) => ({ text: p.message, href: `#${p.field}` })),
    byField: Object.fromEntries(problems.map((p) => [p.field, { text: p.message }])),
  };
}

/**
 * The page's locals: each framework's elements in the form's order, numbered as the posted
 * fields are (`level-N`, `evidence-N`, `next-N`), with the answers to show (saved, or what
 * was just sent when it was refused) and the level chosen last time.
 */
function formLocals(view: PageView, options: { answers: EvaluationAnswers; problems: FieldProblem[]; notice: string | null; branding: PageBranding }) {
  const { evaluation, schoolName, evidence, previous, previousTerm } = view;
  const items = new Map(formItems(evaluation.form).map((item) => [item.id, item]));
  const sections = evaluation.form.sections.map((section) => ({
    name: section.frameworkName,
    elements: section.elements.map((element) => {
      const item = items.get(itemId(section.frameworkKey, element.key))!;
      const answer = options.answers[item.id];
      const before = previous.get(item.id);
      return {
        index: item.index,
        label: item.label,
        summary: element.summary,
        lastTime: before ? { term: previousTerm.get(item.id) ?? '', level: before.name } : null,
        levels: section.levels.map((text, i) => ({ value: String(i + 1), text, checked: answer?.level === i + 1 })),
        evidence: answer?.evidence ?? '',
        nextSteps: answer?.nextSteps ?? '',
      };
    }),
  }));
  return {
    schoolName,
    what: evaluation.kind === 'baseline' ? 'baseline self-evaluation' : `${evaluation.termLabel} self-evaluation`,
    deadlineAt: evaluation.deadlineAt,
    submitted: evaluation.status === 'submitted',
    submittedAt: evaluation.submittedAt,
    evidence,
    cpdHours: evidence.cpdHoursBySubject.reduce((sum, r) => sum + r.hours, 0),
    sections,
    maxText: String(MAX_TEXT),
    notice: options.notice,
    errors: formErrors(options.problems),
    branding: options.branding,
  };
}

const VIEW = 'self-evaluation/pages/self-evaluation';

/** `/e/:token`: a school's self-evaluation page, reached from the email that invited it. */
@ApiExcludeController()
@Controller('e')
@Public()
@UseGuards(PageRateLimit)
export class SelfEvaluationPageController {
  constructor(
    private readonly links: PageLinks,
    private readonly pages: SelfEvaluationPageService,
  ) {}

  @Get(':token')
  async show(@Param('token') token: string, @Query('saved') saved: string | undefined, @Res() res: Response) {
    const opened = await this.links.open(token, LinkPurposes.SelfEvaluation, res);
    if (!opened) return;
    const view = await this.pages.view(opened.link, opened.now);
    const notice = typeof saved === 'string' && Object.hasOwn(NOTICES, saved) ? NOTICES[saved] : null;
    sendEmailedPage(res, 200, VIEW, formLocals(view, { answers: view.evaluation.answers, problems: [], notice, branding: opened.branding }));
  }

  @Post(':token')
  @HttpCode(200)
  async save(@Param('token') token: string, @Body() body: unknown, @Res() res: Response) {
    const opened = await this.links.open(token, LinkPurposes.SelfEvaluation, res);
    if (!opened) return;
    const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    const saved = await this.pages.save(opened.link, fields);
    if (saved.outcome === 'closed') {
      sendLinkExpired(res, { renewable: false, closesAt: saved.evaluation?.deadlineAt ?? opened.link.closesAt, email: opened.link.email, renewAction: '', branding: opened.branding });
      return;
    }
    if (saved.outcome === 'saved') {
      res.redirect(303, `/e/${token}?saved=${saved.action}`);
      return;
    }
    const view = await this.pages.view(opened.link, opened.now);
    sendEmailedPage(res, 422, VIEW, formLocals(view, { answers: saved.answers, problems: saved.problems, notice: null, branding: opened.branding }));
  }
}
