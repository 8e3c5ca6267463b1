/**
 * Every CRD the sandbox serves, against examples: the seeds' own objects (and,
 * for kinds the seeds lack, examples written here) must pass; broken ones
 * must fail with exactly the errors kube-apiserver lists.
 */
import { CustomResourceType, defaultCrdDirectory, loadCrds } from '../crds';
import { asSent, seedObject, seedObjects } from './__testUtils__/seedExamples';
import { formatInvalidMessage } from './fieldErrors';
import { validateAndPrune, validateSchema } from './openApiSchema';

const crds = loadCrds(defaultCrdDirectory());

function crdOf(kind: string): CustomResourceType {
  const found = crds.find(crd => crd.kind === kind);
  if (!found) throw new Error(`no CRD for ${kind}`);
  return found;
}

function check(kind: string, object: Record<string, unknown>) {
  const crd = crdOf(kind);
  return validateAndPrune(crd.schema, {
    apiVersion: `${crd.group}/${crd.version}`,
    kind,
    ...object,
  });
}

const typeInvalid = (
  field: string,
  path: string,
  actual: string,
  expected: string,
) => ({
  field,
  reason: 'FieldValueTypeInvalid',
  message: `Invalid value: "${actual}": ${path} in body must be of type ${expected}: "${actual}"`,
});
const requiredValue = (field: string) => ({
  field,
  reason: 'FieldValueRequired',
  message: 'Required value',
});
const notSupported = (field: string, value: string, supported: string[]) => ({
  field,
  reason: 'FieldValueNotSupported',
  message: `Unsupported value: "${value}": supported values: ${supported
    .map(s => `"${s}"`)
    .join(', ')}`,
});
const celSkipped = {
  field: '<nil>',
  reason: 'FieldValueInvalid',
  message:
    'Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
};

describe('the seeds’ own objects', () => {
  const kinds = new Set(crds.map(crd => crd.kind));
  const examples = seedObjects().filter(object => kinds.has(object.kind));

  it('include Schedules, Backups, BackupStorageLocations, VolumeSnapshotLocations, VolumeSnapshots and VolumeSnapshotClasses', () => {
    expect(
      examples.map(object => `${object.kind}/${object.metadata.name}`),
    ).toEqual([
      'VolumeSnapshotClass/csi-hostpath-snapclass',
      'VolumeSnapshot/mysql-data-snapshot',
      'BackupStorageLocation/default',
      'VolumeSnapshotLocation/default',
      'Schedule/daily-full-backup',
      'Schedule/hourly-critical-backup',
      'Backup/mysql-backup-with-hooks',
      'Schedule/production-hourly',
      'Schedule/production-daily',
      'Schedule/full-cluster-weekly',
      'Backup/database-backup',
      'VolumeSnapshotClass/csi-aws-ebs-snapclass',
      'VolumeSnapshotClass/csi-gcp-pd-snapclass',
      'VolumeSnapshotClass/csi-azure-disk-snapclass',
      'BackupStorageLocation/encrypted-backup',
    ]);
  });

  // Seed 004 writes `orderedResources` as a list of resource types; Velero's
  // field is a map (resource → "ns/name,…" order). A real cluster refuses it.
  const listOrderedResources = (object: {
    kind: string;
    metadata: { name: string };
  }) =>
    object.kind === 'Schedule' && object.metadata.name === 'production-hourly';

  it('refuses seed 004’s production-hourly Schedule for its list-shaped orderedResources, and nothing else', () => {
    const sent = asSent(seedObject('Schedule', 'production-hourly'));
    expect(check('Schedule', sent).errors).toEqual([
      typeInvalid(
        'spec.template.orderedResources',
        'spec.template.orderedResources',
        'array',
        'object',
      ),
    ]);
    const spec = sent.spec as { template: Record<string, unknown> };
    const { orderedResources, ...template } = spec.template;
    expect(orderedResources).toEqual([
      'secrets',
      'configmaps',
      'persistentvolumeclaims',
      'deployments.apps',
      'services',
    ]);
    expect(
      check('Schedule', { ...sent, spec: { ...spec, template } }).errors,
    ).toEqual([]);
  });

  it.each(
    examples
      .filter(object => !listOrderedResources(object))
      .map(object => [
        `${object.kind}/${object.metadata.name} (${object.file})`,
        object,
      ]),
  )('accepts %s unchanged', (_, object) => {
    const sent = asSent(object);
    const crd = crdOf(object.kind);
    expect(object.apiVersion).toBe(`${crd.group}/${crd.version}`);
    const result = validateAndPrune(crd.schema, sent);
    expect(result.errors).toEqual([]);
    expect(result.unknownFields).toEqual([]);
    // Only a null `parameters:` (comments only in the YAML) is dropped.
    const { parameters, ...withoutParameters } = sent;
    expect(result.value).toEqual(
      parameters === null ? withoutParameters : sent,
    );
  });

  it('drops the null `parameters:` of a VolumeSnapshotClass whose parameters are only comments', () => {
    const sent = asSent(
      seedObject('VolumeSnapshotClass', 'csi-aws-ebs-snapclass'),
    );
    expect(sent.parameters).toBeNull();
    const { parameters, ...rest } = sent;
    expect(check('VolumeSnapshotClass', sent)).toEqual({
      errors: [],
      unknownFields: [],
      value: rest,
    });
  });
});

