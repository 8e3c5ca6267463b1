import { LayerPlan, PlanContext, PlannedObject } from '../types';
import { NAME_LIMITS, managedMetadata, objectName } from '../naming';
import { ConsistencyHooks, consistencyHooks } from './consistencyHooks';
import { toLabelSelector } from '../labelSelector';

function nonEmpty(hooks: ConsistencyHooks): Partial<ConsistencyHooks> {
  return {
    ...(hooks.pre.length > 0 ? { pre: hooks.pre } : {}),
    ...(hooks.post.length > 0 ? { post: hooks.post } : {}),
  };
}

/** Resources a Velero backup of a component never needs. */
export const VELERO_EXCLUDED_RESOURCES = ['events', 'events.events.k8s.io'];

/**
 * The velero layer: one `velero.io/v1` Schedule in the cluster's Velero
 * namespace whose template selects the component (its namespace and label
 * selector), with TTL, volume snapshots, the storage location when the cluster
 * names one, and consistency hooks when the entity declares a database.
 */
export function planVeleroLayer(ctx: PlanContext): LayerPlan {
  const { intent, cluster } = ctx;
  const velero = intent.velero;
  if (!velero) {
    return { layer: 'velero', objects: [] };
  }
  const name = objectName(ctx, 'velero', NAME_LIMITS.veleroSchedule);
  const metadata = managedMetadata(ctx, 'velero', {
    name,
    namespace: cluster.veleroNamespace,
  });
  const namespaces = [intent.workload.namespace];
  // The intent parser only gives a velero intent with a workload selector;
  // without one the Schedule would back up the whole namespace.
  const labelSelector = intent.workload.requirements?.length
    ? toLabelSelector(intent.workload.requirements)
    : undefined;

  // The engine is in the intent only when the entity declares a database
  // (`backups/database`); its hooks run whether or not the database layer
  // itself is enabled.
  const engine = intent.database?.engine;
  const hooks = engine
    ? {
        resources: [
          {
            name: `${engine}-consistency`,
            includedNamespaces: namespaces,
            ...(labelSelector ? { labelSelector } : {}),
            ...nonEmpty(consistencyHooks(engine)),
          },
        ],
      }
    : undefined;

  const schedule: PlannedObject = {
    apiVersion: 'velero.io/v1',
    kind: 'Schedule',
    metadata,
    spec: {
      schedule: velero.schedule,
      useOwnerReferencesInBackup: false,
      template: {
        // The managed labels go onto every Backup, so restore points can be
        // traced to their entity (and are never mistaken for managed objects
        // to reconcile: the reconciler only lists the kinds it plans).
        metadata: { labels: { ...metadata.labels } },
        includedNamespaces: namespaces,
        ...(labelSelector ? { labelSelector } : {}),
        excludedResources: [...VELERO_EXCLUDED_RESOURCES],
        ttl: velero.ttl,
        snapshotVolumes: velero.snapshotVolumes,
        ...(cluster.veleroStorageLocation
          ? { storageLocation: cluster.veleroStorageLocation }
          : {}),
        ...(hooks ? { hooks } : {}),
      },
    },
  };
  return { layer: 'velero', objects: [schedule] };
}
