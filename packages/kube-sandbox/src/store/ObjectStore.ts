import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { Clock } from '../clock';
import { ApiError, errors } from '../errors';
import { ResourceRegistry } from '../resources/ResourceRegistry';
import {
  apiVersionOf,
  FieldError,
  KubeObject,
  resourceKey,
  ResourceType,
} from '../resources/types';
import {
  FieldRequirement,
  LabelRequirement,
  matchesFields,
  matchesLabels,
} from './selectors';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** A change, as controllers and watchers see it. */
export interface StoreEvent {
  type: WatchEventType;
  resource: ResourceType;
  object: KubeObject;
  /** The object before the change (MODIFIED and DELETED). */
  previous?: KubeObject;
}

/** Checks an object before it is stored; may prune and default it. */
export type ObjectValidator = (
  resource: ResourceType,
  object: KubeObject,
) => { object: KubeObject; errors: FieldError[] };

/**
 * A server-side default beyond kube-apiserver's own (e.g. one a newer
 * Kubernetes release adds), applied to every write after the kind's defaults.
 */
export type Defaulter = (
  resource: ResourceType,
  object: KubeObject,
  context: { operation: 'create' | 'update' },
) => KubeObject | void;

export interface ListOptions {
  namespace?: string;
  labels?: LabelRequirement[];
  fields?: FieldRequirement[];
  limit?: number;
  continueToken?: string;
}

export interface ListResult {
  /** Each item already serialised, so large lists are cheap to answer. */
  items: string[];
  resourceVersion: string;
  continueToken?: string;
  remainingItemCount?: number;
}

export interface WatchOptions {
  namespace?: string;
  labels?: LabelRequirement[];
  fields?: FieldRequirement[];
  /** Unset or '0': start with the current objects as ADDED events. */
  resourceVersion?: string;
}

export interface DeleteOptions {
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  preconditions?: { resourceVersion?: string; uid?: string };
}

interface Entry {
  object: KubeObject;
  json: string;
}

interface Bucket {
  entries: Map<string, Entry>;
  byNamespace: Map<string, Set<string>>;
  byLabel: Map<string, Set<string>>;
}

interface HistoryEvent {
  resourceVersion: number;
  type: WatchEventType;
  resourceKey: string;
  object: KubeObject;
  json: string;
  previousLabels?: Record<string, string>;
}

type Watcher = (event: HistoryEvent) => void;

const DEFAULT_HISTORY = 10000;

function objectKey(namespace: string | undefined, name: string) {
  return namespace ? `${namespace}/${name}` : name;
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V) {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(value);
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V) {
  const set = map.get(key);
  set?.delete(value);
  if (set && set.size === 0) {
    map.delete(key);
  }
}

const GENERATE_NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function randomSuffix() {
  let suffix = '';
  for (let i = 0; i < 5; i++) {
    suffix +=
      GENERATE_NAME_ALPHABET[
        Math.floor(Math.random() * GENERATE_NAME_ALPHABET.length)
      ];
  }
  return suffix;
}

function withoutVolatileMeta(object: KubeObject) {
  const { resourceVersion, managedFields, ...metadata } = object.metadata;
  return { ...object, metadata };
}

function specOf(object: KubeObject) {
  const { metadata, status, ...rest } = object;
  return rest;
}

/**
 * The API server's storage: objects by resource, with label and namespace
 * indexes, a global resourceVersion, a bounded event history for watch
 * resume, and the garbage collection a real cluster runs (namespace deletion,
 * ownerReferences, finalizers).
 */
export class ObjectStore {
  private readonly buckets = new Map<string, Bucket>();
  private readonly history: HistoryEvent[] = [];
  private readonly historySize: number;
  private readonly watchers = new Set<Watcher>();
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private readonly defaulters: Defaulter[] = [];
  private currentVersion = 1;
  private historyFloor = 1;

  constructor(
    private readonly options: {
      registry: ResourceRegistry;
      clock: Clock;
      validate?: ObjectValidator;
      historySize?: number;
    },
  ) {
    this.historySize = options.historySize ?? DEFAULT_HISTORY;
  }

  get registry() {
    return this.options.registry;
  }

  get resourceVersion(): string {
    return String(this.currentVersion);
  }

