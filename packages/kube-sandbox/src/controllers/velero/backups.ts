import { KubeObject } from '../../resources/types';
import { StoreEvent } from '../../store/ObjectStore';
import { parseGoDuration } from '../durations';
import {
  Controller,
  ControllerRuntime,
  Fields,
  keyOf,
  parseTimestamp,
  sameResource,
} from '../runtime';
import { BackupItem, collectBackupItems } from './backupItems';
import { prepareBackup } from './prepareBackup';
import {
  GC_FAILURE_LABEL,
  isLocationAvailable,
  isReadOnly,
  NamespaceFilter,
  phaseOf,
  SCHEDULE_NAME_LABEL,
  TERMINAL_BACKUP_PHASES,
  VeleroKinds,
} from './common';

export type InjectedBackupFailure = 'Failed' | 'PartiallyFailed';

export interface BackupControllerOptions {
  backupDurationMs: number;
  /** Backups run at once per Velero namespace (velero server --concurrent-backups, default 1). */
  concurrentBackups: number;
  /** velero server --default-backup-ttl (720h). */
  defaultBackupTtlMs: number;
  /** Called when a Backup of a Schedule reaches a terminal phase or goes away. */
  onScheduleBackupDone(namespace: string, schedule: string): void;
}

/** The Backup controller's state shared with the Restore controller and the fault injection. */
export interface BackupStore {
  /** The objects a Completed or PartiallyFailed Backup captured, by Backup uid. */
  captured(backup: KubeObject): BackupItem[] | undefined;
  failNextBackups(
    scheduleName: string,
    count: number,
    phase: InjectedBackupFailure,
  ): void;
  /** Re-checks the expired Backups of a location (it became Available again). */
  retryGarbageCollection(namespace: string, location: string): void;
}

const RUNNING_PHASES = ['ReadyToStart', 'InProgress'];

function queuePosition(backup: KubeObject): number {
  return (
    ((backup.status as Fields | undefined)?.queuePosition as
      | number
      | undefined) ?? 0
  );
}

/**
 * Velero 1.18's backup pipeline, simulated: a new Backup (phase empty or New)
 * is Queued (with `queuePosition`), moves to ReadyToStart when fewer than
 * `concurrentBackups` run, then the backup controller validates and defaults
 * it (TTL 720h, storage location, timeouts, the `velero.io/storage-location`
 * label, source-cluster annotations) and either fails it (FailedValidation,
 * e.g. when the BackupStorageLocation is missing, read-only or Unavailable) or
 * starts it: InProgress with `startTimestamp`, `expiration`, `version: 1`,
 * `formatVersion: 1.1.0` and the items it captured. `backupDurationMs` later
 * it goes Finalizing → Completed (or FinalizingPartiallyFailed →
 * PartiallyFailed, or Failed, by fault injection or when the location became
 * Unavailable meanwhile) with `completionTimestamp` and `progress`. At
 * `status.expiration` the garbage collector deletes it (phase Deleting, then
 * its Restores and itself) unless its location is Unavailable.
 */
