import ms from 'ms';
import {
  DATABASE_ENGINES,
  DatabaseEngine,
  DurationValue,
  LabelSelectorRequirement,
  Retention,
} from '../types';
import {
  CronParseError,
  CronSchedule,
  cronEverFires,
  parseCronSchedule,
} from '../cron/robfigCron';
import {
  GO_MAX_DURATION_NANOS,
  GO_MAX_DURATION_TEXT,
  parseGoDurationNanos,
} from '../cron/goDuration';

/**
 * The outcome of reading one annotation or config value.
 *
 * @public
 */
export type ParsedValue<T> =
  | { ok: true; value: T }
  | { ok: false; problem: string; allowed: string };

const accept = <T>(value: T): ParsedValue<T> => ({ ok: true, value });
const reject = <T>(problem: string, allowed: string): ParsedValue<T> => ({
  ok: false,
  problem,
  allowed,
});

const CRON_ALLOWED =
  'a 5-field cron expression (minute hour day-of-month month day-of-week), e.g. "0 3 * * *", or @hourly, @daily, @weekly, @monthly, @yearly or @every <duration>';

const CRON_NAMES =
  /\b(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC|SUN|MON|TUE|WED|THU|FRI|SAT)\b/gi;

/**
 * The problem of a 5-field expression in words, for the mistakes people
 * make most; robfig's parser decides the rest.
 */
function commonCronMistake(cron: string): string | undefined {
  const fields = cron === '' ? [] : cron.split(' ');
  if (fields.length !== 5) {
    return `has ${fields.length} field${fields.length === 1 ? '' : 's'}`;
  }
  // Quartz extensions (L, W, #) and long names, which robfig does not know.
  if (
    /[^\d*/,\-?a-z ]/i.test(cron) ||
    /[a-z]/i.test(cron.replace(CRON_NAMES, ''))
  ) {
    return 'uses characters a Kubernetes cron does not allow';
  }
  const daysOfWeek = fields[4].replace(/\/\d+/g, '').match(/\d+/g) ?? [];
  if (daysOfWeek.some(day => Number(day) > 6)) {
    return 'has a day of the week above 6 (Sunday is 0)';
  }
  return undefined;
}

/**
 * A schedule as Kubernetes CronJobs and Velero Schedules accept it: robfig/cron
 * v3's standard parser (5 fields, or a descriptor such as `@daily`), in UTC (a
 * `TZ=` prefix is refused by CronJob validation), and one that fires at all.
 *
 * @public
 */
export function parseCron(text: string): ParsedValue<string> {
  const cron = text.trim().replace(/\s+/g, ' ');
  if (cron.startsWith('TZ=') || cron.startsWith('CRON_TZ=')) {
    return reject(
      'has a time zone prefix, which Kubernetes CronJobs refuse (schedules run in UTC)',
      CRON_ALLOWED,
    );
  }
  const mistake = cron.startsWith('@') ? undefined : commonCronMistake(cron);
  if (mistake) {
    return reject(mistake, CRON_ALLOWED);
  }
  let schedule: CronSchedule;
  try {
    schedule = parseCronSchedule(cron);
  } catch (error) {
    if (!(error instanceof CronParseError)) throw error;
    const wraps = error.message.includes('beyond end of range')
      ? '; a range cannot wrap around (SUN is 0): split it, e.g. FRI-SAT,SUN-MON'
      : '';
    return reject(
      `is not a valid cron expression (${error.message}${wraps})`,
      CRON_ALLOWED,
    );
  }
  if (!cronEverFires(schedule)) {
    return reject('never fires (no day of the year matches it)', CRON_ALLOWED);
  }
  return accept(cron);
}

/**
 * The longest RPO, RTO or retention age accepted: 10 years.
 *
 * @public
 */
export const MAX_DURATION_MILLISECONDS = ms('10y');

const DURATION_ALLOWED =
  'a positive duration such as 30m, 4h or 7d, at most 10 years';

/**
 * A human duration for RPO, RTO and retention ages: a number and a unit.
 *
 * @public
 */
