import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { RestoreRecord } from '@backups-for-backstage/plugin-backups-common';
import { drillRecord, passedDrillRecord } from '../__testUtils__/drillRecords';
import { RecordingNotificationService } from '../__testUtils__/recordingNotifications';
import { SentNotificationStore } from '../database/SentNotificationStore';
import { DefaultBackupsNotifier } from './DefaultBackupsNotifier';

const ORDERS = 'component:default/orders';

const failedRestore: RestoreRecord = {
  id: 'r1',
  entityRef: ORDERS,
  layer: 'database',
  cluster: 'a',
  restorePoint: { id: 'orders-dump-1', time: '2026-12-02T02:30:00.000Z' },
  target: { mode: 'in-place', namespace: 'shop', database: 'orders' },
  requestedBy: 'user:default/dana',
  requestedAt: '2026-12-02T03:00:00.000Z',
  state: 'failed',
  steps: [],
  outcome:
    'The restore Job orders-restore-r1 failed: sha256 mismatch: the dump is not the one recorded.',
  created: [],
};

describe('DefaultBackupsNotifier', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let notifications: RecordingNotificationService;
  let logger: ReturnType<typeof mockServices.logger.mock>;
  let now: Date;
  let notifier: DefaultBackupsNotifier;

  beforeEach(async () => {
    const knex = await databases.init('SQLITE_3');
    notifications = new RecordingNotificationService();
    logger = mockServices.logger.mock();
    now = new Date('2026-12-02T03:05:00Z');
    notifier = new DefaultBackupsNotifier({
      notifications,
      sent: await SentNotificationStore.create({
        database: { getClient: async () => knex },
      }),
      logger,
      now: () => now,
    });
  });

  it("tells the entity's owners of a failed drill once a day, and of a passed one never", async () => {
    await notifier.drillEnded(passedDrillRecord());
    expect(notifications.sent).toEqual([]);

    await notifier.drillEnded(drillRecord());
    await notifier.drillEnded(drillRecord({ id: 'd3' }));
    expect(notifications.sent).toEqual([
      {
        recipients: { type: 'entity', entityRef: ORDERS },
        payload: {
          title: `Disaster-recovery drill of ${ORDERS} failed at velero-restore`,
          description:
            "Failed at velero-restore: Velero's restore failed. The step: Velero restores the newest good backup. Drill d1 in cluster a, run by user:default/guest at 2026-12-02T03:00:00.000Z; everything it created was deleted.",
          link: '/catalog/default/component/orders/backups',
          severity: 'high',
          topic: 'backups',
          scope: `backups:drill-failed:${ORDERS}`,
        },
      },
    ]);

    // A missed target is another cause; the next UTC day tells again.
    await notifier.drillEnded(
      passedDrillRecord({
        state: 'missed-target',
        outcome:
          'Restored and verified, but it took 42 min against an RTO of 30 min.',
      }),
    );
    now = new Date('2026-12-03T00:00:01Z');
    await notifier.drillEnded(drillRecord({ id: 'd4' }));
    expect(
      notifications.sent
        .slice(1)
        .map(({ payload }) => [payload.title, payload.severity]),
    ).toEqual([
      [`Disaster-recovery drill of ${ORDERS} missed its target`, 'normal'],
      [`Disaster-recovery drill of ${ORDERS} failed at velero-restore`, 'high'],
    ]);
  });

  it('tells of a failed restore, and of a completed one never', async () => {
    await notifier.restoreEnded({ ...failedRestore, state: 'completed' });
    await notifier.restoreEnded(failedRestore);
    expect(notifications.sent).toEqual([
      {
        recipients: { type: 'entity', entityRef: ORDERS },
        payload: expect.objectContaining({
          title: `Restore of ${ORDERS} (database) failed`,
          description: `${failedRestore.outcome} Restore r1 of orders-dump-1 in cluster a, in place (shop), asked for by user:default/dana at 2026-12-02T03:00:00.000Z.`,
          severity: 'high',
          scope: `backups:restore-failed:${ORDERS}`,
        }),
      },
    ]);
  });

  it('logs a send that fails (no notifications backend) as a warning, never throws, and tries again next time', async () => {
    notifications.failWith(
      new Error('Failed to send notifications: Request failed with status 404'),
    );
    await expect(notifier.drillEnded(drillRecord())).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      `Could not notify the owners of ${ORDERS} (drill-failed): Failed to send notifications: Request failed with status 404`,
    );
    notifications.failWith(undefined);
    await notifier.drillEnded(drillRecord({ id: 'd3' }));
    expect(
      notifications.sent.map(({ payload }) => payload.description),
    ).toEqual([expect.stringContaining('Drill d3 in cluster a')]);
  });
});
