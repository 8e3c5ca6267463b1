import * as k8s from '@kubernetes/client-node';
import {
  ClusterUnderTest,
  startSandboxCluster,
  statusOf,
} from './__testUtils__/clusterUnderTest';
import { asSent, seedObjects } from './validation/__testUtils__/seedExamples';

/**
 * Every CRD the sandbox serves, through @kubernetes/client-node: the seeds'
 * objects are accepted under their real group and version, broken ones are
 * refused with a 422 that lists each bad field as kube-apiserver does.
 */
describe('custom resources over HTTP', () => {
  let cluster: ClusterUnderTest;

  beforeAll(async () => {
    cluster = await startSandboxCluster();
  });

  afterAll(async () => {
    await cluster.stop();
  });

  function inTestNamespace(object: Record<string, any>) {
    return {
      ...object,
      metadata: {
        ...object.metadata,
        ...(object.metadata.namespace ? { namespace: cluster.namespace } : {}),
      },
    } as k8s.KubernetesObject;
  }

  const served = seedObjects().filter(
    object =>
      /(velero\.io|snapshot\.storage\.k8s\.io|snapscheduler\.backube)\//.test(
        object.apiVersion,
      ) &&
      // Seed 004 writes orderedResources as a list; the CRD says map (see below).
      !(
        object.kind === 'Schedule' &&
        object.metadata.name === 'production-hourly'
      ),
  );

  it('finds the seed examples of every kind the plugin creates', () => {
    expect(new Set(served.map(object => object.kind))).toEqual(
      new Set([
        'Schedule',
        'Backup',
        'BackupStorageLocation',
        'VolumeSnapshotLocation',
        'VolumeSnapshot',
        'VolumeSnapshotClass',
      ]),
    );
  });

  it.each(
    served.map(object => [`${object.kind}/${object.metadata.name}`, object]),
  )('accepts the seed example %s', async (_, object) => {
    const created = await cluster.objects.create(
      inTestNamespace(asSent(object)),
    );
    expect(created.apiVersion).toBe(object.apiVersion);
    expect(created.metadata?.uid).toBeTruthy();
    await cluster.objects.delete(created);
  });

  it('serves a SnapScheduler SnapshotSchedule and a Restore', async () => {
    const schedule = await cluster.objects.create({
      apiVersion: 'snapscheduler.backube/v1',
      kind: 'SnapshotSchedule',
      metadata: { name: 'hourly', namespace: cluster.namespace },
      spec: {
        schedule: '0 * * * *',
        claimSelector: { matchLabels: { app: 'orders' } },
        retention: { maxCount: 10 },
        snapshotTemplate: { snapshotClassName: 'csi-hostpath-snapclass' },
      },
    } as k8s.KubernetesObject);
    expect(schedule.metadata?.name).toBe('hourly');
    const restore = await cluster.objects.create({
      apiVersion: 'velero.io/v1',
      kind: 'Restore',
      metadata: { name: 'orders-restore', namespace: cluster.namespace },
      spec: {
        backupName: 'orders-20260101000000',
        namespaceMapping: { shop: 'drill-orders-1' },
        includedNamespaces: ['shop'],
      },
    } as k8s.KubernetesObject);
    expect(restore.metadata?.name).toBe('orders-restore');
  });

  it('refuses a Schedule whose spec.schedule is a number, as the real server does', async () => {
    const status = await statusOf(
      cluster.objects.create({
        apiVersion: 'velero.io/v1',
        kind: 'Schedule',
        metadata: { name: 'numeric', namespace: cluster.namespace },
        spec: { schedule: 5, template: {} },
      } as k8s.KubernetesObject),
    );
    expect(status).toMatchObject({
      code: 422,
      reason: 'Invalid',
      message:
        'Schedule.velero.io "numeric" is invalid: spec.schedule: Invalid value: "integer": spec.schedule in body must be of type string: "integer"',
      details: {
        name: 'numeric',
        group: 'velero.io',
        kind: 'Schedule',
        causes: [
          {
            reason: 'FieldValueTypeInvalid',
            message:
              'Invalid value: "integer": spec.schedule in body must be of type string: "integer"',
            field: 'spec.schedule',
          },
        ],
      },
    });
  });

  it('refuses seed 004’s list-shaped orderedResources', async () => {
    const seed = seedObjects().find(
      object =>
        object.kind === 'Schedule' &&
        object.metadata.name === 'production-hourly',
    )!;
    const status = await statusOf(
      cluster.objects.create(inTestNamespace(asSent(seed))),
    );
    expect(status.code).toBe(422);
    expect(status.details?.causes).toEqual([
      {
        reason: 'FieldValueTypeInvalid',
        field: 'spec.template.orderedResources',
        message:
          'Invalid value: "array": spec.template.orderedResources in body must be of type object: "array"',
      },
    ]);
  });

  it.each([
    [
      'Backup',
      'velero.io/v1',
      {
        spec: {
          hooks: {
            resources: [
              { pre: [{ exec: { command: ['true'], onError: 'Maybe' } }] },
            ],
          },
        },
      },
      [
        {
          field: 'spec.hooks.resources[0].name',
          reason: 'FieldValueRequired',
          message: 'Required value',
        },
        {
          field: 'spec.hooks.resources[0].pre[0].exec.onError',
          reason: 'FieldValueNotSupported',
          message:
            'Unsupported value: "Maybe": supported values: "Continue", "Fail"',
        },
      ],
    ],
    [
      'BackupStorageLocation',
      'velero.io/v1',
      { spec: { objectStorage: {} } },
      [
        {
          field: 'spec.objectStorage.bucket',
          reason: 'FieldValueRequired',
          message: 'Required value',
        },
        {
          field: 'spec.provider',
          reason: 'FieldValueRequired',
          message: 'Required value',
        },
      ],
    ],
    [
      'Restore',
      'velero.io/v1',
      {
        spec: { existingResourcePolicy: 'overwrite', itemOperationTimeout: 10 },
      },
      [
        {
          field: 'spec.itemOperationTimeout',
          reason: 'FieldValueTypeInvalid',
          message:
            'Invalid value: "integer": spec.itemOperationTimeout in body must be of type string: "integer"',
        },
      ],
    ],
  ])(
    'refuses a broken %s with each bad field',
    async (kind, apiVersion, body, causes) => {
      const status = await statusOf(
        cluster.objects.create({
          apiVersion,
          kind,
          metadata: {
            name: `broken-${kind.toLowerCase()}`,
            namespace: cluster.namespace,
          },
          ...body,
        } as k8s.KubernetesObject),
      );
      expect(status).toMatchObject({ code: 422, reason: 'Invalid' });
      expect(new Set(status.details?.causes)).toEqual(new Set(causes));
    },
  );

  it('prunes unknown fields instead of refusing them', async () => {
    const schedule: k8s.KubernetesObject & { spec: unknown } = {
      apiVersion: 'velero.io/v1',
      kind: 'Schedule',
      metadata: { name: 'pruned', namespace: cluster.namespace },
      spec: {
        schedule: '0 * * * *',
        template: { ttl: '168h' },
        notAField: true,
      },
    };
    const created = await cluster.objects.create(schedule);
    expect(created.spec).toEqual({
      schedule: '0 * * * *',
      template: { ttl: '168h' },
    });
  });
  it('accepts minimal valid objects of the kinds the seeds lack', async () => {
    const examples: k8s.KubernetesObject[] = [
      {
        apiVersion: 'velero.io/v1',
        kind: 'PodVolumeBackup',
        metadata: { name: 'pvb', namespace: cluster.namespace },
        spec: {
          backupStorageLocation: 'default',
          node: 'node-1',
          pod: { kind: 'Pod', name: 'orders-0', namespace: 'shop' },
          repoIdentifier: 's3:minio/velero/restic/shop',
          volume: 'data',
        },
      } as k8s.KubernetesObject,
      {
        apiVersion: 'velero.io/v2alpha1',
        kind: 'DataUpload',
        metadata: { name: 'upload', namespace: cluster.namespace },
        spec: {
          backupStorageLocation: 'default',
          operationTimeout: '10m0s',
          snapshotType: 'CSI',
          sourceNamespace: 'shop',
          sourcePVC: 'orders-data',
        },
      } as k8s.KubernetesObject,
      {
        apiVersion: 'snapshot.storage.k8s.io/v1',
        kind: 'VolumeSnapshotContent',
        metadata: { name: 'content' },
        spec: {
          deletionPolicy: 'Delete',
          driver: 'hostpath.csi.k8s.io',
          source: { snapshotHandle: 'snap-1' },
          volumeSnapshotRef: { name: 'orders-data-snap', namespace: 'shop' },
        },
      } as k8s.KubernetesObject,
    ];
    for (const example of examples) {
      const created = await cluster.objects.create(example);
      expect(created.metadata?.uid).toBeTruthy();
    }
  });

  it('refuses an object of every served CRD whose spec has the wrong type', async () => {
    const crds = cluster
      .sandbox!.registry.all()
      .filter(resource => resource.schema);
    expect(crds.map(crd => `${crd.plural}.${crd.group}`).sort()).toEqual([
      'backups.velero.io',
      'backupstoragelocations.velero.io',
      'datauploads.velero.io',
      'podvolumebackups.velero.io',
      'restores.velero.io',
      'schedules.velero.io',
      'snapshotschedules.snapscheduler.backube',
      'volumesnapshotclasses.snapshot.storage.k8s.io',
      'volumesnapshotcontents.snapshot.storage.k8s.io',
      'volumesnapshotlocations.velero.io',
      'volumesnapshots.snapshot.storage.k8s.io',
    ]);
    for (const crd of crds) {
      // VolumeSnapshotClass keeps its fields at the top level, not under spec.
      const field = crd.kind === 'VolumeSnapshotClass' ? 'driver' : 'spec';
      const expected = crd.kind === 'VolumeSnapshotClass' ? 'string' : 'object';
      const status = await statusOf(
        cluster.objects.create({
          apiVersion: `${crd.group}/${crd.version}`,
          kind: crd.kind,
          metadata: {
            name: 'wrong-type',
            ...(crd.namespaced ? { namespace: cluster.namespace } : {}),
          },
          [field]: 5,
        } as k8s.KubernetesObject),
      );
      expect({
        kind: crd.kind,
        code: status.code,
        reason: status.reason,
      }).toEqual({
        kind: crd.kind,
        code: 422,
        reason: 'Invalid',
      });
      expect(status.details?.causes).toEqual(
        expect.arrayContaining([
          {
            reason: 'FieldValueTypeInvalid',
            field,
            message: `Invalid value: "integer": ${field} in body must be of type ${expected}: "integer"`,
          },
        ]),
      );
    }
  });
});
