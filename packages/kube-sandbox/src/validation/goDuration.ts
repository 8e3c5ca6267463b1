import { parseGoDurationNanos } from '@backups-for-backstage/plugin-backups-common';

/**
 * Go's time.ParseDuration, in nanoseconds (as a float: exact enough for
 * schedules), or its error message, e.g. `time: invalid duration "x"`.
 */
export function parseGoDuration(
  input: string,
): { nanos: number } | { error: string } {
  const parsed = parseGoDurationNanos(input);
  return 'error' in parsed ? parsed : { nanos: Number(parsed.nanos) };
}
