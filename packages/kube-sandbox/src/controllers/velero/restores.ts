import { KubeObject } from '../../resources/types';
import { StoreEvent } from '../../store/ObjectStore';
import {
  Controller,
  ControllerRuntime,
  Fields,
  keyOf,
  parseTimestamp,
  sameResource,
} from '../runtime';
import { BackupStore } from './backups';
import {
  isLocationAvailable,
  phaseOf,
  SCHEDULE_NAME_LABEL,
  validateIncludesExcludes,
  VeleroKinds,
} from './common';
import { restoreBackupItems } from './restoreItems';

/** restore_controller.go nonRestorableResources, appended to every Restore's excludedResources. */
export const NON_RESTORABLE_RESOURCES = [
  'nodes',
  'events',
  'events.events.k8s.io',
  'backups.velero.io',
  'restores.velero.io',
  'resticrepositories.velero.io',
  'csinodes.storage.k8s.io',
  'volumeattachments.storage.k8s.io',
  'backuprepositories.velero.io',
];

export const RESTORE_FINALIZER =
  'restores.velero.io/external-resources-finalizer';

/**
 * Velero's restore controller, simulated: a new Restore is validated (exactly
 * one of `backupName`/`scheduleName`, the Backup and its location exist and
 * the location is Available, filters are consistent) — else FailedValidation
 * with `validationErrors`. Otherwise it goes InProgress (`startTimestamp`) and
 * recreates the Backup's captured objects at once: into
 * `spec.namespaceMapping` targets (Namespaces created as needed), honouring
 * the namespace, resource and label filters, stripped of uid,
 * resourceVersion, creationTimestamp, ownerReferences and status and labelled
 * `velero.io/backup-name` / `velero.io/restore-name`; existing objects are
 * left alone (a warning when they differ, or replaced with
 * `existingResourcePolicy: update`). `restoreDurationMs` later it goes
 * Finalizing → Completed (PartiallyFailed when objects could not be created)
 * with `completionTimestamp` and `progress`. A Backup whose contents were never
 * uploaded (not Completed/PartiallyFailed) fails the Restore.
 */
