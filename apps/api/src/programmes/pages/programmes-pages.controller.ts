import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  COHORT_STATUSES,
  FRAMEWORK_KEYS,
  InvalidInput,
  KPI_FIELDS,
  NotFound,
  ScheduledActionKinds,
  type Cohort,
  type KpiField,
  type Principal,
  type ScheduleEntry,
  type ScheduleWarning,
} from '#domain';
import { CalendarsService } from '../../calendars/calendars.service.js';
import { SelfEvaluationService } from '../../self-evaluation/self-evaluation.service.js';
import { validateForm, type FormErrors } from '../../web/forms.js';
import { Staff, StaffPages } from '../../web/staff-pages.js';
import type { DashboardUser } from '../../dashboard/dashboard-auth.js';
import type { UpdateCohortDto } from '../dto/programme.dto.js';
import { ProgrammesService } from '../programmes.service.js';
import { dateField, dateParts, formErrors, NewCohortForm, NewProgrammeForm, orNull, ProgrammeDetailsForm } from './programme.forms.js';
import { fieldId, groupChange, groupValues, POLICY_GROUPS, policyProblems, ruleInWords, ruleLabel, type PolicyGroup } from './policy-settings.js';

type FormBody = Record<string, unknown>;
type Problem = { field: string; text: string };

const KPI_FIELD_NAMES: Record<KpiField, string> = {
  email: 'Email address',
  role: 'Role',
  slt: 'Whether they are in the senior leadership team',
  phase: 'Phase',
  subjectSpecialism: 'Subject specialism',
  careerStage: 'Career stage',
  specialist: 'Whether they are a specialist',
  gender: 'Gender',
  consentToContact: 'Consent to contact',
};

/** What each kind of planned action is, in a programme team's words. */
const ACTION_WORDS: Record<string, string> = {
  [ScheduledActionKinds.ExpireOffer]: 'A waitlist offer ends',
  [ScheduledActionKinds.SendReminder]: 'Reminder email',
  [ScheduledActionKinds.InviteToImpactSurvey]: 'Impact survey invitation',
  [ScheduledActionKinds.RemindSurvey]: 'Survey reminder',
  [ScheduledActionKinds.OpenSelfEvaluation]: 'Self-evaluation invitation',
  [ScheduledActionKinds.SelfEvaluationOverdueNotice]: 'Overdue self-evaluations notice',
  [ScheduledActionKinds.AmbassadorOfferExpiry]: 'An ambassador’s offer ends',
  [ScheduledActionKinds.AmbassadorEscalation]: 'Request still short: to the programme team',
  [ScheduledActionKinds.AmbassadorActivityStart]: 'An ambassador activity begins',
  [ScheduledActionKinds.AmbassadorCheckRenewal]: 'Safeguarding check renewal reminder',
};

/** Who an action goes to when it carries no address of its own: it is found when it falls due. */
const FOUND_WHEN_DUE: Record<string, string> = {
  [ScheduledActionKinds.SelfEvaluationOverdueNotice]: 'the partnership’s educational lead',
  [ScheduledActionKinds.AmbassadorEscalation]: 'the programme team',
};

const WARNING_WORDS: Record<ScheduleWarning, string> = {
  no_recipient: 'Nobody to send it to: it will not go unless an email address is added',
  deadline_not_a_school_day: 'Its deadline falls on a day with no school (a weekend, a holiday or a break)',
};

const DONE: Record<string, string> = {
  'programme-created': 'Programme created',
  'programme-saved': 'Programme details saved',
  'cohort-created': 'Cohort created',
  'framework-saved': 'Self-evaluation framework saved: the termly invitations are planned with it',
  ...Object.fromEntries(POLICY_GROUPS.map((g) => [`policy-${g.key}`, `${g.title} saved`])),
  reminder: 'Reminder rule saved',
};

/** How many of the schedule's entries the cohort's page lists; the rest are counted. */
const TIMELINE_LENGTH = 60;

const timelineEntry = (entry: ScheduleEntry & { warnings?: ScheduleWarning[] }) => ({
  ...entry,
  what: ACTION_WORDS[entry.kind] ?? entry.kind,
  who: entry.recipient ?? FOUND_WHEN_DUE[entry.kind] ?? null,
  warnings: (entry.warnings ?? []).map((w) => WARNING_WORDS[w]),
});

