import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { apiTokenRequestProblems, ApiToken, configOrExit, dataSourceOptions, InvalidInput, issueApiToken, ROLES, SystemClock, TOKEN_LIFETIME_DAYS, VirtualClock, type Clock } from '#domain';

/**
 * `npm run token -- --role programme_manager --scope programme:<uuid> [--name "Ada"]`
 * creates a bearer token and prints it once; only its hash is stored. With `--email`, its
 * holder can sign in to the dashboard with a link sent to that address. The same checks as
 * POST /api/v1/tokens: the role and scope fit, the scope's record exists, and the token
 * expires (API_TOKEN_TTL_DAYS, or --expires-in-days), on the platform's clock.
 */
const usage = `usage: npm run token -- --role <${ROLES.join('|')}> [--scope <programme|partnership|school|ambassador>:<uuid>] [--name <label>] [--email <address for dashboard sign-in>] [--expires-in-days <${TOKEN_LIFETIME_DAYS.min}-${TOKEN_LIFETIME_DAYS.max}>]`;
const fail = (message: string): never => {
  process.stderr.write(`stemflow token: ${message}\n${usage}\n`);
  process.exit(2);
};
const FLAGS: Record<string, string> = { role: '--role', scope: '--scope', email: '--email', expiresInDays: '--expires-in-days', name: '--name' };
/** One line per problem, named by its flag: "--scope: an educational lead token is scoped to a partnership, …". */
const refuse = (problems: Array<{ field: string; message: string }>): never =>
  fail(problems.map(({ field, message }) => `${FLAGS[field] ?? field}${message.startsWith('must ') ? ' ' : ': '}${message}`).join('\n'));

let values: { role?: string; scope?: string; name?: string; email?: string; 'expires-in-days'?: string };
try {
  ({ values } = parseArgs({
    options: { role: { type: 'string' }, scope: { type: 'string' }, name: { type: 'string' }, email: { type: 'string' }, 'expires-in-days': { type: 'string' } },
  }));
} catch (error) {
  fail((error as Error).message);
}
const days = values!['expires-in-days'];
const request = {
  role: values!.role ?? '',
  scope: values!.scope ?? null,
  name: values!.name ?? null,
  email: values!.email ?? null,
  expiresInDays: days === undefined ? null : /^\d+$/.test(days) ? Number(days) : Number.NaN,
};
const problems = apiTokenRequestProblems(request);
if (problems.length > 0) refuse(problems);

const config = configOrExit('tool');
const dataSource = new DataSource(dataSourceOptions(config.databaseUrl, [ApiToken], 'stemflow-token', 1));
try {
  await dataSource.initialize();
  // Made on the clock the platform runs on, so that a virtual term's tokens expire in that term.
  const clock: Clock = config.clock === 'virtual' ? new VirtualClock(dataSource) : new SystemClock();
  const { token, secret } = await issueApiToken(dataSource.manager, request, { now: await clock.now(), usualLifetimeDays: config.apiTokenTtlDays });
  process.stdout.write(`${secret}\n`);
  process.stderr.write(`Keep it safe: stemflow stores only its hash and cannot show it again. It expires at ${token.expiresAt.toISOString()}.\n`);
} catch (error) {
  if (error instanceof InvalidInput) refuse(error.fields);
  fail(`could not store the token: ${(error as Error).message}`);
} finally {
  await dataSource.destroy().catch(() => undefined);
}
