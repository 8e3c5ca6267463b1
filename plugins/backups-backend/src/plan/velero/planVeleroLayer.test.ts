import { LabelSelectorRequirement } from '@backups-for-backstage/plugin-backups-common';
import {
  LONG_ENTITY_NAME,
  longNamePlanContext,
  planContextFor,
} from '../__testUtils__/planContext';
import { NAME_LIMITS } from '../naming';
import { PlannedObject } from '../types';
import { MAX_LOCK_SECONDS } from './consistencyHooks';
import { planVeleroLayer } from './planVeleroLayer';

type Spec = {
  schedule: string;
  useOwnerReferencesInBackup: boolean;
  template: Record<string, any>;
};

function onlySchedule(plan: ReturnType<typeof planVeleroLayer>) {
  expect(plan.layer).toBe('velero');
  expect(plan.objects).toHaveLength(1);
  return plan.objects[0] as PlannedObject & { spec: Spec };
}

describe('planVeleroLayer', () => {
  it('plans one Schedule in the Velero namespace selecting the component', () => {
    const schedule = onlySchedule(planVeleroLayer(planContextFor()));
    expect(schedule).toEqual({
      apiVersion: 'velero.io/v1',
      kind: 'Schedule',
      metadata: {
        name: 'orders-velero',
        namespace: 'velero',
        labels: {
          'app.kubernetes.io/managed-by': 'backstage-backups',
          'backups/entity-kind': 'component',
          'backups/entity-namespace': 'default',
          'backups/entity-name': 'orders',
          'backups/layer': 'velero',
        },
        annotations: { 'backups/entity-ref': 'component:default/orders' },
      },
      spec: {
        schedule: '0 * * * *',
        useOwnerReferencesInBackup: false,
        template: expect.objectContaining({
          includedNamespaces: ['shop'],
          labelSelector: {
            matchLabels: { 'backstage.io/kubernetes-id': 'orders' },
          },
          excludedResources: ['events', 'events.events.k8s.io'],
          ttl: '168h',
          snapshotVolumes: true,
        }),
      },
    });
  });

  it('labels the Backups it makes with the managed labels', () => {
    const schedule = onlySchedule(planVeleroLayer(planContextFor()));
    expect(schedule.spec.template.metadata).toEqual({
      labels: schedule.metadata.labels,
    });
  });

  it('sets ttl and snapshotVolumes from the intent and the storage location from the cluster', () => {
    const without = onlySchedule(planVeleroLayer(planContextFor()));
    expect(without.spec.template).not.toHaveProperty('storageLocation');

    const schedule = onlySchedule(
      planVeleroLayer(
        planContextFor({
          intent: {
            velero: {
              schedule: '15 */2 * * *',
              ttl: '720h0m0s',
              snapshotVolumes: false,
            },
          },
          cluster: {
            veleroNamespace: 'backup-system',
            veleroStorageLocation: 'aws-eu',
          },
        }),
      ),
    );
    expect(schedule.metadata.namespace).toBe('backup-system');
    expect(schedule.spec.schedule).toBe('15 */2 * * *');
    expect(schedule.spec.template).toMatchObject({
      ttl: '720h0m0s',
      snapshotVolumes: false,
      storageLocation: 'aws-eu',
    });
  });

  it('plans nothing without a velero intent', () => {
    expect(
      planVeleroLayer(planContextFor({ intent: { velero: undefined } })),
    ).toEqual({ layer: 'velero', objects: [] });
  });

  describe('label selector conversion', () => {
    const selectorFor = (requirements: LabelSelectorRequirement[]) => {
      const schedule = onlySchedule(
        planVeleroLayer(
          planContextFor({
            intent: {
              workload: { namespace: 'shop', labelSelector: 'x', requirements },
            },
          }),
        ),
      );
      return schedule.spec.template.labelSelector;
    };

    it('turns a single-valued In into matchLabels', () => {
      expect(
        selectorFor([{ key: 'app', operator: 'In', values: ['orders'] }]),
      ).toEqual({ matchLabels: { app: 'orders' } });
    });

    it('keeps In with several values, NotIn, Exists and DoesNotExist as expressions', () => {
      expect(
        selectorFor([
          { key: 'app', operator: 'In', values: ['orders'] },
          { key: 'env', operator: 'In', values: ['prod', 'staging'] },
          { key: 'tier', operator: 'NotIn', values: ['cache'] },
          { key: 'team', operator: 'Exists', values: [] },
          { key: 'legacy', operator: 'DoesNotExist', values: [] },
        ]),
      ).toEqual({
        matchLabels: { app: 'orders' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['prod', 'staging'] },
          { key: 'tier', operator: 'NotIn', values: ['cache'] },
          { key: 'team', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      });
    });

    it('never loses a second In on the same key to the matchLabels map', () => {
      expect(
        selectorFor([
          { key: 'app', operator: 'In', values: ['a'] },
          { key: 'app', operator: 'In', values: ['b'] },
        ]),
      ).toEqual({
        matchLabels: { app: 'a' },
        matchExpressions: [{ key: 'app', operator: 'In', values: ['b'] }],
      });
    });

    it('uses the same selector for the hook resource', () => {
      const schedule = onlySchedule(
        planVeleroLayer(
          planContextFor({
            intent: {
              workload: {
                namespace: 'shop',
                labelSelector: 'x',
                requirements: [
                  { key: 'tier', operator: 'NotIn', values: ['cache'] },
                ],
              },
            },
          }),
        ),
      );
      const [resource] = schedule.spec.template.hooks.resources;
      expect(resource.includedNamespaces).toEqual(['shop']);
      expect(resource.labelSelector).toEqual(
        schedule.spec.template.labelSelector,
      );
    });
  });

  describe('consistency hooks', () => {
    const hooksFor = (engine?: 'postgres' | 'mysql' | 'mongodb') => {
      const base = planContextFor();
      const schedule = onlySchedule(
        planVeleroLayer(
          planContextFor({
            intent: {
              database: engine
                ? { ...base.intent.database!, engine }
                : undefined,
            },
          }),
        ),
      );
      return schedule.spec.template.hooks;
    };

    it('has no hooks without a database engine', () => {
      expect(hooksFor(undefined)).toBeUndefined();
    });

    it('holds a MySQL read lock in a background session and kills it afterwards', () => {
      const { resources } = hooksFor('mysql');
      expect(resources).toHaveLength(1);
      const [resource] = resources;
      expect(resource.name).toBe('mysql-consistency');
      expect(resource.pre).toEqual([
        {
          exec: {
            command: ['/bin/sh', '-c', expect.any(String)],
            onError: 'Fail',
            timeout: '90s',
          },
        },
      ]);
      expect(resource.post).toEqual([
        {
          exec: {
            command: ['/bin/sh', '-c', expect.any(String)],
            onError: 'Continue',
            timeout: '30s',
          },
        },
      ]);
      const pre = resource.pre[0].exec.command[2] as string;
      expect(pre).toContain('FLUSH TABLES WITH READ LOCK');
      // the lock session outlives the hook and is bounded
      expect(pre).toMatch(/nohup .*&$/m);
      expect(pre).toContain(`SLEEP(${MAX_LOCK_SECONDS})`);
      expect(pre).toContain('information_schema.PROCESSLIST');
      expect(resource.post[0].exec.command[2]).toContain('KILL $id');
    });

    it('checkpoints Postgres before the backup, with nothing to undo after', () => {
      const [resource] = hooksFor('postgres').resources;
      expect(resource.name).toBe('postgres-consistency');
      expect(resource.pre).toHaveLength(1);
      expect(resource.pre[0].exec).toMatchObject({
        onError: 'Fail',
        timeout: '120s',
      });
      expect(resource.pre[0].exec.command[2]).toMatch(
        /psql .*--command=CHECKPOINT/,
      );
      expect(resource).not.toHaveProperty('post');
    });

    it('fsync-locks MongoDB and unlocks it after, with a bounded watchdog', () => {
      const [resource] = hooksFor('mongodb').resources;
      expect(resource.name).toBe('mongodb-consistency');
      expect(resource.pre[0].exec).toMatchObject({
        onError: 'Fail',
        timeout: '60s',
      });
      expect(resource.post[0].exec).toMatchObject({
        onError: 'Continue',
        timeout: '30s',
      });
      const pre = resource.pre[0].exec.command[2] as string;
      expect(pre).toContain('mongosh');
      expect(pre).toContain('db.fsyncLock()');
      expect(pre).toContain(`sleep ${MAX_LOCK_SECONDS}`);
      expect(resource.post[0].exec.command[2]).toContain('db.fsyncUnlock()');
    });

    it('uses only the Velero 1.18 exec hook fields', () => {
      for (const engine of ['postgres', 'mysql', 'mongodb'] as const) {
        const [resource] = hooksFor(engine).resources;
        for (const hook of [...resource.pre, ...(resource.post ?? [])]) {
          expect(Object.keys(hook)).toEqual(['exec']);
          for (const key of Object.keys(hook.exec)) {
            expect(['container', 'command', 'onError', 'timeout']).toContain(
              key,
            );
          }
          expect(hook.exec.timeout).toMatch(/^\d+s$/);
        }
      }
    });
  });

  it('keeps the name and label values within limits for a 63-character entity name', () => {
    const ctx = longNamePlanContext();
    expect(ctx.entity.name).toBe(LONG_ENTITY_NAME);
    expect(LONG_ENTITY_NAME).toHaveLength(63);
    const schedule = onlySchedule(planVeleroLayer(ctx));
    expect(schedule.metadata.name.length).toBeLessThanOrEqual(
      NAME_LIMITS.veleroSchedule,
    );
    expect(schedule.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    for (const value of Object.values(schedule.metadata.labels)) {
      expect(value.length).toBeLessThanOrEqual(63);
      expect(value).toMatch(/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/);
    }
    expect(schedule.metadata.annotations['backups/entity-ref']).toBe(
      ctx.entityRef,
    );
    // stable
    expect(planVeleroLayer(longNamePlanContext())).toEqual(
      planVeleroLayer(ctx),
    );
  });

  it('never puts selector values into hook scripts', () => {
    const hostile = `x'; $(rm -rf /) \`id\` " \n ${'z'.repeat(10_000)} ☃`;
    const scripts = (requirementValue: string) => {
      const schedule = onlySchedule(
        planVeleroLayer(
          planContextFor({
            intent: {
              workload: {
                namespace: 'shop',
                labelSelector: requirementValue,
                requirements: [
                  { key: 'app', operator: 'In', values: [requirementValue] },
                ],
              },
            },
          }),
        ),
      );
      return {
        schedule,
        scripts: schedule.spec.template.hooks.resources.flatMap(
          (resource: any) =>
            [...resource.pre, ...(resource.post ?? [])].map(
              (hook: any) => hook.exec.command,
            ),
        ),
      };
    };
    const normal = scripts('orders');
    const evil = scripts(hostile);
    expect(evil.scripts).toEqual(normal.scripts);
    expect(JSON.stringify(evil.scripts)).not.toContain('rm -rf');
    expect(evil.schedule.spec.template.labelSelector).toEqual({
      matchLabels: { app: hostile },
    });
  });
});