/**
 * Programmes and their cohorts: the list a person may see, creating a programme (admins) and
 * changing one (its managers), a programme's cohorts, and a cohort's page with its calendar,
 * self-evaluation framework, workflow policy (one small form a group of settings, each saving
 * only what it names, with a dry run first) and the schedule it plans, in London time.
 */
@Controller('programmes')
@StaffPages()
export class ProgrammesPagesController {
  constructor(
    private readonly programmes: ProgrammesService,
    private readonly calendars: CalendarsService,
    private readonly selfEvaluation: SelfEvaluationService,
  ) {}

  @Get()
  async list(@Staff() user: DashboardUser, @Query('done') done: string | undefined, @Res() res: Response) {
    const programmes = await this.programmes.list(user.principal);
    return res.render('programmes/pages/programmes', { programmes, mayCreate: user.principal.role === 'admin', done: DONE[done ?? ''] });
  }

  @Get('new')
  async newProgramme(@Staff() user: DashboardUser, @Res() res: Response) {
    this.programmes.mustCreate(user.principal);
    return res.render('programmes/pages/new-programme', await this.programmeFormModel(user.principal, { brandColour: '#0b5394', completeRecordRequires: ['email'] }));
  }

  @Post('new')
  async createProgramme(@Staff() user: DashboardUser, @Body() body: FormBody, @Res() res: Response) {
    this.programmes.mustCreate(user.principal);
    const form = await validateForm(NewProgrammeForm, body);
    const startsOn = dateField(body, 'startsOn', 'the programme starts');
    const endsOn = dateField(body, 'endsOn', 'the programme ends');
    const problems: Problem[] = form.ok ? [] : form.errors.list.map((e) => ({ field: e.href.slice(1), text: e.text }));
    for (const date of [startsOn, endsOn]) if ('problem' in date) problems.push({ field: date.problem.field, text: date.problem.message });
    const refuse = (list: Problem[]) =>
      this.programmeFormModel(user.principal, { ...body, completeRecordRequires: [body.completeRecordRequires ?? []].flat() }).then((model) =>
        res.status(422).render('programmes/pages/new-programme', {
          ...model,
          errors: formErrors(list, ['name', 'funder', 'aims', 'startsOn', 'endsOn', 'frameworkKey', 'brandColour', 'teamEmail', 'completeRecordRequires', 'recruitmentTarget']),
        }),
      );
    if (!form.ok || 'problem' in startsOn || 'problem' in endsOn) return refuse(problems);
    try {
      const programme = await this.programmes.create(user.principal, {
        name: form.value.name,
        funder: orNull(form.value.funder) ?? undefined,
        aims: orNull(form.value.aims) ?? undefined,
        startsOn: startsOn.value,
        endsOn: endsOn.value,
        frameworkKey: form.value.frameworkKey,
        brandColour: form.value.brandColour,
        teamEmail: orNull(form.value.teamEmail) ?? undefined,
        kpiDefinition: {
          completeRecordRequires: form.value.completeRecordRequires as KpiField[],
          ...(form.value.recruitmentTarget ? { recruitmentTarget: Number(form.value.recruitmentTarget) } : {}),
        },
      });
      return res.redirect(303, `/programmes/${programme.id}?done=programme-created`);
    } catch (error) {
      if (error instanceof InvalidInput && error.fields.some((f) => f.field === 'endsOn'))
        return refuse([{ field: 'endsOn-day', text: 'The date the programme ends must be on or after the date it starts' }]);
      throw error;
    }
  }

  @Get(':id')
  async programme(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Query('done') done: string | undefined, @Res() res: Response) {
    const programme = await this.programmes.get(user.principal, id);
    const [cohorts, mayChange, frameworks, calendars] = await Promise.all([
      this.programmes.cohorts(user.principal, id),
      this.programmes.mayChange(user.principal, id),
      this.selfEvaluation.listFrameworks(user.principal),
      this.calendars.list(),
    ]);
    return res.render('programmes/pages/programme', {
      programme,
      cohorts,
      mayChange,
      frameworkName: frameworks.find((f) => f.key === programme.frameworkKey)?.name ?? programme.frameworkKey,
      calendarNames: Object.fromEntries(calendars.map((c) => [c.key, c.name])),
      kpiFields: programme.kpiDefinition.completeRecordRequires.map((f) => KPI_FIELD_NAMES[f] ?? f),
      done: DONE[done ?? ''],
    });
  }

