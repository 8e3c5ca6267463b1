import { ConfigReader } from '@backstage/config';
import * as k8s from '@kubernetes/client-node';
import { Sandbox } from '@backups-for-backstage/kube-sandbox';
import { BackupsConfig, readBackupsConfig } from '../config/readBackupsConfig';
import { planEntity } from '../plan/planEntity';
import { component } from '../testing/fixtures';
import {
  managedObjectNames,
  ORDERS_ANNOTATIONS,
  sandboxBackupsConfigData,
  SandboxClusters,
  startSandboxClusters,
} from '../__testUtils__/sandboxClusters';
import { ClusterReconcileResult, ObjectRef, Reconciler } from './Reconciler';

const sorted = (refs: ObjectRef[]) =>
  refs.map(ref => `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`).sort();

describe('Reconciler against two sandbox clusters', () => {
  let clusters: SandboxClusters;
  let sandboxes: Record<string, Sandbox>;
  let clients: Record<string, k8s.KubernetesObjectApi>;
  let reconciler: Reconciler;
  let config: BackupsConfig;

  const writes = () => clusters.writes();
  const managedKinds = (cluster: string, entityName = 'orders') =>
    managedObjectNames(clients[cluster], entityName);

  function byCluster(
    results: ClusterReconcileResult[],
  ): Record<string, ClusterReconcileResult> {
    return Object.fromEntries(results.map(result => [result.cluster, result]));
  }

  beforeAll(async () => {
    clusters = await startSandboxClusters(['a', 'b']);
    ({ sandboxes, clients } = clusters);
    config = readBackupsConfig(
      new ConfigReader(sandboxBackupsConfigData(sandboxes)),
    );
    reconciler = new Reconciler({ config });
  });

  afterAll(() => clusters.stop());

  let plannedKinds: string[];
  let snapshotObjects: string[];

  it('creates every planned object of all three layers in both clusters', async () => {
    const entity = component('orders', ORDERS_ANNOTATIONS);
    const result = await reconciler.reconcileEntity({ entity });
    expect(result.state).toBe('planned');
    const plan = planEntity({
      entity,
      config,
      clusterFacts: {
        a: { hasSnapScheduler: true },
        b: { hasSnapScheduler: true },
      },
    });
    if (plan.state !== 'planned') throw new Error('not planned');
    plannedKinds = plan.clusters[0].objects
      .map(object => `${object.kind}/${object.metadata.name}`)
      .sort();
    snapshotObjects = plan.clusters[0].objects
      .filter(
        object => object.metadata.labels['backups/layer'] === 'volume-snapshot',
      )
      .map(object => `${object.kind}/${object.metadata.name}`)
      .sort();
    expect(snapshotObjects).toEqual([
      expect.stringMatching(/^SnapshotSchedule\//),
    ]);
    // With SnapScheduler served, the snapshot layer is one SnapshotSchedule.
    expect(plannedKinds.map(entry => entry.split('/')[0])).toEqual([
      'CronJob',
      'Schedule',
      'SnapshotSchedule',
    ]);
    for (const cluster of ['a', 'b']) {
      const clusterResult = byCluster(result.clusters)[cluster];
      expect(clusterResult.error).toBeUndefined();
      expect(clusterResult.objectErrors).toEqual([]);
      expect(clusterResult.created).toHaveLength(plannedKinds.length);
      expect(clusterResult.updated).toEqual([]);
      expect(clusterResult.deleted).toEqual([]);
      expect(await managedKinds(cluster)).toEqual(plannedKinds);
    }
  });

  it('makes no write request when the plan is unchanged', async () => {
    const before = writes();
    const result = await reconciler.reconcileEntity({
      entity: component('orders', ORDERS_ANNOTATIONS),
    });
    expect(writes()).toEqual(before);
    for (const clusterResult of result.clusters) {
      expect(clusterResult.error).toBeUndefined();
      expect(clusterResult.created).toEqual([]);
      expect(clusterResult.updated).toEqual([]);
      expect(clusterResult.deleted).toEqual([]);
      expect(clusterResult.unchanged).toHaveLength(plannedKinds.length);
    }
  });

  it('writes nothing in a dry run but reports what it would do', async () => {
    const before = writes();
    const result = await reconciler.reconcileEntity({
      entity: component('orders', {
        ...ORDERS_ANNOTATIONS,
        'backups/velero-schedule': '15 * * * *',
        'backups/layers': 'velero,database',
      }),
      dryRun: true,
    });
    expect(result.dryRun).toBe(true);
    expect(writes()).toEqual(before);
    for (const clusterResult of result.clusters) {
      expect(clusterResult.error).toBeUndefined();
      expect(clusterResult.updated.map(ref => ref.kind)).toEqual(['Schedule']);
      expect(
        clusterResult.deleted.map(ref => `${ref.kind}/${ref.name}`).sort(),
      ).toEqual(snapshotObjects);
    }
    expect(await managedKinds('a')).toEqual(plannedKinds);
  });

  it('updates only the Schedule when the Velero schedule changes', async () => {
    const before = writes();
    const result = await reconciler.reconcileEntity({
      entity: component('orders', {
        ...ORDERS_ANNOTATIONS,
        'backups/velero-schedule': '15 * * * *',
      }),
    });
    expect(writes()).toEqual({ a: before.a + 1, b: before.b + 1 });
    for (const clusterResult of result.clusters) {
      expect(clusterResult.error).toBeUndefined();
      expect(clusterResult.updated).toEqual([
        expect.objectContaining({
          kind: 'Schedule',
          changedFields: ['spec.schedule'],
        }),
      ]);
      expect(clusterResult.created).toEqual([]);
      expect(clusterResult.deleted).toEqual([]);
    }
    const [schedule] = (
      await clients.a.list(
        'velero.io/v1',
        'Schedule',
        'velero',
        undefined,
        undefined,
        undefined,
        undefined,
        'backups/entity-name=orders',
      )
    ).items as Array<k8s.KubernetesObject & { spec: { schedule: string } }>;
    expect(schedule.spec.schedule).toBe('15 * * * *');
    // ... and the new state is stable.
    const again = writes();
    await reconciler.reconcileEntity({
      entity: component('orders', {
        ...ORDERS_ANNOTATIONS,
        'backups/velero-schedule': '15 * * * *',
      }),
    });
    expect(writes()).toEqual(again);
  });

  it('applies and deletes nothing for an entity with bad annotations', async () => {
    const before = writes();
    const result = await reconciler.reconcileEntity({
      entity: component('orders', {
        ...ORDERS_ANNOTATIONS,
        'backups/velero-schedule': 'every now and then',
        'backups/layers': 'velero',
      }),
    });
    expect(result.state).toBe('invalid');
    expect(result.errors?.length).toBeGreaterThan(0);
    expect(result.clusters).toEqual([]);
    expect(writes()).toEqual(before);
    expect(await managedKinds('a')).toEqual(plannedKinds);
  });

  it('deletes only the objects of a removed layer', async () => {
    const before = writes();
    const result = await reconciler.reconcileEntity({
      entity: component('orders', {
        ...ORDERS_ANNOTATIONS,
        'backups/velero-schedule': '15 * * * *',
        'backups/layers': 'velero,database',
      }),
    });
    for (const clusterResult of result.clusters) {
      expect(clusterResult.error).toBeUndefined();
      expect(
        clusterResult.deleted.map(ref => `${ref.kind}/${ref.name}`).sort(),
      ).toEqual(snapshotObjects);
      expect(clusterResult.updated).toEqual([]);
      expect(clusterResult.created).toEqual([]);
    }
    expect(writes()).toEqual({
      a: before.a + snapshotObjects.length,
      b: before.b + snapshotObjects.length,
    });
    expect(await managedKinds('a')).toEqual(
      plannedKinds.filter(entry => !snapshotObjects.includes(entry)),
    );
  });

  it('still reconciles cluster a when cluster b answers 503', async () => {
    sandboxes.b.server.faults.fail({ path: '/', status: 503 });
    try {
      const before = writes();
      const result = await reconciler.reconcileEntity({
        entity: component('orders', {
          ...ORDERS_ANNOTATIONS,
          'backups/velero-schedule': '30 * * * *',
          'backups/layers': 'velero,database',
        }),
      });
      const { a, b } = byCluster(result.clusters);
      expect(a.error).toBeUndefined();
      expect(a.updated.map(ref => ref.kind)).toEqual(['Schedule']);
      expect(b.error).toMatch(/503/);
      expect(b.updated).toEqual([]);
      expect(writes()).toEqual({ a: before.a + 1, b: before.b });
    } finally {
      sandboxes.b.server.faults.clear();
    }
    const recovered = await reconciler.reconcileEntity({
      entity: component('orders', {
        ...ORDERS_ANNOTATIONS,
        'backups/velero-schedule': '30 * * * *',
        'backups/layers': 'velero,database',
      }),
    });
    expect(byCluster(recovered.clusters).b.error).toBeUndefined();
    expect(
      byCluster(recovered.clusters).b.updated.map(ref => ref.kind),
    ).toEqual(['Schedule']);
  });

  it('reports a hanging cluster as timed out and still reconciles the other', async () => {
    const impatient = new Reconciler({
      config: {
        ...config,
        reconcile: { ...config.reconcile, requestTimeoutMs: 300 },
      },
    });
    sandboxes.b.server.faults.hang({ path: /^\/apis\/velero\.io/ });
    try {
      const startedAt = Date.now();
      const result = await impatient.reconcileEntity({
        entity: component('orders', {
          ...ORDERS_ANNOTATIONS,
          'backups/velero-schedule': '45 * * * *',
          'backups/layers': 'velero,database',
        }),
      });
      const { a, b } = byCluster(result.clusters);
      expect(a.error).toBeUndefined();
      expect(a.updated.map(ref => ref.kind)).toEqual(['Schedule']);
      expect(b.error).toBe('no answer within 0.3s (request timeout)');
      // Bounded by the timeout, not by the hanging server.
      expect(Date.now() - startedAt).toBeLessThan(10_000);
    } finally {
      sandboxes.b.server.faults.clear();
    }
  });

  it('deletes all managed objects on opt-out, keeping Backups and unmanaged objects', async () => {
    const [scheduleName] = (await managedKinds('a'))
      .filter(entry => entry.startsWith('Schedule/'))
      .map(entry => entry.split('/')[1]);
    const backup = {
      apiVersion: 'velero.io/v1',
      kind: 'Backup',
      metadata: {
        name: `${scheduleName}-20260101000000`,
        namespace: 'velero',
        labels: { 'velero.io/schedule-name': scheduleName },
      },
      spec: { includedNamespaces: ['shop'] },
    };
    const configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'orders-settings',
        namespace: 'shop',
        labels: { 'backups/entity-name': 'orders' },
      },
      data: { key: 'value' },
    };
    await clients.a.create(backup);
    await clients.a.create(configMap);

    const { 'backups/policy': _policy, ...optedOut } = ORDERS_ANNOTATIONS;
    const result = await reconciler.reconcileEntity({
      entity: component('orders', optedOut),
    });
    expect(result.state).toBe('not-opted-in');
    for (const clusterResult of result.clusters) {
      expect(clusterResult.error).toBeUndefined();
      expect(clusterResult.deleted.length).toBeGreaterThan(0);
      expect(clusterResult.created).toEqual([]);
    }
    expect(await managedKinds('a')).toEqual([]);
    expect(await managedKinds('b')).toEqual([]);
    await expect(clients.a.read(backup)).resolves.toBeDefined();
    await expect(clients.a.read(configMap)).resolves.toBeDefined();

    const before = writes();
    await reconciler.reconcileEntity({ entity: component('orders', optedOut) });
    expect(writes()).toEqual(before);
  });

  it('never touches an unmanaged CronJob that has the planned name', async () => {
    const annotations = {
      'backstage.io/kubernetes-id': 'payments',
      'backstage.io/kubernetes-namespace': 'shop',
      'backups/policy': 'silver',
      'backups/cluster': 'a',
      'backups/layers': 'database',
      'backups/database': 'mysql',
      'backups/database-host': 'payments-mysql.shop.svc.cluster.local',
      'backups/database-name': 'payments',
      'backups/database-secret': 'payments-mysql-credentials',
    };
    const entity = component('payments', annotations);
    const plan = planEntity({ entity, config });
    if (plan.state !== 'planned') throw new Error('not planned');
    const dumpCronJob = plan.clusters[0].objects.find(
      object => object.kind === 'CronJob',
    )!;
    const unmanaged = await clients.a.create({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: {
        name: dumpCronJob.metadata.name,
        namespace: dumpCronJob.metadata.namespace,
        labels: { team: 'payments' },
      },
      spec: {
        schedule: '0 0 * * *',
        jobTemplate: {
          spec: {
            template: {
              spec: {
                restartPolicy: 'Never',
                containers: [{ name: 'mine', image: 'busybox' }],
              },
            },
          },
        },
      },
    } as k8s.KubernetesObject);

    const result = await reconciler.reconcileEntity({ entity });
    const a = byCluster(result.clusters).a;
    expect(a.error).toBeUndefined();
    expect(a.objectErrors).toEqual([
      {
        object: {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          namespace: dumpCronJob.metadata.namespace,
          name: dumpCronJob.metadata.name,
        },
        message: expect.stringMatching(/not managed/),
      },
    ]);
    expect(sorted(a.created)).not.toContain(
      `CronJob/${dumpCronJob.metadata.namespace}/${dumpCronJob.metadata.name}`,
    );
    // (The sandbox's CronJob controller may write its status; spec and
    // metadata must be exactly what its owner created.)
    const unchangedCronJob = async () => {
      const after = (await clients.a.read({
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: {
          name: dumpCronJob.metadata.name,
          namespace: dumpCronJob.metadata.namespace,
        },
      })) as k8s.V1CronJob;
      expect(after.metadata?.labels).toEqual({ team: 'payments' });
      expect(after.metadata?.annotations ?? {}).toEqual(
        unmanaged.metadata?.annotations ?? {},
      );
      expect(after.metadata?.generation).toBe(unmanaged.metadata?.generation);
      expect(after.spec).toEqual((unmanaged as k8s.V1CronJob).spec);
    };
    await unchangedCronJob();

    // Opting out deletes the managed objects, never the unmanaged CronJob.
    const { 'backups/policy': _policy, ...optedOut } = annotations;
    const removed = await reconciler.reconcileEntity({
      entity: component('payments', optedOut),
    });
    expect(sorted(byCluster(removed.clusters).a.deleted)).toEqual(
      sorted(a.created),
    );
    await unchangedCronJob();
  });

  it('deletes the managed objects of a removed entity in every cluster', async () => {
    await reconciler.reconcileEntity({
      entity: component('orders', ORDERS_ANNOTATIONS),
    });
    expect(await managedKinds('b')).toEqual(plannedKinds);
    const dry = await reconciler.deleteEntity({
      entity: { kind: 'Component', namespace: 'default', name: 'orders' },
      dryRun: true,
    });
    expect(byCluster(dry.clusters).b.deleted).toHaveLength(plannedKinds.length);
    expect(await managedKinds('b')).toEqual(plannedKinds);
    const result = await reconciler.deleteEntity({
      entity: { kind: 'Component', namespace: 'default', name: 'orders' },
    });
    for (const clusterResult of result.clusters) {
      expect(clusterResult.error).toBeUndefined();
      expect(clusterResult.deleted).toHaveLength(plannedKinds.length);
    }
    expect(await managedKinds('a')).toEqual([]);
    expect(await managedKinds('b')).toEqual([]);
  });

  it('plans snapshot CronJobs with their RBAC where SnapScheduler is not served', async () => {
    const plainClusters = await startSandboxClusters(['c'], {
      withoutCrds: ['snapshotschedules.snapscheduler.backube'],
    });
    try {
      const single = new Reconciler({
        config: readBackupsConfig(
          new ConfigReader(sandboxBackupsConfigData(plainClusters.sandboxes)),
        ),
      });
      const entity = component('orders', {
        ...ORDERS_ANNOTATIONS,
        'backups/cluster': 'c',
        'backups/layers': 'volume-snapshot',
      });
      const first = await single.reconcileEntity({ entity });
      const [c] = first.clusters;
      expect(c.error).toBeUndefined();
      expect(c.objectErrors).toEqual([]);
      expect(c.created.map(ref => ref.kind).sort()).toEqual([
        'CronJob',
        'Role',
        'RoleBinding',
        'ServiceAccount',
      ]);
      const before = plainClusters.writes();
      const second = await single.reconcileEntity({ entity });
      expect(plainClusters.writes()).toEqual(before);
      expect(second.clusters[0].unchanged).toHaveLength(4);

      const { 'backups/policy': _policy, ...optedOut } =
        entity.metadata.annotations!;
      const removed = await single.reconcileEntity({
        entity: component('orders', optedOut),
      });
      expect(removed.clusters[0].deleted).toHaveLength(4);
      expect(removed.clusters[0].error).toBeUndefined();
    } finally {
      await plainClusters.stop();
    }
  });
});