describe('examples for the kinds the seeds have no YAML of', () => {
  it('accepts the Restore of seed 000 (`velero restore create --from-backup database-backup --namespace-mappings database-ns:database-ns-new --include-resources …`)', () => {
    const restore = {
      metadata: { name: 'database-backup-restore', namespace: 'velero' },
      spec: {
        backupName: 'database-backup',
        namespaceMapping: { 'database-ns': 'database-ns-new' },
        includedResources: [
          'persistentvolumeclaims',
          'persistentvolumes',
          'deployments',
          'services',
        ],
        restorePVs: true,
      },
      status: {
        phase: 'Completed',
        startTimestamp: '2026-01-18T02:05:00Z',
        completionTimestamp: '2026-01-18T02:09:31Z',
        warnings: 0,
        errors: 0,
      },
    };
    expect(check('Restore', restore)).toMatchObject({
      errors: [],
      unknownFields: [],
    });
  });

  it('accepts a SnapshotSchedule of the seeds’ snapshot policy (every 6 hours, keep the last 10 for 7 days)', () => {
    const schedule = {
      metadata: { name: 'database-snapshots', namespace: 'production' },
      spec: {
        claimSelector: { matchLabels: { app: 'postgresql' } },
        retention: { expires: '168h', maxCount: 10 },
        schedule: '0 */6 * * *',
        snapshotTemplate: {
          labels: { 'velero.io/csi-volumesnapshot-class': 'true' },
          snapshotClassName: 'csi-aws-ebs-snapclass',
        },
      },
      status: {
        conditions: [
          {
            type: 'Reconciled',
            status: 'True',
            reason: 'Success',
            message: 'Reconcile complete',
            lastTransitionTime: '2026-01-18T02:00:00Z',
          },
        ],
        nextSnapshotTime: '2026-01-18T06:00:00Z',
      },
    };
    expect(check('SnapshotSchedule', schedule)).toMatchObject({
      errors: [],
      unknownFields: [],
    });
    expect(
      check('SnapshotSchedule', {
        metadata: { name: 'x' },
        spec: { schedule: '@daily' },
      }).errors,
    ).toEqual([]);
  });

  it('accepts a VolumeSnapshotContent, a PodVolumeBackup and a DataUpload', () => {
    expect(
      check('VolumeSnapshotContent', {
        metadata: { name: 'snapcontent-mysql-data-snapshot' },
        spec: {
          deletionPolicy: 'Delete',
          driver: 'hostpath.csi.k8s.io',
          source: { volumeHandle: 'pvc-0f1d' },
          volumeSnapshotClassName: 'csi-hostpath-snapclass',
          volumeSnapshotRef: {
            apiVersion: 'snapshot.storage.k8s.io/v1',
            kind: 'VolumeSnapshot',
            name: 'mysql-data-snapshot',
            namespace: 'production',
          },
        },
        status: {
          readyToUse: true,
          restoreSize: 10737418240,
          creationTime: 1768701600000000000,
        },
      }),
    ).toMatchObject({ errors: [], unknownFields: [] });
    expect(
      check('PodVolumeBackup', {
        metadata: { name: 'database-backup-x7k2p', namespace: 'velero' },
        spec: {
          backupStorageLocation: 'default',
          node: 'node-1',
          pod: {
            kind: 'Pod',
            name: 'postgresql-0',
            namespace: 'production',
            uid: 'e2b1',
          },
          repoIdentifier: '',
          uploaderType: 'kopia',
          volume: 'data',
        },
      }),
    ).toMatchObject({ errors: [], unknownFields: [] });
    expect(
      check('DataUpload', {
        metadata: {
          generateName: 'database-backup-',
          name: 'database-backup-9xk4m',
          namespace: 'velero',
        },
        spec: {
          backupStorageLocation: 'default',
          csiSnapshot: {
            storageClass: 'gp3',
            volumeSnapshot: 'velero-data-postgresql-0-h2k9d',
          },
          operationTimeout: '10m0s',
          snapshotType: 'CSI',
          sourceNamespace: 'production',
          sourcePVC: 'data-postgresql-0',
        },
        status: { phase: 'Completed', startTimestamp: '2026-01-18T02:00:03Z' },
      }),
    ).toMatchObject({ errors: [], unknownFields: [] });
  });
});

