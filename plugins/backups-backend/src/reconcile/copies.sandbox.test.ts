import { ConfigReader } from '@backstage/config';
import * as k8s from '@kubernetes/client-node';
import { readBackupsConfig } from '../config/readBackupsConfig';
import { planEntity } from '../plan/planEntity';
import { PlannedObject } from '../plan/types';
import { component } from '../testing/fixtures';
import {
  ORDERS_ANNOTATIONS,
  sandboxBackupsConfigData,
  SandboxClusters,
  startSandboxClusters,
} from '../__testUtils__/sandboxClusters';
import { ObjectRef, Reconciler } from './Reconciler';

const ORDERS = component('orders', {
  ...ORDERS_ANNOTATIONS,
  'backups/cluster': 'a',
});

/**
 * A Velero restore into a new namespace brings the component's objects back
 * under their names and labels (a drill's copy too, should the exclusion of
 * managed objects ever miss one). The reconciler must leave such copies alone:
 * they are not the entity's objects to adopt, rewrite or delete.
 */
describe('the reconciler and the namespaces restores and drills make', () => {
  let clusters: SandboxClusters;
  let client: k8s.KubernetesObjectApi;
  let reconciler: Reconciler;
  let dumpCronJob: PlannedObject;

  const namespace = (name: string, labels: Record<string, string> = {}) =>
    client.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels },
    });
  /** The dump CronJob as a restore brings it back into `target`. */
  const copyInto = (target: string) =>
    client.create({
      ...dumpCronJob,
      metadata: { ...dumpCronJob.metadata, namespace: target },
    } as k8s.KubernetesObject);
  const stillThere = (target: string) =>
    client
      .read({
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: dumpCronJob.metadata.name, namespace: target },
      })
      .then(
        () => true,
        () => false,
      );
  const refsIn = (refs: ObjectRef[], target: string) =>
    refs.filter(ref => ref.namespace === target);

  beforeAll(async () => {
    clusters = await startSandboxClusters(['a']);
    client = clusters.clients.a;
    const config = readBackupsConfig(
      new ConfigReader(sandboxBackupsConfigData(clusters.sandboxes)),
    );
    reconciler = new Reconciler({ config });
    const plan = planEntity({ entity: ORDERS, config });
    if (plan.state !== 'planned') throw new Error('not planned');
    dumpCronJob = plan.clusters[0].objects.find(o => o.kind === 'CronJob')!;
    await reconciler.reconcileEntity({ entity: ORDERS });
    await namespace('shop-restore-r1', { 'backups/restore': 'r1' });
    await namespace('shop-drill-d1', { 'backups/drill': 'd1' });
    await namespace('shop-copy');
    for (const target of ['shop-restore-r1', 'shop-drill-d1', 'shop-copy']) {
      await copyInto(target);
    }
  });

  afterAll(() => clusters?.stop());

  it('deletes a stray copy of a managed object in an unlabelled namespace (the rule below is what keeps the others)', async () => {
    const snapshot = await reconciler.snapshot();
    const result = await reconciler.reconcileEntity({
      entity: ORDERS,
      snapshot,
    });
    expect(refsIn(result.clusters[0].deleted, 'shop-copy')).toHaveLength(1);
    expect(await stillThere('shop-copy')).toBe(false);
  });

  it('leaves the copies in restore and drill namespaces alone, in a fleet run and an entity run', async () => {
    const before = clusters.writes();
    const fleet = await reconciler.reconcileEntity({
      entity: ORDERS,
      snapshot: await reconciler.snapshot(),
    });
    const single = await reconciler.reconcileEntity({ entity: ORDERS });
    for (const result of [fleet, single]) {
      expect(result.clusters[0].error).toBeUndefined();
      expect(result.clusters[0]).toMatchObject({
        created: [],
        updated: [],
        deleted: [],
        objectErrors: [],
      });
    }
    expect(clusters.writes()).toEqual(before);
    expect(await stillThere('shop-restore-r1')).toBe(true);
    expect(await stillThere('shop-drill-d1')).toBe(true);
    // Removing the entity removes its own objects, not the copies.
    const removed = await reconciler.deleteEntity({
      entity: { kind: 'Component', namespace: 'default', name: 'orders' },
    });
    expect(removed.clusters[0].deleted.length).toBeGreaterThan(0);
    expect(
      removed.clusters[0].deleted.filter(ref =>
        ['shop-restore-r1', 'shop-drill-d1'].includes(ref.namespace ?? ''),
      ),
    ).toEqual([]);
    expect(await stillThere('shop-restore-r1')).toBe(true);
    expect(await stillThere('shop-drill-d1')).toBe(true);
    await reconciler.reconcileEntity({ entity: ORDERS });
  });

  it('never plants objects into a restore namespace, saying why', async () => {
    const copy = component('orders-copy', {
      ...ORDERS_ANNOTATIONS,
      'backups/cluster': 'a',
      'backstage.io/kubernetes-namespace': 'shop-restore-r1',
      'backups/layers': 'database',
    });
    const result = await reconciler.reconcileEntity({ entity: copy });
    const [cluster] = result.clusters;
    expect(cluster.created).toEqual([]);
    expect(cluster.objectErrors).toEqual([
      expect.objectContaining({
        object: expect.objectContaining({
          kind: 'CronJob',
          namespace: 'shop-restore-r1',
        }),
        message:
          'Namespace shop-restore-r1 is a copy made by a restore or drill (backups/restore=r1): nothing of it is reconciled.',
      }),
    ]);
  });
});
