import { goQuote } from './goFormat';

const UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  '\u00b5s': 1e3, // µs (micro sign)
  '\u03bcs': 1e3, // μs (Greek mu)
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};
const MAX_NANOS = 2 ** 63 - 1;

/**
 * Go's time.ParseDuration, in nanoseconds (as a float: exact enough for
 * schedules), or its error message, e.g. `time: invalid duration "x"`.
 */
export function parseGoDuration(
  input: string,
): { nanos: number } | { error: string } {
  const invalid = { error: `time: invalid duration ${goQuote(input)}` };
  let rest = input;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest[0] === '-';
    rest = rest.slice(1);
  }
  if (rest === '0') return { nanos: 0 };
  if (rest === '') return invalid;
  let total = 0;
  while (rest !== '') {
    const number = /^([0-9]*)(\.([0-9]*))?/.exec(rest)!;
    const whole = number[1];
    const fraction = number[3] ?? '';
    if (whole === '' && fraction === '') return invalid; // nothing before or after '.'
    rest = rest.slice(number[0].length);
    const unitLength = rest.search(/[0-9.]/);
    const unit = unitLength === -1 ? rest : rest.slice(0, unitLength);
    if (unit === '')
      return { error: `time: missing unit in duration ${goQuote(input)}` };
    const scale = UNITS[unit];
    if (scale === undefined) {
      return {
        error: `time: unknown unit ${goQuote(unit)} in duration ${goQuote(
          input,
        )}`,
      };
    }
    rest = rest.slice(unit.length);
    total += Number(`${whole || '0'}.${fraction || '0'}`) * scale;
    if (total > MAX_NANOS) return invalid;
  }
  return { nanos: negative ? -total : total };
}
