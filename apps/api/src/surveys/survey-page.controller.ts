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
import { Public } from '../auth/auth.decorators.js';
import { sendEmailedPage, sendLinkNotValid } from '../pages/emailed-pages.js';
import { PageLinks, type OpenedLink } from '../pages/page-links.js';
import { PageRateLimit } from '../common/rate-limits.js';
import type { FormErrors } from '../web/forms.js';

/** The id of a question's first input, where the error summary's link for it goes. */
const fieldId = (key: string) => `q-${key}`;

interface Question {
  key: string;
  id: string;
  text: string;
  hint?: string;
  required: boolean;
  /** Radios for a scale or a choice (each takes one answer); a text box for the rest. */
  kind: 'radios' | 'text';
  value: string;
  choices: Array<{ value: string; text: string }>;
}

/** The questionnaire's questions, in order, under the heading of the group they share (the agreement grid). */
function sectionsOf(instrument: SurveyInstrument, answers: Record<string, unknown>): Array<{ group?: string; heading?: string; questions: Question[] }> {
  const sections: Array<{ group?: string; heading?: string; questions: Question[] }> = [];
  for (const item of instrument.items) {
    let section = sections.at(-1);
    if (!section || section.group !== item.group) {
      section = { group: item.group, heading: item.group ? instrument.groups?.[item.group] : undefined, questions: [] };
      sections.push(section);
    }
    section.questions.push(questionOf(instrument, item, answers));
  }
  return sections;
}

function questionOf(instrument: SurveyInstrument, item: SurveyItem, answers: Record<string, unknown>): Question {
  const given = answers[item.key];
  return {
    key: item.key,
    id: fieldId(item.key),
    text: item.text,
    hint: item.hint,
    required: item.required,
    kind: item.type === 'text' ? 'text' : 'radios',
    value: typeof given === 'string' ? given : '',
    choices: itemValues(instrument, item).map((point) => ({ value: point.value, text: point.label })),
  };
}

/** A refused submission's problems as the page shows them: each named by its question in the summary, the message beside the question. */
function errorsOf(instrument: SurveyInstrument, problems: FieldProblem[]): FormErrors | undefined {
  if (problems.length === 0) return undefined;
  return {
    list: problems.map((p) => ({ text: `${instrument.items.find((i) => i.key === p.field)?.text ?? p.field}: ${p.message}`, href: `#${fieldId(p.field)}` })),
    byField: Object.fromEntries(problems.map((p) => [p.field, { text: p.message }])),
  };
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
    if (found.invitation.expiresAt <= opened.now) return this.closed(res, opened, found.invitation.expiresAt);
    this.questionnaire(res, 200, token, opened, found, found.saved?.answers ?? {}, []);
  }

  async submit(token: string, body: unknown, res: Response): Promise<void> {
    const opened = await this.links.open(token, LinkPurposes.Survey, res);
    if (!opened) return;
    const found = await this.load(opened);
    if (!found) return this.notValid(res);
    const answers = formAnswers(body);
    try {
      const { edited } = await this.unitOfWork.run((tx) => submitSurveyResponse(tx, found.invitation.id, answers));
      const invitation = (await this.dataSource.manager.findOneBy(SurveyInvitation, { id: found.invitation.id }))!;
      sendEmailedPage(res, 200, 'surveys/pages/thanks', { token, edited, closesAt: invitation.expiresAt, branding: opened.branding });
    } catch (error) {
      if (error instanceof InvalidInput) return this.questionnaire(res, 422, token, opened, found, answers, error.fields);
      if (error instanceof Conflict) return this.closed(res, opened, found.invitation.expiresAt);
      throw error;
    }
  }

  /** The questions, with what was given (saved, or just typed and refused) and each refused answer's problem. */
  private questionnaire(
    res: Response,
    status: number,
    token: string,
    opened: OpenedLink,
    found: { invitation: SurveyInvitation; subject: SurveySubject; saved: SurveyResponse | null },
    answers: Record<string, unknown>,
    problems: FieldProblem[],
  ): void {
    const instrument = INSTRUMENTS[found.invitation.instrumentKey];
    sendEmailedPage(res, status, 'surveys/pages/questionnaire', {
      token,
      instrument,
      subject: found.subject,
      saved: found.saved,
      closesAt: found.invitation.expiresAt,
      sections: sectionsOf(instrument, answers),
      errors: errorsOf(instrument, problems),
      branding: opened.branding,
    });
  }

  private closed(res: Response, opened: OpenedLink, closedAt: Date): void {
    sendEmailedPage(res, 410, 'surveys/pages/closed', { closedAt, branding: opened.branding });
  }

  private notValid(res: Response): void {
    // A link whose survey is gone reads exactly like an unknown one.
    sendLinkNotValid(res);
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
