import { parseGoDuration as parseGoDurationNanos } from '../validation/goDuration';

/** Go's time.ParseDuration (`720h0m0s`, `1h30m`, `90s`, `-1.5h`), in milliseconds; undefined when invalid. */
export function parseGoDuration(text: string): number | undefined {
  const parsed = parseGoDurationNanos(text);
  return 'nanos' in parsed ? parsed.nanos / 1e6 : undefined;
}

/** Go's time.Duration.String() for whole seconds and more: `720h0m0s`, `10m0s`, `0s`. */
export function formatGoDuration(milliseconds: number): string {
  if (milliseconds === 0) return '0s';
  const sign = milliseconds < 0 ? '-' : '';
  let rest = Math.abs(milliseconds);
  if (rest < 1000) return `${sign}${rest}ms`;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = rest / 1000;
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}
