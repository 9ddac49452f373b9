import { Worker } from 'node:worker_threads';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '#domain';
import type { DeliveryOutcome, DeliveryReply, DeliveryRequest, DeliverySettings } from './delivery-protocol.js';

/**
 * The worker's side of its SMTP delivery thread (delivery-thread.ts): hands it built
 * messages and answers each with how its delivery ended.
 */
@Injectable()
export class SmtpDelivery implements OnApplicationShutdown {
  private readonly thread: Worker;
  private readonly waiting = new Map<number, (outcome: DeliveryOutcome) => void>();
  private nextSeq = 0;
  private closing = false;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('SmtpDelivery');
    const settings: DeliverySettings = {
      smtpUrl: config.smtpUrl,
      databaseUrl: config.databaseUrl,
      inFlight: config.smtpInFlight,
      leaseMs: config.sendLeaseMs,
    };
    this.thread = new Worker(new URL('./delivery-thread.js', import.meta.url), { workerData: settings, name: 'smtp-delivery' });
    this.thread.on('message', (reply: DeliveryReply) => {
      const answer = this.waiting.get(reply.seq);
      this.waiting.delete(reply.seq);
      answer?.(reply.outcome);
    });
    this.thread.on('error', (error) => this.died(error));
    this.thread.on('exit', (code) => this.closing || this.died(new Error(`the SMTP delivery thread exited (${code})`)));
  }

  deliver(request: Omit<DeliveryRequest, 'seq'>): Promise<DeliveryOutcome> {
    const seq = (this.nextSeq += 1);
    // A copy of its own, moved to the thread: a small Buffer is a view of a pool shared with others.
    const raw = new Uint8Array(request.raw);
    return new Promise((resolve) => {
      this.waiting.set(seq, resolve);
      this.thread.postMessage({ ...request, raw, seq } satisfies DeliveryRequest, [raw.buffer]);
    });
  }

  /** By now the job runner has let every job in hand finish, so nothing is waiting on the thread. */
  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    const exited = new Promise((resolve) => this.thread.once('exit', resolve));
    this.thread.postMessage('close');
    await exited;
  }

  /**
   * Without its delivery thread the worker cannot tell which messages went, so it stops as
   * a crash would: nothing is lost, the claims it held run out and another worker (or this
   * one, restarted) takes them over.
   */
  private died(error: Error): void {
    this.logger.fatal({ err: error, inHand: this.waiting.size }, 'the SMTP delivery thread died; the worker stops');
    process.exit(1);
  }
}
