/**
 * robfig/cron v3's standard parser (`cron.ParseStandard`) and its
 * `SpecSchedule.Next`, as Kubernetes validates and runs CronJob schedules and
 * Velero and SnapScheduler read theirs: 5 fields, month and weekday names,
 * ranges, steps, `?`, the descriptors (`@hourly` … `@yearly`, `@every
 * <duration>`) and the `TZ=`/`CRON_TZ=` prefix; errors carry robfig's
 * messages. Tested against robfig's own test cases (robfigCron.test.ts).
 */
import { parseGoDurationNanos } from './goDuration';
import { goQuote } from './goQuote';

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

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

/**
 * One field: the values it allows, and whether it was `*` or `?` (robfig's
 * star bit, which decides how day of month and day of week combine).
 *
 * @public
 */
export interface CronField {
  values: Set<number>;
  star: boolean;
}

/** @public */
export type CronSpecSchedule = {
  kind: 'spec';
  second: CronField;
  minute: CronField;
  hour: CronField;
  dayOfMonth: CronField;
  month: CronField;
  dayOfWeek: CronField;
  /** From a `TZ=` or `CRON_TZ=` prefix. */
  timeZone?: string;
};

/** @public */
export type CronSchedule =
  | CronSpecSchedule
  | { kind: 'every'; seconds: number; timeZone?: string };

/**
 * A schedule robfig/cron refuses; the message is robfig's.
 *
 * @public
 */
export class CronParseError extends Error {
  name = 'CronParseError';
}

function fail(message: string): never {
  throw new CronParseError(message);
}

/** strconv.Atoi, with robfig's wording around its errors. */
function parseInteger(expr: string): number {
  const atoiError = (why: string) =>
    fail(
      `failed to parse int from ${expr}: strconv.Atoi: parsing ${goQuote(
        expr,
      )}: ${why}`,
    );
  if (!/^[+-]?[0-9]+$/.test(expr)) atoiError('invalid syntax');
  const big = BigInt(expr);
  if (big > 2n ** 63n - 1n || big < -(2n ** 63n)) {
    atoiError('value out of range');
  }
  const value = Number(big);
  if (value < 0) fail(`negative number (${value}) not allowed: ${expr}`);
  return value;
}

function parseIntOrName(expr: string, bounds: Bounds): number {
  const named = bounds.names?.[expr.toLowerCase()];
  return named !== undefined ? named : parseInteger(expr);
}

/** robfig's getRange: `*`, `?`, `N`, `N-M`, each with an optional `/step`. */
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

/** robfig's getField: comma-separated ranges (empty parts are skipped, as strings.FieldsFunc does). */
function parseField(text: string, bounds: Bounds): CronField {
  const field: CronField = { values: new Set(), star: false };
  for (const expr of text.split(',').filter(part => part !== '')) {
    parseRange(expr, bounds, field);
  }
  return field;
}

/** robfig's getField with any bounds; for robfig's own range tests. */
export function parseFieldWithin(
  text: string,
  min: number,
  max: number,
): CronField {
  return parseField(text, { min, max });
}

function all(bounds: Bounds): CronField {
  const values = new Set<number>();
  for (let v = bounds.min; v <= bounds.max; v++) values.add(v);
  return { values, star: true };
}

function only(value: number): CronField {
  return { values: new Set([value]), star: false };
}

type DescriptorFields = Pick<
  CronSpecSchedule,
  'hour' | 'dayOfMonth' | 'month' | 'dayOfWeek'
>;

const DESCRIPTORS: Record<string, () => DescriptorFields> = {
  '@yearly': () => ({
    hour: only(0),
    dayOfMonth: only(1),
    month: only(1),
    dayOfWeek: all(DAYS_OF_WEEK),
  }),
  '@monthly': () => ({
    hour: only(0),
    dayOfMonth: only(1),
    month: all(MONTHS),
    dayOfWeek: all(DAYS_OF_WEEK),
  }),
  '@weekly': () => ({
    hour: only(0),
    dayOfMonth: all(DAYS_OF_MONTH),
    month: all(MONTHS),
    dayOfWeek: only(0),
  }),
  '@daily': () => ({
    hour: only(0),
    dayOfMonth: all(DAYS_OF_MONTH),
    month: all(MONTHS),
    dayOfWeek: all(DAYS_OF_WEEK),
  }),
  '@hourly': () => ({
    hour: all(HOURS),
    dayOfMonth: all(DAYS_OF_MONTH),
    month: all(MONTHS),
    dayOfWeek: all(DAYS_OF_WEEK),
  }),
};
DESCRIPTORS['@annually'] = DESCRIPTORS['@yearly'];
DESCRIPTORS['@midnight'] = DESCRIPTORS['@daily'];

