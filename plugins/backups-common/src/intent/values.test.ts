import {
  defaultDatabasePort,
  parseBoolean,
  parseCollectionName,
  parseCron,
  parseDatabaseEngine,
  parseDatabaseName,
  parseDnsLabel,
  parseDuration,
  parseGoDuration,
  parseHostAndPort,
  parseLabelSelector,
  parseLabelValue,
  parseList,
  parseObjectName,
  parseOneOf,
  parseRetention,
  parseVerifyQuery,
} from './values';

const CRON_ALLOWED =
  'a 5-field cron expression (minute hour day-of-month month day-of-week), e.g. "0 3 * * *", or @hourly, @daily, @weekly, @monthly, @yearly or @every <duration>';
const DURATION_ALLOWED =
  'a positive duration such as 30m, 4h or 7d, at most 10 years';
const GO_DURATION_ALLOWED = 'a positive Go duration such as 168h or 72h30m';
const RETENTION_ALLOWED =
  'a count from 1 to 10000 (e.g. 14) or an age of at most 10 years (e.g. 7d)';
const HOST_ALLOWED =
  'a service host name or IPv4 address, optionally with a port from 1 to 65535, e.g. orders-db or orders-db.orders.svc:5432';
const SELECTOR_ALLOWED =
  'a Kubernetes label selector: comma-separated requirements such as app=orders, tier!=cache, env in (prod,staging), !legacy';
const SQL_VERIFY_ALLOWED =
  'one read-only SELECT (or WITH … SELECT) statement, at most 2000 characters, e.g. SELECT 1 FROM orders LIMIT 1';
const OBJECT_NAME_ALLOWED =
  'lower-case letters, digits, "-" and ".", starting and ending with a letter or digit, at most 253 characters';

const ok = <T>(value: T) => ({ ok: true, value });
const rejected = (problem: string, allowed: string) => ({
  ok: false,
  problem,
  allowed,
});

describe('parseCron', () => {
  it.each([
    ['0 3 * * *', '0 3 * * *'],
    ['*/30 * * * *', '*/30 * * * *'],
    ['0 */6 * * *', '0 */6 * * *'],
    ['0 3 * * 0', '0 3 * * 0'],
    ['15 8-18/2 1,15 * 1-5', '15 8-18/2 1,15 * 1-5'],
    ['0 9 * * MON-FRI', '0 9 * * MON-FRI'],
    ['0 0 1 jan,jul sun', '0 0 1 jan,jul sun'],
    ['0 3 ? * *', '0 3 ? * *'],
    // robfig/cron's descriptors, which CronJobs and Velero Schedules accept
    ['@hourly', '@hourly'],
    ['@daily', '@daily'],
    ['@midnight', '@midnight'],
    ['@weekly', '@weekly'],
    ['@monthly', '@monthly'],
    ['@yearly', '@yearly'],
    ['@annually', '@annually'],
    ['@every 6h', '@every 6h'],
    // 29 February fires in leap years
    ['0 0 29 2 *', '0 0 29 2 *'],
    // whitespace is normalised to single spaces
    ['  0   3 *\t* 0  ', '0 3 * * 0'],
  ])('accepts %j', (text, expected) => {
    expect(parseCron(text)).toEqual(ok(expected));
  });

  it.each([
    ['0 0 3 * * *', 'has 6 fields'],
    ['0 3 * *', 'has 4 fields'],
    ['daily', 'has 1 field'],
    ['', 'has 0 fields'],
    ['   ', 'has 0 fields'],
    // Quartz extensions croner knows but Kubernetes and Velero do not
    ['0 0 L * *', 'uses characters a Kubernetes cron does not allow'],
    ['0 3 * * 5L', 'uses characters a Kubernetes cron does not allow'],
    ['0 3 * * 1#2', 'uses characters a Kubernetes cron does not allow'],
    ['0 3 15W * *', 'uses characters a Kubernetes cron does not allow'],
    ['0 3 * * MONDAY', 'uses characters a Kubernetes cron does not allow'],
    ['0 3 * * 7', 'has a day of the week above 6 (Sunday is 0)'],
    ['0 3 * * 1-7', 'has a day of the week above 6 (Sunday is 0)'],
  ])('rejects %j: %s', (text, problem) => {
    expect(parseCron(text)).toEqual(rejected(problem, CRON_ALLOWED));
  });

  it.each([['0 0 31 2 *'], ['0 0 30 2 *'], ['0 0 31 4,6,9,11 *']])(
    'rejects %j, which never fires',
    text => {
      expect(parseCron(text)).toEqual(
        rejected('never fires (no day of the year matches it)', CRON_ALLOWED),
      );
    },
  );

  it('rejects a day-of-week range that wraps past Sunday, as robfig/cron and kube-apiserver do', () => {
    expect(parseCron('0 3 * * MON-SUN')).toEqual(
      rejected(
        'is not a valid cron expression (beginning of range (1) beyond end of range (0): MON-SUN; a range cannot wrap around (SUN is 0): split it, e.g. FRI-SAT,SUN-MON)',
        CRON_ALLOWED,
      ),
    );
  });

  it.each([
    ['@reboot'],
    ['@Daily'],
    ['@every'],
    ['@every 10'],
    ['TZ=UTC 0 3 * * *'],
  ])('rejects %j', text => {
    expect(parseCron(text).ok).toBe(false);
  });

  it.each(['60 * * * *', '0 24 * * *', '0 3 0 * *', '*/0 * * * *'])(
    'rejects the out-of-range %j with the parser message',
    text => {
      expect(parseCron(text)).toEqual({
        ok: false,
        problem: expect.stringMatching(
          /^is not a valid cron expression \(.+\)$/,
        ),
        allowed: CRON_ALLOWED,
      });
    },
  );
});

