import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Carries the id of the request (or of the job acting on its behalf) across awaits, so
 * that an outbox event, the job it becomes and the notification it causes all log the
 * id of the HTTP request that started them.
 */
export interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
