import { configOrExit, ensureDatabase, runMigrations } from '#domain';

/** `npm run migrate`: creates the database if needed and applies pending migrations. */
const config = configOrExit('tool');
try {
  if (await ensureDatabase(config.databaseUrl)) console.log('created the database');
  const ran = await runMigrations(config.databaseUrl);
  console.log(ran.length ? `applied ${ran.length} migration(s): ${ran.join(', ')}` : 'the schema is up to date');
} catch (error) {
  console.error(`stemflow migrate: ${(error as Error).message}`);
  process.exit(1);
}
