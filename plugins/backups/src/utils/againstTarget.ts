import { formatDuration } from '@backups-for-backstage/plugin-backups-common';

/** An achieved figure against its target: `12 min / 30 min`, `– / 30 min`. */
export function againstTarget(
  achieved: number | undefined,
  target: number,
): string {
  return `${
    achieved === undefined ? '–' : formatDuration(achieved)
  } / ${formatDuration(target)}`;
}
