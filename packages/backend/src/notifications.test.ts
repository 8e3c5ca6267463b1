import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import request from 'supertest';
import backupsPlugin, {
  BackupsNotifier,
  backupsNotifierServiceRef,
} from '@backups-for-backstage/plugin-backups-backend';
import { DrillRecord } from '@backups-for-backstage/plugin-backups-common';

jest.setTimeout(60_000);

const ORDERS = 'component:default/orders';
const DANA = 'user:default/dana';

/** orders, owned by team-orders, whose member is dana: what the notifications backend resolves. */
const entities = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'orders', namespace: 'default' },
    spec: { type: 'service', owner: 'team-orders', lifecycle: 'production' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/team-orders' }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-orders', namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: [{ type: 'hasMember', targetRef: DANA }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'dana', namespace: 'default' },
    spec: { memberOf: ['team-orders'] },
  },
];

function failedDrill(id: string): DrillRecord {
  return {
    id,
    entityRef: ORDERS,
    cluster: 'sandbox',
    namespace: `drill-orders-${id}`,
    requestedBy: 'user:default/guest',
    trigger: 'manual',
    requestedAt: new Date().toISOString(),
    state: 'failed',
    steps: [],
    outcome:
      'Failed at velero-restore: Velero refused the restore: the storage location is unavailable.',
    failedStep: 'velero-restore',
    verdict: 'failed',
    targets: { rtoMs: 1_800_000, rpoMs: 3_600_000 },
    achieved: { layers: [] },
    created: [],
  };
}

/** The backups plugin's notifier, as its default factory builds it in this backend. */
async function startBackend(options: { withNotificationsBackend: boolean }) {
  let notifier: BackupsNotifier | undefined;
  const logger = mockServices.logger.mock();
  const backend = await startTestBackend({
    features: [
      backupsPlugin,
      logger.factory,
      ...(options.withNotificationsBackend ? [notificationsPlugin] : []),
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          backups: { clusters: [], policies: {} },
        },
      }),
      createBackendModule({
        pluginId: 'backups',
        moduleId: 'notifier-probe',
        register(env) {
          env.registerInit({
            deps: { backupsNotifier: backupsNotifierServiceRef },
            async init({ backupsNotifier }) {
              notifier = backupsNotifier;
            },
          });
        },
      }),
    ],
  });
  return { backend, notifier: notifier!, logger };
}

describe("the backups plugin notifies an entity's owners through the notifications backend", () => {
  it('delivers one notification a day per cause to the owners, with a link to the Backups tab', async () => {
    const { backend, notifier } = await startBackend({
      withNotificationsBackend: true,
    });
    try {
      await notifier.drillEnded(failedDrill('d1'));
      await notifier.drillEnded(failedDrill('d2'));
      await notifier.drillEnded({ ...failedDrill('d3'), state: 'passed' });

      const response = await request(backend.server)
        .get('/api/notifications')
        .set('Authorization', mockCredentials.user.header(DANA));
      expect(response.status).toBe(200);
      expect(response.body.totalCount).toBe(1);
      expect(response.body.notifications[0]).toMatchObject({
        user: DANA,
        origin: 'plugin:backups',
        payload: {
          title: `Disaster-recovery drill of ${ORDERS} failed at velero-restore`,
          description: expect.stringContaining('Drill d1 in cluster sandbox'),
          link: '/catalog/default/component/orders/backups',
          severity: 'high',
          topic: 'backups',
        },
      });
    } finally {
      await backend.stop();
    }
  });

  it('goes on without a notifications backend: the send fails and is logged', async () => {
    const { backend, notifier, logger } = await startBackend({
      withNotificationsBackend: false,
    });
    try {
      await expect(
        notifier.drillEnded(failedDrill('d1')),
      ).resolves.toBeUndefined();
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringMatching(
          /^Could not notify the owners of component:default\/orders \(drill-failed\): Failed to send notifications: /,
        ),
      );
    } finally {
      await backend.stop();
    }
  });
});