export function restoreController(
  rt: ControllerRuntime,
  kinds: VeleroKinds,
  backupStore: BackupStore,
  options: { restoreDurationMs: number },
): Controller {
  const { backups, restores, locations } = kinds;

  const enqueue = (namespace: string, name: string) =>
    rt.enqueue(`restore/${namespace}/${name}`, () =>
      reconcile(namespace, name),
    );

  const save = (restore: KubeObject, spec: Fields, status: Fields) =>
    rt.replace(restores, { ...restore, spec, status });

  function validate(restore: KubeObject, spec: Fields) {
    const errors: string[] = [];
    const namespace = restore.metadata.namespace!;
    const excluded: string[] = [...(spec.excludedResources ?? [])];
    NON_RESTORABLE_RESOURCES.filter(r => !excluded.includes(r)).forEach(r =>
      excluded.push(r),
    );
    spec.excludedResources = excluded;
    for (const name of NON_RESTORABLE_RESOURCES) {
      if ((spec.includedResources ?? []).includes(name))
        errors.push(`${name} are non-restorable resources`);
    }
    validateIncludesExcludes(
      spec.includedResources,
      spec.excludedResources,
    ).forEach(e =>
      errors.push(`Invalid included/excluded resource lists: ${e}`),
    );
    validateIncludesExcludes(
      spec.includedNamespaces,
      spec.excludedNamespaces,
    ).forEach(e =>
      errors.push(`Invalid included/excluded namespace lists: ${e}`),
    );
    if (spec.orLabelSelectors && spec.labelSelector) {
      errors.push(
        'encountered labelSelector as well as orLabelSelectors in restore spec, only one can be specified',
      );
    }
    if (Boolean(spec.backupName) === Boolean(spec.scheduleName)) {
      errors.push(
        'Either a backup or schedule must be specified as a source for the restore, but not both',
      );
      return { errors };
    }
    const policy = spec.existingResourcePolicy;
    if (policy && policy !== 'none' && policy !== 'update') {
      errors.push(`Invalid ExistingResourcePolicy: ${policy}`);
    }
    spec.itemOperationTimeout ||= '4h0m0s';
    if (spec.scheduleName) {
      const list = rt.store.objects(backups, {
        namespace,
        labels: [
          {
            key: SCHEDULE_NAME_LABEL,
            operator: 'in',
            values: [spec.scheduleName],
          },
        ],
      });
      if (list.length === 0) errors.push('No backups found for schedule');
      const newest = list
        .filter(b => phaseOf(b) === 'Completed')
        .sort(
          (a, b) =>
            (parseTimestamp((b.status as Fields).startTimestamp)?.getTime() ??
              0) -
            (parseTimestamp((a.status as Fields).startTimestamp)?.getTime() ??
              0),
        )[0];
      if (!newest) {
        errors.push('No completed backups found for schedule');
        return { errors };
      }
      spec.backupName = newest.metadata.name;
    }
    const backup = rt.store.get(backups, namespace, spec.backupName);
    if (!backup) {
      errors.push(
        `Error retrieving backup: can't find backup ${namespace}/${spec.backupName}: backups.velero.io "${spec.backupName}" not found`,
      );
      return { errors };
    }
    const locationName = (backup.spec as Fields | undefined)?.storageLocation;
    const location = rt.store.get(locations, namespace, locationName);
    if (!location) {
      errors.push(
        `Error retrieving backup: backupstoragelocations.velero.io "${locationName}" not found`,
      );
      return { errors };
    }
    if (!isLocationAvailable(location)) {
      errors.push(
        `The BSL ${locationName} is unavailable, cannot retrieve the backup`,
      );
      return { errors };
    }
    spec.scheduleName ||= backup.metadata.labels?.[SCHEDULE_NAME_LABEL];
    if (!spec.scheduleName) delete spec.scheduleName;
    return { errors, backup };
  }

  function scheduleFinish(restore: KubeObject) {
    const started =
      parseTimestamp((restore.status as Fields).startTimestamp) ?? rt.now();
    const { namespace, name, uid } = restore.metadata;
    rt.at(
      `restore-run/${uid}`,
      new Date(started.getTime() + options.restoreDurationMs),
      () => {
        const current = rt.store.get(restores, namespace, name!);
        if (
          !current ||
          current.metadata.uid !== uid ||
          phaseOf(current) !== 'InProgress'
        )
          return;
        const status = { ...((current.status ?? {}) as Fields) };
        status.phase =
          (status.errors ?? 0) > 0 ? 'FinalizingPartiallyFailed' : 'Finalizing';
        save(current, current.spec as Fields, status);
      },
    );
  }

  function start(restore: KubeObject) {
    const spec = structuredClone((restore.spec ?? {}) as Fields);
    const status = { ...((restore.status ?? {}) as Fields) };
    const { errors, backup } = validate(restore, spec);
    if (errors.length > 0 || !backup) {
      status.phase = 'FailedValidation';
      status.validationErrors = errors;
      save(restore, spec, status);
      return;
    }
    const now = rt.timestamp();
    status.phase = 'InProgress';
    status.startTimestamp = now;
    const items = backupStore.captured(backup);
    const backupPhase = phaseOf(backup);
    if (
      !items ||
      (backupPhase !== 'Completed' && backupPhase !== 'PartiallyFailed')
    ) {
      const started = save(restore, spec, status);
      save(started, spec, {
        ...status,
        phase: 'Failed',
        failureReason: `error downloading backup: backup ${
          backup.metadata.name
        } has no contents in object storage (phase ${backupPhase || 'New'})`,
        completionTimestamp: now,
      });
      return;
    }
    const started = save(restore, spec, status);
    const result = restoreBackupItems(rt.store, {
      restoreName: started.metadata.name!,
      backupName: backup.metadata.name!,
      spec,
      items,
    });
    const progressed: Fields = {
      ...status,
      progress: { totalItems: result.total, itemsRestored: result.restored },
    };
    if (result.warnings > 0) progressed.warnings = result.warnings;
    if (result.errors > 0) progressed.errors = result.errors;
    scheduleFinish(
      save(
        rt.store.get(
          restores,
          restore.metadata.namespace,
          restore.metadata.name!,
        )!,
        spec,
        progressed,
      ),
    );
  }

  /** restore_finalizer_controller.go: Finalizing → Completed, FinalizingPartiallyFailed → PartiallyFailed. */
  function finalize(restore: KubeObject) {
    const status = { ...((restore.status ?? {}) as Fields) };
    status.phase =
      phaseOf(restore) === 'Finalizing' ? 'Completed' : 'PartiallyFailed';
    status.completionTimestamp = rt.timestamp();
    save(restore, restore.spec as Fields, status);
  }

  function reconcile(namespace: string, name: string) {
    let restore = rt.store.get(restores, namespace, name);
    if (!restore) return;
    const finalizers = restore.metadata.finalizers ?? [];
    if (restore.metadata.deletionTimestamp) {
      rt.cancel(`restore-run/${restore.metadata.uid}`);
      if (finalizers.includes(RESTORE_FINALIZER)) {
        const rest = finalizers.filter(f => f !== RESTORE_FINALIZER);
        rt.update(restores, {
          ...restore,
          metadata: {
            ...restore.metadata,
            finalizers: rest.length ? rest : undefined,
          },
        });
      }
      return;
    }
    if (!finalizers.includes(RESTORE_FINALIZER)) {
      restore = rt.update(restores, {
        ...restore,
        metadata: {
          ...restore.metadata,
          finalizers: [...finalizers, RESTORE_FINALIZER],
        },
      });
    }
    const phase = phaseOf(restore);
    if (phase === '' || phase === 'New') start(restore);
    else if (phase === 'InProgress') scheduleFinish(restore);
    else if (phase === 'Finalizing' || phase === 'FinalizingPartiallyFailed')
      finalize(restore);
  }

  return {
    onEvent(event: StoreEvent) {
      if (!sameResource(restores, event.resource)) return;
      const { namespace, name, uid } = event.object.metadata;
      if (event.type === 'DELETED') {
        rt.cancel(`restore-run/${uid}`);
        return;
      }
      const previous = event.previous ? phaseOf(event.previous) : undefined;
      if (
        event.type === 'ADDED' ||
        previous !== phaseOf(event.object) ||
        event.object.metadata.deletionTimestamp
      ) {
        enqueue(namespace!, name!);
      }
    },
    resync() {
      for (const restore of rt.store.objects(restores)) {
        rt.enqueue(`restore/${keyOf(restore)}`, () =>
          reconcile(restore.metadata.namespace!, restore.metadata.name!),
        );
      }
    },
  };
}
