import { BackupPolicy } from '../types';
import { POLICY_DEFAULTS, resolvePolicy } from './policy';
import { goldPolicy, HOUR, MINUTE } from '../__testUtils__/policies';

const gold = goldPolicy;

describe('resolvePolicy', () => {
  it('resolves the example gold policy', () => {
    expect(resolvePolicy('gold', gold)).toEqual({
      policy: {
        name: 'gold',
        rpo: { text: '1h', milliseconds: HOUR },
        rto: { text: '30m', milliseconds: 30 * MINUTE },
        velero: { schedule: '0 * * * *', ttl: '168h', snapshotVolumes: true },
        database: {
          schedule: '*/30 * * * *',
          retention: { type: 'count', count: 48 },
        },
        volumeSnapshots: {
          schedule: '0 */6 * * *',
          retention: { type: 'count', count: 10 },
        },
        drill: { schedule: '0 3 * * 0' },
      },
      problems: [],
    });
  });

  it('fills the defaults a policy leaves out', () => {
    expect(POLICY_DEFAULTS).toEqual({
      veleroTtl: '720h',
      veleroSnapshotVolumes: true,
      databaseRetention: { type: 'count', count: 14 },
      volumeSnapshotRetention: { type: 'count', count: 10 },
    });
    expect(
      resolvePolicy('minimal', {
        rpo: '4h',
        rto: '2h',
        velero: { schedule: '0 */4 * * *' },
        database: { schedule: '0 2 * * *' },
        volumeSnapshots: { schedule: '0 1 * * *' },
      }),
    ).toEqual({
      policy: {
        name: 'minimal',
        rpo: { text: '4h', milliseconds: 4 * HOUR },
        rto: { text: '2h', milliseconds: 2 * HOUR },
        velero: { schedule: '0 */4 * * *', ttl: '720h', snapshotVolumes: true },
        database: {
          schedule: '0 2 * * *',
          retention: { type: 'count', count: 14 },
        },
        volumeSnapshots: {
          schedule: '0 1 * * *',
          retention: { type: 'count', count: 10 },
        },
      },
      problems: [],
    });
  });

  it('leaves out the layers and drill a policy does not configure', () => {
    const { policy, problems } = resolvePolicy('bronze', {
      rpo: '24h',
      rto: '4h',
    });
    expect(problems).toEqual([]);
    expect(policy).toEqual({
      name: 'bronze',
      rpo: { text: '24h', milliseconds: 24 * HOUR },
      rto: { text: '4h', milliseconds: 4 * HOUR },
    });
  });

  it('keeps explicit values: snapshotVolumes false, age retentions, a snapshot class', () => {
    const { policy } = resolvePolicy('custom', {
      rpo: '7d',
      rto: '1d',
      velero: { schedule: '0 0 * * *', ttl: '72h30m', snapshotVolumes: false },
      database: { schedule: '0 0 * * *', retention: '7d' },
      volumeSnapshots: {
        schedule: '0 0 * * *',
        retention: '3',
        className: 'csi-hostpath-snapclass',
      },
    });
    expect(policy?.velero).toEqual({
      schedule: '0 0 * * *',
      ttl: '72h30m',
      snapshotVolumes: false,
    });
    expect(policy?.database?.retention).toEqual({
      type: 'age',
      maxAge: { text: '7d', milliseconds: 7 * 24 * HOUR },
    });
    expect(policy?.volumeSnapshots).toEqual({
      schedule: '0 0 * * *',
      retention: { type: 'count', count: 3 },
      className: 'csi-hostpath-snapclass',
    });
  });

  it('reads snapshotVolumes given as text, as an environment substitution gives it', () => {
    const { policy } = resolvePolicy('env', {
      rpo: '1h',
      rto: '1h',
      velero: {
        schedule: '0 * * * *',
        snapshotVolumes: 'false' as unknown as boolean,
      },
    });
    expect(policy?.velero?.snapshotVolumes).toBe(false);
  });

  it.each([
    ['rpo', { rto: '30m' }],
    ['rto', { rpo: '1h' }],
  ])('names a missing %s', (key, policy) => {
    expect(resolvePolicy('gold', policy as BackupPolicy)).toEqual({
      problems: [`backups.policies.gold.${key} is required.`],
    });
  });

  it.each([
    [{ velero: {} }, 'velero.schedule'],
    [{ database: { retention: 3 } }, 'database.schedule'],
    [{ volumeSnapshots: {} }, 'volumeSnapshots.schedule'],
    [{ drill: {} }, 'drill.schedule'],
  ])('names the missing schedule of a section %j', (section, key) => {
    expect(
      resolvePolicy('silver', {
        rpo: '1h',
        rto: '1h',
        ...(section as Partial<BackupPolicy>),
      }),
    ).toEqual({ problems: [`backups.policies.silver.${key} is required.`] });
  });

  const CRON =
    'a 5-field cron expression (minute hour day-of-month month day-of-week), e.g. "0 3 * * *", or @hourly, @daily, @weekly, @monthly, @yearly or @every <duration>';
  const RETENTION =
    'a count from 1 to 10000 (e.g. 14) or an age of at most 10 years (e.g. 7d)';
  it.each([
    [
      { rpo: 'soon' },
      'backups.policies.gold.rpo: "soon" is not a duration. Allowed: a positive duration such as 30m, 4h or 7d, at most 10 years.',
    ],
    [
      { rto: '0m' },
      'backups.policies.gold.rto: "0m" is not positive. Allowed: a positive duration such as 30m, 4h or 7d, at most 10 years.',
    ],
    [
      { velero: { schedule: '0 0 * * * *' } },
      `backups.policies.gold.velero.schedule: "0 0 * * * *" has 6 fields. Allowed: ${CRON}.`,
    ],
    [
      { velero: { schedule: '0 * * * *', ttl: '7d' } },
      'backups.policies.gold.velero.ttl: "7d" is not a Go duration. Allowed: a positive Go duration such as 168h or 72h30m.',
    ],
    [
      {
        velero: {
          schedule: '0 * * * *',
          snapshotVolumes: 'yes' as unknown as boolean,
        },
      },
      'backups.policies.gold.velero.snapshotVolumes: "yes" is not a boolean. Allowed: true or false.',
    ],
    [
      { database: { schedule: 'daily' } },
      `backups.policies.gold.database.schedule: "daily" has 1 field. Allowed: ${CRON}.`,
    ],
    [
      { database: { schedule: '0 * * * *', retention: 0 } },
      `backups.policies.gold.database.retention: 0 is out of range. Allowed: ${RETENTION}.`,
    ],
    [
      { volumeSnapshots: { schedule: '0 0 L * *' } },
      `backups.policies.gold.volumeSnapshots.schedule: "0 0 L * *" uses characters a Kubernetes cron does not allow. Allowed: ${CRON}.`,
    ],
    [
      { volumeSnapshots: { schedule: '0 * * * *', retention: 'forever' } },
      `backups.policies.gold.volumeSnapshots.retention: "forever" is neither a count nor an age. Allowed: ${RETENTION}.`,
    ],
    [
      { volumeSnapshots: { schedule: '0 * * * *', className: 'Fast_SSD' } },
      'backups.policies.gold.volumeSnapshots.className: "Fast_SSD" is not a valid Kubernetes object name. Allowed: lower-case letters, digits, "-" and ".", starting and ending with a letter or digit, at most 253 characters.',
    ],
    [
      { database: { schedule: '0 0 30 2 *' } },
      `backups.policies.gold.database.schedule: "0 0 30 2 *" never fires (no day of the year matches it). Allowed: ${CRON}.`,
    ],
    [
      { velero: { schedule: '0 * * * *', ttl: '2562048h' } },
      `backups.policies.gold.velero.ttl: "2562048h" is longer than Go's maximum duration (2562047h47m16.854775807s). Allowed: a positive Go duration such as 168h or 72h30m.`,
    ],
    [
      { rto: '11y' },
      `backups.policies.gold.rto: "11y" is longer than 10 years. Allowed: a positive duration such as 30m, 4h or 7d, at most 10 years.`,
    ],
    [
      { drill: { schedule: '0 3 * * 7' } },
      `backups.policies.gold.drill.schedule: "0 3 * * 7" has a day of the week above 6 (Sunday is 0). Allowed: ${CRON}.`,
    ],
  ])('names the key of the bad value in %j', (override, problem) => {
    expect(
      resolvePolicy('gold', {
        ...gold,
        ...(override as Partial<BackupPolicy>),
      }),
    ).toEqual({ problems: [problem] });
  });

  it('reports every problem of a policy at once', () => {
    expect(
      resolvePolicy('broken', {
        rto: 'soon',
        velero: { schedule: '0 * * * *', ttl: '0h' },
        drill: {},
      } as unknown as BackupPolicy).problems,
    ).toEqual([
      'backups.policies.broken.rpo is required.',
      'backups.policies.broken.rto: "soon" is not a duration. Allowed: a positive duration such as 30m, 4h or 7d, at most 10 years.',
      'backups.policies.broken.velero.ttl: "0h" is not positive. Allowed: a positive Go duration such as 168h or 72h30m.',
      'backups.policies.broken.drill.schedule is required.',
    ]);
  });
});
