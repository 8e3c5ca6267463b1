import { SimulatedClock } from '../../clock';
import { createRegistry } from '../../resources/createRegistry';
import { ResourceRegistry } from '../../resources/ResourceRegistry';
import { KubeObject, ResourceType } from '../../resources/types';
import { ObjectStore, StoreEvent } from '../../store/ObjectStore';
import { createObjectValidator } from '../../store/validateObject';
import { LabelRequirement } from '../../store/selectors';
import { ControllerOptions, SandboxControllers, startControllers } from '..';

/** Simulated time starts here in every controller test (a Monday, mid-hour). */
export const START = new Date('2025-03-10T09:30:00Z');

/** The built-in kinds plus the CRDs of ../shared/crds, as Sandbox.ts serves them. */
export function testRegistry(withoutCrds: string[] = []): ResourceRegistry {
  return createRegistry({ withoutCrds });
}

export interface TestCluster {
  clock: SimulatedClock;
  store: ObjectStore;
  controllers: SandboxControllers;
  /** Errors the controllers reported; `stop()` throws when there are any. */
  errors: Array<{ error: unknown; work: string }>;
  /** Every store event since the cluster started. */
  events: StoreEvent[];
  kind(apiVersion: string, kind: string): ResourceType;
  /** Creates an object (and its namespace when missing). */
  apply(object: KubeObject): KubeObject;
  get(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined;
  list(
    apiVersion: string,
    kind: string,
    namespace?: string,
    labels?: Record<string, string>,
  ): KubeObject[];
  remove(
    object: KubeObject,
    propagationPolicy?: 'Background' | 'Foreground' | 'Orphan',
  ): void;
  /** Advances simulated time. */
  advance(milliseconds: number): void;
  /** Lets the store's background garbage collection (setImmediate) run. */
  settle(): Promise<void>;
  /** The values `field` (e.g. 'status.phase') took on the object named, in order, without repeats. */
  history(kind: string, name: string, field: string): unknown[];
  /** Stops the controllers; throws if they reported errors, so a test's afterEach fails it. */
  stop(): void;
}

function pick(object: KubeObject, field: string): unknown {
  return field
    .split('.')
    .reduce<any>(
      (value, key) =>
        value === undefined || value === null ? undefined : value[key],
      object,
    );
}

export function createTestCluster(
  options: ControllerOptions & {
    withoutCrds?: string[];
    start?: Date;
    /** Validate (and prune) every write as the sandbox's API server does. */
    validate?: boolean;
  } = {},
): TestCluster {
  const registry = testRegistry(options.withoutCrds);
  const clock = new SimulatedClock(options.start ?? START);
  const store = new ObjectStore({
    registry,
    clock,
    ...(options.validate ? { validate: createObjectValidator() } : {}),
  });
  const errors: TestCluster['errors'] = [];
  const events: StoreEvent[] = [];
  store.subscribe(event => events.push(event));
  const controllers = startControllers({
    store,
    clock,
    onError: (error, work) => errors.push({ error, work }),
    ...options,
  });

  const kind = (apiVersion: string, kindName: string) => {
    const resource = registry.findKind(apiVersion, kindName);
    if (!resource) throw new Error(`not served: ${apiVersion} ${kindName}`);
    return resource;
  };
  const namespaces = kind('v1', 'Namespace');

  return {
    clock,
    store,
    controllers,
    errors,
    events,
    kind,
    apply(object) {
      const resource = kind(object.apiVersion, object.kind);
      const namespace = resource.namespaced
        ? object.metadata.namespace ?? 'default'
        : undefined;
      if (namespace && !store.get(namespaces, undefined, namespace)) {
        store.create(namespaces, undefined, {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: namespace },
        });
      }
      return store.create(resource, namespace, object);
    },
    get(apiVersion, kindName, namespace, name) {
      return store.get(kind(apiVersion, kindName), namespace, name);
    },
    list(apiVersion, kindName, namespace, labels) {
      const requirements: LabelRequirement[] = Object.entries(labels ?? {}).map(
        ([key, value]) => ({
          key,
          operator: 'in',
          values: [value],
        }),
      );
      return store
        .objects(kind(apiVersion, kindName), {
          namespace,
          labels: requirements,
        })
        .sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
    },
    remove(object, propagationPolicy) {
      store.delete(
        kind(object.apiVersion, object.kind),
        object.metadata.namespace,
        object.metadata.name!,
        {
          propagationPolicy,
        },
      );
    },
    advance(milliseconds) {
      clock.advance(milliseconds);
    },
    settle() {
      return new Promise(resolve => setImmediate(resolve));
    },
    history(kindName, name, field) {
      const values: unknown[] = [];
      for (const event of events) {
        if (
          event.resource.kind !== kindName ||
          event.object.metadata.name !== name
        )
          continue;
        if (event.type === 'DELETED') continue;
        const value = pick(event.object, field);
        if (values.length === 0 || values[values.length - 1] !== value)
          values.push(value);
      }
      return values;
    },
    stop() {
      controllers.stop();
      if (errors.length > 0) {
        throw new Error(
          `the controllers reported errors: ${errors
            .map(
              ({ work, error }) =>
                `${work}: ${error instanceof Error ? error.stack : error}`,
            )
            .join('\n')}`,
        );
      }
    },
  };
}

export const HOUR = 3_600_000;
export const MINUTE = 60_000;
