import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/env.js';
import { currentRequestId } from '../context/request-context.js';

/** Structured JSON logs for both apps; pretty output is left to the reader (`| npx pino-pretty`). */
export function loggerParams(config: AppConfig, processName: string): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      base: { process: processName },
      redact: ['req.headers.authorization', 'req.headers.cookie'],
      autoLogging: { ignore: (req) => req.url === '/health' },
      customProps: () => ({}),
      // Every line written while handling a request or a job names its request id, so one
      // search follows a join from the HTTP request through the event to the email.
      mixin: () => {
        const requestId = currentRequestId();
        return requestId ? { requestId } : {};
      },
    },
  };
}
