import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { eventually as poll } from '@backups-for-backstage/kube-sandbox';
import {
  RestoreRecord,
  RestoreRequest,
} from '@backups-for-backstage/plugin-backups-common';
import { component } from '../testing/fixtures';
import { ORDERS_ANNOTATIONS } from '../__testUtils__/sandboxClusters';
import { StatusWorld, startStatusWorld } from '../__testUtils__/statusWorld';
import { testDatabaseIds } from '../__testUtils__/testDatabaseIds';
import { openApiSchema } from '../__testUtils__/openApiSchemas';

jest.setTimeout(120_000);

const MINUTE = 60_000;
const ORDERS_REF = { kind: 'component', namespace: 'default', name: 'orders' };
const ORDERS = component('orders', {
  ...ORDERS_ANNOTATIONS,
  'backups/cluster': 'a',
  'backups/layers': 'velero,database',
});
const DATABASE_IDS = testDatabaseIds();

const eventually = <T>(check: () => Promise<T>) => poll(check, 30_000);

describe.each(DATABASE_IDS)(
  'restores against a sandbox cluster, recorded in %s',
  databaseId => {
    const databases = TestDatabases.create({ ids: DATABASE_IDS });
    const credentials = mockCredentials.user('user:default/dana');
    let world: StatusWorld;
    let backupName: string;

    const restore = (
      request: Omit<RestoreRequest, 'restorePoint'> & {
        restorePoint?: string;
      },
    ) =>
      world.restores.createRestore({
        entityRef: ORDERS_REF,
        credentials,
        request: { restorePoint: backupName, ...request },
      });
    const ended = (id: string) =>
      eventually(async () => {
        const record = await world.restores.getRestore({ id });
        expect(record.state).not.toBe('running');
        return record;
      });
    /** The object of `kind` a restore created, as the sandbox holds it. */
    const createdObject = (record: RestoreRecord, kind: string) => {
      const ref = record.created.find(object => object.kind === kind)!;
      return world.clusters.clients.a.read({
        apiVersion: ref.apiVersion,
        kind: ref.kind,
        metadata: { name: ref.name, namespace: ref.namespace },
      }) as Promise<any>;
    };
    const veleroRestore = (record: RestoreRecord) =>
      createdObject(record, 'Restore');

    beforeAll(async () => {
      world = await startStatusWorld({
        entities: [ORDERS],
        databases,
        databaseId,
      });
      await world.reconcile();
      // The hourly Schedule has run once and its Backup completed.
      world.advance(65 * MINUTE);
      backupName = await eventually(async () => {
        const { restorePoints } = await world.status.getRestorePoints({
          entityRef: ORDERS_REF,
          credentials,
          layer: 'velero',
        });
        const good = restorePoints.find(point => point.good);
        if (!good) throw new Error('No good Velero restore point yet');
        return good.id;
      });
    });

    afterAll(() => world?.stop());

    it('restores a Velero backup into a new namespace without our own objects, one at a time', async () => {
      const started = await restore({
        layer: 'velero',
        target: { mode: 'namespace' },
        reason: 'look at yesterday',
      });
      expect(started).toMatchObject({
        entityRef: 'component:default/orders',
        layer: 'velero',
        cluster: 'a',
        state: 'running',
        requestedBy: 'user:default/dana',
        reason: 'look at yesterday',
        restorePoint: { id: backupName },
        target: { mode: 'namespace', namespace: `shop-restore-${started.id}` },
      });
      expect(started.steps.map(step => [step.name, step.state])).toEqual([
        ['namespace', 'succeeded'],
        ['velero-restore', 'running'],
      ]);

      const namespace = await world.clusters.clients.a.read({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: started.target.namespace },
      });
      expect(namespace.metadata?.labels).toMatchObject({
        'backups/restore': started.id,
        'app.kubernetes.io/managed-by': 'backstage-backups',
      });
      const object = await veleroRestore(started);
      expect(object.metadata.labels).toMatchObject({
        'backups/restore': started.id,
        'app.kubernetes.io/managed-by': 'backstage-backups',
        'backups/entity-name': 'orders',
      });
      expect(object.spec).toMatchObject({
        backupName,
        includedNamespaces: ['shop'],
        namespaceMapping: { shop: started.target.namespace },
        restorePVs: true,
        existingResourcePolicy: 'none',
        labelSelector: {
          matchExpressions: [
            {
              key: 'app.kubernetes.io/managed-by',
              operator: 'NotIn',
              values: ['backstage-backups'],
            },
          ],
        },
      });

      // One restore or drill per entity at a time, held in the database.
      await expect(
        restore({ layer: 'velero', target: { mode: 'namespace' } }),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining(
          `A restore (${started.id}) is running`,
        ),
      });

      world.advance(2 * MINUTE);
      const done = await ended(started.id);
      expect(done).toMatchObject({
        state: 'completed',
        outcome: `Restored into the new namespace ${started.target.namespace} of cluster a; the component's backup CronJobs were left out.`,
      });
      expect(done.steps.every(step => step.state === 'succeeded')).toBe(true);
      expect(done.steps[1].message).toMatch(
        /^Velero restored \d+ of \d+ items/,
      );
      const pods = world.clusters.sandboxes.a.store.objects(
        world.clusters.sandboxes.a.registry.findKind('v1', 'Pod')!,
        { namespace: started.target.namespace },
      );
      expect(pods.length).toBeGreaterThan(0);

      const { restores } = await world.restores.listRestores({
        entityRef: ORDERS_REF,
        credentials,
      });
      expect(restores.map(r => r.id)).toEqual([started.id]);
      // As the OpenAPI spec publishes them.
      const recordSchema = openApiSchema('RestoreRecord');
      for (const answer of [started, done]) {
        expect(recordSchema(answer) || recordSchema.errors).toBe(true);
      }
      const listSchema = openApiSchema('RestoreList');
      expect(
        listSchema({ entityRef: 'component:default/orders', restores }) ||
          listSchema.errors,
      ).toBe(true);
    });

    it('restores in place, overwriting nothing unless asked', async () => {
      const started = await restore({
        layer: 'velero',
        target: { mode: 'in-place' },
        confirm: 'orders',
      });
      expect(started.target).toEqual({
        mode: 'in-place',
        namespace: 'shop',
        existingResourcePolicy: 'none',
      });
      expect(started.created.map(ref => ref.kind)).toEqual(['Restore']);
      const object = await veleroRestore(started);
      expect(object.spec.namespaceMapping).toBeUndefined();
      expect(object.spec.labelSelector).toBeUndefined();
      expect(object.spec.existingResourcePolicy).toBe('none');
      world.advance(2 * MINUTE);
      expect(await ended(started.id)).toMatchObject({
        state: 'completed',
        outcome: expect.stringContaining(
          'existing ones were left as they were',
        ),
      });
    });

    it('ends as failed, saying why, when Velero refuses the restore', async () => {
      const sandbox = world.clusters.sandboxes.a;
      sandbox.controllers.setBackupStorageLocationAvailable(
        'velero',
        'default',
        false,
      );
      try {
        const started = await restore({
          layer: 'velero',
          target: { mode: 'namespace' },
        });
        const failed = await ended(started.id);
        expect(failed.state).toBe('failed');
        expect(failed.outcome).toMatch(/^Velero refused the restore: .+\.$/);
        expect(failed.steps[1]).toMatchObject({
          name: 'velero-restore',
          state: 'failed',
        });
        const { restores } = await world.restores.listRestores({
          entityRef: ORDERS_REF,
          credentials,
        });
        expect(restores[0]).toMatchObject({ id: started.id, state: 'failed' });
        // The entity's owners are told, once; of the completed ones nobody was.
        const sent = await eventually(async () => {
          expect(world.notifications.sent).toHaveLength(1);
          return world.notifications.sent;
        });
        expect(sent).toEqual([
          {
            recipients: {
              type: 'entity',
              entityRef: 'component:default/orders',
            },
            payload: {
              title: 'Restore of component:default/orders (velero) failed',
              description: `${failed.outcome} Restore ${started.id} of ${backupName} in cluster a, to a new place (${started.target.namespace}), asked for by user:default/dana at ${started.requestedAt}.`,
              link: '/catalog/default/component/orders/backups',
              severity: 'high',
              topic: 'backups',
              scope: 'backups:restore-failed:component:default/orders',
            },
          },
        ]);
      } finally {
        sandbox.controllers.setBackupStorageLocationAvailable(
          'velero',
          'default',
          true,
        );
      }
    });

    const dumpPoints = async () =>
      (
        await world.status.getRestorePoints({
          entityRef: ORDERS_REF,
          credentials,
          layer: 'database',
        })
      ).restorePoints;
    const restoreJob = (record: RestoreRecord) => createdObject(record, 'Job');
    const envOf = (job: any) =>
      Object.fromEntries(
        job.spec.template.spec.containers[0].env.map((e: any) => [
          e.name,
          e.value ?? e.valueFrom,
        ]),
      );

    it('loads a dump into a new database on the same server, its recorded sha256 checked, and no dump is counted for it', async () => {
      const [dump] = (await dumpPoints()).filter(point => point.good);
      const before = (await dumpPoints()).length;
      const started = await restore({
        layer: 'database',
        restorePoint: dump.id,
        target: { mode: 'namespace' },
      });
      expect(started).toMatchObject({
        layer: 'database',
        target: {
          mode: 'namespace',
          namespace: 'shop',
          database: `orders_restore_${started.id}`,
        },
        steps: [{ name: 'restore-job', state: 'running' }],
      });
      const job = await restoreJob(started);
      expect(job.metadata.labels).toMatchObject({
        'backups/restore': started.id,
        'backups/layer': 'database',
        'app.kubernetes.io/managed-by': 'backstage-backups',
      });
      expect(job.spec.backoffLimit).toBe(0);
      const env = envOf(job);
      expect(env).toMatchObject({
        RESTORE_FILE: dump.file,
        EXPECTED_SHA256: dump.sha256,
        TARGET_DB_NAME: `orders_restore_${started.id}`,
        DB_HOST: 'orders-db',
        DB_NAMES: 'orders',
      });
      // Credentials only by reference.
      expect(env.DB_PASSWORD).toEqual({
        secretKeyRef: expect.objectContaining({
          name: 'orders-db-credentials',
        }),
      });

      world.advance(MINUTE);
      const done = await ended(started.id);
      expect(done).toMatchObject({
        state: 'completed',
        outcome: `Loaded the dump ${dump.id} into the new database orders_restore_${started.id} on the component's server, after checking its sha256; the component's own database was not touched.`,
      });
      expect(await dumpPoints()).toHaveLength(before);
    });

    it('loads a dump in place, and fails naming the step and why when the sha256 is wrong', async () => {
      const [dump] = (await dumpPoints()).filter(point => point.good);
      const inPlace = await restore({
        layer: 'database',
        restorePoint: dump.id,
        target: { mode: 'in-place' },
        confirm: 'orders',
      });
      expect(inPlace.target).toEqual({
        mode: 'in-place',
        namespace: 'shop',
        database: 'orders',
      });
      expect(envOf(await restoreJob(inPlace)).TARGET_DB_NAME).toBeUndefined();
      world.advance(MINUTE);
      expect((await ended(inPlace.id)).state).toBe('completed');

      world.setRestores('bad-sha256');
      try {
        const bad = await restore({
          layer: 'database',
          restorePoint: dump.id,
          target: { mode: 'namespace' },
        });
        world.advance(MINUTE);
        const failed = await ended(bad.id);
        expect(failed.state).toBe('failed');
        expect(failed.steps[0]).toMatchObject({
          name: 'restore-job',
          state: 'failed',
          message: expect.stringMatching(
            /^The restore Job .+ failed: sha256 mismatch: the dump is not the one recorded\.$/,
          ),
        });
      } finally {
        world.setRestores('good');
      }
    });

    it('refuses a namespace for a database restore', async () => {
      const [dump] = (await dumpPoints()).filter(point => point.good);
      await expect(
        restore({
          layer: 'database',
          restorePoint: dump.id,
          target: { mode: 'namespace', namespace: 'shop-copy' },
        }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(
          /^target\.namespace: a database restore/,
        ),
      });
    });

    it.each([
      [
        'an unknown restore point',
        { restorePoint: 'orders-velero-19990101000000' },
        /^restorePoint: component:default\/orders has no velero restore point orders-velero-19990101000000 in cluster a/,
      ],
      [
        'in place without the typed confirmation',
        { target: { mode: 'in-place' as const }, confirm: 'order' },
        'confirm: a restore in place needs confirm set to the component\'s name, "orders"',
      ],
      [
        'a namespace that is not a DNS label',
        { target: { mode: 'namespace' as const, namespace: 'Shop_Copy' } },
        /^target\.namespace: "Shop_Copy" is not a DNS label/,
      ],
      [
        'a system namespace',
        { target: { mode: 'namespace' as const, namespace: 'kube-system' } },
        /^target\.namespace: kube-system is a system namespace/,
      ],
      [
        "the component's own namespace",
        { target: { mode: 'namespace' as const, namespace: 'shop' } },
        /^target\.namespace: shop is the component's own namespace/,
      ],
      [
        'a database restore into a namespace',
        {
          layer: 'database' as const,
          restorePoint: 'x',
          target: { mode: 'namespace' as const, namespace: 'shop-copy' },
        },
        /^restorePoint: component:default\/orders has no database restore point x/,
      ],
    ])('refuses %s, creating nothing', async (_what, change, message) => {
      const before = world.clusters.writes();
      await expect(
        restore({
          layer: 'velero',
          target: { mode: 'namespace' },
          ...change,
        }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(message),
      });
      expect(world.clusters.writes()).toEqual(before);
    });

    it('refuses a namespace that already exists', async () => {
      const { restores } = await world.restores.listRestores({
        entityRef: ORDERS_REF,
        credentials,
      });
      const taken = restores[restores.length - 1].target.namespace;
      await expect(
        restore({
          layer: 'velero',
          target: { mode: 'namespace', namespace: taken },
        }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(
          new RegExp(
            `^target\\.namespace: ${taken} already exists in cluster a and holds \\d+ pod`,
          ),
        ),
      });
    });
  },
);
