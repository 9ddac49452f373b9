import { Body, Controller, Get, HttpCode, Injectable, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import {
  Conflict,
  INSTRUMENTS,
  InvalidInput,
  itemValues,
  LinkPurposes,
  SURVEY_SUBJECT,
  SurveyInvitation,
  SurveyResponse,
  surveySubject,
  submitSurveyResponse,
  UnitOfWork,
  type Answers,
  type FieldProblem,
  type SurveyInstrument,
  type SurveyItem,
  type SurveySubject,
} from '#domain';
import { escapeHtml } from '#notifications';
import { Public } from '../auth/auth.decorators.js';
import { renderPage, type PageBranding } from '../pages/page-layout.js';
import { PageLinks, type OpenedLink } from '../pages/page-links.js';
import { PageRateLimit } from '../common/rate-limits.js';

const londonDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'long' });
const londonDateTime = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'long', timeStyle: 'short' });

interface FormView {
  token: string;
  instrument: SurveyInstrument;
  subject: SurveySubject;
  invitation: SurveyInvitation;
  answers: Record<string, unknown>;
  saved: SurveyResponse | null;
  problems: FieldProblem[];
  branding: PageBranding;
}

const fieldId = (key: string) => `q-${key}`;

function itemHtml(view: FormView, item: SurveyItem): string {
  const problem = view.problems.find((p) => p.field === item.key);
  const given = typeof view.answers[item.key] === 'string' ? (view.answers[item.key] as string) : '';
  const errorId = `${fieldId(item.key)}-error`;
  const hintId = `${fieldId(item.key)}-hint`;
  const describedBy = [item.hint ? hintId : '', problem ? errorId : ''].filter(Boolean).join(' ');
  const aria = describedBy ? ` aria-describedby="${describedBy}"` : '';
  const hint = item.hint ? `<p class="hint" id="${hintId}">${escapeHtml(item.hint)}</p>` : '';
  const error = problem ? `<p class="error" id="${errorId}"><span class="visually-hidden">Error:</span> ${escapeHtml(problem.message)}</p>` : '';
  const optional = item.required ? '' : ' <span class="hint">(optional)</span>';
  if (item.type === 'text') {
    return `<div class="question${problem ? ' has-error' : ''}" id="${fieldId(item.key)}-question">
<label for="${fieldId(item.key)}">${escapeHtml(item.text)}${optional}</label>${hint}${error}
<textarea id="${fieldId(item.key)}" name="${escapeHtml(item.key)}" rows="5" maxlength="4000"${aria}${problem ? ' aria-invalid="true"' : ''}>${escapeHtml(given)}</textarea></div>`;
  }
  const choices = itemValues(view.instrument, item)
    .map((point, i) => {
      const id = `${fieldId(item.key)}-${i}`;
      return `<label class="choice" for="${id}"><input type="radio" id="${id}" name="${escapeHtml(item.key)}" value="${escapeHtml(point.value)}"${given === point.value ? ' checked' : ''}${item.required ? ' required' : ''}> ${escapeHtml(point.label)}</label>`;
    })
    .join('\n');
  return `<fieldset id="${fieldId(item.key)}" class="${problem ? 'has-error' : ''}"${aria}><legend>${escapeHtml(item.text)}${optional}</legend>${hint}${error}
<div class="choice">${choices}</div></fieldset>`;
}

function formPage(view: FormView): string {
  const { instrument, subject, invitation, saved, problems } = view;
  const about = `<p class="evidence">About: <strong>${escapeHtml(subject.title)}</strong>${subject.occurredAt ? `, ${escapeHtml(londonDate.format(new Date(subject.occurredAt)))}` : ''}</p>`;
  // Focused on arrival after a refused submit (autofocus: the pages run no script), so a screen reader hears what went wrong.
  const summary = problems.length
    ? `<div class="summary" role="alert" tabindex="-1" id="error-summary" autofocus><h2>There is a problem</h2><ul>${problems
        .map((p) => {
          const item = instrument.items.find((i) => i.key === p.field);
          return `<li><a href="#${fieldId(p.field)}">${escapeHtml(item ? item.text : p.field)}: ${escapeHtml(p.message)}</a></li>`;
        })
        .join('')}</ul></div>`
    : '';
  const status = saved
    ? `<p class="notice">You sent your answers on ${escapeHtml(londonDateTime.format(saved.submittedAt))}${saved.revision > 1 ? ` and last changed them on ${escapeHtml(londonDateTime.format(saved.updatedAt))}` : ''}. You can change them until ${escapeHtml(londonDateTime.format(invitation.expiresAt))}.</p>`
    : `<p>${escapeHtml(instrument.intro)} Questions not marked optional need an answer. The survey closes on ${escapeHtml(londonDateTime.format(invitation.expiresAt))}.</p>`;
  let body = '';
  let openGroup: string | undefined;
  for (const item of instrument.items) {
    if (item.group !== openGroup) {
      if (openGroup) body += '</section>';
      if (item.group) body += `<section aria-labelledby="group-${escapeHtml(item.group)}"><h2 id="group-${escapeHtml(item.group)}">${escapeHtml(instrument.groups?.[item.group] ?? '')}</h2>`;
      openGroup = item.group;
    }
    body += itemHtml(view, item);
  }
  if (openGroup) body += '</section>';
  return renderPage({
    title: `${problems.length ? 'Error: ' : ''}${instrument.name}`,
    branding: view.branding,
    body: `<h1>${escapeHtml(instrument.name)}</h1>${about}${summary}${status}
<form method="post" action="/s/${escapeHtml(view.token)}" novalidate>${body}
<div class="actions"><button type="submit">${saved ? 'Save my changes' : 'Send my answers'}</button></div></form>`,
  });
}

