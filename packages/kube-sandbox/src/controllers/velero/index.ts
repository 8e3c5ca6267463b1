import { Controller, ControllerRuntime } from '../runtime';
import { backupController, InjectedBackupFailure } from './backups';
import { veleroKinds } from './common';
import { restoreController } from './restores';
import { scheduleController } from './schedules';
import { storageLocationController } from './storageLocations';

export interface VeleroOptions {
  backupDurationMs: number;
  restoreDurationMs: number;
  concurrentBackups: number;
  defaultBackupTtlMs: number;
}

export interface VeleroControllers {
  controllers: Controller[];
  failNextBackups(
    scheduleName: string,
    count: number,
    phase: InjectedBackupFailure,
  ): void;
  setBackupStorageLocationAvailable(
    namespace: string,
    name: string,
    available: boolean,
  ): void;
}

/** Velero's server, simulated; nothing when the Velero CRDs are not served. */
export function startVelero(
  rt: ControllerRuntime,
  options: VeleroOptions,
): VeleroControllers {
  const kinds = veleroKinds(rt);
  if (!kinds) {
    return {
      controllers: [],
      failNextBackups() {},
      setBackupStorageLocationAvailable() {},
    };
  }
  const schedules = scheduleController(rt, kinds);
  const backups = backupController(rt, kinds, {
    ...options,
    onScheduleBackupDone: (namespace, schedule) =>
      schedules.enqueue(namespace, schedule),
  });
  const locations = storageLocationController(rt, kinds, (namespace, name) =>
    backups.retryGarbageCollection(namespace, name),
  );
  const restores = restoreController(rt, kinds, backups, options);
  return {
    controllers: [locations, schedules, backups, restores],
    failNextBackups: (scheduleName, count, phase) =>
      backups.failNextBackups(scheduleName, count, phase),
    setBackupStorageLocationAvailable: (namespace, name, available) =>
      locations.setAvailable(namespace, name, available),
  };
}
