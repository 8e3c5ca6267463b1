import { Cron } from 'croner';
import cronstrue from 'cronstrue';

/**
 * A cron expression in words, e.g. "At 03:00 AM, only on Sunday".
 *
 * @public
 */
export function describeSchedule(cron: string): string {
  try {
    return cronstrue.toString(cron, { verbose: false });
  } catch {
    return cron;
  }
}

/**
 * When a cron expression fires next after `from` (UTC, as Kubernetes reads it).
 *
 * @public
 */
export function nextRun(
  cron: string,
  from: Date = new Date(),
): Date | undefined {
  return (
    new Cron(cron, { paused: true, timezone: 'UTC' }).nextRun(from) ?? undefined
  );
}
