/**
 * The objects "Back up now" creates, as the tools people use by hand would:
 * `velero backup create --from-schedule`, `kubectl create job
 * --from=cronjob/…`, and a VolumeSnapshot per PVC as the snapshot job makes
 * them. Pure.
 */
import {
  ENTITY_REF_ANNOTATION,
  MANAGED_OBJECT_LABELS,
} from '@backups-for-backstage/plugin-backups-common';
import * as k8s from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import {
  ON_DEMAND_LABEL,
  VELERO_SCHEDULE_LABEL,
} from '../cluster/watch/projections';
import { labelValue } from '../plan/naming';

type Fields = Record<string, any>;

/** `20261202143005`, the UTC timestamp Velero names scheduled Backups with. */
export function veleroTimestamp(now: Date): string {
  return now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** `velero backup create <schedule>-<timestamp> --from-schedule <schedule>`. */
export function backupFromSchedule(
  schedule: k8s.KubernetesObject & Fields,
  now: Date,
): k8s.KubernetesObject {
  const name = schedule.metadata!.name!;
  return {
    apiVersion: 'velero.io/v1',
    kind: 'Backup',
    metadata: {
      name: `${name}-${veleroTimestamp(now)}`,
      namespace: schedule.metadata!.namespace,
      labels: {
        ...(schedule.metadata?.labels ?? {}),
        [VELERO_SCHEDULE_LABEL]: name,
        [ON_DEMAND_LABEL]: 'true',
      },
      annotations: { ...(schedule.metadata?.annotations ?? {}) },
      ...(schedule.spec?.useOwnerReferencesInBackup
        ? {
            ownerReferences: [
              {
                apiVersion: 'velero.io/v1',
                kind: 'Schedule',
                name,
                uid: schedule.metadata!.uid!,
                controller: true,
              },
            ],
          }
        : {}),
    },
    spec: structuredClone(schedule.spec?.template ?? {}),
  } as k8s.KubernetesObject;
}

/** `kubectl create job <cronjob>-manual-<random> --from=cronjob/<cronjob>`. */
export function jobFromCronJob(
  cronJob: k8s.KubernetesObject & Fields,
): k8s.KubernetesObject {
  const template: Fields = cronJob.spec?.jobTemplate ?? {};
  const onDemand = { [ON_DEMAND_LABEL]: 'true' };
  const spec = structuredClone(template.spec ?? {});
  spec.template = {
    ...spec.template,
    metadata: {
      ...spec.template?.metadata,
      labels: { ...spec.template?.metadata?.labels, ...onDemand },
    },
  };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: `${cronJob.metadata!.name}-manual-${randomBytes(3).toString(
        'hex',
      )}`,
      namespace: cronJob.metadata!.namespace,
      labels: { ...(template.metadata?.labels ?? {}), ...onDemand },
      annotations: {
        ...(template.metadata?.annotations ?? {}),
        'cronjob.kubernetes.io/instantiate': 'manual',
      },
      ownerReferences: [
        {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          name: cronJob.metadata!.name!,
          uid: cronJob.metadata!.uid!,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec,
  } as k8s.KubernetesObject;
}

/** A VolumeSnapshot of one PVC, labelled as the snapshot job labels its own. */
export function snapshotOfClaim(options: {
  claim: string;
  namespace: string;
  entityRef: string;
  entityLabels: Record<string, string>;
  className?: string;
  now: Date;
}): k8s.KubernetesObject {
  const stamp = veleroTimestamp(options.now);
  const name = `${options.claim.slice(0, 253 - stamp.length - 1)}-${stamp}`;
  return {
    apiVersion: 'snapshot.storage.k8s.io/v1',
    kind: 'VolumeSnapshot',
    metadata: {
      name,
      namespace: options.namespace,
      labels: {
        ...options.entityLabels,
        [MANAGED_OBJECT_LABELS.layer]: 'volume-snapshot',
        'backups/pvc': labelValue(options.claim),
        [ON_DEMAND_LABEL]: 'true',
      },
      annotations: { [ENTITY_REF_ANNOTATION]: options.entityRef },
    },
    spec: {
      source: { persistentVolumeClaimName: options.claim },
      ...(options.className
        ? { volumeSnapshotClassName: options.className }
        : {}),
    },
  } as k8s.KubernetesObject;
}
