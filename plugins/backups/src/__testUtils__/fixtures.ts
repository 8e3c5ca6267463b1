import { Entity } from '@backstage/catalog-model';
import {
  BACKUPS_ANNOTATIONS as A,
  IntentContext,
  KUBERNETES_ANNOTATIONS as K,
  parseProtectionIntent,
  ProtectionIntentResult,
} from '@backups-for-backstage/plugin-backups-common';

/**
 * The configuration the test backend parses intents with (the `gold` policy
 * of the product contract).
 */
export const intentContext: IntentContext = {
  policies: {
    gold: {
      rpo: '1h',
      rto: '30m',
      velero: { schedule: '0 * * * *', ttl: '168h', snapshotVolumes: true },
      database: { schedule: '*/30 * * * *', retention: 48 },
      volumeSnapshots: { schedule: '0 */6 * * *', retention: 10 },
      drill: { schedule: '0 3 * * 0' },
    },
  },
  clusterNames: ['prod-eu'],
  defaultCluster: 'prod-eu',
};

function component(
  name: string,
  annotations: Record<string, string>,
  namespace = 'default',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace, annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  };
}

/** Opted in with every layer; valid. */
export const ordersEntity = component('orders', {
  [A.policy]: 'gold',
  [K.id]: 'orders',
  [K.namespace]: 'shop',
  [A.database]: 'postgres',
  [A.databaseHost]: 'orders-db',
  [A.databaseName]: 'orders',
  [A.databaseSecret]: 'orders-db-credentials',
  [A.databaseRetention]: '7d',
  [A.volumeSnapshotPvcs]: 'orders-data',
  [A.drillVerify]: 'SELECT 1 FROM orders LIMIT 1',
});

/** Opted in with bad annotations; invalid. */
export const brokenEntity = component('billing', {
  [A.policy]: 'platinum',
  [K.id]: 'billing',
  [A.veleroSchedule]: 'every hour',
  [A.database]: 'oracle',
});

/** Not opted in, but with a backups annotation that is ignored. */
export const paymentsEntity = component('payments', {
  [A.layers]: 'velero',
  [A.drillSchedule]: 'off',
});

/** What the backend answers for an entity. */
export function intentOf(entity: Entity): ProtectionIntentResult {
  return parseProtectionIntent(entity, intentContext);
}
