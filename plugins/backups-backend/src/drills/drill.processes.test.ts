import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import {
  DrillList,
  DrillRecord,
  RestorePointList,
} from '@backups-for-backstage/plugin-backups-common';
import { Knex } from 'knex';
import {
  BackendProcess,
  startBackendProcess,
} from '../__testUtils__/backendProcess';
import {
  sandboxBackupsConfigData,
  SandboxClusters,
  startSandboxClusters,
} from '../__testUtils__/sandboxClusters';
import { testDatabaseIds } from '../__testUtils__/testDatabaseIds';
import { component } from '../testing/fixtures';

jest.setTimeout(240_000);

const MINUTE = 60_000;
const DRILL_LABEL = 'backups/drill';
/** Velero-only components of the example cluster, in cluster `a`. */
const velero = (name: string, extra: Record<string, string> = {}) =>
  component(name, {
    'backstage.io/kubernetes-id': name,
    'backstage.io/kubernetes-namespace': 'shop',
    'backups/policy': 'silver',
    'backups/cluster': 'a',
    'backups/layers': 'velero',
    'backups/drill-schedule': 'off',
    ...extra,
  });

/**
 * Backends in processes of their own on one PostgreSQL, against an
 * in-process sandbox whose clock this test moves: a backend killed in the
 * middle of a drill, and two replicas sharing scheduled drills and the
 * drill slots. Needs PostgreSQL (several processes share the database).
 */
const databaseIds = testDatabaseIds().filter(id => id.startsWith('POSTGRES'));
const describeWithPostgres = databaseIds.length > 0 ? describe : describe.skip;

