import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/env.js';
import { currentRequestId } from '../context/request-context.js';

/**
 * The secret part of an address: the segment after a page's prefix (`/e/<token>`,
 * `/s/…`, `/r/…`, `/u/…`, `/dashboard/sign-in/<token>`, and their `…/renew`), and a token
 * or session in a query string. Whoever reads a log must not be able to open the page.
 */
// Case-insensitive, as Express's routing is: `/E/<token>` opens the page too.
const TOKEN_IN_PATH = /(\/(?:e|r|s|u|(?:dashboard\/)?sign-in))\/[^/?#\s"'<>]+/gi;
const TOKEN_IN_QUERY = /([?&](?:token|session|secret)=)[^&#\s"'<>]+/gi;
const REDACTED = '[redacted]';

/** A path, URL or message with every link token in it replaced by `[redacted]`. */
export function redactTokens(text: string): string {
  return text.replace(TOKEN_IN_PATH, `$1/${REDACTED}`).replace(TOKEN_IN_QUERY, `$1${REDACTED}`);
}

type Serialized = Record<string, unknown>;

/** Headers as logged: credentials and cookies (both ways) hidden, addresses without their tokens. */
function loggedHeaders(headers: unknown): Serialized {
  const logged: Serialized = {};
  for (const [name, value] of Object.entries((headers as Serialized | undefined) ?? {})) {
    const key = name.toLowerCase();
    if (key === 'authorization' || key === 'cookie' || key === 'set-cookie' || key === 'proxy-authorization') logged[name] = REDACTED;
    else if (typeof value === 'string') logged[name] = redactTokens(value);
    else logged[name] = value;
  }
  return logged;
}

/**
 * What pino-http logs of a request: its address without tokens (the route's params and the
 * parsed query are left out, as they repeat the address's parts, tokens included).
 */
function loggedRequest(req: Serialized): Serialized {
  return {
    id: req.id,
    method: req.method,
    url: typeof req.url === 'string' ? redactTokens(req.url) : req.url,
    headers: loggedHeaders(req.headers),
    remoteAddress: req.remoteAddress,
    remotePort: req.remotePort,
  };
}

function loggedResponse(res: Serialized): Serialized {
  return { statusCode: res.statusCode, headers: loggedHeaders(res.headers) };
}

/** An error's text can quote the address it failed on (a 404's "Cannot GET /e/…"). */
function loggedError(err: Serialized): Serialized {
  const logged: Serialized = { ...err };
  for (const [key, value] of Object.entries(logged)) if (typeof value === 'string') logged[key] = redactTokens(value);
  return logged;
}

/** Structured JSON logs for both apps; pretty output is left to the reader (`| npx pino-pretty`). */
export function loggerParams(config: AppConfig, processName: string): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      base: { process: processName },
      serializers: { req: loggedRequest, res: loggedResponse, err: loggedError },
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
