import { defaultBuiltinObject } from './kindDefaults';
import { reencodeLikeGo } from './goSerialization';
import { imageTag } from './podDefaults';

const create = { operation: 'create' as const };

function podTemplate(spec: Record<string, unknown> = {}) {
  return {
    metadata: { labels: { app: 'web' } },
    spec: { containers: [{ name: 'web', image: 'nginx:1.27' }], ...spec },
  };
}

/** What SetDefaults_PodSpec and SetDefaults_Container make of podTemplate(). */
const DEFAULTED_TEMPLATE = {
  metadata: { labels: { app: 'web' }, creationTimestamp: null },
  spec: {
    containers: [
      {
        name: 'web',
        image: 'nginx:1.27',
        imagePullPolicy: 'IfNotPresent',
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      },
    ],
    dnsPolicy: 'ClusterFirst',
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
  },
};

describe('Go encoding of built-in objects', () => {
  it('drops empty omitempty fields and keeps empty structs, map entries and list items', () => {
    expect(
      reencodeLikeGo({
        metadata: { name: 'x', labels: {}, annotations: { note: '' } },
        spec: {
          containers: [
            {
              name: 'c',
              image: 'busybox',
              args: [],
              env: [{ name: 'EMPTY', value: '' }],
              command: ['sh', '', '-c'],
            },
          ],
          nodeSelector: {},
          volumes: [{ name: 'tmp', emptyDir: {} }],
          securityContext: {},
          hostname: '',
          subdomain: null,
        },
      }),
    ).toEqual({
      metadata: { name: 'x', annotations: { note: '' } },
      spec: {
        containers: [
          {
            name: 'c',
            image: 'busybox',
            env: [{ name: 'EMPTY' }],
            command: ['sh', '', '-c'],
          },
        ],
        volumes: [{ name: 'tmp', emptyDir: {} }],
        securityContext: {},
      },
    });
  });

  it('keeps an empty string where Go has a pointer (storageClassName: "" means no class)', () => {
    expect(
      reencodeLikeGo({
        spec: { storageClassName: '', volumeName: '' },
      }),
    ).toEqual({ spec: { storageClassName: '' } });
  });

  it("keeps a Service's selector map whole", () => {
    expect(
      reencodeLikeGo({ spec: { selector: { app: 'web', tier: '' } } }),
    ).toEqual({ spec: { selector: { app: 'web', tier: '' } } });
  });
});

describe('image pull policy by tag', () => {
  it.each([
    ['nginx', 'latest'],
    ['nginx:latest', 'latest'],
    ['docker.io/bitnami/kubectl:latest', 'latest'],
    ['postgres:16', '16'],
    ['registry.local:5000/team/app', 'latest'],
    ['registry.local:5000/team/app:2.1', '2.1'],
    ['app@sha256:0123', ''],
    ['app:1.0@sha256:0123', '1.0'],
  ])('%s has tag %j', (image, tag) => {
    expect(imageTag(image)).toBe(tag);
  });

  it('is Always for latest (or no tag) and IfNotPresent otherwise, unless set', () => {
    const policies = (
      defaultBuiltinObject(
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'p' },
          spec: {
            containers: [
              { name: 'a', image: 'busybox' },
              { name: 'b', image: 'busybox:1.36' },
              { name: 'c', image: 'busybox:1.36', imagePullPolicy: 'Never' },
            ],
          },
        },
        create,
      ).spec as any
    ).containers.map((c: any) => c.imagePullPolicy);
    expect(policies).toEqual(['Always', 'IfNotPresent', 'Never']);
  });
});