  @Get(':id/edit')
  async editProgramme(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response) {
    const programme = await this.mustChange(user.principal, id);
    return res.render('programmes/pages/edit-programme', {
      programme,
      values: { name: programme.name, funder: programme.funder ?? '', aims: programme.aims ?? '', brandColour: programme.brandColour, teamEmail: programme.teamEmail ?? '' },
    });
  }

  @Post(':id/edit')
  async saveProgramme(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: FormBody, @Res() res: Response) {
    const programme = await this.mustChange(user.principal, id);
    const form = await validateForm(ProgrammeDetailsForm, body);
    if (!form.ok) return res.status(422).render('programmes/pages/edit-programme', { programme, values: form.values, errors: form.errors });
    await this.programmes.update(user.principal, id, {
      name: form.value.name,
      funder: orNull(form.value.funder),
      aims: orNull(form.value.aims),
      brandColour: form.value.brandColour,
      teamEmail: orNull(form.value.teamEmail),
    });
    return res.redirect(303, `/programmes/${id}?done=programme-saved`);
  }

  @Get(':id/cohorts/new')
  async newCohort(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response) {
    const programme = await this.mustChange(user.principal, id);
    return res.render('programmes/pages/new-cohort', { programme, calendars: await this.calendars.list(), values: { calendarKey: 'england' } });
  }

  @Post(':id/cohorts/new')
  async createCohort(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: FormBody, @Res() res: Response) {
    const programme = await this.mustChange(user.principal, id);
    const calendars = await this.calendars.list();
    const form = await validateForm(NewCohortForm, body);
    const startsOn = dateField(body, 'startsOn', 'the cohort starts');
    const endsOn = dateField(body, 'endsOn', 'the cohort ends');
    const problems: Problem[] = form.ok ? [] : form.errors.list.map((e) => ({ field: e.href.slice(1), text: e.text }));
    if (form.ok && !calendars.some((c) => c.key === form.value.calendarKey)) problems.push({ field: 'calendarKey', text: 'Choose the academic calendar its schools follow' });
    for (const date of [startsOn, endsOn]) if ('problem' in date) problems.push({ field: date.problem.field, text: date.problem.message });
    const refuse = (list: Problem[]) =>
      res.status(422).render('programmes/pages/new-cohort', { programme, calendars, values: body, errors: formErrors(list, ['name', 'startsOn', 'endsOn', 'calendarKey']) });
    if (!form.ok || problems.length > 0 || 'problem' in startsOn || 'problem' in endsOn) return refuse(problems);
    try {
      const cohort = await this.programmes.createCohort(user.principal, id, { name: form.value.name, startsOn: startsOn.value, endsOn: endsOn.value, calendarKey: form.value.calendarKey });
      return res.redirect(303, `/programmes/${id}/cohorts/${cohort.id}?done=cohort-created`);
    } catch (error) {
      if (error instanceof InvalidInput && error.fields.some((f) => f.field === 'endsOn'))
        return refuse([{ field: 'endsOn-day', text: 'The date the cohort ends must be on or after the date it starts' }]);
      throw error;
    }
  }

  @Get(':id/cohorts/:cohortId')
  async cohort(
    @Staff() user: DashboardUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('cohortId', ParseUUIDPipe) cohortId: string,
    @Query('done') done: string | undefined,
    @Res() res: Response,
  ) {
    return res.render('programmes/pages/cohort', { ...(await this.cohortModel(user.principal, id, cohortId)), done: DONE[done ?? ''] });
  }

