import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  EntityStatus,
  LayerStatus,
} from '@backups-for-backstage/plugin-backups-common';
import { FailingLayerStore } from '../database/FailingLayerStore';
import { FailingLayer } from './backupsNotifications';
import { BackupsNotifier } from './BackupsNotifier';
import { FailingLayerWatch } from './FailingLayerWatch';

const ORDERS = 'component:default/orders';
const FAILING_REASON =
  'The last 3 Velero backups in a failed (the latest 5 min ago).';

/** The status fields the watch reads: the layers' states, and which clusters answer. */
function statusOf(
  layers: Array<Pick<LayerStatus, 'layer' | 'cluster' | 'state'>>,
  unreachable: string[] = [],
): { status: EntityStatus } {
  const clusters = [...new Set(layers.map(l => l.cluster))];
  return {
    status: {
      entityRef: ORDERS,
      layers: layers.map(layer => ({
        ...layer,
        reasons: layer.state === 'failing' ? [FAILING_REASON] : [],
      })),
      clusters: clusters.map(cluster => ({
        cluster,
        reachable: !unreachable.includes(cluster),
      })),
    } as unknown as EntityStatus,
  };
}

describe('FailingLayerWatch', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('tells a layer that turns failing once, forgets it when it recovers, and keeps it while its cluster does not answer', async () => {
    const knex = await databases.init('SQLITE_3');
    let fleet = [
      statusOf([{ layer: 'velero', cluster: 'a', state: 'protected' }]),
    ];
    const told: FailingLayer[] = [];
    const notifier: BackupsNotifier = {
      drillEnded: async () => undefined,
      restoreEnded: async () => undefined,
      layerTurnedFailing: async failing => {
        told.push(failing);
      },
    };
    const options = {
      fleet: async () => fleet,
      notifier,
      logger: mockServices.logger.mock(),
      now: () => new Date('2026-12-02T03:00:00Z'),
    };
    const database = { getClient: async () => knex };
    // Two replicas looking at the same fleet.
    const [one, two] = await Promise.all([
      FailingLayerStore.create({ database }).then(
        store => new FailingLayerWatch({ ...options, store }),
      ),
      FailingLayerStore.create({ database }).then(
        store => new FailingLayerWatch({ ...options, store }),
      ),
    ]);
    const velero = { entityRef: ORDERS, layer: 'velero', cluster: 'a' };

    expect(await one.check()).toEqual([]);
    fleet = [
      statusOf([
        { layer: 'velero', cluster: 'a', state: 'failing' },
        { layer: 'database', cluster: 'a', state: 'at-risk' },
      ]),
    ];
    const [first, second] = await Promise.all([one.check(), two.check()]);
    expect([...first, ...second]).toEqual([
      { ...velero, reasons: [FAILING_REASON] },
    ]);
    expect(await two.check()).toEqual([]);
    expect(told).toEqual([{ ...velero, reasons: [FAILING_REASON] }]);

    // The cluster does not answer: what was last seen stands.
    fleet = [
      statusOf([{ layer: 'velero', cluster: 'a', state: 'protected' }], ['a']),
    ];
    expect(await one.check()).toEqual([]);
    fleet = [statusOf([{ layer: 'velero', cluster: 'a', state: 'failing' }])];
    expect(await one.check()).toEqual([]);

    // Recovered, then failing again: a change again.
    fleet = [statusOf([{ layer: 'velero', cluster: 'a', state: 'protected' }])];
    expect(await two.check()).toEqual([]);
    fleet = [statusOf([{ layer: 'velero', cluster: 'a', state: 'failing' }])];
    expect(await one.check()).toEqual([
      { ...velero, reasons: [FAILING_REASON] },
    ]);
    expect(told).toHaveLength(2);
  });
});
