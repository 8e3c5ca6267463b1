import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  BackupLayer,
  DatabaseEngine,
  PlannedObject,
  ProtectionIntent,
} from '@backups-for-backstage/plugin-backups-common';
import { DumpStorage } from '../config/readBackupsConfig';

export type { DumpStorage, PlannedObject };

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

/** A layer's planned objects. */
export interface LayerPlan {
  layer: BackupLayer;
  objects: PlannedObject[];
}
