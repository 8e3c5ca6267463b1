import {
  ExistingResourcePolicy,
  MANAGED_BY_VALUE,
  MANAGED_OBJECT_LABELS,
  RestoreMode,
} from '@backups-for-backstage/plugin-backups-common';
import { managedMetadata, NAME_LIMITS, objectName } from '../naming';
import { PlanContext, PlannedObject } from '../types';

/**
 * What a restore (or drill) restores, and where to; the target namespace of
 * the `namespace` mode is created beforehand (see planRestoreNamespace).
 */
export interface VeleroRestoreTarget {
  /** Our restore's (or drill's) id: names the objects, labels them. */
  id: string;
  /** `backups/restore` or `backups/drill`. */
  label:
    | typeof MANAGED_OBJECT_LABELS.restore
    | typeof MANAGED_OBJECT_LABELS.drill;
  backupName: string;
  mode: RestoreMode;
  /** For `namespace`: the namespace the source namespace is mapped to. */
  namespace?: string;
  existingResourcePolicy?: ExistingResourcePolicy;
}

/**
 * A Velero `Restore` of one of the entity's Backups. To a new namespace, the
 * component's namespace is mapped onto it and our own objects (the dump and
 * snapshot CronJobs and their RBAC, labelled managed-by) are left out, so
 * that a copy never dumps the production database. In place, Velero restores
 * into the source namespace and overwrites nothing unless
 * `existingResourcePolicy: update` is asked for. Velero never deletes.
 */
export function planVeleroRestore(
  ctx: PlanContext,
  target: VeleroRestoreTarget,
): PlannedObject {
  const source = ctx.intent.workload.namespace;
  const metadata = managedMetadata(ctx, 'velero', {
    name: objectName(ctx, `restore-${target.id}`, NAME_LIMITS.subdomain),
    namespace: ctx.cluster.veleroNamespace,
  });
  metadata.labels[target.label] = target.id;
  const toNewNamespace = target.mode === 'namespace';
  if (toNewNamespace && !target.namespace) {
    throw new Error('A restore to a new namespace needs the namespace');
  }
  return {
    apiVersion: 'velero.io/v1',
    kind: 'Restore',
    metadata,
    spec: {
      backupName: target.backupName,
      includedNamespaces: [source],
      restorePVs: true,
      existingResourcePolicy: toNewNamespace
        ? 'none'
        : target.existingResourcePolicy ?? 'none',
      ...(toNewNamespace
        ? {
            namespaceMapping: { [source]: target.namespace },
            labelSelector: {
              matchExpressions: [
                {
                  key: MANAGED_OBJECT_LABELS.managedBy,
                  operator: 'NotIn',
                  values: [MANAGED_BY_VALUE],
                },
              ],
            },
          }
        : {}),
    },
  };
}

/** The namespace a restore or drill creates to restore into, labelled as a copy. */
export function planRestoreNamespace(
  ctx: PlanContext,
  target: {
    id: string;
    label: VeleroRestoreTarget['label'];
    namespace: string;
  },
): PlannedObject {
  const { namespace: _none, ...metadata } = managedMetadata(ctx, 'velero', {
    name: target.namespace,
  });
  metadata.labels[target.label] = target.id;
  return { apiVersion: 'v1', kind: 'Namespace', metadata };
}
