import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ProtectionIntent } from '@backups-for-backstage/plugin-backups-common';
import { PlanCluster, PlanContext } from '../types';

/** A valid 63-character entity name, the longest the catalog allows. */
export const LONG_ENTITY_NAME = `a${'-long-name'.repeat(6)}-z`.slice(0, 63);

/** The images the test context configures (not the defaults, to see them used). */
export const TEST_S3_CLIENT_IMAGE = 'mirror.example.com/aws-cli:2.17.0';
export const TEST_SNAPSHOT_JOB_IMAGE = 'mirror.example.com/kubectl:1.34';

/** What a test may change of the default context; everything is optional. */
export interface PlanContextOverrides {
  /** Merged over `component:default/orders`; the entity ref follows. */
  entity?: Partial<CompoundEntityRef>;
  /**
   * Merged (shallowly) over the default intent: gold policy, every layer,
   * workload `shop` / `backstage.io/kubernetes-id=orders`, a postgres
   * database and the PVC `orders-data`. Pass `database: undefined` etc. to
   * remove a part.
   */
  intent?: Partial<ProtectionIntent>;
  cluster?: Partial<PlanCluster>;
  databaseDumps?: Partial<PlanContext['databaseDumps']>;
}

/** The intent of the example `orders` component under the gold policy. */
export function defaultIntent(entityRef: string): ProtectionIntent {
  return {
    entityRef,
    policy: 'gold',
    clusters: ['prod-eu'],
    layers: ['velero', 'database', 'volume-snapshot'],
    targets: {
      rpo: { text: '1h', milliseconds: 60 * 60 * 1000 },
      rto: { text: '30m', milliseconds: 30 * 60 * 1000 },
    },
    workload: {
      namespace: 'shop',
      labelSelector: 'backstage.io/kubernetes-id=orders',
      requirements: [
        {
          key: 'backstage.io/kubernetes-id',
          operator: 'In',
          values: ['orders'],
        },
      ],
    },
    velero: { schedule: '0 * * * *', ttl: '168h', snapshotVolumes: true },
    database: {
      engine: 'postgres',
      host: 'orders-db',
      port: 5432,
      databases: ['orders'],
      secretName: 'orders-db-credentials',
      schedule: '*/30 * * * *',
      retention: { type: 'count', count: 48 },
    },
    volumeSnapshot: {
      pvcs: { type: 'names', names: ['orders-data'] },
      schedule: '0 */6 * * *',
      retention: { type: 'count', count: 10 },
    },
    drill: { schedule: '0 3 * * 0' },
  };
}

/**
 * A PlanContext for `component:default/orders` in cluster `prod-eu` (Velero in
 * `velero`, no storage location, no SnapScheduler), with overrides.
 */
export function planContextFor(
  overrides: PlanContextOverrides = {},
): PlanContext {
  const entity: CompoundEntityRef = {
    kind: 'Component',
    namespace: 'default',
    name: 'orders',
    ...overrides.entity,
  };
  const entityRef = stringifyEntityRef(entity);
  return {
    entity,
    entityRef,
    intent: { ...defaultIntent(entityRef), ...overrides.intent },
    cluster: {
      name: 'prod-eu',
      veleroNamespace: 'velero',
      hasSnapScheduler: false,
      ...overrides.cluster,
    },
    databaseDumps: {
      images: {
        postgres: 'postgres:16',
        mysql: 'mysql:8.0',
        mongodb: 'mongo:7',
      },
      s3ClientImage: TEST_S3_CLIENT_IMAGE,
      storage: { type: 'pvc', claimName: 'backup-dumps' },
      ...overrides.databaseDumps,
    },
    volumeSnapshots: { image: TEST_SNAPSHOT_JOB_IMAGE },
  };
}

/**
 * A context for a 63-character entity name in a non-default catalog
 * namespace (63 characters too), for name- and label-length tests.
 */
export function longNamePlanContext(
  overrides: PlanContextOverrides = {},
): PlanContext {
  return planContextFor({
    ...overrides,
    entity: {
      name: LONG_ENTITY_NAME,
      namespace: `team-${'x'.repeat(58)}`,
      ...overrides.entity,
    },
  });
}
