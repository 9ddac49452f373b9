import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { AppConfig } from '#domain';
import { SendRate } from './send-rate.js';

describe('SendRate', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  afterAll(() => redis.disconnect());

  it('lets the first asks of a round trip go, up to the rate, and counts every email asked for', async () => {
    const queuePrefix = `send-rate-spec-${randomUUID()}`;
    const rate = new SendRate({ queuePrefix, sendRatePerSecond: 3 } as AppConfig, redis);
    // Five emails at once, against three a second: one INCRBY in a fresh second's window.
    expect(await rate.allow(5)).toEqual([true, true, true, false, false]);
    const [key] = await redis.keys(`${queuePrefix}:send-rate:*`);
    expect(await redis.get(key)).toBe('5');
    // The window cleans itself up.
    expect(await redis.pttl(key)).toBeGreaterThan(0);
    await redis.del(key);
  });
});
