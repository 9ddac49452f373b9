import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import type { Clock } from '../clock/clock.js';
import { recordCommittedWrite } from '../audit/audit-log.js';
import { currentAuditFacts, currentRequestId } from '../context/request-context.js';
import type { DomainEvent } from '../events/domain-event.js';
import { OutboxEvent } from '../outbox/outbox-event.entity.js';
import { OUTBOX_CHANNEL } from './data-source.js';

export interface Transaction {
  readonly manager: EntityManager;
  /** The clock's time when the transaction began: one instant for every row it writes. */
  readonly now: Date;
  /** Records an event; it reaches the outbox only if the transaction commits. */
  record(event: DomainEvent<object>): void;
}

/**
 * The one way to write a change and its events: the rows, the outbox events and, for an
 * API write, its audit row commit together or not at all, and the relay is woken on commit.
 */
export class UnitOfWork {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const now = await this.clock.now();
    return this.dataSource.transaction(async (manager) => {
      const events: DomainEvent<object>[] = [];
      const result = await work({ manager, now, record: (event) => events.push(event) });
      if (events.length > 0) {
        const requestId = currentRequestId() ?? null;
        const rows = manager.create(
          OutboxEvent,
          events.map((event) => ({
            id: randomUUID(),
            type: event.type,
            aggregateType: event.aggregateType,
            aggregateId: event.aggregateId,
            payload: event.payload as Record<string, unknown>,
            requestId,
            occurredAt: now,
            publishedAt: null,
          })),
        );
        // jsonb columns type as unknown records, which TypeORM's insert typing cannot follow.
        await manager.insert(OutboxEvent, rows as QueryDeepPartialEntity<OutboxEvent>[]);
        // NOTIFY is delivered on commit only, so the relay never wakes for a rolled-back change.
        await manager.query('SELECT pg_notify($1, $2)', [OUTBOX_CHANNEL, '']);
      }
      // Last, so that it sees whether anything above wrote.
      const audit = currentAuditFacts();
      if (audit) await recordCommittedWrite(manager, audit, now);
      return result;
    });
  }
}
