import { formItems, type EvaluationAnswers, type EvaluationForm } from './form.js';

export type Movement = 'up' | 'same' | 'down' | 'new';

export interface ComparedItem {
  itemId: string;
  name: string;
  framework: string;
  then: string | null;
  now: string | null;
  movement: Movement;
}

/** The level last chosen for each item, from earlier submitted evaluations, latest first. */
export function previousLevels(form: EvaluationForm, earlier: Array<{ form: EvaluationForm; answers: EvaluationAnswers }>): Map<string, { level: number; name: string }> {
  const found = new Map<string, { level: number; name: string }>();
  for (const item of formItems(form)) {
    for (const past of earlier) {
      const level = past.answers[item.id]?.level;
      const section = past.form.sections.find((s) => s.frameworkKey === item.frameworkKey);
      if (level && section && section.levels[level - 1]) {
        found.set(item.id, { level, name: section.levels[level - 1] });
        break;
      }
    }
  }
  return found;
}

/**
 * Level then → now per item. Levels are compared by their place on the framework's scale
 * (the product never turns them into a score); an item not rated before is new.
 */
export function compareWithEarlier(form: EvaluationForm, answers: EvaluationAnswers, earlier: Array<{ form: EvaluationForm; answers: EvaluationAnswers }>): ComparedItem[] {
  const before = previousLevels(form, earlier);
  return formItems(form).map((item) => {
    const section = form.sections.find((s) => s.frameworkKey === item.frameworkKey)!;
    const level = answers[item.id]?.level ?? null;
    const then = before.get(item.id) ?? null;
    const movement: Movement = !then || !level ? 'new' : level > then.level ? 'up' : level < then.level ? 'down' : 'same';
    return { itemId: item.id, name: item.label, framework: section.frameworkName, then: then?.name ?? null, now: level ? section.levels[level - 1] : null, movement };
  });
}
