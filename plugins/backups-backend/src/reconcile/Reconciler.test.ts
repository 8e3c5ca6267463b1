import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import * as k8s from '@kubernetes/client-node';
import { Sandbox, startSandbox } from '@backups-for-backstage/kube-sandbox';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { BackupsConfig, readBackupsConfig } from '../config/readBackupsConfig';
import { planEntity } from '../plan/planEntity';
import { ClusterReconcileResult, ObjectRef, Reconciler } from './Reconciler';

const REPO = path.resolve(__dirname, '../../../..');
const FIXTURE = path.join(REPO, 'examples/sandbox/cluster.yaml');
const WRITES = ['create', 'update', 'patch', 'delete'] as const;
const MANAGED_BY = 'app.kubernetes.io/managed-by';

function configFor(sandboxes: Record<string, Sandbox>): BackupsConfig {
  const appConfig = YAML.parse(
    fs.readFileSync(path.join(REPO, 'app-config.yaml'), 'utf8'),
  );
  return readBackupsConfig(
    new ConfigReader({
      backups: {
        ...appConfig.backups,
        defaultCluster: Object.keys(sandboxes)[0],
        clusters: Object.entries(sandboxes).map(([name, sandbox]) => ({
          name,
          url: sandbox.url,
          serviceAccountToken: sandbox.tokens.admin,
          skipTLSVerify: true,
          veleroNamespace: 'velero',
        })),
      },
    }),
  );
}

const ORDERS_ANNOTATIONS: Record<string, string> = {
  'backstage.io/kubernetes-id': 'orders',
  'backstage.io/kubernetes-namespace': 'shop',
  'backups/policy': 'gold',
  'backups/cluster': 'a,b',
  'backups/database': 'postgres',
  'backups/database-host': 'orders-db:5432',
  'backups/database-name': 'orders',
  'backups/database-secret': 'orders-db-credentials',
  // A selector, so that clusters serving SnapScheduler get a SnapshotSchedule.
  'backups/volume-snapshot-pvcs': 'selector:backstage.io/kubernetes-id=orders',
  'backups/volume-snapshot-class': 'csi-hostpath-snapclass',
};

function component(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-orders', lifecycle: 'production' },
  };
}

const sorted = (refs: ObjectRef[]) =>
  refs.map(ref => `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`).sort();

describe('Reconciler against two sandbox clusters', () => {
  const sandboxes: Record<string, Sandbox> = {};
  const clients: Record<string, k8s.KubernetesObjectApi> = {};
  let reconciler: Reconciler;
  let config: BackupsConfig;

  const writes = () => ({
    a: sandboxes.a.server.countRequests([...WRITES]),
    b: sandboxes.b.server.countRequests([...WRITES]),
  });

  async function managedKinds(cluster: string, entityName = 'orders') {
    const found: string[] = [];
    for (const [apiVersion, kind] of [
      ['velero.io/v1', 'Schedule'],
      ['batch/v1', 'CronJob'],
      ['v1', 'ServiceAccount'],
      ['rbac.authorization.k8s.io/v1', 'Role'],
      ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
      ['snapscheduler.backube/v1', 'SnapshotSchedule'],
    ]) {
      const list = await clients[cluster].list(
        apiVersion,
        kind,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        `${MANAGED_BY}=backstage-backups,backups/entity-name=${entityName}`,
      );
      found.push(...list.items.map(item => `${kind}/${item.metadata!.name}`));
    }
    return found.sort();
  }

  function byCluster(
    clusters: ClusterReconcileResult[],
  ): Record<string, ClusterReconcileResult> {
    return Object.fromEntries(clusters.map(result => [result.cluster, result]));
  }

  beforeAll(async () => {
    for (const name of ['a', 'b']) {
      sandboxes[name] = await startSandbox({ fixtures: [FIXTURE] });
      const kubeConfig = new k8s.KubeConfig();
      kubeConfig.loadFromFile(sandboxes[name].kubeconfigPath);
      clients[name] = k8s.KubernetesObjectApi.makeApiClient(kubeConfig);
    }
    config = configFor(sandboxes);
    reconciler = new Reconciler({ config });
  });

  afterAll(async () => {
    await Promise.all(Object.values(sandboxes).map(sandbox => sandbox.stop()));
  });

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
      expect(clusterResult.updated.map(ref => ref.kind)).toEqual(['Schedule']);
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
    const plain = await startSandbox({
      fixtures: [FIXTURE],
      withoutCrds: ['snapshotschedules.snapscheduler.backube'],
    });
    try {
      const single = new Reconciler({
        config: configFor({ c: plain }),
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
      const before = plain.server.countRequests([...WRITES]);
      const second = await single.reconcileEntity({ entity });
      expect(plain.server.countRequests([...WRITES])).toBe(before);
      expect(second.clusters[0].unchanged).toHaveLength(4);

      const { 'backups/policy': _policy, ...optedOut } =
        entity.metadata.annotations!;
      const removed = await single.reconcileEntity({
        entity: component('orders', optedOut),
      });
      expect(removed.clusters[0].deleted).toHaveLength(4);
      expect(removed.clusters[0].error).toBeUndefined();
    } finally {
      await plain.stop();
    }
  });
});
