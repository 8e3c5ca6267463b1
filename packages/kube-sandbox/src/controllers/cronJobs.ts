import { KubeObject } from '../resources/types';
import { StoreEvent } from '../store/ObjectStore';
import { latestRunBetween, parseStandardCron } from './cron';
import { isJobFinished, isJobSucceeded } from './jobs';
import {
  Controller,
  ControllerRuntime,
  controllerOf,
  controllerRef,
  Fields,
  keyOf,
  parseTimestamp,
  sameResource,
  toTimestamp,
} from './runtime';

export const SCHEDULED_TIMESTAMP_ANNOTATION =
  'batch.kubernetes.io/cronjob-scheduled-timestamp';

/** RFC 3339 in a time zone, as Go's `t.In(loc).Format(time.RFC3339)` prints it. */
export function formatInZone(date: Date, timeZone: string): string {
  if (timeZone === 'UTC') return toTimestamp(date);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(date)
      .map(part => [part.type, part.value]),
  );
  const local = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  const offsetMinutes = Math.round(
    (local - Math.floor(date.getTime() / 1000) * 1000) / 60_000,
  );
  if (offsetMinutes === 0)
    return `${toTimestamp(new Date(local)).slice(0, 19)}Z`;
  const sign = offsetMinutes > 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(
    2,
    '0',
  )}:${String(abs % 60).padStart(2, '0')}`;
  return `${toTimestamp(new Date(local)).slice(0, 19)}${offset}`;
}

function startTimeOf(job: KubeObject): number | undefined {
  return parseTimestamp(
    (job.status as Fields | undefined)?.startTime,
  )?.getTime();
}

/** byJobStartTime: oldest start first, jobs without a start last, names break ties. */
function byStartTime(a: KubeObject, b: KubeObject): number {
  const sa = startTimeOf(a);
  const sb = startTimeOf(b);
  if (sa === undefined || sb === undefined) {
    if (sa === sb) return a.metadata.name! < b.metadata.name! ? -1 : 1;
    return sa === undefined ? 1 : -1;
  }
  if (sa === sb) return a.metadata.name! < b.metadata.name! ? -1 : 1;
  return sa - sb;
}

/**
 * The CronJob controller (batch/v1, the v2 controller's logic): at each tick
 * of `spec.schedule` (UTC or `spec.timeZone`) it creates the Job
 * `<cronjob>-<scheduled minutes since the epoch>`, honouring `suspend`,
 * `concurrencyPolicy` (Allow, Forbid — the missed run starts once the active
 * Job ends —, Replace) and `startingDeadlineSeconds`; it keeps `status.active`,
 * `lastScheduleTime` and `lastSuccessfulTime`, and deletes the oldest finished
 * Jobs beyond `successfulJobsHistoryLimit` (3) and `failedJobsHistoryLimit`
 * (1) with background propagation.
 */
export function cronJobController(rt: ControllerRuntime): Controller {
  const cronJobs = rt.kind('batch/v1', 'CronJob')!;
  const jobs = rt.kind('batch/v1', 'Job')!;

  const enqueue = (namespace: string, name: string) =>
    rt.enqueue(`cronjob/${namespace}/${name}`, () =>
      reconcile(namespace, name),
    );

  function createJob(cronJob: KubeObject, scheduled: Date, timeZone: string) {
    const template = ((cronJob.spec as Fields).jobTemplate ?? {}) as Fields;
    const { namespace, name } = cronJob.metadata;
    const job: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: `${name}-${Math.floor(scheduled.getTime() / 60_000)}`,
        namespace,
        labels: { ...(template.metadata?.labels ?? {}) },
        annotations: {
          ...(template.metadata?.annotations ?? {}),
          [SCHEDULED_TIMESTAMP_ANNOTATION]: formatInZone(scheduled, timeZone),
        },
        ownerReferences: [controllerRef(cronJob)],
      },
      spec: structuredClone(template.spec ?? {}),
    };
    return rt.createOrGet(jobs, namespace, job);
  }

  function removeOldest(finished: KubeObject[], limit: number) {
    const excess = finished.length - limit;
    if (excess <= 0) return [];
    const doomed = [...finished].sort(byStartTime).slice(0, excess);
    doomed.forEach(job => rt.deleteQuietly(jobs, job, 'Background'));
    return doomed.map(job => job.metadata.uid);
  }

  function reconcile(namespace: string, name: string) {
    const cronJob = rt.store.get(cronJobs, namespace, name);
    const timerKey = `cronjob-tick/${namespace}/${name}`;
    if (!cronJob) {
      rt.cancel(timerKey);
      return;
    }
    const spec = (cronJob.spec ?? {}) as Fields;
    const status = structuredClone((cronJob.status ?? {}) as Fields);
    const now = rt.now();
    const children = rt.store
      .objects(jobs, { namespace })
      .filter(job => controllerOf(job)?.uid === cronJob.metadata.uid);
    const byUid = new Map(children.map(job => [job.metadata.uid, job]));

    let active = ((status.active ?? []) as Fields[]).filter(ref => {
      const job = byUid.get(ref.uid);
      return job !== undefined && !isJobFinished(job);
    });
    let lastSuccessful = parseTimestamp(status.lastSuccessfulTime);
    for (const job of children.filter(isJobSucceeded)) {
      const completed = parseTimestamp((job.status as Fields).completionTime);
      if (completed && (!lastSuccessful || completed > lastSuccessful))
        lastSuccessful = completed;
    }

    const timeZone: string = spec.timeZone ?? 'UTC';
    const parsed = parseStandardCron(spec.schedule ?? '', timeZone);
    const deleting = Boolean(cronJob.metadata.deletionTimestamp);
    if (!deleting && !spec.suspend && 'schedule' in parsed) {
      const { schedule } = parsed;
      let earliest =
        parseTimestamp(status.lastScheduleTime) ??
        parseTimestamp(cronJob.metadata.creationTimestamp) ??
        now;
      const deadlineSeconds: number | undefined =
        spec.startingDeadlineSeconds ?? undefined;
      if (deadlineSeconds !== undefined) {
        const limit = new Date(now.getTime() - deadlineSeconds * 1000);
        if (limit > earliest) earliest = limit;
      }
      const scheduled = latestRunBetween(schedule, earliest, now);
      const jobName =
        scheduled && `${name}-${Math.floor(scheduled.getTime() / 60_000)}`;
      const tooLate =
        scheduled !== undefined &&
        deadlineSeconds !== undefined &&
        scheduled.getTime() + deadlineSeconds * 1000 < now.getTime();
      const processed =
        scheduled !== undefined &&
        (active.some(ref => ref.name === jobName) ||
          parseTimestamp(status.lastScheduleTime)?.getTime() ===
            scheduled.getTime());
      const policy: string = spec.concurrencyPolicy ?? 'Allow';
      const blocked = policy === 'Forbid' && active.length > 0;
      if (
        scheduled &&
        !tooLate &&
        !processed &&
        !blocked &&
        rt.namespaceActive(namespace)
      ) {
        if (policy === 'Replace') {
          active.forEach(ref => {
            const job = byUid.get(ref.uid);
            if (job) rt.deleteQuietly(jobs, job, 'Background');
          });
          active = [];
        }
        const job = createJob(cronJob, scheduled, timeZone);
        if (job && controllerOf(job)?.uid === cronJob.metadata.uid) {
          if (!active.some(ref => ref.uid === job.metadata.uid)) {
            active.push({
              kind: 'Job',
              namespace,
              name: job.metadata.name,
              uid: job.metadata.uid,
              apiVersion: 'batch/v1',
              resourceVersion: job.metadata.resourceVersion,
            });
          }
          status.lastScheduleTime = toTimestamp(scheduled);
        }
      }
      const next = schedule.next(now);
      if (next) rt.at(timerKey, next, () => enqueue(namespace, name));
      else rt.cancel(timerKey);
    } else {
      rt.cancel(timerKey);
    }

    const finished = children.filter(isJobFinished);
    const removed = new Set([
      ...removeOldest(
        finished.filter(isJobSucceeded),
        spec.successfulJobsHistoryLimit ?? 3,
      ),
      ...removeOldest(
        finished.filter(job => !isJobSucceeded(job)),
        spec.failedJobsHistoryLimit ?? 1,
      ),
    ]);
    active = active.filter(ref => !removed.has(ref.uid));

    const next: Fields = { ...status };
    delete next.active;
    if (active.length > 0) next.active = active;
    if (lastSuccessful) next.lastSuccessfulTime = toTimestamp(lastSuccessful);
    const current = rt.store.get(cronJobs, namespace, name);
    if (current) rt.writeStatus(cronJobs, current, next);
  }

  return {
    onEvent(event: StoreEvent) {
      if (sameResource(cronJobs, event.resource)) {
        const { namespace, name } = event.object.metadata;
        if (event.type === 'DELETED')
          rt.cancel(`cronjob-tick/${namespace}/${name}`);
        else enqueue(namespace!, name!);
        return;
      }
      if (!sameResource(jobs, event.resource)) return;
      const owner = controllerOf(event.object);
      if (owner?.kind === 'CronJob' && owner.apiVersion === 'batch/v1') {
        enqueue(event.object.metadata.namespace!, owner.name);
      }
    },
    resync() {
      for (const cronJob of rt.store.objects(cronJobs)) {
        rt.enqueue(`cronjob/${keyOf(cronJob)}`, () =>
          reconcile(cronJob.metadata.namespace!, cronJob.metadata.name!),
        );
      }
    },
  };
}
