import { VolumeSnapshotIntent } from '@backups-for-backstage/plugin-backups-common';
import {
  longNamePlanContext,
  planContextFor,
  PlanContextOverrides,
  TEST_SNAPSHOT_JOB_IMAGE,
} from '../__testUtils__/planContext';
import { NAME_LIMITS } from '../naming';
import { PlannedObject } from '../types';
import {
  planVolumeSnapshotLayer,
  singleUnitGoDuration,
} from './planVolumeSnapshotLayer';
import { SNAPSHOT_SCRIPT } from './snapshotScript';

const MANAGED_LABELS = {
  'app.kubernetes.io/managed-by': 'backstage-backups',
  'backups/entity-kind': 'component',
  'backups/entity-namespace': 'default',
  'backups/entity-name': 'orders',
  'backups/layer': 'volume-snapshot',
};

const selectorPvcs: VolumeSnapshotIntent['pvcs'] = {
  type: 'selector',
  labelSelector: 'app=orders,tier!=cache',
  requirements: [
    { key: 'app', operator: 'In', values: ['orders'] },
    { key: 'tier', operator: 'NotIn', values: ['cache'] },
  ],
};

function contextWith(
  volumeSnapshot: Partial<VolumeSnapshotIntent>,
  overrides: PlanContextOverrides = {},
) {
  const base = planContextFor(overrides);
  return planContextFor({
    ...overrides,
    intent: {
      ...overrides.intent,
      volumeSnapshot: { ...base.intent.volumeSnapshot!, ...volumeSnapshot },
    },
  });
}

function byKind(objects: PlannedObject[]) {
  return Object.fromEntries(objects.map(o => [o.kind, o as any]));
}

function envOf(cronJob: any): Record<string, any> {
  const [container] = cronJob.spec.jobTemplate.spec.template.spec.containers;
  return Object.fromEntries(
    container.env.map((e: any) => [e.name, e.value ?? e.valueFrom]),
  );
}

function scriptOf(cronJob: any): string[] {
  return cronJob.spec.jobTemplate.spec.template.spec.containers[0].command;
}

