import { ConfigReader } from '@backstage/config';
import { readBackupsConfig, toIntentContext } from './readBackupsConfig';
import { testBackupsConfig } from '../testing/fixtures';

describe('readBackupsConfig', () => {
  it('reads clusters, the default cluster and policies', () => {
    const config = readBackupsConfig(new ConfigReader(testBackupsConfig));
    expect(config.clusters.map(c => c.name)).toEqual(['prod-eu', 'prod-us']);
    expect(config.clusters[0]).toMatchObject({
      url: 'https://10.0.0.1:6443',
      veleroNamespace: 'velero',
      inCluster: false,
      skipTLSVerify: false,
    });
    expect(toIntentContext(config)).toEqual({
      policies: testBackupsConfig.backups.policies,
      clusterNames: ['prod-eu', 'prod-us'],
      defaultCluster: 'prod-eu',
    });
  });

  it('accepts an empty configuration', () => {
    expect(readBackupsConfig(new ConfigReader({}))).toEqual({
      defaultCluster: undefined,
      clusters: [],
      policies: {},
      databaseDumps: {
        images: {
          postgres: 'postgres:16',
          mysql: 'mysql:8.0',
          mongodb: 'mongo:7',
        },
        s3ClientImage: 'docker.io/amazon/aws-cli:2.17.0',
        storage: { type: 'pvc', claimName: 'backup-dumps' },
      },
      volumeSnapshots: { image: 'docker.io/bitnami/kubectl:latest' },
      reconcile: {
        frequency: { minutes: 5 },
        dryRun: false,
        requestTimeoutMs: 30_000,
        concurrency: 4,
      },
      status: { failingAfter: 3 },
      restores: { bindTimeoutMs: 600_000 },
      drills: {
        maxConcurrent: 2,
        timeoutMs: 3_600_000,
        namespacePrefix: 'drill-',
        scheduleCheckMs: 60_000,
      },
      notifications: { enabled: true },
    });
  });

  it('reads the drill settings and names each one that is wrong', () => {
    expect(
      readBackupsConfig(
        new ConfigReader({
          backups: {
            drills: {
              maxConcurrent: 1,
              timeout: { minutes: 20 },
              namespacePrefix: 'dr-',
              scheduleCheck: '15s',
            },
          },
        }),
      ).drills,
    ).toEqual({
      maxConcurrent: 1,
      timeoutMs: 1_200_000,
      namespacePrefix: 'dr-',
      scheduleCheckMs: 15_000,
    });
    const read = () =>
      readBackupsConfig(
        new ConfigReader({
          backups: {
            drills: {
              maxConcurrent: 0,
              timeout: '0s',
              namespacePrefix: 'Drill_',
              scheduleCheck: { minutes: -1 },
            },
          },
        }),
      );
    expect(read).toThrow(/backups\.drills\.maxConcurrent: 0 is not allowed/);
    expect(read).toThrow(/backups\.drills\.timeout: must be longer than 0/);
    expect(read).toThrow(
      /backups\.drills\.namespacePrefix: "Drill_" is not allowed/,
    );
    expect(read).toThrow(/backups\.drills\.scheduleCheck: must be longer/);
  });

  it('reads restores.bindTimeout and refuses one that is not a positive duration', () => {
    expect(
      readBackupsConfig(
        new ConfigReader({ backups: { restores: { bindTimeout: '2m' } } }),
      ).restores,
    ).toEqual({ bindTimeoutMs: 120_000 });
    expect(() =>
      readBackupsConfig(
        new ConfigReader({ backups: { restores: { bindTimeout: 'soon' } } }),
      ),
    ).toThrow(/backups\.restores\.bindTimeout: .*Allowed: a duration such as/);
  });

  it('reads status.failingAfter and refuses one below 1', () => {
    expect(
      readBackupsConfig(
        new ConfigReader({ backups: { status: { failingAfter: 5 } } }),
      ).status,
    ).toEqual({ failingAfter: 5 });
    expect(() =>
      readBackupsConfig(
        new ConfigReader({ backups: { status: { failingAfter: 0 } } }),
      ),
    ).toThrow(
      'backups.status.failingAfter: 0 is not allowed. Allowed: a whole number of at least 1.',
    );
  });

  it('reads the helper images and the reconcile settings', () => {
    const config = readBackupsConfig(
      new ConfigReader({
        backups: {
          databaseDumps: { s3ClientImage: 'mirror/aws-cli:2' },
          volumeSnapshots: { image: 'mirror/kubectl:1.34' },
          reconcile: {
            frequency: 'PT10M',
            dryRun: true,
            requestTimeout: { seconds: 5 },
            concurrency: 8,
          },
        },
      }),
    );
    expect(config.databaseDumps.s3ClientImage).toBe('mirror/aws-cli:2');
    expect(config.volumeSnapshots.image).toBe('mirror/kubectl:1.34');
    expect(config.reconcile).toEqual({
      frequency: { minutes: 10 },
      dryRun: true,
      requestTimeoutMs: 5000,
      concurrency: 8,
    });
  });

  it.each([
    [{ cron: '*/2 * * * *' }, { cron: '*/2 * * * *' }],
    ['15m', { minutes: 15 }],
    [{ hours: 1 }, { hours: 1 }],
  ])('reads the reconcile frequency %j', (frequency, expected) => {
    const config = readBackupsConfig(
      new ConfigReader({ backups: { reconcile: { frequency } } }),
    );
    expect(config.reconcile.frequency).toEqual(expected);
  });

  it('names bad reconcile settings and what is allowed', () => {
    const read = (reconcile: object) => () =>
      readBackupsConfig(new ConfigReader({ backups: { reconcile } }));
    expect(read({ frequency: 'often' })).toThrow(
      /backups\.reconcile: Invalid duration 'often'.*Allowed: a duration such as \{ minutes: 5 \}/,
    );
    expect(read({ concurrency: 0 })).toThrow(
      'backups.reconcile.concurrency: 0 is not allowed. Allowed: a whole number of at least 1.',
    );
  });

  it('lists every problem in one error', () => {
    const config = new ConfigReader({
      backups: {
        defaultCluster: 'mars',
        clusters: [
          { name: 'a', url: 'https://a' },
          { name: 'a', kubeconfig: { path: '/k' } },
          {
            name: 'b',
            url: 'https://b',
            inCluster: true,
            veleroNamespace: 'Velero!',
          },
        ],
        policies: {
          broken: { rpo: 'soon', velero: { schedule: '* * *' } },
        },
      },
    });
    expect(() => readBackupsConfig(config)).toThrow(
      [
        'Invalid backups configuration:',
        '- backups.clusters[2] (b): set exactly one of url (with serviceAccountToken), kubeconfig.path or inCluster: true.',
        '- backups.clusters[2].veleroNamespace: "Velero!" is not a namespace name.',
        '- backups.clusters: the name "a" is used twice.',
        '- backups.defaultCluster: "mars" is not one of backups.clusters (a, a, b).',
        expect.anything(),
      ]
        .slice(0, 5)
        .join('\n'),
    );
    expect(() => readBackupsConfig(config)).toThrow(
      /backups\.policies\.broken\.rpo: "soon" is not a duration[\s\S]*backups\.policies\.broken\.rto is required\.[\s\S]*backups\.policies\.broken\.velero\.schedule: "\* \* \*" has 3 fields/,
    );
  });
});