  /** A group of the policy's settings: a dry run first ("Check what this changes"), or saved. */
  @Post(':id/cohorts/:cohortId/policy/:group')
  async savePolicyGroup(
    @Staff() user: DashboardUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('cohortId', ParseUUIDPipe) cohortId: string,
    @Param('group') key: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ) {
    const group = POLICY_GROUPS.find((g) => g.key === key);
    if (!group) throw new NotFound('Policy setting', key);
    const cohort = await this.cohortOf(user.principal, id, cohortId);
    const read = groupChange(group, body);
    const typed = Object.fromEntries(group.settings.map((s) => [fieldId(group.key, s.key), typeof body[fieldId(group.key, s.key)] === 'string' ? (body[fieldId(group.key, s.key)] as string) : '']));
    const where = (path: string) => {
      const [section, setting] = path.split('.');
      if (section !== group.key) return undefined;
      const found = group.settings.find((s) => s.key === setting);
      return found
        ? { field: fieldId(group.key, found.key), label: found.label }
        : { field: fieldId(group.key, group.settings[group.settings.length - 1].key), label: `The ${group.title.toLowerCase()}` };
    };
    return this.policyChange(
      user.principal,
      res,
      cohort,
      { [group.key]: 'change' in read ? read.change : {} },
      {
        problems: 'problems' in read ? read.problems : [],
        where,
        form: { group: group.key, values: typed },
        done: `policy-${group.key}`,
        what: group.title.toLowerCase(),
        action: `/programmes/${id}/cohorts/${cohortId}/policy/${group.key}`,
        save: body.action !== 'preview',
      },
    );
  }

  /** One reminder rule's timing; the rest of the rule list is sent as it is, since a policy's rules are one list. */
  @Post(':id/cohorts/:cohortId/reminders/:ruleId')
  async saveReminder(
    @Staff() user: DashboardUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('cohortId', ParseUUIDPipe) cohortId: string,
    @Param('ruleId') ruleId: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ) {
    const cohort = await this.cohortOf(user.principal, id, cohortId);
    const index = cohort.workflowPolicy.reminders.findIndex((r) => r.id === ruleId);
    if (index < 0) throw new NotFound('Reminder rule', ruleId);
    const rule = cohort.workflowPolicy.reminders[index];
    const offsetId = fieldId(`reminder-${rule.id}`, 'offset');
    const unitId = fieldId(`reminder-${rule.id}`, 'unit');
    const typed = { [offsetId]: typeof body[offsetId] === 'string' ? (body[offsetId] as string).trim() : '', [unitId]: typeof body[unitId] === 'string' ? (body[unitId] as string) : '' };
    const problems: Problem[] = [];
    if (!/^\d{1,4}$/.test(typed[offsetId])) problems.push({ field: offsetId, text: 'Enter how long as a whole number' });
    if (typed[unitId] !== 'days' && typed[unitId] !== 'hours') problems.push({ field: `${unitId}`, text: 'Choose days or hours' });
    const reminders = cohort.workflowPolicy.reminders.map((r) => (r.id === rule.id ? { ...r, offset: Number(typed[offsetId]), unit: typed[unitId] } : r));
    const label = ruleLabel(rule);
    return this.policyChange(
      user.principal,
      res,
      cohort,
      { reminders },
      {
        problems,
        where: (path) => (path.startsWith(`reminders[${index}]`) ? { field: path.endsWith('unit') ? unitId : offsetId, label } : undefined),
        form: { group: `reminder-${rule.id}`, values: typed },
        done: 'reminder',
        what: `reminder rule “${rule.id}”`,
        action: `/programmes/${id}/cohorts/${cohortId}/reminders/${rule.id}`,
        save: body.action !== 'preview',
      },
    );
  }

  @Get(':id/cohorts/:cohortId/self-evaluation')
  async chooseFramework(
    @Staff() user: DashboardUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('cohortId', ParseUUIDPipe) cohortId: string,
    @Query('framework') frameworkKey: string | undefined,
    @Res() res: Response,
  ) {
    const cohort = await this.cohortOf(user.principal, id, cohortId);
    await this.mustChange(user.principal, id);
    return res.render('programmes/pages/self-evaluation', await this.frameworkModel(user.principal, cohort, typeof frameworkKey === 'string' ? frameworkKey : undefined));
  }

