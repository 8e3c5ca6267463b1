import cronstrue from 'cronstrue';
import {
  CronSchedule,
  nextSpecTimeUtc,
  parseCronSchedule,
} from './cron/robfigCron';

const PARSED = new Map<string, CronSchedule | null>();
const PERIODS = new Map<string, number | undefined>();
const DESCRIPTIONS = new Map<string, string>();
/** Per schedule, the last next run computed and the time it was computed from. */
const NEXT_RUNS = new Map<string, { from: number; next: number }>();
const CACHE_LIMIT = 2000;

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

/** A schedule parsed once (schedules repeat across a fleet). */
function parsed(cron: string): CronSchedule | undefined {
  const known = PARSED.get(cron);
  if (known !== undefined) return known ?? undefined;
  let schedule: CronSchedule | null;
  try {
    schedule = parseCronSchedule(cron);
  } catch {
    schedule = null;
  }
  return remember(PARSED, cron, schedule) ?? undefined;
}

/** The 5-field form of robfig's descriptors, for cronstrue. */
const DESCRIPTOR_FIELDS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/**
 * A cron expression in words, e.g. "At 03:00 AM, only on Sunday".
 *
 * @public
 */
export function describeSchedule(cron: string): string {
  const known = DESCRIPTIONS.get(cron);
  if (known !== undefined) return known;
  return remember(DESCRIPTIONS, cron, describe(cron));
}

function describe(cron: string): string {
  if (cron.startsWith('@every ')) {
    return `Every ${cron.slice('@every '.length).trim()}`;
  }
  try {
    return cronstrue.toString(DESCRIPTOR_FIELDS[cron] ?? cron, {
      verbose: false,
    });
  } catch {
    return cron;
  }
}

/**
 * When a schedule fires next after `from`, as Kubernetes and Velero read it
 * (robfig/cron, UTC); undefined for one that never fires or does not parse.
 *
 * @public
 */
export function nextRun(
  cron: string,
  from: Date = new Date(),
): Date | undefined {
  // The next run is the same from any time between the last `from` and that
  // run (a fleet's status asks with nearly the same time, many times over).
  // Not so for `@every`, which counts from `from`.
  if (parsed(cron)?.kind === 'every') return computeNextRun(cron, from);
  const time = from.getTime();
  const known = NEXT_RUNS.get(cron);
  if (known && time >= known.from && time < known.next) {
    return new Date(known.next);
  }
  const next = computeNextRun(cron, from);
  if (next) remember(NEXT_RUNS, cron, { from: time, next: next.getTime() });
  return next;
}

function computeNextRun(cron: string, from: Date): Date | undefined {
  const schedule = parsed(cron);
  if (!schedule) return undefined;
  if (schedule.kind === 'every') {
    return new Date(
      Math.floor(from.getTime() / 1000) * 1000 + schedule.seconds * 1000,
    );
  }
  return nextSpecTimeUtc(schedule, from);
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * One period of a schedule around a time: the longest gap between two
 * consecutive runs from 35 days before to 35 days after it (so `0 9 * * 1-5`
 * has a period of three days, across the weekend), or the gap around it for
 * schedules that run less often (`@yearly`). Undefined when it never fires.
 *
 * @public
 */
export function schedulePeriodMs(
  cron: string,
  around: Date = new Date(),
): number | undefined {
  // The period of a schedule changes at most with the day (weekdays, months).
  const key = `${cron}|${Math.floor(around.getTime() / DAY_MS)}`;
  if (PERIODS.has(key)) return PERIODS.get(key);
  return remember(PERIODS, key, computePeriod(cron, around));
}

function computePeriod(cron: string, around: Date): number | undefined {
  const from = new Date(around.getTime() - 35 * DAY_MS);
  const until = around.getTime() + 35 * DAY_MS;
  let previous = computeNextRun(cron, from);
  if (!previous) return undefined;
  let longest = 0;
  // Enough runs to see a week of a 5-minute schedule; more frequent
  // schedules are regular.
  for (let runs = 0; runs < 2500; runs++) {
    const next = computeNextRun(cron, previous);
    if (!next) break;
    longest = Math.max(longest, next.getTime() - previous.getTime());
    if (next.getTime() > until) break;
    previous = next;
  }
  return longest > 0 ? longest : undefined;
}

/**
 * How late a run may be before it is overdue: 10 % of the period, at least
 * 15 minutes.
 *
 * @public
 */
export function scheduleGraceMs(periodMs: number): number {
  return Math.max(periodMs * 0.1, 15 * 60 * 1000);
}

/**
 * The latest run of a schedule after `after` and at or before `until`, or
 * undefined when it has none in between (or does not parse). `@every`
 * counts its runs from `after`.
 *
 * @public
 */
export function latestRun(
  cron: string,
  window: { after: Date; until: Date },
): Date | undefined {
  const schedule = parsed(cron);
  const after = window.after.getTime();
  const until = window.until.getTime();
  if (!schedule || until <= after) return undefined;
  if (schedule.kind === 'every') {
    const intervalMs = schedule.seconds * 1000;
    const runs = Math.floor((until - after) / intervalMs);
    return runs >= 1 ? new Date(after + runs * intervalMs) : undefined;
  }
  let latest: Date | undefined;
  for (
    let run = nextSpecTimeUtc(schedule, window.after);
    run && run.getTime() <= until;
    run = nextSpecTimeUtc(schedule, run)
  ) {
    latest = run;
  }
  return latest;
}
