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
        storage: { type: 'pvc', claimName: 'backup-dumps' },
      },
    });
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
