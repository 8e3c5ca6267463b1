/**
 * Custom resources checked against their CRD's `openAPIV3Schema` the way
 * kube-apiserver does it (Kubernetes 1.34–1.36: apiextensions-apiserver
 * pruning/defaulting and kube-openapi's validator), with its field paths,
 * reasons and messages.
 *
 * The real server, for a create or update of a custom resource:
 *  1. decodes the body, prunes unknown fields (keeping apiVersion, kind and
 *     metadata at the root and in embedded resources, keeping everything
 *     below `x-kubernetes-preserve-unknown-fields`), drops `null`s of
 *     non-nullable fields that have no default, then applies `default`s;
 *  2. validates metadata (names.ts), then the whole object against the
 *     schema, then embedded resources, then `x-kubernetes-list-type`
 *     set/map uniqueness, then the CEL rules.
 * `pruneAndDefault` is step 1, `validateSchema` step 2 without metadata.
 *
 * Known differences from the real server:
 *  - `x-kubernetes-validations` (CEL rules) are not evaluated at all. The
 *    VolumeSnapshot and VolumeSnapshotContent CRDs use them (e.g. "exactly
 *    one of volumeSnapshotContentName and persistentVolumeClaimName must be
 *    set", immutability on update); the sandbox accepts what they reject.
 *    Only the real server's notice that it skipped them after a blocking
 *    error ("some validation rules were not checked …") is reproduced.
 *  - Validation ratcheting on update (unchanged invalid fields pass) is not
 *    done: every update is validated like a create.
 *  - The real server walks `properties` in Go map order (random); here errors
 *    come in schema order. Compare error lists as sets against a real cluster.
 *  - JSON numbers: the real server tells `5` (int64) from `5.0` (float64);
 *    after JSON.parse both are integers here, so `5.0` given for a string
 *    field reports "integer" where the real server says "number", and
 *    integers beyond 2^53 lose precision.
 *  - String formats: only date-time, date, byte, k8s-short-name and
 *    k8s-long-name are checked (stringFormats.ts); the others the real server
 *    knows (uuid, email, hostname, ipv4, …) are accepted unchecked.
 *  - anyOf/oneOf report the alternative with the fewest errors where the
 *    real server picks the one with the most passed checks.
 *  - `pattern` is compiled as a JavaScript RegExp, not Go RE2 (`(?i)` is
 *    translated; other RE2-only syntax is skipped as if it matched).
 *  - Metadata inside embedded resources is not coerced (unknown metadata
 *    fields are kept).
 */
import { FieldError, invalid } from './fieldErrors';
import { JSONSchemaProps } from './jsonSchema';
import { pruneAndDefault } from './pruning';
import { schemaErrors } from './schemaValidator';
import { embeddedErrors, listTypeErrors } from './structuralChecks';

export type { JSONSchemaProps } from './jsonSchema';
export type { PruneResult } from './pruning';
export { pruneAndDefault } from './pruning';

const BLOCKING_REASONS = new Set([
  'FieldValueNotSupported',
  'FieldValueRequired',
  'FieldValueTooLong',
  'FieldValueTooMany',
  'FieldValueTypeInvalid',
]);
const CEL_SKIPPED =
  'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation';
const ruleCache = new WeakMap<JSONSchemaProps, boolean>();

/** Whether any node of the schema has `x-kubernetes-validations` (the real server then has a CEL validator). */
function hasValidationRules(schema: JSONSchemaProps | undefined): boolean {
  if (!schema || typeof schema !== 'object') return false;
  const cached = ruleCache.get(schema);
  if (cached !== undefined) return cached;
  const additional = schema.additionalProperties;
  const found =
    (schema['x-kubernetes-validations']?.length ?? 0) > 0 ||
    Object.values(schema.properties ?? {}).some(hasValidationRules) ||
    hasValidationRules(schema.items) ||
    (typeof additional === 'object' && hasValidationRules(additional));
  ruleCache.set(schema, found);
  return found;
}

export interface ValidateOptions {
  /**
   * The field path of `value` in the object: '' (default) for a whole custom
   * resource, 'status' when validating `status` alone against
   * `schema.properties.status` for an update of the status subresource.
   */
  path?: string;
  /**
   * Errors already found for the object (its metadata). They count, like
   * the schema's own errors, in deciding whether the real server would skip
   * the CEL rules and say so.
   */
  otherErrors?: FieldError[];
  /**
   * The CRD's whole openAPIV3Schema, when `schema` is only a part of it
   * (status): whether it has CEL rules decides the notice above.
   */
  crdSchema?: JSONSchemaProps;
}

/**
 * Step 2 for a custom resource, after `pruneAndDefault` and after metadata
 * validation: the schema, embedded resources, then list-type uniqueness.
 */
export function validateSchema(
  schema: JSONSchemaProps,
  value: unknown,
  options: ValidateOptions = {},
): FieldError[] {
  const base = options.path ?? '';
  const errors = [
    ...schemaErrors(schema, value, base),
    ...embeddedErrors(base, schema, value),
    ...listTypeErrors(base, schema, value),
  ];
  // The CEL rules themselves are not evaluated (see the top of this file);
  // but the real server does not even try them after a blocking error, and says so.
  const blocking = [...(options.otherErrors ?? []), ...errors].some(error =>
    BLOCKING_REASONS.has(error.reason),
  );
  if (blocking && hasValidationRules(options.crdSchema ?? schema)) {
    errors.push(invalid('<nil>', null, CEL_SKIPPED));
  }
  return errors;
}

/**
 * Prunes, defaults and validates a custom resource like kube-apiserver:
 * unknown fields are removed (never rejected), defaults applied, and every
 * schema violation listed. Metadata is validated by `validateObjectMeta`.
 */
export function validateAndPrune(
  schema: JSONSchemaProps,
  value: unknown,
  options: Pick<ValidateOptions, 'otherErrors'> = {},
): { errors: FieldError[]; value: unknown; unknownFields: string[] } {
  const pruned = pruneAndDefault(schema, value);
  return { ...pruned, errors: validateSchema(schema, pruned.value, options) };
}