export function backupController(
  rt: ControllerRuntime,
  kinds: VeleroKinds,
  options: BackupControllerOptions,
): Controller & BackupStore {
  const { backups, restores, locations } = kinds;
  const namespacesKind = rt.kind('v1', 'Namespace')!;
  const captures = new Map<string, BackupItem[]>();
  const injected = new Map<string, InjectedBackupFailure[]>();
  const planned = new Map<string, InjectedBackupFailure>();

  const enqueue = (namespace: string, name: string) =>
    rt.enqueue(`backup/${namespace}/${name}`, () => reconcile(namespace, name));
  const enqueueDispatch = (namespace: string) =>
    rt.enqueue(`backup-queue/${namespace}`, () => dispatch(namespace));

  const write = (
    backup: KubeObject,
    changes: { status: Fields; spec?: Fields; metadata?: Fields },
  ) =>
    rt.replace(backups, {
      ...backup,
      metadata: { ...backup.metadata, ...(changes.metadata ?? {}) },
      spec: changes.spec ?? backup.spec,
      status: changes.status,
    });

  const scheduleOf = (backup: KubeObject) =>
    backup.metadata.labels?.[SCHEDULE_NAME_LABEL];

  function terminal(backup: KubeObject) {
    const schedule = scheduleOf(backup);
    if (
      phaseOf(backup) !== 'Completed' &&
      phaseOf(backup) !== 'PartiallyFailed'
    ) {
      captures.delete(backup.metadata.uid!);
    }
    planned.delete(backup.metadata.uid!);
    enqueueDispatch(backup.metadata.namespace!);
    if (schedule)
      options.onScheduleBackupDone(backup.metadata.namespace!, schedule);
    scheduleGarbageCollection(backup);
  }

  // ---- queue (backup_queue_controller.go) ----

  function queue(backup: KubeObject) {
    const schedule = scheduleOf(backup);
    const pendingFaults = schedule ? injected.get(schedule) : undefined;
    if (pendingFaults && pendingFaults.length > 0) {
      planned.set(backup.metadata.uid!, pendingFaults.shift()!);
    }
    const others = rt.store.objects(backups, {
      namespace: backup.metadata.namespace,
    });
    const last = Math.max(
      0,
      ...others.filter(b => phaseOf(b) === 'Queued').map(queuePosition),
    );
    write(backup, {
      status: {
        ...((backup.status ?? {}) as Fields),
        phase: 'Queued',
        queuePosition: last + 1,
      },
    });
    enqueueDispatch(backup.metadata.namespace!);
  }

  function namespacesOf(backup: KubeObject, all: string[]) {
    const spec = (backup.spec ?? {}) as Fields;
    const filter = new NamespaceFilter(
      spec.includedNamespaces,
      spec.excludedNamespaces,
    );
    return all.filter(ns => filter.shouldInclude(ns));
  }

  function dispatch(namespace: string) {
    const all = rt.store.objects(backups, { namespace });
    const running = all.filter(b => RUNNING_PHASES.includes(phaseOf(b)));
    const queued = all
      .filter(b => phaseOf(b) === 'Queued')
      .sort((a, b) => queuePosition(a) - queuePosition(b));
    if (queued.length === 0 || running.length >= options.concurrentBackups)
      return;
    const clusterNamespaces = rt.store
      .objects(namespacesKind)
      .map(ns => ns.metadata.name!);
    const busy = new Set(
      running.flatMap(b => namespacesOf(b, clusterNamespaces)),
    );
    const next = queued.find(
      b => !namespacesOf(b, clusterNamespaces).some(ns => busy.has(ns)),
    );
    if (!next) return;
    const status: Fields = {
      ...((next.status ?? {}) as Fields),
      phase: 'ReadyToStart',
    };
    delete status.queuePosition;
    write(next, { status });
    let position = 1;
    for (const other of queued.filter(b => b !== next)) {
      const current = rt.store.get(backups, namespace, other.metadata.name!);
      if (current && queuePosition(current) !== position) {
        write(current, {
          status: {
            ...((current.status ?? {}) as Fields),
            queuePosition: position,
          },
        });
      }
      position += 1;
    }
    enqueue(namespace, next.metadata.name!);
    enqueueDispatch(namespace);
  }

  // ---- backup_controller.go: runBackup (prepareBackupRequest is in prepareBackup.ts) ----

  function start(backup: KubeObject) {
    const now = rt.now();
    const { spec, labels, annotations, errors } = prepareBackup(
      rt.store,
      locations,
      backup,
      options.defaultBackupTtlMs,
    );
    const ttl = parseGoDuration(spec.ttl) ?? options.defaultBackupTtlMs;
    const status: Fields = {
      ...((backup.status ?? {}) as Fields),
      version: 1,
      formatVersion: '1.1.0',
      expiration: rt.timestamp(new Date(now.getTime() + ttl)),
    };
    if (errors.length > 0) {
      status.phase = 'FailedValidation';
      status.validationErrors = errors;
      const failed = write(backup, {
        spec,
        status,
        metadata: { labels, annotations },
      });
      terminal(failed);
      return;
    }
    const { items, errors: itemErrors } = collectBackupItems(rt.store, spec);
    captures.set(backup.metadata.uid!, items);
    if (itemErrors.length > 0) status.errors = itemErrors.length;
    status.phase = 'InProgress';
    status.startTimestamp = rt.timestamp(now);
    status.progress = { totalItems: items.length, itemsBackedUp: 0 };
    const started = write(backup, {
      spec,
      status,
      metadata: { labels, annotations },
    });
    scheduleFinish(started);
  }

  function scheduleFinish(backup: KubeObject) {
    const started =
      parseTimestamp((backup.status as Fields).startTimestamp) ?? rt.now();
    const { namespace, name, uid } = backup.metadata;
    rt.at(
      `backup-run/${uid}`,
      new Date(started.getTime() + options.backupDurationMs),
      () => finish(namespace!, name!, uid!),
    );
  }

  function finish(namespace: string, name: string, uid: string) {
    const backup = rt.store.get(backups, namespace, name);
    if (
      !backup ||
      backup.metadata.uid !== uid ||
      phaseOf(backup) !== 'InProgress'
    )
      return;
    const spec = (backup.spec ?? {}) as Fields;
    const status = { ...((backup.status ?? {}) as Fields) };
    const items = captures.get(uid) ?? [];
    const now = rt.timestamp();
    status.progress = { totalItems: items.length, itemsBackedUp: items.length };
    const claims = items.filter(
      i => i.resource.kind === 'PersistentVolumeClaim',
    ).length;
    if (spec.snapshotVolumes !== false && claims > 0) {
      status.volumeSnapshotsAttempted = claims;
      status.volumeSnapshotsCompleted = claims;
    }
    const location = rt.store.get(locations, namespace, spec.storageLocation);
    const fault = planned.get(uid);
    if (!location || !isLocationAvailable(location)) {
      status.phase = 'Failed';
      status.failureReason = `error uploading backup: backup storage location ${spec.storageLocation} is unavailable`;
      status.errors = (status.errors ?? 0) + 1;
      status.completionTimestamp = now;
    } else if (fault === 'Failed') {
      status.phase = 'Failed';
      status.failureReason = 'simulated failure (kube-sandbox fault injection)';
      status.errors = (status.errors ?? 0) + 1;
      status.completionTimestamp = now;
    } else if (fault === 'PartiallyFailed') {
      status.phase = 'FinalizingPartiallyFailed';
      status.errors = (status.errors ?? 0) + 1;
      status.progress = {
        totalItems: items.length,
        itemsBackedUp: Math.max(0, items.length - 1),
      };
    } else {
      status.phase =
        (status.errors ?? 0) > 0 ? 'FinalizingPartiallyFailed' : 'Finalizing';
    }
    const written = write(backup, { status });
    if (status.phase === 'Failed') terminal(written);
  }

  /** backup_finalizer_controller.go: Finalizing → Completed, FinalizingPartiallyFailed → PartiallyFailed. */
  function finalize(backup: KubeObject) {
    const status = { ...((backup.status ?? {}) as Fields) };
    status.phase =
      phaseOf(backup) === 'Finalizing' ? 'Completed' : 'PartiallyFailed';
    status.completionTimestamp = rt.timestamp();
    terminal(write(backup, { status }));
  }

  // ---- gc_controller.go + backup_deletion_controller.go ----

  function scheduleGarbageCollection(backup: KubeObject) {
    const expiration = parseTimestamp(
      (backup.status as Fields | undefined)?.expiration,
    );
    if (!expiration) return;
    const { namespace, name, uid } = backup.metadata;
    rt.at(`backup-gc/${uid}`, expiration, () =>
      collectGarbage(namespace!, name!, uid!),
    );
  }

  function collectGarbage(namespace: string, name: string, uid: string) {
    const backup = rt.store.get(backups, namespace, name);
    if (!backup || backup.metadata.uid !== uid) return;
    const expiration = parseTimestamp(
      (backup.status as Fields | undefined)?.expiration,
    );
    if (!expiration || expiration > rt.now()) {
      scheduleGarbageCollection(backup);
      return;
    }
    if (
      RUNNING_PHASES.includes(phaseOf(backup)) ||
      phaseOf(backup).startsWith('Finalizing')
    )
      return;
    const locationName = (backup.spec as Fields | undefined)?.storageLocation;
    const location = rt.store.get(locations, namespace, locationName);
    const labels = { ...(backup.metadata.labels ?? {}) };
    if (!location || isReadOnly(location)) {
      labels[GC_FAILURE_LABEL] = location ? 'BSLReadOnly' : 'BSLNotFound';
      write(backup, { status: backup.status as Fields, metadata: { labels } });
      return;
    }
    if (!isLocationAvailable(location)) return; // retried when the location is Available again
    delete labels[GC_FAILURE_LABEL];
    const deleting = write(backup, {
      status: { ...((backup.status ?? {}) as Fields), phase: 'Deleting' },
      metadata: { labels },
    });
    for (const restore of rt.store.objects(restores, { namespace })) {
      if ((restore.spec as Fields | undefined)?.backupName === name) {
        rt.deleteQuietly(restores, restore);
      }
    }
    captures.delete(uid);
    rt.deleteQuietly(backups, deleting);
  }

  function reconcile(namespace: string, name: string) {
    const backup = rt.store.get(backups, namespace, name);
    if (!backup || backup.metadata.deletionTimestamp) return;
    const phase = phaseOf(backup);
    if (phase === '' || phase === 'New') queue(backup);
    else if (phase === 'Queued') enqueueDispatch(namespace);
    else if (phase === 'ReadyToStart') start(backup);
    else if (phase === 'InProgress') scheduleFinish(backup);
    else if (phase === 'Finalizing' || phase === 'FinalizingPartiallyFailed')
      finalize(backup);
    else if (TERMINAL_BACKUP_PHASES.includes(phase))
      scheduleGarbageCollection(backup);
  }

  return {
    onEvent(event: StoreEvent) {
      if (!sameResource(backups, event.resource)) return;
      const backup = event.object;
      const { namespace, name, uid } = backup.metadata;
      if (event.type === 'DELETED') {
        captures.delete(uid!);
        planned.delete(uid!);
        rt.cancel(`backup-run/${uid}`);
        rt.cancel(`backup-gc/${uid}`);
        enqueueDispatch(namespace!);
        const schedule = scheduleOf(backup);
        if (schedule) options.onScheduleBackupDone(namespace!, schedule);
        return;
      }
      const previous = event.previous ? phaseOf(event.previous) : undefined;
      if (event.type === 'ADDED' || previous !== phaseOf(backup))
        enqueue(namespace!, name!);
    },
    resync() {
      for (const backup of rt.store.objects(backups)) {
        rt.enqueue(`backup/${keyOf(backup)}`, () =>
          reconcile(backup.metadata.namespace!, backup.metadata.name!),
        );
      }
    },
    captured(backup: KubeObject) {
      return captures.get(backup.metadata.uid!);
    },
    failNextBackups(
      scheduleName: string,
      count: number,
      phase: InjectedBackupFailure,
    ) {
      const list = injected.get(scheduleName) ?? [];
      for (let i = 0; i < count; i++) list.push(phase);
      injected.set(scheduleName, list);
    },
    retryGarbageCollection(namespace: string, location: string) {
      for (const backup of rt.store.objects(backups, { namespace })) {
        if ((backup.spec as Fields | undefined)?.storageLocation !== location)
          continue;
        const { name, uid } = backup.metadata;
        rt.enqueue(`backup-gc/${uid}`, () =>
          collectGarbage(namespace, name!, uid!),
        );
      }
    },
  };
}
