/**
 * What a built-in kind's JSON looks like after kube-apiserver decoded it into
 * its Go struct and encoded it again: `omitempty` fields holding an empty
 * string, an empty list, an empty map or null are gone (`{name: DB_NAMES,
 * value: ""}` comes back as `{name: DB_NAMES}`), while an empty struct stays
 * (`emptyDir: {}`, `securityContext: {}`).
 *
 * Go's types decide this; the sandbox has no Go types, so it knows the few
 * field names whose Go type is a map (their entries are data and are never
 * dropped) and the string fields that are Go pointers (an empty string is a
 * value there, e.g. `storageClassName: ""` means "no class"). Every other
 * object is read as a struct whose optional fields are `omitempty`, which is
 * how the Kubernetes API conventions write them. Booleans and numbers are
 * kept: whether a `false` survives depends on a pointer the JSON cannot show.
 */

type Json = unknown;
type JsonObject = Record<string, Json>;

/** Fields whose Go type is a map[string]…: kept whole, entries included. */
const MAP_FIELDS = new Set([
  'labels',
  'annotations',
  'nodeSelector',
  'matchLabels',
  'data',
  'stringData',
  'binaryData',
  'requests',
  'limits',
  'overhead',
  'capacity',
  'allocatable',
  'allocatedResources',
  'allocatedResourceStatuses',
  'volumeAttributes',
  'parameters',
  'hard',
  'used',
]);

/** String fields that are `*string` in Go: an empty string is kept. */
const POINTER_STRING_FIELDS = new Set([
  'storageClassName',
  'volumeAttributesClassName',
  'localhostProfile',
  'procMount',
  'appProtocol',
  'loadBalancerClass',
  'apiGroup', // TypedLocalObjectReference (a PVC's dataSource)
]);

/** List fields that are not `omitempty`: an empty list stays `[]`. */
const REQUIRED_LIST_FIELDS = new Set(['rules', 'verbs', 'containers']);

function isPlainObject(value: Json): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmptyMap(key: string, value: Json): boolean {
  return (
    MAP_FIELDS.has(key) &&
    isPlainObject(value) &&
    Object.keys(value).length === 0
  );
}

function omittedField(key: string, value: Json, parentKey: string): boolean {
  if (value === null || value === undefined) return true;
  if (value === '') {
    // A Subject's apiGroup is a plain omitempty string.
    return !POINTER_STRING_FIELDS.has(key) || parentKey === 'subjects';
  }
  if (Array.isArray(value)) {
    return value.length === 0 && !REQUIRED_LIST_FIELDS.has(key);
  }
  return isEmptyMap(key, value);
}

function reencode(value: Json, key: string, parentKey: string): Json {
  if (Array.isArray(value)) {
    // List items are values, not fields: an empty string item stays.
    return value.map(item =>
      isPlainObject(item) ? reencodeStruct(item, key) : item,
    );
  }
  if (isPlainObject(value)) {
    // A map's entries are data ("" is a valid label value); a Service's
    // spec.selector is a map too, a workload's is a LabelSelector struct.
    if (
      MAP_FIELDS.has(key) ||
      (key === 'selector' &&
        parentKey === 'spec' &&
        !('matchLabels' in value) &&
        !('matchExpressions' in value))
    ) {
      return value;
    }
    return reencodeStruct(value, key);
  }
  return value;
}

function reencodeStruct(struct: JsonObject, ownKey: string): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(struct)) {
    const encoded = reencode(value, key, ownKey);
    if (!omittedField(key, encoded, ownKey)) out[key] = encoded;
  }
  return out;
}

/**
 * A built-in object as the real server would store and answer it, as far as
 * Go's `omitempty` goes (see the file comment). `metadata.creationTimestamp:
 * null` in templates is added by the kind's defaults, not here.
 */
export function reencodeLikeGo<T extends JsonObject>(object: T): T {
  return reencodeStruct(object, '') as T;
}
