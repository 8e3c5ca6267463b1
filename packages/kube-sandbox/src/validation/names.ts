/**
 * Object names, labels, annotations and the rest of ObjectMeta, checked like
 * kube-apiserver 1.35–1.36 (k8s.io/apimachinery pkg/api/validation and
 * pkg/util/validation), with its messages. Lengths are counted in bytes, as
 * Go's len() does.
 *
 * Known differences:
 *  - The per-kind extras (CronJob ≤ 52, a Job's name in its pod labels) come
 *    after the metadata errors here; the real server lists them after the
 *    spec errors.
 *  - A Job name longer than 63 is rejected even with `manualSelector: true`,
 *    where the real server would accept it.
 *  - `ownerReferences` naming a v1 Event are not refused; managedFields are
 *    not checked.
 *  - Malformed metadata (a label that is a number, …) is a 400 decoding error
 *    in the real server; here such values are only checked as strings.
 */
import { randomInt } from 'node:crypto';
import {
  FieldError,
  forbidden,
  invalid,
  required,
  tooLong,
} from './fieldErrors';
import { GoStruct, goQuote } from './goFormat';

/** How a kind's object names are checked. */
export type NameFormat =
  /** DNS-1123 subdomain, ≤ 253: most kinds and every custom resource. */
  | 'subdomain'
  /** DNS-1123 label, ≤ 63: Namespace, StatefulSet. */
  | 'label'
  /** DNS-1035 label (starts with a letter), ≤ 63: Service. */
  | 'dns1035-label'
  /** Anything without '/' or '%' and not '.' or '..': Role, RoleBinding. */
  | 'path-segment';

function byteLength(value: string) {
  return Buffer.byteLength(value, 'utf8');
}

function regexError(message: string, regex: string, ...examples: string[]) {
  if (examples.length === 0)
    return `${message} (regex used for validation is '${regex}')`;
  const shown = examples.map(example => `'${example}', `).join(' or ');
  return `${message} (e.g. ${shown}regex used for validation is '${regex}')`;
}

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const DNS1035_LABEL = new RegExp(`^${DNS1035_LABEL_FMT}$`);
const LABEL_KEY_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE_FMT = `(${LABEL_KEY_FMT})?`;
const LABEL_KEY = new RegExp(`^${LABEL_KEY_FMT}$`);
const LABEL_VALUE = new RegExp(`^${LABEL_VALUE_FMT}$`);
const LABEL_KEY_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** Object names (util/validation): "characters" in the length message. */
export function isDNS1123Subdomain(
  value: string,
  unit = 'characters',
): string[] {
  const errors: string[] = [];
  if (byteLength(value) > 253) errors.push(`must be no more than 253 ${unit}`);
  if (!DNS1123_SUBDOMAIN.test(value)) {
    errors.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        DNS1123_SUBDOMAIN_FMT,
        'example.com',
      ),
    );
  }
  return errors;
}

export function isDNS1123Label(value: string): string[] {
  const errors: string[] = [];
  if (byteLength(value) > 63) errors.push('must be no more than 63 characters');
  if (!DNS1123_LABEL.test(value)) {
    errors.push(
      DNS1123_SUBDOMAIN.test(value)
        ? 'must not contain dots'
        : regexError(
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
            DNS1123_LABEL_FMT,
            'my-name',
            '123-abc',
          ),
    );
  }
  return errors;
}

export function isDNS1035Label(value: string): string[] {
  const errors: string[] = [];
  if (byteLength(value) > 63) errors.push('must be no more than 63 characters');
  if (!DNS1035_LABEL.test(value)) {
    errors.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        DNS1035_LABEL_FMT,
        'my-name',
        'abc-123',
      ),
    );
  }
  return errors;
}

export function isPathSegmentName(value: string, prefix = false): string[] {
  if (!prefix && (value === '.' || value === '..'))
    return [`may not be '${value}'`];
  return ['/', '%']
    .filter(c => value.includes(c))
    .map(c => `may not contain '${c}'`);
}

