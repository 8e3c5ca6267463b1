import { cronParseError, nextCronTime } from '../validation/cronSchedule';

/** A parsed schedule: the first run strictly after a time; undefined when it never runs again. */
export interface CronSchedule {
  next(after: Date): Date | undefined;
}

export type CronParseResult = { schedule: CronSchedule } | { error: string };

/**
 * Parses a schedule as robfig/cron v3's `ParseStandard` does (Velero's
 * Schedule, the CronJob controller and SnapScheduler all use it), with the
 * same parser the API server validates CronJobs with; errors carry robfig's
 * messages. Times are computed in UTC unless a zone is given.
 */
export function parseStandardCron(
  spec: string,
  timeZone = 'UTC',
): CronParseResult {
  const error = cronParseError(spec);
  if (error !== undefined) {
    return { error };
  }
  const zone = timeZone === 'UTC' ? undefined : timeZone;
  return { schedule: { next: after => nextCronTime(spec, after, zone) } };
}

/** The latest run of `schedule` in (after, until], if any. */
export function latestRunBetween(
  schedule: CronSchedule,
  after: Date,
  until: Date,
): Date | undefined {
  let latest: Date | undefined;
  let t = schedule.next(after);
  // Bounded walk: enough for a minutely schedule over a long simulated pause.
  for (let i = 0; t && t.getTime() <= until.getTime() && i < 100_000; i++) {
    latest = t;
    t = schedule.next(t);
  }
  return latest;
}
