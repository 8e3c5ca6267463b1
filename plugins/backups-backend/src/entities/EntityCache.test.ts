import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { mockCredentials } from '@backstage/backend-test-utils';
import { component } from '../testing/fixtures';
import { EntityCache } from './EntityCache';

const ORDERS = component('orders', { 'backups/policy': 'gold' });
const PAYMENTS = component('payments', { 'backups/policy': 'silver' });
const MINUTE = 60_000;

describe('EntityCache', () => {
  let now = 0;
  const clock = () => now;

  beforeEach(() => {
    now = Date.parse('2026-12-02T10:00:00Z');
  });

  it('answers from the cache until the entry is older than its TTL, then asks the catalog', async () => {
    const catalog = catalogServiceMock({ entities: [ORDERS] });
    const getEntityByRef = jest.spyOn(catalog, 'getEntityByRef');
    const cache = new EntityCache({ catalog, ttlMs: MINUTE, now: clock });
    const ref = { kind: 'component', namespace: 'default', name: 'orders' };
    const credentials = mockCredentials.user();

    expect(await cache.get(ref, credentials)).toEqual(ORDERS);
    expect(await cache.get(ref, credentials)).toEqual(ORDERS);
    expect(getEntityByRef).toHaveBeenCalledTimes(1);
    now += MINUTE + 1;
    await cache.get(ref, credentials);
    expect(getEntityByRef).toHaveBeenCalledTimes(2);
  });

  it('holds the fleet of the last complete run until it is too old', () => {
    const cache = new EntityCache({
      catalog: catalogServiceMock(),
      now: clock,
      fleetMaxAgeMs: 15 * MINUTE,
    });
    expect(cache.fleet()).toBeUndefined();

    cache.setFleet([ORDERS, PAYMENTS]);
    expect(cache.fleet()).toEqual({
      entities: [ORDERS, PAYMENTS],
      asOf: new Date('2026-12-02T10:00:00Z'),
      version: expect.any(Number),
    });
    now += 15 * MINUTE;
    expect(cache.fleet()?.entities).toHaveLength(2);
    now += 1;
    expect(cache.fleet()).toBeUndefined();
  });

  it('gives the fleet up when an entity of it was evicted, rather than answer part of it', () => {
    const cache = new EntityCache({
      catalog: catalogServiceMock(),
      now: clock,
      maxEntries: 2,
    });
    cache.setFleet([ORDERS, PAYMENTS]);
    expect(cache.fleet()?.entities).toEqual([ORDERS, PAYMENTS]);
    cache.put(component('search', { 'backups/policy': 'bronze' }));
    expect(cache.fleet()).toBeUndefined();
  });

  it('serves entities updated since the run in the fleet', () => {
    const cache = new EntityCache({
      catalog: catalogServiceMock(),
      now: clock,
    });
    cache.setFleet([ORDERS]);
    const renamedOwner = {
      ...ORDERS,
      spec: { ...ORDERS.spec, owner: 'group:default/team-b' },
    };
    cache.put(renamedOwner);
    expect(cache.fleet()?.entities).toEqual([renamedOwner]);
  });
});
