import { MAX_JSON_DEPTH, refuseDeepJson } from './json-depth.js';

const check = (text: string) => () => refuseDeepJson(undefined as never, undefined as never, Buffer.from(text));

describe('the depth of a JSON body', () => {
  it(`takes ${MAX_JSON_DEPTH} levels and refuses one more`, () => {
    expect(check(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`)).not.toThrow();
    expect(check(`${'{"a":'.repeat(MAX_JSON_DEPTH)}1${'}'.repeat(MAX_JSON_DEPTH)}`)).not.toThrow();
    expect(check(`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`)).toThrow(/more than 32 levels/);
    expect(check('['.repeat(500_000))).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ name: `[{"\\"${'['.repeat(100)}`, list: [[['ünïcødé 🧪']]] });
    expect(check(text)).not.toThrow();
  });

  it('counts siblings at their own level, not one after another', () => {
    expect(check(JSON.stringify(Array.from({ length: 100 }, () => [[{ a: [1] }]])))).not.toThrow();
  });
});