describe('planVolumeSnapshotLayer', () => {
  it('plans nothing without a volume snapshot intent', () => {
    expect(
      planVolumeSnapshotLayer(
        planContextFor({ intent: { volumeSnapshot: undefined } }),
      ),
    ).toEqual({ layer: 'volume-snapshot', objects: [] });
  });

  describe('with SnapScheduler and a PVC selector', () => {
    const plan = (
      volumeSnapshot: Partial<VolumeSnapshotIntent> = {},
      overrides: PlanContextOverrides = {},
    ) =>
      planVolumeSnapshotLayer(
        contextWith(
          { pvcs: selectorPvcs, ...volumeSnapshot },
          {
            ...overrides,
            cluster: { hasSnapScheduler: true, ...overrides.cluster },
          },
        ),
      );

    it('plans one SnapshotSchedule in the workload namespace', () => {
      const { layer, objects } = plan({ className: 'csi-hostpath-snapclass' });
      expect(layer).toBe('volume-snapshot');
      expect(objects).toEqual([
        {
          apiVersion: 'snapscheduler.backube/v1',
          kind: 'SnapshotSchedule',
          metadata: {
            name: 'orders-snapshots',
            namespace: 'shop',
            labels: MANAGED_LABELS,
            annotations: { 'backups/entity-ref': 'component:default/orders' },
          },
          spec: {
            claimSelector: {
              matchLabels: { app: 'orders' },
              matchExpressions: [
                { key: 'tier', operator: 'NotIn', values: ['cache'] },
              ],
            },
            retention: { maxCount: 10 },
            schedule: '0 */6 * * *',
            snapshotTemplate: {
              labels: MANAGED_LABELS,
              snapshotClassName: 'csi-hostpath-snapclass',
            },
          },
        },
      ]);
    });

    it('leaves the class out when none is set', () => {
      const [schedule] = plan().objects as any[];
      expect(schedule.spec.snapshotTemplate).not.toHaveProperty(
        'snapshotClassName',
      );
    });

    it('writes an age retention as a single-unit Go duration', () => {
      const [schedule] = plan({
        retention: {
          type: 'age',
          maxAge: { text: '7d', milliseconds: 7 * 24 * 3600_000 },
        },
      }).objects as any[];
      expect(schedule.spec.retention).toEqual({ expires: '168h' });
      expect(singleUnitGoDuration(90 * 60_000)).toBe('90m');
      expect(singleUnitGoDuration(1500)).toBe('2s');
      for (const ms of [1, 1000, 61_000, 3600_000, 5 * 86_400_000]) {
        expect(singleUnitGoDuration(ms)).toMatch(/^\d+(h|m|s)$/);
      }
    });

    it('falls back to the CronJob for PVC names, which claimSelector cannot select', () => {
      const { objects } = plan({
        pvcs: { type: 'names', names: ['orders-data'] },
      });
      expect(objects.map(o => o.kind)).toEqual([
        'CronJob',
        'ServiceAccount',
        'Role',
        'RoleBinding',
      ]);
    });

    it('falls back to the CronJob for a cron SnapScheduler does not accept', () => {
      const { objects } = plan({ schedule: '0 9 * * MON-FRI' });
      expect(objects[0].kind).toBe('CronJob');
    });
  });

  describe('without SnapScheduler', () => {
    const objects = (
      volumeSnapshot: Partial<VolumeSnapshotIntent> = {},
      overrides: PlanContextOverrides = {},
    ) =>
      planVolumeSnapshotLayer(contextWith(volumeSnapshot, overrides)).objects;

    it('plans a CronJob, ServiceAccount, Role and RoleBinding in the workload namespace', () => {
      const planned = objects();
      expect(planned.map(o => o.kind)).toEqual([
        'CronJob',
        'ServiceAccount',
        'Role',
        'RoleBinding',
      ]);
      for (const object of planned) {
        expect(object.metadata).toEqual({
          name: 'orders-snapshots',
          namespace: 'shop',
          labels: MANAGED_LABELS,
          annotations: { 'backups/entity-ref': 'component:default/orders' },
        });
      }
      const { CronJob, ServiceAccount, Role, RoleBinding } = byKind(planned);
      expect(CronJob.apiVersion).toBe('batch/v1');
      expect(ServiceAccount.apiVersion).toBe('v1');
      expect(Role.apiVersion).toBe('rbac.authorization.k8s.io/v1');
      expect(RoleBinding.apiVersion).toBe('rbac.authorization.k8s.io/v1');
    });

    it('runs the job safely and on schedule', () => {
      const { CronJob } = byKind(objects({ schedule: '0 9 * * MON-FRI' }));
      expect(CronJob.spec).toMatchObject({
        schedule: '0 9 * * MON-FRI',
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: expect.any(Number),
        failedJobsHistoryLimit: expect.any(Number),
        jobTemplate: {
          spec: {
            backoffLimit: expect.any(Number),
            activeDeadlineSeconds: expect.any(Number),
            template: {
              spec: {
                serviceAccountName: 'orders-snapshots',
                restartPolicy: 'Never',
              },
            },
          },
        },
      });
      const [container] =
        CronJob.spec.jobTemplate.spec.template.spec.containers;
      expect(container.image).toBe(TEST_SNAPSHOT_JOB_IMAGE);
      expect(container.command).toEqual(['/bin/sh', '-c', SNAPSHOT_SCRIPT]);
      // Stated, not left to the server's defaults.
      expect(container).toMatchObject({
        imagePullPolicy: expect.stringMatching(/^(Always|IfNotPresent)$/),
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      });
    });

    it('grants only what the script needs, in that namespace only', () => {
      const { Role, RoleBinding } = byKind(objects());
      expect(Role.kind).toBe('Role');
      expect(Role.rules).toEqual([
        {
          apiGroups: ['snapshot.storage.k8s.io'],
          resources: ['volumesnapshots'],
          verbs: ['get', 'list', 'create', 'delete'],
        },
        {
          apiGroups: [''],
          resources: ['persistentvolumeclaims'],
          verbs: ['get', 'list'],
        },
      ]);
      expect(JSON.stringify(Role.rules)).not.toContain('*');
      expect(RoleBinding.roleRef).toEqual({
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: 'orders-snapshots',
      });
      expect(RoleBinding.subjects).toEqual([
        { kind: 'ServiceAccount', name: 'orders-snapshots', namespace: 'shop' },
      ]);
    });

    it('passes PVC names, class, count retention and entity labels as env', () => {
      const { CronJob } = byKind(
        objects({
          pvcs: { type: 'names', names: ['orders-data', 'orders-logs'] },
          className: 'csi-hostpath-snapclass',
        }),
      );
      expect(envOf(CronJob)).toEqual({
        NAMESPACE: {
          fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' },
        },
        PVC_NAMES: 'orders-data,orders-logs',
        SNAPSHOT_CLASS: 'csi-hostpath-snapclass',
        RETENTION_COUNT: '10',
        ENTITY_KIND: 'component',
        ENTITY_NAMESPACE: 'default',
        ENTITY_NAME: 'orders',
        ENTITY_REF: 'component:default/orders',
        READY_TIMEOUT_SECONDS: '600',
        HOME: '/tmp',
      });
    });

    it('passes a PVC selector and an age retention in seconds', () => {
      const { CronJob } = byKind(
        objects({
          pvcs: selectorPvcs,
          retention: {
            type: 'age',
            maxAge: { text: '7d', milliseconds: 7 * 86_400_000 },
          },
        }),
      );
      const env = envOf(CronJob);
      expect(env.PVC_SELECTOR).toBe('app=orders,tier!=cache');
      expect(env.RETENTION_MAX_AGE_SECONDS).toBe(String(7 * 86_400));
      expect(env).not.toHaveProperty('PVC_NAMES');
      expect(env).not.toHaveProperty('RETENTION_COUNT');
      expect(env).not.toHaveProperty('SNAPSHOT_CLASS');
    });

    it('labels snapshots for this entity only and prunes only among them', () => {
      expect(SNAPSHOT_SCRIPT).toContain('"backups/pvc":"%s"');
      expect(SNAPSHOT_SCRIPT).toContain('"backups/layer":"volume-snapshot"');
      expect(SNAPSHOT_SCRIPT).toContain(
        'entity="app.kubernetes.io/managed-by=backstage-backups,backups/entity-kind=$ENTITY_KIND,backups/entity-namespace=$ENTITY_NAMESPACE,backups/entity-name=$ENTITY_NAME,backups/layer=volume-snapshot"',
      );
      expect(SNAPSHOT_SCRIPT).toContain(
        'selector="$entity,backups/pvc=$label"',
      );
      const deletes = SNAPSHOT_SCRIPT.split('\n').filter(line =>
        line.includes('kubectl delete'),
      );
      expect(deletes.length).toBeGreaterThan(0);
    });
  });

  it('keeps names and label values within limits for a 63-character entity name', () => {
    for (const hasSnapScheduler of [false, true]) {
      const ctx = longNamePlanContext({ cluster: { hasSnapScheduler } });
      const planned = planVolumeSnapshotLayer(
        planContextFor({
          entity: ctx.entity,
          cluster: ctx.cluster,
          intent: {
            volumeSnapshot: {
              ...ctx.intent.volumeSnapshot!,
              pvcs: selectorPvcs,
            },
          },
        }),
      ).objects;
      expect(planned.length).toBeGreaterThan(0);
      for (const object of planned) {
        expect(object.metadata.name.length).toBeLessThanOrEqual(
          NAME_LIMITS.cronJob,
        );
        expect(object.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
        for (const value of Object.values(object.metadata.labels)) {
          expect(value.length).toBeLessThanOrEqual(63);
          expect(value).toMatch(/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/);
        }
      }
      // the CronJob path hands the entity's label values to the script
      const entityEnv = planned
        .filter(object => object.kind === 'CronJob')
        .flatMap(cronJob => {
          const env = envOf(cronJob);
          return [env.ENTITY_KIND, env.ENTITY_NAMESPACE, env.ENTITY_NAME];
        });
      expect(entityEnv).toHaveLength(hasSnapScheduler ? 0 : 3);
      for (const value of entityEnv) {
        expect(value.length).toBeLessThanOrEqual(63);
      }
    }
  });

  describe('injection', () => {
    const hostile = [
      `'; $(rm -rf /) \`id\` "\n\\`,
      'a'.repeat(10_000),
      '☃ü\u0000\u202e',
      '"},"spec":{"x":1},"y":{"',
    ];

    it.each(hostile.map(value => [JSON.stringify(value).slice(0, 40), value]))(
      'keeps %s out of the script text',
      (_, value) => {
        const normal = byKind(
          planVolumeSnapshotLayer(
            contextWith({ className: 'csi-hostpath-snapclass' }),
          ).objects,
        ).CronJob;
        for (const volumeSnapshot of [
          { pvcs: { type: 'names' as const, names: ['orders-data', value] } },
          {
            pvcs: {
              type: 'selector' as const,
              labelSelector: value,
              requirements: [
                { key: 'app', operator: 'In' as const, values: [value] },
              ],
            },
          },
          { className: value },
        ]) {
          const { CronJob } = byKind(
            planVolumeSnapshotLayer(
              contextWith(
                { className: 'csi-hostpath-snapclass', ...volumeSnapshot },
                { cluster: { hasSnapScheduler: false } },
              ),
            ).objects,
          );
          expect(scriptOf(CronJob)).toEqual(scriptOf(normal));
          const env = envOf(CronJob);
          expect(
            [env.PVC_NAMES, env.PVC_SELECTOR, env.SNAPSHOT_CLASS].some(
              (v: string | undefined) => v?.includes(value),
            ),
          ).toBe(true);
          // the value appears nowhere but in env values
          const withoutEnv = JSON.parse(JSON.stringify(CronJob));
          withoutEnv.spec.jobTemplate.spec.template.spec.containers[0].env = [];
          expect(JSON.stringify(withoutEnv)).not.toContain(
            JSON.stringify(value).slice(1, -1),
          );
        }
      },
    );

    it('validates every env value in the script before use', () => {
      for (const check of [
        'is_name "$ns"',
        'is_name "$class"',
        'is_name "$pvc"',
        'is_count "$RETENTION_COUNT"',
        'is_count "$RETENTION_MAX_AGE_SECONDS"',
        'is_label_value "$value"',
      ]) {
        expect(SNAPSHOT_SCRIPT).toContain(check);
      }
      expect(SNAPSHOT_SCRIPT).toContain('--selector "$PVC_SELECTOR"');
    });
  });
});
