import { KubeObject, ResourceType } from '../resources/types';
import { StoreEvent } from '../store/ObjectStore';
import { parseStandardCron } from './cron';
import { parseGoDuration } from './durations';
import { selectorMatches } from './labelSelector';
import { compactTimestamp } from './names';
import {
  Controller,
  ControllerRuntime,
  Fields,
  keyOf,
  parseTimestamp,
  sameResource,
  setCondition,
} from './runtime';

export const SCHEDULE_LABEL = 'snapscheduler.backube/schedule';
export const WHEN_LABEL = 'snapscheduler.backube/when';
const MAX_REQUEUE_MS = 5 * 60_000;
const NAME_BUDGET = 253 - 12 - 2;

/** SnapScheduler's snapshotName: `<pvc>-<schedule>-<YYYYMMDDhhmm>`, truncating long names. */
export function scheduledSnapshotName(
  pvc: string,
  schedule: string,
  time: Date,
): string {
  let pvcName = pvc;
  let scheduleName = schedule;
  if (pvcName.length + scheduleName.length > NAME_BUDGET) {
    const pvcOver = pvcName.length > NAME_BUDGET / 2;
    const scheduleOver = scheduleName.length > NAME_BUDGET / 2;
    if (pvcOver && !scheduleOver)
      pvcName = pvcName.slice(0, NAME_BUDGET - scheduleName.length);
    if (!pvcOver && scheduleOver)
      scheduleName = scheduleName.slice(0, NAME_BUDGET - pvcName.length);
    if (pvcOver && scheduleOver) {
      scheduleName = scheduleName.slice(0, Math.floor(NAME_BUDGET / 2));
      pvcName = pvcName.slice(0, Math.floor(NAME_BUDGET / 2));
    }
  }
  return `${pvcName}-${scheduleName}-${compactTimestamp(time, false)}`;
}

function creationTime(object: KubeObject): number {
  return parseTimestamp(object.metadata.creationTimestamp)?.getTime() ?? 0;
}

/**
 * backube SnapScheduler (snapscheduler.backube/v1 SnapshotSchedule),
 * simulated when that CRD is served: at each tick of `spec.schedule` it
 * creates a VolumeSnapshot of every PVC matching `spec.claimSelector`, named
 * `<pvc>-<schedule>-<YYYYMMDDhhmm>` and labelled with the schedule and time,
 * then prunes each PVC's snapshots beyond `spec.retention.maxCount` and older
 * than `spec.retention.expires`; `status.lastSnapshotTime`,
 * `nextSnapshotTime` and a `Reconciled` condition follow.
 */
export function snapshotScheduleController(
  rt: ControllerRuntime,
): Controller | undefined {
  const schedules = rt.kind('snapscheduler.backube/v1', 'SnapshotSchedule');
  const snapshots = rt.kind('snapshot.storage.k8s.io/v1', 'VolumeSnapshot');
  if (!schedules || !snapshots) return undefined;
  return scheduleController(rt, schedules, snapshots);
}

