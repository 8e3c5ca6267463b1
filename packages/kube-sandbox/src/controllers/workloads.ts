import { KubeObject, ResourceType } from '../resources/types';
import { StoreEvent } from '../store/ObjectStore';
import { selectorMatches } from './labelSelector';
import { templateHash } from './names';
import { isPodReady } from './pods';
import {
  Controller,
  ControllerRuntime,
  controllerOf,
  controllerRef,
  Fields,
  keyOf,
  sameResource,
  setCondition,
} from './runtime';

const MAX_GENERATE_NAME_BASE = 58;

function podsOwnedBy(rt: ControllerRuntime, owner: KubeObject): KubeObject[] {
  const pods = rt.kind('v1', 'Pod')!;
  const selector = ((owner.spec as Fields | undefined)?.selector ??
    {}) as Fields;
  const matchLabels = Object.entries(
    (selector.matchLabels ?? {}) as Record<string, string>,
  ).map(([key, value]) => ({ key, operator: 'in' as const, values: [value] }));
  return rt.store
    .objects(pods, { namespace: owner.metadata.namespace, labels: matchLabels })
    .filter(pod => controllerOf(pod)?.uid === owner.metadata.uid)
    .filter(pod => selectorMatches(selector, pod.metadata.labels));
}

function ordinalOf(pod: KubeObject, owner: KubeObject): number {
  const suffix = pod.metadata.name!.slice(owner.metadata.name!.length + 1);
  return /^\d+$/.test(suffix) ? Number(suffix) : -1;
}

/** Reconciles the owner when one of its pods changes. */
function ownerEvents(
  rt: ControllerRuntime,
  resource: ResourceType,
  kind: string,
  enqueue: (namespace: string, name: string) => void,
) {
  const pods = rt.kind('v1', 'Pod')!;
  return (event: StoreEvent) => {
    if (sameResource(resource, event.resource)) {
      if (event.type !== 'DELETED') {
        enqueue(event.object.metadata.namespace!, event.object.metadata.name!);
      }
      return;
    }
    if (!sameResource(pods, event.resource)) return;
    const owner = controllerOf(event.object);
    if (owner?.kind === kind && owner.apiVersion === 'apps/v1') {
      enqueue(event.object.metadata.namespace!, owner.name);
    }
  };
}

/**
 * The Deployment controller, simulated without ReplicaSets (the sandbox does
 * not serve them): it keeps `spec.replicas` (default 1) pods
 * `<deployment>-<pod-template-hash>-<5 chars>` from `spec.template`, owned by
 * the Deployment and labelled `pod-template-hash`; a changed template replaces
 * the pods (all at once); scaling down deletes the newest not-ready pods
 * first. Status counts replicas, updated, ready and available pods, with the
 * Available and Progressing conditions.
 */
