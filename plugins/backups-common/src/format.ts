const UNITS: Array<[string, number]> = [
  ['d', 24 * 3600 * 1000],
  ['h', 3600 * 1000],
  ['min', 60 * 1000],
  ['s', 1000],
];

/**
 * A duration in the two largest units that matter: `2 h 10 min`, `3 d 4 h`,
 * `45 s`, `0 s`.
 *
 * @public
 */
export function formatDuration(milliseconds: number): string {
  const sign = milliseconds < 0 ? '-' : '';
  let rest = Math.abs(milliseconds);
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0 || (parts.length > 0 && parts.length < 2)) {
      if (count > 0) parts.push(`${count} ${unit}`);
      rest -= count * size;
    }
    if (parts.length === 2) break;
    if (parts.length === 1 && count === 0) break;
  }
  return parts.length > 0 ? `${sign}${parts.join(' ')}` : '0 s';
}

/**
 * The layers in words, for sentences and headings.
 *
 * @public
 */
export const LAYER_TITLES = {
  velero: 'Velero backups',
  database: 'Database dumps',
  'volume-snapshot': 'Volume snapshots',
} as const;

/**
 * One run of a layer in words: `Velero backup`, `database dump`, `volume snapshot`.
 *
 * @public
 */
export const LAYER_RUN_NOUNS = {
  velero: 'Velero backup',
  database: 'database dump',
  'volume-snapshot': 'volume snapshot',
} as const;