describe('broken examples: the exact 422 error list', () => {
  it('refuses a Schedule whose schedule is the number 5, as the real server does', () => {
    const schedule = { ...asSent(seedObject('Schedule', 'daily-full-backup')) };
    const spec = { ...(schedule.spec as Record<string, unknown>), schedule: 5 };
    const { errors } = check('Schedule', { ...schedule, spec });
    expect(errors).toEqual([
      typeInvalid('spec.schedule', 'spec.schedule', 'integer', 'string'),
    ]);
    expect(
      formatInvalidMessage({
        kind: 'Schedule',
        group: 'velero.io',
        name: 'daily-full-backup',
        errors,
      }),
    ).toBe(
      'Schedule.velero.io "daily-full-backup" is invalid: spec.schedule: Invalid value: "integer": spec.schedule in body must be of type string: "integer"',
    );
  });

  it('Schedule', () => {
    const { errors } = check('Schedule', {
      metadata: { name: 'nightly', namespace: 'velero' },
      spec: {
        schedule: 5,
        paused: 'no',
        template: {
          includedNamespaces: 'production',
          ttl: 720,
          hooks: {
            resources: [
              {
                name: 'db',
                pre: [{ exec: { container: 'mysql', onError: 'Ignore' } }],
              },
            ],
          },
        },
      },
    });
    expect(errors).toEqual([
      typeInvalid('spec.paused', 'spec.paused', 'string', 'boolean'),
      typeInvalid('spec.schedule', 'spec.schedule', 'integer', 'string'),
      notSupported(
        'spec.template.hooks.resources[0].pre[0].exec.onError',
        'Ignore',
        ['Continue', 'Fail'],
      ),
      requiredValue('spec.template.hooks.resources[0].pre[0].exec.command'),
      typeInvalid(
        'spec.template.includedNamespaces',
        'spec.template.includedNamespaces',
        'string',
        'array',
      ),
      typeInvalid(
        'spec.template.ttl',
        'spec.template.ttl',
        'integer',
        'string',
      ),
    ]);
  });

  it('Backup', () => {
    const { errors } = check('Backup', {
      metadata: { name: 'database-backup', namespace: 'velero' },
      spec: {
        defaultVolumesToFsBackup: 'yes',
        orderedResources: { pods: 5 },
        hooks: {
          resources: [
            {
              includedNamespaces: ['production'],
              post: [{ exec: { command: [], timeout: 30 } }],
            },
          ],
        },
      },
      status: { phase: 'Done' },
    });
    expect(errors).toEqual([
      typeInvalid(
        'spec.defaultVolumesToFsBackup',
        'spec.defaultVolumesToFsBackup',
        'string',
        'boolean',
      ),
      {
        field: 'spec.hooks.resources[0].post[0].exec.command',
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: 0: spec.hooks.resources[0].post[0].exec.command in body should have at least 1 items',
      },
      typeInvalid(
        'spec.hooks.resources[0].post[0].exec.timeout',
        'spec.hooks.resources[0].post[0].exec.timeout',
        'integer',
        'string',
      ),
      requiredValue('spec.hooks.resources[0].name'),
      typeInvalid(
        'spec.orderedResources.pods',
        'spec.orderedResources.pods',
        'integer',
        'string',
      ),
      notSupported('status.phase', 'Done', [
        'New',
        'Queued',
        'ReadyToStart',
        'FailedValidation',
        'InProgress',
        'WaitingForPluginOperations',
        'WaitingForPluginOperationsPartiallyFailed',
        'Finalizing',
        'FinalizingPartiallyFailed',
        'Completed',
        'PartiallyFailed',
        'Failed',
        'Deleting',
      ]),
    ]);
  });

  it('Restore', () => {
    const { errors } = check('Restore', {
      metadata: { name: 'r', namespace: 'velero' },
      spec: {
        backupName: 5,
        restorePVs: 'true',
        namespaceMapping: { 'database-ns': 7 },
        hooks: {
          resources: [
            {
              name: 'h',
              postHooks: [{ exec: { command: ['x'], onError: 'Retry' } }],
            },
          ],
        },
        resourceModifier: { name: 'modifiers' },
      },
    });
    expect(errors).toEqual([
      typeInvalid('spec.backupName', 'spec.backupName', 'integer', 'string'),
      notSupported(
        'spec.hooks.resources[0].postHooks[0].exec.onError',
        'Retry',
        ['Continue', 'Fail'],
      ),
      typeInvalid(
        'spec.namespaceMapping.database-ns',
        'spec.namespaceMapping.database-ns',
        'integer',
        'string',
      ),
      requiredValue('spec.resourceModifier.kind'),
      typeInvalid('spec.restorePVs', 'spec.restorePVs', 'string', 'boolean'),
    ]);
  });

  it('BackupStorageLocation', () => {
    const { errors } = check('BackupStorageLocation', {
      metadata: { name: 'default', namespace: 'velero' },
      spec: {
        provider: 'aws',
        accessMode: 'ReadAndWrite',
        objectStorage: { caCert: 'not base64!' },
        credential: { name: 'cloud-credentials' },
      },
    });
    expect(errors).toEqual([
      notSupported('spec.accessMode', 'ReadAndWrite', [
        'ReadOnly',
        'ReadWrite',
      ]),
      requiredValue('spec.credential.key'),
      {
        field: 'spec.objectStorage.caCert',
        reason: 'FieldValueTypeInvalid',
        message:
          'Invalid value: "not base64!": spec.objectStorage.caCert in body must be of type byte: "not base64!"',
      },
      requiredValue('spec.objectStorage.bucket'),
    ]);
  });

  it('VolumeSnapshotLocation', () => {
    expect(
      check('VolumeSnapshotLocation', {
        metadata: { name: 'default' },
        spec: { config: { region: 1 } },
      }).errors,
    ).toEqual([
      typeInvalid(
        'spec.config.region',
        'spec.config.region',
        'integer',
        'string',
      ),
      requiredValue('spec.provider'),
    ]);
  });

  it('VolumeSnapshot (its CEL rules are then skipped, and the real server says so)', () => {
    const snapshot = asSent(
      seedObject('VolumeSnapshot', 'mysql-data-snapshot'),
    );
    expect(
      check('VolumeSnapshot', {
        ...snapshot,
        spec: { ...(snapshot.spec as object), volumeSnapshotClassName: 7 },
      }).errors,
    ).toEqual([
      typeInvalid(
        'spec.volumeSnapshotClassName',
        'spec.volumeSnapshotClassName',
        'integer',
        'string',
      ),
      celSkipped,
    ]);
    expect(
      check('VolumeSnapshot', { metadata: snapshot.metadata }).errors,
    ).toEqual([requiredValue('spec'), celSkipped]);
  });

  it('VolumeSnapshotClass (fields at the root)', () => {
    expect(
      check('VolumeSnapshotClass', {
        metadata: { name: 'c' },
        deletionPolicy: 'Keep',
        parameters: { incremental: true },
      }).errors,
    ).toEqual([
      notSupported('deletionPolicy', 'Keep', ['Delete', 'Retain']),
      typeInvalid(
        'parameters.incremental',
        'parameters.incremental',
        'boolean',
        'string',
      ),
      requiredValue('driver'),
    ]);
  });

  it('VolumeSnapshotContent', () => {
    expect(
      check('VolumeSnapshotContent', {
        metadata: { name: 'c' },
        spec: { deletionPolicy: 'Delete', volumeSnapshotRef: { name: 5 } },
      }).errors,
    ).toEqual([
      typeInvalid(
        'spec.volumeSnapshotRef.name',
        'spec.volumeSnapshotRef.name',
        'integer',
        'string',
      ),
      requiredValue('spec.driver'),
      requiredValue('spec.source'),
      celSkipped,
    ]);
  });

  it('SnapshotSchedule', () => {
    const { errors } = check('SnapshotSchedule', {
      metadata: { name: 's', namespace: 'production' },
      spec: {
        schedule: 'every day',
        retention: { expires: '7d', maxCount: 0 },
        claimSelector: { matchLabels: { app: 5 } },
      },
    });
    expect(errors).toEqual([
      typeInvalid(
        'spec.claimSelector.matchLabels.app',
        'spec.claimSelector.matchLabels.app',
        'integer',
        'string',
      ),
      {
        field: 'spec.retention.expires',
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: "7d": spec.retention.expires in body should match \'^\\d+(h|m|s)$\'',
      },
      {
        field: 'spec.retention.maxCount',
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: 0: spec.retention.maxCount in body should be greater than or equal to 1',
      },
      {
        field: 'spec.schedule',
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: "every day": spec.schedule in body should match \'^(@(annually|yearly|monthly|weekly|daily|hourly))|((((\\d+,)*\\d+|(\\d+(\\/|-)\\d+)|\\*(\\/\\d+)?)\\s?){5})$\'',
      },
    ]);
  });

  it('SnapshotSchedule status conditions (metav1.Condition limits)', () => {
    const status = crdOf('SnapshotSchedule').schema.properties!.status!;
    const condition = {
      type: 'Reconciled',
      status: 'Maybe',
      reason: '',
      message: 'x',
      lastTransitionTime: 'now',
    };
    expect(
      validateSchema(
        status,
        { conditions: [condition, { type: 'x'.repeat(317) }] },
        { path: 'status' },
      ),
    ).toEqual([
      {
        field: 'status.conditions[0].lastTransitionTime',
        reason: 'FieldValueTypeInvalid',
        message:
          'Invalid value: "now": conditions[0].lastTransitionTime in body must be of type date-time: "now"',
      },
      {
        field: 'status.conditions[0].reason',
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: "": conditions[0].reason in body should be at least 1 chars long',
      },
      notSupported('status.conditions[0].status', 'Maybe', [
        'True',
        'False',
        'Unknown',
      ]),
      {
        field: 'status.conditions[1].type',
        reason: 'FieldValueTooLong',
        message: 'Too long: may not be more than 316 bytes',
      },
      requiredValue('status.conditions[1].lastTransitionTime'),
      requiredValue('status.conditions[1].message'),
      requiredValue('status.conditions[1].reason'),
      requiredValue('status.conditions[1].status'),
    ]);
  });

  it('PodVolumeBackup', () => {
    expect(
      check('PodVolumeBackup', {
        metadata: { name: 'p' },
        spec: { node: 'n1', uploaderType: 'rsync', pod: { name: 'x' } },
      }).errors,
    ).toEqual([
      notSupported('spec.uploaderType', 'rsync', ['kopia', 'restic', '']),
      requiredValue('spec.backupStorageLocation'),
      requiredValue('spec.repoIdentifier'),
      requiredValue('spec.volume'),
    ]);
  });

  it('DataUpload', () => {
    const { errors } = check('DataUpload', {
      metadata: { name: 'd' },
      spec: { snapshotType: 'CSI', csiSnapshot: { volumeSnapshot: 'vs' } },
      status: { phase: 'Done', startTimestamp: 'yesterday' },
    });
    expect(errors).toEqual([
      requiredValue('spec.csiSnapshot.storageClass'),
      requiredValue('spec.backupStorageLocation'),
      requiredValue('spec.operationTimeout'),
      requiredValue('spec.sourceNamespace'),
      requiredValue('spec.sourcePVC'),
      notSupported('status.phase', 'Done', [
        'New',
        'Accepted',
        'Prepared',
        'InProgress',
        'Canceling',
        'Canceled',
        'Completed',
        'Failed',
      ]),
      {
        field: 'status.startTimestamp',
        reason: 'FieldValueTypeInvalid',
        message:
          'Invalid value: "yesterday": status.startTimestamp in body must be of type date-time: "yesterday"',
      },
    ]);
  });
});

