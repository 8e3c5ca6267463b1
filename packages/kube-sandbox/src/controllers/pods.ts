import { KubeObject } from '../resources/types';
import { StoreEvent } from '../store/ObjectStore';
import { randomHex } from './names';
import {
  Controller,
  ControllerRuntime,
  Fields,
  keyOf,
  parseTimestamp,
  sameResource,
} from './runtime';

export const NODE_NAME = 'sandbox-node';
const HOST_IP = '10.0.0.10';

function containersOf(pod: KubeObject): Fields[] {
  return (
    ((pod.spec as Fields | undefined)?.containers as Fields[] | undefined) ?? []
  );
}

function conditions(now: string, ready: boolean, reason?: string): Fields[] {
  const readiness = (type: string) => ({
    type,
    status: ready ? 'True' : 'False',
    lastProbeTime: null,
    lastTransitionTime: now,
    ...(ready ? {} : { reason: reason ?? 'ContainersNotReady' }),
  });
  return [
    {
      type: 'PodReadyToStartContainers',
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: now,
    },
    {
      type: 'Initialized',
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: now,
    },
    readiness('Ready'),
    readiness('ContainersReady'),
    {
      type: 'PodScheduled',
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: now,
    },
  ];
}

/** The status a kubelet reports once the pod's containers started. */
export function runningStatus(
  pod: KubeObject,
  now: string,
  podIP: string,
): Fields {
  return {
    phase: 'Running',
    conditions: conditions(now, false),
    hostIP: HOST_IP,
    hostIPs: [{ ip: HOST_IP }],
    podIP,
    podIPs: [{ ip: podIP }],
    startTime: now,
    // Set by the API server when the pod was created.
    qosClass: (pod.status as Fields | undefined)?.qosClass ?? 'BestEffort',
    containerStatuses: containersOf(pod).map(container => ({
      name: container.name,
      image: container.image,
      imageID: `${container.image}@sha256:${randomHex(64)}`,
      containerID: `containerd://${randomHex(64)}`,
      ready: false,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: now } },
    })),
  };
}

/** The status of a pod whose containers all passed readiness. */
export function readyStatus(status: Fields, now: string): Fields {
  return {
    ...status,
    conditions: (status.conditions as Fields[]).map(condition =>
      condition.type === 'Ready' || condition.type === 'ContainersReady'
        ? {
            type: condition.type,
            status: 'True',
            lastProbeTime: null,
            lastTransitionTime: now,
          }
        : condition,
    ),
    containerStatuses: (status.containerStatuses as Fields[]).map(
      container => ({
        ...container,
        ready: true,
      }),
    ),
  };
}

/** How a pod's run ended: the first container reports the exit code and message. */
export interface Termination {
  succeeded: boolean;
  message?: string;
}

/** The status of a pod whose containers exited (restartPolicy Never). */
export function terminatedStatus(
  status: Fields,
  now: string,
  termination: Termination,
): Fields {
  return {
    ...status,
    phase: termination.succeeded ? 'Succeeded' : 'Failed',
    conditions: (status.conditions as Fields[]).map(condition =>
      condition.type === 'Ready' || condition.type === 'ContainersReady'
        ? {
            type: condition.type,
            status: 'False',
            lastProbeTime: null,
            lastTransitionTime: now,
            reason: 'PodCompleted',
          }
        : condition,
    ),
    containerStatuses: ((status.containerStatuses ?? []) as Fields[]).map(
      (container, index) => {
        const first = index === 0;
        const exitCode = first && !termination.succeeded ? 1 : 0;
        return {
          ...container,
          ready: false,
          started: false,
          state: {
            terminated: {
              exitCode,
              reason: exitCode === 0 ? 'Completed' : 'Error',
              ...(first && termination.message !== undefined
                ? { message: termination.message }
                : {}),
              startedAt:
                container.state?.running?.startedAt ?? status.startTime ?? now,
              finishedAt: now,
              containerID: container.containerID,
            },
          },
        };
      },
    ),
  };
}

export function isPodFinished(pod: KubeObject): boolean {
  const phase = (pod.status as Fields | undefined)?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

export function isPodReady(pod: KubeObject): boolean {
  const status = pod.status as Fields | undefined;
  return (
    status?.phase === 'Running' &&
    ((status.conditions ?? []) as Fields[]).some(
      c => c.type === 'Ready' && c.status === 'True',
    )
  );
}

/** A pod the kubelet has not started: Pending (as created) without a start time. */
function notStarted(pod: KubeObject): boolean {
  const status = pod.status as Fields | undefined;
  return !status?.phase || (status.phase === 'Pending' && !status.startTime);
}

/**
 * The kubelet, simulated: every Pod that has not started starts Running at once
 * (scheduled on one node, with an IP) and becomes Ready `podReadyAfterMs`
 * later. Ending a pod is up to its owner's controller (the Job controller
 * plays the containers of Job pods); other pods run until deleted.
 */
export function podController(
  rt: ControllerRuntime,
  options: { podReadyAfterMs: number },
): Controller & { setReadiness(ready: (pod: KubeObject) => boolean): void } {
  const pods = rt.kind('v1', 'Pod')!;
  let nextIp = 1;
  // A pod this refuses stays Running and not Ready, as with a failing readiness probe.
  let passesReadiness: (pod: KubeObject) => boolean = () => true;

  function allocateIp() {
    const n = nextIp++;
    return `10.244.${Math.floor(n / 250) % 250}.${(n % 250) + 2}`;
  }

  function markReady(namespace: string, name: string, uid: string) {
    const pod = rt.store.get(pods, namespace, name);
    if (!pod || pod.metadata.uid !== uid || pod.metadata.deletionTimestamp)
      return;
    const status = pod.status as Fields | undefined;
    if (status?.phase !== 'Running' || isPodReady(pod)) return;
    if (!passesReadiness(pod)) return;
    rt.writeStatus(pods, pod, readyStatus(status, rt.timestamp()));
  }

  function reconcile(namespace: string, name: string) {
    const pod = rt.store.get(pods, namespace, name);
    if (!pod || pod.metadata.deletionTimestamp) return;
    const uid = pod.metadata.uid!;
    if (notStarted(pod)) {
      const started = rt.writeStatus(
        pods,
        pod,
        runningStatus(pod, rt.timestamp(), allocateIp()),
      );
      const startTime =
        parseTimestamp((started.status as Fields).startTime) ?? rt.now();
      rt.at(
        `pod-ready/${uid}`,
        new Date(startTime.getTime() + options.podReadyAfterMs),
        () => markReady(namespace, name, uid),
      );
    }
  }

  return {
    setReadiness(ready) {
      passesReadiness = ready;
      // Pods that were held back become Ready now, as a probe that passes again.
      for (const pod of rt.store.objects(pods)) {
        const { namespace, name, uid } = pod.metadata;
        rt.enqueue(`pod-readiness/${uid}`, () =>
          markReady(namespace!, name!, uid!),
        );
      }
    },
    onEvent(event: StoreEvent) {
      if (!sameResource(pods, event.resource)) return;
      const pod = event.object;
      if (event.type === 'DELETED') {
        rt.cancel(`pod-ready/${pod.metadata.uid}`);
        return;
      }
      if (notStarted(pod)) {
        rt.enqueue(`pod/${keyOf(pod)}`, () =>
          reconcile(pod.metadata.namespace!, pod.metadata.name!),
        );
      }
    },
    resync() {
      for (const pod of rt.store.objects(pods)) {
        rt.enqueue(`pod/${keyOf(pod)}`, () =>
          reconcile(pod.metadata.namespace!, pod.metadata.name!),
        );
      }
    },
  };
}