describe('parseDuration', () => {
  it.each([
    ['30m', 30 * 60 * 1000],
    ['4h', 4 * 3600 * 1000],
    ['7d', 7 * 24 * 3600 * 1000],
    ['1.5h', 1.5 * 3600 * 1000],
    [' 45s ', 45 * 1000],
  ])('accepts %j', (text, milliseconds) => {
    expect(parseDuration(text)).toEqual(
      ok({ text: text.trim(), milliseconds }),
    );
  });

  it.each([
    ['0m', 'is not positive'],
    ['soon', 'is not a duration'],
    ['10', 'is not a duration'],
    ['-1h', 'is not a duration'],
    ['', 'is not a duration'],
    ['5x', 'has an unknown unit'],
    ['11y', 'is longer than 10 years'],
    ['3653d', 'is longer than 10 years'],
  ])('rejects %j: %s', (text, problem) => {
    expect(parseDuration(text)).toEqual(rejected(problem, DURATION_ALLOWED));
  });
});

describe('parseGoDuration', () => {
  it.each([
    '168h',
    '72h30m',
    '1h30m45s',
    '0.5h',
    '90m',
    '720h',
    // Go's time.Duration maximum, to the nanosecond
    '2562047h47m16.854775807s',
  ])('accepts %j', text => {
    expect(parseGoDuration(text)).toEqual(ok(text));
  });

  it.each([
    ['7d', 'is not a Go duration'],
    ['168', 'is not a Go duration'],
    ['168 h', 'is not a Go duration'],
    ['', 'is not a Go duration'],
    ['0h', 'is not positive'],
    ['0h0m', 'is not positive'],
    [
      '2562048h',
      "is longer than Go's maximum duration (2562047h47m16.854775807s)",
    ],
    [
      '2562047h47m16.854775808s',
      "is longer than Go's maximum duration (2562047h47m16.854775807s)",
    ],
    [
      '99999999999999999999h',
      "is longer than Go's maximum duration (2562047h47m16.854775807s)",
    ],
  ])('rejects %j: %s', (text, problem) => {
    expect(parseGoDuration(text)).toEqual(
      rejected(problem, GO_DURATION_ALLOWED),
    );
  });
});

describe('parseBoolean', () => {
  it.each([
    ['true', true],
    ['false', false],
    [' TRUE ', true],
    ['False', false],
  ])('accepts %j', (text, expected) => {
    expect(parseBoolean(text)).toEqual(ok(expected));
  });

  it.each(['yes', '1', ''])('rejects %j', text => {
    expect(parseBoolean(text)).toEqual(
      rejected('is not a boolean', 'true or false'),
    );
  });
});

