import { TestDatabases } from '@backstage/backend-test-utils';
import {
  DrillRecord,
  RestoreRecord,
} from '@backups-for-backstage/plugin-backups-common';
import { testDatabaseIds } from '../__testUtils__/testDatabaseIds';
import { OperationStore } from './OperationStore';

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

function drill(id: string, entity: string): DrillRecord {
  return {
    id,
    entityRef: `component:default/${entity}`,
    cluster: 'a',
    namespace: `drill-${entity}-${id}`,
    requestedBy: 'user:default/guest',
    trigger: 'manual',
    requestedAt: '2026-12-02T11:00:00.000Z',
    state: 'running',
    steps: [],
    targets: { rtoMs: 1_800_000, rpoMs: 3_600_000 },
    achieved: { layers: [] },
    created: [],
  };
}

describe('OperationStore', () => {
  const databases = TestDatabases.create({ ids: testDatabaseIds() });

  it.each(databases.eachSupportedId())(
    'lets one restore run per entity across replicas, and frees the entity when it ends, on %s',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const database = { getClient: async () => knex };
      // Two backend replicas on one database.
      const [one, two] = await Promise.all([
        OperationStore.restores({ database }),
        OperationStore.restores({ database }),
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

  it.each(databases.eachSupportedId())(
    'holds drills to maxConcurrent across replicas, and a drill and a restore of one entity apart, on %s',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const database = { getClient: async () => knex };
      const [one, two] = await Promise.all([
        OperationStore.drills({ database, maxConcurrent: 2 }),
        OperationStore.drills({ database, maxConcurrent: 2 }),
      ]);
      const restores = await OperationStore.restores({ database });
      const outcomes = await Promise.allSettled([
        one.begin(drill('d0000001', 'orders')),
        two.begin(drill('d0000002', 'payments')),
        one.begin(drill('d0000003', 'search')),
      ]);
      const refused = outcomes.filter(
        (o): o is PromiseRejectedResult => o.status === 'rejected',
      );
      expect(refused).toHaveLength(1);
      expect(refused[0].reason).toMatchObject({
        name: 'ConflictError',
        message:
          '2 drill(s) are running, the most backups.drills.maxConcurrent allows; try again when one ends',
      });
      const [first] = await one.listRunning();
      // A restore waits for the drill of its entity.
      await expect(
        restores.begin(
          record('r0000001', { entityRef: first.record.entityRef }),
        ),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining(
          `A drill (${first.record.id}) is running for ${first.record.entityRef}`,
        ),
      });
      // A drill that ends frees its slot for the next.
      await two.update({ ...first.record, state: 'passed' });
      await one.begin(drill('d0000004', 'catalog'));
      expect((await two.listRunning()).map(r => r.record.id).sort()).toEqual(
        expect.arrayContaining(['d0000004']),
      );
      expect(await restores.listRunning()).toEqual([]);
    },
  );
});
