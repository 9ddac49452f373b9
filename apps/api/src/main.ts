import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { closeOnSignals, configOrExit, runWithRequestContext, type AppConfig } from '#domain';
import { AppModule } from './app.module.js';
import { validationPipe } from './common/validation.js';
import { setUpPages } from './web/pages.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

export async function createApi(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  // The request id (the caller's X-Request-Id when sane, else a new one) follows the work
  // from here into the outbox event, its job and the notification it causes.
  app.use((req: Request & { id?: string }, res: Response, next: NextFunction) => {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    req.id = requestId;
    res.setHeader('X-Request-Id', requestId);
    runWithRequestContext({ requestId }, next);
  });
  // Pages opened from emails and the dashboard change with every answer: never from a cache.
  app.use(/^\/(e|r|s|u|dashboard)(\/|$)/, (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.useBodyParser('json', { limit: '1mb' });
  app.useBodyParser('urlencoded', { extended: false, limit: '16kb' });
  app.useBodyParser('text', { type: ['text/csv', 'application/csv', 'text/plain'], limit: '25mb' });
  app.setGlobalPrefix('api/v1', { exclude: ['health', 'admin/queues', 'admin/queues/{*path}', { path: 'u/:token', method: RequestMethod.ALL },
    // The pages people open from their emails: self-evaluation, an ambassador's offer, a survey.
    ...['e', 'r', 's'].map((prefix) => ({ path: `${prefix}/{*path}`, method: RequestMethod.ALL })),
    // The dashboard's pages, signed in with a cookie rather than a bearer token.
    { path: 'dashboard', method: RequestMethod.ALL }, { path: 'dashboard/{*path}', method: RequestMethod.ALL },
    // Signing in at the site's own address, and the page behind the emailed link.
    { path: '/', method: RequestMethod.ALL }, { path: 'check-your-email', method: RequestMethod.ALL }, { path: 'sign-in/:token', method: RequestMethod.ALL }] });
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
  await app.listen(config.port, process.env.HOST ?? '0.0.0.0');
  closeOnSignals(app, 'api');
}

main().catch((error: unknown) => {
  process.stderr.write(`stemflow api: could not start: ${(error as Error)?.message ?? error}\n`);
  process.exit(1);
});
