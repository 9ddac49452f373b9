import type { DataSourceOptions, MixedList } from 'typeorm';
import { Foundation1764000000000 } from '../migrations/1764000000000-Foundation.js';
import { ProgrammeRecords1764100000000 } from '../migrations/1764100000000-ProgrammeRecords.js';
import { SchedulingEngine1764200000000 } from '../migrations/1764200000000-SchedulingEngine.js';
import { ClaimTimes1764300000000 } from '../migrations/1764300000000-ClaimTimes.js';
import { EventHandling1764400000000 } from '../migrations/1764400000000-EventHandling.js';
import { PageLinks1764500000000 } from '../migrations/1764500000000-PageLinks.js';
import { SelfEvaluation1764600000000 } from '../migrations/1764600000000-SelfEvaluation.js';
import { Ambassadors1764700000000 } from '../migrations/1764700000000-Ambassadors.js';
import { Surveys1764800000000 } from '../migrations/1764800000000-Surveys.js';
import { DashboardSignIn1764900000000 } from '../migrations/1764900000000-DashboardSignIn.js';
import { Privacy1765100000000 } from '../migrations/1765100000000-Privacy.js';
import { FanoutBatches1765200000000 } from '../migrations/1765200000000-FanoutBatches.js';
import { PostgresIncarnation1765300000000 } from '../migrations/1765300000000-PostgresIncarnation.js';
import { TermEvaluationKey1765400000000 } from '../migrations/1765400000000-TermEvaluationKey.js';
import { TokenExpiry1765500000000 } from '../migrations/1765500000000-TokenExpiry.js';
import { Ownership1765510000000 } from '../migrations/1765510000000-Ownership.js';
import { LinkTokensOutOfTheDatabase1765520000000 } from '../migrations/1765520000000-LinkTokensOutOfTheDatabase.js';
import { AuditInTransaction1765540000000 } from '../migrations/1765540000000-AuditInTransaction.js';
import { ConsentByPurpose1765550000000 } from '../migrations/1765550000000-ConsentByPurpose.js';
import { Accounts1765560000000 } from '../migrations/1765560000000-Accounts.js';
import { NotificationScope1765619000000 } from '../migrations/1765619000000-NotificationScope.js';
import { SchoolSearch1765611000000 } from '../migrations/1765611000000-SchoolSearch.js';
import { SessionChanges1765563190000 } from '../migrations/1765563190000-SessionChanges.js';
import { EnrichmentCorrectors1765620000000 } from '../migrations/1765620000000-EnrichmentCorrectors.js';
import { PlacedByPostcode1765630000000 } from '../migrations/1765630000000-PlacedByPostcode.js';
import { PeopleByName1765730000000 } from '../migrations/1765730000000-PeopleByName.js';
import { FigureSnapshots1765800000000 } from '../migrations/1765800000000-FigureSnapshots.js';

/** Every migration, in order. The schema changes only through these (never `synchronize`). */
export const MIGRATIONS = [
  Foundation1764000000000,
  ProgrammeRecords1764100000000,
  SchedulingEngine1764200000000,
  ClaimTimes1764300000000,
  EventHandling1764400000000,
  PageLinks1764500000000,
  SelfEvaluation1764600000000,
  Ambassadors1764700000000,
  Surveys1764800000000,
  DashboardSignIn1764900000000,
  Privacy1765100000000,
  FanoutBatches1765200000000,
  PostgresIncarnation1765300000000,
  TermEvaluationKey1765400000000,
  TokenExpiry1765500000000,
  Ownership1765510000000,
  LinkTokensOutOfTheDatabase1765520000000,
  AuditInTransaction1765540000000,
  ConsentByPurpose1765550000000,
  Accounts1765560000000,
  NotificationScope1765619000000,
  SchoolSearch1765611000000,
  SessionChanges1765563190000,
  EnrichmentCorrectors1765620000000,
  PlacedByPostcode1765630000000,
  PeopleByName1765730000000,
  FigureSnapshots1765800000000,
];

/** The channel the unit of work notifies on commit and the relay listens to. */
export const OUTBOX_CHANNEL = 'stemflow_outbox';

export function dataSourceOptions(
  databaseUrl: string,
  // TypeORM's own type for a list of entity classes.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function>,
  applicationName: string,
  poolSize = 10,
): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each',
    synchronize: false,
    applicationName,
    poolSize,
    extra: { connectionTimeoutMillis: 5_000 },
  };
}
