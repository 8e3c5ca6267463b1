/**
 * Annotation model, permissions and API types shared by the Backups plugins.
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './permissions';
export * from './types';
export * from './schedule';
export { parseProtectionIntent } from './intent/parseProtectionIntent';
export { resolvePolicy, POLICY_DEFAULTS } from './intent/policy';
export type { ResolvedPolicy } from './intent/policy';
export * from './intent/values';
export {
  CRON_DESCRIPTORS,
  CronParseError,
  cronEverFires,
  cronParseError,
  nextSpecTimeUtc,
  parseCronSchedule,
} from './cron/robfigCron';
export type {
  CronField,
  CronSchedule,
  CronSpecSchedule,
} from './cron/robfigCron';
export {
  GO_MAX_DURATION_NANOS,
  GO_MAX_DURATION_TEXT,
  parseGoDurationNanos,
} from './cron/goDuration';
export { goQuote } from './cron/goQuote';
export * from './quantity';
export * from './api';
export * from './format';
