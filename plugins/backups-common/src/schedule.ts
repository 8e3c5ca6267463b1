import cronstrue from 'cronstrue';
import { nextSpecTimeUtc, parseCronSchedule } from './cron/robfigCron';

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
  let schedule;
  try {
    schedule = parseCronSchedule(cron);
  } catch {
    return undefined;
  }
  if (schedule.kind === 'every') {
    return new Date(
      Math.floor(from.getTime() / 1000) * 1000 + schedule.seconds * 1000,
    );
  }
  return nextSpecTimeUtc(schedule, from);
}
