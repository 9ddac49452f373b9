import { Body, Controller, Get, HttpCode, Injectable, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import {
  earlierSubmitted,
  EventTypes,
  formItems,
  LinkPurposes,
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
  type SchoolEvidence,
} from '#domain';
import { escapeHtml } from '#notifications';
import { randomUUID } from 'node:crypto';
import { Public } from '../auth/auth.decorators.js';
import { linkExpiredPage, renderPage, type PageBranding } from '../pages/page-layout.js';
import { PageLinks } from '../pages/page-links.js';
import { PageRateLimit } from '../common/rate-limits.js';

const londonDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'long', timeStyle: 'short' });

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

function evidenceHtml(evidence: SchoolEvidence): string {
  const cpdTotal = evidence.cpdHoursBySubject.reduce((sum, r) => sum + r.hours, 0);
  const cpd = cpdTotal > 0 ? `${cpdTotal} hours (${evidence.cpdHoursBySubject.map((r) => `${escapeHtml(r.subject)} ${r.hours}`).join(', ')})` : 'none recorded';
  return `<div class="evidence"><strong>What stemflow holds for your school</strong> (the year to ${escapeHtml(evidence.until)}):
<ul><li>CPD: ${cpd}</li><li>Enrichment events: ${evidence.enrichmentEvents}, reaching ${evidence.pupilsReached} pupils</li><li>STEM Ambassador encounters: ${evidence.ambassadorEncounters}</li></ul>
<span class="hint">These are records, not a judgement: the level is yours to choose.</span></div>`;
}

function renderForm(
  view: Awaited<ReturnType<SelfEvaluationPageService['view']>>,
  options: { answers: EvaluationAnswers; problems: FieldProblem[]; notice: string | null; branding: PageBranding },
): string {
  const { evaluation, schoolName, evidence, previous, previousTerm } = view;
  const errors = new Map(options.problems.map((p) => [p.field, p.message]));
  const what = evaluation.kind === 'baseline' ? 'baseline self-evaluation' : `${evaluation.termLabel} self-evaluation`;
  const submitted = evaluation.status === 'submitted';
  const parts: string[] = [];
  parts.push(`<h1>${escapeHtml(schoolName)}: ${escapeHtml(what)}</h1>`);
  if (options.problems.length > 0) {
    // autofocus (not a script: the pages run none) takes a screen reader straight to what went wrong.
    parts.push(
      `<div class="summary" role="alert" tabindex="-1" id="error-summary" autofocus><h2>There is a problem</h2><ul>${options.problems
        .map((p) => `<li><a href="#${escapeHtml(p.field)}">${escapeHtml(p.message)}</a></li>`)
        .join('')}</ul></div>`,
    );
  }
  if (options.notice) parts.push(`<div class="notice" role="status">${options.notice}</div>`);
  parts.push(
    `<p>For each element choose the level that best describes your school now, say how you know, and note your next steps. Due by <strong>${escapeHtml(londonDate.format(evaluation.deadlineAt))}</strong>.${
      submitted ? ` Submitted on ${escapeHtml(londonDate.format(evaluation.submittedAt!))}; you can change it until the deadline, and each change is kept.` : ' You can save a draft and come back.'
    }</p>`,
  );
  parts.push('<form method="post" novalidate>');
  for (const section of evaluation.form.sections) {
    parts.push(`<h2>${escapeHtml(section.frameworkName)}</h2>`);
    for (const item of formItems({ sections: [section] })) {
      const index = formItems(evaluation.form).find((i) => i.id === item.id)!.index;
      const element = section.elements.find((e) => `${section.frameworkKey}:${e.key}` === item.id)!;
      const answer = options.answers[item.id];
      const levelError = errors.get(`level-${index}`);
      const before = previous.get(item.id);
      parts.push(`<fieldset id="element-${index}"><legend>${escapeHtml(item.label)}</legend>`);
      if (element.summary) parts.push(`<p class="hint">${escapeHtml(element.summary)}</p>`);
      if (before) parts.push(`<p class="hint">Last time (${escapeHtml(previousTerm.get(item.id) ?? '')}) you chose: <strong>${escapeHtml(before.name)}</strong></p>`);
      parts.push(evidenceHtml(evidence));
      parts.push(`<fieldset class="choice${levelError ? ' has-error' : ''}"${levelError ? ` aria-describedby="level-${index}-error"` : ''}><legend>Where is your school now?</legend>`);
      if (levelError) parts.push(`<p class="error" id="level-${index}-error">${escapeHtml(levelError)}</p>`);
      section.levels.forEach((level, i) => {
        const id = i === 0 ? `level-${index}` : `level-${index}-${i + 1}`;
        parts.push(`<label for="${id}"><input type="radio" id="${id}" name="level-${index}" value="${i + 1}"${answer?.level === i + 1 ? ' checked' : ''}> ${escapeHtml(level)}</label>`);
      });
      parts.push('</fieldset>');
      for (const [field, label] of [
        ['evidence', 'How do we know? (evidence)'],
        ['next', 'Next steps'],
      ] as const) {
        const name = `${field}-${index}`;
        const error = errors.get(name);
        const value = field === 'evidence' ? answer?.evidence : answer?.nextSteps;
        parts.push(
          `<div${error ? ' class="has-error"' : ''}><label for="${name}">${label}</label>${error ? `<p class="error" id="${name}-error">${escapeHtml(error)}</p>` : ''}<textarea id="${name}" name="${name}" maxlength="5000"${error ? ` aria-describedby="${name}-error"` : ''}>${escapeHtml(value ?? '')}</textarea></div>`,
        );
      }
      parts.push('</fieldset>');
    }
  }
  parts.push(
    `<div class="actions">${
      submitted
        ? '<button type="submit" name="action" value="submit">Submit changes</button>'
        : '<button type="submit" name="action" value="draft" class="secondary">Save draft</button><button type="submit" name="action" value="submit">Submit</button>'
    }</div></form>`,
  );
  return renderPage({ title: `${what} · ${schoolName}`, body: parts.join('\n'), branding: options.branding });
}

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
    const notice =
      saved === 'draft'
        ? 'Draft saved. You can come back to it from the same link until the deadline.'
        : saved === 'submit'
          ? 'Thank you: your self-evaluation is submitted. A comparison with last time is on its way by email. You can still change it until the deadline.'
          : null;
    res
      .status(200)
      .type('text/html')
      .send(renderForm(view, { answers: view.evaluation.answers, problems: [], notice, branding: opened.branding }));
  }

  @Post(':token')
  @HttpCode(200)
  async save(@Param('token') token: string, @Body() body: unknown, @Res() res: Response) {
    const opened = await this.links.open(token, LinkPurposes.SelfEvaluation, res);
    if (!opened) return;
    const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    const saved = await this.pages.save(opened.link, fields);
    if (saved.outcome === 'closed') {
      res
        .status(410)
        .type('text/html')
        .send(linkExpiredPage({ renewable: false, closesAt: saved.evaluation?.deadlineAt ?? opened.link.closesAt, email: opened.link.email, renewAction: '', branding: opened.branding }));
      return;
    }
    if (saved.outcome === 'saved') {
      res.redirect(303, `/e/${token}?saved=${saved.action}`);
      return;
    }
    const view = await this.pages.view(opened.link, opened.now);
    res
      .status(422)
      .type('text/html')
      .send(renderForm(view, { answers: saved.answers, problems: saved.problems, notice: null, branding: opened.branding }));
  }
}
