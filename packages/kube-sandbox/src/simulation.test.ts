import * as k8s from '@kubernetes/client-node';
import path from 'node:path';
import {
  ClusterUnderTest,
  startSandboxCluster,
} from './__testUtils__/clusterUnderTest';

const EXAMPLE_FIXTURE = path.resolve(
  __dirname,
  '../../../examples/sandbox/cluster.yaml',
);
const HOUR = 60 * 60 * 1000;

type Backup = k8s.KubernetesObject & {
  status?: {
    phase?: string;
    progress?: { itemsBackedUp?: number };
    failureReason?: string;
  };
};

/**
 * The simulated controllers seen the way the plugin will see them: objects
 * created and read through @kubernetes/client-node, time advanced by hand.
 */
describe('simulated controllers through the API', () => {
  let cluster: ClusterUnderTest;
  let custom: k8s.CustomObjectsApi;
  let batch: k8s.BatchV1Api;

  beforeAll(async () => {
    cluster = await startSandboxCluster({
      fixtures: [EXAMPLE_FIXTURE],
      startTime: new Date('2026-03-02T10:15:00Z'),
      controllers: {
        jobOutcome: job => ({
          succeeded: true,
          terminationMessage: JSON.stringify({
            file: `${job.metadata.name}.sql.gz`,
            bytes: 42,
          }),
        }),
      },
    });
    custom = cluster.kubeConfig.makeApiClient(k8s.CustomObjectsApi);
    batch = cluster.kubeConfig.makeApiClient(k8s.BatchV1Api);
  });

  afterAll(async () => {
    await cluster.stop();
  });

  async function backupsOf(schedule: string): Promise<Backup[]> {
    const list = (await custom.listNamespacedCustomObject({
      group: 'velero.io',
      version: 'v1',
      namespace: 'velero',
      plural: 'backups',
      labelSelector: `velero.io/schedule-name=${schedule}`,
    })) as { items: Backup[] };
    return list.items;
  }

  it('turns an hourly Schedule into Completed Backups that count what the selector matches', async () => {
    await custom.createNamespacedCustomObject({
      group: 'velero.io',
      version: 'v1',
      namespace: 'velero',
      plural: 'schedules',
      body: {
        apiVersion: 'velero.io/v1',
        kind: 'Schedule',
        metadata: { name: 'orders-hourly' },
        spec: {
          schedule: '0 * * * *',
          template: {
            includedNamespaces: ['shop'],
            labelSelector: {
              matchLabels: { 'backstage.io/kubernetes-id': 'orders' },
            },
            ttl: '2h0m0s',
          },
        },
      },
    });
    cluster.sandbox!.clock.advance(HOUR);

    const backups = await backupsOf('orders-hourly');
    expect(backups.map(backup => backup.metadata?.name)).toEqual([
      'orders-hourly-20260302110000',
    ]);
    const [backup] = backups;
    expect(backup.status?.phase).toBe('Completed');
    // The orders Deployment, StatefulSet, Service, PVC and their pods, and the namespace.
    expect(backup.status?.progress?.itemsBackedUp).toBeGreaterThan(5);

    cluster.sandbox!.controllers.failNextBackups('orders-hourly', 1);
    cluster.sandbox!.clock.advance(HOUR);
    const phases = (await backupsOf('orders-hourly')).map(b => [
      b.metadata?.name,
      b.status?.phase,
    ]);
    expect(phases).toEqual([
      ['orders-hourly-20260302110000', 'Completed'],
      ['orders-hourly-20260302120000', 'Failed'],
    ]);

    cluster.sandbox!.clock.advance(2 * HOUR);
    const names = (await backupsOf('orders-hourly')).map(b => b.metadata?.name);
    expect(names).not.toContain('orders-hourly-20260302110000');
  });

  it('runs a dump CronJob into Jobs whose pods report the termination message', async () => {
    await batch.createNamespacedCronJob({
      namespace: 'shop',
      body: {
        metadata: { name: 'orders-dump' },
        spec: {
          schedule: '*/30 * * * *',
          concurrencyPolicy: 'Forbid',
          jobTemplate: {
            spec: {
              template: {
                spec: {
                  restartPolicy: 'Never',
                  containers: [{ name: 'dump', image: 'postgres:16' }],
                },
              },
            },
          },
        },
      },
    });
    cluster.sandbox!.clock.advance(HOUR);

    const jobs = await batch.listNamespacedJob({ namespace: 'shop' });
    const dumpJobs = jobs.items.filter(job =>
      job.metadata?.name?.startsWith('orders-dump-'),
    );
    expect(dumpJobs.length).toBe(2);
    expect(dumpJobs.every(job => job.status?.succeeded === 1)).toBe(true);
    const pods = await cluster.core.listNamespacedPod({
      namespace: 'shop',
      labelSelector: `job-name=${dumpJobs[0].metadata!.name}`,
    });
    const terminated =
      pods.items[0].status?.containerStatuses?.[0].state?.terminated;
    expect(JSON.parse(terminated!.message!)).toEqual({
      file: `${dumpJobs[0].metadata!.name}.sql.gz`,
      bytes: 42,
    });
  });

  it('makes a VolumeSnapshot ready and binds a PVC restored from it', async () => {
    await custom.createNamespacedCustomObject({
      group: 'snapshot.storage.k8s.io',
      version: 'v1',
      namespace: 'shop',
      plural: 'volumesnapshots',
      body: {
        apiVersion: 'snapshot.storage.k8s.io/v1',
        kind: 'VolumeSnapshot',
        metadata: { name: 'orders-data-snap' },
        spec: {
          volumeSnapshotClassName: 'csi-hostpath-snapclass',
          source: { persistentVolumeClaimName: 'orders-data' },
        },
      },
    });
    cluster.sandbox!.clock.advance(60 * 1000);
    const snapshot = (await custom.getNamespacedCustomObject({
      group: 'snapshot.storage.k8s.io',
      version: 'v1',
      namespace: 'shop',
      plural: 'volumesnapshots',
      name: 'orders-data-snap',
    })) as { status?: { readyToUse?: boolean; restoreSize?: string } };
    expect(snapshot.status).toMatchObject({
      readyToUse: true,
      restoreSize: '10Gi',
    });

    await cluster.core.createNamespacedPersistentVolumeClaim({
      namespace: 'shop',
      body: {
        metadata: { name: 'orders-data-restored' },
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: '10Gi' } },
          dataSource: {
            apiGroup: 'snapshot.storage.k8s.io',
            kind: 'VolumeSnapshot',
            name: 'orders-data-snap',
          },
        },
      },
    });
    cluster.sandbox!.clock.advance(1000);
    const restored = await cluster.core.readNamespacedPersistentVolumeClaim({
      name: 'orders-data-restored',
      namespace: 'shop',
    });
    expect(restored.status?.phase).toBe('Bound');
  });
});
