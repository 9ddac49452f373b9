import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator, type HealthCheckResult } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { APP_CONFIG, PROBE_REDIS, WORKER_HEARTBEAT_MS, workersKey, type AppConfig } from '#domain';
import { Public } from '../auth/auth.decorators.js';

/** How long one look at the dependencies answers for every /health request. */
const FRESH_FOR_MS = 1_000;

/**
 * 200 when the database and Redis answer, 503 when either does not; reports live workers too.
 * One look answers every request for a second, and requests that come while a look is under
 * way wait for it: a burst of probes costs one database connection, not one each.
 */
@ApiTags('health')
@Controller('health')
@Public()
export class HealthController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PROBE_REDIS) private readonly redis: Redis,
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
  ) {}

  private latest: { result: Promise<HealthCheckResult>; settledAt?: number } | undefined;

  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    const latest = this.latest;
    if (!latest || (latest.settledAt !== undefined && Date.now() - latest.settledAt >= FRESH_FOR_MS)) {
      const look = { result: this.look() } as { result: Promise<HealthCheckResult>; settledAt?: number };
      // A failed look (a 503) is an answer for a second as well.
      const settle = () => (look.settledAt = Date.now());
      look.result.then(settle, settle);
      this.latest = look;
    }
    return this.latest!.result;
  }

  private look(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 2_000 }),
      async () => {
        const indicator = this.indicators.check('redis');
        try {
          await this.redis.ping();
          return indicator.up();
        } catch (error) {
          return indicator.down({ message: (error as Error).message });
        }
      },
      async () => {
        // Workers are reported, not required: the API serves while workers restart.
        const indicator = this.indicators.check('workers');
        try {
          const key = workersKey(this.config.queuePrefix);
          await this.redis.zremrangebyscore(key, 0, Date.now() - 3 * WORKER_HEARTBEAT_MS);
          return indicator.up({ live: await this.redis.zcard(key) });
        } catch {
          return indicator.up({ live: null });
        }
      },
    ]);
  }
}
