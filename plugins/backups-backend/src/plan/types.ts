import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  BackupLayer,
  DatabaseEngine,
  ProtectionIntent,
} from '@backups-for-backstage/plugin-backups-common';

/** Where database dumps are written. */
export type DumpStorage =
  | { type: 'pvc'; claimName: string }
  | {
      type: 's3';
      bucket: string;
      prefix?: string;
      endpoint?: string;
      /** A Secret in the workload namespace with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. */
      credentialsSecret: string;
    };

/** What the planner knows of one target cluster. */
export interface PlanCluster {
  name: string;
  veleroNamespace: string;
  veleroStorageLocation?: string;
  /** Whether the SnapScheduler CRD is installed (then volume snapshots use it). */
  hasSnapScheduler: boolean;
}

/** Everything the planner reads: pure data, no I/O. */
export interface PlanContext {
  entity: CompoundEntityRef;
  entityRef: string;
  intent: ProtectionIntent;
  cluster: PlanCluster;
  databaseDumps: {
    images: Record<DatabaseEngine, string>;
    s3ClientImage: string;
    storage: DumpStorage;
  };
  volumeSnapshots: { image: string };
}

/** A Kubernetes object the plan wants in a cluster. */
export interface PlannedObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  [field: string]: unknown;
}

/** A layer's planned objects. */
export interface LayerPlan {
  layer: BackupLayer;
  objects: PlannedObject[];
}
