import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { closeOnSignals, configOrExit } from '#domain';
import { JobRegistryError } from './jobs/job-registry.js';
import { WorkerModule } from './worker.module.js';

async function main(): Promise<void> {
  const config = configOrExit('worker');
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  await app.init();
  closeOnSignals(app, 'worker');
}

main().catch((error: unknown) => {
  const message = error instanceof JobRegistryError ? error.message : `worker could not start: ${(error as Error)?.message ?? error}`;
  for (const line of message.split('\n')) process.stderr.write(`stemflow worker: ${line}\n`);
  process.exit(1);
});
