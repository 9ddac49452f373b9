import fc from 'fast-check';
import { sendJobOptions, sendRetryDelayMs } from './ledger.js';

describe('sendRetryDelayMs', () => {
  it('waits as the send job backoff would after that many tries: doubling, with up to half left to chance', () => {
    const { backoff } = sendJobOptions('id', 5, { attempts: 5, baseMs: 1_000 });
    fc.assert(
      fc.property(fc.integer({ min: 50, max: 60_000 }), fc.integer({ min: 1, max: 10 }), (baseMs, attempt) => {
        const full = baseMs * 2 ** (attempt - 1);
        const delay = sendRetryDelayMs(baseMs, attempt);
        expect(delay).toBeGreaterThanOrEqual(Math.round(full * (1 - backoff.jitter)));
        expect(delay).toBeLessThanOrEqual(full);
      }),
    );
    expect(backoff.type).toBe('exponential');
  });
});
