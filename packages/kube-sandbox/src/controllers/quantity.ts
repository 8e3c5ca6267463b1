const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** A resource.Quantity (`10Gi`, `500M`, `1e9`, `1024`) as a number of units; undefined when malformed. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const match =
    /^([+-]?\d+(?:\.\d+)?|[+-]?\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei)|([kMGTPE]?)|[eE]([+-]?\d+))$/.exec(
      value.trim(),
    );
  if (!match) return undefined;
  const [, number, binary, decimal, exponent] = match;
  const base = Number(number);
  if (binary) return Math.ceil(base * BINARY[binary]);
  if (exponent !== undefined) return Math.ceil(base * 10 ** Number(exponent));
  return Math.ceil(base * DECIMAL[decimal ?? '']);
}

/**
 * A byte count as `resource.NewQuantity(bytes, resource.BinarySI)` prints
 * it: the largest binary suffix that divides it exactly (`10Gi`), else plain
 * bytes.
 */
export function formatBinaryQuantity(bytes: number): string {
  if (bytes === 0) return '0';
  for (const [suffix, size] of Object.entries(BINARY).reverse()) {
    if (bytes % size === 0) return `${bytes / size}${suffix}`;
  }
  return String(bytes);
}
