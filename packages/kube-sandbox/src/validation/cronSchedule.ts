/**
 * CronJob schedules as kube-apiserver checks them: robfig/cron v3's
 * ParseStandard (5 fields, month and weekday names, ranges, steps, `?`,
 * descriptors) and the TZ rule of batch validation, with their messages.
 *
 * Note: ParseStandard accepts `@every <duration>` and so does the real
 * server (the CronJob controller then runs it at that interval); the sandbox
 * accepts it too. `@reboot` is refused ("unrecognized descriptor").
 *
 * `nextCronTime` computes the next run like robfig's SpecSchedule.Next (in
 * UTC); with a `timeZone` it asks croner with the canonical form of the
 * parsed schedule.
 */
import { Cron } from 'croner';
import { FieldError, invalid } from './fieldErrors';
import { goQuote, goStringSlice } from './goFormat';
import { parseGoDuration } from './goDuration';

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const SECONDS: Bounds = { min: 0, max: 59 };
const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DAYS_OF_MONTH: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = {
  min: 1,
  max: 12,
  names: {
    jan: 1,
    feb: 2,
    mar: 3,
    apr: 4,
    may: 5,
    jun: 6,
    jul: 7,
    aug: 8,
    sep: 9,
    oct: 10,
    nov: 11,
    dec: 12,
  },
};
const DAYS_OF_WEEK: Bounds = {
  min: 0,
  max: 6,
  names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 },
};

/** One field: the values it allows, and whether it was `*` or `?` (robfig's star bit). */
export interface CronField {
  values: Set<number>;
  star: boolean;
}

export type CronSchedule =
  | {
      kind: 'spec';
      second: CronField;
      minute: CronField;
      hour: CronField;
      dayOfMonth: CronField;
      month: CronField;
      dayOfWeek: CronField;
      /** From a TZ= or CRON_TZ= prefix (which CronJob validation refuses). */
      timeZone?: string;
    }
  | { kind: 'every'; seconds: number };

class CronParseError extends Error {}

function fail(message: string): never {
  throw new CronParseError(message);
}

/** strconv.Atoi, with robfig's wording around its errors. */
function parseInteger(expr: string): number {
  if (!/^[+-]?[0-9]+$/.test(expr)) {
    fail(
      `failed to parse int from ${expr}: strconv.Atoi: parsing ${goQuote(
        expr,
      )}: invalid syntax`,
    );
  }
  const big = BigInt(expr);
  if (big > 2n ** 63n - 1n || big < -(2n ** 63n)) {
    fail(
      `failed to parse int from ${expr}: strconv.Atoi: parsing ${goQuote(
        expr,
      )}: value out of range`,
    );
  }
  const value = Number(big);
  if (value < 0) fail(`negative number (${value}) not allowed: ${expr}`);
  return value;
}

function parseIntOrName(expr: string, bounds: Bounds): number {
  const named = bounds.names?.[expr.toLowerCase()];
  return named !== undefined ? named : parseInteger(expr);
}

function parseRange(expr: string, bounds: Bounds, field: CronField) {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  const single = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = bounds.min;
    end = bounds.max;
    star = true;
  } else {
    start = parseIntOrName(lowAndHigh[0], bounds);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2)
      end = parseIntOrName(lowAndHigh[1], bounds);
    else fail(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = parseInteger(rangeAndStep[1]);
    if (single) end = bounds.max; // "N/step" means "N-max/step"
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) {
    fail(`too many slashes: ${expr}`);
  }
  if (start < bounds.min)
    fail(
      `beginning of range (${start}) below minimum (${bounds.min}): ${expr}`,
    );
  if (end > bounds.max)
    fail(`end of range (${end}) above maximum (${bounds.max}): ${expr}`);
  if (start > end)
    fail(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) fail(`step of range should be a positive number: ${expr}`);
  for (let value = start; value <= end; value += step) field.values.add(value);
  field.star ||= star;
}

function parseField(text: string, bounds: Bounds): CronField {
  const field: CronField = { values: new Set(), star: false };
  for (const expr of text.split(',').filter(part => part !== '')) {
    parseRange(expr, bounds, field);
  }
  return field;
}

function all(bounds: Bounds): CronField {
  const values = new Set<number>();
  for (let v = bounds.min; v <= bounds.max; v++) values.add(v);
  return { values, star: true };
}

function only(value: number): CronField {
  return { values: new Set([value]), star: false };
}

function descriptor(spec: string, timeZone?: string): CronSchedule {
  const zero = { second: only(0), minute: only(0), timeZone };
  switch (spec) {
    case '@yearly':
    case '@annually':
      return {
        kind: 'spec',
        ...zero,
        hour: only(0),
        dayOfMonth: only(1),
        month: only(1),
        dayOfWeek: all(DAYS_OF_WEEK),
      };
    case '@monthly':
      return {
        kind: 'spec',
        ...zero,
        hour: only(0),
        dayOfMonth: only(1),
        month: all(MONTHS),
        dayOfWeek: all(DAYS_OF_WEEK),
      };
    case '@weekly':
      return {
        kind: 'spec',
        ...zero,
        hour: only(0),
        dayOfMonth: all(DAYS_OF_MONTH),
        month: all(MONTHS),
        dayOfWeek: only(0),
      };
    case '@daily':
    case '@midnight':
      return {
        kind: 'spec',
        ...zero,
        hour: only(0),
        dayOfMonth: all(DAYS_OF_MONTH),
        month: all(MONTHS),
        dayOfWeek: all(DAYS_OF_WEEK),
      };
    case '@hourly':
      return {
        kind: 'spec',
        ...zero,
        hour: all(HOURS),
        dayOfMonth: all(DAYS_OF_MONTH),
        month: all(MONTHS),
        dayOfWeek: all(DAYS_OF_WEEK),
      };
    default:
  }
  if (spec.startsWith('@every ')) {
    const parsed = parseGoDuration(spec.slice('@every '.length));
    if ('error' in parsed)
      fail(`failed to parse duration ${spec}: ${parsed.error}`);
    // robfig's Every: at least a second, whole seconds.
    return {
      kind: 'every',
      seconds: Math.max(1, Math.floor(parsed.nanos / 1e9)),
    };
  }
  return fail(`unrecognized descriptor: ${spec}`);
}