/**
 * The descriptors robfig/cron's standard parser knows, besides `@every`.
 *
 * @public
 */
export const CRON_DESCRIPTORS = Object.keys(DESCRIPTORS);

function descriptor(spec: string, timeZone?: string): CronSchedule {
  const fields = DESCRIPTORS[spec];
  if (fields) {
    return {
      kind: 'spec',
      second: only(0),
      minute: only(0),
      ...fields(),
      timeZone,
    };
  }
  if (spec.startsWith('@every ')) {
    const parsed = parseGoDurationNanos(spec.slice('@every '.length));
    if ('error' in parsed) {
      fail(`failed to parse duration ${spec}: ${parsed.error}`);
    }
    // robfig's Every: at least a second, whole seconds.
    const seconds = Number(parsed.nanos / 1_000_000_000n);
    return { kind: 'every', seconds: Math.max(1, seconds), timeZone };
  }
  return fail(`unrecognized descriptor: ${spec}`);
}

function isKnownTimeZone(name: string): boolean {
  if (name === '' || name === 'UTC' || name === 'Local') return true;
  try {
    return Boolean(
      new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions()
        .timeZone,
    );
  } catch {
    return false;
  }
}

/**
 * robfig/cron v3 `ParseStandard`; throws a CronParseError with robfig's
 * message.
 *
 * @public
 */
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
      `expected exactly 5 fields, found ${fields.length}: [${fields.join(
        ' ',
      )}]`,
    );
  }
  return {
    kind: 'spec',
    second: only(0),
    minute: parseField(fields[0], MINUTES),
    hour: parseField(fields[1], HOURS),
    dayOfMonth: parseField(fields[2], DAYS_OF_MONTH),
    month: parseField(fields[3], MONTHS),
    dayOfWeek: parseField(fields[4], DAYS_OF_WEEK),
    timeZone,
  };
}

/**
 * robfig's message for a schedule its standard parser refuses, else
 * undefined.
 *
 * @public
 */
export function cronParseError(schedule: string): string | undefined {
  try {
    parseCronSchedule(schedule);
    return undefined;
  } catch (error) {
    if (error instanceof CronParseError) return error.message;
    throw error;
  }
}

const DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Whether a schedule can ever fire: `0 0 30 2 *` (30 February) or an empty
 * field (`0 0 , * *`) never does, yet robfig's parser accepts both; its Next
 * then gives up after five years and a CronJob or Schedule silently never
 * runs. 29 February fires in leap years.
 *
 * @public
 */
export function cronEverFires(schedule: CronSchedule): boolean {
  if (schedule.kind === 'every') return true;
  const { minute, hour, month, dayOfMonth, dayOfWeek } = schedule;
  if ([minute, hour, month].some(field => field.values.size === 0)) {
    return false;
  }
  const someDayOfMonthExists = [...dayOfMonth.values].some(day =>
    [...month.values].some(m => day <= DAYS_IN_MONTH[m]),
  );
  if (dayOfMonth.star || dayOfWeek.star) {
    // Both must match (one of them matches every day).
    return someDayOfMonthExists && dayOfWeek.values.size > 0;
  }
  // Neither is a star: either may match.
  return someDayOfMonthExists || dayOfWeek.values.size > 0;
}

function dayMatches(s: CronSpecSchedule, t: Date) {
  const dom = s.dayOfMonth.values.has(t.getUTCDate());
  const dow = s.dayOfWeek.values.has(t.getUTCDay());
  return s.dayOfMonth.star || s.dayOfWeek.star ? dom && dow : dom || dow;
}

/**
 * robfig's SpecSchedule.Next in UTC: the first matching second strictly after
 * `after`; undefined when nothing matches within five years (robfig's limit).
 *
 * @public
 */
export function nextSpecTimeUtc(
  s: CronSpecSchedule,
  after: Date,
): Date | undefined {
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
