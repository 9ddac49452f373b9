import fc from 'fast-check';
import { TestPlatform } from '../support/platform.js';
import { emailedLinks } from '../support/programme.js';

/**
 * The three pages people open from their emails, fed random form bodies: the page's own
 * field names with random values, repeated fields (which arrive as lists), fields no form
 * has, and no fields at all. Every answer is a page (200, 303 or 422), never a 5xx, and the
 * page still opens afterwards.
 */
describe('the pages opened from emails, under random form bodies', () => {
  let platform: TestPlatform;
  const links: Record<'e' | 'r' | 's', string> = {} as never;

  beforeAll(async () => {
    platform = await TestPlatform.start({ name: 'page-forms-fuzz', env: { CLOCK: 'virtual' } });
    Object.assign(links, (await emailedLinks(platform, { name: 'Fuzz', urnBase: 960_000 })).links);
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const body = (names: string[]) =>
    fc
      .array(
        fc.tuple(
          fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 20 })),
          fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('', '0', '-1', '999999', 'yes', 'no', 'accept', 'submit', 'draft')),
        ),
        { maxLength: 12 },
      )
      .map((pairs) => new URLSearchParams(pairs).toString());

  for (const page of ['e', 'r', 's'] as const) {
    it(`/${page}/: every random body gets a page, never a 5xx`, async () => {
      const html = await (await fetch(links[page])).text();
      const names = [...new Set([...html.matchAll(/name="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&')))];
      expect(names.length).toBeGreaterThan(0);
      const statuses = new Set<number>();
      await fc.assert(
        fc.asyncProperty(body(names), async (form) => {
          const answer = await fetch(links[page], { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: platform.baseUrl }, body: form, redirect: 'manual' });
          statuses.add(answer.status);
          expect(answer.status).toBeLessThan(500);
          expect([200, 303, 422]).toContain(answer.status);
        }),
        { numRuns: 60, seed: 20_261_123 },
      );
      expect((await fetch(links[page])).status).toBe(200);
      process.stdout.write(`page fuzz /${page}/: 60 bodies, answers ${[...statuses].sort().join(', ')}\n`);
    });
  }
});
