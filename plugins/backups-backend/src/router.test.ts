import { ConflictError } from '@backstage/errors';
import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { AuditorServiceEvent } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import request from 'supertest';
import { createRouter } from './router';
import { BackupsService } from './service/BackupsService';
import { StatusService } from './status/StatusService';
import { OnDemandBackupService } from './onDemand/OnDemandBackupService';
import { RestoreService } from './restores/RestoreService';
import { DrillService } from './drills/DrillService';
import { ReconcileRecord } from './database/ReconcileResultStore';

const ORDERS = { kind: 'component', namespace: 'default', name: 'orders' };

const RECORD: ReconcileRecord = {
  trigger: 'request',
  startedAt: '2026-11-21T10:00:00.000Z',
  finishedAt: '2026-11-21T10:00:01.000Z',
  succeeded: true,
  result: {
    entityRef: 'component:default/orders',
    state: 'planned',
    dryRun: false,
    clusters: [],
  },
};

describe('createRouter', () => {
  const backups = {
    getIntent: jest.fn(),
    getPlan: jest.fn(),
    reconcileEntity: jest.fn(),
    reconcileAll: jest.fn(),
  } satisfies Record<keyof BackupsService, jest.Mock>;
  const status = {
    getStatus: jest.fn(),
    getRestorePoints: jest.fn(),
    getOverview: jest.fn(),
  } satisfies Record<keyof StatusService, jest.Mock>;
  const onDemand = {
    createBackup: jest.fn(),
  } satisfies Record<keyof OnDemandBackupService, jest.Mock>;
  const restores = {
    createRestore: jest.fn(),
    getRestore: jest.fn(),
    listRestores: jest.fn(),
  } satisfies Record<keyof RestoreService, jest.Mock>;
  const drills = {
    startDrill: jest.fn(),
    getDrill: jest.fn(),
    listDrills: jest.fn(),
  } satisfies Record<keyof DrillService, jest.Mock>;
  const services = {
    ...backups,
    ...status,
    ...onDemand,
    ...restores,
    ...drills,
  };
  const auditEvent = {
    success: jest.fn(),
    fail: jest.fn(),
  } satisfies Record<keyof AuditorServiceEvent, jest.Mock>;
  const auditor = mockServices.auditor.mock({
    createEvent: jest.fn(async () => auditEvent),
  });

  async function appWith(result: AuthorizeResult.ALLOW | AuthorizeResult.DENY) {
    const router = await createRouter({
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions({ result }),
      auditor,
      backups,
      status,
      onDemand,
      restores,
      drills,
    });
    return express().use(router).use(mockErrorHandler());
  }

  beforeEach(() => {
    jest.clearAllMocks();
    backups.getIntent.mockResolvedValue({
      state: 'not-opted-in',
      entityRef: 'component:default/orders',
      ignoredAnnotations: [],
    });
    backups.getPlan.mockResolvedValue({
      entityRef: 'component:default/orders',
      plan: { state: 'not-opted-in', entityRef: 'component:default/orders' },
      diff: RECORD.result,
    });
    backups.reconcileEntity.mockResolvedValue(RECORD);
    status.getRestorePoints.mockResolvedValue({
      entityRef: 'component:default/orders',
      restorePoints: [],
    });
    status.getOverview.mockImplementation(async options => ({
      items: [...(await options.readable(['component:default/orders']))].map(
        entityRef => ({ entityRef }),
      ),
      totalCount: 1,
      offset: 0,
      limit: 100,
      stateCounts: {},
    }));
  });

  it('passes the entity ref and the caller to the service', async () => {
    const app = await appWith(AuthorizeResult.ALLOW);
    const response = await request(app).get(
      '/entities/component/default/orders/intent',
    );
    expect(response.status).toBe(200);
    expect(backups.getIntent).toHaveBeenCalledWith({
      entityRef: ORDERS,
      credentials: mockCredentials.user(),
    });
  });

  it.each([
    ['get', '/intent', 'backups.entity.read', 'getIntent'],
    ['get', '/plan', 'backups.reconcile', 'getPlan'],
    ['post', '/reconcile', 'backups.reconcile', 'reconcileEntity'],
    ['get', '/status', 'backups.entity.read', 'getStatus'],
    ['get', '/restore-points', 'backups.entity.read', 'getRestorePoints'],
    ['post', '/backups', 'backups.backup.create', 'createBackup'],
    ['post', '/drills', 'backups.drill.create', 'startDrill'],
    ['get', '/drills', 'backups.entity.read', 'listDrills'],
  ] as const)(
    'answers 403 to %s %s when %s is denied, without calling the service',
    async (method, path, permission, operation) => {
      const app = await appWith(AuthorizeResult.DENY);
      const response = await request(app)
        [method](`/entities/component/default/orders${path}`)
        .send(
          method === 'post' && path !== '/drills'
            ? { layer: 'velero' }
            : undefined,
        );
      expect(response.status).toBe(403);
      expect(response.body.error.message).toBe(
        `${permission} is not allowed on component:default/orders`,
      );
      expect(services[operation]).not.toHaveBeenCalled();
    },
  );

  it('answers 401 for a request without credentials', async () => {
    const app = await appWith(AuthorizeResult.ALLOW);
    const response = await request(app)
      .get('/entities/component/default/orders/intent')
      .set('Authorization', mockCredentials.none.header());
    expect(response.status).toBe(401);
    expect(backups.getIntent).not.toHaveBeenCalled();
  });

  it('answers the plan preview', async () => {
    const app = await appWith(AuthorizeResult.ALLOW);
    const response = await request(app).get(
      '/entities/component/default/orders/plan',
    );
    expect(response.status).toBe(200);
    expect(response.body.plan.state).toBe('not-opted-in');
    expect(backups.getPlan).toHaveBeenCalledWith({
      entityRef: ORDERS,
      credentials: mockCredentials.user(),
    });
    expect(auditor.createEvent).not.toHaveBeenCalled();
  });

  it('reconciles on request and audits the caller and the outcome', async () => {
    const app = await appWith(AuthorizeResult.ALLOW);
    const response = await request(app).post(
      '/entities/component/default/orders/reconcile',
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual(RECORD);
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'entity-reconcile',
        severityLevel: 'medium',
        request: expect.anything(),
        meta: { entityRef: ORDERS },
      }),
    );
    expect(auditEvent.success).toHaveBeenCalledWith({
      meta: {
        entityRef: 'component:default/orders',
        state: 'planned',
        dryRun: false,
        succeeded: true,
      },
    });
    expect(auditEvent.fail).not.toHaveBeenCalled();
  });

  it('audits a denied reconcile as failed', async () => {
    const app = await appWith(AuthorizeResult.DENY);
    await request(app).post('/entities/component/default/orders/reconcile');
    expect(auditEvent.fail).toHaveBeenCalledWith({
      error: expect.objectContaining({ name: 'NotAllowedError' }),
    });
    expect(auditEvent.success).not.toHaveBeenCalled();
  });

  it('passes a restore point layer, and refuses an unknown one naming what is allowed', async () => {
    const app = await appWith(AuthorizeResult.ALLOW);
    const ok = await request(app).get(
      '/entities/component/default/orders/restore-points?layer=database',
    );
    expect(ok.status).toBe(200);
    expect(status.getRestorePoints).toHaveBeenCalledWith({
      entityRef: ORDERS,
      credentials: mockCredentials.user(),
      layer: 'database',
    });
    const bad = await request(app).get(
      '/entities/component/default/orders/restore-points?layer=tape',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain(
      'Invalid query: layer "tape": Invalid option: expected one of "velero"|"database"|"volume-snapshot"',
    );
  });

  it('passes the overview filters, and leaves out the entities the caller may not read', async () => {
    const allowed = await appWith(AuthorizeResult.ALLOW);
    const response = await request(allowed).get(
      '/overview?owner=group:default/team-a&state=at-risk&limit=10',
    );
    expect(response.status).toBe(200);
    expect(status.getOverview).toHaveBeenCalledWith(
      expect.objectContaining({
        owner: 'group:default/team-a',
        state: 'at-risk',
        limit: 10,
        credentials: mockCredentials.user(),
      }),
    );
    expect(response.body.items).toEqual([
      { entityRef: 'component:default/orders' },
    ]);
    const denied = await appWith(AuthorizeResult.DENY);
    expect((await request(denied).get('/overview')).body.items).toEqual([]);
    expect((await request(allowed).get('/overview?state=sleepy')).status).toBe(
      400,
    );
  });

  describe('restores', () => {
    const RESTORE = {
      id: 'abcd1234',
      entityRef: 'component:default/orders',
      layer: 'velero',
      cluster: 'a',
      restorePoint: { id: 'orders-velero-20261202100000', time: 'x' },
      target: { mode: 'namespace', namespace: 'shop-restore-abcd1234' },
      requestedBy: 'user:default/mock',
      requestedAt: 'x',
      reason: 'drill by hand',
      state: 'running',
      steps: [],
      created: [],
    };
    const body = (mode: string, extra: object = {}) => ({
      layer: 'velero',
      restorePoint: 'orders-velero-20261202100000',
      target: { mode },
      reason: 'drill by hand',
      ...extra,
    });
    const withPermissions = async (allowed: string[]) => {
      const policy = mockServices.permissions.mock({
        authorize: jest.fn(async requests =>
          requests.map(({ permission }) => ({
            result: allowed.includes(permission.name)
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
          })),
        ),
      });
      const router = await createRouter({
        httpAuth: mockServices.httpAuth(),
        permissions: policy,
        auditor,
        backups,
        status,
        onDemand,
        restores,
        drills,
      });
      return express().use(router).use(mockErrorHandler());
    };
    const post = (app: express.Express, payload: object) =>
      request(app)
        .post('/entities/component/default/orders/restores')
        .send(payload);

    beforeEach(() => restores.createRestore.mockResolvedValue(RESTORE));

    it('starts a restore to a new namespace with backups.restore.create, answers 202 and audits it', async () => {
      const app = await withPermissions(['backups.restore.create']);
      const response = await post(app, body('namespace'));
      expect(response.status).toBe(202);
      expect(response.body).toEqual({ id: 'abcd1234', restore: RESTORE });
      expect(restores.createRestore).toHaveBeenCalledWith({
        entityRef: ORDERS,
        credentials: mockCredentials.user(),
        request: body('namespace'),
      });
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'restore-create',
          meta: expect.objectContaining({
            layer: 'velero',
            restorePoint: 'orders-velero-20261202100000',
            mode: 'namespace',
            reason: 'drill by hand',
          }),
        }),
      );
      expect(auditEvent.success).toHaveBeenCalledWith({
        meta: expect.objectContaining({
          id: 'abcd1234',
          namespace: 'shop-restore-abcd1234',
        }),
      });
    });

    it('needs backups.restore.in-place as well to restore in place, and creates nothing without it', async () => {
      const owner = await withPermissions(['backups.restore.create']);
      const denied = await post(owner, body('in-place', { confirm: 'orders' }));
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toContain('backups.restore.in-place');
      expect(restores.createRestore).not.toHaveBeenCalled();
      expect(auditEvent.fail).toHaveBeenCalled();

      const admin = await withPermissions([
        'backups.restore.create',
        'backups.restore.in-place',
      ]);
      expect(
        (await post(admin, body('in-place', { confirm: 'orders' }))).status,
      ).toBe(202);
    });

    it('refuses a caller without backups.restore.create in both modes, audited', async () => {
      const reader = await withPermissions(['backups.entity.read']);
      for (const mode of ['namespace', 'in-place']) {
        const response = await post(reader, body(mode, { confirm: 'orders' }));
        expect(response.status).toBe(403);
      }
      expect(restores.createRestore).not.toHaveBeenCalled();
      expect(auditEvent.fail).toHaveBeenCalledTimes(2);
    });

    it('names what is wrong with a body, and what is allowed', async () => {
      const app = await withPermissions(['backups.restore.create']);
      const response = await post(app, body('sideways'));
      expect(response.status).toBe(400);
      expect(response.body.error.message).toContain(
        'target.mode: Invalid option: expected one of "namespace"|"in-place"',
      );
      expect(restores.createRestore).not.toHaveBeenCalled();
    });

    it('answers a restore to those who may read its entity', async () => {
      restores.getRestore.mockResolvedValue(RESTORE);
      const reader = await withPermissions(['backups.entity.read']);
      const response = await request(reader).get('/restores/abcd1234');
      expect(response.status).toBe(200);
      expect(response.body).toEqual(RESTORE);
      const stranger = await withPermissions([]);
      expect((await request(stranger).get('/restores/abcd1234')).status).toBe(
        403,
      );
    });
  });

  describe('drills', () => {
    const DRILL = {
      id: 'dddd1234',
      entityRef: 'component:default/orders',
      cluster: 'prod-eu',
      namespace: 'drill-orders-dddd1234',
      requestedBy: 'user:default/mock',
      trigger: 'manual',
      requestedAt: '2026-12-02T03:00:00.000Z',
      reason: 'quarterly',
      state: 'running',
      steps: [],
      targets: { rtoMs: 1_800_000, rpoMs: 3_600_000 },
      achieved: {
        layers: [
          {
            layer: 'velero',
            restorePoint: {
              id: 'orders-velero-1',
              time: '2026-12-02T02:00:00.000Z',
            },
            ageMs: 3_600_000,
          },
        ],
      },
      created: [],
    };

    it('starts a drill with backups.drill.create, answers 202 and audits it', async () => {
      drills.startDrill.mockResolvedValue(DRILL);
      const app = await appWith(AuthorizeResult.ALLOW);
      const response = await request(app)
        .post('/entities/component/default/orders/drills')
        .send({ reason: 'quarterly' });
      expect(response.status).toBe(202);
      expect(response.body).toEqual({ id: 'dddd1234', drill: DRILL });
      expect(drills.startDrill).toHaveBeenCalledWith({
        entityRef: ORDERS,
        credentials: mockCredentials.user(),
        reason: 'quarterly',
      });
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({ eventId: 'drill-create' }),
      );
      expect(auditEvent.success).toHaveBeenCalledWith({
        meta: expect.objectContaining({
          id: 'dddd1234',
          namespace: 'drill-orders-dddd1234',
          restorePoints: ['velero/orders-velero-1'],
        }),
      });
    });

    it('answers 409 naming what runs, 400 naming an unknown field, both audited as failed', async () => {
      drills.startDrill.mockRejectedValue(
        new ConflictError(
          'A restore (abcd1234) is running for component:default/orders',
        ),
      );
      const app = await appWith(AuthorizeResult.ALLOW);
      const busy = await request(app)
        .post('/entities/component/default/orders/drills')
        .send({});
      expect(busy.status).toBe(409);
      expect(busy.body.error.message).toContain(
        'A restore (abcd1234) is running',
      );
      const bad = await request(app)
        .post('/entities/component/default/orders/drills')
        .send({ layers: ['velero'] });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('layers');
      expect(auditEvent.fail).toHaveBeenCalledTimes(2);
    });

    it('answers a drill to those who may read its entity', async () => {
      drills.getDrill.mockResolvedValue(DRILL);
      const reader = await appWith(AuthorizeResult.ALLOW);
      const response = await request(reader).get('/drills/dddd1234');
      expect(response.status).toBe(200);
      expect(response.body).toEqual(DRILL);
      const stranger = await appWith(AuthorizeResult.DENY);
      expect((await request(stranger).get('/drills/dddd1234')).status).toBe(
        403,
      );
    });
  });

  it('lists in the overview only what the caller may read both in the catalog and through this plugin', async () => {
    const denyCatalogRead = mockServices.permissions.mock({
      authorize: jest.fn(async requests =>
        requests.map(({ permission }) => ({
          result:
            permission.name === 'catalog.entity.read'
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        })),
      ),
    });
    const router = await createRouter({
      httpAuth: mockServices.httpAuth(),
      permissions: denyCatalogRead,
      auditor,
      backups,
      status,
      onDemand,
      restores,
      drills,
    });
    const app = express().use(router).use(mockErrorHandler());
    const response = await request(app).get('/overview');
    expect(response.status).toBe(200);
    expect(response.body.items).toEqual([]);
    expect(
      (denyCatalogRead.authorize as jest.Mock).mock.calls[0][0].map(
        (r: { permission: { name: string }; resourceRef: string }) => [
          r.permission.name,
          r.resourceRef,
        ],
      ),
    ).toEqual([
      ['catalog.entity.read', 'component:default/orders'],
      ['backups.entity.read', 'component:default/orders'],
    ]);
  });

  it('starts an on-demand backup, answers 202 with what was created and audits it', async () => {
    onDemand.createBackup.mockResolvedValue({
      entityRef: 'component:default/orders',
      layer: 'database',
      cluster: 'a',
      created: [
        {
          apiVersion: 'batch/v1',
          kind: 'Job',
          namespace: 'shop',
          name: 'orders-db-dump-manual-abc123',
        },
      ],
    });
    const app = await appWith(AuthorizeResult.ALLOW);
    const response = await request(app)
      .post('/entities/component/default/orders/backups')
      .send({ layer: 'database', cluster: 'a' });
    expect(response.status).toBe(202);
    expect(onDemand.createBackup).toHaveBeenCalledWith({
      entityRef: ORDERS,
      credentials: mockCredentials.user(),
      layer: 'database',
      cluster: 'a',
    });
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'backup-create',
        meta: { entityRef: ORDERS, layer: 'database' },
      }),
    );
    expect(auditEvent.success).toHaveBeenCalledWith({
      meta: {
        entityRef: 'component:default/orders',
        layer: 'database',
        cluster: 'a',
        created: ['Job/orders-db-dump-manual-abc123'],
      },
    });
  });

  it('refuses a backup of an unknown layer naming what is allowed, and audits it as failed', async () => {
    const app = await appWith(AuthorizeResult.ALLOW);
    const response = await request(app)
      .post('/entities/component/default/orders/backups')
      .send({ layer: 'tape' });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toBe(
      'Invalid body: layer "tape": Invalid option: expected one of "velero"|"database"|"volume-snapshot"',
    );
    expect(onDemand.createBackup).not.toHaveBeenCalled();
    expect(auditEvent.fail).toHaveBeenCalled();
  });

  it('audits a denied backup as failed', async () => {
    const app = await appWith(AuthorizeResult.DENY);
    await request(app)
      .post('/entities/component/default/orders/backups')
      .send({ layer: 'velero' });
    expect(auditEvent.fail).toHaveBeenCalledWith({
      error: expect.objectContaining({ name: 'NotAllowedError' }),
    });
  });
});
