import {
  MANAGED_OBJECT_LABELS,
  Retention,
} from '@backups-for-backstage/plugin-backups-common';
import { NAME_LIMITS, managedMetadata, objectName } from '../naming';
import { LayerPlan, PlanContext, PlannedObject } from '../types';
import { toLabelSelector } from '../labelSelector';
import { SNAPSHOT_SCRIPT } from './snapshotScript';
import { explicitContainerFields } from '../containers';
import {
  CRON_JOB_POLICY,
  RESTRICTED_CONTAINER_SECURITY_CONTEXT,
  RESTRICTED_POD_SECURITY_CONTEXT,
  retentionEnvironment,
} from '../jobs';

/** How long the Job waits for each VolumeSnapshot to become readyToUse. */
export const SNAPSHOT_READY_TIMEOUT_SECONDS = 600;

/**
 * SnapScheduler's own pattern for `spec.schedule` (v3.5.0 CRD): no ranges
 * with steps, no names. A cron outside it goes the CronJob way.
 */
const SNAPSCHEDULER_CRON =
  /^(@(annually|yearly|monthly|weekly|daily|hourly))|((((\d+,)*\d+|(\d+(\/|-)\d+)|\*(\/\d+)?)\s?){5})$/;

/** A Go duration with a single unit, as SnapScheduler's `expires` pattern wants (`^\d+(h|m|s)$`). */
export function singleUnitGoDuration(milliseconds: number): string {
  const seconds = Math.max(1, Math.ceil(milliseconds / 1000));
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

function snapSchedulerRetention(retention: Retention) {
  return retention.type === 'count'
    ? { maxCount: retention.count }
    : { expires: singleUnitGoDuration(retention.maxAge.milliseconds) };
}

/**
 * The volume-snapshot layer. Where the cluster has SnapScheduler, a
 * `SnapshotSchedule`; otherwise a CronJob with its ServiceAccount, Role and
 * RoleBinding that creates CSI VolumeSnapshots and prunes old ones.
 *
 * SnapScheduler selects PVCs only by label (`claimSelector`), never by name,
 * and accepts only part of the cron syntax; a PVC selection by names (or a
 * schedule outside its pattern) therefore also goes the CronJob way, which
 * works on every cluster with the CSI snapshot CRDs.
 */
export function planVolumeSnapshotLayer(ctx: PlanContext): LayerPlan {
  const snapshots = ctx.intent.volumeSnapshot;
  if (!snapshots) {
    return { layer: 'volume-snapshot', objects: [] };
  }
  const { pvcs } = snapshots;
  const useSnapScheduler =
    ctx.cluster.hasSnapScheduler &&
    pvcs.type === 'selector' &&
    pvcs.requirements.length > 0 &&
    SNAPSCHEDULER_CRON.test(snapshots.schedule);
  return {
    layer: 'volume-snapshot',
    objects: useSnapScheduler
      ? [planSnapshotSchedule(ctx)]
      : planSnapshotCronJob(ctx),
  };
}

function snapshotsName(ctx: PlanContext): string {
  // SnapScheduler labels its snapshots with the schedule's name (≤ 63);
  // the CronJob limit is stricter, and one name for both paths is simpler.
  return objectName(ctx, 'snapshots', NAME_LIMITS.cronJob);
}

function planSnapshotSchedule(ctx: PlanContext): PlannedObject {
  const snapshots = ctx.intent.volumeSnapshot!;
  const pvcs = snapshots.pvcs as Extract<
    typeof snapshots.pvcs,
    { type: 'selector' }
  >;
  const metadata = managedMetadata(ctx, 'volume-snapshot', {
    name: snapshotsName(ctx),
    namespace: ctx.intent.workload.namespace,
  });
  return {
    apiVersion: 'snapscheduler.backube/v1',
    kind: 'SnapshotSchedule',
    metadata,
    spec: {
      claimSelector: toLabelSelector(pvcs.requirements),
      retention: snapSchedulerRetention(snapshots.retention),
      schedule: snapshots.schedule,
      snapshotTemplate: {
        // Restore points carry the entity's labels, like the CronJob's.
        labels: { ...metadata.labels },
        ...(snapshots.className
          ? { snapshotClassName: snapshots.className }
          : {}),
      },
    },
  };
}

function planSnapshotCronJob(ctx: PlanContext): PlannedObject[] {
  const snapshots = ctx.intent.volumeSnapshot!;
  const name = snapshotsName(ctx);
  const namespace = ctx.intent.workload.namespace;
  const metadata = () =>
    managedMetadata(ctx, 'volume-snapshot', { name, namespace });
  const labels = metadata().labels;

  const serviceAccount: PlannedObject = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: metadata(),
    automountServiceAccountToken: true,
  };
  // Least privilege, in this namespace only: read PVCs, and create, read
  // (poll readyToUse, list for pruning) and delete VolumeSnapshots.
  const role: PlannedObject = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: metadata(),
    rules: [
      {
        apiGroups: ['snapshot.storage.k8s.io'],
        resources: ['volumesnapshots'],
        verbs: ['get', 'list', 'create', 'delete'],
      },
      {
        apiGroups: [''],
        resources: ['persistentvolumeclaims'],
        verbs: ['get', 'list'],
      },
    ],
  };
  const roleBinding: PlannedObject = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: metadata(),
    subjects: [{ kind: 'ServiceAccount', name, namespace }],
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name,
    },
  };

  const env: Array<Record<string, unknown>> = [
    {
      name: 'NAMESPACE',
      valueFrom: {
        fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' },
      },
    },
    snapshots.pvcs.type === 'names'
      ? { name: 'PVC_NAMES', value: snapshots.pvcs.names.join(',') }
      : { name: 'PVC_SELECTOR', value: snapshots.pvcs.labelSelector },
    ...(snapshots.className
      ? [{ name: 'SNAPSHOT_CLASS', value: snapshots.className }]
      : []),
    ...retentionEnvironment(snapshots.retention),
    { name: 'ENTITY_KIND', value: labels[MANAGED_OBJECT_LABELS.entityKind] },
    {
      name: 'ENTITY_NAMESPACE',
      value: labels[MANAGED_OBJECT_LABELS.entityNamespace],
    },
    { name: 'ENTITY_NAME', value: labels[MANAGED_OBJECT_LABELS.entityName] },
    { name: 'ENTITY_REF', value: ctx.entityRef },
    {
      name: 'READY_TIMEOUT_SECONDS',
      value: String(SNAPSHOT_READY_TIMEOUT_SECONDS),
    },
    // kubectl writes its discovery cache under $HOME; the root is read-only.
    { name: 'HOME', value: '/tmp' },
  ];

  const cronJob: PlannedObject = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: metadata(),
    spec: {
      schedule: snapshots.schedule,
      ...CRON_JOB_POLICY,
      jobTemplate: {
        metadata: { labels: { ...labels } },
        spec: {
          backoffLimit: 1,
          activeDeadlineSeconds: 3600,
          template: {
            metadata: { labels: { ...labels } },
            spec: {
              serviceAccountName: name,
              restartPolicy: 'Never',
              securityContext: RESTRICTED_POD_SECURITY_CONTEXT,
              containers: [
                {
                  name: 'snapshot',
                  image: ctx.volumeSnapshots.image,
                  ...explicitContainerFields(ctx.volumeSnapshots.image),
                  command: ['/bin/sh', '-c', SNAPSHOT_SCRIPT],
                  env,
                  resources: {
                    requests: { cpu: '10m', memory: '64Mi' },
                    limits: { memory: '256Mi' },
                  },
                  securityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
                  volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
                },
              ],
              volumes: [{ name: 'tmp', emptyDir: {} }],
            },
          },
        },
      },
    },
  };
  return [cronJob, serviceAccount, role, roleBinding];
}
