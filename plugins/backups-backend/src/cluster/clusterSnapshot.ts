import * as k8s from '@kubernetes/client-node';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  COPY_NAMESPACE_LABELS,
  ENTITY_REF_ANNOTATION,
  MANAGED_BY_VALUE,
  MANAGED_OBJECT_LABELS,
} from '@backups-for-backstage/plugin-backups-common';
import { ClusterConfig } from '../config/readBackupsConfig';
import { labelValue } from '../plan/naming';
import { ClusterConnections, ServedApis } from './ClusterConnections';
import {
  errorMessage,
  groupByEntity,
  keyOf,
  LiveObjects,
  refOf,
} from './objects';

/**
 * What every cluster serves and, for a fleet run, every managed object in it,
 * read once so that each entity does not read them again.
 */
export interface ClusterSnapshot {
  /** Whether `objectsByEntity` holds every managed object (a fleet run). */
  listed: boolean;
  clusters: Map<
    string,
    | {
        served: ServedApis;
        objectsByEntity: Map<string, LiveObjects>;
        /** Namespaces a restore or drill made (labelled so): never touched. */
        copyNamespaces: Map<string, string>;
      }
    | { error: string }
  >;
}

/** The label selector of an entity's managed objects. */
export function managedSelector(entity: CompoundEntityRef): string {
  return [
    `${MANAGED_OBJECT_LABELS.managedBy}=${MANAGED_BY_VALUE}`,
    `${MANAGED_OBJECT_LABELS.entityKind}=${labelValue(
      entity.kind.toLowerCase(),
    )}`,
    `${MANAGED_OBJECT_LABELS.entityNamespace}=${labelValue(entity.namespace)}`,
    `${MANAGED_OBJECT_LABELS.entityName}=${labelValue(entity.name)}`,
  ].join(',');
}

/**
 * Discovery of every cluster and, with `listObjects`, one LIST per managed
 * kind of every managed object. A cluster that fails is recorded with its
 * error; the others are still read.
 */
export async function readClusters(options: {
  connections: ClusterConnections;
  clusters: ClusterConfig[];
  listObjects: boolean;
}): Promise<ClusterSnapshot> {
  const { connections } = options;
  const clusters: ClusterSnapshot['clusters'] = new Map();
  await Promise.all(
    options.clusters.map(async cluster => {
      try {
        const served = await connections.servedApis(cluster);
        const copyNamespaces = await listCopyNamespaces({
          connections,
          cluster,
        });
        const objects = options.listObjects
          ? await connections.listManaged({
              cluster,
              served,
              selector: `${MANAGED_OBJECT_LABELS.managedBy}=${MANAGED_BY_VALUE}`,
            })
          : [];
        clusters.set(cluster.name, {
          served,
          objectsByEntity: groupByEntity(
            objects.filter(
              object => !copyNamespaces.has(object.metadata?.namespace ?? ''),
            ),
          ),
          copyNamespaces,
        });
      } catch (error) {
        clusters.set(cluster.name, { error: errorMessage(error) });
      }
    }),
  );
  return { listed: options.listObjects, clusters };
}

/**
 * The namespaces of a cluster that restores and drills made, with the label
 * that says so (`backups/restore=<id>`): one LIST of namespaces.
 */
export async function listCopyNamespaces(options: {
  connections: ClusterConnections;
  cluster: ClusterConfig;
}): Promise<Map<string, string>> {
  const list = await options.connections.request(options.cluster, ({ api }) =>
    api(k8s.CoreV1Api).listNamespace(),
  );
  const copies = new Map<string, string>();
  for (const namespace of list.items) {
    const labels = namespace.metadata?.labels ?? {};
    const label = COPY_NAMESPACE_LABELS.find(key => labels[key] !== undefined);
    if (label && namespace.metadata?.name) {
      copies.set(namespace.metadata.name, `${label}=${labels[label]}`);
    }
  }
  return copies;
}

/** The entity refs that own managed objects in any cluster of a snapshot. */
export function entitiesWithObjects(snapshot: ClusterSnapshot): Set<string> {
  const refs = new Set<string>();
  for (const cluster of snapshot.clusters.values()) {
    if ('objectsByEntity' in cluster) {
      for (const ref of cluster.objectsByEntity.keys()) refs.add(ref);
    }
  }
  return refs;
}

/** One entity's managed objects in a cluster, listed now. */
export async function listEntityObjects(options: {
  connections: ClusterConnections;
  cluster: ClusterConfig;
  served: ServedApis;
  entity: CompoundEntityRef;
}): Promise<LiveObjects> {
  const objects = await options.connections.listManaged({
    cluster: options.cluster,
    served: options.served,
    selector: managedSelector(options.entity),
  });
  const entityRef = stringifyEntityRef(options.entity);
  // Labels may be shortened with a hash; the annotation has the full ref.
  const owned = objects.filter(object => {
    const owner = object.metadata?.annotations?.[ENTITY_REF_ANNOTATION];
    return owner === undefined || owner === entityRef;
  });
  return new Map(owned.map(object => [keyOf(refOf(object)), object]));
}
