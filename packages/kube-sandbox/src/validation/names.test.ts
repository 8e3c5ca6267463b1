import { seedObjects } from './__testUtils__/seedExamples';
import { FieldError, formatInvalidMessage } from './fieldErrors';
import {
  generateNameFrom,
  generateNameSuffix,
  nameRulesForKind,
  pruneObjectMeta,
  validateAnnotations,
  validateLabels,
  validateObjectMeta,
  validateObjectMetaUpdate,
  validateTypeMeta,
} from './names';

const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const LABEL_KEY_NAME_MESSAGE =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MESSAGE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

function meta(
  kind: string,
  metadata: Record<string, unknown>,
  namespaced = true,
) {
  return validateObjectMeta(
    { kind, namespaced, ...nameRulesForKind(kind) },
    metadata,
  );
}

describe('object names', () => {
  it('accepts the name, namespace and labels of every object in the seeds', () => {
    const objects = seedObjects();
    expect(objects.length).toBeGreaterThan(30);
    for (const object of objects) {
      const namespaced = object.kind !== 'VolumeSnapshotClass';
      const metadata = {
        namespace: namespaced ? 'production' : undefined,
        ...object.metadata,
      };
      expect([
        object.kind,
        object.metadata.name,
        meta(object.kind, metadata, namespaced),
      ]).toEqual([object.kind, object.metadata.name, []]);
    }
  });

  it('gives the real message for a name that is not a DNS-1123 subdomain', () => {
    expect(meta('Schedule', { name: 'Foo', namespace: 'velero' })).toEqual([
      {
        field: 'metadata.name',
        reason: 'FieldValueInvalid',
        message: `Invalid value: "Foo": ${SUBDOMAIN_MESSAGE}`,
      },
    ]);
    expect(
      formatInvalidMessage({
        kind: 'Pod',
        group: '',
        name: 'Foo',
        errors: meta('Pod', { name: 'Foo', namespace: 'a' }),
      }),
    ).toBe(
      `Pod "Foo" is invalid: metadata.name: Invalid value: "Foo": ${SUBDOMAIN_MESSAGE}`,
    );
  });

  it('allows 253 bytes for a subdomain and dots in it', () => {
    const long = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(
      63,
    )}.${'d'.repeat(61)}`;
    expect(long).toHaveLength(253);
    expect(meta('ConfigMap', { name: long, namespace: 'a' })).toEqual([]);
    expect(meta('ConfigMap', { name: `${long}x`, namespace: 'a' })).toEqual([
      {
        field: 'metadata.name',
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${long}x": must be no more than 253 characters`,
      },
    ]);
  });

  it('wants DNS-1123 labels for Namespaces (≤ 63, no dots)', () => {
    expect(meta('Namespace', { name: 'database-ns-new' }, false)).toEqual([]);
    expect(meta('Namespace', { name: 'prod.eu' }, false)).toEqual([
      {
        field: 'metadata.name',
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "prod.eu": must not contain dots',
      },
    ]);
    expect(meta('Namespace', { name: 'a'.repeat(64) }, false)).toEqual([
      {
        field: 'metadata.name',
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${'a'.repeat(
          64,
        )}": must be no more than 63 characters`,
      },
    ]);
    expect(meta('Namespace', { name: 'Prod_NS' }, false)).toEqual([
      {
        field: 'metadata.name',
        reason: 'FieldValueInvalid',
        message: `Invalid value: "Prod_NS": ${LABEL_MESSAGE}`,
      },
    ]);
  });

  it('wants DNS-1035 labels for Services (a letter first)', () => {
    expect(meta('Service', { name: 'mysql', namespace: 'a' })).toEqual([]);
    expect(meta('Service', { name: '3306-mysql', namespace: 'a' })).toEqual([
      {
        field: 'metadata.name',
        reason: 'FieldValueInvalid',
        message:
          "Invalid value: \"3306-mysql\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
      },
    ]);
  });

  it('limits CronJob names to 52 characters (their Jobs add 11)', () => {
    expect(meta('CronJob', { name: 'a'.repeat(52), namespace: 'a' })).toEqual(
      [],
    );
    expect(meta('CronJob', { name: 'a'.repeat(53), namespace: 'a' })).toEqual([
      {
        field: 'metadata.name',
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${'a'.repeat(
          53,
        )}": must be no more than 52 characters`,
      },
    ]);
  });

  it('refuses Job names over 63 bytes through the job-name labels of their pods', () => {
    const name = 'j'.repeat(64);
    const error: FieldError = {
      field: 'spec.template.labels',
      reason: 'FieldValueInvalid',
      message: `Invalid value: "${name}": must be no more than 63 bytes`,
    };
    expect(meta('Job', { name: 'j'.repeat(63), namespace: 'a' })).toEqual([]);
    expect(meta('Job', { name, namespace: 'a' })).toEqual([error, error]);
    expect(
      formatInvalidMessage({
        kind: 'Job',
        group: 'batch',
        name,
        errors: [error, error],
      }),
    ).toBe(
      `Job.batch "${name}" is invalid: spec.template.labels: Invalid value: "${name}": must be no more than 63 bytes`,
    );
  });

  it('lets RBAC names be any path segment', () => {
    expect(
      meta('Role', { name: 'system:snapshot-creator', namespace: 'a' }),
    ).toEqual([]);
    expect(meta('RoleBinding', { name: 'a/b%c', namespace: 'a' })).toEqual([
      {
        field: 'metadata.name',
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "a/b%c": may not contain \'/\'',
      },
      {
        field: 'metadata.name',
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "a/b%c": may not contain \'%\'',
      },
    ]);
    expect(meta('Role', { name: '..', namespace: 'a' })).toEqual([
      {
        field: 'metadata.name',
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "..": may not be \'..\'',
      },
    ]);
  });

  it('checks generateName as a prefix (a trailing dash is fine) and needs a name', () => {
    expect(
      meta('Backup', {
        generateName: 'daily-',
        name: 'daily-x7k2p',
        namespace: 'velero',
      }),
    ).toEqual([]);
    expect(
      meta('Backup', {
        generateName: 'Daily-',
        name: 'Daily-x7k2p',
        namespace: 'velero',
      }),
    ).toEqual([
      {
        field: 'metadata.generateName',
        reason: 'FieldValueInvalid',
        message: `Invalid value: "Daily-": ${SUBDOMAIN_MESSAGE}`,
      },
      {
        field: 'metadata.name',
        reason: 'FieldValueInvalid',
        message: `Invalid value: "Daily-x7k2p": ${SUBDOMAIN_MESSAGE}`,
      },
    ]);
    expect(meta('Backup', { namespace: 'velero' })).toEqual([
      {
        field: 'metadata.name',
        reason: 'FieldValueRequired',
        message: 'Required value: name or generateName is required',
      },
    ]);
  });

  it('needs a namespace for namespaced kinds and forbids one for cluster-scoped kinds', () => {
    expect(meta('Backup', { name: 'b' })).toEqual([
      {
        field: 'metadata.namespace',
        reason: 'FieldValueRequired',
        message: 'Required value',
      },
    ]);
    expect(meta('Backup', { name: 'b', namespace: 'Velero' })).toEqual([
      {
        field: 'metadata.namespace',
        reason: 'FieldValueInvalid',
        message: `Invalid value: "Velero": ${LABEL_MESSAGE}`,
      },
    ]);
    expect(
      meta('VolumeSnapshotClass', { name: 'c', namespace: 'velero' }, false),
    ).toEqual([
      {
        field: 'metadata.namespace',
        reason: 'FieldValueForbidden',
        message: 'Forbidden: not allowed on this type',
      },
    ]);
  });
});

