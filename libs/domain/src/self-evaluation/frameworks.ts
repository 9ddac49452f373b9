import type { FieldProblem } from '../errors.js';

/** One thing a school rates itself on: a strand, a theme, a domain of a grid. */
export interface FrameworkElement {
  /** Unique and stable within its framework: answers across terms are matched by it. */
  key: string;
  code: string | null;
  name: string;
  /** The product's own one sentence about it (never the seed's descriptor text). */
  summary: string;
}

export interface FrameworkGroup {
  code: string | null;
  name: string;
  elements: FrameworkElement[];
}

export interface Framework {
  key: string;
  name: string;
  publisher: string | null;
  /** From the first step to the last; a school picks one, the product never computes it. */
  levels: string[];
  groups: FrameworkGroup[];
  prompts?: string[];
  builtIn: boolean;
}

export const FRAMEWORK_KEY = /^[a-z0-9][a-z0-9-]{1,40}$/;
export const ELEMENT_KEY = /^[a-z0-9][a-z0-9./-]{0,60}$/;

export function frameworkElements(framework: Framework): Array<FrameworkElement & { group: string }> {
  return framework.groups.flatMap((g) => g.elements.map((e) => ({ ...e, group: g.name })));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown, max: number) => typeof v === 'string' && v.trim().length > 0 && v.length <= max;

/**
 * Checks a framework a programme uploads as JSON: a key, a name, 2 to 7 levels, groups of
 * elements with keys unique in the framework. Every problem is reported with its path.
 */
export function validateFramework(input: unknown, takenKeys: readonly string[] = []): { ok: true; framework: Framework } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const at = (field: string, message: string) => problems.push({ field, message });
  if (!isObject(input)) return { ok: false, problems: [{ field: '', message: 'must be an object' }] };
  for (const key of Object.keys(input)) if (!['key', 'name', 'publisher', 'levels', 'groups'].includes(key)) at(key, 'is not a framework field');
  if (typeof input.key !== 'string' || !FRAMEWORK_KEY.test(input.key)) at('key', 'must be 2 to 41 lower-case letters, digits or hyphens, like "our-stem-grid"');
  else if (takenKeys.includes(input.key)) at('key', 'is already the key of another framework');
  if (!text(input.name, 200)) at('name', 'must be a name of 1 to 200 characters');
  if (input.publisher !== undefined && input.publisher !== null && !text(input.publisher, 200)) at('publisher', 'must be text of at most 200 characters');
  const levels = input.levels;
  if (!Array.isArray(levels) || levels.length < 2 || levels.length > 7) at('levels', 'must list 2 to 7 levels, from the first step to the last');
  else {
    levels.forEach((level, i) => {
      if (!text(level, 80)) at(`levels[${i}]`, 'must be a name of 1 to 80 characters');
    });
    if (new Set(levels.map((l) => (typeof l === 'string' ? l.trim().toLowerCase() : l))).size !== levels.length) at('levels', 'must not repeat a level');
  }
  const keys = new Set<string>();
  let total = 0;
  if (!Array.isArray(input.groups) || input.groups.length < 1 || input.groups.length > 50) at('groups', 'must list 1 to 50 groups of elements');
  else {
    input.groups.forEach((g: unknown, i) => {
      const path = `groups[${i}]`;
      if (!isObject(g)) return at(path, 'must be an object');
      for (const key of Object.keys(g)) if (!['code', 'name', 'elements'].includes(key)) at(`${path}.${key}`, 'is not a group field');
      if (!text(g.name, 200)) at(`${path}.name`, 'must be a name of 1 to 200 characters');
      if (g.code !== undefined && g.code !== null && !text(g.code, 20)) at(`${path}.code`, 'must be text of at most 20 characters');
      if (!Array.isArray(g.elements) || g.elements.length < 1 || g.elements.length > 100) return at(`${path}.elements`, 'must list 1 to 100 elements');
      g.elements.forEach((e: unknown, j) => {
        const epath = `${path}.elements[${j}]`;
        total += 1;
        if (!isObject(e)) return at(epath, 'must be an object');
        for (const key of Object.keys(e)) if (!['key', 'code', 'name', 'summary'].includes(key)) at(`${epath}.${key}`, 'is not an element field');
        if (typeof e.key !== 'string' || !ELEMENT_KEY.test(e.key)) at(`${epath}.key`, 'must be 1 to 61 lower-case letters, digits, dots, slashes or hyphens');
        else if (keys.has(e.key)) at(`${epath}.key`, 'is used by another element of this framework');
        else keys.add(e.key);
        if (!text(e.name, 200)) at(`${epath}.name`, 'must be a name of 1 to 200 characters');
        if (e.code !== undefined && e.code !== null && !text(e.code, 20)) at(`${epath}.code`, 'must be text of at most 20 characters');
        if (e.summary !== undefined && e.summary !== null && !text(e.summary, 400)) at(`${epath}.summary`, 'must be text of at most 400 characters');
      });
    });
    if (total > 300) at('groups', 'must hold at most 300 elements in all');
  }
  if (problems.length > 0) return { ok: false, problems };
  const groups = (input.groups as Array<Record<string, unknown>>).map((g) => ({
    code: typeof g.code === 'string' ? g.code.trim() : null,
    name: (g.name as string).trim(),
    elements: (g.elements as Array<Record<string, unknown>>).map((e) => ({
      key: e.key as string,
      code: typeof e.code === 'string' ? e.code.trim() : null,
      name: (e.name as string).trim(),
      summary: typeof e.summary === 'string' ? e.summary.trim() : '',
    })),
  }));
  return {
    ok: true,
    framework: {
      key: input.key as string,
      name: (input.name as string).trim(),
      publisher: typeof input.publisher === 'string' ? input.publisher.trim() : null,
      levels: (levels as string[]).map((l) => l.trim()),
      groups,
      builtIn: false,
    },
  };
}

/** A cohort works on one or two elements at a time (the seeds' advice); at most six. */
export function checkElementChoice(framework: Framework, elementKeys: unknown): FieldProblem[] {
  if (!Array.isArray(elementKeys) || elementKeys.length < 1 || elementKeys.length > 6) return [{ field: 'elementKeys', message: 'must list 1 to 6 elements (one or two at a time is usual)' }];
  const known = new Set(frameworkElements(framework).map((e) => e.key));
  const problems: FieldProblem[] = [];
  elementKeys.forEach((key, i) => {
    if (typeof key !== 'string' || !known.has(key)) problems.push({ field: `elementKeys[${i}]`, message: `is not an element of ${framework.name}` });
  });
  if (new Set(elementKeys).size !== elementKeys.length) problems.push({ field: 'elementKeys', message: 'must not repeat an element' });
  return problems;
}
