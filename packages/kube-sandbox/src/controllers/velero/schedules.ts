import { KubeObject } from '../../resources/types';
import { StoreEvent } from '../../store/ObjectStore';
import { CronSchedule, parseStandardCron } from '../cron';
import { compactTimestamp } from '../names';
import {
  Controller,
  ControllerRuntime,
  Fields,
  keyOf,
  parseTimestamp,
  sameResource,
} from '../runtime';
import {
  phaseOf,
  SCHEDULE_NAME_LABEL,
  VELERO_API_VERSION,
  VeleroKinds,
} from './common';

/** Velero's parseCronSchedule: robfig/cron ParseStandard, with Velero's messages. */
export function validateVeleroSchedule(
  schedule: unknown,
): { schedule: CronSchedule; errors?: undefined } | { errors: string[] } {
  if (typeof schedule !== 'string' || schedule.length === 0) {
    return { errors: ['Schedule must be a non-empty valid Cron expression'] };
  }
  const parsed = parseStandardCron(schedule);
  return 'error' in parsed
    ? { errors: [`invalid schedule: ${parsed.error}`] }
    : { schedule: parsed.schedule };
}

/** Schedule.TimestampedName: `<schedule>-20060102150405` (UTC). */
export function backupNameFor(scheduleName: string, time: Date): string {
  return `${scheduleName}-${compactTimestamp(time)}`;
}

/** builder.ForBackup(...).FromSchedule(schedule): the Backup a Schedule submits at `time`. */
export function backupFromSchedule(
  schedule: KubeObject,
  time: Date,
): KubeObject {
  const spec = (schedule.spec ?? {}) as Fields;
  const template = structuredClone((spec.template ?? {}) as Fields);
  const labels: Record<string, string> = {
    ...(template.metadata?.labels ?? schedule.metadata.labels ?? {}),
    [SCHEDULE_NAME_LABEL]: schedule.metadata.name!,
  };
  return {
    apiVersion: VELERO_API_VERSION,
    kind: 'Backup',
    metadata: {
      name: backupNameFor(schedule.metadata.name!, time),
      namespace: schedule.metadata.namespace,
      labels,
      ...(schedule.metadata.annotations
        ? { annotations: { ...schedule.metadata.annotations } }
        : {}),
      ...(spec.useOwnerReferencesInBackup === true
        ? {
            ownerReferences: [
              {
                apiVersion: VELERO_API_VERSION,
                kind: 'Schedule',
                name: schedule.metadata.name!,
                uid: schedule.metadata.uid!,
                controller: true,
              },
            ],
          }
        : {}),
    },
    spec: template,
  };
}

/**
 * Velero's schedule controller: a Schedule that is not paused becomes Enabled
 * (or FailedValidation with `validationErrors` for a schedule robfig/cron
 * rejects) and, at each tick after `status.lastBackup` (or its creation),
 * submits a Backup `<schedule>-<UTC tick time>` unless one of its Backups is
 * still New or InProgress, then records `status.lastBackup`.
 * `spec.skipImmediately` is honoured (it moves `lastSkipped` to now).
 */
export function scheduleController(
  rt: ControllerRuntime,
  kinds: VeleroKinds,
): Controller & {
  enqueue(namespace: string, name: string): void;
} {
  const { schedules, backups } = kinds;

  const enqueue = (namespace: string, name: string) =>
    rt.enqueue(`schedule/${namespace}/${name}`, () =>
      reconcile(namespace, name),
    );

  const backupRunning = (schedule: KubeObject) =>
    rt.store
      .objects(backups, {
        namespace: schedule.metadata.namespace,
        labels: [
          {
            key: SCHEDULE_NAME_LABEL,
            operator: 'in',
            values: [schedule.metadata.name!],
          },
        ],
      })
      .some(backup => ['', 'New', 'InProgress'].includes(phaseOf(backup)));

  function reconcile(namespace: string, name: string) {
    const timerKey = `schedule-tick/${namespace}/${name}`;
    const found = rt.store.get(schedules, namespace, name);
    if (!found || found.metadata.deletionTimestamp) {
      rt.cancel(timerKey);
      return;
    }
    let schedule = found;
    const spec = { ...((schedule.spec ?? {}) as Fields) };
    if (spec.paused === true) {
      rt.cancel(timerKey);
      return;
    }
    const status = { ...((schedule.status ?? {}) as Fields) };
    const now = rt.now();
    // Velero consumes a true skipImmediately and leaves it alone otherwise.
    if (spec.skipImmediately === true) {
      status.lastSkipped = rt.timestamp(now);
      spec.skipImmediately = false;
    }

    const parsed = validateVeleroSchedule(spec.schedule);
    if (parsed.errors) {
      status.phase = 'FailedValidation';
      status.validationErrors = parsed.errors;
    } else {
      status.phase = 'Enabled';
      delete status.validationErrors;
    }
    schedule = rt.replace(schedules, { ...schedule, spec, status });
    if (parsed.errors) {
      rt.cancel(timerKey);
      return;
    }

    const last = [
      parseTimestamp(status.lastBackup) ??
        parseTimestamp(schedule.metadata.creationTimestamp) ??
        now,
      parseTimestamp(status.lastSkipped),
    ]
      .filter((d): d is Date => d !== undefined)
      .reduce((a, b) => (b > a ? b : a));
    let next = parsed.schedule.next(last);
    if (next && next <= now && !backupRunning(schedule)) {
      rt.createOrGet(backups, namespace, backupFromSchedule(schedule, now));
      schedule = rt.replace(schedules, {
        ...schedule,
        status: {
          ...((schedule.status ?? {}) as Fields),
          lastBackup: rt.timestamp(now),
        },
      });
      next = parsed.schedule.next(now);
    } else if (next && next <= now) {
      // Due, but a Backup of this Schedule is still running: Velero checks again
      // every minute; the Backup controller wakes us when that Backup ends.
      next = parsed.schedule.next(now);
    }
    if (next) rt.at(timerKey, next, () => enqueue(namespace, name));
    else rt.cancel(timerKey);
  }

  return {
    enqueue,
    onEvent(event: StoreEvent) {
      if (!sameResource(schedules, event.resource)) return;
      const { namespace, name } = event.object.metadata;
      if (event.type === 'DELETED')
        rt.cancel(`schedule-tick/${namespace}/${name}`);
      else enqueue(namespace!, name!);
    },
    resync() {
      for (const schedule of rt.store.objects(schedules)) {
        rt.enqueue(`schedule/${keyOf(schedule)}`, () =>
          reconcile(schedule.metadata.namespace!, schedule.metadata.name!),
        );
      }
    },
  };
}
