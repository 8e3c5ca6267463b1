import {
  BINARY_QUANTITY_SUFFIXES,
  parseQuantity as quantityValue,
} from '@backups-for-backstage/plugin-backups-common';

/** A resource.Quantity (`10Gi`, `500M`, `1e9`, `1024`) as a whole number of units; undefined when malformed. */
export function parseQuantity(value: unknown): number | undefined {
  const parsed = quantityValue(value);
  return parsed === undefined ? undefined : Math.ceil(parsed);
}

/**
 * A byte count as `resource.NewQuantity(bytes, resource.BinarySI)` prints
 * it: the largest binary suffix that divides it exactly (`10Gi`), else plain
 * bytes.
 */
export function formatBinaryQuantity(bytes: number): string {
  if (bytes === 0) return '0';
  for (const [suffix, size] of Object.entries(
    BINARY_QUANTITY_SUFFIXES,
  ).reverse()) {
    if (bytes % size === 0) return `${bytes / size}${suffix}`;
  }
  return String(bytes);
}
