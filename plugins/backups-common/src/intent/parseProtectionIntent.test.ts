import { Entity } from '@backstage/catalog-model';
import { BACKUPS_ANNOTATIONS } from '../annotations';
import {
  AnnotationError,
  BackupPolicy,
  IntentContext,
  ProtectionIntent,
} from '../types';
import { parseProtectionIntent } from './parseProtectionIntent';
import { DAY, goldPolicy, HOUR, MINUTE } from '../__testUtils__/policies';

const gold = goldPolicy;
/** Velero only, everything else left to the defaults. */
const silver: BackupPolicy = {
  rpo: '4h',
  rto: '1h',
  velero: { schedule: '0 */4 * * *' },
};
/** Database dumps only: no velero, no volume snapshots, no drills. */
const bronze: BackupPolicy = {
  rpo: '24h',
  rto: '4h',
  database: { schedule: '0 2 * * *' },
};
/** Its own configuration is invalid: no rpo. */
const broken = { rto: '30m' } as BackupPolicy;

const context: IntentContext = {
  policies: { gold, silver, bronze, broken },
  clusterNames: ['prod-eu', 'prod-us'],
  defaultCluster: 'prod-eu',
};

const ENTITY_REF = 'component:default/orders';

function entity(annotations?: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'orders', ...(annotations ? { annotations } : {}) },
    spec: { type: 'service', owner: 'team-orders', lifecycle: 'production' },
  };
}

function parse(annotations: Record<string, string>, ctx = context) {
  return parseProtectionIntent(entity(annotations), ctx);
}

function intentOf(
  annotations: Record<string, string>,
  ctx = context,
): ProtectionIntent {
  const result = parse(annotations, ctx);
  if (result.state !== 'valid') {
    throw new Error(`expected a valid intent, got ${JSON.stringify(result)}`);
  }
  return result.intent;
}

function errorsOf(
  annotations: Record<string, string>,
  ctx = context,
): AnnotationError[] {
  const result = parse(annotations, ctx);
  if (result.state !== 'invalid') {
    throw new Error(`expected invalid, got ${JSON.stringify(result)}`);
  }
  expect(result).not.toHaveProperty('intent');
  return result.errors;
}

/** The error for a present annotation: names it, quotes the value, says what is allowed. */
function badValue(
  annotation: string,
  value: string,
  problem: string,
  allowed: string,
): AnnotationError {
  return {
    annotation,
    value,
    message: `${annotation}: ${JSON.stringify(
      value,
    )} ${problem}. Allowed: ${allowed}.`,
    allowed,
  };
}

/** The error for a missing annotation: names it and says what is allowed. */
function missing(
  annotation: string,
  problem: string,
  allowed: string,
): AnnotationError {
  return {
    annotation,
    message: `${annotation} ${problem}. Allowed: ${allowed}.`,
    allowed,
  };
}

const CRON =
  'a 5-field cron expression (minute hour day-of-month month day-of-week), e.g. "0 3 * * *", or @hourly, @daily, @weekly, @monthly, @yearly or @every <duration>';
const DURATION = 'a positive duration such as 30m, 4h or 7d, at most 10 years';
const GO_DURATION = 'a positive Go duration such as 168h or 72h30m';
const RETENTION =
  'a count from 1 to 10000 (e.g. 14) or an age of at most 10 years (e.g. 7d)';
const OBJECT_NAME =
  'lower-case letters, digits, "-" and ".", starting and ending with a letter or digit, at most 253 characters';
const HOST =
  'a service host name or IPv4 address, optionally with a port from 1 to 65535, e.g. orders-db or orders-db.orders.svc:5432';
const SELECTOR =
  'a Kubernetes label selector: comma-separated requirements such as app=orders, tier!=cache, env in (prod,staging), !legacy';
const PVCS =
  'PVC names separated by commas (e.g. orders-data,orders-logs) or selector:<label selector> (e.g. selector:app=orders)';
const SQL =
  'one read-only SELECT (or WITH … SELECT) statement, at most 2000 characters, e.g. SELECT 1 FROM orders LIMIT 1';
const COLLECTION =
  'a collection name: letters, digits, "_", "." and "-", starting with a letter or "_", not a system collection, at most 120 characters';
const KNOWN = Object.values(BACKUPS_ANNOTATIONS).join(', ');
const NEEDS_WORKLOAD =
  "backstage.io/kubernetes-id (the pods' label value) or backstage.io/kubernetes-label-selector";
const REQUIRED_FOR_DATABASE = 'is required when the database layer is enabled';
const SECRET_ALLOWED =
  'the name of a Secret in the workload namespace with keys username and password';

/** An entity that fills every layer of the gold policy. */
const full: Record<string, string> = {
  'backups/policy': 'gold',
  'backstage.io/kubernetes-id': 'orders',
  'backups/database': 'postgres',
  'backups/database-host': 'orders-db',
  'backups/database-secret': 'orders-db-credentials',
  'backups/volume-snapshot-pvcs': 'orders-data',
};

