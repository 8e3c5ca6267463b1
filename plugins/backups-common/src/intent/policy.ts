import { BackupPolicy, DurationValue, Retention } from '../types';
import {
  ParsedValue,
  parseBoolean,
  parseCron,
  parseDuration,
  parseGoDuration,
  parseObjectName,
  parseRetention,
} from './values';

/**
 * A policy from app-config with its values parsed and its defaults filled in.
 *
 * @public
 */
export interface ResolvedPolicy {
  name: string;
  rpo: DurationValue;
  rto: DurationValue;
  velero?: { schedule: string; ttl: string; snapshotVolumes: boolean };
  database?: { schedule: string; retention: Retention };
  volumeSnapshots?: {
    schedule: string;
    retention: Retention;
    className?: string;
  };
  drill?: { schedule: string };
}

/**
 * Defaults for what a policy leaves out.
 *
 * @public
 */
export const POLICY_DEFAULTS = {
  veleroTtl: '720h',
  veleroSnapshotVolumes: true,
  databaseRetention: { type: 'count', count: 14 } as Retention,
  volumeSnapshotRetention: { type: 'count', count: 10 } as Retention,
};

/**
 * Parses one `backups.policies.<name>` entry; problems name the config key.
 *
 * @public
 */
export function resolvePolicy(
  name: string,
  policy: BackupPolicy,
): { policy?: ResolvedPolicy; problems: string[] } {
  const problems: string[] = [];
  const path = `backups.policies.${name}`;
  function read<T>(
    key: string,
    value: unknown,
    parse: (text: string) => ParsedValue<T>,
  ): T | undefined {
    if (value === undefined) {
      return undefined;
    }
    const parsed = parse(String(value));
    if (!parsed.ok) {
      problems.push(
        `${path}.${key}: ${JSON.stringify(value)} ${parsed.problem}. Allowed: ${
          parsed.allowed
        }.`,
      );
      return undefined;
    }
    return parsed.value;
  }
  function required<T>(
    key: string,
    value: unknown,
    parse: (text: string) => ParsedValue<T>,
  ): T | undefined {
    if (value === undefined) {
      problems.push(`${path}.${key} is required.`);
      return undefined;
    }
    return read(key, value, parse);
  }

  const rpo = required('rpo', policy.rpo, parseDuration);
  const rto = required('rto', policy.rto, parseDuration);
  const resolved: Partial<ResolvedPolicy> = { name, rpo, rto };

  if (policy.velero) {
    const schedule = required(
      'velero.schedule',
      policy.velero.schedule,
      parseCron,
    );
    const ttl = read('velero.ttl', policy.velero.ttl, parseGoDuration);
    // Read as text: a value substituted from the environment is a string.
    const snapshotVolumes = read(
      'velero.snapshotVolumes',
      policy.velero.snapshotVolumes,
      parseBoolean,
    );
    resolved.velero = schedule
      ? {
          schedule,
          ttl: ttl ?? POLICY_DEFAULTS.veleroTtl,
          snapshotVolumes:
            snapshotVolumes ?? POLICY_DEFAULTS.veleroSnapshotVolumes,
        }
      : undefined;
  }
  if (policy.database) {
    const schedule = required(
      'database.schedule',
      policy.database.schedule,
      parseCron,
    );
    const retention = read(
      'database.retention',
      policy.database.retention,
      parseRetention,
    );
    resolved.database = schedule
      ? { schedule, retention: retention ?? POLICY_DEFAULTS.databaseRetention }
      : undefined;
  }
  if (policy.volumeSnapshots) {
    const snapshots = policy.volumeSnapshots;
    const schedule = required(
      'volumeSnapshots.schedule',
      snapshots.schedule,
      parseCron,
    );
    const retention = read(
      'volumeSnapshots.retention',
      snapshots.retention,
      parseRetention,
    );
    const className = read(
      'volumeSnapshots.className',
      snapshots.className,
      parseObjectName,
    );
    resolved.volumeSnapshots = schedule
      ? {
          schedule,
          retention: retention ?? POLICY_DEFAULTS.volumeSnapshotRetention,
          ...(className ? { className } : {}),
        }
      : undefined;
  }
  if (policy.drill) {
    const schedule = required(
      'drill.schedule',
      policy.drill.schedule,
      parseCron,
    );
    resolved.drill = schedule ? { schedule } : undefined;
  }

  return problems.length > 0
    ? { problems }
    : { policy: resolved as ResolvedPolicy, problems };
}