describe('parseRetention', () => {
  it.each([
    ['14', { type: 'count', count: 14 }],
    [48, { type: 'count', count: 48 }],
    ['1', { type: 'count', count: 1 }],
    ['10000', { type: 'count', count: 10000 }],
    [
      '7d',
      { type: 'age', maxAge: { text: '7d', milliseconds: 7 * 86400 * 1000 } },
    ],
    [
      '36h',
      { type: 'age', maxAge: { text: '36h', milliseconds: 36 * 3600 * 1000 } },
    ],
  ])('accepts %j', (text, expected) => {
    expect(parseRetention(text)).toEqual(ok(expected));
  });

  it.each([
    ['0', 'is out of range'],
    [0, 'is out of range'],
    ['10001', 'is out of range'],
    ['forever', 'is neither a count nor an age'],
    ['-1', 'is neither a count nor an age'],
    ['0d', 'is not positive'],
    ['11y', 'is longer than 10 years'],
    ['', 'is neither a count nor an age'],
  ])('rejects %j: %s', (text, problem) => {
    expect(parseRetention(text)).toEqual(rejected(problem, RETENTION_ALLOWED));
  });
});

describe('parseOneOf and parseDatabaseEngine', () => {
  it.each(['postgres', 'mysql', 'mongodb', ' mysql '])('accepts %j', text => {
    expect(parseDatabaseEngine(text)).toEqual(ok(text.trim()));
  });

  it.each(['oracle', 'Postgres', 'postgresql', ''])('rejects %j', text => {
    expect(parseDatabaseEngine(text)).toEqual(
      rejected('is not one of the choices', 'postgres, mysql, mongodb'),
    );
  });

  it('lists the choices it was given', () => {
    expect(parseOneOf(['a', 'b'])('c')).toEqual(
      rejected('is not one of the choices', 'a, b'),
    );
  });
});

describe('parseDnsLabel', () => {
  it.each(['orders', 'orders-prod', 'a', 'x'.repeat(63)])(
    'accepts %j',
    text => {
      expect(parseDnsLabel(text)).toEqual(ok(text));
    },
  );

  it.each([
    'Orders',
    'orders_prod',
    'orders.prod',
    '-orders',
    'orders-',
    '',
    'x'.repeat(64),
  ])('rejects %j', text => {
    expect(parseDnsLabel(text)).toEqual(
      rejected(
        'is not a DNS-1123 label',
        'lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters',
      ),
    );
  });
});

describe('parseObjectName', () => {
  it.each([
    'orders-db-credentials',
    'csi-hostpath-snapclass',
    'orders.v2',
    'x'.repeat(253),
  ])('accepts %j', text => {
    expect(parseObjectName(text)).toEqual(ok(text));
  });

  it.each(['Orders', 'orders_db', 'orders-', '.orders', '', 'x'.repeat(254)])(
    'rejects %j',
    text => {
      expect(parseObjectName(text)).toEqual(
        rejected('is not a valid Kubernetes object name', OBJECT_NAME_ALLOWED),
      );
    },
  );
});

describe('parseList', () => {
  const parseNames = parseList(parseObjectName);

  it('trims items, drops empty ones and de-duplicates, keeping the first order', () => {
    expect(parseNames(' b , a,,b ,c ,a')).toEqual(ok(['b', 'a', 'c']));
  });

  it('names the first bad item', () => {
    expect(parseNames('a, B_ad, C')).toEqual(
      rejected(
        'has an item "B_ad" that is not a valid Kubernetes object name',
        OBJECT_NAME_ALLOWED,
      ),
    );
  });

  it.each(['', ' , ,'])('rejects the empty list %j', text => {
    expect(parseNames(text)).toEqual(
      rejected('is empty', `a comma-separated list of ${OBJECT_NAME_ALLOWED}`),
    );
  });

  it('accepts the empty list when allowed', () => {
    expect(parseList(parseObjectName, { allowEmpty: true })('')).toEqual(
      ok([]),
    );
  });
});

