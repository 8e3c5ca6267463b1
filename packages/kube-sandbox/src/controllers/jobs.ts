import { KubeObject } from '../resources/types';
import { StoreEvent } from '../store/ObjectStore';
import { isPodFinished, isPodReady, terminatedStatus } from './pods';
import {
  Controller,
  ControllerRuntime,
  controllerOf,
  controllerRef,
  Fields,
  keyOf,
  parseTimestamp,
  sameResource,
  setCondition,
} from './runtime';

/** How a Job's pod ends, decided by the test or the demo. */
export interface JobOutcome {
  succeeded: boolean;
  /** The container's termination message (e.g. a dump's JSON report). */
  terminationMessage?: string;
  /** Simulated run time; default `ControllerOptions.jobDurationMs`. */
  durationMs?: number;
}

export interface JobControllerOptions {
  jobDurationMs: number;
  jobOutcome(job: KubeObject): JobOutcome;
}

export const JOB_UID_LABEL = 'batch.kubernetes.io/controller-uid';
const BACKOFF_BASE_MS = 10_000;
const BACKOFF_MAX_MS = 360_000;
/** kube-apiserver truncates generateName bases to keep room for the 5-character suffix. */
const MAX_GENERATE_NAME_BASE = 58;

function finishedCondition(job: KubeObject): 'Complete' | 'Failed' | undefined {
  const conditions = ((job.status as Fields | undefined)?.conditions ??
    []) as Fields[];
  const done = conditions.find(
    c => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );
  return done?.type;
}

export function isJobFinished(job: KubeObject): boolean {
  return finishedCondition(job) !== undefined;
}

export function isJobSucceeded(job: KubeObject): boolean {
  return finishedCondition(job) === 'Complete';
}

/**
 * The Job controller (batch/v1), with the kubelet's part for Job pods: each
 * pod runs for the outcome's duration and ends Succeeded or Failed with the
 * outcome's termination message. Failed pods are replaced after the real
 * exponential back-off (10 s doubling, at most 6 min) until more than
 * `backoffLimit` (default 6) failed; `activeDeadlineSeconds` fails the Job
 * with DeadlineExceeded. Only the default NonIndexed completion mode with
 * `completions`/`parallelism` is simulated; every pod behaves as
 * restartPolicy Never.
 */