describe('defaults per kind (SetDefaults_* of Kubernetes v1.32)', () => {
  it('Deployment: replicas, RollingUpdate 25%/25%, history 10, deadline 600, pod template', () => {
    expect(
      defaultBuiltinObject(
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'web' },
          spec: {
            selector: { matchLabels: { app: 'web' } },
            template: podTemplate(),
          },
        },
        create,
      ),
    ).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
        },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
        template: DEFAULTED_TEMPLATE,
      },
      status: {},
    });
  });

  it('StatefulSet: policies, partition 0, PVC retention, and embedded claims with their type meta and status', () => {
    const set = defaultBuiltinObject(
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'db' },
        spec: {
          serviceName: 'db',
          selector: { matchLabels: { app: 'web' } },
          template: podTemplate(),
          volumeClaimTemplates: [
            {
              metadata: { name: 'data' },
              spec: {
                accessModes: ['ReadWriteOnce'],
                resources: { requests: { storage: '1Gi' } },
              },
            },
          ],
        },
      },
      create,
    );
    expect(set.spec).toEqual({
      serviceName: 'db',
      selector: { matchLabels: { app: 'web' } },
      podManagementPolicy: 'OrderedReady',
      updateStrategy: {
        type: 'RollingUpdate',
        rollingUpdate: { partition: 0 },
      },
      persistentVolumeClaimRetentionPolicy: {
        whenDeleted: 'Retain',
        whenScaled: 'Retain',
      },
      replicas: 1,
      revisionHistoryLimit: 10,
      template: DEFAULTED_TEMPLATE,
      volumeClaimTemplates: [
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: 'data', creationTimestamp: null },
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: '1Gi' } },
            volumeMode: 'Filesystem',
          },
          status: { phase: 'Pending' },
        },
      ],
    });
    expect(set.status).toEqual({ replicas: 0, availableReplicas: 0 });
  });

  it('Job: completions and parallelism 1, backoffLimit 6, NonIndexed, not suspended, the generated selector and labels', () => {
    const job = defaultBuiltinObject(
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'once', uid: 'u-1' },
        spec: { template: podTemplate({ restartPolicy: 'Never' }) },
      },
      create,
    );
    const uidLabels = {
      'batch.kubernetes.io/controller-uid': 'u-1',
      'batch.kubernetes.io/job-name': 'once',
      'controller-uid': 'u-1',
      'job-name': 'once',
    };
    expect(job).toEqual({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: 'once',
        uid: 'u-1',
        labels: { app: 'web', ...uidLabels },
      },
      spec: {
        completions: 1,
        parallelism: 1,
        backoffLimit: 6,
        completionMode: 'NonIndexed',
        suspend: false,
        podReplacementPolicy: 'TerminatingOrFailed',
        selector: {
          matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' },
        },
        template: {
          ...DEFAULTED_TEMPLATE,
          metadata: {
            ...DEFAULTED_TEMPLATE.metadata,
            labels: { app: 'web', ...uidLabels },
          },
          spec: { ...DEFAULTED_TEMPLATE.spec, restartPolicy: 'Never' },
        },
      },
      status: {},
    });
  });

  it('Job: keeps a manual selector, and Failed replacement with a pod failure policy', () => {
    const job = defaultBuiltinObject(
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'manual', uid: 'u-2' },
        spec: {
          manualSelector: true,
          selector: { matchLabels: { app: 'web' } },
          podFailurePolicy: { rules: [] },
          parallelism: 3,
          template: podTemplate({ restartPolicy: 'Never' }),
        },
      },
      create,
    ).spec as any;
    expect(job.selector).toEqual({ matchLabels: { app: 'web' } });
    expect(job.completions).toBeUndefined();
    expect(job.parallelism).toBe(3);
    expect(job.podReplacementPolicy).toBe('Failed');
  });

  it('Pod: service links, requests from limits, Pending with its QoS class', () => {
    const pod = defaultBuiltinObject(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p' },
        spec: {
          containers: [
            {
              name: 'c',
              image: 'busybox:1.36',
              resources: { limits: { cpu: '1', memory: '1Gi' } },
              ports: [{ containerPort: 80 }],
            },
          ],
        },
      },
      create,
    );
    expect((pod.spec as any).enableServiceLinks).toBe(true);
    expect((pod.spec as any).containers[0].resources.requests).toEqual({
      cpu: '1',
      memory: '1Gi',
    });
    expect((pod.spec as any).containers[0].ports).toEqual([
      { containerPort: 80, protocol: 'TCP' },
    ]);
    expect(pod.status).toEqual({ phase: 'Pending', qosClass: 'Guaranteed' });
  });

  it('Service: ClusterIP, no affinity, TCP ports aimed at their own number, cluster traffic policy', () => {
    const service = defaultBuiltinObject(
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 's' },
        spec: { selector: { app: 'web' }, ports: [{ port: 5432 }] },
      },
      create,
    );
    expect(service.spec).toEqual({
      selector: { app: 'web' },
      ports: [{ port: 5432, protocol: 'TCP', targetPort: 5432 }],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
    });
    expect(service.status).toEqual({ loadBalancer: {} });
  });

  it('PersistentVolumeClaim, Secret and Namespace', () => {
    expect(
      defaultBuiltinObject(
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'] },
        },
        create,
      ),
    ).toMatchObject({
      spec: { volumeMode: 'Filesystem' },
      status: { phase: 'Pending' },
    });
    expect(
      defaultBuiltinObject(
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } },
        create,
      ),
    ).toMatchObject({ type: 'Opaque' });
    expect(
      defaultBuiltinObject(
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } },
        create,
      ),
    ).toMatchObject({
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  });

  it('volumes: emptyDir when no source, file modes 0644, downward API field versions', () => {
    const pod = defaultBuiltinObject(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p' },
        spec: {
          containers: [
            {
              name: 'c',
              image: 'busybox:1.36',
              env: [
                {
                  name: 'NS',
                  valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } },
                },
              ],
            },
          ],
          volumes: [
            { name: 'scratch' },
            { name: 'creds', secret: { secretName: 'db' } },
            { name: 'conf', configMap: { name: 'app' } },
          ],
        },
      },
      create,
    ).spec as any;
    expect(pod.volumes).toEqual([
      { name: 'scratch', emptyDir: {} },
      { name: 'creds', secret: { secretName: 'db', defaultMode: 420 } },
      { name: 'conf', configMap: { name: 'app', defaultMode: 420 } },
    ]);
    expect(pod.containers[0].env[0].valueFrom.fieldRef).toEqual({
      fieldPath: 'metadata.namespace',
      apiVersion: 'v1',
    });
  });

  it('is idempotent: defaulting a defaulted object changes nothing', () => {
    const once = defaultBuiltinObject(
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'c' },
        spec: {
          schedule: '@daily',
          jobTemplate: { spec: { template: podTemplate() } },
        },
      },
      create,
    );
    expect(defaultBuiltinObject(once, { operation: 'update' })).toEqual(once);
  });
});
