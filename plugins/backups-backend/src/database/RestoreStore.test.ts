import { TestDatabases } from '@backstage/backend-test-utils';
import { RestoreRecord } from '@backups-for-backstage/plugin-backups-common';
import { testDatabaseIds } from '../__testUtils__/testDatabaseIds';
import { RestoreStore } from './RestoreStore';

jest.setTimeout(60_000);

function record(id: string, overrides: Partial<RestoreRecord> = {}) {
  return {
    id,
    entityRef: 'component:default/orders',
    layer: 'velero',
    cluster: 'a',
    restorePoint: {
      id: 'orders-velero-20261202100000',
      time: '2026-12-02T10:00:00.000Z',
    },
    target: { mode: 'namespace', namespace: `shop-restore-${id}` },
    requestedBy: 'user:default/dana',
    requestedAt: '2026-12-02T11:00:00.000Z',
    state: 'running',
    steps: [],
    created: [],
    ...overrides,
  } satisfies RestoreRecord;
}

describe('RestoreStore', () => {
  const databases = TestDatabases.create({ ids: testDatabaseIds() });

  it.each(databases.eachSupportedId())(
    'lets one restore run per entity across replicas, and frees the entity when it ends, on %s',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const database = { getClient: async () => knex };
      // Two backend replicas on one database.
      const [one, two] = await Promise.all([
        RestoreStore.create({ database }),
        RestoreStore.create({ database }),
      ]);
      const outcomes = await Promise.allSettled([
        one.begin(record('aaaa0001')),
        two.begin(record('bbbb0002')),
      ]);
      expect(outcomes.map(o => o.status).sort()).toEqual([
        'fulfilled',
        'rejected',
      ]);
      const winner =
        outcomes[0].status === 'fulfilled' ? 'aaaa0001' : 'bbbb0002';
      const refused = outcomes.find(
        o => o.status === 'rejected',
      ) as PromiseRejectedResult;
      expect(refused.reason).toMatchObject({
        name: 'ConflictError',
        message: `A restore (${winner}) is running for component:default/orders since 2026-12-02T11:00:00.000Z; wait until it ends`,
      });
      // Another entity is not held up.
      await two.begin(
        record('cccc0003', { entityRef: 'component:default/payments' }),
      );

      await one.update({
        ...record(winner),
        state: 'completed',
        outcome: 'ok',
      });
      expect(await two.get(winner)).toMatchObject({
        state: 'completed',
        outcome: 'ok',
      });
      await two.begin(
        record('dddd0004', { requestedAt: '2026-12-02T12:00:00.000Z' }),
      );
      expect(
        (await one.list({ entityRef: 'component:default/orders' })).map(
          r => r.id,
        ),
      ).toEqual(['dddd0004', winner]);
      const running = await one.listRunning();
      expect(running.map(r => r.record.id).sort()).toEqual([
        'cccc0003',
        'dddd0004',
      ]);
      // A replica that read a record before another saved it cannot write it back.
      const [read] = running.filter(r => r.record.id === 'dddd0004');
      expect(
        await two.update(
          { ...read.record, outcome: 'first' },
          { revision: read.revision },
        ),
      ).toBe(true);
      expect(
        await one.update(
          { ...read.record, outcome: 'stale' },
          { revision: read.revision },
        ),
      ).toBe(false);
      expect((await one.get('dddd0004'))?.outcome).toBe('first');
      expect(await one.get('nope')).toBeUndefined();
    },
  );
});