describe('pruning and defaults on the real CRDs', () => {
  it('prunes unknown fields of a seed Schedule back to the seed object, naming them', () => {
    const seed = asSent(seedObject('Schedule', 'hourly-critical-backup'));
    const spec = seed.spec as Record<string, any>;
    const sent = {
      ...seed,
      status: { phase: 'Enabled', lastBackupTime: 'yesterday' },
      spec: {
        ...spec,
        retention: '7d',
        template: {
          ...spec.template,
          compress: true,
          labelSelector: { ...spec.template.labelSelector, matchNames: ['x'] },
        },
      },
    };
    const result = check('Schedule', sent);
    expect(result.errors).toEqual([]);
    expect(result.unknownFields).toEqual([
      'spec.retention',
      'spec.template.compress',
      'spec.template.labelSelector.matchNames',
      'status.lastBackupTime',
    ]);
    expect(result.value).toEqual({ ...seed, status: { phase: 'Enabled' } });
  });

  it('keeps a Restore’s init containers whole (x-kubernetes-preserve-unknown-fields)', () => {
    const initContainer = {
      name: 'restore-wait',
      image: 'busybox:1.36',
      command: ['sh', '-c', 'until nc -z postgresql 5432; do sleep 2; done'],
      resources: { limits: { cpu: '100m' } },
    };
    const result = check('Restore', {
      metadata: { name: 'r', namespace: 'velero' },
      spec: {
        backupName: 'database-backup',
        hooks: {
          resources: [
            {
              name: 'wait',
              postHooks: [
                {
                  init: {
                    initContainers: [initContainer],
                    timeout: '5m',
                    retries: 3,
                  },
                },
              ],
            },
          ],
        },
      },
    });
    expect(result.errors).toEqual([]);
    expect(result.unknownFields).toEqual([
      'spec.hooks.resources[0].postHooks[0].init.retries',
    ]);
    expect(
      (result.value as any).spec.hooks.resources[0].postHooks[0].init,
    ).toEqual({ initContainers: [initContainer], timeout: '5m' });
  });

  it('defaults the credential name of a BackupStorageLocation and a VolumeSnapshotLocation to ""', () => {
    const bsl = asSent(seedObject('BackupStorageLocation', 'default'));
    const spec = { ...(bsl.spec as object), credential: { key: 'cloud' } };
    expect(
      (check('BackupStorageLocation', { ...bsl, spec }).value as any).spec
        .credential,
    ).toEqual({ key: 'cloud', name: '' });
    const vsl = asSent(seedObject('VolumeSnapshotLocation', 'default'));
    const vslSpec = {
      ...(vsl.spec as object),
      credential: { key: 'cloud', name: 'cloud-credentials' },
    };
    expect(
      (check('VolumeSnapshotLocation', { ...vsl, spec: vslSpec }).value as any)
        .spec.credential,
    ).toEqual({
      key: 'cloud',
      name: 'cloud-credentials',
    });
  });

  it('takes an integer or a quantity string for a VolumeSnapshot’s restoreSize (x-kubernetes-int-or-string)', () => {
    const status = crdOf('VolumeSnapshot').schema.properties!.status!;
    const validate = (restoreSize: unknown) =>
      validateSchema(
        status,
        { readyToUse: true, restoreSize },
        { path: 'status', crdSchema: crdOf('VolumeSnapshot').schema },
      );
    expect(validate('10Gi')).toEqual([]);
    expect(validate(10737418240)).toEqual([]);
    expect(validate('1.5e3')).toEqual([]);
    expect(validate('ten')).toEqual([
      {
        field: 'status.restoreSize',
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: "ten": restoreSize in body should match \'^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$\'',
      },
    ]);
    expect(validate(true)).toEqual([
      typeInvalid(
        'status.restoreSize',
        'restoreSize',
        'boolean',
        'integer,string',
      ),
      celSkipped,
    ]);
  });
});