  @Post(':id/cohorts/:cohortId/self-evaluation')
  async saveFramework(@Staff() user: DashboardUser, @Param('id', ParseUUIDPipe) id: string, @Param('cohortId', ParseUUIDPipe) cohortId: string, @Body() body: FormBody, @Res() res: Response) {
    const cohort = await this.cohortOf(user.principal, id, cohortId);
    const frameworkKey = typeof body.frameworkKey === 'string' ? body.frameworkKey : '';
    const elementKeys = [body.elementKeys ?? []].flat().filter((k): k is string => typeof k === 'string');
    const model = await this.frameworkModel(user.principal, cohort, frameworkKey);
    const refuse = (text: string) =>
      res.status(422).render('programmes/pages/self-evaluation', { ...model, values: { elementKeys }, errors: formErrors([{ field: 'elementKeys', text }], ['elementKeys']) });
    if (!model.framework) return res.redirect(303, `/programmes/${id}/cohorts/${cohortId}/self-evaluation`);
    if (elementKeys.length === 0) return refuse('Choose the elements schools work on this year');
    if (elementKeys.length > 6) return refuse('Choose 6 elements or fewer: the seeds advise one or two at a time');
    try {
      await this.selfEvaluation.choose(user.principal, cohortId, { frameworkKey, elementKeys });
    } catch (error) {
      if (error instanceof InvalidInput) return refuse(`Choose elements of ${model.framework.name}: ${error.fields.map((f) => f.message).join('; ')}`);
      throw error;
    }
    return res.redirect(303, `/programmes/${id}/cohorts/${cohortId}?done=framework-saved`);
  }

  private mustChange(principal: Principal, id: string) {
    return this.programmes.mustChange(principal, id);
  }

  /** A cohort at its address under its own programme: under any other it is not there. */
  private async cohortOf(principal: Principal, programmeId: string, cohortId: string): Promise<Cohort> {
    const cohort = await this.programmes.cohort(principal, cohortId);
    if (cohort.programmeId !== programmeId) throw new NotFound('Cohort', cohortId);
    return cohort;
  }

  private async programmeFormModel(principal: Principal, values: FormBody) {
    const frameworks = (await this.selfEvaluation.listFrameworks(principal)).filter((f) => (FRAMEWORK_KEYS as readonly string[]).includes(f.key));
    return { values, frameworks, kpiFields: KPI_FIELDS.map((key) => ({ value: key, text: KPI_FIELD_NAMES[key] })), dateParts };
  }

  private async frameworkModel(principal: Principal, cohort: Cohort, frameworkKey: string | undefined) {
    const [programme, choice, frameworks] = await Promise.all([
      this.programmes.get(principal, cohort.programmeId),
      this.selfEvaluation.choice(principal, cohort.id),
      this.selfEvaluation.listFrameworks(principal),
    ]);
    const key = frameworkKey && frameworks.some((f) => f.key === frameworkKey) ? frameworkKey : undefined;
    const framework = key ? await this.selfEvaluation.framework(principal, key) : undefined;
    return {
      programme,
      cohort,
      choice,
      frameworks,
      framework,
      mayChange: await this.programmes.mayChange(principal, programme.id),
      values: { frameworkKey: key ?? choice.frameworkKey ?? programme.frameworkKey, elementKeys: key === choice.frameworkKey ? choice.elementKeys : [] },
    };
  }

