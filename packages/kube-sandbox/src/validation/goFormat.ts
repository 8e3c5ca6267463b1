/**
 * How Go prints values in kube-apiserver's messages, so that the sandbox's
 * messages are byte-for-byte the real ones: `%q` for strings
 * (strconv.Quote), `%v` for numbers and encoding/json for everything else.
 *
 * Numbers: a JSON number is an int64 in the real server when it has no
 * fraction or exponent, else a float64. After JSON.parse that distinction is
 * gone, so an integral number is taken as an int64 (`5.0` prints `5`, as
 * `5` would).
 */

/** strconv.Quote: a double-quoted Go string literal. */
export { goQuote } from '@backups-for-backstage/plugin-backups-common';

/** `%v` of a Go float64 (strconv 'g' with the shortest precision). */
export function goFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa, exponentText] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? '-' : '+';
    const digits = String(Math.abs(exponent)).padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  return String(value);
}

/** `%v` of a number as the real server holds it (int64 or float64). */
export function goNumber(value: number): string {
  if (Number.isInteger(value)) {
    return Math.abs(value) < 1e21 ? String(value) : BigInt(value).toString();
  }
  return goFloat(value);
}

/**
 * A Go struct for goJson: its fields print in declaration (insertion) order
 * and empty ones are left out, where a Go map prints its keys sorted.
 */
export class GoStruct {
  constructor(readonly fields: Record<string, unknown>) {}
}

/**
 * encoding/json.Marshal: map keys sorted, `<`, `>`, `&`, U+2028 and
 * U+2029 escaped as \u00XX.
 */
export function goJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') {
    return JSON.stringify(value).replace(
      /[<>&\u2028\u2029]/g,
      c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) && Math.abs(value) >= 1e21
      ? BigInt(value).toString()
      : JSON.stringify(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (value instanceof GoStruct) {
    const fields = Object.entries(value.fields).filter(
      ([, v]) => v !== undefined,
    );
    return `{${fields.map(([k, v]) => `${goJson(k)}:${goJson(v)}`).join(',')}}`;
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => compareKeys(a, b));
  return `{${entries.map(([k, v]) => `${goJson(k)}:${goJson(v)}`).join(',')}}`;
}

function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** `%s` of a Go []string, e.g. `[0 2 * * * *]`. */
export function goStringSlice(values: string[]): string {
  return `[${values.join(' ')}]`;
}
