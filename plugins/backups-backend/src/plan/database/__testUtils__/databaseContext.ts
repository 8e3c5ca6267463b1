import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  DatabaseIntent,
  ProtectionIntent,
} from '@backups-for-backstage/plugin-backups-common';
import {
  TEST_S3_CLIENT_IMAGE,
  TEST_SNAPSHOT_JOB_IMAGE,
} from '../../__testUtils__/planContext';
import { DumpStorage, PlanContext } from '../../types';

export const PVC_STORAGE: DumpStorage = {
  type: 'pvc',
  claimName: 'backup-dumps',
};

export const S3_STORAGE: DumpStorage = {
  type: 's3',
  bucket: 'team-dumps',
  prefix: 'k8s/dumps',
  endpoint: 'https://minio.example:9000',
  credentialsSecret: 'dump-s3-credentials',
};

export const DEFAULT_PORTS = { postgres: 5432, mysql: 3306, mongodb: 27017 };

/**
 * A PlanContext for the database layer of `component:default/orders` in
 * namespace `shop`; the intent is built directly (no validation), so tests can
 * feed values the parser would reject.
 */
export function databaseContext(
  options: {
    entity?: Partial<CompoundEntityRef>;
    database?: Partial<DatabaseIntent>;
    storage?: DumpStorage;
  } = {},
): PlanContext {
  const entity: CompoundEntityRef = {
    kind: 'Component',
    namespace: 'default',
    name: 'orders',
    ...options.entity,
  };
  const entityRef = stringifyEntityRef(entity);
  const engine = options.database?.engine ?? 'postgres';
  const intent: ProtectionIntent = {
    entityRef,
    policy: 'gold',
    clusters: ['prod-eu'],
    layers: ['database'],
    targets: {
      rpo: { text: '1h', milliseconds: 3_600_000 },
      rto: { text: '30m', milliseconds: 1_800_000 },
    },
    workload: {
      namespace: 'shop',
      labelSelector: 'backstage.io/kubernetes-id=orders',
    },
    database: {
      engine,
      host: 'orders-db',
      port: DEFAULT_PORTS[engine],
      databases: ['orders'],
      secretName: 'orders-db-credentials',
      schedule: '*/30 * * * *',
      retention: { type: 'count', count: 48 },
      ...options.database,
    },
    drill: {},
  };
  return {
    entity,
    entityRef,
    intent,
    cluster: {
      name: 'prod-eu',
      veleroNamespace: 'velero',
      hasSnapScheduler: false,
    },
    databaseDumps: {
      images: {
        postgres: 'postgres:16',
        mysql: 'mysql:8.0',
        mongodb: 'mongo:7',
      },
      s3ClientImage: TEST_S3_CLIENT_IMAGE,
      storage: options.storage ?? PVC_STORAGE,
    },
    volumeSnapshots: { image: TEST_SNAPSHOT_JOB_IMAGE },
  };
}
