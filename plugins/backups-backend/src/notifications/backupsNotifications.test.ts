import { drillRecord } from '../__testUtils__/drillRecords';
import {
  backupsTabLink,
  drillNotification,
  failingLayerNotification,
} from './backupsNotifications';

describe('backups notifications', () => {
  it("links to the entity's Backups tab", () => {
    expect(backupsTabLink('component:default/orders')).toBe(
      '/catalog/default/component/orders/backups',
    );
    expect(backupsTabLink('Resource:Shop/orders db')).toBe(
      '/catalog/shop/resource/orders%20db/backups',
    );
  });

  it('says a scheduled drill was scheduled, and tells nothing of a running one', () => {
    expect(
      drillNotification(
        drillRecord({ trigger: 'schedule', requestedBy: 'schedule' }),
      )?.payload.description,
    ).toContain(
      'Drill d1 in cluster a, scheduled at 2026-12-02T03:00:00.000Z;',
    );
    expect(
      drillNotification(drillRecord({ state: 'running' })),
    ).toBeUndefined();
  });

  it('names the layer, the cluster and why it is failing', () => {
    expect(
      failingLayerNotification({
        entityRef: 'component:default/orders',
        layer: 'database',
        cluster: 'prod-eu',
        reasons: [
          'The last 3 dumps in prod-eu failed (the latest 5 min ago).',
          'pg_dump: connection refused',
        ],
      }),
    ).toEqual({
      entityRef: 'component:default/orders',
      cause: 'layer-failing:database',
      payload: {
        title:
          'Database dumps of component:default/orders are failing in cluster prod-eu',
        description:
          'The last 3 dumps in prod-eu failed (the latest 5 min ago). pg_dump: connection refused',
        link: '/catalog/default/component/orders/backups',
        severity: 'high',
        topic: 'backups',
        scope: 'backups:layer-failing:database:component:default/orders',
      },
    });
  });
});
