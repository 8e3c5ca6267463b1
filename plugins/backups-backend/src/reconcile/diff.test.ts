import { loadRealApiserverRecordings } from '@backups-for-backstage/kube-sandbox';
import { differingPaths } from './diff';

const cronJob = () => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'dump', labels: { 'backups/layer': 'database' } },
  spec: {
    schedule: '*/30 * * * *',
    jobTemplate: {
      spec: {
        template: {
          spec: {
            restartPolicy: 'Never',
            automountServiceAccountToken: false,
            containers: [
              {
                name: 'dump',
                image: 'postgres:16',
                env: [
                  { name: 'DB_HOST', value: 'orders-db' },
                  { name: 'DB_NAMES', value: '' },
                  {
                    name: 'NAMESPACE',
                    valueFrom: {
                      fieldRef: { fieldPath: 'metadata.namespace' },
                    },
                  },
                ],
                resources: { requests: { memory: '1024Mi', cpu: '0.1' } },
                volumeMounts: [
                  { name: 'dumps', mountPath: '/backups' },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
            ],
            volumes: [
              { name: 'dumps', persistentVolumeClaim: { claimName: 'd' } },
              { name: 'tmp', emptyDir: {} },
            ],
          },
        },
      },
    },
  },
});

/** What a real server answers for cronJob(): its defaults, canonical quantities, env in another order. */
const answeredCronJob = () => {
  const live: any = cronJob();
  live.metadata.uid = 'abc';
  live.spec.suspend = false;
  live.spec.concurrencyPolicy = 'Allow';
  live.status = {};
  const template = live.spec.jobTemplate.spec.template;
  template.metadata = { creationTimestamp: null };
  Object.assign(template.spec, {
    dnsPolicy: 'ClusterFirst',
    schedulerName: 'default-scheduler',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
  });
  const container = template.spec.containers[0];
  Object.assign(container, {
    imagePullPolicy: 'IfNotPresent',
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    resources: { requests: { memory: '1Gi', cpu: '100m' } },
    env: [
      {
        name: 'NAMESPACE',
        valueFrom: {
          fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' },
        },
      },
      { name: 'DB_NAMES' },
      { name: 'DB_HOST', value: 'orders-db' },
    ],
    volumeMounts: [...container.volumeMounts].reverse(),
  });
  return live;
};

describe('differingPaths: compares like Kubernetes', () => {
  it.each(
    loadRealApiserverRecordings().map(
      r => [r.file, r.sent, r.answered] as const,
    ),
  )(
    'finds no difference between what was sent and what a real v1.32 answered: %s',
    (_file, sent, answered) => {
      expect(differingPaths(sent, answered)).toEqual([]);
    },
  );

  it('ignores server defaults, omitted empty values, list order of keyed items and quantity notation', () => {
    expect(differingPaths(cronJob(), answeredCronJob())).toEqual([]);
  });

  it('ignores a default a future Kubernetes adds, at any depth', () => {
    const live = answeredCronJob();
    live.spec.futureCronJobDefault = 'x';
    const template = live.spec.jobTemplate.spec.template;
    template.spec.hostUsers = true;
    template.spec.containers[0].futureContainerDefault = { mode: 'auto' };
    template.spec.volumes[1].emptyDir.medium = 'Disk';
    expect(differingPaths(cronJob(), live)).toEqual([]);
  });

  describe('still sees real changes', () => {
    const path = 'spec.jobTemplate.spec.template.spec';

    it.each<[string, (live: any) => void, string]>([
      [
        'the schedule',
        live => (live.spec.schedule = '0 * * * *'),
        'spec.schedule',
      ],
      [
        'an env value',
        live =>
          (live.spec.jobTemplate.spec.template.spec.containers[0].env[2].value =
            'other-db'),
        `${path}.containers`,
      ],
      [
        'an env var added by hand',
        live =>
          live.spec.jobTemplate.spec.template.spec.containers[0].env.push({
            name: 'X',
            value: '1',
          }),
        `${path}.containers`,
      ],
      [
        'an env var removed',
        live =>
          live.spec.jobTemplate.spec.template.spec.containers[0].env.pop(),
        `${path}.containers`,
      ],
      [
        'the image',
        live =>
          (live.spec.jobTemplate.spec.template.spec.containers[0].image =
            'postgres:17'),
        `${path}.containers`,
      ],
      [
        'a sidecar container',
        live =>
          live.spec.jobTemplate.spec.template.spec.containers.push({
            name: 'side',
            image: 'x',
          }),
        `${path}.containers`,
      ],
      [
        'a quantity',
        live =>
          (live.spec.jobTemplate.spec.template.spec.containers[0].resources.requests.memory =
            '2Gi'),
        `${path}.containers`,
      ],
      [
        'a mount moved',
        live =>
          (live.spec.jobTemplate.spec.template.spec.containers[0].volumeMounts[0].mountPath =
            '/elsewhere'),
        `${path}.containers`,
      ],
      [
        'a false pointer turned true',
        live =>
          (live.spec.jobTemplate.spec.template.spec.automountServiceAccountToken =
            true),
        `${path}.automountServiceAccountToken`,
      ],
      [
        'an emptyDir swapped for a hostPath',
        live =>
          (live.spec.jobTemplate.spec.template.spec.volumes[1] = {
            name: 'tmp',
            hostPath: { path: '/' },
          }),
        `${path}.volumes`,
      ],
      [
        'a label',
        live => (live.metadata.labels['backups/layer'] = 'velero'),
        'metadata.labels.backups/layer',
      ],
    ])('%s', (_what, change, changed) => {
      const live = answeredCronJob();
      change(live);
      expect(differingPaths(cronJob(), live)).toEqual([changed]);
    });
  });

  it('compares unkeyed lists item by item, each as a subset (RBAC rules, subjects)', () => {
    const role = {
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
    };
    expect(
      differingPaths(role, {
        rules: [
          { apiGroups: [''], resources: ['pods'], verbs: ['get'], extra: 1 },
        ],
      }),
    ).toEqual([]);
    expect(
      differingPaths(role, {
        rules: [
          { apiGroups: [''], resources: ['pods'], verbs: ['get', 'delete'] },
        ],
      }),
    ).toEqual(['rules']);
  });
});