describeWithPostgres('drills across backend processes', () => {
  const databases = TestDatabases.create({ ids: databaseIds });
  const processes: BackendProcess[] = [];
  let clusters: SandboxClusters;
  let knex: Knex;

  const sandbox = () => clusters.sandboxes.a;
  const advance = (ms: number) => sandbox().clock.advance(ms);

  /** Calls a backend's API as an admin; the answer's JSON and status. */
  async function call<T = any>(
    backend: BackendProcess,
    path: string,
    init: { method?: string; body?: unknown } = {},
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(`${backend.url}/api/backups${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: mockCredentials.user.header('user:default/admin'),
        'content-type': 'application/json',
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  async function start(options: {
    entities: ReturnType<typeof velero>[];
    drills?: Record<string, unknown>;
  }) {
    const backend = await startBackendProcess({
      connection: knex.client.config.connection,
      config: {
        ...sandboxBackupsConfigData(clusters.sandboxes, {
          drills: { maxConcurrent: 1, ...options.drills },
        }),
      },
      entities: options.entities,
    });
    processes.push(backend);
    return backend;
  }

  /** Until `check` passes (90 s at most), moving the sandbox clock on by `stepMs` between tries. */
  async function eventually<T>(check: () => Promise<T>, stepMs = 0) {
    const deadline = Date.now() + 90_000;
    for (;;) {
      try {
        return await check();
      } catch (error) {
        if (Date.now() > deadline) throw error;
        if (stepMs) advance(stepMs);
        await new Promise(resolve => setTimeout(resolve, 250));
      }
    }
  }

  /** Reconciles the entity and makes a good Velero restore point for it. */
  async function protect(backend: BackendProcess, name: string) {
    const entity = `/entities/component/default/${name}`;
    expect(
      (await call(backend, `${entity}/reconcile`, { method: 'POST' })).status,
    ).toBe(200);
    const backup = await call(backend, `${entity}/backups`, {
      method: 'POST',
      body: { layer: 'velero' },
    });
    expect(backup.status).toBe(202);
    await eventually(async () => {
      const { body } = await call<RestorePointList>(
        backend,
        `${entity}/restore-points`,
      );
      expect(body.restorePoints.some(p => p.layer === 'velero' && p.good)).toBe(
        true,
      );
    }, MINUTE);
  }

  const drillsOf = async (backend: BackendProcess, name: string) =>
    (
      await call<DrillList>(
        backend,
        `/entities/component/default/${name}/drills`,
      )
    ).body.drills;

  /** Namespaces labelled backups/drill in the sandbox. */
  const drillNamespaces = async () =>
    (
      await clusters.clients.a.list(
        'v1',
        'Namespace',
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        DRILL_LABEL,
      )
    ).items.map(namespace => namespace.metadata!.name);

  /** What the sandbox was asked to create for each drill: kind counts. */
  const createdByDrill = new Map<string, Record<string, number>>();

  beforeAll(async () => {
    clusters = await startSandboxClusters(['a'], {
      controllers: { backupDurationMs: 30_000, restoreDurationMs: 2 * MINUTE },
    });
    sandbox().store.subscribe(event => {
      const id = event.object.metadata.labels?.[DRILL_LABEL];
      if (event.type !== 'ADDED' || !id) return;
      const counts = createdByDrill.get(id) ?? {};
      counts[event.object.kind] = (counts[event.object.kind] ?? 0) + 1;
      createdByDrill.set(id, counts);
    });
    knex = await databases.init(databaseIds[0]);
  });

  afterEach(async () => {
    await Promise.all(processes.splice(0).map(backend => backend.stop()));
  });

  afterAll(async () => {
    await clusters?.stop();
  });

  it('concludes a drill whose backend was killed in the middle, once, leaving no drill namespace', async () => {
    const entities = [velero('payments')];
    const first = await start({ entities });
    await protect(first, 'payments');

    const started = await call<{ id: string; drill: DrillRecord }>(
      first,
      '/entities/component/default/payments/drills',
      { method: 'POST', body: { reason: 'kill test' } },
    );
    expect(started.status).toBe(202);
    const { id } = started.body;
    // The Restore is in, and takes two minutes of sandbox time: kill now.
    await eventually(async () => {
      const { body } = await call<DrillRecord>(first, `/drills/${id}`);
      expect(body.steps.find(s => s.name === 'velero-restore')?.state).toBe(
        'running',
      );
    });
    await first.kill();
    expect(first.process.signalCode).toBe('SIGKILL');
    const before = JSON.parse(
      (await knex('backups_drills').where({ id }).first()).record,
    ) as DrillRecord;
    expect(before.state).toBe('running');
    expect(await drillNamespaces()).toEqual([before.namespace]);

    // The same backend again: it takes the drill on where the record stands.
    const again = await start({ entities });
    const done = await eventually(async () => {
      const { body } = await call<DrillRecord>(again, `/drills/${id}`);
      expect(body.state).not.toBe('running');
      return body;
    }, MINUTE);

    // Resumed where the record stood, not given up as interrupted.
    expect(done.state).toBe('passed');
    expect(done.cleanedUpAt).toBeDefined();
    // Each step once, and what ran before the kill kept its times.
    expect(done.steps.map(step => step.name)).toEqual(
      before.steps.map(step => step.name),
    );
    for (const step of before.steps.filter(s => s.startedAt)) {
      expect(done.steps.find(s => s.name === step.name)?.startedAt).toBe(
        step.startedAt,
      );
    }
    const refs = done.created.map(
      ref => `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`,
    );
    expect(new Set(refs).size).toBe(refs.length);
    // The cluster was asked once for each object, by both processes together.
    expect(createdByDrill.get(id)).toEqual({ Namespace: 1, Restore: 1 });
    await eventually(async () => expect(await drillNamespaces()).toEqual([]));
  });

  it('runs a scheduled drill exactly once with two replicas, and maxConcurrent holds across both', async () => {
    const entities = [
      velero('payments', { 'backups/drill-schedule': '* * * * *' }),
      velero('orders'),
    ];
    const drills = { scheduleCheck: '1s' };
    const one = await start({ entities, drills });
    const two = await start({ entities, drills });
    await protect(one, 'payments');
    await protect(two, 'orders');

    // maxConcurrent is 1 across both: a drill in one refuses a second in the other.
    const first = await call(one, '/entities/component/default/orders/drills', {
      method: 'POST',
      body: {},
    });
    expect(first.status).toBe(202);
    const second = await call(
      two,
      '/entities/component/default/payments/drills',
      {
        method: 'POST',
        body: {},
      },
    );
    expect(second).toMatchObject({
      status: 409,
      body: {
        error: {
          name: 'ConflictError',
          message: expect.stringContaining('backups.drills.maxConcurrent'),
        },
      },
    });
    await eventually(async () => {
      const [orders] = await drillsOf(two, 'orders');
      expect(orders.state).not.toBe('running');
    }, MINUTE);

    // The schedule fires at the next minute: one drill for that run, whichever replica.
    const scheduled = await eventually(async () => {
      const found = (await drillsOf(one, 'payments')).filter(
        d => d.trigger === 'schedule' && d.state !== 'running',
      );
      expect(found.length).toBeGreaterThan(0);
      return found;
    }, 10_000);
    expect(scheduled[0]).toMatchObject({
      requestedBy: 'schedule',
      scheduledFor: expect.stringMatching(/:00\.000Z$/),
    });
    // Both replicas keep looking every second: still one drill per run.
    await new Promise(resolve => setTimeout(resolve, 5_000));
    const all = (await drillsOf(two, 'payments')).filter(
      d => d.trigger === 'schedule',
    );
    const runs = all.map(d => d.scheduledFor);
    expect(new Set(runs).size).toBe(runs.length);
    const claims = await knex('backups_scheduled_drill_runs').where({
      entity_ref: 'component:default/payments',
    });
    expect(claims.map(c => c.drill_id).sort()).toEqual(
      all.map(d => d.id).sort(),
    );
    // No two drills ever ran at the same time (a drill's start is read
    // just before it takes its slot, hence the second of slack).
    const intervals = [
      ...(await drillsOf(one, 'orders')),
      ...(await drillsOf(one, 'payments')),
    ]
      .map(d => [
        new Date(d.requestedAt).getTime(),
        new Date(d.finishedAt ?? Date.now()).getTime(),
      ])
      .sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < intervals.length; i++) {
      expect(intervals[i][0]).toBeGreaterThanOrEqual(
        intervals[i - 1][1] - 1000,
      );
    }
  });
});
