import { drillDatabaseName, drillNamespaceName } from './drillNamespace';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

describe('drillNamespaceName', () => {
  it('is <prefix><entity>-<id> when that fits', () => {
    expect(
      drillNamespaceName({
        prefix: 'drill-',
        entityRef: 'component:default/orders',
        entityName: 'orders',
        id: 'abcd1234',
      }),
    ).toBe('drill-orders-abcd1234');
  });

  it('stays a DNS label of at most 63 characters for long or unusual names, apart per entity', () => {
    const long = `a${'-long-name'.repeat(6)}-z`.slice(0, 63);
    const names = ['component:default/', 'component:other/'].map(prefix =>
      drillNamespaceName({
        prefix: 'drill-',
        entityRef: `${prefix}${long}`,
        entityName: long,
        id: 'abcd1234',
      }),
    );
    for (const name of names) {
      expect(name.length).toBeLessThanOrEqual(63);
      expect(name).toMatch(DNS_LABEL);
      expect(name).toMatch(/^drill-a-long-name.*-abcd1234$/);
    }
    expect(names[0]).not.toBe(names[1]);
    const upper = drillNamespaceName({
      prefix: 'drill-',
      entityRef: 'component:default/Orders.v2',
      entityName: 'Orders.v2',
      id: 'abcd1234',
    });
    expect(upper).toMatch(DNS_LABEL);
    expect(upper).toMatch(/^drill-orders-v2-[0-9a-f]{6}-abcd1234$/);
  });
});

describe('drillDatabaseName', () => {
  it('is <db>_drill_<id>, the name shortened to fit PostgreSQL', () => {
    expect(drillDatabaseName({ database: 'orders', id: 'ab12cd34' })).toBe(
      'orders_drill_ab12cd34',
    );
    const long = drillDatabaseName({
      database: 'd'.repeat(80),
      id: 'ab12cd34',
    });
    expect(long).toHaveLength(63);
    expect(long.endsWith('_drill_ab12cd34')).toBe(true);
  });
});