/** A label key or annotation key (content.IsLabelKey, "bytes" since 1.35). */
export function isQualifiedName(value: string): string[] {
  const errors: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) {
      errors.push('prefix part must be non-empty');
    } else {
      errors.push(
        ...isDNS1123Subdomain(prefix, 'bytes').map(m => `prefix part ${m}`),
      );
    }
  } else {
    return [
      `a valid label key ${regexError(
        LABEL_KEY_MSG,
        LABEL_KEY_FMT,
        'MyName',
        'my.name',
        '123-abc',
      )} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errors.push('name part must be non-empty');
  else if (byteLength(name) > 63)
    errors.push('name part must be no more than 63 bytes');
  if (!LABEL_KEY.test(name)) {
    errors.push(
      `name part ${regexError(
        LABEL_KEY_MSG,
        LABEL_KEY_FMT,
        'MyName',
        'my.name',
        '123-abc',
      )}`,
    );
  }
  return errors;
}

export function isValidLabelValue(value: string): string[] {
  const errors: string[] = [];
  if (byteLength(value) > 63) errors.push('must be no more than 63 bytes');
  if (!LABEL_VALUE.test(value)) {
    errors.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        LABEL_VALUE_FMT,
        'MyValue',
        'my_value',
        '12345',
      ),
    );
  }
  return errors;
}

/** The messages for a name in a format; `prefix` for a generateName (a trailing '-' is fine). */
export function nameErrors(
  format: NameFormat,
  name: string,
  prefix = false,
): string[] {
  let value = name;
  if (
    prefix &&
    format !== 'path-segment' &&
    value.length > 1 &&
    value.endsWith('-')
  ) {
    value = `${value.slice(0, -2)}a`;
  }
  switch (format) {
    case 'label':
      return isDNS1123Label(value);
    case 'dns1035-label':
      return isDNS1035Label(value);
    case 'path-segment':
      return isPathSegmentName(value, prefix);
    default:
      return isDNS1123Subdomain(value);
  }
}

export function validateLabels(
  labels: Record<string, unknown> | undefined,
  field = 'metadata.labels',
): FieldError[] {
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    errors.push(...isQualifiedName(key).map(m => invalid(field, key, m)));
    errors.push(
      ...isValidLabelValue(String(value ?? '')).map(m =>
        invalid(field, value, m),
      ),
    );
  }
  return errors;
}

export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

export function validateAnnotations(
  annotations: Record<string, unknown> | undefined,
  field = 'metadata.annotations',
): FieldError[] {
  const errors: FieldError[] = [];
  let size = 0;
  for (const [key, value] of Object.entries(annotations ?? {})) {
    errors.push(
      ...isQualifiedName(key.toLowerCase()).map(m => invalid(field, key, m)),
    );
    size += byteLength(key) + byteLength(String(value ?? ''));
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT)
    errors.push(tooLong(field, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errors;
}

type Meta = Record<string, unknown>;

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function versionOf(apiVersion: string): string {
  const parts = apiVersion.split('/');
  if (parts.length === 1) return parts[0];
  return parts.length === 2 ? parts[1] : '';
}

function ownerReferenceStruct(ref: Meta) {
  return new GoStruct({
    apiVersion: text(ref.apiVersion),
    kind: text(ref.kind),
    name: text(ref.name),
    uid: text(ref.uid),
    controller:
      typeof ref.controller === 'boolean' ? ref.controller : undefined,
    blockOwnerDeletion:
      typeof ref.blockOwnerDeletion === 'boolean'
        ? ref.blockOwnerDeletion
        : undefined,
  });
}

function validateOwnerReferences(refs: unknown, field: string): FieldError[] {
  if (!Array.isArray(refs)) return [];
  const errors: FieldError[] = [];
  let firstController = '';
  for (const ref of refs as Meta[]) {
    const apiVersion = text(ref?.apiVersion);
    if (!versionOf(apiVersion)) {
      errors.push(
        invalid(`${field}.apiVersion`, apiVersion, 'version must not be empty'),
      );
    }
    for (const key of ['kind', 'name', 'uid']) {
      if (!text(ref?.[key]))
        errors.push(invalid(`${field}.${key}`, '', 'must not be empty'));
    }
    if (ref?.controller === true) {
      const current = `${text(ref.kind)}/${text(ref.name)}`;
      if (firstController) {
        const detail = `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`;
        errors.push(
          invalid(field, (refs as Meta[]).map(ownerReferenceStruct), detail),
        );
      } else {
        firstController = current;
      }
    }
  }
  return errors;
}

function validateFinalizers(finalizers: unknown, field: string): FieldError[] {
  if (!Array.isArray(finalizers)) return [];
  const names = finalizers.map(text);
  const errors = names.flatMap(name =>
    isQualifiedName(name).map(m => invalid(field, name, m)),
  );
  if (names.includes('orphan') && names.includes('foregroundDeletion')) {
    errors.push(
      invalid(
        field,
        names,
        'finalizer orphan and foregroundDeletion cannot be both set',
      ),
    );
  }
  return errors;
}

/** What validateObjectMeta needs to know about the kind. */
export interface NameRules {
  kind: string;
  /** Default 'subdomain'. */
  nameFormat?: NameFormat;
  /** Below the format's own limit: e.g. 52 for CronJob, 63 for Job. */
  maxNameLength?: number;
  namespaced: boolean;
}

/** The name rules of the built-in kinds the sandbox serves (custom resources: subdomain, 253). */
export function nameRulesForKind(kind: string): {
  nameFormat: NameFormat;
  maxNameLength: number;
} {
  switch (kind) {
    case 'Namespace':
    case 'StatefulSet':
      return { nameFormat: 'label', maxNameLength: 63 };
    case 'Service':
      return { nameFormat: 'dns1035-label', maxNameLength: 63 };
    case 'Role':
    case 'RoleBinding':
    case 'ClusterRole':
    case 'ClusterRoleBinding':
      return { nameFormat: 'path-segment', maxNameLength: Infinity };
    case 'CronJob':
      return { nameFormat: 'subdomain', maxNameLength: 52 };
    case 'Job':
      return { nameFormat: 'subdomain', maxNameLength: 63 };
    default:
      return { nameFormat: 'subdomain', maxNameLength: 253 };
  }
}

function kindNameErrors(rules: NameRules, name: string): FieldError[] {
  const max = rules.maxNameLength;
  if (!name || max === undefined || byteLength(name) <= max) return [];
  if (rules.kind === 'Job') {
    // The Job's name becomes the value of its pod template's job-name labels.
    const label = invalid(
      'spec.template.labels',
      name,
      'must be no more than 63 bytes',
    );
    return [label, { ...label }];
  }
  const formatMax =
    rules.nameFormat === 'subdomain' || !rules.nameFormat ? 253 : 63;
  if (max >= formatMax) return [];
  return [
    invalid('metadata.name', name, `must be no more than ${max} characters`),
  ];
}

/**
 * Metadata of an object being created, like ValidateObjectMetaAccessor (and,
 * for CronJob and Job, the name-length rules of their kinds). `generateName`
 * is expected to have been turned into a name already.
 */
export function validateObjectMeta(
  rules: NameRules,
  metadata: Meta | undefined,
): FieldError[] {
  const meta = metadata ?? {};
  const format = rules.nameFormat ?? 'subdomain';
  const errors: FieldError[] = [];
  const generateName = text(meta.generateName);
  const name = text(meta.name);
  if (generateName) {
    errors.push(
      ...nameErrors(format, generateName, true).map(m =>
        invalid('metadata.generateName', generateName, m),
      ),
    );
  }
  if (!name) {
    errors.push(required('metadata.name', 'name or generateName is required'));
  } else {
    errors.push(
      ...nameErrors(format, name).map(m => invalid('metadata.name', name, m)),
    );
  }
  errors.push(...commonMetaErrors(meta, rules.namespaced, 'metadata'));
  errors.push(...kindNameErrors(rules, name));
  return errors;
}

function commonMetaErrors(
  meta: Meta,
  namespaced: boolean,
  path: string,
): FieldError[] {
  const errors: FieldError[] = [];
  const namespace = text(meta.namespace);
  if (namespaced) {
    if (!namespace) errors.push(required(`${path}.namespace`));
    else {
      errors.push(
        ...isDNS1123Label(namespace).map(m =>
          invalid(`${path}.namespace`, namespace, m),
        ),
      );
    }
  } else if (namespace) {
    errors.push(forbidden(`${path}.namespace`, 'not allowed on this type'));
  }
  if (typeof meta.generation === 'number' && meta.generation < 0) {
    errors.push(
      invalid(
        `${path}.generation`,
        meta.generation,
        'must be greater than or equal to 0',
      ),
    );
  }
  errors.push(
    ...validateLabels(meta.labels as Meta | undefined, `${path}.labels`),
  );
  errors.push(
    ...validateAnnotations(
      meta.annotations as Meta | undefined,
      `${path}.annotations`,
    ),
  );
  errors.push(
    ...validateOwnerReferences(meta.ownerReferences, `${path}.ownerReferences`),
  );
  errors.push(...validateFinalizers(meta.finalizers, `${path}.finalizers`));
  return errors;
}

/** The metadata of an `x-kubernetes-embedded-resource` (names only need to be path segments). */
export function validateEmbeddedObjectMeta(
  metadata: Meta,
  path: string,
): FieldError[] {
  const meta: Meta = { ...metadata, name: text(metadata.name) || 'fakename' };
  const errors: FieldError[] = [];
  const generateName = text(meta.generateName);
  if (generateName) {
    errors.push(
      ...isPathSegmentName(generateName, true).map(m =>
        invalid(`${path}.generateName`, generateName, m),
      ),
    );
  }
  errors.push(
    ...isPathSegmentName(text(meta.name)).map(m =>
      invalid(`${path}.name`, meta.name, m),
    ),
  );
  errors.push(...commonMetaErrors(meta, text(meta.namespace) !== '', path));
  return errors;
}

function immutable(
  field: string,
  next: unknown,
  previous: unknown,
): FieldError[] {
  return next === previous
    ? []
    : [invalid(field, next ?? null, 'field is immutable')];
}

/** Metadata of an update, like ValidateObjectMetaAccessorUpdate. */
export function validateObjectMetaUpdate(
  metadata: Meta,
  old: Meta,
): FieldError[] {
  const errors: FieldError[] = [];
  if (old.deletionTimestamp) {
    const before = new Set(Array.isArray(old.finalizers) ? old.finalizers : []);
    const added = [
      ...new Set(Array.isArray(metadata.finalizers) ? metadata.finalizers : []),
    ]
      .filter(f => !before.has(f))
      .map(String)
      .sort();
    if (added.length) {
      const shown = `[]string{${added.map(goQuote).join(', ')}}`;
      const detail = `no new finalizers can be added if the object is being deleted, found new finalizers ${shown}`;
      errors.push(forbidden('metadata.finalizers', detail));
    }
  }
  if (!text(metadata.resourceVersion)) {
    errors.push(
      invalid(
        'metadata.resourceVersion',
        '',
        'must be specified for an update',
      ),
    );
  }
  const generation = Number(metadata.generation ?? 0);
  if (generation < Number(old.generation ?? 0)) {
    errors.push(
      invalid('metadata.generation', generation, 'must not be decremented'),
    );
  }
  errors.push(
    ...immutable('metadata.name', text(metadata.name), text(old.name)),
  );
  errors.push(
    ...immutable(
      'metadata.namespace',
      text(metadata.namespace),
      text(old.namespace),
    ),
  );
  errors.push(...immutable('metadata.uid', text(metadata.uid), text(old.uid)));
  for (const key of [
    'creationTimestamp',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
  ]) {
    errors.push(...immutable(`metadata.${key}`, metadata[key], old[key]));
  }
  errors.push(...validateLabels(metadata.labels as Meta | undefined));
  errors.push(...validateAnnotations(metadata.annotations as Meta | undefined));
  errors.push(
    ...validateOwnerReferences(
      metadata.ownerReferences,
      'metadata.ownerReferences',
    ),
  );
  return errors;
}

/** A custom resource's apiVersion and kind must be the ones of the URL (checked before anything else). */
export function validateTypeMeta(
  expected: { group: string; version: string; kind: string },
  object: { apiVersion?: unknown; kind?: unknown },
): FieldError[] {
  const errors: FieldError[] = [];
  const apiVersion = expected.group
    ? `${expected.group}/${expected.version}`
    : expected.version;
  if (object.kind !== expected.kind) {
    errors.push(invalid('kind', object.kind ?? '', `must be ${expected.kind}`));
  }
  if (object.apiVersion !== apiVersion) {
    errors.push(
      invalid('apiVersion', object.apiVersion ?? '', `must be ${apiVersion}`),
    );
  }
  return errors;
}

const OBJECT_META_FIELDS = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);
const OWNER_REFERENCE_FIELDS = new Set([
  'apiVersion',
  'kind',
  'name',
  'uid',
  'controller',
  'blockOwnerDeletion',
]);

/**
 * Drops the fields ObjectMeta does not have (as decoding into Go structs
 * does), returning them as `unknown field "metadata.foo"` paths.
 */
export function pruneObjectMeta(metadata: Meta): {
  metadata: Meta;
  unknownFields: string[];
} {
  const unknownFields: string[] = [];
  const result: Meta = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (!OBJECT_META_FIELDS.has(key)) {
      unknownFields.push(`metadata.${key}`);
    } else if (key === 'ownerReferences' && Array.isArray(value)) {
      result[key] = value.map((ref, i) => {
        if (typeof ref !== 'object' || ref === null) return ref;
        const kept: Meta = {};
        for (const [field, item] of Object.entries(ref as Meta)) {
          if (OWNER_REFERENCE_FIELDS.has(field)) kept[field] = item;
          else unknownFields.push(`metadata.ownerReferences[${i}].${field}`);
        }
        return kept;
      });
    } else {
      result[key] = value;
    }
  }
  return { metadata: result, unknownFields };
}

const NAME_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** 5 random characters, from the alphabet the real server uses for `generateName`. */
export function generateNameSuffix(): string {
  let suffix = '';
  for (let i = 0; i < 5; i++)
    suffix += NAME_SUFFIX_ALPHABET[randomInt(NAME_SUFFIX_ALPHABET.length)];
  return suffix;
}

/** The name the real server makes of a `generateName`: the base cut to 58 bytes, plus the suffix. */
export function generateNameFrom(base: string): string {
  const cut = Buffer.from(base, 'utf8').subarray(0, 58).toString('utf8');
  return `${byteLength(base) > 58 ? cut : base}${generateNameSuffix()}`;
}
