import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DrillRecord } from '@backups-for-backstage/plugin-backups-common';
import { readBackupsConfig } from '../config/readBackupsConfig';
import { DrillScheduleStore } from '../database/DrillScheduleStore';
import { component, testBackupsConfig } from '../testing/fixtures';
import { testDatabaseIds } from '../__testUtils__/testDatabaseIds';
import { DrillScheduler } from './DrillScheduler';
import { DrillService } from './DrillService';

jest.setTimeout(60_000);

const config = readBackupsConfig(new ConfigReader(testBackupsConfig));
const optedIn = (name: string, schedule?: string) =>
  component(name, {
    'backstage.io/kubernetes-id': name,
    'backstage.io/kubernetes-namespace': 'shop',
    'backups/policy': 'gold',
    'backups/layers': 'velero',
    ...(schedule ? { 'backups/drill-schedule': schedule } : {}),
  });

/** A drill service that records the drills asked for, and fails as told. */
class RecordingDrills implements DrillService {
  readonly started: Array<{ entityRef: string; scheduledFor?: string }> = [];
  readonly failures = new Map<string, Error>();

  async startDrill(options: Parameters<DrillService['startDrill']>[0]) {
    const entityRef = stringifyEntityRef(options.entityRef);
    const failure = this.failures.get(entityRef);
    if (failure) throw failure;
    this.started.push({
      entityRef,
      scheduledFor: options.scheduledFor?.toISOString(),
    });
    return { id: `d${this.started.length}` } as DrillRecord;
  }

  async getDrill(): Promise<DrillRecord> {
    throw new Error('not used');
  }

  async listDrills(): Promise<never> {
    throw new Error('not used');
  }
}

