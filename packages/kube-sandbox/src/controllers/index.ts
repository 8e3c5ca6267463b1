import { Clock } from '../clock';
import { ApiError } from '../errors';
import { KubeObject } from '../resources/types';
import { ObjectStore } from '../store/ObjectStore';
import { cronJobController } from './cronJobs';
import { JobOutcome, jobController } from './jobs';
import { persistentVolumeClaimController } from './persistentVolumeClaims';
import { podController } from './pods';
import { Controller, ControllerRuntime, ErrorReporter } from './runtime';
import { snapshotScheduleController } from './snapshotSchedules';
import { startVelero } from './velero';
import { volumeSnapshotController } from './volumeSnapshots';
import { deploymentController, statefulSetController } from './workloads';

export type { JobOutcome } from './jobs';

export interface ControllerOptions {
  /** Decides how each Job pod ends (called once per pod); default: succeeds with no message. */
  jobOutcome?: (job: KubeObject) => JobOutcome;
  /** Default simulated run time of a Job's pod (30 s). */
  jobDurationMs?: number;
  /** Simulated time a Velero Backup spends InProgress (60 s). */
  backupDurationMs?: number;
  /** Simulated time a Velero Restore spends InProgress (60 s). */
  restoreDurationMs?: number;
  /** Simulated time before a VolumeSnapshot is readyToUse (5 s). */
  snapshotReadyAfterMs?: number;
  /** Simulated time before a pod is Ready (2 s). */
  podReadyAfterMs?: number;
  /** Backups Velero runs at once per namespace (`velero server --concurrent-backups`, 1). */
  concurrentBackups?: number;
  /** TTL of Backups that set none (`velero server --default-backup-ttl`, 720 h). */
  defaultBackupTtlMs?: number;
  /**
   * Errors the controllers could not handle. Default: printed with
   * console.warn, except the API errors a busy real cluster also produces
   * (404 Not Found, 409 Conflict, 403 in a terminating namespace).
   */
  onError?: (error: unknown, work: string) => void;
}

/** The running simulated controllers, with their fault injection. */
export interface SandboxControllers {
  /** The next `count` Backups created for the Schedule end in `phase` (default Failed). */
  failNextBackups(
    scheduleName: string,
    count: number,
    phase?: 'Failed' | 'PartiallyFailed',
  ): void;
  /** Makes a BackupStorageLocation Available or Unavailable. */
  setBackupStorageLocationAvailable(
    namespace: string,
    name: string,
    available: boolean,
  ): void;
  /**
   * Makes volume provisioning available or not: while it is not, new
   * PersistentVolumeClaims stay Pending (as with a CSI provisioner that is
   * down); when it is back, they bind.
   */
  setVolumeProvisioningAvailable(available: boolean): void;
  /** Replaces how Jobs end from now on. */
  setJobOutcome(outcome: (job: KubeObject) => JobOutcome): void;
  /**
   * Decides which running pods pass their readiness probe (default: all,
   * `podReadyAfterMs` after they start); the others stay Running and not
   * Ready until a later call lets them pass.
   */
  setPodReadiness(ready: (pod: KubeObject) => boolean): void;
  stop(): void;
}

function defaultErrorReporter(error: unknown, work: string) {
  if (error instanceof ApiError && [404, 409, 403].includes(error.code)) return;
  // eslint-disable-next-line no-console
  console.warn(`kube-sandbox controllers: ${work} failed:`, error);
}

/**
 * Starts the simulated controllers against a store: the kubelet (pods run and
 * become Ready), Deployments, StatefulSets, CronJobs and Jobs, the PV binder,
 * external-snapshotter and SnapScheduler, and Velero (Schedules, Backups,
 * Restores, BackupStorageLocations). They react to store changes
 * synchronously (see ControllerRuntime) and measure every duration on the
 * simulated clock. Controllers whose kinds the server does not serve (e.g.
 * without the Velero CRDs) stay off.
 */
export function startControllers(
  options: { store: ObjectStore; clock: Clock } & ControllerOptions,
): SandboxControllers {
  const { store, clock } = options;
  const reportError: ErrorReporter = options.onError ?? defaultErrorReporter;
  const rt = new ControllerRuntime(store, clock, reportError);
  let jobOutcome = options.jobOutcome ?? (() => ({ succeeded: true }));

  const velero = startVelero(rt, {
    backupDurationMs: options.backupDurationMs ?? 60_000,
    restoreDurationMs: options.restoreDurationMs ?? 60_000,
    concurrentBackups: options.concurrentBackups ?? 1,
    defaultBackupTtlMs: options.defaultBackupTtlMs ?? 720 * 3_600_000,
  });
  const claims = persistentVolumeClaimController(rt);
  const kubelet = podController(rt, {
    podReadyAfterMs: options.podReadyAfterMs ?? 2_000,
  });
  const controllers: Controller[] = [
    kubelet,
    deploymentController(rt),
    statefulSetController(rt),
    jobController(rt, {
      jobDurationMs: options.jobDurationMs ?? 30_000,
      jobOutcome: job => jobOutcome(job),
    }),
    cronJobController(rt),
    claims,
    volumeSnapshotController(rt, {
      snapshotReadyAfterMs: options.snapshotReadyAfterMs ?? 5_000,
    }),
    snapshotScheduleController(rt),
    ...velero.controllers,
  ].filter((controller): controller is Controller => controller !== undefined);

  const unsubscribe = store.subscribe(event => {
    for (const controller of controllers) {
      try {
        controller.onEvent(event);
      } catch (error) {
        reportError(error, `event ${event.type} ${event.resource.plural}`);
      }
    }
  });
  rt.enqueue('resync', () =>
    controllers.forEach(controller => controller.resync()),
  );

  return {
    failNextBackups(scheduleName, count, phase = 'Failed') {
      velero.failNextBackups(scheduleName, count, phase);
    },
    setBackupStorageLocationAvailable(namespace, name, available) {
      velero.setBackupStorageLocationAvailable(namespace, name, available);
    },
    setVolumeProvisioningAvailable(available) {
      claims.setProvisioningAvailable(available);
    },
    setJobOutcome(outcome) {
      jobOutcome = outcome;
    },
    setPodReadiness(ready) {
      kubelet.setReadiness(ready);
    },
    stop() {
      unsubscribe();
      rt.stop();
    },
  };
}
