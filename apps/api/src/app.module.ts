import { BullModule } from '@nestjs/bullmq';
import { ExpressAdapter } from '@bull-board/express';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { BullBoardModule } from '@bull-board/nestjs';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import type { NextFunction, Request, Response } from 'express';
import type { Redis } from 'ioredis';
import { LoggerModule } from 'nestjs-pino';
import { DOMAIN_ENTITIES, loggerParams, PlatformModule, Queues, QUEUE_REDIS, type AppConfig } from '#domain';
import { NOTIFICATION_ENTITIES } from '#notifications';
import { ClockController } from './admin/clock.controller.js';
import { AuthGuard } from './auth/auth.guard.js';
import { TokensService } from './auth/tokens.service.js';
import { ProblemFilter } from './common/problem.filter.js';
import { HealthController } from './health/health.controller.js';
import { NotificationsController } from './notifications/notifications.controller.js';
import { NotificationsService } from './notifications/notifications.service.js';
import { PartnershipsController } from './partnerships/partnerships.controller.js';
import { PartnershipsService } from './partnerships/partnerships.service.js';
import { SchoolsImportService } from './schools/schools-import.service.js';
import { SchoolsController } from './schools/schools.controller.js';
import { SchoolsPagesController } from './schools/pages/schools-pages.controller.js';
import { SchoolsService } from './schools/schools.service.js';
import { Access } from './auth/access.js';
import { TemplatesController } from './notifications/templates.controller.js';
import { UnsubscribeController, UnsubscribeService } from './pages/unsubscribe.controller.js';
import { PageLinks, PageLinksController } from './pages/page-links.js';
import { ReportsController } from './reports/reports.controller.js';
import { ReportsService } from './reports/reports.service.js';
import { DashboardPagesController } from './dashboard/pages/dashboard-pages.controller.js';
import { DashboardAuth } from './dashboard/dashboard-auth.js';
import { SignInPagesController } from './auth/pages/sign-in-pages.controller.js';
import { CalendarsController } from './calendars/calendars.controller.js';
import { CalendarsService } from './calendars/calendars.service.js';
import { CalendarsPagesController } from './calendars/pages/calendars-pages.controller.js';
import { CpdController } from './cpd/cpd.controller.js';
import { CpdPagesController } from './cpd/pages/cpd-pages.controller.js';
import { AmbassadorsPagesController } from './ambassadors/pages/ambassadors-pages.controller.js';
import { CpdService } from './cpd/cpd.service.js';
import { EnrichmentController } from './enrichment/enrichment.controller.js';
import { EnrichmentService } from './enrichment/enrichment.service.js';
import { PeopleController } from './people/people.controller.js';
import { PeoplePagesController } from './people/pages/people-pages.controller.js';
import { PartnershipsPagesController } from './partnerships/pages/partnerships-pages.controller.js';
import { EnrichmentPagesController } from './enrichment/pages/enrichment-pages.controller.js';
import { PeopleService } from './people/people.service.js';
import { ProgrammesController } from './programmes/programmes.controller.js';
import { ProgrammesService } from './programmes/programmes.service.js';
import { ProgrammesPagesController } from './programmes/pages/programmes-pages.controller.js';
import { SchoolRecordsService } from './schools/school-records.service.js';
import { SchoolTimelineService } from './schools/school-timeline.service.js';
import { SurveyPageController, SurveyPages } from './surveys/survey-page.controller.js';
import { SurveysController } from './surveys/surveys.controller.js';
import { SurveysService } from './surveys/surveys.service.js';
import { SelfEvaluationController } from './self-evaluation/self-evaluation.controller.js';
import { SelfEvaluationService } from './self-evaluation/self-evaluation.service.js';
import { SelfEvaluationPageController, SelfEvaluationPageService } from './self-evaluation/self-evaluation.page.js';
import { AmbassadorRequestsController, AmbassadorsController } from './ambassadors/ambassadors.controller.js';
import { AmbassadorsService } from './ambassadors/ambassadors.service.js';
import { AmbassadorRequestsService } from './ambassadors/ambassador-requests.service.js';
import { OfferPageController, OfferPageService } from './ambassadors/offer-page.controller.js';
import { AmbassadorPrivacyController, PrivacyController } from './privacy/privacy.controller.js';
import { PrivacyService } from './privacy/privacy.service.js';
import { RetentionController } from './privacy/retention.controller.js';
import { AuditController } from './audit/audit.controller.js';
import { AuditService } from './audit/audit.service.js';
import { AuditPagesController } from './audit/pages/audit-pages.controller.js';
import { RetentionService } from './privacy/retention.service.js';
import { EmailsPagesController } from './notifications/pages/emails-pages.controller.js';
import { AuditInterceptor } from './audit/audit.interceptor.js';
import { ApiTokensController } from './auth/api-tokens.controller.js';
import { ApiTokensService } from './auth/api-tokens.service.js';
import { PageRateLimit, RateLimits } from './common/rate-limits.js';
import { AccountsService } from './accounts/accounts.service.js';
import { FirstAdmin } from './accounts/first-admin.js';
import { UsersController } from './accounts/users.controller.js';
import { TokensPagesController, UsersPagesController } from './accounts/pages/accounts-pages.controller.js';

