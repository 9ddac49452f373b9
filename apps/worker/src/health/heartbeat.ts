import { hostname } from 'node:os';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { Redis } from 'ioredis';
import { APP_CONFIG, QUEUE_REDIS, WORKER_HEARTBEAT_MS, workersKey, type AppConfig } from '#domain';

/** The worker's liveness signal: a score per worker in Redis that /health reads. */
@Injectable()
export class Heartbeat implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly id = `${hostname()}:${process.pid}`;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(QUEUE_REDIS) private readonly redis: Redis,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    void this.beat();
    this.scheduler.addInterval(
      'worker-heartbeat',
      setInterval(() => void this.beat(), WORKER_HEARTBEAT_MS),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.zrem(workersKey(this.config.queuePrefix), this.id).catch(() => undefined);
  }

  private async beat(): Promise<void> {
    await this.redis.zadd(workersKey(this.config.queuePrefix), Date.now(), this.id).catch(() => undefined);
  }
}