describe.each(testDatabaseIds())('DrillScheduler on %s', databaseId => {
  const databases = TestDatabases.create({ ids: testDatabaseIds() });
  let time: Date;
  let drills: RecordingDrills;
  let store: DrillScheduleStore;

  const at = (iso: string) => {
    time = new Date(iso);
  };
  const schedulerFor = (entities = [optedIn('orders', '0 3 * * *')]) =>
    new DrillScheduler({
      catalog: catalogServiceMock({ entities }),
      config,
      drills,
      store,
      logger: mockServices.logger.mock(),
      serviceCredentials: async () => mockCredentials.service(),
      now: () => time,
    });

  beforeEach(async () => {
    const knex = await databases.init(databaseId);
    store = await DrillScheduleStore.create({
      database: { getClient: async () => knex },
    });
    drills = new RecordingDrills();
  });

  it('owes no run from before the schedule was first seen, then starts each run once', async () => {
    const scheduler = schedulerFor();
    at('2026-12-03T10:00:00Z');
    expect(await scheduler.startDueDrills()).toEqual([]);
    at('2026-12-04T02:59:00Z');
    expect(await scheduler.startDueDrills()).toEqual([]);

    at('2026-12-04T03:00:30Z');
    expect(await scheduler.startDueDrills()).toEqual([
      {
        entityRef: 'component:default/orders',
        scheduledFor: '2026-12-04T03:00:00.000Z',
        started: 'd1',
      },
    ]);
    at('2026-12-04T09:00:00Z');
    expect(await scheduler.startDueDrills()).toEqual([]);
    expect(drills.started).toEqual([
      {
        entityRef: 'component:default/orders',
        scheduledFor: '2026-12-04T03:00:00.000Z',
      },
    ]);
    expect(await store.runs('component:default/orders')).toEqual([
      expect.objectContaining({
        scheduledFor: '2026-12-04T03:00:00.000Z',
        drillId: 'd1',
      }),
    ]);
  });

  it('starts a run once when several replicas look at the same time', async () => {
    const replicas = [schedulerFor(), schedulerFor(), schedulerFor()];
    at('2026-12-03T10:00:00Z');
    await replicas[0].startDueDrills();
    at('2026-12-04T03:01:00Z');
    await Promise.all(replicas.map(replica => replica.startDueDrills()));
    expect(drills.started).toHaveLength(1);
  });

  it('tries a busy run again at the next look, and does not retry a refused one', async () => {
    const scheduler = schedulerFor([
      optedIn('orders', '0 3 * * *'),
      optedIn('payments', '0 3 * * *'),
      optedIn('search', '0 3 * * *'),
    ]);
    at('2026-12-03T10:00:00Z');
    await scheduler.startDueDrills();
    drills.failures.set(
      'component:default/orders',
      new ConflictError(
        '2 drill(s) are running, the most backups.drills.maxConcurrent allows; try again when one ends',
      ),
    );
    drills.failures.set(
      'component:default/payments',
      new InputError(
        'component:default/payments has no good velero restore point in cluster prod-eu',
      ),
    );
    drills.failures.set(
      'component:default/search',
      new ServiceUnavailableError('Cluster prod-eu is unreachable'),
    );
    at('2026-12-04T03:00:10Z');
    const first = await scheduler.startDueDrills();
    expect(first).toEqual([
      expect.objectContaining({
        entityRef: 'component:default/orders',
        deferred: expect.stringContaining('maxConcurrent'),
      }),
      expect.objectContaining({
        entityRef: 'component:default/payments',
        refused: expect.stringContaining('no good velero restore point'),
      }),
      expect.objectContaining({
        entityRef: 'component:default/search',
        deferred: 'Cluster prod-eu is unreachable',
      }),
    ]);
    // payments' refusal is kept, so that the run is not tried again.
    expect(await store.runs('component:default/payments')).toEqual([
      expect.objectContaining({
        outcome: expect.stringContaining('no good velero restore point'),
      }),
    ]);

    drills.failures.clear();
    at('2026-12-04T03:05:00Z');
    expect(await scheduler.startDueDrills()).toEqual([
      expect.objectContaining({
        entityRef: 'component:default/orders',
        started: 'd1',
      }),
      expect.objectContaining({
        entityRef: 'component:default/search',
        started: 'd2',
      }),
    ]);
  });

  it('keeps scheduling the others when one entity cannot be looked at', async () => {
    const scheduler = schedulerFor([
      optedIn('orders', '0 3 * * *'),
      optedIn('payments', '0 3 * * *'),
    ]);
    at('2026-12-03T10:00:00Z');
    await scheduler.startDueDrills();
    jest
      .spyOn(store, 'claim')
      .mockRejectedValueOnce(new Error('connection reset'));
    at('2026-12-04T03:00:10Z');
    expect(await scheduler.startDueDrills()).toEqual([
      expect.objectContaining({
        entityRef: 'component:default/payments',
        started: 'd1',
      }),
    ]);
  });

  it('starts afresh when the schedule changes, and forgets one turned off', async () => {
    at('2026-12-03T10:00:00Z');
    await schedulerFor([optedIn('orders', '0 3 * * *')]).startDueDrills();
    // Changed at 02:00: the 03:00 run of the new schedule is owed, 01:00 of the old one never was.
    at('2026-12-04T02:00:00Z');
    await schedulerFor([optedIn('orders', '30 3 * * *')]).startDueDrills();
    at('2026-12-04T03:31:00Z');
    expect(
      await schedulerFor([optedIn('orders', '30 3 * * *')]).startDueDrills(),
    ).toEqual([
      expect.objectContaining({ scheduledFor: '2026-12-04T03:30:00.000Z' }),
    ]);

    await schedulerFor([optedIn('orders', 'off')]).startDueDrills();
    expect((await store.schedules()).has('component:default/orders')).toBe(
      false,
    );
    await schedulerFor([optedIn('orders')]).startDueDrills();
    // The policy's weekly drill (gold: 0 3 * * 0) is known from now on.
    expect(await store.schedules()).toEqual(
      new Map([
        [
          'component:default/orders',
          { schedule: '0 3 * * 0', since: new Date('2026-12-04T03:31:00Z') },
        ],
      ]),
    );
  });
});