function isKnownTimeZone(name: string): boolean {
  if (name === '' || name === 'UTC' || name === 'Local') return true;
  try {
    return Boolean(
      Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions()
        .timeZone,
    );
  } catch {
    return false;
  }
}

/** robfig/cron v3 `ParseStandard`; throws with robfig's error message. */
export function parseCronSchedule(schedule: string): CronSchedule {
  if (schedule.length === 0) fail('empty spec string');
  let spec = schedule;
  let timeZone: string | undefined;
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const space = spec.indexOf(' ');
    const name = spec.slice(
      spec.indexOf('=') + 1,
      space === -1 ? undefined : space,
    );
    if (!isKnownTimeZone(name))
      fail(`provided bad location ${name}: unknown time zone ${name}`);
    timeZone = name;
    spec = space === -1 ? '' : spec.slice(space).trim();
  }
  if (spec.startsWith('@')) return descriptor(spec, timeZone);
  const fields = spec.split(/\s+/).filter(field => field !== '');
  if (fields.length !== 5) {
    fail(
      `expected exactly 5 fields, found ${fields.length}: ${goStringSlice(
        fields,
      )}`,
    );
  }
  return {
    kind: 'spec',
    second: parseField('0', SECONDS),
    minute: parseField(fields[0], MINUTES),
    hour: parseField(fields[1], HOURS),
    dayOfMonth: parseField(fields[2], DAYS_OF_MONTH),
    month: parseField(fields[3], MONTHS),
    dayOfWeek: parseField(fields[4], DAYS_OF_WEEK),
    timeZone,
  };
}

/** The parser's message for a schedule robfig/cron refuses, else undefined. */
export function cronParseError(schedule: string): string | undefined {
  try {
    parseCronSchedule(schedule);
    return undefined;
  } catch (error) {
    if (error instanceof CronParseError) return error.message;
    throw error;
  }
}

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

type SpecSchedule = Extract<CronSchedule, { kind: 'spec' }>;

function dayMatches(s: SpecSchedule, t: Date) {
  const dom = s.dayOfMonth.values.has(t.getUTCDate());
  const dow = s.dayOfWeek.values.has(t.getUTCDay());
  return s.dayOfMonth.star || s.dayOfWeek.star ? dom && dow : dom || dow;
}

/** robfig's SpecSchedule.Next in UTC: the first matching second strictly after `after`. */
function nextUtc(s: SpecSchedule, after: Date): Date | undefined {
  const t = new Date(Math.floor(after.getTime() / 1000) * 1000 + 1000);
  const yearLimit = t.getUTCFullYear() + 5;
  let added = false;
  const startOf = (unit: 'month' | 'day' | 'hour' | 'minute') => {
    if (added) return;
    added = true;
    if (unit === 'month') t.setUTCDate(1);
    if (unit === 'month' || unit === 'day') t.setUTCHours(0, 0, 0, 0);
    if (unit === 'hour') t.setUTCMinutes(0, 0, 0);
    if (unit === 'minute') t.setUTCSeconds(0, 0);
  };
  /** Moves t to the next match; false when a field wrapped and the search must start over. */
  const settle = (): boolean => {
    while (!s.month.values.has(t.getUTCMonth() + 1)) {
      startOf('month');
      t.setUTCMonth(t.getUTCMonth() + 1);
      if (t.getUTCMonth() === 0) return false;
    }
    while (!dayMatches(s, t)) {
      startOf('day');
      t.setUTCDate(t.getUTCDate() + 1);
      if (t.getUTCDate() === 1) return false;
    }
    while (!s.hour.values.has(t.getUTCHours())) {
      startOf('hour');
      t.setUTCHours(t.getUTCHours() + 1);
      if (t.getUTCHours() === 0) return false;
    }
    while (!s.minute.values.has(t.getUTCMinutes())) {
      startOf('minute');
      t.setUTCMinutes(t.getUTCMinutes() + 1);
      if (t.getUTCMinutes() === 0) return false;
    }
    while (!s.second.values.has(t.getUTCSeconds())) {
      added = true;
      t.setUTCSeconds(t.getUTCSeconds() + 1);
      if (t.getUTCSeconds() === 0) return false;
    }
    return true;
  };
  while (t.getUTCFullYear() <= yearLimit) {
    if (settle()) return t;
  }
  return undefined;
}

function canonicalField(field: CronField) {
  return field.star && field.values.size > 0
    ? '*'
    : [...field.values].sort((a, b) => a - b).join(',');
}

function nextInZone(
  s: SpecSchedule,
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
  return nextUtc(parsed, after);
}