export function parseDuration(text: string): ParsedValue<DurationValue> {
  const trimmed = text.trim();
  if (!/^\d+(\.\d+)?\s*[a-z]+$/i.test(trimmed)) {
    return reject('is not a duration', DURATION_ALLOWED);
  }
  const milliseconds = ms(trimmed as ms.StringValue);
  if (milliseconds === undefined || Number.isNaN(milliseconds)) {
    return reject('has an unknown unit', DURATION_ALLOWED);
  }
  if (milliseconds <= 0) {
    return reject('is not positive', DURATION_ALLOWED);
  }
  if (milliseconds > MAX_DURATION_MILLISECONDS) {
    return reject('is longer than 10 years', DURATION_ALLOWED);
  }
  return accept({ text: trimmed, milliseconds });
}

const GO_DURATION = /^(\d+(\.\d*)?(ns|us|µs|μs|ms|s|m|h))+$/;
const GO_DURATION_ALLOWED = 'a positive Go duration such as 168h or 72h30m';

/**
 * A Go duration, the format of Velero's backup TTL (a Go time.Duration, so
 * at most about 292 years).
 *
 * @public
 */
export function parseGoDuration(text: string): ParsedValue<string> {
  const trimmed = text.trim();
  if (!GO_DURATION.test(trimmed)) {
    return reject('is not a Go duration', GO_DURATION_ALLOWED);
  }
  // The syntax is Go's, so Go refuses it only when it overflows an int64.
  const parsed = parseGoDurationNanos(trimmed);
  if ('error' in parsed || parsed.nanos > GO_MAX_DURATION_NANOS) {
    return reject(
      `is longer than Go's maximum duration (${GO_MAX_DURATION_TEXT})`,
      GO_DURATION_ALLOWED,
    );
  }
  if (parsed.nanos <= 0n) {
    return reject('is not positive', GO_DURATION_ALLOWED);
  }
  return accept(trimmed);
}

/**
 * `true` or `false`.
 *
 * @public
 */
export function parseBoolean(text: string): ParsedValue<boolean> {
  const lower = text.trim().toLowerCase();
  if (lower === 'true' || lower === 'false') {
    return accept(lower === 'true');
  }
  return reject('is not a boolean', 'true or false');
}

const MAX_RETAINED_COUNT = 10000;
const RETENTION_ALLOWED = `a count from 1 to ${MAX_RETAINED_COUNT} (e.g. 14) or an age of at most 10 years (e.g. 7d)`;

/**
 * Keep N restore points, or keep them for an age.
 *
 * @public
 */
export function parseRetention(text: string | number): ParsedValue<Retention> {
  const trimmed = String(text).trim();
  if (/^\d+$/.test(trimmed)) {
    const count = Number(trimmed);
    if (count < 1 || count > MAX_RETAINED_COUNT) {
      return reject('is out of range', RETENTION_ALLOWED);
    }
    return accept({ type: 'count', count });
  }
  const age = parseDuration(trimmed);
  if (!age.ok) {
    return age.problem === 'is not a duration'
      ? reject('is neither a count nor an age', RETENTION_ALLOWED)
      : reject(age.problem, RETENTION_ALLOWED);
  }
  return accept({ type: 'age', maxAge: age.value });
}

/**
 * One of a fixed set of words.
 *
 * @public
 */
export function parseOneOf<T extends string>(
  choices: readonly T[],
): (text: string) => ParsedValue<T> {
  return text => {
    const trimmed = text.trim();
    return (choices as readonly string[]).includes(trimmed)
      ? accept(trimmed as T)
      : reject('is not one of the choices', choices.join(', '));
  };
}

/**
 * @public
 */
export const parseDatabaseEngine = parseOneOf<DatabaseEngine>(DATABASE_ENGINES);

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * A Kubernetes object name of the DNS-1123 label kind (namespaces, services).
 *
 * @public
 */
export function parseDnsLabel(text: string): ParsedValue<string> {
  const trimmed = text.trim();
  if (trimmed.length > 63 || !DNS_LABEL.test(trimmed)) {
    return reject(
      'is not a DNS-1123 label',
      'lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters',
    );
  }
  return accept(trimmed);
}