  /**
   * Everything the cohort's page shows: its details and calendar, its framework, its policy
   * as small forms, and its schedule as a timeline with what a person would want to know.
   */
  private async cohortModel(principal: Principal, programmeId: string, cohortId: string, form?: { group: string; values: Record<string, string>; errors?: FormErrors }) {
    const cohort = await this.cohortOf(principal, programmeId, cohortId);
    const [programme, mayChange, calendar, choice, frameworks] = await Promise.all([
      this.programmes.get(principal, programmeId),
      this.programmes.mayChange(principal, programmeId),
      this.calendars.get(cohort.calendarKey),
      this.selfEvaluation.choice(principal, cohortId),
      this.selfEvaluation.listFrameworks(principal),
    ]);
    // A lead reads their own partnership's part of the schedule; a school's contact reads none of it.
    const schedule = principal.role === 'school_contact' ? undefined : await this.programmes.schedule(principal, cohortId);
    const policy = cohort.workflowPolicy;
    const groups = POLICY_GROUPS.map((group: PolicyGroup) => ({
      ...group,
      values: form?.group === group.key ? form.values : groupValues(group, policy),
      saved: groupValues(group, policy),
      errors: form?.group === group.key ? form.errors : undefined,
    }));
    const reminders = policy.reminders.map((rule) => {
      const key = `reminder-${rule.id}`;
      const saved = { [fieldId(key, 'offset')]: String(rule.offset), [fieldId(key, 'unit')]: rule.unit };
      return { rule, key, words: ruleInWords(rule), label: ruleLabel(rule), values: form?.group === key ? form.values : saved, errors: form?.group === key ? form.errors : undefined };
    });
    const terms = calendar.years.flatMap((year) => year.terms.map((term) => ({ ...term, year: year.label }))).filter((term) => term.ends >= cohort.startsOn && term.starts <= cohort.endsOn);
    const entries = (schedule?.entries ?? []).map(timelineEntry);
    return {
      programme,
      cohort,
      mayChange,
      statuses: COHORT_STATUSES,
      calendar: { key: calendar.key, name: calendar.name, note: calendar.note, terms },
      choice: { ...choice, frameworkName: frameworks.find((f) => f.key === choice.frameworkKey)?.name ?? choice.frameworkKey },
      groups,
      reminders,
      schedule: schedule && {
        from: schedule.from,
        to: schedule.to,
        entries: entries.slice(0, TIMELINE_LENGTH),
        more: Math.max(0, entries.length - TIMELINE_LENGTH),
        flagged: entries.filter((e) => e.warnings.length > 0).length,
      },
      errors: form?.errors,
    };
  }

  /**
   * A change to the policy, named in part: checked, then either saved (and the person taken
   * back to the cohort) or tried in a dry run, whose added, moved and dropped emails show at
   * the top of the cohort's page with a button to save the very same change.
   */
  private async policyChange(
    principal: Principal,
    res: Response,
    cohort: Cohort,
    change: Record<string, unknown>,
    options: {
      problems: Problem[];
      where: (path: string) => { field: string; label: string } | undefined;
      form: { group: string; values: Record<string, string> };
      done: string;
      what: string;
      action: string;
      save: boolean;
    },
  ) {
    const refuse = async (problems: Problem[]) =>
      res
        .status(422)
        .render('programmes/pages/cohort', await this.cohortModel(principal, cohort.programmeId, cohort.id, { ...options.form, errors: formErrors(problems, Object.keys(options.form.values)) }));
    if (options.problems.length > 0) return refuse(options.problems);
    const input: UpdateCohortDto = { workflowPolicy: change };
    try {
      if (options.save) {
        await this.programmes.updateCohort(principal, cohort.id, input);
        return res.redirect(303, `/programmes/${cohort.programmeId}/cohorts/${cohort.id}?done=${options.done}`);
      }
      const dryRun = await this.programmes.updateCohort(principal, cohort.id, input, true);
      const changes = dryRun.changes ?? { added: [], moved: [], dropped: [] };
      const rows = [
        ...changes.added.map((e) => ({ change: 'Added', ...timelineEntry(e), from: null as string | null })),
        ...changes.moved.map((e) => ({ change: 'Moved', ...timelineEntry(e), from: e.from })),
        ...changes.dropped.map((e) => ({ change: 'Dropped', ...timelineEntry(e), from: null as string | null })),
      ];
      const model = await this.cohortModel(principal, cohort.programmeId, cohort.id, options.form);
      return res.render('programmes/pages/cohort', {
        ...model,
        preview: {
          what: options.what,
          action: options.action,
          values: options.form.values,
          changed: dryRun.changed.length > 0,
          counts: { added: changes.added.length, moved: changes.moved.length, dropped: changes.dropped.length },
          rows: rows.slice(0, TIMELINE_LENGTH),
          more: Math.max(0, rows.length - TIMELINE_LENGTH),
        },
      });
    } catch (error) {
      if (error instanceof InvalidInput && error.fields.length > 0) return refuse(policyProblems(error.fields, options.where));
      throw error;
    }
  }
}
