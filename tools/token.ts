import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { configOrExit, emailAddressProblem, hashToken, hasLineBreak, newApiToken, parseScope, ROLES, type Role } from '#domain';

/**
 * `npm run token -- --role programme_manager --scope programme:<uuid> [--name "Ada"]`
 * creates a bearer token and prints it once; only its hash is stored. With `--email`, its
 * holder can sign in to the dashboard with a link sent to that address.
 */
const usage = `usage: npm run token -- --role <${ROLES.join('|')}> [--scope <programme|partnership|school|ambassador>:<uuid>] [--name <label>] [--email <address for dashboard sign-in>]`;
const fail = (message: string): never => {
  process.stderr.write(`stemflow token: ${message}\n${usage}\n`);
  process.exit(2);
};

let values: { role?: string; scope?: string; name?: string; email?: string };
try {
  ({ values } = parseArgs({ options: { role: { type: 'string' }, scope: { type: 'string' }, name: { type: 'string' }, email: { type: 'string' } } }));
} catch (error) {
  fail((error as Error).message);
}
const role = values!.role as Role | undefined;
if (!role || !(ROLES as readonly string[]).includes(role)) fail(`--role must be one of ${ROLES.join(', ')}`);
if (role !== 'admin' && !values!.scope) fail(`a ${role} token needs --scope, e.g. --scope partnership:<uuid>`);
if (values!.scope && !parseScope(values!.scope)) fail(`--scope "${values!.scope}" is not kind:uuid`);
if (values!.email !== undefined && emailAddressProblem(values!.email)) fail(`--email ${JSON.stringify(values!.email)} ${emailAddressProblem(values!.email)}`);
if (values!.name !== undefined && hasLineBreak(values!.name)) fail('--name must be on one line');

const config = configOrExit('tool');
const token = newApiToken();
const client = new pg.Client({ connectionString: config.databaseUrl });
try {
  await client.connect();
  await client.query(`INSERT INTO api_tokens (id, name, token_hash, role, scope, email, created_at) VALUES ($1, $2, $3, $4, $5, lower($6), now())`, [
    randomUUID(),
    values!.name ?? `${role} token`,
    hashToken(token),
    role,
    values!.scope?.toLowerCase() ?? null,
    values!.email ?? null,
  ]);
  process.stdout.write(`${token}\n`);
  process.stderr.write('Keep it safe: stemflow stores only its hash and cannot show it again.\n');
} catch (error) {
  fail(`could not store the token: ${(error as Error).message}`);
} finally {
  await client.end().catch(() => undefined);
}