/**
 * A Kubernetes object name of the DNS-1123 subdomain kind (Secrets, PVCs, classes).
 *
 * @public
 */
export function parseObjectName(text: string): ParsedValue<string> {
  const trimmed = text.trim();
  if (trimmed.length > 253 || !DNS_SUBDOMAIN.test(trimmed)) {
    return reject(
      'is not a valid Kubernetes object name',
      'lower-case letters, digits, "-" and ".", starting and ending with a letter or digit, at most 253 characters',
    );
  }
  return accept(trimmed);
}

/**
 * A comma-separated list whose every item must pass `parseItem`; duplicates dropped.
 *
 * @public
 */
export function parseList<T>(
  parseItem: (text: string) => ParsedValue<T>,
  options: { allowEmpty?: boolean } = {},
): (text: string) => ParsedValue<T[]> {
  return text => {
    const items = text
      .split(',')
      .map(item => item.trim())
      .filter(item => item !== '');
    if (items.length === 0 && !options.allowEmpty) {
      const example = parseItem('');
      return reject(
        'is empty',
        `a comma-separated list of ${example.ok ? 'values' : example.allowed}`,
      );
    }
    const values: T[] = [];
    for (const item of items) {
      const parsed = parseItem(item);
      if (!parsed.ok) {
        return reject(
          `has an item ${JSON.stringify(item)} that ${parsed.problem}`,
          parsed.allowed,
        );
      }
      if (!values.includes(parsed.value)) {
        values.push(parsed.value);
      }
    }
    return accept(values);
  };
}

const DATABASE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_$-]{0,62}$/;

/**
 * One database name.
 *
 * @public
 */
export function parseDatabaseName(text: string): ParsedValue<string> {
  return DATABASE_NAME.test(text)
    ? accept(text)
    : reject(
        'is not a database name',
        'letters, digits, "_", "$" and "-", not starting with "$" or "-", at most 63 characters',
      );
}

const DEFAULT_DATABASE_PORTS: Record<DatabaseEngine, number> = {
  postgres: 5432,
  mysql: 3306,
  mongodb: 27017,
};

/**
 * The port a database engine listens on unless told otherwise.
 *
 * @public
 */
export function defaultDatabasePort(engine: DatabaseEngine): number {
  return DEFAULT_DATABASE_PORTS[engine];
}

const IPV4 =
  /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/**
 * A database service host with an optional port: `orders-db` or `orders-db:5432`.
 *
 * @public
 */
export function parseHostAndPort(
  text: string,
): ParsedValue<{ host: string; port?: number }> {
  const allowed =
    'a service host name or IPv4 address, optionally with a port from 1 to 65535, e.g. orders-db or orders-db.orders.svc:5432';
  const match = /^([^:]+)(?::(\d{1,5}))?$/.exec(text.trim());
  if (!match) {
    return reject('is not a host with an optional port', allowed);
  }
  const [, host, portText] = match;
  if (host.length > 253 || !(DNS_SUBDOMAIN.test(host) || IPV4.test(host))) {
    return reject('has an invalid host name', allowed);
  }
  if (portText === undefined) {
    return accept({ host });
  }
  const port = Number(portText);
  if (port < 1 || port > 65535) {
    return reject('has a port out of range', allowed);
  }
  return accept({ host, port });
}

const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

function isLabelKey(key: string): boolean {
  const slash = key.indexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (
    prefix !== undefined &&
    (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))
  ) {
    return false;
  }
  return name.length <= 63 && LABEL_NAME.test(name);
}

function isLabelValue(value: string): boolean {
  return value === '' || (value.length <= 63 && LABEL_NAME.test(value));
}

/**
 * A Kubernetes label value (the `backstage.io/kubernetes-id`, for instance).
 *
 * @public
 */
export function parseLabelValue(text: string): ParsedValue<string> {
  const trimmed = text.trim();
  return trimmed !== '' && isLabelValue(trimmed)
    ? accept(trimmed)
    : reject(
        'is not a valid label value',
        'letters, digits, "-", "_" and ".", starting and ending with a letter or digit, at most 63 characters',
      );
}

