import { goQuote } from './goQuote';

const NANOS_PER_UNIT: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  '\u00b5s': 1_000n, // µs (micro sign)
  '\u03bcs': 1_000n, // μs (Greek mu)
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/**
 * The longest duration Go's time.Duration holds (an int64 of nanoseconds):
 * 2562047h47m16.854775807s, about 292 years.
 *
 * @public
 */
export const GO_MAX_DURATION_NANOS = 2n ** 63n - 1n;

/** @public */
export const GO_MAX_DURATION_TEXT = '2562047h47m16.854775807s';

/**
 * Go's time.ParseDuration, exactly: nanoseconds as a bigint, or Go's error
 * message (`time: invalid duration "x"`, also for a value beyond the int64
 * range, as Go reports an overflow).
 *
 * @public
 */
export function parseGoDurationNanos(
  input: string,
): { nanos: bigint } | { error: string } {
  const invalid = { error: `time: invalid duration ${goQuote(input)}` };
  let rest = input;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest[0] === '-';
    rest = rest.slice(1);
  }
  if (rest === '0') return { nanos: 0n };
  if (rest === '') return invalid;
  // Go sums in uint64 and checks against 1<<63 (the magnitude of the minimum).
  const limit = negative ? GO_MAX_DURATION_NANOS + 1n : GO_MAX_DURATION_NANOS;
  let total = 0n;
  while (rest !== '') {
    const number = /^([0-9]*)(\.([0-9]*))?/.exec(rest)!;
    const whole = number[1];
    const fraction = number[3] ?? '';
    if (whole === '' && fraction === '') return invalid;
    rest = rest.slice(number[0].length);
    const unitLength = rest.search(/[0-9.]/);
    const unit = unitLength === -1 ? rest : rest.slice(0, unitLength);
    if (unit === '') {
      return { error: `time: missing unit in duration ${goQuote(input)}` };
    }
    const scale = NANOS_PER_UNIT[unit];
    if (scale === undefined) {
      return {
        error: `time: unknown unit ${goQuote(unit)} in duration ${goQuote(
          input,
        )}`,
      };
    }
    rest = rest.slice(unit.length);
    let value = BigInt(whole || '0') * scale;
    if (fraction !== '') {
      // Go keeps the fraction's digits as long as they can matter, then truncates.
      value += (BigInt(fraction) * scale) / 10n ** BigInt(fraction.length);
    }
    total += value;
    if (total > limit) return invalid;
  }
  return { nanos: negative ? -total : total };
}
