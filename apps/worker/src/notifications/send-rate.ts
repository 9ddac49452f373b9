import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, QUEUE_REDIS, RoundTripBatcher, type AppConfig } from '#domain';

/**
 * SEND_RATE_PER_SECOND, counted in emails across every worker: a one-second window counted
 * in Redis. BullMQ's own limiter counts jobs, and a send job can carry a batch of 25. Sends
 * arriving together take their turns in one round trip; those past the window's allowance
 * wait for the next second. (Wall-clock seconds: a rate is about the SMTP server's real
 * time, not the programme's clock.)
 */
@Injectable()
export class SendRate {
  private readonly turns = new RoundTripBatcher<null, boolean>((asks) => this.allow(asks.length));

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(QUEUE_REDIS) private readonly redis: Redis,
  ) {}

  /** Resolves when this email may go. */
  async turn(): Promise<void> {
    while (!(await this.turns.run(null))) await sleep(1_000 - (Date.now() % 1_000) + 1);
  }

  /** The first of these `count` asks that still fit this second's allowance get it. */
  async allow(count: number): Promise<boolean[]> {
    const key = `${this.config.queuePrefix}:send-rate:${Math.floor(Date.now() / 1_000)}`;
    const answers = await this.redis.multi().incrby(key, count).pexpire(key, 2_000).exec();
    const used = Number(answers?.[0]?.[1] ?? Number.MAX_SAFE_INTEGER);
    const left = Math.max(0, this.config.sendRatePerSecond - (used - count));
    return Array.from({ length: count }, (_, i) => i < left);
  }
}