function scheduleController(
  rt: ControllerRuntime,
  schedules: ResourceType,
  snapshots: ResourceType,
): Controller {
  const claims = rt.kind('v1', 'PersistentVolumeClaim')!;

  const enqueue = (namespace: string, name: string) =>
    rt.enqueue(`snapshotschedule/${namespace}/${name}`, () =>
      reconcile(namespace, name),
    );

  const snapshotsOf = (schedule: KubeObject) =>
    rt.store.objects(snapshots, {
      namespace: schedule.metadata.namespace,
      labels: [
        {
          key: SCHEDULE_LABEL,
          operator: 'in',
          values: [schedule.metadata.name!],
        },
      ],
    });

  function expire(schedule: KubeObject, now: Date) {
    const retention = ((schedule.spec as Fields).retention ?? {}) as Fields;
    let list = snapshotsOf(schedule).filter(s => !s.metadata.deletionTimestamp);
    if (retention.expires) {
      const lifetime = parseGoDuration(retention.expires);
      if (lifetime === undefined)
        throw new Error(`time: invalid duration "${retention.expires}"`);
      if (lifetime < 0) throw new Error('duration must be greater than 0');
      const cutoff = now.getTime() - lifetime;
      const expired = list.filter(s => creationTime(s) < cutoff);
      expired.forEach(s => rt.deleteQuietly(snapshots, s));
      list = list.filter(s => !expired.includes(s));
    }
    if (typeof retention.maxCount === 'number') {
      const byClaim = new Map<string, KubeObject[]>();
      for (const snapshot of list) {
        const claim = (snapshot.spec as Fields).source
          ?.persistentVolumeClaimName;
        if (claim)
          byClaim.set(claim, [...(byClaim.get(claim) ?? []), snapshot]);
      }
      for (const group of byClaim.values()) {
        const sorted = [...group].sort(
          (a, b) => creationTime(a) - creationTime(b),
        );
        sorted
          .slice(0, Math.max(0, sorted.length - retention.maxCount))
          .forEach(s => rt.deleteQuietly(snapshots, s));
      }
    }
  }

  function takeSnapshots(schedule: KubeObject, at: Date) {
    const spec = schedule.spec as Fields;
    const { namespace, name } = schedule.metadata;
    const template = (spec.snapshotTemplate ?? {}) as Fields;
    for (const pvc of rt.store.objects(claims, { namespace })) {
      if (!selectorMatches(spec.claimSelector ?? {}, pvc.metadata.labels))
        continue;
      rt.createOrGet(snapshots, namespace, {
        apiVersion: 'snapshot.storage.k8s.io/v1',
        kind: 'VolumeSnapshot',
        metadata: {
          name: scheduledSnapshotName(pvc.metadata.name!, name!, at),
          namespace,
          labels: {
            ...(template.labels ?? {}),
            [SCHEDULE_LABEL]: name!,
            [WHEN_LABEL]: compactTimestamp(at, false),
          },
        },
        spec: {
          source: { persistentVolumeClaimName: pvc.metadata.name },
          ...(template.snapshotClassName
            ? { volumeSnapshotClassName: template.snapshotClassName }
            : {}),
        },
      });
    }
  }

  function reconcile(namespace: string, name: string) {
    const schedule = rt.store.get(schedules, namespace, name);
    const timerKey = `snapshotschedule-tick/${namespace}/${name}`;
    if (!schedule) {
      rt.cancel(timerKey);
      return;
    }
    const spec = (schedule.spec ?? {}) as Fields;
    const status = structuredClone((schedule.status ?? {}) as Fields);
    const now = rt.now();
    const nowText = rt.timestamp(now);
    let problem: string | undefined;
    try {
      const parsed = parseStandardCron(spec.schedule ?? '');
      if ('error' in parsed) {
        delete status.nextSnapshotTime;
        throw new Error(parsed.error);
      }
      let next = parseTimestamp(status.nextSnapshotTime);
      if (!next) next = parsed.schedule.next(now);
      if (next && !spec.disabled && now.getTime() >= next.getTime()) {
        takeSnapshots(schedule, next);
        status.lastSnapshotTime = nowText;
        next = parsed.schedule.next(now);
      }
      if (next) status.nextSnapshotTime = rt.timestamp(next);
      else delete status.nextSnapshotTime;
      expire(schedule, now);
      const wake = Math.min(
        next?.getTime() ?? Infinity,
        now.getTime() + MAX_REQUEUE_MS,
      );
      rt.at(timerKey, new Date(wake), () => enqueue(namespace, name));
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
      rt.cancel(timerKey);
    }
    status.conditions = setCondition(
      status.conditions,
      problem
        ? {
            type: 'Reconciled',
            status: 'False',
            reason: 'ReconcileError',
            message: problem,
          }
        : {
            type: 'Reconciled',
            status: 'True',
            reason: 'ReconcileComplete',
            message: 'Reconcile complete',
          },
      nowText,
    );
    const current = rt.store.get(schedules, namespace, name);
    if (current) rt.writeStatus(schedules, current, status);
  }

  return {
    onEvent(event: StoreEvent) {
      if (!sameResource(schedules, event.resource)) return;
      const { namespace, name } = event.object.metadata;
      if (event.type === 'DELETED')
        rt.cancel(`snapshotschedule-tick/${namespace}/${name}`);
      else enqueue(namespace!, name!);
    },
    resync() {
      for (const schedule of rt.store.objects(schedules)) {
        rt.enqueue(`snapshotschedule/${keyOf(schedule)}`, () =>
          reconcile(schedule.metadata.namespace!, schedule.metadata.name!),
        );
      }
    },
  };
}
