import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/** One migration run per client, however many stores share it. */
const migrated = new WeakMap<Knex, Promise<unknown>>();

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
    let migration = migrated.get(client);
    if (!migration) {
      migration = client.migrate.latest({
        directory: resolvePackagePath(
          '@backups-for-backstage/plugin-backups-backend',
          'migrations',
        ),
      });
      migrated.set(client, migration);
      // A failed run may be retried by the next store.
      migration.catch(() => migrated.delete(client));
    }
    await migration;
  }
  return client;
}
