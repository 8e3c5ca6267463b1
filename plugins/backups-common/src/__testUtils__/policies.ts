import { BackupPolicy } from '../types';

export const MINUTE = 60 * 1000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The gold policy of SPEC.md's example app-config. */
export const goldPolicy: BackupPolicy = {
  rpo: '1h',
  rto: '30m',
  velero: { schedule: '0 * * * *', ttl: '168h', snapshotVolumes: true },
  database: { schedule: '*/30 * * * *', retention: 48 },
  volumeSnapshots: { schedule: '0 */6 * * *', retention: 10 },
  drill: { schedule: '0 3 * * 0' },
};