function thanksPage(view: { token: string; instrument: SurveyInstrument; invitation: SurveyInvitation; edited: boolean; branding: PageBranding }): string {
  return renderPage({
    title: 'Thank you',
    branding: view.branding,
    body: `<h1>Thank you</h1><p class="notice" role="status">${view.edited ? 'Your changes are saved.' : 'Your answers are saved.'}</p>
<p>Your answers help the programme decide what to offer next. You can change them with the same link until ${escapeHtml(londonDateTime.format(view.invitation.expiresAt))}.</p>
<p><a href="/s/${escapeHtml(view.token)}">Change my answers</a></p>`,
  });
}

function closedPage(branding: PageBranding, closedAt: Date): string {
  return renderPage({
    title: 'Survey closed',
    branding,
    body: `<h1>This survey has closed</h1><p>It closed on ${escapeHtml(londonDateTime.format(closedAt))}, so answers can no longer be sent or changed. Thank you all the same.</p>`,
  });
}

@Injectable()
export class SurveyPages {
  constructor(
    private readonly dataSource: DataSource,
    private readonly links: PageLinks,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async load(opened: OpenedLink): Promise<{ invitation: SurveyInvitation; subject: SurveySubject; saved: SurveyResponse | null } | undefined> {
    if (opened.link.subjectType !== SURVEY_SUBJECT) return undefined;
    const invitation = await this.dataSource.manager.findOneBy(SurveyInvitation, { id: opened.link.subjectId });
    if (!invitation) return undefined;
    const [subject, saved] = await Promise.all([surveySubject(this.dataSource.manager, invitation), this.dataSource.manager.findOneBy(SurveyResponse, { invitationId: invitation.id })]);
    return { invitation, subject, saved };
  }

  async show(token: string, res: Response): Promise<void> {
    const opened = await this.links.open(token, LinkPurposes.Survey, res);
    if (!opened) return;
    const found = await this.load(opened);
    if (!found) return this.notValid(res);
    if (found.invitation.expiresAt <= opened.now) return void res.status(410).type('text/html').send(closedPage(opened.branding, found.invitation.expiresAt));
    const instrument = INSTRUMENTS[found.invitation.instrumentKey];
    res
      .status(200)
      .type('text/html')
      .send(formPage({ token, instrument, ...found, answers: found.saved?.answers ?? {}, problems: [], branding: opened.branding }));
  }

  async submit(token: string, body: unknown, res: Response): Promise<void> {
    const opened = await this.links.open(token, LinkPurposes.Survey, res);
    if (!opened) return;
    const found = await this.load(opened);
    if (!found) return this.notValid(res);
    const instrument = INSTRUMENTS[found.invitation.instrumentKey];
    const answers = formAnswers(body);
    try {
      const { edited } = await this.unitOfWork.run((tx) => submitSurveyResponse(tx, found.invitation.id, answers));
      const invitation = (await this.dataSource.manager.findOneBy(SurveyInvitation, { id: found.invitation.id }))!;
      res
        .status(200)
        .type('text/html')
        .send(thanksPage({ token, instrument, invitation, edited, branding: opened.branding }));
    } catch (error) {
      if (error instanceof InvalidInput) {
        res
          .status(422)
          .type('text/html')
          .send(formPage({ token, instrument, ...found, answers, problems: error.fields, branding: opened.branding }));
        return;
      }
      if (error instanceof Conflict) {
        res.status(410).type('text/html').send(closedPage(opened.branding, found.invitation.expiresAt));
        return;
      }
      throw error;
    }
  }

  private notValid(res: Response): void {
    // A link whose survey is gone reads exactly like an unknown one.
    res
      .status(404)
      .type('text/html')
      .send(renderPage({ title: 'Link not valid', body: '<h1>This link is not valid</h1><p>Please open it again from the email, or ask whoever sent it for a new one.</p>' }));
  }
}

/** The posted form's fields: strings only (a repeated field is refused by the validator as "a single answer"). */
function formAnswers(body: unknown): Answers | Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  return Object.fromEntries(Object.entries(body as Record<string, unknown>).filter(([key]) => /^[a-z0-9_]{1,60}$/.test(key)));
}

/** `/s/:token`: a survey reached from an email. */
@ApiExcludeController()
@Controller('s')
@Public()
@UseGuards(PageRateLimit)
export class SurveyPageController {
  constructor(private readonly pages: SurveyPages) {}

  @Get(':token')
  async show(@Param('token') token: string, @Res() res: Response) {
    await this.pages.show(token, res);
  }

  @Post(':token')
  @HttpCode(200)
  async submit(@Param('token') token: string, @Body() body: unknown, @Res() res: Response) {
    await this.pages.submit(token, body, res);
  }
}

export type { Answers };
