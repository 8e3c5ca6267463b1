/**
 * Whether a live object still holds what the plan wants, compared the way
 * Kubernetes itself reads objects, so that what the server adds never looks
 * like a change (a write on every run, forever, on a real cluster):
 *
 * - The planned object is what we own. Fields the live object has and the
 *   plan does not (server defaults such as `imagePullPolicy` or
 *   `terminationMessagePath`, a status, fields a newer Kubernetes adds) are no
 *   difference.
 * - Lists of named items (containers, env, volumes, volumeMounts, ports, …)
 *   are matched by their merge key, as strategic merge patch does, not by
 *   position; an item the live list has and the plan does not is a difference
 *   (we own the membership of our lists). Other lists are compared item by
 *   item in order, each item like an object.
 * - Go drops empty `omitempty` fields when it encodes an object, so an empty
 *   string, list or map, `false`, `0` or `null` in the plan equals absent.
 * - Resource quantities compare by value (`1024Mi` is `1Gi`), as the server
 *   canonicalises them.
 */

import { parseQuantity } from '@backups-for-backstage/plugin-backups-common';

type Json = unknown;
type JsonObject = Record<string, Json>;

/** Strategic-merge-patch keys of the lists of the kinds we plan (k8s.io/api patchMergeKey tags). */
const MERGE_KEYS: Record<string, (item: JsonObject) => string | undefined> = {
  containers: item => text(item.name),
  initContainers: item => text(item.name),
  ephemeralContainers: item => text(item.name),
  env: item => text(item.name),
  volumes: item => text(item.name),
  imagePullSecrets: item => text(item.name),
  resourceClaims: item => text(item.name),
  volumeMounts: item => text(item.mountPath),
  volumeDevices: item => text(item.devicePath),
  // Container ports key on containerPort, Service ports on port; the
  // protocol defaults to TCP.
  ports: item => {
    const port = item.containerPort ?? item.port;
    return port === undefined
      ? undefined
      : `${String(port)}/${text(item.protocol) ?? 'TCP'}`;
  },
  hostAliases: item => text(item.ip),
  readinessGates: item => text(item.conditionType),
};

/** Map-typed fields whose values are resource quantities. */
const QUANTITY_MAPS = new Set(['requests', 'limits', 'capacity', 'hard']);
const QUANTITY_FIELDS = new Set(['sizeLimit', 'storage']);

function text(value: Json): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function isObject(value: Json): value is JsonObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Date)
  );
}

/**
 * Fields whose Go type is a map: empty, they are left out. An empty struct
 * is kept by Go (`emptyDir: {}` means something), so it is not empty here.
 */
const MAP_FIELDS = new Set([
  'labels',
  'annotations',
  'nodeSelector',
  'matchLabels',
  'data',
  'stringData',
  'selector',
  ...QUANTITY_MAPS,
]);

/** What Go's encoding leaves out: the zero value of an `omitempty` field. */
function isEmpty(value: Json, key: string): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    value === false ||
    value === 0 ||
    (Array.isArray(value) && value.length === 0) ||
    (MAP_FIELDS.has(key) && isObject(value) && Object.keys(value).length === 0)
  );
}

function sameQuantity(desired: Json, live: Json): boolean {
  const a = parseQuantity(desired);
  const b = parseQuantity(live);
  if (a === undefined || b === undefined) return false;
  return Math.abs(a - b) <= Math.abs(a) * 1e-12;
}

function normalizeScalar(value: Json): Json {
  return value instanceof Date ? value.toISOString() : value;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

interface Place {
  path: string;
  /** The field name this value sits under (for merge keys and quantities). */
  key: string;
  /** The field name of the enclosing object (for quantity maps). */
  parentKey: string;
}

function diffValue(desired: Json, live: Json, place: Place): string[] {
  if (desired === undefined) return [];
  if (isEmpty(desired, place.key) && isEmpty(live, place.key)) return [];
  if (Array.isArray(desired)) return diffList(desired, live, place);
  if (isObject(desired)) {
    if (!isObject(live)) return [place.path || '.'];
    return Object.entries(desired).flatMap(([key, value]) =>
      diffValue(value, live[key], {
        path: join(place.path, key),
        key,
        parentKey: place.key,
      }),
    );
  }
  if (normalizeScalar(desired) === normalizeScalar(live)) return [];
  const isQuantity =
    QUANTITY_MAPS.has(place.parentKey) || QUANTITY_FIELDS.has(place.key);
  if (isQuantity && sameQuantity(desired, live)) return [];
  return [place.path || '.'];
}

function diffList(desired: Json[], live: Json, place: Place): string[] {
  if (!Array.isArray(live)) return [place.path || '.'];
  const keyOf = MERGE_KEYS[place.key];
  const keyed =
    keyOf &&
    [...desired, ...live].every(
      item => isObject(item) && keyOf(item) !== undefined,
    );
  if (keyed) {
    const liveByKey = new Map(
      live.map(item => [keyOf(item as JsonObject), item]),
    );
    const desiredKeys = new Set(desired.map(item => keyOf(item as JsonObject)));
    if (
      desiredKeys.size !== desired.length ||
      liveByKey.size !== live.length ||
      [...liveByKey.keys()].some(key => !desiredKeys.has(key))
    ) {
      return [place.path];
    }
    return desired.flatMap(item => {
      const key = keyOf(item as JsonObject)!;
      const match = liveByKey.get(key);
      if (match === undefined) return [place.path];
      return diffValue(item, match, {
        path: `${place.path}[${key}]`,
        key: place.key,
        parentKey: place.parentKey,
      }).length > 0
        ? [place.path]
        : [];
    });
  }
  if (desired.length !== live.length) return [place.path];
  const itemsDiffer = desired.some(
    (item, index) =>
      diffValue(item, live[index], {
        path: `${place.path}[${index}]`,
        key: place.key,
        parentKey: place.parentKey,
      }).length > 0,
  );
  return itemsDiffer ? [place.path] : [];
}

/**
 * The dotted paths of the planned fields whose live value differs (a list is
 * reported as one path when any of its items differs); empty when the live
 * object holds the plan.
 */
export function differingPaths(desired: unknown, live: unknown): string[] {
  return [
    ...new Set(diffValue(desired, live, { path: '', key: '', parentKey: '' })),
  ];
}
