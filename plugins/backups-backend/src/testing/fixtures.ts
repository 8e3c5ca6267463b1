import { Entity } from '@backstage/catalog-model';

/** A backups config like SPEC.md's, as app-config data. */
export const testBackupsConfig = {
  backups: {
    defaultCluster: 'prod-eu',
    clusters: [
      {
        name: 'prod-eu',
        url: 'https://10.0.0.1:6443',
        serviceAccountToken: 't',
      },
      {
        name: 'prod-us',
        url: 'https://10.0.0.2:6443',
        serviceAccountToken: 't',
      },
    ],
    policies: {
      gold: {
        rpo: '1h',
        rto: '30m',
        velero: { schedule: '0 * * * *', ttl: '168h', snapshotVolumes: true },
        database: { schedule: '*/30 * * * *', retention: 48 },
        volumeSnapshots: { schedule: '0 */6 * * *', retention: 10 },
        drill: { schedule: '0 3 * * 0' },
      },
    },
  },
};

export function component(
  name: string,
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}
