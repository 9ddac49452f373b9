import { createHash } from 'node:crypto';
import { HttpException, HttpStatus, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { APP_CONFIG, PROBE_REDIS, type AppConfig } from '#domain';

/** A 429: the filter adds Retry-After, and a page when a browser asked. */
export class TooManyRequests extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests from this client; try again in ${retryAfterSeconds} s.`, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/**
 * Counts kept in Redis, so every API replica shares them. While Redis cannot answer, each
 * replica counts on its own in memory (the same limits, per replica) rather than letting
 * everything through or refusing everyone.
 */
@Injectable()
export class RateLimits {
  private readonly pages: RateLimiterRedis;
  private readonly signInEmails: RateLimiterRedis;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(PROBE_REDIS) redis: Redis) {
    const limiter = (name: string, points: number, duration: number) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${config.queuePrefix}:limits:${name}`,
        points,
        duration,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix: name, points, duration }),
      });
    this.pages = limiter('pages', config.pageRequestsPerMinute, 60);
    this.signInEmails = limiter('sign-in-emails', config.signInEmailsPerHour, 3_600);
  }

  /**
   * One request to a page reached from an email, or to the dashboard, by a client: every
   * such page shares one count, so guessing tokens is slow on all of them together.
   * Answers the seconds to wait when the client is over its limit.
   */
  async pageRequest(client: string): Promise<number | undefined> {
    return secondsToWait(this.pages, client);
  }

  /** Whether one more sign-in email may go to this address this hour (counted whether or not it goes). */
  async signInEmailAllowed(address: string): Promise<boolean> {
    // The address is counted by its hash: Redis holds no one's email address.
    const key = createHash('sha256').update(address.trim().toLowerCase()).digest('base64url');
    return (await secondsToWait(this.signInEmails, key)) === undefined;
  }
}

async function secondsToWait(limiter: RateLimiterRedis, key: string): Promise<number | undefined> {
  try {
    await limiter.consume(key);
    return undefined;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw rejection;
  }
}

/** Guards the pages people open from emails and the dashboard: one shared count per client. */
@Injectable()
export class PageRateLimit implements CanActivate {
  constructor(private readonly limits: RateLimits) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    // req.ip is the socket's address unless TRUST_PROXY names the proxy in front.
    const wait = await this.limits.pageRequest(request.ip ?? request.socket.remoteAddress ?? 'unknown');
    if (wait !== undefined) throw new TooManyRequests(wait);
    return true;
  }
}