  /** Controllers and tests: called synchronously after every change. */
  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Adds a server-side default, as a newer Kubernetes release or a mutating
   * admission webhook would; returns a function that removes it.
   */
  addDefaulter(defaulter: Defaulter): () => void {
    this.defaulters.push(defaulter);
    return () => {
      const index = this.defaulters.indexOf(defaulter);
      if (index !== -1) this.defaulters.splice(index, 1);
    };
  }

  get(
    resource: ResourceType,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    return this.bucket(resource).entries.get(
      objectKey(this.scope(resource, namespace), name),
    )?.object;
  }

  getOrThrow(
    resource: ResourceType,
    namespace: string | undefined,
    name: string,
  ): KubeObject {
    const object = this.get(resource, namespace, name);
    if (!object) {
      throw errors.notFound(resource, name);
    }
    return object;
  }

  /** The stored objects of a kind, parsed; for controllers. */
  objects(
    resource: ResourceType,
    options: Omit<ListOptions, 'limit' | 'continueToken'> = {},
  ) {
    return this.matchingKeys(resource, options).map(
      key => this.bucket(resource).entries.get(key)!.object,
    );
  }

  list(resource: ResourceType, options: ListOptions = {}): ListResult {
    const bucket = this.bucket(resource);
    let keys = this.matchingKeys(resource, options).sort();
    if (options.continueToken) {
      const { resourceVersion, start } = this.decodeContinue(
        options.continueToken,
      );
      if (resourceVersion < this.historyFloor) {
        throw errors.gone(
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
        );
      }
      keys = keys.filter(key => key > start);
    }
    const limit =
      options.limit && options.limit > 0 ? options.limit : undefined;
    const page = limit ? keys.slice(0, limit) : keys;
    const remaining = keys.length - page.length;
    // kube-apiserver counts what is left only for an unfiltered list.
    const filtered =
      (options.labels ?? []).length > 0 || (options.fields ?? []).length > 0;
    return {
      items: page.map(key => bucket.entries.get(key)!.json),
      resourceVersion: this.resourceVersion,
      ...(remaining > 0
        ? {
            continueToken: this.encodeContinue(page[page.length - 1]),
            ...(filtered ? {} : { remainingItemCount: remaining }),
          }
        : {}),
    };
  }

