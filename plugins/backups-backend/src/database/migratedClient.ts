import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/**
 * The plugin's database client, migrated to the latest schema (the knex
 * migrations shipped in `migrations/`) unless migrations are skipped.
 */
export async function migratedClient(options: {
  database: DatabaseService;
  skipMigrations?: boolean;
}): Promise<Knex> {
  const client = await options.database.getClient();
  if (!options.database.migrations?.skip && !options.skipMigrations) {
    await client.migrate.latest({
      directory: resolvePackagePath(
        '@backups-for-backstage/plugin-backups-backend',
        'migrations',
      ),
    });
  }
  return client;
}
