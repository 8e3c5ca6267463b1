/**
 * The string formats that the sandbox checks, as kube-openapi's strfmt does
 * for custom resources. Every other format that the real server knows (uuid,
 * email, hostname, ipv4, ipv6, cidr, mac, uri, duration, …) is accepted
 * without a check here — a known leniency.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_OF_DAY =
  /^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$/;
const BASE64 =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;

function daysIn(month: number, year: number) {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Go's time.Parse("2006-01-02", s) succeeds. */
export function isDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(month, year);
}

/** strfmt.IsDateTime: RFC 3339 date-time, case-insensitive `T` and `Z`. */
export function isDateTime(value: string): boolean {
  if (value.length < 4) return false;
  const parts = value.toLowerCase().split('t');
  if (parts.length < 2 || !isDate(parts[0])) return false;
  const match = TIME_OF_DAY.exec(parts[1]);
  if (!match) return false;
  return match[1] <= '23' && match[2] <= '59' && match[3] <= '59';
}

/** govalidator.IsBase64 (strfmt `byte`); an empty string does not match. */
export function isBase64(value: string): boolean {
  return BASE64.test(value);
}

const SHORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LONG_NAME =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const CHECKS: Record<string, (value: string) => boolean> = {
  datetime: isDateTime,
  date: isDate,
  byte: isBase64,
  k8sshortname: v => Buffer.byteLength(v) <= 63 && SHORT_NAME.test(v),
  k8slongname: v => Buffer.byteLength(v) <= 253 && LONG_NAME.test(v),
};

/** The string formats CRDs may use (others are ignored, as by the real server). */
export const SUPPORTED_STRING_FORMATS = new Set([
  'bsonobjectid',
  'uri',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'cidr',
  'mac',
  'uuid',
  'uuid3',
  'uuid4',
  'uuid5',
  'isbn',
  'isbn10',
  'isbn13',
  'creditcard',
  'ssn',
  'hexcolor',
  'rgbcolor',
  'byte',
  'password',
  'date',
  'duration',
  'datetime',
  'k8sshortname',
  'k8slongname',
]);

/**
 * Whether a string value passes its schema's `format`. Formats are
 * normalised like go-openapi (dashes removed: `date-time` = `datetime`).
 */
export function checkStringFormat(format: string, value: string): boolean {
  const check = CHECKS[format.replace(/-/g, '')];
  return check ? check(value) : true;
}

/** Whether the real server checks this string format at all. */
export function isCheckedStringFormat(format: string): boolean {
  return format.replace(/-/g, '') in CHECKS;
}
