import { TestDatabases } from '@backstage/backend-test-utils';
import { testDatabaseIds } from '../__testUtils__/testDatabaseIds';
import { EntityReconcileResult } from '../reconcile/Reconciler';
import { isSuccessful, ReconcileResultStore } from './ReconcileResultStore';

jest.setTimeout(60_000);

function result(
  overrides: Partial<EntityReconcileResult> = {},
): EntityReconcileResult {
  return {
    entityRef: 'component:default/orders',
    state: 'planned',
    dryRun: false,
    clusters: [
      {
        cluster: 'prod-eu',
        targeted: true,
        created: [{ apiVersion: 'velero.io/v1', kind: 'Schedule', name: 'x' }],
        updated: [],
        deleted: [],
        unchanged: [],
        objectErrors: [],
      },
    ],
    ...overrides,
  };
}

const DATABASE_IDS = testDatabaseIds();

describe('ReconcileResultStore', () => {
  const databases = TestDatabases.create({ ids: DATABASE_IDS });

  it.each(databases.eachSupportedId())(
    'keeps the latest result per entity, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await ReconcileResultStore.create({
        database: { getClient: async () => knex },
      });
      expect(await store.get('component:default/orders')).toBeUndefined();

      const first = {
        trigger: 'schedule' as const,
        startedAt: '2026-11-21T10:00:00.000Z',
        finishedAt: '2026-11-21T10:00:02.000Z',
        succeeded: true,
        result: result(),
      };
      await store.record(first);
      expect(await store.get('component:default/orders')).toEqual(first);

      const failedCluster = result({
        clusters: [{ ...result().clusters[0], error: 'HTTP 503' }],
      });
      const second = {
        trigger: 'request' as const,
        startedAt: '2026-11-21T10:05:00.000Z',
        finishedAt: '2026-11-21T10:05:01.000Z',
        succeeded: isSuccessful(failedCluster),
        result: failedCluster,
      };
      await store.record(second);
      expect(second.succeeded).toBe(false);
      expect(await store.list()).toEqual([second]);

      await store.delete('component:default/orders');
      expect(await store.list()).toEqual([]);
    },
  );
});

describe('isSuccessful', () => {
  it('is false for annotation errors, cluster errors and object errors', () => {
    expect(isSuccessful(result())).toBe(true);
    expect(isSuccessful(result({ state: 'invalid', clusters: [] }))).toBe(
      false,
    );
    expect(
      isSuccessful(
        result({
          clusters: [
            {
              ...result().clusters[0],
              objectErrors: [
                {
                  object: { apiVersion: 'v1', kind: 'CronJob', name: 'x' },
                  message: 'taken',
                },
              ],
            },
          ],
        }),
      ),
    ).toBe(false);
  });

  it('tolerates an unreachable cluster the entity does not target', () => {
    const cluster = result().clusters[0];
    expect(
      isSuccessful(
        result({ clusters: [{ ...cluster, targeted: false, error: 'down' }] }),
      ),
    ).toBe(true);
    expect(
      isSuccessful(result({ clusters: [{ ...cluster, error: 'down' }] })),
    ).toBe(false);
  });
});
