import type { FieldProblem } from '../errors.js';
import { frameworkElements, type Framework } from './frameworks.js';

/**
 * What a self-evaluation asks, frozen when it opens: the frameworks' names and levels and
 * the chosen elements, so an edited framework never changes a form a school is filling.
 */
export interface EvaluationForm {
  sections: Array<{
    frameworkKey: string;
    frameworkName: string;
    levels: string[];
    elements: Array<{ key: string; code: string | null; name: string; summary: string; group: string }>;
  }>;
}

/** Per item (`frameworkKey:elementKey`): the level's place on the scale (1 = first), evidence, next steps. */
export type EvaluationAnswers = Record<string, { level: number | null; evidence: string; nextSteps: string }>;

export const itemId = (frameworkKey: string, elementKey: string) => `${frameworkKey}:${elementKey}`;

export function formItems(form: EvaluationForm): Array<{ id: string; frameworkKey: string; label: string; index: number }> {
  let index = 0;
  return form.sections.flatMap((s) => s.elements.map((e) => ({ id: itemId(s.frameworkKey, e.key), frameworkKey: s.frameworkKey, label: e.code ? `${e.code} ${e.name}` : e.name, index: index++ })));
}

/** The form for some elements of one framework, or every element when none are named (the baseline). */
export function buildForm(parts: Array<{ framework: Framework; elementKeys?: string[] }>): EvaluationForm {
  return {
    sections: parts.map(({ framework, elementKeys }) => {
      const all = frameworkElements(framework);
      const elements = elementKeys ? elementKeys.map((k) => all.find((e) => e.key === k)).filter((e): e is NonNullable<typeof e> => !!e) : all;
      return {
        frameworkKey: framework.key,
        frameworkName: framework.name,
        levels: [...framework.levels],
        elements: elements.map((e) => ({ key: e.key, code: e.code, name: e.name, summary: e.summary, group: e.group })),
      };
    }),
  };
}

export const MAX_TEXT = 5_000;

/**
 * Reads the posted page (fields `level-N`, `evidence-N`, `next-N` by item position).
 * A draft may leave levels out; a submission needs a level for every element. Problems
 * name the field they belong next to.
 */
export function readAnswers(form: EvaluationForm, body: Record<string, unknown>, submitting: boolean): { answers: EvaluationAnswers; problems: FieldProblem[] } {
  const answers: EvaluationAnswers = {};
  const problems: FieldProblem[] = [];
  for (const item of formItems(form)) {
    const section = form.sections.find((s) => s.frameworkKey === item.frameworkKey)!;
    const raw = body[`level-${item.index}`];
    const given = typeof raw === 'string' && raw !== '' ? Number(raw) : null;
    let level: number | null = null;
    if (given !== null) {
      if (Number.isInteger(given) && given >= 1 && given <= section.levels.length) level = given;
      else problems.push({ field: `level-${item.index}`, message: `Choose one of the levels for ${item.label}` });
    } else if (submitting) {
      problems.push({ field: `level-${item.index}`, message: `Choose a level for ${item.label}` });
    }
    const evidence = typeof body[`evidence-${item.index}`] === 'string' ? (body[`evidence-${item.index}`] as string).trim() : '';
    const nextSteps = typeof body[`next-${item.index}`] === 'string' ? (body[`next-${item.index}`] as string).trim() : '';
    if (evidence.length > MAX_TEXT) problems.push({ field: `evidence-${item.index}`, message: `Keep the evidence for ${item.label} under ${MAX_TEXT} characters` });
    if (nextSteps.length > MAX_TEXT) problems.push({ field: `next-${item.index}`, message: `Keep the next steps for ${item.label} under ${MAX_TEXT} characters` });
    answers[item.id] = { level, evidence, nextSteps };
  }
  return { answers, problems };
}
