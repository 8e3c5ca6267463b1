/**
 * CronJob schedules as kube-apiserver checks them: robfig/cron v3's
 * ParseStandard (the product's own port in -common, tested against robfig's
 * test cases) and the TZ rule of batch validation, with their messages.
 *
 * Note: ParseStandard accepts `@every <duration>` and so does the real
 * server (the CronJob controller then runs it at that interval); the sandbox
 * accepts it too. `@reboot` is refused ("unrecognized descriptor").
 *
 * `nextCronTime` computes the next run like robfig's SpecSchedule.Next (in
 * UTC); with a `timeZone` it asks croner with the canonical form of the
 * parsed schedule.
 */
import {
  CronField,
  CronSpecSchedule,
  cronParseError,
  nextSpecTimeUtc,
  parseCronSchedule,
} from '@backups-for-backstage/plugin-backups-common';
import { Cron } from 'croner';
import { FieldError, invalid } from './fieldErrors';

export type { CronSchedule } from '@backups-for-backstage/plugin-backups-common';
export { cronParseError, parseCronSchedule };

export interface CronJobScheduleOptions {
  /** On update: the stored schedule (a TZ= that was already there may stay). */
  oldSchedule?: string;
  /** The CronJob's `spec.timeZone`. */
  timeZone?: string;
  /** Default 'spec.schedule'. */
  field?: string;
}

/**
 * All errors kube-apiserver reports for a CronJob's `spec.schedule`
 * (validateScheduleFormat): the parser's, then the TZ rule's.
 */
export function cronJobScheduleErrors(
  schedule: string,
  options: CronJobScheduleOptions = {},
): FieldError[] {
  const field = options.field ?? 'spec.schedule';
  const errors: FieldError[] = [];
  const parseError = cronParseError(schedule);
  if (parseError) errors.push(invalid(field, schedule, parseError));
  const allowTZ = options.oldSchedule?.includes('TZ') ?? false;
  if (allowTZ && schedule.includes('TZ') && options.timeZone !== undefined) {
    errors.push(
      invalid(
        field,
        schedule,
        'cannot use both timeZone field and TZ or CRON_TZ in schedule',
      ),
    );
  } else if (!allowTZ && schedule.includes('TZ')) {
    errors.push(
      invalid(
        field,
        schedule,
        'cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
      ),
    );
  }
  return errors;
}

/**
 * undefined when a new CronJob may have this schedule, else the message of
 * the first error on `spec.schedule` (`Invalid value: "<schedule>": <why>`).
 * An empty schedule is `Required value` (checked by the caller in the real
 * server) and reported here as the parser's "empty spec string".
 */
export function validateCronJobSchedule(
  schedule: string,
  options: CronJobScheduleOptions = {},
): string | undefined {
  return cronJobScheduleErrors(schedule, options)[0]?.message;
}

// ---------------------------------------------------------------------------

function canonicalField(field: CronField) {
  return field.star && field.values.size > 0
    ? '*'
    : [...field.values].sort((a, b) => a - b).join(',');
}

function nextInZone(
  s: CronSpecSchedule,
  after: Date,
  timeZone: string,
): Date | undefined {
  const fields = [
    s.second,
    s.minute,
    s.hour,
    s.dayOfMonth,
    s.month,
    s.dayOfWeek,
  ];
  if (fields.some(field => field.values.size === 0)) return undefined;
  const pattern = fields.map(canonicalField).join(' ');
  const legacyMode = !(s.dayOfMonth.star || s.dayOfWeek.star);
  return (
    new Cron(pattern, { timezone: timeZone, legacyMode, paused: true }).nextRun(
      after,
    ) ?? undefined
  );
}

/**
 * When a CronJob with this schedule runs next after `after` (to the second),
 * in UTC unless `timeZone` (the CronJob's `spec.timeZone`, or a TZ= prefix)
 * says otherwise; undefined for a schedule that never fires (e.g. `0 0 30 2
 * *`). Throws for a schedule `validateCronJobSchedule` refuses to parse.
 */
export function nextCronTime(
  schedule: string,
  after: Date,
  timeZone?: string,
): Date | undefined {
  const parsed = parseCronSchedule(schedule);
  if (parsed.kind === 'every') {
    return new Date(
      Math.floor(after.getTime() / 1000) * 1000 + parsed.seconds * 1000,
    );
  }
  const zone = timeZone ?? parsed.timeZone;
  if (zone && zone !== 'UTC' && zone !== 'Etc/UTC' && zone !== 'Local') {
    return nextInZone(parsed, after, zone);
  }
  return nextSpecTimeUtc(parsed, after);
}
