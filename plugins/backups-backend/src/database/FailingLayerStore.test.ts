import { TestDatabases } from '@backstage/backend-test-utils';
import { testDatabaseIds } from '../__testUtils__/testDatabaseIds';
import { FailingLayerStore } from './FailingLayerStore';

jest.setTimeout(60_000);

describe('FailingLayerStore', () => {
  const databases = TestDatabases.create({ ids: testDatabaseIds() });

  it.each(databases.eachSupportedId())(
    'records a layer failing once across replicas, and forgets it when it recovers, on %s',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const database = { getClient: async () => knex };
      const [one, two] = await Promise.all([
        FailingLayerStore.create({ database }),
        FailingLayerStore.create({ database }),
      ]);
      const velero = {
        entityRef: 'component:default/orders',
        layer: 'velero' as const,
        cluster: 'a',
      };
      const since = new Date('2026-12-02T03:00:00Z');

      const added = await Promise.all([
        one.add(velero, since),
        two.add(velero, since),
      ]);
      expect(added.sort()).toEqual([false, true]);
      expect(await two.add({ ...velero, cluster: 'b' }, since)).toBe(true);
      expect(await one.list()).toEqual([
        { ...velero, since: '2026-12-02T03:00:00.000Z' },
        { ...velero, cluster: 'b', since: '2026-12-02T03:00:00.000Z' },
      ]);

      await two.remove(velero);
      expect((await one.list()).map(layer => layer.cluster)).toEqual(['b']);
      // Failing again is a change again.
      expect(await one.add(velero, since)).toBe(true);
    },
  );
});
