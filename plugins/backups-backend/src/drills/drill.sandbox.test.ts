import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { eventually as poll } from '@backups-for-backstage/kube-sandbox';
import { DrillRecord } from '@backups-for-backstage/plugin-backups-common';
import { component } from '../testing/fixtures';
import { ORDERS_ANNOTATIONS } from '../__testUtils__/sandboxClusters';
import { StatusWorld, startStatusWorld } from '../__testUtils__/statusWorld';
import { testDatabaseIds } from '../__testUtils__/testDatabaseIds';
import { openApiSchema } from '../__testUtils__/openApiSchemas';

jest.setTimeout(120_000);

const MINUTE = 60_000;
const ORDERS_REF = { kind: 'component', namespace: 'default', name: 'orders' };
const VERIFY = 'SELECT 1 FROM orders LIMIT 1';
const ORDERS = component('orders', {
  ...ORDERS_ANNOTATIONS,
  'backups/cluster': 'a',
  'backups/drill-verify': VERIFY,
});
const DATABASE_IDS = testDatabaseIds();

const eventually = <T>(check: () => Promise<T>) => poll(check, 30_000);

describe.each(DATABASE_IDS)(
  'drills against a sandbox cluster, recorded in %s',
  databaseId => {
    const databases = TestDatabases.create({ ids: DATABASE_IDS });
    const credentials = mockCredentials.user('user:default/guest');
    let world: StatusWorld;

    const drill = () =>
      world.drills.startDrill({
        entityRef: ORDERS_REF,
        credentials,
        reason: 'monthly',
      });
    const get = (id: string) => world.drills.getDrill({ id });
    const stepStates = (record: DrillRecord) =>
      record.steps.map(step => [step.name, step.state]);
    /** Advances simulated time a minute at a time until the drill ends. */
    const ended = (id: string, minutes = 5) =>
      eventually(async () => {
        const record = await get(id);
        if (record.state === 'running') {
          world.advance(minutes * MINUTE);
          throw new Error(
            `drill ${id} still running: ${JSON.stringify(stepStates(record))}`,
          );
        }
        return record;
      });
    /** The verdicts counted so far; each is counted after the owners were told. */
    const counted = () => world.drillOutcomes.map(o => o?.outcome);
    /** Nothing the drill created is left in the sandbox. */
    const expectNothingLeft = async (record: DrillRecord) => {
      await eventually(async () => {
        for (const ref of record.created) {
          expect(
            world.stored(ref.apiVersion, ref.kind, ref.namespace, ref.name),
          ).toBeUndefined();
        }
      });
      expect(record.created.map(ref => ref.kind)).toContain('Namespace');
    };

    beforeAll(async () => {
      world = await startStatusWorld({
        entities: [ORDERS],
        databases,
        databaseId,
        configOverrides: {
          restores: { bindTimeout: { minutes: 4 } },
          drills: { timeout: { minutes: 20 } },
        },
      });
      await world.reconcile();
      world.advance(65 * MINUTE);
      await world.onDemand.createBackup({
        entityRef: ORDERS_REF,
        credentials,
        layer: 'volume-snapshot',
      });
      world.advance(MINUTE);
      await eventually(async () => {
        const { restorePoints } = await world.status.getRestorePoints({
          entityRef: ORDERS_REF,
          credentials,
        });
        for (const layer of ['velero', 'database', 'volume-snapshot']) {
          if (!restorePoints.some(p => p.layer === layer && p.good)) {
            throw new Error(`No good ${layer} restore point yet`);
          }
        }
      });
    });

    afterAll(() => world?.stop());

    it('restores every layer into a labelled scratch namespace, measures RTO and RPO on the sandbox clock, passes, and leaves nothing behind', async () => {
      const started = await drill();
      expect(started).toMatchObject({
        entityRef: 'component:default/orders',
        cluster: 'a',
        namespace: `drill-orders-${started.id}`,
        requestedBy: 'user:default/guest',
        trigger: 'manual',
        reason: 'monthly',
        state: 'running',
        targets: { rtoMs: 30 * MINUTE, rpoMs: 60 * MINUTE },
      });
      expect(stepStates(started)).toEqual([
        ['namespace', 'succeeded'],
        ['velero-restore', 'running'],
        ['workloads-ready', 'pending'],
        ['database', 'pending'],
        ['volume-claim', 'pending'],
        ['cleanup', 'pending'],
      ]);
      const namespace = world.stored(
        'v1',
        'Namespace',
        undefined,
        started.namespace,
      );
      expect(namespace.metadata.labels).toMatchObject({
        'backups/drill': started.id,
        'app.kubernetes.io/managed-by': 'backstage-backups',
      });
      const restoreRef = started.created.find(ref => ref.kind === 'Restore')!;
      const restore = world.stored(
        'velero.io/v1',
        'Restore',
        restoreRef.namespace,
        restoreRef.name,
      );
      expect(restore.metadata.labels['backups/drill']).toBe(started.id);
      expect(restore.spec).toMatchObject({
        namespaceMapping: { shop: started.namespace },
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
      // One restore or drill per entity at a time.
      await expect(drill()).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining(`A drill (${started.id}) is running`),
      });

      // The database step's Job, as the sandbox holds it while it runs.
      const job = await eventually(async () => {
        const record = await get(started.id);
        const ref = record.created.find(r => r.kind === 'Job');
        if (!ref) {
          world.advance(MINUTE);
          throw new Error('no database Job yet');
        }
        return world.stored('batch/v1', 'Job', ref.namespace, ref.name);
      });
      const point = (await get(started.id)).achieved.layers.find(
        l => l.layer === 'database',
      )!.restorePoint;
      expect(job.metadata.labels['backups/drill']).toBe(started.id);
      const env = Object.fromEntries(
        job.spec.template.spec.containers[0].env.map((e: any) => [
          e.name,
          e.value ?? e.valueFrom,
        ]),
      );
      expect(env).toMatchObject({
        RESTORE_FILE: point.file,
        EXPECTED_SHA256: point.sha256,
        TARGET_DB_NAME: `orders_drill_${started.id}`,
        DRILL: '1',
        VERIFY_QUERY: VERIFY,
        DB_PASSWORD: {
          secretKeyRef: { name: 'orders-db-credentials', key: 'password' },
        },
      });

      const done = await ended(started.id, 1);
      expect(done.state).toBe('passed');
      expect(stepStates(done).every(([, state]) => state === 'succeeded')).toBe(
        true,
      );
      expect(
        done.steps.find(s => s.name === 'workloads-ready')?.message,
      ).toMatch(/^(\d+) of \1 workload\(s\) Ready\.$/);
      // The dump went into a scratch database, checked read-only, dropped.
      const scratch = `orders_drill_${started.id}`;
      expect(done.steps.find(s => s.name === 'database')).toMatchObject({
        title: `Load the newest good dump into the scratch database ${scratch}, run backups/drill-verify read-only, drop it`,
        message: expect.stringMatching(
          new RegExp(
            `^Loaded the dump .+ into the scratch database ${scratch} after checking its sha256; backups/drill-verify found 1 row\\(s\\) read-only; ${scratch} was dropped\\.$`,
          ),
        ),
      });
      const jobRef = done.created.find(ref => ref.kind === 'Job')!;
      expect(jobRef.namespace).toBe('shop');
      // The RTO ends when the last layer is back, measured on the sandbox clock.
      const verifiedAt = done.steps.find(s => s.name === 'volume-claim')!
        .finishedAt!;
      expect(done.achieved.rtoMs).toBe(
        new Date(verifiedAt).getTime() - new Date(done.requestedAt).getTime(),
      );
      expect(done.achieved.rtoMs).toBeGreaterThanOrEqual(MINUTE);
      expect(done.achieved.layers.map(l => l.layer)).toEqual([
        'velero',
        'database',
        'volume-snapshot',
      ]);
      expect(done.achieved.rpoMs).toBe(
        Math.min(...done.achieved.layers.map(l => l.ageMs)),
      );
      expect(done.outcome).toMatch(/^Restored and verified in /);
      expect(done.cleanedUpAt).toBeDefined();
      // Counted once, and nobody is told of a drill that passed.
      await eventually(async () => expect(counted()).toEqual(['passed']));
      expect(world.drillOutcomes).toEqual([
        { entity: 'component:default/orders', outcome: 'passed' },
      ]);
      expect(world.notifications.sent).toEqual([]);
      expect(done.created.map(ref => ref.kind)).toEqual([
        'Namespace',
        'Restore',
        'Job',
        'VolumeSnapshotContent',
        'VolumeSnapshot',
        'PersistentVolumeClaim',
      ]);
      await expectNothingLeft(done);
      const { drills } = await world.drills.listDrills({
        entityRef: ORDERS_REF,
        credentials,
      });
      expect(drills.map(d => d.id)).toEqual([started.id]);
      // As the OpenAPI spec publishes them.
      const schema = openApiSchema('DrillRecord');
      for (const answer of [started, done]) {
        expect(schema(answer) || schema.errors).toBe(true);
      }
    });

    it('fails naming the Velero step when the restore fails, and still cleans up', async () => {
      const sandbox = world.clusters.sandboxes.a;
      sandbox.controllers.setBackupStorageLocationAvailable(
        'velero',
        'default',
        false,
      );
      try {
        const started = await drill();
        const done = await ended(started.id, 1);
        expect(done).toMatchObject({
          state: 'failed',
          failedStep: 'velero-restore',
          outcome: expect.stringMatching(
            /^Failed at velero-restore: Velero refused the restore: .+\.$/,
          ),
        });
        expect(done.achieved.rtoMs).toBeUndefined();
        expect(done.steps.find(s => s.name === 'volume-claim')?.message).toBe(
          'Not run: the drill failed at velero-restore.',
        );
        await expectNothingLeft(done);
        // The entity's owners are told once, with a link to its Backups tab.
        await eventually(async () =>
          expect(counted()).toEqual(['passed', 'failed']),
        );
        expect(world.notifications.sent).toEqual([
          {
            recipients: {
              type: 'entity',
              entityRef: 'component:default/orders',
            },
            payload: {
              title:
                'Disaster-recovery drill of component:default/orders failed at velero-restore',
              description: expect.stringContaining(
                `${done.outcome} The step: Velero restores the newest good backup into ${done.namespace}`,
              ),
              link: '/catalog/default/component/orders/backups',
              severity: 'high',
              topic: 'backups',
              scope: 'backups:drill-failed:component:default/orders',
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

    it('fails naming the claim when the PVC never binds, and still cleans up', async () => {
      const sandbox = world.clusters.sandboxes.a;
      sandbox.controllers.setVolumeProvisioningAvailable(false);
      try {
        const started = await drill();
        const done = await ended(started.id, 1);
        expect(done).toMatchObject({
          state: 'failed',
          failedStep: 'volume-claim',
          outcome: expect.stringMatching(
            /^Failed at volume-claim: the PVC orders-data-restore-[0-9a-f]{8} did not bind within 4 min \(still Pending\)\.$/,
          ),
        });
        await expectNothingLeft(done);
        // A second failed drill the same day tells nobody again.
        await eventually(async () =>
          expect(counted()).toEqual(['passed', 'failed', 'failed']),
        );
        expect(world.notifications.sent).toHaveLength(1);
      } finally {
        sandbox.controllers.setVolumeProvisioningAvailable(true);
      }
    });

    it.each([
      [
        'bad-sha256',
        /^Failed at database: the drill's restore Job .+ failed: sha256 mismatch: the dump is not the one recorded\.$/,
      ],
      [
        'verify-empty',
        /^Failed at database: the drill's restore Job .+ failed: backups\/drill-verify found nothing in the restored database\.$/,
      ],
    ] as const)(
      'fails naming the database step when the restore Job reports %s, and still cleans up',
      async (behaviour, outcome) => {
        world.setRestores(behaviour);
        try {
          const started = await drill();
          const done = await ended(started.id, 1);
          expect(done).toMatchObject({
            state: 'failed',
            failedStep: 'database',
            outcome: expect.stringMatching(outcome),
          });
          expect(done.steps.find(s => s.name === 'volume-claim')?.message).toBe(
            'Not run: the drill failed at database.',
          );
          await expectNothingLeft(done);
        } finally {
          world.setRestores('good');
        }
      },
    );

    it('fails at workloads-ready when the pods that came back never become Ready, and still cleans up', async () => {
      const sandbox = world.clusters.sandboxes.a;
      sandbox.controllers.setPodReadiness(
        pod => !pod.metadata.namespace!.startsWith('drill-'),
      );
      try {
        const started = await drill();
        const done = await ended(started.id, 5);
        expect(done).toMatchObject({
          state: 'failed',
          failedStep: 'workloads-ready',
          outcome: expect.stringMatching(
            /^Failed at workloads-ready: the drill timed out after 20 min \(0 of \d+ workload\(s\) Ready\)\.$/,
          ),
        });
        await expectNothingLeft(done);
      } finally {
        sandbox.controllers.setPodReadiness(() => true);
      }
    });

    it('deletes what drills that are over or unknown left behind, and nothing of a running drill or unmanaged', async () => {
      const sandbox = world.clusters.sandboxes.a;
      const namespaces = sandbox.registry.findKind('v1', 'Namespace')!;
      const managed = { 'app.kubernetes.io/managed-by': 'backstage-backups' };
      const namespace = (name: string, labels: Record<string, string>) =>
        sandbox.store.create(namespaces, undefined, {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name, labels },
        });
      namespace('drill-orders-0ddba11', {
        ...managed,
        'backups/drill': '0ddba11',
      });
      namespace('drill-by-hand', { 'backups/drill': '0ddba11' });
      const running = await drill();
      const finished = (
        await world.drills.listDrills({
          entityRef: ORDERS_REF,
          credentials,
        })
      ).drills.find(d => d.state !== 'running')!;
      namespace(`drill-orders-${finished.id}-again`, {
        ...managed,
        'backups/drill': finished.id,
      });

      const deleted = await world.drills.sweepLeftovers('a');

      expect(deleted.map(ref => `${ref.kind} ${ref.name}`).sort()).toEqual([
        'Namespace drill-orders-0ddba11',
        `Namespace drill-orders-${finished.id}-again`,
      ]);
      const stored = (name: string) =>
        world.stored('v1', 'Namespace', undefined, name);
      await eventually(async () => {
        expect(stored('drill-orders-0ddba11')).toBeUndefined();
      });
      expect(stored('drill-by-hand')).toBeDefined();
      expect(stored(running.namespace)).toBeDefined();
      await ended(running.id, 1);
    });

    it('fails as timed out when it runs past backups.drills.timeout, and still cleans up', async () => {
      const started = await drill();
      world.advance(21 * MINUTE);
      const done = await ended(started.id, 1);
      expect(done).toMatchObject({
        state: 'failed',
        outcome: expect.stringContaining('the drill timed out after 20 min'),
      });
      await expectNothingLeft(done);
    });
  },
);