/** The queue dashboard is for admins; a browser signs in with Basic auth, the token as password. */
function queueDashboardGuard(tokens: TokensService) {
  return (req: Request, res: Response, next: NextFunction) => {
    const token = TokensService.tokenFrom(req.headers.authorization);
    (token ? tokens.principalFor(token) : Promise.resolve(undefined))
      .then((principal) => {
        if (principal?.role === 'admin') return next();
        res.setHeader('WWW-Authenticate', 'Basic realm="stemflow queues (password: an admin token)"');
        res
          .status(401)
          .type('application/problem+json')
          .send(JSON.stringify({ type: 'https://stemflow.dev/problems/unauthenticated', title: 'An admin token is required', status: 401 }));
      })
      .catch(next);
  };
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot(loggerParams(config, 'api')),
        PlatformModule.forRoot(config, 'stemflow-api', [...DOMAIN_ENTITIES, ...NOTIFICATION_ENTITIES]),
        TerminusModule.forRoot({ logger: false }),
        BullModule.forRootAsync({
          inject: [QUEUE_REDIS],
          useFactory: (redis: Redis) => ({ connection: redis, prefix: config.queuePrefix }),
        }),
        BullModule.registerQueue({ name: Queues.Events }, { name: Queues.Notifications }, { name: Queues.Schedules }),
        BullBoardModule.forRootAsync({
          inject: [TokensService],
          useFactory: (tokens: TokensService) => ({
            route: '/admin/queues',
            adapter: ExpressAdapter,
            middleware: queueDashboardGuard(tokens),
            boardOptions: { uiConfig: { boardTitle: 'stemflow queues' } },
          }),
          imports: [AuthModule],
        }),
        BullBoardModule.forFeature({ name: Queues.Events, adapter: BullMQAdapter }, { name: Queues.Notifications, adapter: BullMQAdapter }, { name: Queues.Schedules, adapter: BullMQAdapter }),
        AuthModule,
      ],
      controllers: [
        ProgrammesController,
        ProgrammesPagesController,
        CalendarsController,
        CalendarsPagesController,
        SchoolsController,
        PartnershipsController,
        PeopleController,
        CpdController,
        CpdPagesController,
        AmbassadorsPagesController,
        EnrichmentController,
        NotificationsController,
        ClockController,
        HealthController,
        TemplatesController,
        UnsubscribeController,
        PageLinksController,
        ReportsController,
        DashboardPagesController,
        SignInPagesController,
        SchoolsPagesController,
        SurveysController,
        SurveyPageController,
        SelfEvaluationController,
        SelfEvaluationPageController,
        AmbassadorsController,
        AmbassadorRequestsController,
        OfferPageController,
        PrivacyController,
        AmbassadorPrivacyController,
        RetentionController,
        AuditController,
        ApiTokensController,
        UsersController,
        UsersPagesController,
        TokensPagesController,
        EmailsPagesController,
        AuditPagesController,
        PartnershipsPagesController,
        EnrichmentPagesController,
        PeoplePagesController,
      ],
      providers: [
        Access,
        // Pages reached from emails and the dashboard share one count per client address:
        // guessing tokens is slow, and a person clicking through their email never meets the limit.
        RateLimits,
        PageRateLimit,
        CalendarsService,
        UnsubscribeService,
        PageLinks,
        ReportsService,
        DashboardAuth,
        ProgrammesService,
        PeopleService,
        CpdService,
        EnrichmentService,
        SchoolRecordsService,
        SchoolTimelineService,
        SchoolsService,
        SchoolsImportService,
        PartnershipsService,
        NotificationsService,
        SurveysService,
        SurveyPages,
        SelfEvaluationService,
        SelfEvaluationPageService,
        AmbassadorsService,
        AmbassadorRequestsService,
        OfferPageService,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
        PrivacyService,
        { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
        ApiTokensService,
        AccountsService,
        FirstAdmin,
        AuditService,
        RetentionService,
      ],
    };
  }
}

@Module({ providers: [TokensService], exports: [TokensService] })
export class AuthModule {}