export function jobController(
  rt: ControllerRuntime,
  options: JobControllerOptions,
): Controller {
  const jobs = rt.kind('batch/v1', 'Job')!;
  const pods = rt.kind('v1', 'Pod')!;
  /** Pods already added to their Job's succeeded/failed counts, by Job uid. */
  const counted = new Map<string, Set<string>>();
  /** Active pods deleted before they finished, counted as failed, by Job uid. */
  const lost = new Map<string, number>();
  const lastFailure = new Map<string, number>();

  const enqueueJob = (namespace: string, name: string) =>
    rt.enqueue(`job/${namespace}/${name}`, () => reconcile(namespace, name));

  const podsOf = (job: KubeObject) =>
    rt.store
      .objects(pods, {
        namespace: job.metadata.namespace,
        labels: [
          { key: JOB_UID_LABEL, operator: 'in', values: [job.metadata.uid!] },
        ],
      })
      .filter(pod => controllerOf(pod)?.uid === job.metadata.uid);

  function outcomeFor(job: KubeObject): JobOutcome {
    try {
      return options.jobOutcome(job);
    } catch {
      return { succeeded: false, terminationMessage: 'jobOutcome threw' };
    }
  }

  function finishPod(
    namespace: string,
    name: string,
    uid: string,
    outcome: JobOutcome,
  ) {
    const pod = rt.store.get(pods, namespace, name);
    if (
      !pod ||
      pod.metadata.uid !== uid ||
      isPodFinished(pod) ||
      pod.metadata.deletionTimestamp
    ) {
      return;
    }
    const status = (pod.status as Fields | undefined) ?? {};
    rt.writeStatus(
      pods,
      pod,
      terminatedStatus(status, rt.timestamp(), {
        succeeded: outcome.succeeded,
        message: outcome.terminationMessage,
      }),
    );
  }

  function createPod(job: KubeObject) {
    const template = ((job.spec as Fields).template ?? {}) as Fields;
    const { name, uid, namespace } = job.metadata;
    const pod = rt.store.create(pods, namespace, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        generateName: `${name}-`.slice(0, MAX_GENERATE_NAME_BASE),
        labels: {
          ...(template.metadata?.labels ?? {}),
          [JOB_UID_LABEL]: uid!,
          'batch.kubernetes.io/job-name': name!,
          'controller-uid': uid!,
          'job-name': name!,
        },
        ...(template.metadata?.annotations
          ? { annotations: template.metadata.annotations }
          : {}),
        ownerReferences: [controllerRef(job)],
      },
      spec: structuredClone(template.spec ?? {}),
    });
    const outcome = outcomeFor(job);
    const duration = outcome.durationMs ?? options.jobDurationMs;
    const podUid = pod.metadata.uid!;
    rt.at(`job-pod/${podUid}`, new Date(rt.now().getTime() + duration), () =>
      finishPod(namespace!, pod.metadata.name!, podUid, outcome),
    );
  }

  function reconcile(namespace: string, name: string) {
    const job = rt.store.get(jobs, namespace, name);
    if (!job || job.metadata.deletionTimestamp) return;
    const uid = job.metadata.uid!;
    if (isJobFinished(job)) {
      rt.cancel(`job-deadline/${uid}`);
      rt.cancel(`job-backoff/${uid}`);
      return;
    }
    const spec = (job.spec ?? {}) as Fields;
    const status = structuredClone((job.status ?? {}) as Fields);
    const now = rt.now();
    const nowText = rt.timestamp(now);
    const completions: number = spec.completions ?? 1;
    const parallelism: number = spec.parallelism ?? 1;
    const backoffLimit: number = spec.backoffLimit ?? 6;
    const startTime = parseTimestamp(status.startTime) ?? now;

    let succeeded: number = status.succeeded ?? 0;
    let failed: number = status.failed ?? 0;
    const seen = counted.get(uid) ?? new Set<string>();
    counted.set(uid, seen);
    const owned = podsOf(job);
    for (const pod of owned.filter(isPodFinished)) {
      if (seen.has(pod.metadata.uid!)) continue;
      seen.add(pod.metadata.uid!);
      if ((pod.status as Fields).phase === 'Succeeded') {
        succeeded += 1;
      } else {
        failed += 1;
        lastFailure.set(uid, now.getTime());
      }
    }
    if (lost.has(uid)) {
      failed += lost.get(uid)!;
      lastFailure.set(uid, now.getTime());
      lost.delete(uid);
    }
    const active = owned.filter(
      pod => !isPodFinished(pod) && !pod.metadata.deletionTimestamp,
    );
    const deadline =
      typeof spec.activeDeadlineSeconds === 'number'
        ? startTime.getTime() + spec.activeDeadlineSeconds * 1000
        : undefined;

    const next: Fields = {
      ...status,
      startTime: status.startTime ?? nowText,
      ready: active.filter(isPodReady).length,
      terminating: 0,
      uncountedTerminatedPods: {},
    };
    delete next.active;

    const finish = (
      type: 'Complete' | 'Failed',
      reason: string,
      message: string,
    ) => {
      const target =
        type === 'Complete' ? 'SuccessCriteriaMet' : 'FailureTarget';
      let conditions = next.conditions as Fields[] | undefined;
      for (const conditionType of [target, type]) {
        conditions = setCondition(
          conditions,
          {
            type: conditionType,
            status: 'True',
            lastProbeTime: nowText,
            reason,
            message,
          },
          nowText,
        );
      }
      next.conditions = conditions;
      next.ready = 0;
      if (type === 'Complete') next.completionTime = nowText;
    };

    if (succeeded >= completions) {
      finish(
        'Complete',
        'CompletionsReached',
        'Reached expected number of succeeded pods',
      );
    } else if (failed > backoffLimit) {
      finish(
        'Failed',
        'BackoffLimitExceeded',
        'Job has reached the specified backoff limit',
      );
    } else if (deadline !== undefined && now.getTime() >= deadline) {
      failed += active.length;
      finish(
        'Failed',
        'DeadlineExceeded',
        'Job was active longer than specified deadline',
      );
    }
    if (succeeded > 0) next.succeeded = succeeded;
    if (failed > 0) next.failed = failed;

    if (finishedConditionOf(next)) {
      rt.writeStatus(jobs, job, next);
      active.forEach(pod => {
        seen.add(pod.metadata.uid!);
        rt.deleteQuietly(pods, pod);
      });
      rt.cancel(`job-deadline/${uid}`);
      rt.cancel(`job-backoff/${uid}`);
      return;
    }

    let running = active.length;
    const wanted = Math.min(parallelism, completions - succeeded);
    if (running < wanted) {
      const delay =
        failed > 0
          ? Math.min(BACKOFF_BASE_MS * 2 ** (failed - 1), BACKOFF_MAX_MS)
          : 0;
      const allowedAt = (lastFailure.get(uid) ?? 0) + delay;
      if (failed > 0 && now.getTime() < allowedAt) {
        rt.at(`job-backoff/${uid}`, new Date(allowedAt), () =>
          enqueueJob(namespace, name),
        );
      } else if (rt.namespaceActive(namespace)) {
        for (; running < wanted; running++) createPod(job);
      }
    }
    if (running > 0) next.active = running;
    if (deadline !== undefined) {
      rt.at(`job-deadline/${uid}`, new Date(deadline), () =>
        enqueueJob(namespace, name),
      );
    }
    rt.writeStatus(jobs, rt.store.get(jobs, namespace, name) ?? job, next);
  }

  return {
    onEvent(event: StoreEvent) {
      if (sameResource(jobs, event.resource)) {
        const job = event.object;
        if (event.type === 'DELETED') {
          const uid = job.metadata.uid!;
          counted.delete(uid);
          lost.delete(uid);
          lastFailure.delete(uid);
          rt.cancel(`job-deadline/${uid}`);
          rt.cancel(`job-backoff/${uid}`);
          return;
        }
        if (!isJobFinished(job))
          enqueueJob(job.metadata.namespace!, job.metadata.name!);
        return;
      }
      if (!sameResource(pods, event.resource)) return;
      const pod = event.object;
      const owner = controllerOf(pod);
      if (event.type === 'DELETED') rt.cancel(`job-pod/${pod.metadata.uid}`);
      if (owner?.kind !== 'Job' || owner.apiVersion !== 'batch/v1') return;
      const job = rt.store.get(jobs, pod.metadata.namespace, owner.name);
      if (!job || job.metadata.uid !== owner.uid || isJobFinished(job)) return;
      if (event.type === 'DELETED' && !isPodFinished(pod)) {
        const seen = counted.get(owner.uid);
        if (!seen?.has(pod.metadata.uid!)) {
          seen?.add(pod.metadata.uid!);
          lost.set(owner.uid, (lost.get(owner.uid) ?? 0) + 1);
        }
      }
      enqueueJob(job.metadata.namespace!, job.metadata.name!);
    },
    resync() {
      for (const job of rt.store.objects(jobs)) {
        if (!isJobFinished(job)) {
          rt.enqueue(`job/${keyOf(job)}`, () =>
            reconcile(job.metadata.namespace!, job.metadata.name!),
          );
        }
      }
    },
  };
}

function finishedConditionOf(status: Fields): boolean {
  return ((status.conditions ?? []) as Fields[]).some(
    c => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );
}
