import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { backupsPlugin } from './plugin';
import { component, testBackupsConfig } from './testing/fixtures';

const entities = [
  component('orders', {
    'backstage.io/kubernetes-id': 'orders',
    'backups/policy': 'gold',
    'backups/database': 'postgres',
    'backups/database-host': 'orders-db:5432',
    'backups/database-secret': 'orders-db-credentials',
  }),
  component('broken', {
    'backstage.io/kubernetes-id': 'broken',
    'backups/policy': 'gold',
    'backups/rpo': 'soon',
  }),
  component('storefront'),
];

describe('backups backend plugin', () => {
  const backends: Array<{ stop(): Promise<void> }> = [];
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  afterEach(async () => {
    await Promise.all(backends.splice(0).map(backend => backend.stop()));
  });

  async function startBackend() {
    const backend = await startTestBackend({
      features: [
        backupsPlugin,
        mockServices.database.factory({
          knex: await databases.init('SQLITE_3'),
        }),
        catalogServiceMock.factory({ entities }),
        mockServices.rootConfig.factory({ data: testBackupsConfig }),
      ],
    });
    backends.push(backend);
    return backend.server;
  }

  it('answers the parsed intent of an opted-in entity', async () => {
    const server = await startBackend();
    const response = await request(server).get(
      '/api/backups/entities/component/default/orders/intent',
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      state: 'valid',
      entityRef: 'component:default/orders',
      intent: {
        policy: 'gold',
        clusters: ['prod-eu'],
        layers: ['velero', 'database'],
        targets: { rpo: { text: '1h', milliseconds: 3_600_000 } },
        velero: { schedule: '0 * * * *', ttl: '168h', snapshotVolumes: true },
        database: {
          engine: 'postgres',
          host: 'orders-db',
          port: 5432,
          secretName: 'orders-db-credentials',
          schedule: '*/30 * * * *',
          retention: { type: 'count', count: 48 },
        },
        drill: { schedule: '0 3 * * 0' },
      },
    });
  });

  it('answers the annotation errors of a misconfigured entity', async () => {
    const server = await startBackend();
    const response = await request(server).get(
      '/api/backups/entities/component/default/broken/intent',
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      state: 'invalid',
      entityRef: 'component:default/broken',
      errors: [
        expect.objectContaining({
          annotation: 'backups/rpo',
          value: 'soon',
          message: expect.stringContaining(
            'backups/rpo: "soon" is not a duration',
          ),
        }),
      ],
    });
  });

  it('answers not-opted-in for an entity without backups/policy', async () => {
    const server = await startBackend();
    const response = await request(server).get(
      '/api/backups/entities/component/default/storefront/intent',
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      state: 'not-opted-in',
      entityRef: 'component:default/storefront',
      ignoredAnnotations: [],
    });
  });

  it('answers 404 for an entity the catalog does not know', async () => {
    const server = await startBackend();
    const response = await request(server).get(
      '/api/backups/entities/component/default/nope/intent',
    );
    expect(response.status).toBe(404);
    expect(response.body.error).toMatchObject({
      name: 'NotFoundError',
      message: 'No entity component:default/nope in the catalog',
    });
  });

  it('answers 401 without credentials', async () => {
    const server = await startBackend();
    const response = await request(server)
      .get('/api/backups/entities/component/default/orders/intent')
      .set('Authorization', mockCredentials.none.header());
    expect(response.status).toBe(401);
    expect(response.body.error.name).toBe('AuthenticationError');
  });

  it('schedules the fleet reconcile and the look for due drills at the configured frequencies', async () => {
    const scheduler = mockServices.scheduler.mock();
    const backend = await startTestBackend({
      features: [
        backupsPlugin,
        scheduler.factory,
        mockServices.database.factory({
          knex: await databases.init('SQLITE_3'),
        }),
        catalogServiceMock.factory({ entities }),
        mockServices.rootConfig.factory({
          data: {
            backups: {
              ...testBackupsConfig.backups,
              reconcile: { frequency: { cron: '*/10 * * * *' } },
              drills: { scheduleCheck: '30s' },
            },
          },
        }),
      ],
    });
    backends.push(backend);
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'backups-reconcile',
        frequency: { cron: '*/10 * * * *' },
        fn: expect.any(Function),
      }),
    );
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'backups-drill-schedule',
        frequency: { milliseconds: 30_000 },
        fn: expect.any(Function),
      }),
    );
  });

  it('refuses to start with an invalid backups configuration', async () => {
    await expect(
      startTestBackend({
        features: [
          backupsPlugin,
          catalogServiceMock.factory({ entities }),
          mockServices.rootConfig.factory({
            data: {
              backups: {
                ...testBackupsConfig.backups,
                defaultCluster: 'mars',
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(
      /backups.defaultCluster: "mars" is not one of backups.clusters/,
    );
  });
});
