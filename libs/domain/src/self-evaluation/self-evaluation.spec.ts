import { readFileSync } from 'node:fs';
import { FRAMEWORK_KEYS } from '../programmes/frameworks.js';
import { BUILT_IN_FRAMEWORKS } from './builtin-frameworks.js';
import { compareWithEarlier } from './comparison.js';
import { buildForm, readAnswers } from './form.js';
import { checkElementChoice, frameworkElements, validateFramework } from './frameworks.js';

// The programme's framework seeds, kept with the tests so that every checkout checks against them.
const seedsFile = new URL('../../../../test/fixtures/frameworks.json', import.meta.url);

describe('built-in frameworks', () => {
  it('are the keys programmes validate against, each element with a unique key and a summary', () => {
    expect(BUILT_IN_FRAMEWORKS.map((f) => f.key)).toEqual([...FRAMEWORK_KEYS]);
    for (const framework of BUILT_IN_FRAMEWORKS) {
      const elements = frameworkElements(framework);
      expect(new Set(elements.map((e) => e.key)).size).toBe(elements.length);
      for (const e of elements) expect(e.summary.length).toBeGreaterThan(10);
    }
  });

  it('hold the structure of the framework seeds (test/fixtures/frameworks.json): names, levels, element counts', () => {
    const seeds: { frameworks: Array<{ key: string; name: string; levels: string[]; groups: Array<{ elements: unknown[] }>; subjects?: string[] }> } = JSON.parse(readFileSync(seedsFile, 'utf8'));
    for (const seed of seeds.frameworks) {
      const built = BUILT_IN_FRAMEWORKS.find((f) => f.key === seed.key)!;
      expect(built.name).toBe(seed.name);
      expect(built.levels).toEqual(seed.levels);
      const count = seed.groups.reduce((n, g) => n + g.elements.length, 0) * (seed.subjects?.length ?? 1);
      expect(frameworkElements(built)).toHaveLength(count);
    }
  });
});

describe('validateFramework', () => {
  const valid = { key: 'tees-grid', name: 'Tees grid', levels: ['Emerging', 'Secure'], groups: [{ name: 'Leadership', elements: [{ key: 'vision', name: 'Vision' }] }] };

  it('accepts a well-formed framework and fills what is optional', () => {
    const checked = validateFramework(valid);
    expect(checked).toMatchObject({ ok: true, framework: { key: 'tees-grid', publisher: null, builtIn: false, groups: [{ code: null, elements: [{ key: 'vision', code: null, summary: '' }] }] } });
  });

  it('reports each problem with its path', () => {
    const checked = validateFramework(
      {
        ...valid,
        key: 'iris-ri',
        levels: ['Only one'],
        extra: true,
        groups: [
          {
            name: 'G',
            elements: [
              { key: 'a', name: 'A' },
              { key: 'a', name: 'Again' },
              { key: 'BAD KEY', name: '' },
            ],
          },
        ],
      },
      ['iris-ri'],
    );
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.problems.map((p) => p.field)).toEqual(['extra', 'key', 'levels', 'groups[0].elements[1].key', 'groups[0].elements[2].key', 'groups[0].elements[2].name']);
  });

  it('refuses too many levels, repeated levels and no groups', () => {
    const problems = (input: unknown) => (validateFramework(input) as { problems: Array<{ field: string }> }).problems.map((p) => p.field);
    expect(problems({ ...valid, levels: ['1', '2', '3', '4', '5', '6', '7', '8'] })).toEqual(['levels']);
    expect(problems({ ...valid, levels: ['Same', 'same'] })).toEqual(['levels']);
    expect(problems({ ...valid, groups: [] })).toEqual(['groups']);
    expect(problems('nope')).toEqual(['']);
  });

  it('checks a cohort choice against the framework', () => {
    const iris = BUILT_IN_FRAMEWORKS[0];
    expect(checkElementChoice(iris, ['1.5', '2.1'])).toEqual([]);
    expect(checkElementChoice(iris, ['1.5', '9.9']).map((p) => p.field)).toEqual(['elementKeys[1]']);
    expect(checkElementChoice(iris, []).map((p) => p.field)).toEqual(['elementKeys']);
    expect(checkElementChoice(iris, ['1.1', '1.1']).map((p) => p.field)).toEqual(['elementKeys']);
  });
});

describe('answers and comparison', () => {
  const iris = BUILT_IN_FRAMEWORKS[0];
  const form = buildForm([{ framework: iris, elementKeys: ['1.5', '2.1', '3.1'] }]);

  it('lets a draft leave levels out, but a submission needs one per element', () => {
    expect(readAnswers(form, { 'level-0': '2' }, false).problems).toEqual([]);
    expect(readAnswers(form, { 'level-0': '2' }, true).problems.map((p) => p.field)).toEqual(['level-1', 'level-2']);
    expect(readAnswers(form, { 'level-0': '9', 'level-1': '1', 'level-2': '1' }, true).problems.map((p) => p.field)).toEqual(['level-0']);
    expect(readAnswers(form, { 'level-0': '1', 'evidence-0': '  CPD log  ' }, false).answers['iris-ri:1.5']).toEqual({ level: 1, evidence: 'CPD log', nextSteps: '' });
  });

  it('compares each element with the latest earlier level: up, same, down, new', () => {
    const answers = (levels: Array<number | null>) => Object.fromEntries(['1.5', '2.1', '3.1'].map((k, i) => [`iris-ri:${k}`, { level: levels[i], evidence: '', nextSteps: '' }]));
    const older = { form, answers: answers([1, 3, null]) };
    const last = { form: buildForm([{ framework: iris, elementKeys: ['1.5'] }]), answers: { 'iris-ri:1.5': { level: 2, evidence: '', nextSteps: '' } } };
    const compared = compareWithEarlier(form, answers([3, 2, 1]), [last, older]);
    expect(compared.map((c) => [c.name, c.then, c.now, c.movement])).toEqual([
      ['1.5 Practices: Self-evaluation', 'Embedding', 'Established', 'up'],
      ['2.1 Practical STEM', 'Established', 'Embedding', 'down'],
      ['3.1 STEM careers guidance', null, 'Starting out', 'new'],
    ]);
    expect(compareWithEarlier(form, answers([1, 3, 1]), [older]).map((c) => c.movement)).toEqual(['same', 'same', 'new']);
  });
});
