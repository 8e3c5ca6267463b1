import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { testDatabaseIds } from '../__testUtils__/testDatabaseIds';
import { DumpRecord, DumpRecordStore } from './DumpRecordStore';

jest.setTimeout(60_000);

const BASE = new Date('2026-12-02T00:00:00Z').getTime();
const MINUTE = 60_000;

function dump(index: number, overrides: Partial<DumpRecord> = {}): DumpRecord {
  const finishedAt = new Date(BASE + index * 30 * MINUTE).toISOString();
  return {
    entityRef: 'component:default/orders',
    cluster: 'a',
    namespace: 'shop',
    podName: `orders-db-dump-${index}-abcde`,
    jobName: `orders-db-dump-${index}`,
    succeeded: true,
    onDemand: false,
    file: `default/component/orders/dump-${index}.pgdump`,
    bytes: 1000 + index,
    sha256: 'a'.repeat(64),
    startedAt: finishedAt,
    finishedAt,
    retention: { count: 3 },
    ...overrides,
  };
}

describe('DumpRecordStore', () => {
  const databases = TestDatabases.create({ ids: testDatabaseIds() });

  async function storeFor(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    return DumpRecordStore.create({
      database: { getClient: async () => knex },
    });
  }

  it.each(databases.eachSupportedId())(
    'records each finished dump once, newest first, with every field, %p',
    async databaseId => {
      const store = await storeFor(databaseId);
      await store.record(dump(1));
      await store.record(dump(1)); // another replica saw the same pod
      await store.record(
        dump(2, {
          succeeded: false,
          file: undefined,
          bytes: undefined,
          sha256: undefined,
          error: 'pg_dump: connection refused',
          retention: undefined,
        }),
      );
      const records = await store.list({
        entityRef: 'component:default/orders',
      });
      expect(records).toEqual(
        [
          {
            ...dump(2),
            succeeded: false,
            file: undefined,
            bytes: undefined,
            sha256: undefined,
            error: 'pg_dump: connection refused',
            retention: undefined,
          },
          dump(1),
        ].map(record => JSON.parse(JSON.stringify(record))),
      );
      expect(
        await store.list({ entityRef: 'component:default/other' }),
      ).toEqual([]);
      expect(
        await store.list({
          entityRef: 'component:default/orders',
          cluster: 'b',
        }),
      ).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'forgets what the dump retention removed: beyond the count, or older than the age, %p',
    async databaseId => {
      const store = await storeFor(databaseId);
      for (let i = 1; i <= 5; i++) await store.record(dump(i));
      expect(
        (await store.list({ entityRef: 'component:default/orders' })).map(
          r => r.jobName,
        ),
      ).toEqual(['orders-db-dump-5', 'orders-db-dump-4', 'orders-db-dump-3']);

      const aged = { retention: { maxAgeSeconds: 3600 } };
      await store.record(
        dump(6, { entityRef: 'component:default/payments', ...aged }),
        new Date(BASE + 6 * 30 * MINUTE),
      );
      await store.record(
        dump(9, { entityRef: 'component:default/payments', ...aged }),
        new Date(BASE + 9 * 30 * MINUTE),
      );
      expect(
        (await store.list({ entityRef: 'component:default/payments' })).map(
          r => r.jobName,
        ),
      ).toEqual(['orders-db-dump-9']);
      expect((await store.listAll()).length).toBe(4);
    },
  );
});
