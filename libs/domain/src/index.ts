export * from './auth/api-token.entity.js';
export * from './auth/roles.js';
export * from './clock/clock.js';
export * from './config/env.js';
export * from './context/request-context.js';
export * from './database/data-source.js';
export * from './database/unit-of-work.js';
export * from './errors.js';
export * from './events/domain-event.js';
export * from './events/event-types.js';
export * from './outbox/outbox-event.entity.js';
export * from './partnerships/membership.entity.js';
export * from './partnerships/partnership.entity.js';
export * from './schools/gias-row.js';
export * from './schools/school-phase.js';
export * from './schools/school.entity.js';
export * from './queues.js';

import { ApiToken } from './auth/api-token.entity.js';
import { OutboxEvent } from './outbox/outbox-event.entity.js';
import { Membership } from './partnerships/membership.entity.js';
import { Partnership } from './partnerships/partnership.entity.js';
import { School } from './schools/school.entity.js';

export const DOMAIN_ENTITIES = [School, Partnership, Membership, OutboxEvent, ApiToken];
export * from './platform/platform.module.js';
export * from './platform/logging.js';
export * from './database/migrate.js';
export * from './platform/shutdown.js';
