import { Global, Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Redis } from 'ioredis';
import { DataSource, type MixedList } from 'typeorm';
import { Clock, SystemClock, VirtualClock } from '../clock/clock.js';
import type { AppConfig } from '../config/env.js';
import { dataSourceOptions } from '../database/data-source.js';
import { UnitOfWork } from '../database/unit-of-work.js';

/** Injection tokens for what every stemflow process shares. */
export const APP_CONFIG = Symbol('APP_CONFIG');
/** A Redis client for BullMQ: retries forever, as BullMQ requires. */
export const QUEUE_REDIS = Symbol('QUEUE_REDIS');
/** A Redis client that fails fast, for health checks and heartbeats. */
export const PROBE_REDIS = Symbol('PROBE_REDIS');

@Injectable()
class RedisClosers implements OnApplicationShutdown {
  constructor(
    @Inject(QUEUE_REDIS) private readonly queueRedis: Redis,
    @Inject(PROBE_REDIS) private readonly probeRedis: Redis,
  ) {}

  // Runs after BullMQ's workers and queues have closed (shutdown hooks run last).
  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.queueRedis.quit(), this.probeRedis.quit()]);
  }
}

/**
 * The database, Redis, the clock and the unit of work, wired the same way in the API,
 * the worker and the tools.
 */
@Global()
@Module({})
export class PlatformModule {
  // TypeORM's own type for a list of entity classes.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  static forRoot(config: AppConfig, processName: string, entities: MixedList<Function>, poolSize = 10): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(config.databaseUrl, entities, processName, poolSize),
          // Keep retrying at boot a few times: compose starts the database alongside us.
          retryAttempts: 5,
          retryDelay: 1_000,
        }),
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        {
          provide: Clock,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => (config.clock === 'virtual' ? new VirtualClock(dataSource) : new SystemClock()),
        },
        {
          provide: UnitOfWork,
          inject: [DataSource, Clock],
          useFactory: (dataSource: DataSource, clock: Clock) => new UnitOfWork(dataSource, clock),
        },
        {
          provide: QUEUE_REDIS,
          useFactory: () => new Redis(config.redisUrl, { maxRetriesPerRequest: null, connectionName: `${processName}-queue` }),
        },
        {
          provide: PROBE_REDIS,
          useFactory: () =>
            new Redis(config.redisUrl, {
              maxRetriesPerRequest: 1,
              enableOfflineQueue: false,
              connectTimeout: 2_000,
              connectionName: `${processName}-probe`,
            }),
        },
        RedisClosers,
      ],
      exports: [APP_CONFIG, Clock, UnitOfWork, QUEUE_REDIS, PROBE_REDIS, TypeOrmModule],
    };
  }
}