  create(
    resource: ResourceType,
    namespace: string | undefined,
    body: KubeObject,
  ): KubeObject {
    const scoped = this.scope(resource, namespace);
    const metadata = { ...(body.metadata ?? {}) };
    this.checkKind(resource, body);
    if (resource.namespaced) {
      if (metadata.namespace && scoped && metadata.namespace !== scoped) {
        throw errors.badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      metadata.namespace = scoped ?? metadata.namespace;
      this.requireLiveNamespace(metadata.namespace);
    } else {
      delete metadata.namespace;
    }
    if (!metadata.name && metadata.generateName) {
      metadata.name = `${metadata.generateName}${randomSuffix()}`;
    }
    // Set before defaulting and validation, as the real server's BeforeCreate
    // does (a Job's generated selector holds its uid).
    const uid = randomUUID();
    const creationTimestamp = this.timestamp();
    const candidate: KubeObject = {
      ...body,
      apiVersion: apiVersionOf(resource),
      kind: resource.kind,
      metadata,
    };
    if (resource.subresources.status) {
      delete candidate.status;
    }
    if (this.isNamespace(resource)) {
      candidate.status = { phase: 'Active' };
    }
    candidate.metadata = { ...candidate.metadata, uid, creationTimestamp };
    const object = this.validated(
      resource,
      this.withNamespaceLabel(resource, candidate),
      'create',
    );
    const name = object.metadata.name!;
    const key = objectKey(object.metadata.namespace, name);
    if (this.bucket(resource).entries.has(key)) {
      throw errors.alreadyExists(resource, name);
    }
    object.metadata = {
      ...object.metadata,
      uid,
      creationTimestamp,
      ...(this.tracksGeneration(resource) ? { generation: 1 } : {}),
    };
    delete object.metadata.deletionTimestamp;
    return this.write(resource, 'ADDED', object);
  }

  /** PUT: replaces the object, or with subresource 'status' only its status. */
  update(
    resource: ResourceType,
    namespace: string | undefined,
    name: string,
    body: KubeObject,
    options: { subresource?: 'status' } = {},
  ): KubeObject {
    const existing = this.getOrThrow(resource, namespace, name);
    this.checkKind(resource, body);
    if (body.metadata?.name && body.metadata.name !== name) {
      throw errors.badRequest(
        `the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    const expected = body.metadata?.resourceVersion;
    if (expected && expected !== existing.metadata.resourceVersion) {
      throw errors.conflict(
        resource,
        name,
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
    const metadata = {
      ...body.metadata,
      name,
      namespace: existing.metadata.namespace,
      uid: existing.metadata.uid,
      creationTimestamp: existing.metadata.creationTimestamp,
      deletionTimestamp: existing.metadata.deletionTimestamp,
      generation: existing.metadata.generation,
    };
    let candidate: KubeObject;
    if (options.subresource === 'status') {
      // A custom resource's /status takes the status alone; a built-in
      // kind's keeps metadata changes too and resets only the spec.
      candidate = resource.schema
        ? { ...existing, status: body.status }
        : { ...existing, metadata, status: body.status };
    } else {
      candidate = {
        ...body,
        apiVersion: existing.apiVersion,
        kind: existing.kind,
        metadata,
      };
      if (resource.subresources.status) {
        candidate.status = existing.status;
      }
    }
    this.dropUndefinedMeta(candidate);
    const object = this.validated(
      resource,
      this.withNamespaceLabel(resource, candidate),
      'update',
    );
    if (
      isDeepStrictEqual(
        withoutVolatileMeta(object),
        withoutVolatileMeta(existing),
      )
    ) {
      return existing;
    }
    if (
      this.tracksGeneration(resource) &&
      !isDeepStrictEqual(specOf(object), specOf(existing))
    ) {
      object.metadata.generation = (existing.metadata.generation ?? 0) + 1;
    }
    if (
      object.metadata.deletionTimestamp &&
      (object.metadata.finalizers ?? []).length === 0
    ) {
      this.remove(resource, object);
      return object;
    }
    return this.write(resource, 'MODIFIED', object, existing);
  }

  delete(
    resource: ResourceType,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
  ): KubeObject {
    const existing = this.getOrThrow(resource, namespace, name);
    const { preconditions } = options;
    if (
      (preconditions?.resourceVersion &&
        preconditions.resourceVersion !== existing.metadata.resourceVersion) ||
      (preconditions?.uid && preconditions.uid !== existing.metadata.uid)
    ) {
      throw errors.conflict(
        resource,
        name,
        'the ResourceVersion in the precondition does not match the ResourceVersion in record. The object might have been modified',
      );
    }
    if (this.isNamespace(resource)) {
      return this.terminateNamespace(resource, existing);
    }
    if ((existing.metadata.finalizers ?? []).length > 0) {
      if (existing.metadata.deletionTimestamp) {
        return existing;
      }
      return this.write(
        resource,
        'MODIFIED',
        {
          ...existing,
          metadata: {
            ...existing.metadata,
            deletionTimestamp: this.timestamp(),
          },
        },
        existing,
      );
    }
    const policy =
      options.propagationPolicy ?? this.defaultPropagation(resource);
    if (policy === 'Foreground') {
      this.dependentsOf(existing).forEach(({ resource: r, object }) =>
        this.deleteQuietly(r, object, 'Foreground'),
      );
    }
    this.remove(resource, existing);
    if (policy === 'Orphan') {
      this.orphanDependents(existing);
    } else if (policy === 'Background') {
      setImmediate(() => this.collectGarbage(existing));
    }
    return existing;
  }

  deleteCollection(
    resource: ResourceType,
    options: ListOptions = {},
  ): KubeObject[] {
    return this.objects(resource, options).map(object =>
      this.delete(resource, object.metadata.namespace, object.metadata.name!),
    );
  }

  /**
   * Streams changes to `watcher`, starting after `resourceVersion` (or with the
   * current objects as ADDED events); throws 410 Gone when that version is older
   * than the history the store keeps.
   */
  watch(
    resource: ResourceType,
    options: WatchOptions,
    send: (type: WatchEventType, json: string) => void,
  ): () => void {
    const key = resourceKey(resource);
    const namespace = this.scope(resource, options.namespace);
    const labels = options.labels ?? [];
    const fields = options.fields ?? [];
    const matches = (
      object: KubeObject,
      objectLabels = object.metadata.labels,
    ) =>
      (!namespace || object.metadata.namespace === namespace) &&
      matchesLabels(labels, objectLabels) &&
      matchesFields(fields, object.metadata);

    const deliver = (event: HistoryEvent) => {
      if (event.resourceKey !== key) return;
      const nowMatches = matches(event.object);
      const before =
        event.type === 'MODIFIED'
          ? matches(event.object, event.previousLabels)
          : nowMatches;
      if (event.type === 'MODIFIED' && before !== nowMatches) {
        send(nowMatches ? 'ADDED' : 'DELETED', event.json);
      } else if (nowMatches) {
        send(event.type, event.json);
      }
    };

    const from = options.resourceVersion;
    if (!from || from === '0') {
      for (const item of this.list(resource, { namespace, labels, fields })
        .items) {
        send('ADDED', item);
      }
    } else {
      const version = Number(from);
      if (!Number.isInteger(version) || version < 0) {
        throw errors.badRequest(`invalid resource version: ${from}`);
      }
      if (version < this.historyFloor - 1) {
        throw errors.gone(
          `too old resource version: ${version} (${this.historyFloor - 1})`,
        );
      }
      this.history
        .filter(event => event.resourceVersion > version)
        .forEach(deliver);
    }
    this.watchers.add(deliver);
    return () => this.watchers.delete(deliver);
  }

  // ---- internals ----

  private bucket(resource: ResourceType): Bucket {
    const key = resourceKey(resource);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = {
        entries: new Map(),
        byNamespace: new Map(),
        byLabel: new Map(),
      };
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  private scope(resource: ResourceType, namespace: string | undefined) {
    return resource.namespaced ? namespace || undefined : undefined;
  }

  private matchingKeys(
    resource: ResourceType,
    options: Omit<ListOptions, 'limit' | 'continueToken'>,
  ): string[] {
    const bucket = this.bucket(resource);
    const namespace = this.scope(resource, options.namespace);
    const labels = options.labels ?? [];
    const fields = options.fields ?? [];
    // Start from the smallest index that every match must be in: an equality
    // requirement's label index or the namespace index.
    const required = labels
      .filter(
        requirement =>
          requirement.operator === 'in' && requirement.values.length === 1,
      )
      .map(requirement =>
        bucket.byLabel.get(`${requirement.key}=${requirement.values[0]}`),
      );
    if (namespace) {
      required.push(bucket.byNamespace.get(namespace));
    }
    if (required.some(set => set === undefined)) {
      return [];
    }
    const candidates: Iterable<string> =
      (required as Set<string>[]).sort((a, b) => a.size - b.size)[0] ??
      bucket.entries.keys();
    const keys: string[] = [];
    for (const key of candidates) {
      const { object } = bucket.entries.get(key)!;
      if (
        (!namespace || object.metadata.namespace === namespace) &&
        matchesLabels(labels, object.metadata.labels) &&
        matchesFields(fields, object.metadata)
      ) {
        keys.push(key);
      }
    }
    return keys;
  }

  private checkKind(resource: ResourceType, body: KubeObject) {
    if (!body || typeof body !== 'object') {
      throw errors.badRequest('the request body must be a JSON object');
    }
    const apiVersion = apiVersionOf(resource);
    if (body.apiVersion && body.apiVersion !== apiVersion) {
      throw errors.badRequest(
        `the API version in the data (${body.apiVersion}) does not match the expected API version (${apiVersion})`,
      );
    }
    if (body.kind && body.kind !== resource.kind) {
      throw errors.badRequest(
        `the kind in the data (${body.kind}) does not match the expected kind (${resource.kind})`,
      );
    }
  }

  private validated(
    resource: ResourceType,
    input: KubeObject,
    operation: 'create' | 'update',
  ): KubeObject {
    let candidate = resource.normalize ? resource.normalize(input) : input;
    if (resource.defaults) {
      candidate = resource.defaults(candidate, { operation });
    }
    for (const defaulter of this.defaulters) {
      const copy = structuredClone(candidate);
      candidate = defaulter(resource, copy, { operation }) ?? copy;
    }
    const name =
      candidate.metadata?.name ?? candidate.metadata?.generateName ?? '';
    const result = this.options.validate
      ? this.options.validate(resource, candidate)
      : { object: candidate, errors: [] };
    if (!candidate.metadata?.name) {
      result.errors.unshift({
        field: 'metadata.name',
        reason: 'FieldValueRequired',
        message: 'Required value: name or generateName is required',
      });
    }
    if (result.errors.length > 0) {
      throw errors.invalid(resource, name, result.errors);
    }
    return structuredClone(result.object);
  }

  private isNamespace(resource: ResourceType) {
    return resource.kind === 'Namespace' && resource.group === '';
  }

  /** Namespaces carry `kubernetes.io/metadata.name`, as kube-apiserver sets it. */
  private withNamespaceLabel(
    resource: ResourceType,
    object: KubeObject,
  ): KubeObject {
    if (!this.isNamespace(resource) || !object.metadata.name) {
      return object;
    }
    return {
      ...object,
      metadata: {
        ...object.metadata,
        labels: {
          ...object.metadata.labels,
          'kubernetes.io/metadata.name': object.metadata.name,
        },
      },
    };
  }

  private requireLiveNamespace(namespace: string | undefined) {
    const namespaces = this.options.registry.find('', 'v1', 'namespaces')!;
    if (!namespace) {
      throw errors.badRequest('a namespace must be specified');
    }
    const found = this.get(namespaces, undefined, namespace);
    if (!found) {
      throw errors.notFound(namespaces, namespace);
    }
    if (found.metadata.deletionTimestamp) {
      throw new ApiError(
        403,
        'Forbidden',
        `unable to create new content in namespace ${namespace} because it is being terminated`,
      );
    }
  }

  private tracksGeneration(resource: ResourceType) {
    return resource.subresources.status || resource.schema !== undefined;
  }

  private dropUndefinedMeta(object: KubeObject) {
    for (const [key, value] of Object.entries(object.metadata)) {
      if (value === undefined) delete object.metadata[key];
    }
  }

  private timestamp() {
    return this.options.clock
      .now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  }

  private write(
    resource: ResourceType,
    type: 'ADDED' | 'MODIFIED',
    object: KubeObject,
    previous?: KubeObject,
  ): KubeObject {
    const bucket = this.bucket(resource);
    const key = objectKey(object.metadata.namespace, object.metadata.name!);
    this.currentVersion += 1;
    object.metadata.resourceVersion = String(this.currentVersion);
    if (previous) this.unindex(bucket, key, previous);
    const entry = { object, json: JSON.stringify(object) };
    bucket.entries.set(key, entry);
    this.index(bucket, key, object);
    this.publish(resource, type, entry, previous);
    return object;
  }

  private remove(resource: ResourceType, object: KubeObject) {
    const bucket = this.bucket(resource);
    const key = objectKey(object.metadata.namespace, object.metadata.name!);
    const stored = bucket.entries.get(key);
    if (!stored) return;
    bucket.entries.delete(key);
    this.unindex(bucket, key, stored.object);
    this.currentVersion += 1;
    const deleted = {
      ...object,
      metadata: {
        ...object.metadata,
        resourceVersion: String(this.currentVersion),
      },
    };
    this.publish(
      resource,
      'DELETED',
      { object: deleted, json: JSON.stringify(deleted) },
      stored.object,
    );
  }

  private index(bucket: Bucket, key: string, object: KubeObject) {
    addTo(bucket.byNamespace, object.metadata.namespace ?? '', key);
    for (const [label, value] of Object.entries(object.metadata.labels ?? {})) {
      addTo(bucket.byLabel, `${label}=${value}`, key);
    }
  }

  private unindex(bucket: Bucket, key: string, object: KubeObject) {
    removeFrom(bucket.byNamespace, object.metadata.namespace ?? '', key);
    for (const [label, value] of Object.entries(object.metadata.labels ?? {})) {
      removeFrom(bucket.byLabel, `${label}=${value}`, key);
    }
  }

  private publish(
    resource: ResourceType,
    type: WatchEventType,
    entry: Entry,
    previous?: KubeObject,
  ) {
    const event: HistoryEvent = {
      resourceVersion: this.currentVersion,
      type,
      resourceKey: resourceKey(resource),
      object: entry.object,
      json: entry.json,
      previousLabels: previous?.metadata.labels,
    };
    this.history.push(event);
    if (this.history.length > this.historySize) {
      const dropped = this.history.splice(
        0,
        this.history.length - this.historySize,
      );
      this.historyFloor = dropped[dropped.length - 1].resourceVersion + 1;
    }
    this.watchers.forEach(watcher => watcher(event));
    const storeEvent: StoreEvent = {
      type,
      resource,
      object: entry.object,
      previous,
    };
    this.listeners.forEach(listener => listener(storeEvent));
  }

  private encodeContinue(start: string) {
    return Buffer.from(
      JSON.stringify({ rv: this.currentVersion, start }),
    ).toString('base64url');
  }

  private decodeContinue(token: string): {
    resourceVersion: number;
    start: string;
  } {
    try {
      const { rv, start } = JSON.parse(
        Buffer.from(token, 'base64url').toString('utf8'),
      );
      if (typeof rv === 'number' && typeof start === 'string') {
        return { resourceVersion: rv, start };
      }
    } catch {
      // fall through
    }
    throw errors.badRequest(`invalid continue token: ${token}`);
  }

  private defaultPropagation(resource: ResourceType): 'Background' | 'Orphan' {
    // batch/v1 Jobs orphan their pods by default, for backwards compatibility.
    return resource.group === 'batch' && resource.kind === 'Job'
      ? 'Orphan'
      : 'Background';
  }

  private dependentsOf(
    owner: KubeObject,
  ): Array<{ resource: ResourceType; object: KubeObject }> {
    const dependents: Array<{ resource: ResourceType; object: KubeObject }> =
      [];
    for (const resource of this.options.registry.all()) {
      if (resource.namespaced !== true && owner.metadata.namespace) continue;
      for (const object of this.objects(resource, {
        namespace: owner.metadata.namespace,
      })) {
        if (
          (object.metadata.ownerReferences ?? []).some(
            ref => ref.uid === owner.metadata.uid,
          )
        ) {
          dependents.push({ resource, object });
        }
      }
    }
    return dependents;
  }

  private deleteQuietly(
    resource: ResourceType,
    object: KubeObject,
    policy: DeleteOptions['propagationPolicy'],
  ) {
    try {
      this.delete(resource, object.metadata.namespace, object.metadata.name!, {
        propagationPolicy: policy,
      });
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 404)) throw error;
    }
  }

  private collectGarbage(owner: KubeObject) {
    this.dependentsOf(owner).forEach(({ resource, object }) => {
      const remainingOwners = (object.metadata.ownerReferences ?? []).filter(
        ref => ref.uid !== owner.metadata.uid,
      );
      if (remainingOwners.length > 0) {
        this.update(
          resource,
          object.metadata.namespace,
          object.metadata.name!,
          {
            ...object,
            metadata: {
              ...object.metadata,
              ownerReferences: remainingOwners,
              resourceVersion: undefined,
            },
          },
        );
      } else {
        this.deleteQuietly(resource, object, 'Background');
      }
    });
  }

  private orphanDependents(owner: KubeObject) {
    this.dependentsOf(owner).forEach(({ resource, object }) => {
      const ownerReferences = (object.metadata.ownerReferences ?? []).filter(
        ref => ref.uid !== owner.metadata.uid,
      );
      this.update(resource, object.metadata.namespace, object.metadata.name!, {
        ...object,
        metadata: {
          ...object.metadata,
          ownerReferences:
            ownerReferences.length > 0 ? ownerReferences : undefined,
          resourceVersion: undefined,
        },
      });
    });
  }

  private terminateNamespace(
    resource: ResourceType,
    namespace: KubeObject,
  ): KubeObject {
    if (namespace.metadata.deletionTimestamp) {
      return namespace;
    }
    const terminating = this.write(
      resource,
      'MODIFIED',
      {
        ...namespace,
        metadata: {
          ...namespace.metadata,
          deletionTimestamp: this.timestamp(),
        },
        status: {
          ...((namespace.status as object) ?? {}),
          phase: 'Terminating',
        },
      },
      namespace,
    );
    setImmediate(() => {
      const name = namespace.metadata.name!;
      for (const namespaced of this.options.registry
        .all()
        .filter(r => r.namespaced)) {
        for (const object of this.objects(namespaced, { namespace: name })) {
          this.remove(namespaced, object);
        }
      }
      const current = this.get(resource, undefined, name);
      if (current) this.remove(resource, current);
    });
    return terminating;
  }
}
