import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication, NestExpressBodyParserOptionsFor } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { closeOnSignals, configOrExit, runWithRequestContext, type AppConfig } from '#domain';
import { AppModule } from './app.module.js';
import { refuseDeepJson } from './common/json-depth.js';
import { shedLoad } from './common/load-shedding.js';
import { validationPipe } from './common/validation.js';
import { sameOriginForms, securityHeaders } from './web/security.js';
import { setUpPages } from './web/pages.js';
import { formTokens } from './web/form-tokens.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

export async function createApi(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  // Who may name the client in X-Forwarded-For (TRUST_PROXY); by default the socket's address is the client.
  app.set('trust proxy', config.trustProxy);
  // The request id (the caller's X-Request-Id when sane, else a new one) follows the work
  // from here into the outbox event, its job and the notification it causes.
  app.use((req: Request & { id?: string }, res: Response, next: NextFunction) => {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    req.id = requestId;
    res.setHeader('X-Request-Id', requestId);
    runWithRequestContext({ requestId }, next);
  });
  app.use(shedLoad(config.maxRequestsInFlight));
  // Security headers and no-store, by path (a regular expression given to app.use never
  // fired under Express 5: a mount path must end at a '/', and that one swallowed it).
  app.use(securityHeaders(config));
  // Nest keeps body-parser's verify for { rawBody: true }, which this app does not use.
  app.useBodyParser('json', { limit: '1mb', verify: refuseDeepJson } as NestExpressBodyParserOptionsFor<'json'>);
  app.useBodyParser('urlencoded', { extended: false, limit: '16kb' });
  app.useBodyParser('text', { type: ['text/csv', 'application/csv', 'text/plain'], limit: '25mb' });
  // After the body parsers: a one-click unsubscribe is told by its body.
  app.use(sameOriginForms(config));
  // Then the form token every console form and the sign-in form carry.
  app.use(formTokens(config));
  // The API's controllers name their own paths under /api/v1; pages (the console, the
  // pages opened from emails) live at the site's root, so an area can have both a page and
  // an API address without a list of exceptions to keep.
  app.useGlobalPipes(validationPipe());
  setUpPages(app);

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('stemflow API')
      .setDescription('Run STEM education programmes: partnerships, schools, notifications. Errors are application/problem+json (RFC 9457).')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}

async function main(): Promise<void> {
  const config = configOrExit('api');
  const app = await createApi(config);
  const server = await app.listen(config.port, process.env.HOST ?? '0.0.0.0');
  // Node closes an idle kept-alive connection after 5 s; a client or load balancer reusing it
  // at that moment has its request dropped. Idle connections stay longer than a proxy's usual 60 s.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  closeOnSignals(app, 'api');
}

main().catch((error: unknown) => {
  process.stderr.write(`stemflow api: could not start: ${(error as Error)?.message ?? error}\n`);
  process.exit(1);
});
