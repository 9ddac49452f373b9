import { AsyncLocalStorage } from 'node:async_hooks';
import type { AuditFacts } from '../audit/audit-log.js';

/**
 * Carries the id of the request (or of the job acting on its behalf) across awaits, so
 * that an outbox event, the job it becomes and the notification it causes all log the
 * id of the HTTP request that started them. For an API write it carries also what the
 * audit knows of it, so the unit of work can write the audit row with the change.
 */
export interface RequestContext {
  requestId: string;
  audit?: AuditFacts;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** Marks the current request as an audited write; false when there is no request context to carry it. */
export function attachAuditFacts(facts: AuditFacts): boolean {
  const store = storage.getStore();
  if (!store) return false;
  store.audit = facts;
  return true;
}

export function currentAuditFacts(): AuditFacts | undefined {
  return storage.getStore()?.audit;
}
