import { createServer, type Server } from 'node:http';
import { Writable } from 'node:stream';
import { pinoHttp, type Options } from 'pino-http';
import type { AppConfig } from '../config/env.js';
import { loggerParams, redactTokens } from './logging.js';

const TOKEN = 'Qx7rT0kLm3nB5vC8zX1aS4dF6gH9jK2lP0oI7uY5tR3';

describe('tokens in logged addresses', () => {
  it.each([
    [`/e/${TOKEN}`, '/e/[redacted]'],
    [`/s/${TOKEN}/renew`, '/s/[redacted]/renew'],
    [`/r/${TOKEN}?answer=yes`, '/r/[redacted]?answer=yes'],
    [`/u/abc_DEF-123`, '/u/[redacted]'],
    [`/E/${TOKEN}`, '/E/[redacted]'],
    [`/Dashboard/Sign-In/${TOKEN}`, '/Dashboard/Sign-In/[redacted]'],
    [`/dashboard/sign-in/${TOKEN}`, '/dashboard/sign-in/[redacted]'],
    [`http://127.0.0.1:3000/e/${TOKEN}#top`, 'http://127.0.0.1:3000/e/[redacted]#top'],
    [`Cannot GET /e/${TOKEN}/x`, 'Cannot GET /e/[redacted]/x'],
    [`/dashboard?session=${TOKEN}&a=1`, '/dashboard?session=[redacted]&a=1'],
    ['/dashboard/sign-in', '/dashboard/sign-in'],
    ['/api/v1/schools/e0c1/self-evaluations', '/api/v1/schools/e0c1/self-evaluations'],
  ])('%s is logged as %s', (given, logged) => {
    expect(redactTokens(given)).toBe(logged);
  });
});

describe('request logs', () => {
  let server: Server;
  const lines: string[] = [];

  beforeAll(async () => {
    const stream = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) });
    const log = pinoHttp(loggerParams({ logLevel: 'info' } as AppConfig, 'api').pinoHttp as Options, stream);
    server = createServer((req, res) => {
      log(req, res);
      res.setHeader('Set-Cookie', `stemflow_session=${TOKEN}; HttpOnly`);
      res.setHeader('Location', `/e/${TOKEN}`);
      res.statusCode = req.url?.endsWith('/boom') ? 500 : 303;
      if (res.statusCode === 500) res.err = new Error(`could not answer ${req.url}`);
      res.end();
    });
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  });

  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it('carry no token from the address, the cookies either way, the referrer or an error', async () => {
    const { port } = server.address() as { port: number };
    for (const path of [`/e/${TOKEN}`, `/dashboard/sign-in/${TOKEN}/boom`]) {
      await fetch(`http://127.0.0.1:${port}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: `stemflow_session=${TOKEN}`, referer: `http://127.0.0.1:${port}/s/${TOKEN}`, authorization: `Bearer ${TOKEN}` },
      });
    }
    const logged = lines.join('');
    expect(lines).toHaveLength(2);
    expect(logged).toContain('/e/[redacted]');
    expect(logged).toContain('could not answer /dashboard/sign-in/[redacted]/boom');
    expect(logged).not.toContain(TOKEN);
  });
});
