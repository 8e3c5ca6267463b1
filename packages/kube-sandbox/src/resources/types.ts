/** A JSON schema node as CRDs write them (openAPIV3Schema). */
export type JSONSchemaProps = Record<string, any>;

/** An object as stored and served. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
  [key: string]: unknown;
}

/** A kind the server serves, built in or from a CRD. */
export interface ResourceType {
  /** '' for the core group. */
  group: string;
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  namespaced: boolean;
  subresources: { status: boolean };
  verbs: string[];
  /** The CRD's openAPIV3Schema; absent for built-in kinds. */
  schema?: JSONSchemaProps;
  /** Rewrites the server applies before validation (a Secret's stringData). */
  normalize?: (object: KubeObject) => KubeObject;
  /**
   * kube-apiserver's defaulting of a built-in kind (Go encoding, SetDefaults_*
   * and the strategy's additions); absent for CRDs, which default through their
   * schema.
   */
  defaults?: (
    object: KubeObject,
    context: { operation: 'create' | 'update' },
  ) => KubeObject;
  /** Kind-specific checks of built-in kinds (e.g. a CronJob's schedule). */
  validate?: (object: KubeObject) => FieldError[];
}

export interface FieldError {
  field: string;
  reason: string;
  message: string;
}

export function apiVersionOf(
  resource: Pick<ResourceType, 'group' | 'version'>,
) {
  return resource.group
    ? `${resource.group}/${resource.version}`
    : resource.version;
}

export function resourceKey(resource: Pick<ResourceType, 'group' | 'plural'>) {
  return resource.group
    ? `${resource.plural}.${resource.group}`
    : resource.plural;
}
