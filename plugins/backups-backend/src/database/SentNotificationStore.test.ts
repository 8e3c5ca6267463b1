import { TestDatabases } from '@backstage/backend-test-utils';
import { testDatabaseIds } from '../__testUtils__/testDatabaseIds';
import { SentNotificationStore } from './SentNotificationStore';

jest.setTimeout(60_000);

const ORDERS = 'component:default/orders';
const at = (iso: string) => new Date(iso);

describe('SentNotificationStore', () => {
  const databases = TestDatabases.create({ ids: testDatabaseIds() });

  it.each(databases.eachSupportedId())(
    'lets one replica have each entity, cause and UTC day, on %s',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const database = { getClient: async () => knex };
      // Two backend replicas on one database.
      const [one, two] = await Promise.all([
        SentNotificationStore.create({ database }),
        SentNotificationStore.create({ database }),
      ]);
      const failed = { entityRef: ORDERS, cause: 'drill-failed' };

      const claims = await Promise.all([
        one.claim({ ...failed, at: at('2026-12-02T03:00:00Z') }),
        two.claim({ ...failed, at: at('2026-12-02T03:00:00Z') }),
      ]);
      expect(claims.sort()).toEqual([false, true]);
      // Later the same UTC day, from either replica: taken.
      expect(
        await one.claim({ ...failed, at: at('2026-12-02T23:59:59Z') }),
      ).toBe(false);
      // Another cause, another entity, the next day: each its own.
      expect(
        await two.claim({
          entityRef: ORDERS,
          cause: 'restore-failed',
          at: at('2026-12-02T04:00:00Z'),
        }),
      ).toBe(true);
      expect(
        await two.claim({
          ...failed,
          entityRef: 'component:default/payments',
          at: at('2026-12-02T04:00:00Z'),
        }),
      ).toBe(true);
      expect(
        await one.claim({ ...failed, at: at('2026-12-03T00:00:00Z') }),
      ).toBe(true);

      // A send that failed gives the day back.
      await two.release({ ...failed, at: at('2026-12-03T08:00:00Z') });
      expect(
        await one.claim({ ...failed, at: at('2026-12-03T09:00:00Z') }),
      ).toBe(true);

      // Days long gone are forgotten.
      await one.claim({ ...failed, at: at('2026-12-20T00:00:00Z') });
      const days = await knex('backups_notifications_sent')
        .where({ entity_ref: ORDERS, cause: 'drill-failed' })
        .orderBy('day')
        .pluck('day');
      expect(days).toEqual(['2026-12-20']);
    },
  );
});