export function deploymentController(rt: ControllerRuntime): Controller {
  const deployments = rt.kind('apps/v1', 'Deployment')!;
  const pods = rt.kind('v1', 'Pod')!;

  const enqueue = (namespace: string, name: string) =>
    rt.enqueue(`deployment/${namespace}/${name}`, () =>
      reconcile(namespace, name),
    );

  function reconcile(namespace: string, name: string) {
    const deployment = rt.store.get(deployments, namespace, name);
    if (!deployment || deployment.metadata.deletionTimestamp) return;
    const spec = (deployment.spec ?? {}) as Fields;
    const template = (spec.template ?? {}) as Fields;
    const replicas: number = spec.replicas ?? 1;
    const hash = templateHash(template);
    const owned = podsOwnedBy(rt, deployment).filter(
      pod => !pod.metadata.deletionTimestamp,
    );
    const outdated = owned.filter(
      pod => pod.metadata.labels?.['pod-template-hash'] !== hash,
    );
    outdated.forEach(pod => rt.deleteQuietly(pods, pod));
    let current = owned.filter(pod => !outdated.includes(pod));
    if (current.length > replicas) {
      const doomed = [...current]
        .sort(
          (a, b) =>
            Number(isPodReady(a)) - Number(isPodReady(b)) ||
            (b.metadata.creationTimestamp ?? '').localeCompare(
              a.metadata.creationTimestamp ?? '',
            ),
        )
        .slice(0, current.length - replicas);
      doomed.forEach(pod => rt.deleteQuietly(pods, pod));
      current = current.filter(pod => !doomed.includes(pod));
    }
    if (!spec.paused && rt.namespaceActive(namespace)) {
      for (let i = current.length; i < replicas; i++) {
        current.push(
          rt.store.create(pods, namespace, {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: {
              generateName: `${name}-${hash}-`.slice(0, MAX_GENERATE_NAME_BASE),
              labels: {
                ...(template.metadata?.labels ?? {}),
                'pod-template-hash': hash,
              },
              ...(template.metadata?.annotations
                ? { annotations: template.metadata.annotations }
                : {}),
              ownerReferences: [controllerRef(deployment)],
            },
            spec: structuredClone(template.spec ?? {}),
          }),
        );
      }
    }
    const ready = current.filter(isPodReady).length;
    const now = rt.timestamp();
    const status = structuredClone((deployment.status ?? {}) as Fields);
    const maxUnavailable = Math.floor(replicas * 0.25);
    const available = ready >= replicas - maxUnavailable;
    const complete = current.length === replicas && ready === replicas;
    const rsName = `${name}-${hash}`;
    const condition = (c: Fields) => ({ ...c, lastUpdateTime: now });
    let conditions = setCondition(
      status.conditions,
      condition(
        available
          ? {
              type: 'Available',
              status: 'True',
              reason: 'MinimumReplicasAvailable',
              message: 'Deployment has minimum availability.',
            }
          : {
              type: 'Available',
              status: 'False',
              reason: 'MinimumReplicasUnavailable',
              message: 'Deployment does not have minimum availability.',
            },
      ),
      now,
    );
    conditions = setCondition(
      conditions,
      condition(
        complete
          ? {
              type: 'Progressing',
              status: 'True',
              reason: 'NewReplicaSetAvailable',
              message: `ReplicaSet "${rsName}" has successfully progressed.`,
            }
          : {
              type: 'Progressing',
              status: 'True',
              reason: 'ReplicaSetUpdated',
              message: `ReplicaSet "${rsName}" is progressing.`,
            },
      ),
      now,
    );
    // Keep lastUpdateTime unchanged when nothing else changed, so a resync writes nothing.
    conditions = conditions.map(c => {
      const before = ((status.conditions ?? []) as Fields[]).find(
        p => p.type === c.type,
      );
      return before && before.status === c.status && before.reason === c.reason
        ? { ...c, lastUpdateTime: before.lastUpdateTime }
        : c;
    });
    const next: Fields = {
      observedGeneration: deployment.metadata.generation ?? 1,
      ...(current.length
        ? { replicas: current.length, updatedReplicas: current.length }
        : {}),
      ...(ready ? { readyReplicas: ready, availableReplicas: ready } : {}),
      ...(replicas - ready > 0
        ? { unavailableReplicas: replicas - ready }
        : {}),
      conditions,
    };
    rt.writeStatus(
      deployments,
      rt.store.get(deployments, namespace, name)!,
      next,
    );
  }

  return {
    onEvent: ownerEvents(rt, deployments, 'Deployment', enqueue),
    resync() {
      for (const deployment of rt.store.objects(deployments)) {
        rt.enqueue(`deployment/${keyOf(deployment)}`, () =>
          reconcile(deployment.metadata.namespace!, deployment.metadata.name!),
        );
      }
    },
  };
}

/**
 * The StatefulSet controller, simulated: pods `<sts>-0 … <sts>-(n-1)` with
 * stable names, created in order (OrderedReady: each after the previous one is
 * Ready; Parallel: all at once), deleted from the highest ordinal when scaling
 * down, replaced (highest first) when the template changes; each pod has the
 * labels `controller-revision-hash`, `statefulset.kubernetes.io/pod-name` and
 * `apps.kubernetes.io/pod-index`. `volumeClaimTemplates` give each pod its
 * PVCs `<template>-<sts>-<ordinal>` (kept when the set scales down or is
 * deleted, the default Retain policy).
 */
