import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { BACKUPS_ANNOTATIONS } from '@backups-for-backstage/plugin-backups-common';
import { readBackupsConfig } from '../config/readBackupsConfig';
import { planEntity } from './planEntity';
import { PlannedObject } from './types';

const config = readBackupsConfig(
  new ConfigReader({
    backups: {
      defaultCluster: 'prod',
      clusters: [{ name: 'prod', url: 'https://10.0.0.1:6443' }],
      policies: {
        gold: {
          rpo: '1h',
          rto: '30m',
          velero: { schedule: '0 * * * *' },
          database: { schedule: '*/30 * * * *' },
          volumeSnapshots: { schedule: '0 */6 * * *' },
        },
      },
    },
  }),
);

const valid: Record<string, string> = {
  'backstage.io/kubernetes-id': 'orders',
  'backstage.io/kubernetes-namespace': 'shop',
  [BACKUPS_ANNOTATIONS.policy]: 'gold',
  [BACKUPS_ANNOTATIONS.database]: 'postgres',
  [BACKUPS_ANNOTATIONS.databaseHost]: 'orders-db:5432',
  [BACKUPS_ANNOTATIONS.databaseName]: 'orders',
  [BACKUPS_ANNOTATIONS.databaseSecret]: 'orders-db-credentials',
  [BACKUPS_ANNOTATIONS.volumeSnapshotPvcs]: 'orders-data',
  [BACKUPS_ANNOTATIONS.drillVerify]: 'SELECT 1 FROM orders LIMIT 1',
};

const MARK = 'zq9x';
const HOSTILE = [
  `; rm -rf / #${MARK}`,
  `$(curl evil)${MARK}`,
  `\`id\`${MARK}`,
  `'${MARK}'`,
  `"${MARK}"`,
  `${MARK}\nexit 0`,
  `${MARK}${'A'.repeat(10 * 1024)}`,
  `ünï${MARK}çødé ☃`,
  `orders${MARK}`,
  `SELECT '${MARK}; DROP TABLE x' FROM t`,
];

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'orders', namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team', lifecycle: 'production' },
  };
}

/** Every shell script text (`sh -c <script>`) in the planned objects. */
function scriptsOf(objects: PlannedObject[]): string[] {
  const scripts: string[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (value && typeof value === 'object') {
      const command = (value as { command?: unknown }).command;
      if (
        Array.isArray(command) &&
        command.length >= 3 &&
        command[1] === '-c'
      ) {
        scripts.push(String(command[2]));
      }
      Object.values(value).forEach(visit);
    }
  };
  visit(objects);
  return scripts;
}

describe('annotation values never reach shell text', () => {
  const annotations = [
    ...Object.values(BACKUPS_ANNOTATIONS),
    'backstage.io/kubernetes-id',
    'backstage.io/kubernetes-namespace',
    'backstage.io/kubernetes-label-selector',
  ];
  const cases = annotations.flatMap(annotation =>
    HOSTILE.map(value => [
      annotation,
      JSON.stringify(value).slice(0, 40),
      value,
    ]),
  );

  it.each(cases)('%s = %s', (annotation, _, value) => {
    const plan = planEntity({
      entity: entity({ ...valid, [annotation]: value }),
      config,
    });
    // The one kind of outcome that is never allowed: a planned object whose
    // script text carries the value.
    const scripts =
      plan.state === 'planned'
        ? scriptsOf(plan.clusters.flatMap(c => c.objects))
        : [];
    expect(scripts.filter(script => script.includes(MARK))).toEqual([]);
    expect(['planned', 'invalid']).toContain(plan.state);
  });

  it('rejects the hostile values where the annotation has a format, naming the annotation', () => {
    for (const annotation of [
      BACKUPS_ANNOTATIONS.databaseHost,
      BACKUPS_ANNOTATIONS.databaseName,
      BACKUPS_ANNOTATIONS.databaseSecret,
      BACKUPS_ANNOTATIONS.volumeSnapshotPvcs,
      BACKUPS_ANNOTATIONS.veleroSchedule,
      'backstage.io/kubernetes-id',
    ]) {
      for (const value of HOSTILE.slice(0, 8)) {
        const plan = planEntity({
          entity: entity({ ...valid, [annotation]: value }),
          config,
        });
        expect(plan).toMatchObject({
          state: 'invalid',
          errors: expect.arrayContaining([
            expect.objectContaining({ annotation }),
          ]),
        });
      }
    }
  });

  it('passes accepted values (a drill query with quotes) only as environment or arguments', () => {
    const plan = planEntity({ entity: entity(valid), config });
    expect(plan.state).toBe('planned');
    const scripts =
      plan.state === 'planned' ? scriptsOf(plan.clusters[0].objects) : [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) {
      expect(script).not.toContain('orders-db');
      expect(script).not.toContain('orders-data');
    }
  });
});