const SELECTOR_ALLOWED =
  'a Kubernetes label selector: comma-separated requirements such as app=orders, tier!=cache, env in (prod,staging), !legacy';

/** Splits on commas that are not inside parentheses. */
function splitRequirements(text: string): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (depth < 0 || depth > 1) return undefined;
    if (char === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else {
      current += char;
    }
  }
  if (depth !== 0) return undefined;
  parts.push(current.trim());
  return parts;
}

function parseRequirement(text: string): LabelSelectorRequirement | undefined {
  let match = /^(\S+?)\s+(in|notin)\s*\(([^()]*)\)$/.exec(text);
  if (match) {
    const [, key, op, list] = match;
    const values = list.split(',').map(v => v.trim());
    if (!isLabelKey(key) || list.trim() === '' || !values.every(isLabelValue)) {
      return undefined;
    }
    return { key, operator: op === 'in' ? 'In' : 'NotIn', values };
  }
  match = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(text);
  if (match) {
    const [, key, op, value] = match;
    if (!isLabelKey(key) || !isLabelValue(value)) return undefined;
    return { key, operator: op === '!=' ? 'NotIn' : 'In', values: [value] };
  }
  match = /^(!?)\s*([^=!\s()]+)$/.exec(text);
  if (match) {
    const [, not, key] = match;
    if (!isLabelKey(key)) return undefined;
    return { key, operator: not ? 'DoesNotExist' : 'Exists', values: [] };
  }
  return undefined;
}

/**
 * A label selector in the string form kubectl and the Kubernetes plugin use.
 *
 * @public
 */
export function parseLabelSelector(
  text: string,
): ParsedValue<LabelSelectorRequirement[]> {
  const parts = splitRequirements(text.trim());
  if (!parts || parts.some(part => part === '')) {
    return reject('is not a label selector', SELECTOR_ALLOWED);
  }
  const requirements: LabelSelectorRequirement[] = [];
  for (const part of parts) {
    const requirement = parseRequirement(part);
    if (!requirement) {
      return reject(
        `has an invalid requirement ${JSON.stringify(part)}`,
        SELECTOR_ALLOWED,
      );
    }
    requirements.push(requirement);
  }
  return accept(requirements);
}

const WRITE_KEYWORDS =
  /\b(insert|update|delete|merge|upsert|drop|alter|create|truncate|grant|revoke|replace|call|do|copy|lock|vacuum|set|handler|load|rename|into)\b/i;
const SQL_VERIFY_ALLOWED =
  'one read-only SELECT (or WITH … SELECT) statement, at most 2000 characters, e.g. SELECT 1 FROM orders LIMIT 1';

/**
 * The read-only SQL query a drill runs against a restored database.
 *
 * @public
 */
export function parseVerifyQuery(text: string): ParsedValue<string> {
  const query = text.trim().replace(/;\s*$/, '');
  if (query.length === 0 || query.length > 2000) {
    return reject('is empty or too long', SQL_VERIFY_ALLOWED);
  }
  if (!/^(select|with)\b/i.test(query)) {
    return reject('does not start with SELECT or WITH', SQL_VERIFY_ALLOWED);
  }
  if (query.includes(';')) {
    return reject('holds more than one statement', SQL_VERIFY_ALLOWED);
  }
  const keyword = WRITE_KEYWORDS.exec(query.replace(/'[^']*'/g, "''"));
  if (keyword) {
    return reject(
      `uses ${keyword[1].toUpperCase()}, which is not read-only`,
      SQL_VERIFY_ALLOWED,
    );
  }
  return accept(query);
}

const COLLECTION_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,119}$/;

/**
 * The MongoDB collection a drill checks for documents after a restore.
 *
 * @public
 */
export function parseCollectionName(text: string): ParsedValue<string> {
  const trimmed = text.trim();
  return COLLECTION_NAME.test(trimmed) && !trimmed.startsWith('system.')
    ? accept(trimmed)
    : reject(
        'is not a MongoDB collection name',
        'a collection name: letters, digits, "_", "." and "-", starting with a letter or "_", not a system collection, at most 120 characters',
      );
}
