import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/env.js';

/** Structured JSON logs for both apps; pretty output is left to the reader (`| npx pino-pretty`). */
export function loggerParams(config: AppConfig, processName: string): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      base: { process: processName },
      redact: ['req.headers.authorization', 'req.headers.cookie'],
      autoLogging: { ignore: (req) => req.url === '/health' },
      customProps: () => ({}),
    },
  };
}