export function statefulSetController(rt: ControllerRuntime): Controller {
  const statefulSets = rt.kind('apps/v1', 'StatefulSet')!;
  const pods = rt.kind('v1', 'Pod')!;
  const claims = rt.kind('v1', 'PersistentVolumeClaim')!;

  const enqueue = (namespace: string, name: string) =>
    rt.enqueue(`statefulset/${namespace}/${name}`, () =>
      reconcile(namespace, name),
    );

  function ensureClaims(set: KubeObject, ordinal: number): Fields[] {
    const spec = set.spec as Fields;
    const namespace = set.metadata.namespace;
    const volumes: Fields[] = [];
    for (const template of (spec.volumeClaimTemplates ?? []) as Fields[]) {
      const claimName = `${template.metadata?.name}-${set.metadata.name}-${ordinal}`;
      if (!rt.store.get(claims, namespace, claimName)) {
        rt.store.create(claims, namespace, {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: {
            name: claimName,
            labels: {
              ...(template.metadata?.labels ?? {}),
              ...(spec.selector?.matchLabels ?? {}),
            },
            ...(template.metadata?.annotations
              ? { annotations: template.metadata.annotations }
              : {}),
          },
          spec: structuredClone(template.spec ?? {}),
        });
      }
      volumes.push({
        name: template.metadata?.name,
        persistentVolumeClaim: { claimName },
      });
    }
    return volumes;
  }

  function createPod(set: KubeObject, ordinal: number, revision: string) {
    const spec = set.spec as Fields;
    const template = (spec.template ?? {}) as Fields;
    const name = `${set.metadata.name}-${ordinal}`;
    const claimVolumes = ensureClaims(set, ordinal);
    const podSpec = structuredClone((template.spec ?? {}) as Fields);
    const declared = new Set(
      ((podSpec.volumes ?? []) as Fields[]).map(v => v.name),
    );
    const volumes = [
      ...((podSpec.volumes ?? []) as Fields[]),
      ...claimVolumes.filter(v => !declared.has(v.name)),
    ];
    rt.store.create(pods, set.metadata.namespace, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        labels: {
          ...(template.metadata?.labels ?? {}),
          'controller-revision-hash': revision,
          'statefulset.kubernetes.io/pod-name': name,
          'apps.kubernetes.io/pod-index': String(ordinal),
        },
        ...(template.metadata?.annotations
          ? { annotations: template.metadata.annotations }
          : {}),
        ownerReferences: [controllerRef(set)],
      },
      spec: {
        ...podSpec,
        ...(volumes.length ? { volumes } : {}),
        hostname: name,
        ...(spec.serviceName ? { subdomain: spec.serviceName } : {}),
      },
    });
  }

  function reconcile(namespace: string, name: string) {
    const set = rt.store.get(statefulSets, namespace, name);
    if (!set || set.metadata.deletionTimestamp) return;
    const spec = (set.spec ?? {}) as Fields;
    const replicas: number = spec.replicas ?? 1;
    const parallel = spec.podManagementPolicy === 'Parallel';
    const revision = `${name}-${templateHash(spec.template)}`;
    const owned = podsOwnedBy(rt, set).filter(
      pod => !pod.metadata.deletionTimestamp,
    );
    const byOrdinal = new Map(owned.map(pod => [ordinalOf(pod, set), pod]));

    // Scale down, highest ordinal first.
    const surplus = owned
      .filter(pod => ordinalOf(pod, set) >= replicas || ordinalOf(pod, set) < 0)
      .sort((a, b) => ordinalOf(b, set) - ordinalOf(a, set));
    for (const pod of parallel ? surplus : surplus.slice(0, 1)) {
      rt.deleteQuietly(pods, pod);
      byOrdinal.delete(ordinalOf(pod, set));
    }
    if (rt.namespaceActive(namespace) && (parallel || surplus.length === 0)) {
      for (let ordinal = 0; ordinal < replicas; ordinal++) {
        if (byOrdinal.has(ordinal)) {
          if (!parallel && !isPodReady(byOrdinal.get(ordinal)!)) break;
          continue;
        }
        createPod(set, ordinal, revision);
        if (!parallel) break;
      }
      // Rolling update: replace the highest outdated pod once all are Ready.
      const present = [...byOrdinal.values()];
      const outdated = present
        .filter(
          pod => pod.metadata.labels?.['controller-revision-hash'] !== revision,
        )
        .sort((a, b) => ordinalOf(b, set) - ordinalOf(a, set));
      if (
        outdated.length > 0 &&
        present.length === replicas &&
        present.every(isPodReady)
      ) {
        rt.deleteQuietly(pods, outdated[0]);
      }
    }

    const current = podsOwnedBy(rt, set).filter(
      pod => !pod.metadata.deletionTimestamp,
    );
    const ready = current.filter(isPodReady).length;
    const updated = current.filter(
      pod => pod.metadata.labels?.['controller-revision-hash'] === revision,
    ).length;
    const status = (set.status ?? {}) as Fields;
    const next: Fields = {
      observedGeneration: set.metadata.generation ?? 1,
      replicas: current.length,
      ...(ready
        ? { readyReplicas: ready, availableReplicas: ready }
        : { availableReplicas: 0 }),
      currentReplicas:
        updated === current.length ? current.length : current.length - updated,
      updatedReplicas: updated,
      currentRevision:
        updated === current.length
          ? revision
          : status.currentRevision ?? revision,
      updateRevision: revision,
      collisionCount: 0,
    };
    rt.writeStatus(
      statefulSets,
      rt.store.get(statefulSets, namespace, name)!,
      next,
    );
  }

  return {
    onEvent: ownerEvents(rt, statefulSets, 'StatefulSet', enqueue),
    resync() {
      for (const set of rt.store.objects(statefulSets)) {
        rt.enqueue(`statefulset/${keyOf(set)}`, () =>
          reconcile(set.metadata.namespace!, set.metadata.name!),
        );
      }
    },
  };
}
