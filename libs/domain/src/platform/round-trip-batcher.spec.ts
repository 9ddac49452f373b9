import { RoundTripBatcher } from './round-trip-batcher.js';

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('a round-trip batcher', () => {
  it('sends calls made together in one round trip and answers each its own result', async () => {
    const trips: number[][] = [];
    const batcher = new RoundTripBatcher<number, string>(async (keys) => (trips.push(keys), keys.map((k) => `#${k}`)));
    expect(await Promise.all([1, 2, 3].map((k) => batcher.run(k)))).toEqual(['#1', '#2', '#3']);
    expect(trips).toEqual([[1, 2, 3]]);
  });

  it('gathers the calls made while a round trip is in flight into the next', async () => {
    const trips: number[][] = [];
    const answers: Array<ReturnType<typeof deferred<string[]>>> = [];
    const batcher = new RoundTripBatcher<number, string>((keys) => {
      trips.push(keys);
      const answer = deferred<string[]>();
      answers.push(answer);
      return answer.promise;
    });
    const first = batcher.run(1);
    await Promise.resolve();
    const later = [2, 3, 4].map((k) => batcher.run(k));
    await new Promise((r) => setImmediate(r));
    expect(trips).toEqual([[1]]);
    answers[0].resolve(['one']);
    expect(await first).toBe('one');
    await new Promise((r) => setImmediate(r));
    expect(trips).toEqual([[1], [2, 3, 4]]);
    answers[1].resolve(['two', 'three', 'four']);
    expect(await Promise.all(later)).toEqual(['two', 'three', 'four']);
  });

  it('keeps batches to their largest size', async () => {
    const trips: number[][] = [];
    const batcher = new RoundTripBatcher<number, number>(async (keys) => (trips.push(keys), keys), 2);
    await Promise.all([1, 2, 3, 4, 5].map((k) => batcher.run(k)));
    expect(trips).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('fails every call of a failed round trip and carries on with the next', async () => {
    let fail = true;
    const batcher = new RoundTripBatcher<number, number>(async (keys) => {
      if (fail) throw new Error('connection lost');
      return keys;
    });
    const failed = await Promise.allSettled([1, 2].map((k) => batcher.run(k)));
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await batcher.run(3)).toBe(3);
  });
});
