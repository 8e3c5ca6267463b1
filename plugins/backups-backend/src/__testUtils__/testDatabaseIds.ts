import { TestDatabaseId } from '@backstage/backend-test-utils';

const POSTGRES_URL = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

/**
 * The databases store tests run on: SQLite always, and PostgreSQL when a
 * server is given the way Backstage's TestDatabases reads it (`./scripts/test`
 * starts a throwaway one; there is no container engine here). With CI=true a
 * missing PostgreSQL is an error, not a skip.
 */
export function testDatabaseIds(): TestDatabaseId[] {
  if (process.env[POSTGRES_URL]) return ['SQLITE_3', 'POSTGRES_15'];
  if (process.env.CI && process.env.CI !== 'false') {
    throw new Error(
      `CI=true but ${POSTGRES_URL} is not set: run the tests with ./scripts/test, which starts a throwaway PostgreSQL`,
    );
  }
  return ['SQLITE_3'];
}
