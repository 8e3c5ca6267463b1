import { Cron } from 'croner';
import { parseGoDuration } from './durations';

/** A parsed schedule: the first run strictly after a time; undefined when it never runs again. */
export interface CronSchedule {
  next(after: Date): Date | undefined;
}

export type CronParseResult = { schedule: CronSchedule } | { error: string };

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTHS = [
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const FIELDS: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  {
    min: 1,
    max: 12,
    names: Object.fromEntries(MONTHS.map((m, i) => [m, i + 1])),
  },
  { min: 0, max: 6, names: Object.fromEntries(DAYS.map((d, i) => [d, i])) },
];

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

class ParseError extends Error {}

/** Go's strconv.Atoi, with its error text. */
function parseInt10(text: string): number {
  if (!/^[+-]?\d+$/.test(text)) {
    throw new ParseError(
      `failed to parse int from ${text}: strconv.Atoi: parsing ${JSON.stringify(
        text,
      )}: invalid syntax`,
    );
  }
  const value = Number(text);
  if (value < 0) {
    throw new ParseError(`negative number (${value}) not allowed: ${text}`);
  }
  return value;
}

function parseIntOrName(text: string, bounds: Bounds): number {
  const named = bounds.names?.[text.toLowerCase()];
  return named ?? parseInt10(text);
}

/** One comma-separated part of a field (robfig/cron getRange); returns the values and whether it is a star. */
function parseRange(
  expr: string,
  bounds: Bounds,
): { values: number[]; star: boolean } {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  const singleDigit = lowAndHigh.length === 1;
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
    else throw new ParseError(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = parseInt10(rangeAndStep[1]);
    if (singleDigit) end = bounds.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) {
    throw new ParseError(`too many slashes: ${expr}`);
  }
  if (start < bounds.min) {
    throw new ParseError(
      `beginning of range (${start}) below minimum (${bounds.min}): ${expr}`,
    );
  }
  if (end > bounds.max) {
    throw new ParseError(
      `end of range (${end}) above maximum (${bounds.max}): ${expr}`,
    );
  }
  if (start > end) {
    throw new ParseError(
      `beginning of range (${start}) beyond end of range (${end}): ${expr}`,
    );
  }
  if (step === 0) {
    throw new ParseError(`step of range should be a positive number: ${expr}`);
  }
  const values: number[] = [];
  for (let value = start; value <= end; value += step) values.push(value);
  return { values, star };
}

/** A field as croner reads it: `*` when robfig marks it as a star, else the explicit values. */
function normalizeField(field: string, bounds: Bounds): string {
  const parts = field.split(',').map(part => parseRange(part, bounds));
  if (parts.some(part => part.star)) return '*';
  const values = [...new Set(parts.flatMap(part => part.values))].sort(
    (a, b) => a - b,
  );
  return values.join(',');
}

function validTimeZone(zone: string): boolean {
  try {
    return Boolean(
      new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions()
        .timeZone,
    );
  } catch {
    return false;
  }
}

function cronSchedule(pattern: string, timezone: string): CronSchedule {
  const cron = new Cron(pattern, { timezone, legacyMode: true, paused: true });
  return {
    next: (after: Date) => cron.nextRun(after) ?? undefined,
  };
}

/**
 * Parses a schedule as robfig/cron v3's `ParseStandard` does (Velero's
 * Schedule, the CronJob controller and SnapScheduler all use it): five fields
 * (minute hour day-of-month month day-of-week) with names, ranges, steps,
 * `*` and `?`; the descriptors `@yearly`, `@annually`, `@monthly`, `@weekly`,
 * `@daily`, `@midnight`, `@hourly` and `@every <Go duration>`; an optional
 * `TZ=` or `CRON_TZ=` prefix. Errors carry robfig's messages. Times are
 * computed with croner, in UTC unless a zone is given.
 */
export function parseStandardCron(
  spec: string,
  timeZone = 'UTC',
): CronParseResult {
  try {
    if (spec.length === 0) throw new ParseError('empty spec string');
    let rest = spec;
    let zone = timeZone;
    if (rest.startsWith('TZ=') || rest.startsWith('CRON_TZ=')) {
      const space = rest.indexOf(' ');
      const eq = rest.indexOf('=');
      const name = rest.slice(eq + 1, space < 0 ? undefined : space);
      if (!validTimeZone(name)) {
        throw new ParseError(
          `provided bad location ${name}: unknown time zone ${name}`,
        );
      }
      zone = name;
      rest = space < 0 ? '' : rest.slice(space).trim();
    }
    if (rest.startsWith('@')) {
      if (rest.startsWith('@every ')) {
        const text = rest.slice('@every '.length);
        const duration = parseGoDuration(text);
        if (duration === undefined) {
          throw new ParseError(
            `failed to parse duration ${rest}: time: invalid duration ${JSON.stringify(
              text,
            )}`,
          );
        }
        const delay = Math.max(1000, Math.floor(duration / 1000) * 1000);
        return {
          schedule: {
            next: after =>
              new Date(Math.floor(after.getTime() / 1000) * 1000 + delay),
          },
        };
      }
      const pattern = DESCRIPTORS[rest];
      if (!pattern) throw new ParseError(`unrecognized descriptor: ${rest}`);
      return { schedule: cronSchedule(pattern, zone) };
    }
    const fields = rest.split(/\s+/).filter(Boolean);
    if (fields.length !== 5) {
      throw new ParseError(
        `expected exactly 5 fields, found ${fields.length}: [${fields.join(
          ' ',
        )}]`,
      );
    }
    const pattern = fields
      .map((field, index) => normalizeField(field, FIELDS[index]))
      .join(' ');
    return { schedule: cronSchedule(pattern, zone) };
  } catch (error) {
    if (error instanceof ParseError) return { error: error.message };
    throw error;
  }
}

/** The latest scheduled time in (after, until], or undefined. */
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