describe('parseDatabaseName', () => {
  it.each(['orders', 'Orders_2024', 'my-db', '_private', 'a$b'])(
    'accepts %j',
    text => {
      expect(parseDatabaseName(text)).toEqual(ok(text));
    },
  );

  it.each([
    '$orders',
    '-orders',
    'orders db',
    'orders;drop',
    '',
    'x'.repeat(64),
  ])('rejects %j', text => {
    expect(parseDatabaseName(text)).toEqual(
      rejected(
        'is not a database name',
        'letters, digits, "_", "$" and "-", not starting with "$" or "-", at most 63 characters',
      ),
    );
  });
});

describe('defaultDatabasePort', () => {
  it.each([
    ['postgres', 5432],
    ['mysql', 3306],
    ['mongodb', 27017],
  ] as const)('%s listens on %d', (engine, port) => {
    expect(defaultDatabasePort(engine)).toBe(port);
  });
});

describe('parseHostAndPort', () => {
  it.each([
    ['orders-db', { host: 'orders-db' }],
    ['orders-db.orders.svc:5432', { host: 'orders-db.orders.svc', port: 5432 }],
    ['10.0.0.5:3306', { host: '10.0.0.5', port: 3306 }],
    ['orders-db:1', { host: 'orders-db', port: 1 }],
    ['orders-db:65535', { host: 'orders-db', port: 65535 }],
    [' orders-db ', { host: 'orders-db' }],
  ])('accepts %j', (text, expected) => {
    expect(parseHostAndPort(text)).toEqual(ok(expected));
  });

  it.each([
    ['orders_db', 'has an invalid host name'],
    ['Orders-DB', 'has an invalid host name'],
    ['orders-db.', 'has an invalid host name'],
    ['db:70000', 'has a port out of range'],
    ['db:0', 'has a port out of range'],
    ['db:', 'is not a host with an optional port'],
    [':5432', 'is not a host with an optional port'],
    ['db:abc', 'is not a host with an optional port'],
    ['db:5432:1', 'is not a host with an optional port'],
    ['', 'is not a host with an optional port'],
  ])('rejects %j: %s', (text, problem) => {
    expect(parseHostAndPort(text)).toEqual(rejected(problem, HOST_ALLOWED));
  });
});

describe('parseLabelValue', () => {
  it.each(['orders', 'orders.v2_A-1', 'x'.repeat(63)])('accepts %j', text => {
    expect(parseLabelValue(text)).toEqual(ok(text));
  });

  it.each(['', '-orders', 'orders-', 'orders id', 'a/b', 'x'.repeat(64)])(
    'rejects %j',
    text => {
      expect(parseLabelValue(text)).toEqual(
        rejected(
          'is not a valid label value',
          'letters, digits, "-", "_" and ".", starting and ending with a letter or digit, at most 63 characters',
        ),
      );
    },
  );
});

describe('parseLabelSelector', () => {
  it.each([
    ['app=orders', [{ key: 'app', operator: 'In', values: ['orders'] }]],
    ['app==orders', [{ key: 'app', operator: 'In', values: ['orders'] }]],
    ['app = orders', [{ key: 'app', operator: 'In', values: ['orders'] }]],
    ['tier!=cache', [{ key: 'tier', operator: 'NotIn', values: ['cache'] }]],
    [
      'env in (prod, staging)',
      [{ key: 'env', operator: 'In', values: ['prod', 'staging'] }],
    ],
    ['env notin (dev)', [{ key: 'env', operator: 'NotIn', values: ['dev'] }]],
    [
      'app.kubernetes.io/name',
      [{ key: 'app.kubernetes.io/name', operator: 'Exists', values: [] }],
    ],
    ['!legacy', [{ key: 'legacy', operator: 'DoesNotExist', values: [] }]],
    [
      'backstage.io/kubernetes-id=orders',
      [
        {
          key: 'backstage.io/kubernetes-id',
          operator: 'In',
          values: ['orders'],
        },
      ],
    ],
    [
      'app=orders, env in (prod,staging),!legacy,tier',
      [
        { key: 'app', operator: 'In', values: ['orders'] },
        { key: 'env', operator: 'In', values: ['prod', 'staging'] },
        { key: 'legacy', operator: 'DoesNotExist', values: [] },
        { key: 'tier', operator: 'Exists', values: [] },
      ],
    ],
  ])('parses %j', (text, requirements) => {
    expect(parseLabelSelector(text)).toEqual(ok(requirements));
  });

  it.each([
    '',
    '  ',
    'app=orders,',
    ',app=orders',
    'env in (prod',
    'env in prod)',
    'env in ((prod))',
  ])('rejects the malformed %j', text => {
    expect(parseLabelSelector(text)).toEqual(
      rejected('is not a label selector', SELECTOR_ALLOWED),
    );
  });

  it.each([
    ['app=orders=x', 'app=orders=x'],
    ['app=-orders', 'app=-orders'],
    ['-app=orders', '-app=orders'],
    ['Bad_Prefix/app=orders', 'Bad_Prefix/app=orders'],
    ['my app=orders', 'my app=orders'],
    ['env in ()', 'env in ()'],
    ['env in (prod staging)', 'env in (prod staging)'],
    ['env between (a,b)', 'env between (a,b)'],
    ['!app=orders', '!app=orders'],
    ['app=orders, !', '!'],
  ])('rejects %j naming the requirement %j', (text, part) => {
    expect(parseLabelSelector(text)).toEqual(
      rejected(
        `has an invalid requirement ${JSON.stringify(part)}`,
        SELECTOR_ALLOWED,
      ),
    );
  });
});

