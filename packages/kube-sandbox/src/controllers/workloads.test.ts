import { KubeObject } from '../resources/types';
import { createTestCluster, TestCluster } from './__testUtils__/testCluster';

const status = (object: KubeObject | undefined) =>
  (object?.status ?? {}) as Record<string, any>;

function workload(
  kind: 'Deployment' | 'StatefulSet',
  name: string,
  spec: Record<string, unknown> = {},
) {
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name, namespace: 'shop' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: {
          labels: { app: name, 'backstage.io/kubernetes-id': 'shop' },
        },
        spec: { containers: [{ name: 'main', image: `shop/${name}:1` }] },
      },
      ...spec,
    },
  };
}

const isReady = (pod: KubeObject) =>
  status(pod).conditions?.some(
    (c: any) => c.type === 'Ready' && c.status === 'True',
  ) ?? false;

describe('workload controllers', () => {
  let cluster: TestCluster;
  const pods = (app: string) => cluster.list('v1', 'Pod', 'shop', { app });

  beforeEach(() => {
    cluster = createTestCluster();
  });

  afterEach(() => {
    cluster.stop();
  });

  describe('Deployment', () => {
    it('runs spec.replicas pods that become Ready', () => {
      const deployment = cluster.apply(
        workload('Deployment', 'api', { replicas: 3 }),
      );
      const running = pods('api');
      expect(running).toHaveLength(3);
      const hash = running[0].metadata.labels!['pod-template-hash'];
      for (const pod of running) {
        expect(pod.metadata.name).toMatch(
          new RegExp(`^api-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`),
        );
        expect(pod.metadata.labels).toEqual({
          app: 'api',
          'backstage.io/kubernetes-id': 'shop',
          'pod-template-hash': hash,
        });
        expect(pod.metadata.ownerReferences).toEqual([
          expect.objectContaining({
            kind: 'Deployment',
            name: 'api',
            uid: deployment.metadata.uid,
          }),
        ]);
        expect(status(pod)).toMatchObject({
          phase: 'Running',
          podIP: expect.any(String),
        });
        expect(isReady(pod)).toBe(false);
      }
      expect(
        status(cluster.get('apps/v1', 'Deployment', 'shop', 'api')),
      ).toMatchObject({
        replicas: 3,
        unavailableReplicas: 3,
      });

      cluster.advance(2_000);
      expect(pods('api').every(isReady)).toBe(true);
      const ready = status(cluster.get('apps/v1', 'Deployment', 'shop', 'api'));
      expect(ready).toMatchObject({
        observedGeneration: 1,
        replicas: 3,
        updatedReplicas: 3,
        readyReplicas: 3,
        availableReplicas: 3,
      });
      expect(ready.unavailableReplicas).toBeUndefined();
      expect(
        ready.conditions.map((c: any) => [c.type, c.status, c.reason]),
      ).toEqual([
        ['Available', 'True', 'MinimumReplicasAvailable'],
        ['Progressing', 'True', 'NewReplicaSetAvailable'],
      ]);
    });

    it('keeps pods that fail their readiness probe Running and not Ready, until they pass', () => {
      cluster.controllers.setPodReadiness(
        pod => pod.metadata.namespace !== 'shop',
      );
      cluster.apply(workload('Deployment', 'api', { replicas: 2 }));
      cluster.advance(60_000);
      expect(pods('api').map(pod => [status(pod).phase, isReady(pod)])).toEqual(
        [
          ['Running', false],
          ['Running', false],
        ],
      );
      expect(
        status(cluster.get('apps/v1', 'Deployment', 'shop', 'api')),
      ).toMatchObject({ replicas: 2, unavailableReplicas: 2 });

      cluster.controllers.setPodReadiness(() => true);
      expect(pods('api').every(isReady)).toBe(true);
      expect(
        status(cluster.get('apps/v1', 'Deployment', 'shop', 'api')),
      ).toMatchObject({ readyReplicas: 2 });
    });

    it('defaults to one replica, scales, and replaces pods when the template changes', () => {
      cluster.apply(workload('Deployment', 'web'));
      expect(pods('web')).toHaveLength(1);
      const resource = cluster.kind('apps/v1', 'Deployment');
      const scale = (spec: Record<string, unknown>) => {
        const current = cluster.get('apps/v1', 'Deployment', 'shop', 'web')!;
        cluster.store.update(resource, 'shop', 'web', {
          ...current,
          spec: { ...(current.spec as object), ...spec },
        });
      };
      scale({ replicas: 4 });
      expect(pods('web')).toHaveLength(4);
      cluster.advance(2_000);
      scale({ replicas: 2 });
      expect(pods('web')).toHaveLength(2);
      expect(
        status(cluster.get('apps/v1', 'Deployment', 'shop', 'web'))
          .readyReplicas,
      ).toBe(2);

      const before = pods('web').map(p => p.metadata.name);
      const current = cluster.get('apps/v1', 'Deployment', 'shop', 'web')!;
      const template = (current.spec as any).template;
      scale({
        template: {
          ...template,
          spec: { containers: [{ name: 'main', image: 'shop/web:2' }] },
        },
      });
      const after = pods('web');
      expect(after).toHaveLength(2);
      expect(
        after.map(p => p.metadata.name).some(name => before.includes(name)),
      ).toBe(false);
      expect((after[0].spec as any).containers[0].image).toBe('shop/web:2');
    });

    it('loses its pods when deleted', async () => {
      const deployment = cluster.apply(
        workload('Deployment', 'gone', { replicas: 2 }),
      );
      cluster.remove(deployment);
      await cluster.settle();
      expect(pods('gone')).toEqual([]);
    });
  });

  describe('StatefulSet', () => {
    const claimTemplate = {
      metadata: { name: 'data' },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '5Gi' } },
      },
    };

    it('creates ordered pods with stable names, one after the other is Ready', () => {
      cluster.apply(
        workload('StatefulSet', 'db', {
          replicas: 3,
          serviceName: 'db',
          volumeClaimTemplates: [claimTemplate],
        }),
      );
      const names = () => pods('db').map(p => p.metadata.name);
      expect(names()).toEqual(['db-0']);
      cluster.advance(2_000);
      expect(names()).toEqual(['db-0', 'db-1']);
      cluster.advance(2_000);
      expect(names()).toEqual(['db-0', 'db-1', 'db-2']);
      cluster.advance(2_000);
      expect(pods('db').every(isReady)).toBe(true);

      const set = cluster.get('apps/v1', 'StatefulSet', 'shop', 'db')!;
      expect(status(set)).toMatchObject({
        replicas: 3,
        readyReplicas: 3,
        availableReplicas: 3,
        updatedReplicas: 3,
        currentRevision: expect.stringMatching(/^db-/),
      });
      const [first] = pods('db');
      expect(first.metadata.labels).toMatchObject({
        app: 'db',
        'statefulset.kubernetes.io/pod-name': 'db-0',
        'apps.kubernetes.io/pod-index': '0',
        'controller-revision-hash': status(set).updateRevision,
      });
      expect(first.spec).toMatchObject({
        hostname: 'db-0',
        subdomain: 'db',
        volumes: [
          { name: 'data', persistentVolumeClaim: { claimName: 'data-db-0' } },
        ],
      });
      const claims = cluster.list('v1', 'PersistentVolumeClaim', 'shop');
      expect(claims.map(c => [c.metadata.name, status(c).phase])).toEqual([
        ['data-db-0', 'Bound'],
        ['data-db-1', 'Bound'],
        ['data-db-2', 'Bound'],
      ]);
      expect(claims[0].metadata.labels).toEqual({ app: 'db' });

      const current = cluster.get('apps/v1', 'StatefulSet', 'shop', 'db')!;
      cluster.store.update(
        cluster.kind('apps/v1', 'StatefulSet'),
        'shop',
        'db',
        {
          ...current,
          spec: { ...(current.spec as object), replicas: 1 },
        },
      );
      expect(names()).toEqual(['db-0']);
      expect(cluster.list('v1', 'PersistentVolumeClaim', 'shop')).toHaveLength(
        3,
      );
    });

    it('creates all pods at once with podManagementPolicy Parallel', () => {
      cluster.apply(
        workload('StatefulSet', 'cache', {
          replicas: 3,
          podManagementPolicy: 'Parallel',
        }),
      );
      expect(pods('cache').map(p => p.metadata.name)).toEqual([
        'cache-0',
        'cache-1',
        'cache-2',
      ]);
      cluster.advance(2_000);
      expect(
        status(cluster.get('apps/v1', 'StatefulSet', 'shop', 'cache'))
          .readyReplicas,
      ).toBe(3);
    });
  });

  it('runs standalone pods too', () => {
    cluster.apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'debug', namespace: 'shop', labels: { app: 'debug' } },
      spec: { containers: [{ name: 'sh', image: 'busybox' }] },
    });
    cluster.advance(2_000);
    expect(isReady(pods('debug')[0])).toBe(true);
  });
});