describe('labels and annotations', () => {
  it('accepts prefixed keys, empty values and the labels Velero sets', () => {
    expect(
      validateLabels({
        'velero.io/schedule-name': 'daily-full-backup',
        'app.kubernetes.io/name': 'mysql',
        backup: 'critical',
        'velero.io/csi-volumesnapshot-class': 'true',
        empty: '',
        My_Key: 'My.Value_1',
      }),
    ).toEqual([]);
  });

  it('gives the real messages for bad keys and values', () => {
    const field = 'metadata.labels';
    expect(
      validateLabels({
        'bad key': 'ok',
        'Example.com/x': 'ok',
        'a/b/c': 'ok',
        '/x': 'ok',
        [`k${'x'.repeat(63)}`]: 'ok',
        long: 'v'.repeat(64),
        dash: '-x',
      }),
    ).toEqual([
      {
        field,
        reason: 'FieldValueInvalid',
        message: `Invalid value: "bad key": ${LABEL_KEY_NAME_MESSAGE}`,
      },
      {
        field,
        reason: 'FieldValueInvalid',
        message: `Invalid value: "Example.com/x": prefix part ${SUBDOMAIN_MESSAGE}`,
      },
      {
        field,
        reason: 'FieldValueInvalid',
        message:
          "Invalid value: \"a/b/c\": a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      },
      {
        field,
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "/x": prefix part must be non-empty',
      },
      {
        field,
        reason: 'FieldValueInvalid',
        message: `Invalid value: "k${'x'.repeat(
          63,
        )}": name part must be no more than 63 bytes`,
      },
      {
        field,
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${'v'.repeat(
          64,
        )}": must be no more than 63 bytes`,
      },
      {
        field,
        reason: 'FieldValueInvalid',
        message: `Invalid value: "-x": ${LABEL_VALUE_MESSAGE}`,
      },
    ]);
  });

  it('reports labels under metadata.labels of the object', () => {
    expect(
      meta('Schedule', {
        name: 's',
        namespace: 'velero',
        labels: { ok: 'bad value!' },
      }),
    ).toEqual([
      {
        field: 'metadata.labels',
        reason: 'FieldValueInvalid',
        message: `Invalid value: "bad value!": ${LABEL_VALUE_MESSAGE}`,
      },
    ]);
  });

  it('checks annotation keys case-insensitively and their total size (256 KiB)', () => {
    expect(
      validateAnnotations({
        'Example.com/Thing': 'x'.repeat(1000),
        'kubectl.kubernetes.io/last-applied-configuration': '{}',
      }),
    ).toEqual([]);
    expect(validateAnnotations({ big: 'x'.repeat(256 * 1024 - 3) })).toEqual(
      [],
    );
    expect(validateAnnotations({ big: 'x'.repeat(256 * 1024 - 2) })).toEqual([
      {
        field: 'metadata.annotations',
        reason: 'FieldValueTooLong',
        message: 'Too long: may not be more than 262144 bytes',
      },
    ]);
    expect(validateAnnotations({ 'a b': '' })[0].message).toBe(
      `Invalid value: "a b": ${LABEL_KEY_NAME_MESSAGE}`,
    );
  });
});

describe('the rest of ObjectMeta', () => {
  it('checks owner references and finalizers', () => {
    const owner = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      name: 'mysql-backup',
      uid: 'u1',
      controller: true,
    };
    expect(
      meta('Job', {
        name: 'j',
        namespace: 'a',
        ownerReferences: [owner],
        finalizers: ['batch.kubernetes.io/job-tracking'],
      }),
    ).toEqual([]);
    expect(
      meta('Job', {
        name: 'j',
        namespace: 'a',
        ownerReferences: [
          owner,
          {
            apiVersion: 'apps/',
            kind: 'Deployment',
            name: 'd',
            uid: '',
            controller: true,
          },
        ],
        finalizers: ['orphan', 'foregroundDeletion', 'a b'],
      }),
    ).toEqual([
      {
        field: 'metadata.ownerReferences.apiVersion',
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "apps/": version must not be empty',
      },
      {
        field: 'metadata.ownerReferences.uid',
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "": must not be empty',
      },
      {
        field: 'metadata.ownerReferences',
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: [{"apiVersion":"batch/v1","kind":"CronJob","name":"mysql-backup","uid":"u1","controller":true},{"apiVersion":"apps/","kind":"Deployment","name":"d","uid":"","controller":true}]: Only one reference can have Controller set to true. Found "true" in references for CronJob/mysql-backup and Deployment/d',
      },
      {
        field: 'metadata.finalizers',
        reason: 'FieldValueInvalid',
        message: `Invalid value: "a b": ${LABEL_KEY_NAME_MESSAGE}`,
      },
      {
        field: 'metadata.finalizers',
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: ["orphan","foregroundDeletion","a b"]: finalizer orphan and foregroundDeletion cannot be both set',
      },
    ]);
  });

  it('checks updates: immutable fields, a resourceVersion, no new finalizers while deleting', () => {
    const old = {
      name: 'b',
      namespace: 'velero',
      uid: 'u1',
      resourceVersion: '5',
      generation: 2,
      creationTimestamp: '2026-01-18T02:00:00Z',
    };
    expect(
      validateObjectMetaUpdate({ ...old, labels: { a: 'b' } }, old),
    ).toEqual([]);
    expect(
      validateObjectMetaUpdate(
        { ...old, name: 'c', resourceVersion: '', generation: 1 },
        old,
      ),
    ).toEqual([
      {
        field: 'metadata.resourceVersion',
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "": must be specified for an update',
      },
      {
        field: 'metadata.generation',
        reason: 'FieldValueInvalid',
        message: 'Invalid value: 1: must not be decremented',
      },
      {
        field: 'metadata.name',
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "c": field is immutable',
      },
    ]);
    const deleting = {
      ...old,
      deletionTimestamp: '2026-01-18T03:00:00Z',
      finalizers: ['a.io/x'],
    };
    expect(
      validateObjectMetaUpdate(
        { ...deleting, finalizers: ['a.io/x', 'b.io/y'] },
        deleting,
      ),
    ).toEqual([
      {
        field: 'metadata.finalizers',
        reason: 'FieldValueForbidden',
        message:
          'Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b.io/y"}',
      },
    ]);
  });

  it('checks a custom resource’s apiVersion and kind against its URL', () => {
    const expected = { group: 'velero.io', version: 'v1', kind: 'Schedule' };
    expect(
      validateTypeMeta(expected, {
        apiVersion: 'velero.io/v1',
        kind: 'Schedule',
      }),
    ).toEqual([]);
    expect(
      validateTypeMeta(expected, {
        apiVersion: 'velero.io/v2',
        kind: 'Backup',
      }),
    ).toEqual([
      {
        field: 'kind',
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "Backup": must be Schedule',
      },
      {
        field: 'apiVersion',
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "velero.io/v2": must be velero.io/v1',
      },
    ]);
  });

  it('drops fields ObjectMeta does not have', () => {
    expect(
      pruneObjectMeta({
        name: 'a',
        labels: { x: 'y' },
        clusterName: 'c',
        ownerReferences: [{ kind: 'Pod', name: 'p', color: 'red' }],
      }),
    ).toEqual({
      metadata: {
        name: 'a',
        labels: { x: 'y' },
        ownerReferences: [{ kind: 'Pod', name: 'p' }],
      },
      unknownFields: [
        'metadata.clusterName',
        'metadata.ownerReferences[0].color',
      ],
    });
  });
});

describe('generated names', () => {
  it('adds 5 characters from the real server’s alphabet', () => {
    const suffixes = Array.from({ length: 200 }, generateNameSuffix);
    for (const suffix of suffixes)
      expect(suffix).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(new Set(suffixes).size).toBeGreaterThan(190);
  });

  it('cuts a long base to 58 bytes so the name fits in 63', () => {
    expect(generateNameFrom('daily-')).toMatch(
      /^daily-[bcdfghjklmnpqrstvwxz2456789]{5}$/,
    );
    const name = generateNameFrom(`${'b'.repeat(70)}-`);
    expect(name).toHaveLength(63);
    expect(name.startsWith('b'.repeat(58))).toBe(true);
  });
});