describe('parseVerifyQuery', () => {
  it.each([
    ['SELECT 1 FROM orders LIMIT 1', 'SELECT 1 FROM orders LIMIT 1'],
    ['select count(*) from orders', 'select count(*) from orders'],
    [
      'WITH recent AS (SELECT id FROM orders) SELECT 1 FROM recent',
      'WITH recent AS (SELECT id FROM orders) SELECT 1 FROM recent',
    ],
    // one trailing semicolon is dropped
    ['SELECT 1 FROM orders; ', 'SELECT 1 FROM orders'],
    // write keywords inside string literals are data
    [
      "SELECT 1 FROM audit WHERE action = 'UPDATE' OR note = 'drop it'",
      "SELECT 1 FROM audit WHERE action = 'UPDATE' OR note = 'drop it'",
    ],
    // identifiers that merely contain a keyword
    [
      'SELECT updated_at, created_by FROM orders',
      'SELECT updated_at, created_by FROM orders',
    ],
  ])('accepts %j', (text, expected) => {
    expect(parseVerifyQuery(text)).toEqual(ok(expected));
  });

  it.each([
    ['DELETE FROM x', 'does not start with SELECT or WITH'],
    ['UPDATE orders SET x = 1', 'does not start with SELECT or WITH'],
    ['EXPLAIN SELECT 1', 'does not start with SELECT or WITH'],
    ['SELECT 1; DROP TABLE x', 'holds more than one statement'],
    ['SELECT 1;;', 'holds more than one statement'],
    // Decided: FOR UPDATE takes row locks, so it is not read-only and is rejected.
    ['SELECT * FROM t FOR UPDATE', 'uses UPDATE, which is not read-only'],
    [
      'WITH gone AS (DELETE FROM t RETURNING *) SELECT * FROM gone',
      'uses DELETE, which is not read-only',
    ],
    ['SELECT * INTO copy FROM orders', 'uses INTO, which is not read-only'],
    [
      'SELECT 1 FROM orders LOCK IN SHARE MODE',
      'uses LOCK, which is not read-only',
    ],
    ['', 'is empty or too long'],
    [';', 'is empty or too long'],
    [`SELECT ${'1'.repeat(2000)}`, 'is empty or too long'],
  ])('rejects %j: %s', (text, problem) => {
    expect(parseVerifyQuery(text)).toEqual(
      rejected(problem, SQL_VERIFY_ALLOWED),
    );
  });
});

describe('parseCollectionName', () => {
  it.each(['orders', 'orders.archive', '_meta', 'Orders-2024'])(
    'accepts %j',
    text => {
      expect(parseCollectionName(text)).toEqual(ok(text));
    },
  );

  it.each([
    'SELECT 1 FROM orders',
    'system.users',
    '1orders',
    'orders$',
    '',
    'x'.repeat(121),
  ])('rejects %j', text => {
    expect(parseCollectionName(text)).toEqual(
      rejected(
        'is not a MongoDB collection name',
        'a collection name: letters, digits, "_", "." and "-", starting with a letter or "_", not a system collection, at most 120 characters',
      ),
    );
  });
});
