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

describe('fixtures', () => {
  let cluster: ClusterUnderTest;

  beforeAll(async () => {
    cluster = await startSandboxCluster({ fixtures: [EXAMPLE_FIXTURE] });
  });

  afterAll(async () => {
    await cluster.stop();
  });

  it('seeds the namespaces, workloads, PVCs, Secrets and the BSL of the example catalog', async () => {
    const namespaces = (await cluster.core.listNamespace()).items.map(
      ns => ns.metadata?.name,
    );
    expect(namespaces).toEqual(
      expect.arrayContaining(['shop', 'catalog', 'media', 'velero']),
    );

    const apps = cluster.kubeConfig.makeApiClient(k8s.AppsV1Api);
    const ordersWorkloads = await apps.listNamespacedDeployment({
      namespace: 'shop',
      labelSelector: 'backstage.io/kubernetes-id=orders',
    });
    expect(ordersWorkloads.items.map(item => item.metadata?.name)).toEqual([
      'orders',
    ]);

    const pvcs = await cluster.core.listNamespacedPersistentVolumeClaim({
      namespace: 'media',
      labelSelector: 'app=media-store',
    });
    expect(pvcs.items.map(item => item.metadata?.name).sort()).toEqual([
      'media-originals',
      'media-thumbnails',
    ]);

    const secret = await cluster.core.readNamespacedSecret({
      name: 'orders-db-credentials',
      namespace: 'shop',
    });
    expect(Object.keys(secret.data ?? secret.stringData ?? {}).sort()).toEqual([
      'password',
      'username',
    ]);

    const bsl = await cluster.objects.read<
      k8s.KubernetesObject & { spec: { default: boolean } }
    >({
      apiVersion: 'velero.io/v1',
      kind: 'BackupStorageLocation',
      metadata: { name: 'default', namespace: 'velero' },
    });
    expect(bsl.spec.default).toBe(true);
  });

  it('applies fixture text given directly, replacing objects that exist', async () => {
    cluster.sandbox!.applyFixture(`
apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: fixture-text }
data: { a: '1' }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: fixture-text }
data: { a: '2' }
`);
    const settings = await cluster.core.readNamespacedConfigMap({
      name: 'settings',
      namespace: 'fixture-text',
    });
    expect(settings.data).toEqual({ a: '2' });
  });
});