describe('parseProtectionIntent', () => {
  describe('opting in', () => {
    it('is not-opted-in without backups/policy, listing the ignored annotations', () => {
      expect(
        parse({
          'backstage.io/kubernetes-id': 'orders',
          'backups/database': 'postgres',
          'backups/rpo': 'soon',
          'backups/made-up': 'x',
        }),
      ).toEqual({
        state: 'not-opted-in',
        entityRef: ENTITY_REF,
        ignoredAnnotations: [
          'backups/database',
          'backups/rpo',
          'backups/made-up',
        ],
      });
    });

    it('is not-opted-in for an entity without annotations', () => {
      expect(parseProtectionIntent(entity(), context)).toEqual({
        state: 'not-opted-in',
        entityRef: ENTITY_REF,
        ignoredAnnotations: [],
      });
    });
  });

  describe('policy defaults', () => {
    it('fills every layer from the gold policy', () => {
      expect(parse(full)).toEqual({
        state: 'valid',
        entityRef: ENTITY_REF,
        intent: {
          entityRef: ENTITY_REF,
          policy: 'gold',
          clusters: ['prod-eu'],
          layers: ['velero', 'database', 'volume-snapshot'],
          targets: {
            rpo: { text: '1h', milliseconds: HOUR },
            rto: { text: '30m', milliseconds: 30 * MINUTE },
          },
          workload: {
            namespace: 'default',
            labelSelector: 'backstage.io/kubernetes-id=orders',
            requirements: [
              {
                key: 'backstage.io/kubernetes-id',
                operator: 'In',
                values: ['orders'],
              },
            ],
          },
          velero: { schedule: '0 * * * *', ttl: '168h', snapshotVolumes: true },
          database: {
            engine: 'postgres',
            host: 'orders-db',
            port: 5432,
            databases: [],
            secretName: 'orders-db-credentials',
            schedule: '*/30 * * * *',
            retention: { type: 'count', count: 48 },
          },
          volumeSnapshot: {
            pvcs: { type: 'names', names: ['orders-data'] },
            schedule: '0 */6 * * *',
            retention: { type: 'count', count: 10 },
          },
          drill: { schedule: '0 3 * * 0' },
        },
      });
    });

    it('fills what a policy leaves out with the defaults (ttl 720h, snapshotVolumes, retention 14/10)', () => {
      const intent = intentOf({
        ...full,
        'backups/policy': 'silver',
        'backups/database-schedule': '0 1 * * *',
        'backups/volume-snapshot-schedule': '0 2 * * *',
      });
      expect(intent.targets).toEqual({
        rpo: { text: '4h', milliseconds: 4 * HOUR },
        rto: { text: '1h', milliseconds: HOUR },
      });
      expect(intent.velero).toEqual({
        schedule: '0 */4 * * *',
        ttl: '720h',
        snapshotVolumes: true,
      });
      expect(intent.database?.retention).toEqual({ type: 'count', count: 14 });
      expect(intent.volumeSnapshot?.retention).toEqual({
        type: 'count',
        count: 10,
      });
      expect(intent.drill).toEqual({});
    });
  });

  describe('annotation overrides', () => {
    it.each<[Record<string, string>, Partial<ProtectionIntent>]>([
      [
        { 'backups/rpo': '15m' },
        {
          targets: {
            rpo: { text: '15m', milliseconds: 15 * MINUTE },
            rto: { text: '30m', milliseconds: 30 * MINUTE },
          },
        },
      ],
      [
        { 'backups/rto': '4h' },
        {
          targets: {
            rpo: { text: '1h', milliseconds: HOUR },
            rto: { text: '4h', milliseconds: 4 * HOUR },
          },
        },
      ],
      [
        { 'backups/rpo': '7d', 'backups/rto': '2h' },
        {
          targets: {
            rpo: { text: '7d', milliseconds: 7 * DAY },
            rto: { text: '2h', milliseconds: 2 * HOUR },
          },
        },
      ],
      [{ 'backups/cluster': 'prod-us' }, { clusters: ['prod-us'] }],
      [
        { 'backups/cluster': ' prod-us, prod-eu ,prod-us ' },
        { clusters: ['prod-us', 'prod-eu'] },
      ],
      [
        { 'backups/velero-schedule': '30 */2 * * *' },
        {
          velero: {
            schedule: '30 */2 * * *',
            ttl: '168h',
            snapshotVolumes: true,
          },
        },
      ],
      [
        { 'backups/velero-ttl': '72h30m' },
        {
          velero: {
            schedule: '0 * * * *',
            ttl: '72h30m',
            snapshotVolumes: true,
          },
        },
      ],
      [
        { 'backups/velero-snapshot-volumes': 'false' },
        {
          velero: {
            schedule: '0 * * * *',
            ttl: '168h',
            snapshotVolumes: false,
          },
        },
      ],
      [
        { 'backups/database': 'mysql' },
        {
          database: {
            engine: 'mysql',
            host: 'orders-db',
            port: 3306,
            databases: [],
            secretName: 'orders-db-credentials',
            schedule: '*/30 * * * *',
            retention: { type: 'count', count: 48 },
          },
        },
      ],
      [
        { 'backups/database': 'mongodb', 'backups/database-host': '10.0.0.5' },
        {
          database: {
            engine: 'mongodb',
            host: '10.0.0.5',
            port: 27017,
            databases: [],
            secretName: 'orders-db-credentials',
            schedule: '*/30 * * * *',
            retention: { type: 'count', count: 48 },
          },
        },
      ],
      [
        { 'backups/database-host': 'orders-db.orders.svc:6432' },
        {
          database: {
            engine: 'postgres',
            host: 'orders-db.orders.svc',
            port: 6432,
            databases: [],
            secretName: 'orders-db-credentials',
            schedule: '*/30 * * * *',
            retention: { type: 'count', count: 48 },
          },
        },
      ],
      [
        { 'backups/database-name': 'orders, billing ,orders' },
        {
          database: {
            engine: 'postgres',
            host: 'orders-db',
            port: 5432,
            databases: ['orders', 'billing'],
            secretName: 'orders-db-credentials',
            schedule: '*/30 * * * *',
            retention: { type: 'count', count: 48 },
          },
        },
      ],
      [
        // empty means every database on the server
        { 'backups/database-name': '' },
        {
          database: {
            engine: 'postgres',
            host: 'orders-db',
            port: 5432,
            databases: [],
            secretName: 'orders-db-credentials',
            schedule: '*/30 * * * *',
            retention: { type: 'count', count: 48 },
          },
        },
      ],
      [
        { 'backups/database-secret': 'orders-pg.credentials' },
        {
          database: {
            engine: 'postgres',
            host: 'orders-db',
            port: 5432,
            databases: [],
            secretName: 'orders-pg.credentials',
            schedule: '*/30 * * * *',
            retention: { type: 'count', count: 48 },
          },
        },
      ],
      [
        {
          'backups/database-schedule': '0 */2 * * *',
          'backups/database-retention': '7d',
        },
        {
          database: {
            engine: 'postgres',
            host: 'orders-db',
            port: 5432,
            databases: [],
            secretName: 'orders-db-credentials',
            schedule: '0 */2 * * *',
            retention: {
              type: 'age',
              maxAge: { text: '7d', milliseconds: 7 * DAY },
            },
          },
        },
      ],
      [
        { 'backups/database-retention': '14' },
        {
          database: {
            engine: 'postgres',
            host: 'orders-db',
            port: 5432,
            databases: [],
            secretName: 'orders-db-credentials',
            schedule: '*/30 * * * *',
            retention: { type: 'count', count: 14 },
          },
        },
      ],
      [
        {
          'backups/volume-snapshot-pvcs':
            'orders-data, orders-logs,orders-data',
        },
        {
          volumeSnapshot: {
            pvcs: { type: 'names', names: ['orders-data', 'orders-logs'] },
            schedule: '0 */6 * * *',
            retention: { type: 'count', count: 10 },
          },
        },
      ],
      [
        {
          'backups/volume-snapshot-pvcs': 'selector: app=orders, tier in (db)',
        },
        {
          volumeSnapshot: {
            pvcs: {
              type: 'selector',
              labelSelector: 'app=orders, tier in (db)',
              requirements: [
                { key: 'app', operator: 'In', values: ['orders'] },
                { key: 'tier', operator: 'In', values: ['db'] },
              ],
            },
            schedule: '0 */6 * * *',
            retention: { type: 'count', count: 10 },
          },
        },
      ],
      [
        {
          'backups/volume-snapshot-schedule': '0 */12 * * *',
          'backups/volume-snapshot-retention': '3',
          'backups/volume-snapshot-class': 'csi-hostpath-snapclass',
        },
        {
          volumeSnapshot: {
            pvcs: { type: 'names', names: ['orders-data'] },
            schedule: '0 */12 * * *',
            retention: { type: 'count', count: 3 },
            className: 'csi-hostpath-snapclass',
          },
        },
      ],
      [
        { 'backups/volume-snapshot-retention': '36h' },
        {
          volumeSnapshot: {
            pvcs: { type: 'names', names: ['orders-data'] },
            schedule: '0 */6 * * *',
            retention: {
              type: 'age',
              maxAge: { text: '36h', milliseconds: 36 * HOUR },
            },
          },
        },
      ],
      [
        { 'backups/drill-schedule': '0 4 * * SAT' },
        { drill: { schedule: '0 4 * * SAT' } },
      ],
      [
        { 'backups/drill-verify': 'SELECT 1 FROM orders LIMIT 1' },
        {
          drill: {
            schedule: '0 3 * * 0',
            verify: 'SELECT 1 FROM orders LIMIT 1',
          },
        },
      ],
      [
        {
          'backups/database': 'mysql',
          'backups/drill-verify':
            "SELECT 1 FROM audit WHERE action = 'UPDATE';",
        },
        {
          drill: {
            schedule: '0 3 * * 0',
            verify: "SELECT 1 FROM audit WHERE action = 'UPDATE'",
          },
        },
      ],
      [
        { 'backups/database': 'mongodb', 'backups/drill-verify': 'orders' },
        { drill: { schedule: '0 3 * * 0', verify: 'orders' } },
      ],
    ])('%j overrides the policy', (annotations, expected) => {
      const intent = intentOf({ ...full, ...annotations });
      expect(intent).toMatchObject(expected);
      // everything not overridden keeps the policy's value
      expect(intent.layers).toEqual(['velero', 'database', 'volume-snapshot']);
      expect(intent.policy).toBe('gold');
    });

    it('turns automatic drills off with drill-schedule off', () => {
      expect(
        intentOf({ ...full, 'backups/drill-schedule': 'off' }).drill,
      ).toEqual({});
    });

    it('reads a velero schedule from the annotation when the policy has none (defaults ttl and snapshotVolumes)', () => {
      const intent = intentOf({
        'backups/policy': 'bronze',
        'backstage.io/kubernetes-id': 'orders',
        'backups/velero-schedule': '0 * * * *',
      });
      expect(intent.layers).toEqual(['velero']);
      expect(intent.velero).toEqual({
        schedule: '0 * * * *',
        ttl: '720h',
        snapshotVolumes: true,
      });
    });

    it('accepts robfig/cron descriptors in every schedule annotation', () => {
      const intent = intentOf({
        ...full,
        'backups/velero-schedule': '@daily',
        'backups/database-schedule': '@hourly',
        'backups/volume-snapshot-schedule': '@weekly',
        'backups/drill-schedule': '@monthly',
      });
      expect(intent.velero?.schedule).toBe('@daily');
      expect(intent.database?.schedule).toBe('@hourly');
      expect(intent.volumeSnapshot?.schedule).toBe('@weekly');
      expect(intent.drill).toEqual({ schedule: '@monthly' });
    });
  });

  describe('workload', () => {
    it('selects by backstage.io/kubernetes-id in the default namespace', () => {
      expect(intentOf(full).workload).toEqual({
        namespace: 'default',
        labelSelector: 'backstage.io/kubernetes-id=orders',
        requirements: [
          {
            key: 'backstage.io/kubernetes-id',
            operator: 'In',
            values: ['orders'],
          },
        ],
      });
    });

    it('uses backstage.io/kubernetes-namespace', () => {
      expect(
        intentOf({ ...full, 'backstage.io/kubernetes-namespace': 'orders' })
          .workload.namespace,
      ).toBe('orders');
    });

    it('prefers backstage.io/kubernetes-label-selector over the id', () => {
      expect(
        intentOf({
          ...full,
          'backstage.io/kubernetes-label-selector': ' app=orders,tier!=cache ',
        }).workload,
      ).toEqual({
        namespace: 'default',
        labelSelector: 'app=orders,tier!=cache',
        requirements: [
          { key: 'app', operator: 'In', values: ['orders'] },
          { key: 'tier', operator: 'NotIn', values: ['cache'] },
        ],
      });
    });

    it('has no selector when the entity names no workload', () => {
      const { 'backstage.io/kubernetes-id': _, ...withoutId } = full;
      const intent = intentOf(withoutId);
      expect(intent.workload).toEqual({ namespace: 'default' });
      expect(intent.layers).toEqual(['database', 'volume-snapshot']);
      expect(intent).not.toHaveProperty('velero');
    });
  });

  describe('layers', () => {
    const policyAnd = (annotations: Record<string, string>, policy = 'gold') =>
      intentOf({ 'backups/policy': policy, ...annotations });

    it('enables velero with a workload alone', () => {
      const intent = policyAnd({ 'backstage.io/kubernetes-id': 'orders' });
      expect(intent.layers).toEqual(['velero']);
      expect(intent).not.toHaveProperty('database');
      expect(intent).not.toHaveProperty('volumeSnapshot');
    });

    it('enables database with engine, host and secret alone', () => {
      const intent = policyAnd({
        'backups/database': 'postgres',
        'backups/database-host': 'orders-db',
        'backups/database-secret': 'orders-db-credentials',
      });
      expect(intent.layers).toEqual(['database']);
      expect(intent).not.toHaveProperty('velero');
    });

    it('enables volume-snapshot with PVCs alone', () => {
      expect(
        policyAnd({ 'backups/volume-snapshot-pvcs': 'orders-data' }).layers,
      ).toEqual(['volume-snapshot']);
    });

    it('does not enable the database layer with backups/database alone (hooks only)', () => {
      const intent = policyAnd({
        'backstage.io/kubernetes-id': 'orders',
        'backups/database': 'postgres',
      });
      expect(intent.layers).toEqual(['velero']);
      expect(intent).not.toHaveProperty('database');
    });

    it('leaves velero out when the policy has no velero section and no velero-schedule is given', () => {
      const intent = policyAnd(
        {
          'backstage.io/kubernetes-id': 'orders',
          'backups/database': 'postgres',
          'backups/database-host': 'orders-db',
          'backups/database-secret': 'orders-db-credentials',
        },
        'bronze',
      );
      expect(intent.layers).toEqual(['database']);
      expect(intent).not.toHaveProperty('velero');
      expect(intent.database?.schedule).toBe('0 2 * * *');
      expect(intent.database?.retention).toEqual({ type: 'count', count: 14 });
    });

    it.each<[string, string[]]>([
      ['velero', ['velero']],
      ['database', ['database']],
      ['volume-snapshot', ['volume-snapshot']],
      ['volume-snapshot, velero', ['velero', 'volume-snapshot']],
      [' database,velero,database ', ['velero', 'database']],
    ])(
      'enables only the layers listed in backups/layers %j',
      (layers, expected) => {
        const intent = intentOf({ ...full, 'backups/layers': layers });
        expect(intent.layers).toEqual(expected);
        expect(intent.velero !== undefined).toBe(expected.includes('velero'));
        expect(intent.database !== undefined).toBe(
          expected.includes('database'),
        );
        expect(intent.volumeSnapshot !== undefined).toBe(
          expected.includes('volume-snapshot'),
        );
      },
    );

    it('does not require the annotations of a layer backups/layers leaves out', () => {
      const intent = intentOf({
        'backups/policy': 'gold',
        'backups/layers': 'velero',
        'backstage.io/kubernetes-id': 'orders',
        // a database host without a secret would fail the database layer
        'backups/database': 'postgres',
        'backups/database-host': 'orders-db',
      });
      expect(intent.layers).toEqual(['velero']);
      expect(intent).not.toHaveProperty('database');
    });

    it('still validates the values of a layer backups/layers leaves out', () => {
      expect(
        errorsOf({
          ...full,
          'backups/layers': 'velero',
          'backups/database-retention': '0',
        }),
      ).toEqual([
        badValue(
          'backups/database-retention',
          '0',
          'is out of range',
          RETENTION,
        ),
      ]);
    });

    it('requires engine, host and secret for an explicit database layer', () => {
      expect(
        errorsOf({ 'backups/policy': 'gold', 'backups/layers': 'database' }),
      ).toEqual([
        missing(
          'backups/database',
          REQUIRED_FOR_DATABASE,
          'postgres, mysql, mongodb',
        ),
        missing(
          'backups/database-host',
          REQUIRED_FOR_DATABASE,
          'the database service host name, e.g. orders-db or orders-db:5432',
        ),
        missing(
          'backups/database-secret',
          REQUIRED_FOR_DATABASE,
          SECRET_ALLOWED,
        ),
      ]);
    });

    it('requires PVCs for an explicit volume-snapshot layer', () => {
      expect(
        errorsOf({
          'backups/policy': 'gold',
          'backups/layers': 'volume-snapshot',
        }),
      ).toEqual([
        missing(
          'backups/volume-snapshot-pvcs',
          'is required when the volume-snapshot layer is enabled',
          PVCS,
        ),
      ]);
    });

    it('requires a workload for an explicit velero layer', () => {
      expect(
        errorsOf({ 'backups/policy': 'gold', 'backups/layers': 'velero' }),
      ).toEqual([
        {
          annotation: 'backstage.io/kubernetes-id',
          message:
            "backstage.io/kubernetes-id is required for the velero layer, to select what to back up. Allowed: backstage.io/kubernetes-id (the pods' label value) or backstage.io/kubernetes-label-selector.",
          allowed: NEEDS_WORKLOAD,
        },
      ]);
    });

    it('requires a workload when a velero-schedule asks for the velero layer', () => {
      expect(
        errorsOf({
          'backups/policy': 'gold',
          'backups/velero-schedule': '0 * * * *',
          'backups/volume-snapshot-pvcs': 'orders-data',
        }),
      ).toEqual([
        missing(
          'backstage.io/kubernetes-id',
          'is required for the velero layer, to select what to back up',
          NEEDS_WORKLOAD,
        ),
      ]);
    });

    it.each([
      [
        'velero',
        { 'backstage.io/kubernetes-id': 'orders' },
        missing(
          'backups/velero-schedule',
          'is required for the velero layer because policy "bronze" has no velero schedule',
          'a 5-field cron expression, e.g. "0 * * * *"',
        ),
      ],
      [
        'volume-snapshot',
        { 'backups/volume-snapshot-pvcs': 'orders-data' },
        missing(
          'backups/volume-snapshot-schedule',
          'is required because policy "bronze" has no volumeSnapshots schedule',
          'a 5-field cron expression, e.g. "0 */6 * * *"',
        ),
      ],
    ])(
      'reports the missing schedule annotation for an explicit %s layer the policy cannot fill',
      (layer, annotations, error) => {
        expect(
          errorsOf({
            'backups/policy': 'bronze',
            'backups/layers': layer,
            ...annotations,
          }),
        ).toEqual([error]);
      },
    );

    it('reports the missing database schedule when the policy has none', () => {
      expect(
        errorsOf({
          'backups/policy': 'silver',
          'backups/database': 'postgres',
          'backups/database-host': 'orders-db',
          'backups/database-secret': 'orders-db-credentials',
        }),
      ).toEqual([
        missing(
          'backups/database-schedule',
          'is required because policy "silver" has no database schedule',
          'a 5-field cron expression, e.g. "*/30 * * * *"',
        ),
      ]);
    });

    it.each([
      [
        'velero,tape',
        'has an item "tape" that is not one of the choices',
        'velero, database, volume-snapshot',
      ],
      [
        '',
        'is empty',
        'a comma-separated list of velero, database, volume-snapshot',
      ],
    ])('rejects backups/layers %j', (value, problem, allowed) => {
      expect(errorsOf({ ...full, 'backups/layers': value })).toEqual([
        badValue('backups/layers', value, problem, allowed),
      ]);
    });

    it('rejects an entity that fills no layer on backups/policy', () => {
      expect(errorsOf({ 'backups/policy': 'gold' })).toEqual([
        {
          annotation: 'backups/policy',
          value: 'gold',
          message:
            'backups/policy: "gold" enables no layer: policy "gold" and this entity\'s annotations fill none of velero, database, volume-snapshot. Allowed: velero needs a schedule and backstage.io/kubernetes-id or backstage.io/kubernetes-label-selector; database needs backups/database and backups/database-host; volume-snapshot needs backups/volume-snapshot-pvcs.',
          allowed:
            'velero needs a schedule and backstage.io/kubernetes-id or backstage.io/kubernetes-label-selector; database needs backups/database and backups/database-host; volume-snapshot needs backups/volume-snapshot-pvcs',
        },
      ]);
    });

    it('rejects a workload-only entity on a policy without velero on backups/policy', () => {
      const errors = errorsOf({
        'backups/policy': 'bronze',
        'backstage.io/kubernetes-id': 'orders',
        'backups/database': 'postgres',
      });
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({
        annotation: 'backups/policy',
        value: 'bronze',
      });
      expect(errors[0].message).toMatch(
        /^backups\/policy: "bronze" enables no layer: policy "bronze" and this entity's annotations fill none of velero, database, volume-snapshot\. Allowed: /,
      );
    });

    it('does not blame backups/policy when a bad annotation is why no layer is filled', () => {
      expect(
        errorsOf({
          'backups/policy': 'gold',
          'backstage.io/kubernetes-id': '-orders',
        }),
      ).toEqual([
        badValue(
          'backstage.io/kubernetes-id',
          '-orders',
          'is not a valid label value',
          'letters, digits, "-", "_" and ".", starting and ending with a letter or digit, at most 63 characters',
        ),
      ]);
    });
  });

  describe('the database layer', () => {
    it('requires a secret once database and host ask for dumps', () => {
      expect(
        errorsOf({
          'backups/policy': 'gold',
          'backups/database': 'postgres',
          'backups/database-host': 'orders-db',
        }),
      ).toEqual([
        {
          annotation: 'backups/database-secret',
          message:
            'backups/database-secret is required when the database layer is enabled. Allowed: the name of a Secret in the workload namespace with keys username and password.',
          allowed: SECRET_ALLOWED,
        },
      ]);
    });

    it('requires the engine when a host asks for dumps', () => {
      expect(
        errorsOf({
          'backups/policy': 'gold',
          'backups/database-host': 'orders-db',
          'backups/database-secret': 'orders-db-credentials',
        }),
      ).toEqual([
        missing(
          'backups/database',
          REQUIRED_FOR_DATABASE,
          'postgres, mysql, mongodb',
        ),
      ]);
    });

    it('refuses several databases for MongoDB, which dumps one or all', () => {
      const mongo = {
        'backups/policy': 'gold',
        'backups/database': 'mongodb',
        'backups/database-host': 'catalog-mongo',
        'backups/database-secret': 'catalog-mongo-credentials',
      };
      expect(
        errorsOf({ ...mongo, 'backups/database-name': 'catalog,reviews' }),
      ).toEqual([
        {
          annotation: 'backups/database-name',
          value: 'catalog,reviews',
          message:
            'backups/database-name: "catalog,reviews" names 2 databases, but a MongoDB dump covers one database or all of them. Allowed: one database name, or empty to dump every database.',
          allowed: 'one database name, or empty to dump every database',
        },
      ]);
      expect(
        intentOf({ ...mongo, 'backups/database-name': 'catalog' }).database
          ?.databases,
      ).toEqual(['catalog']);
      expect(
        intentOf({ ...mongo, 'backups/database-name': '' }).database?.databases,
      ).toEqual([]);
    });
  });

  describe('drill-verify', () => {
    it('is rejected without backups/database', () => {
      const { 'backups/database': _, ...withoutEngine } = full;
      expect(
        errorsOf({
          ...withoutEngine,
          'backups/layers': 'velero,volume-snapshot',
          'backups/drill-verify': 'SELECT 1 FROM orders LIMIT 1',
        }),
      ).toEqual([
        {
          annotation: 'backups/drill-verify',
          value: 'SELECT 1 FROM orders LIMIT 1',
          message:
            'backups/drill-verify: "SELECT 1 FROM orders LIMIT 1" is only used together with backups/database. Allowed: set backups/database as well, or remove this annotation.',
          allowed: 'set backups/database as well, or remove this annotation',
        },
      ]);
    });

    it.each([
      [
        'postgres',
        'DELETE FROM orders',
        'does not start with SELECT or WITH',
        SQL,
      ],
      [
        'mysql',
        'SELECT 1; DROP TABLE orders',
        'holds more than one statement',
        SQL,
      ],
      [
        'postgres',
        'SELECT * FROM orders FOR UPDATE',
        'uses UPDATE, which is not read-only',
        SQL,
      ],
      [
        'mongodb',
        'SELECT 1 FROM orders',
        'is not a MongoDB collection name',
        COLLECTION,
      ],
      [
        'mongodb',
        'system.users',
        'is not a MongoDB collection name',
        COLLECTION,
      ],
    ])('for %s rejects %j', (engine, value, problem, allowed) => {
      expect(
        errorsOf({
          ...full,
          'backups/database': engine,
          'backups/drill-verify': value,
        }),
      ).toEqual([badValue('backups/drill-verify', value, problem, allowed)]);
    });
  });

  describe('clusters', () => {
    it('lists the configured clusters for an unknown one', () => {
      expect(
        errorsOf({ ...full, 'backups/cluster': 'prod-eu,prod-asia' }),
      ).toEqual([
        {
          annotation: 'backups/cluster',
          value: 'prod-eu,prod-asia',
          message:
            'backups/cluster: "prod-eu,prod-asia" has an item "prod-asia" that is not one of the choices. Allowed: prod-eu, prod-us.',
          allowed: 'prod-eu, prod-us',
        },
      ]);
    });

    it('rejects an empty cluster list', () => {
      expect(errorsOf({ ...full, 'backups/cluster': ' , ' })).toEqual([
        badValue(
          'backups/cluster',
          ' , ',
          'is empty',
          'a comma-separated list of prod-eu, prod-us',
        ),
      ]);
    });

    it('requires backups/cluster when there is no defaultCluster', () => {
      expect(errorsOf(full, { ...context, defaultCluster: undefined })).toEqual(
        [
          {
            annotation: 'backups/cluster',
            message:
              'backups/cluster is required because backups.defaultCluster is not configured. Allowed: prod-eu, prod-us.',
            allowed: 'prod-eu, prod-us',
          },
        ],
      );
    });

    it('needs no defaultCluster when backups/cluster is given', () => {
      expect(
        intentOf(
          { ...full, 'backups/cluster': 'prod-us' },
          { ...context, defaultCluster: undefined },
        ).clusters,
      ).toEqual(['prod-us']);
    });

    it('says so when no cluster is configured', () => {
      expect(
        errorsOf(
          { ...full, 'backups/cluster': 'prod-eu' },
          { ...context, clusterNames: [], defaultCluster: undefined },
        ),
      ).toEqual([
        badValue(
          'backups/cluster',
          'prod-eu',
          'has an item "prod-eu" that is not one of the choices',
          'none: backups.clusters is empty in app-config',
        ),
      ]);
    });
  });

  describe('policies', () => {
    it('lists the policy names for an unknown policy', () => {
      expect(errorsOf({ ...full, 'backups/policy': 'platinum' })).toEqual([
        {
          annotation: 'backups/policy',
          value: 'platinum',
          message:
            'backups/policy: "platinum" is not a policy defined in backups.policies. Allowed: gold, silver, bronze, broken.',
          allowed: 'gold, silver, bronze, broken',
        },
      ]);
    });

    it('does not take inherited object properties for policies', () => {
      expect(errorsOf({ ...full, 'backups/policy': 'constructor' })).toEqual([
        badValue(
          'backups/policy',
          'constructor',
          'is not a policy defined in backups.policies',
          'gold, silver, bronze, broken',
        ),
      ]);
    });

    it('says so when no policy is configured', () => {
      expect(errorsOf(full, { ...context, policies: {} })).toEqual([
        badValue(
          'backups/policy',
          'gold',
          'is not a policy defined in backups.policies',
          'none: backups.policies is empty in app-config',
        ),
      ]);
    });

    it('rejects a policy whose own configuration is invalid, naming the config key', () => {
      expect(errorsOf({ ...full, 'backups/policy': 'broken' })).toEqual([
        {
          annotation: 'backups/policy',
          value: 'broken',
          message:
            'backups/policy: "broken" names a policy whose configuration is invalid (backups.policies.broken.rpo is required.). Allowed: a correctly configured policy; ask your platform team to fix app-config.',
          allowed:
            'a correctly configured policy; ask your platform team to fix app-config',
        },
      ]);
    });
  });

  describe('invalid values', () => {
    it.each<[string, string, string, string]>([
      ['backups/rpo', 'soon', 'is not a duration', DURATION],
      ['backups/rpo', '10', 'is not a duration', DURATION],
      ['backups/rpo', '0m', 'is not positive', DURATION],
      ['backups/rto', '5x', 'has an unknown unit', DURATION],
      ['backups/velero-schedule', '0 0 3 * * *', 'has 6 fields', CRON],
      [
        'backups/velero-schedule',
        '0 0 L * *',
        'uses characters a Kubernetes cron does not allow',
        CRON,
      ],
      [
        'backups/velero-schedule',
        '0 3 * * 1#2',
        'uses characters a Kubernetes cron does not allow',
        CRON,
      ],
      ['backups/velero-ttl', '7d', 'is not a Go duration', GO_DURATION],
      ['backups/velero-ttl', '0h', 'is not positive', GO_DURATION],
      [
        'backups/velero-ttl',
        '3000000h',
        "is longer than Go's maximum duration (2562047h47m16.854775807s)",
        GO_DURATION,
      ],
      ['backups/rpo', '20y', 'is longer than 10 years', DURATION],
      [
        'backups/database-schedule',
        '0 0 31 2 *',
        'never fires (no day of the year matches it)',
        CRON,
      ],
      [
        'backups/velero-schedule',
        '0 3 * * MON-SUN',
        'is not a valid cron expression (beginning of range (1) beyond end of range (0): MON-SUN; a range cannot wrap around (SUN is 0): split it, e.g. FRI-SAT,SUN-MON)',
        CRON,
      ],
      [
        'backups/velero-snapshot-volumes',
        'yes',
        'is not a boolean',
        'true or false',
      ],
      [
        'backups/database',
        'oracle',
        'is not one of the choices',
        'postgres, mysql, mongodb',
      ],
      ['backups/database-host', 'orders_db', 'has an invalid host name', HOST],
      ['backups/database-host', 'db:70000', 'has a port out of range', HOST],
      [
        'backups/database-host',
        'db:',
        'is not a host with an optional port',
        HOST,
      ],
      [
        'backups/database-name',
        'orders,orders db',
        'has an item "orders db" that is not a database name',
        'letters, digits, "_", "$" and "-", not starting with "$" or "-", at most 63 characters',
      ],
      [
        'backups/database-secret',
        'Orders_Credentials',
        'is not a valid Kubernetes object name',
        OBJECT_NAME,
      ],
      ['backups/database-schedule', '*/30 * * *', 'has 4 fields', CRON],
      ['backups/database-retention', '0', 'is out of range', RETENTION],
      [
        'backups/database-retention',
        'forever',
        'is neither a count nor an age',
        RETENTION,
      ],
      [
        'backups/volume-snapshot-pvcs',
        'orders-data,Orders_Logs',
        'has an item "Orders_Logs" that is not a valid Kubernetes object name',
        PVCS,
      ],
      ['backups/volume-snapshot-pvcs', '', 'is empty', PVCS],
      [
        'backups/volume-snapshot-pvcs',
        'selector:',
        'is not a label selector',
        PVCS,
      ],
      [
        'backups/volume-snapshot-pvcs',
        'selector:app in (orders',
        'is not a label selector',
        PVCS,
      ],
      [
        'backups/volume-snapshot-pvcs',
        'selector:app=orders=x',
        'has an invalid requirement "app=orders=x"',
        PVCS,
      ],
      [
        'backups/volume-snapshot-schedule',
        '0 */6 * * * *',
        'has 6 fields',
        CRON,
      ],
      ['backups/volume-snapshot-retention', '0', 'is out of range', RETENTION],
      [
        'backups/volume-snapshot-class',
        'Fast_SSD',
        'is not a valid Kubernetes object name',
        OBJECT_NAME,
      ],
      ['backups/drill-schedule', 'weekly', 'has 1 field', `${CRON}, or off`],
      ['backups/drill-schedule', 'OFF', 'has 1 field', `${CRON}, or off`],
      [
        'backups/drill-schedule',
        '0 3 * * 7',
        'has a day of the week above 6 (Sunday is 0)',
        `${CRON}, or off`,
      ],
      [
        'backups/drill-verify',
        'UPDATE orders SET paid = true',
        'does not start with SELECT or WITH',
        SQL,
      ],
      ['backups/schedule', '0 * * * *', 'is not a backups annotation', KNOWN],
      [
        'backups/velero_schedule',
        '0 * * * *',
        'is not a backups annotation',
        KNOWN,
      ],
      [
        'backstage.io/kubernetes-namespace',
        'Orders_NS',
        'is not a DNS-1123 label',
        'lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters',
      ],
      [
        'backstage.io/kubernetes-id',
        'orders app',
        'is not a valid label value',
        'letters, digits, "-", "_" and ".", starting and ending with a letter or digit, at most 63 characters',
      ],
      [
        'backstage.io/kubernetes-label-selector',
        'app in (orders',
        'is not a label selector',
        SELECTOR,
      ],
      [
        'backstage.io/kubernetes-label-selector',
        'app=orders,!',
        'has an invalid requirement "!"',
        SELECTOR,
      ],
    ])('%s %j: %s', (annotation, value, problem, allowed) => {
      const errors = errorsOf({ ...full, [annotation]: value });
      expect(errors).toEqual([badValue(annotation, value, problem, allowed)]);
      // the message names the annotation, quotes the value and says what is allowed
      expect(errors[0].message).toContain(annotation);
      expect(errors[0].message).toContain(`"${value}"`);
      expect(errors[0].message).toMatch(/ Allowed: .+\.$/);
    });

    it('gives one error per bad annotation when every annotation is bad, and no intent', () => {
      const annotations: Record<string, string> = {
        'backups/policy': 'platinum',
        'backups/cluster': 'mars',
        'backups/layers': 'tape',
        'backups/rpo': 'soon',
        'backups/rto': '0m',
        'backups/velero-schedule': '0 0 3 * * *',
        'backups/velero-ttl': '7d',
        'backups/velero-snapshot-volumes': 'yes',
        'backups/database': 'oracle',
        'backups/database-host': 'orders_db',
        'backups/database-name': 'orders db',
        'backups/database-secret': 'Bad_Secret',
        'backups/database-schedule': 'daily',
        'backups/database-retention': '0',
        'backups/volume-snapshot-pvcs': 'Bad_PVC',
        'backups/volume-snapshot-schedule': '0 0 L * *',
        'backups/volume-snapshot-retention': 'forever',
        'backups/volume-snapshot-class': 'Fast_SSD',
        'backups/drill-schedule': 'weekly',
        'backups/drill-verify': 'DELETE FROM orders',
        'backups/unknown': 'x',
        'backstage.io/kubernetes-namespace': 'Bad_NS',
        'backstage.io/kubernetes-label-selector': 'app in (orders',
      };
      const result = parse(annotations);
      expect(result.state).toBe('invalid');
      expect(result).not.toHaveProperty('intent');
      const errors = errorsOf(annotations);
      expect(errors.map(e => e.annotation).sort()).toEqual(
        Object.keys(annotations).sort(),
      );
      for (const error of errors) {
        const value = annotations[error.annotation];
        expect(error.value).toBe(value);
        expect(error.allowed).not.toBe('');
        // "<annotation>: "<value>" <problem>. Allowed: <allowed>."
        expect(
          error.message.startsWith(
            `${error.annotation}: ${JSON.stringify(value)} `,
          ),
        ).toBe(true);
        expect(error.message.endsWith(`. Allowed: ${error.allowed}.`)).toBe(
          true,
        );
      }
      // every backups/* annotation of the table is covered
      expect(
        Object.values(BACKUPS_ANNOTATIONS).filter(
          name => !(name in annotations),
        ),
      ).toEqual([]);
    });

    it('reports several bad annotations of an otherwise valid entity together', () => {
      expect(
        errorsOf({
          ...full,
          'backups/rpo': 'soon',
          'backups/database-host': 'db:70000',
        }),
      ).toEqual([
        badValue('backups/rpo', 'soon', 'is not a duration', DURATION),
        badValue(
          'backups/database-host',
          'db:70000',
          'has a port out of range',
          HOST,
        ),
      ]);
    });
  });
});
