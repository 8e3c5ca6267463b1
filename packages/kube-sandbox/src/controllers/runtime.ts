import { isDeepStrictEqual } from 'node:util';
import { Clock } from '../clock';
import { ApiError } from '../errors';
import { KubeObject, OwnerReference, ResourceType } from '../resources/types';
import { ObjectStore, StoreEvent } from '../store/ObjectStore';

/** A simulated controller: it maps store events to work and owns its timers. */
export interface Controller {
  /** Called for every store change; enqueues work, never writes directly. */
  onEvent(event: StoreEvent): void;
  /** Enqueues a reconcile of every object the controller owns (at start). */
  resync(): void;
}

/** Where the controllers send errors they could not handle. */
export type ErrorReporter = (error: unknown, work: string) => void;

/** A loose view of an object's nested fields, for controllers. */
export type Fields = Record<string, any>;

const MAX_WORK_PER_DRAIN = 200_000;

/**
 * What every controller shares: the store, the simulated clock, a work queue
 * and named timers.
 *
 * Re-entrancy: the store calls its listeners synchronously inside each write.
 * Controllers never write from a listener; they enqueue keyed work instead.
 * The queue drains synchronously, right away when nothing is draining (so a
 * write made by a test or an HTTP request has its reactions applied before the
 * write call returns), or after the work in progress when a controller's own
 * write caused the event (so no reconcile ever runs inside another one). Work
 * is level-triggered and deduplicated by key: a reconcile reads the current
 * state from the store, so coalescing events is safe. Simulated durations are
 * timers on the simulated clock, whose callbacks enqueue work the same way.
 */
export class ControllerRuntime {
  private readonly pending = new Map<string, () => void>();
  private readonly timers = new Map<string, () => void>();
  private draining = false;
  private stopped = false;

  constructor(
    readonly store: ObjectStore,
    readonly clock: Clock,
    private readonly reportError: ErrorReporter,
  ) {}

  /** The served resource of a kind, or undefined when the server lacks it. */
  kind(apiVersion: string, kind: string): ResourceType | undefined {
    return this.store.registry.findKind(apiVersion, kind);
  }

  /** Runs `work` once, now or after the work in progress; a pending key is not added twice. */
  enqueue(key: string, work: () => void): void {
    if (this.stopped || this.pending.has(key)) return;
    this.pending.set(key, work);
    if (!this.draining) this.drain();
  }

  /** Runs `work` (through the queue) when the simulated clock reaches `when`; replaces the timer of the same key. */
  at(key: string, when: Date, work: () => void): void {
    if (this.stopped) return;
    this.cancel(key);
    const cancel = this.clock.at(when, () => {
      this.timers.delete(key);
      this.enqueue(key, work);
    });
    this.timers.set(key, cancel);
  }

  cancel(key: string): void {
    this.timers.get(key)?.();
    this.timers.delete(key);
  }

  stop(): void {
    this.stopped = true;
    this.pending.clear();
    this.timers.forEach(cancel => cancel());
    this.timers.clear();
  }

  now(): Date {
    return this.clock.now();
  }

  /** The current simulated time as Kubernetes writes timestamps (RFC 3339, seconds). */
  timestamp(date: Date = this.clock.now()): string {
    return toTimestamp(date);
  }

  /** True when objects can be created in the namespace (it exists and is not terminating). */
  namespaceActive(namespace: string | undefined): boolean {
    if (!namespace) return true;
    const namespaces = this.kind('v1', 'Namespace')!;
    const found = this.store.get(namespaces, undefined, namespace);
    return Boolean(found && !found.metadata.deletionTimestamp);
  }

  /**
   * Replaces the object's status when it differs. Kinds with a status
   * subresource get a status write; the others (Velero's CRDs) a plain update.
   */
  writeStatus(
    resource: ResourceType,
    object: KubeObject,
    status: Fields,
  ): KubeObject {
    const { namespace, name } = object.metadata;
    const body = {
      ...object,
      status,
      metadata: { ...object.metadata, resourceVersion: undefined },
    };
    return this.store.update(
      resource,
      namespace,
      name!,
      body,
      resource.subresources.status ? { subresource: 'status' } : {},
    );
  }

