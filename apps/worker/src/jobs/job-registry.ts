import { Injectable, SetMetadata } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { Job } from 'bullmq';
import { batchJobName, EventTypes, JobNames, Queues, REACTIVE_EVENT_TYPES, ScheduledActionKinds, TICK_JOB } from '#domain';

const HANDLES_JOB = Symbol('stemflow:handles-job');

export type QueueName = (typeof Queues)[keyof typeof Queues];

export interface JobTarget {
  queue: QueueName;
  name: string;
}

// Each handler declares its own job's data type; the registry holds them all, so it cannot name one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JobHandler = (data: any, job: Job, token: string | undefined) => Promise<unknown>;

/** Marks a method as the one handler of a job: an event type on the events queue, or a named job. */
export const HandlesJob = (queue: QueueName, name: string): MethodDecorator => SetMetadata(HANDLES_JOB, { queue, name } satisfies JobTarget);

/** Every job the worker must be able to run: each needs exactly one handler. */
const REQUIRED_JOBS: JobTarget[] = [
  ...REACTIVE_EVENT_TYPES.map((name) => ({ queue: Queues.Events, name })),
  { queue: Queues.Notifications, name: JobNames.SendNotification },
  { queue: Queues.Notifications, name: JobNames.SendNotifications },
  { queue: Queues.Schedules, name: TICK_JOB },
  ...Object.values(ScheduledActionKinds).map((name) => ({ queue: Queues.Schedules, name })),
];

const KNOWN_JOBS = new Set<string>([
  ...Object.values(EventTypes).map((name) => `${Queues.Events}/${name}`),
  ...Object.values(JobNames).map((name) => `${Queues.Notifications}/${name}`),
  `${Queues.Schedules}/${TICK_JOB}`,
  ...Object.values(ScheduledActionKinds).map((name) => `${Queues.Schedules}/${name}`),
  // Optional: a kind whose workflow takes its due actions in batches.
  ...Object.values(ScheduledActionKinds).map((name) => `${Queues.Schedules}/${batchJobName(name)}`),
]);

export class JobRegistryError extends Error {}

/**
 * Collects the @HandlesJob methods at start-up and refuses to boot when a job has no
 * handler or two (one job registry, checked when the worker starts).
 */
@Injectable()
export class JobRegistry {
  private readonly handlers = new Map<string, JobHandler>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  build(): void {
    const found = new Map<string, string[]>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const target = this.reflector.get<JobTarget | undefined>(HANDLES_JOB, (instance as Record<string, () => unknown>)[method]);
        if (!target) continue;
        const key = `${target.queue}/${target.name}`;
        found.set(key, [...(found.get(key) ?? []), `${instance.constructor.name}.${method}`]);
        this.handlers.set(key, ((instance as Record<string, unknown>)[method] as JobHandler).bind(instance));
      }
    }
    const problems: string[] = [];
    for (const [key, owners] of found) {
      if (!KNOWN_JOBS.has(key)) problems.push(`${owners.join(', ')} handles ${key}, which is not a known event type or job name`);
      if (owners.length > 1) problems.push(`${key} has ${owners.length} handlers (${owners.join(', ')}); it must have exactly one`);
    }
    for (const { queue, name } of REQUIRED_JOBS) {
      if (!found.has(`${queue}/${name}`)) problems.push(`${queue}/${name} has no handler`);
    }
    if (problems.length > 0) throw new JobRegistryError(`job registry is not valid:\n${problems.join('\n')}`);
  }

  handlerFor(queue: QueueName, name: string): JobHandler | undefined {
    return this.handlers.get(`${queue}/${name}`);
  }
}
