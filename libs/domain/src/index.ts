export * from './auth/api-token.entity.js';
export * from './auth/roles.js';
export * from './auth/scope-fit.js';
export * from './auth/api-tokens.js';
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
export * from './cpd/booking-status.js';
export * from './cpd/cpd-vocabulary.js';
export * from './cpd/cpd.entities.js';
export * from './database/transformers.js';
export * from './enrichment/enrichment-details.js';
export * from './enrichment/enrichment-event.entity.js';
export * from './people/person-vocabulary.js';
export * from './people/person.entity.js';
export * from './people/contact-details.js';
export * from './programmes/frameworks.js';
export * from './programmes/programme.entity.js';
export * from './programmes/workflow-policy.js';
export * from './scheduling/schedule.js';
export * from './scheduling/scheduled-action.entity.js';
export * from './schools/school-history.entities.js';
export * from './schools/school-status.js';

import { ApiToken } from './auth/api-token.entity.js';
import { OutboxEvent } from './outbox/outbox-event.entity.js';
import { Membership } from './partnerships/membership.entity.js';
import { Partnership } from './partnerships/partnership.entity.js';
import { School } from './schools/school.entity.js';
import { BudgetEntry, CpdBooking, CpdCourse, CpdRecord, CpdSession } from './cpd/cpd.entities.js';
import { EnrichmentEvent } from './enrichment/enrichment-event.entity.js';
import { Person } from './people/person.entity.js';
import { Cohort, Programme } from './programmes/programme.entity.js';
import { ScheduledAction } from './scheduling/scheduled-action.entity.js';
import { PageLink } from './pages/page-link.js';
import { CohortSelfEvaluationChoice, SelfEvaluation, SelfEvaluationRevision, UploadedFramework } from './self-evaluation/self-evaluation.entities.js';
import { OfstedInspection, SchoolContact, SchoolStatusChange } from './schools/school-history.entities.js';
import { SurveyInvitation, SurveyResponse, SurveyResponseRevision } from './surveys/survey.entities.js';
import { Ambassador, AmbassadorOffer, AmbassadorRequest, OfferAnswer } from './ambassadors/ambassador.entities.js';

export const DOMAIN_ENTITIES = [
  School,
  Partnership,
  Membership,
  OutboxEvent,
  ApiToken,
  Programme,
  Cohort,
  Person,
  CpdCourse,
  CpdSession,
  CpdBooking,
  CpdRecord,
  BudgetEntry,
  EnrichmentEvent,
  ScheduledAction,
  SchoolStatusChange,
  SchoolContact,
  OfstedInspection,
  PageLink,
  SurveyInvitation,
  SurveyResponse,
  SurveyResponseRevision,
  SelfEvaluation,
  SelfEvaluationRevision,
  UploadedFramework,
  CohortSelfEvaluationChoice,
  Ambassador,
  AmbassadorRequest,
  AmbassadorOffer,
  OfferAnswer,
];
export * from './platform/platform.module.js';
export * from './platform/logging.js';
export * from './database/migrate.js';
export * from './platform/shutdown.js';
export * from './platform/worker-process.js';
export * from './platform/permits.js';
export * from './platform/round-trip-batcher.js';
export * from './partnerships/budget.js';
export * from './cpd/bookings.js';
export * from './cpd/attendance.js';
export * from './cpd/sessions.js';
export * from './calendars/academic-calendar.js';
export * from './calendars/builtin-calendars.js';
export * from './calendars/school-days.js';
export * from './scheduling/planner.js';
export * from './scheduling/preview.js';
export * from './programmes/branding.js';
export * from './pages/page-link.js';
export * from './reports/figures.js';
export * from './reports/report-query.js';
export * from './reports/suppression.js';
export * from './reports/csv.js';
export * from './reports/snapshots.js';
export * from './surveys/instruments.js';
export * from './surveys/survey.entities.js';
export * from './surveys/invitations.js';
export * from './surveys/aggregation.js';
export * from './surveys/planning.js';
export * from './self-evaluation/builtin-frameworks.js';
export * from './self-evaluation/frameworks.js';
export * from './self-evaluation/form.js';
export * from './self-evaluation/comparison.js';
export * from './self-evaluation/self-evaluation.entities.js';
export * from './self-evaluation/self-evaluations.js';
export * from './ambassadors/ambassador.entities.js';
export * from './ambassadors/ambassador.events.js';
export * from './ambassadors/distance.js';
export * from './ambassadors/locate.js';
export * from './ambassadors/matching.js';
export * from './ambassadors/offers.js';
export * from './privacy/consent.js';
export * from './privacy/pseudonym.js';
export * from './privacy/erasure.js';
export * from './privacy/retention.js';
export * from './audit/audit-log.js';