  /** Replaces the object (spec and metadata; status too for kinds without a status subresource). */
  update(resource: ResourceType, object: KubeObject): KubeObject {
    const { namespace, name } = object.metadata;
    return this.store.update(resource, namespace, name!, {
      ...object,
      metadata: { ...object.metadata, resourceVersion: undefined },
    });
  }

  /**
   * Writes spec, metadata and status: one update for kinds without a status
   * subresource (Velero's CRDs), an update then a status write for the others.
   */
  replace(resource: ResourceType, object: KubeObject): KubeObject {
    const updated = this.update(resource, object);
    if (
      resource.subresources.status &&
      !isDeepStrictEqual(updated.status, object.status)
    ) {
      return this.writeStatus(
        resource,
        updated,
        (object.status ?? {}) as Fields,
      );
    }
    return updated;
  }

  /** Creates an object; an object of that name already there is returned instead. */
  createOrGet(
    resource: ResourceType,
    namespace: string | undefined,
    object: KubeObject,
  ) {
    try {
      return this.store.create(resource, namespace, object);
    } catch (error) {
      if (
        error instanceof ApiError &&
        error.code === 409 &&
        object.metadata.name
      ) {
        return this.store.get(resource, namespace, object.metadata.name);
      }
      throw error;
    }
  }

  /** Deletes an object, ignoring one that is already gone. */
  deleteQuietly(
    resource: ResourceType,
    object: KubeObject,
    propagationPolicy: 'Foreground' | 'Background' | 'Orphan' = 'Background',
  ): void {
    try {
      this.store.delete(
        resource,
        object.metadata.namespace,
        object.metadata.name!,
        {
          propagationPolicy,
          preconditions: { uid: object.metadata.uid },
        },
      );
    } catch (error) {
      if (
        error instanceof ApiError &&
        (error.code === 404 || error.code === 409)
      )
        return;
      throw error;
    }
  }

  private drain() {
    this.draining = true;
    let done = 0;
    try {
      while (this.pending.size > 0 && !this.stopped) {
        const [key, work] = this.pending.entries().next().value!;
        this.pending.delete(key);
        if (++done > MAX_WORK_PER_DRAIN) {
          this.pending.clear();
          throw new Error(`controllers did not settle (last work: ${key})`);
        }
        try {
          work();
        } catch (error) {
          this.reportError(error, key);
        }
      }
    } finally {
      this.draining = false;
    }
  }
}

export function toTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The time of a Kubernetes timestamp, or undefined. */
export function parseTimestamp(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The reference a controller puts on the objects it creates. */
export function controllerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The owner reference marked as controller, if any. */
export function controllerOf(object: KubeObject): OwnerReference | undefined {
  return (object.metadata.ownerReferences ?? []).find(ref => ref.controller);
}

export function isControlledBy(object: KubeObject, owner: KubeObject): boolean {
  return controllerOf(object)?.uid === owner.metadata.uid;
}

/** `namespace/name`, or `name` for cluster-scoped objects. */
export function keyOf(object: KubeObject): string {
  const { namespace, name } = object.metadata;
  return namespace ? `${namespace}/${name}` : name!;
}

export function sameResource(
  a: ResourceType,
  b: ResourceType | undefined,
): boolean {
  return Boolean(b) && a.group === b!.group && a.plural === b!.plural;
}

/** Upserts a condition, keeping lastTransitionTime when the status did not change. */
export function setCondition(
  conditions: Fields[] | undefined,
  condition: Fields,
  now: string,
): Fields[] {
  const list = [...(conditions ?? [])];
  const index = list.findIndex(c => c.type === condition.type);
  const previous = index >= 0 ? list[index] : undefined;
  const next: Fields = {
    ...condition,
    lastTransitionTime:
      previous && previous.status === condition.status
        ? previous.lastTransitionTime
        : now,
  };
  if (index >= 0) list[index] = next;
  else list.push(next);
  return list;
}
