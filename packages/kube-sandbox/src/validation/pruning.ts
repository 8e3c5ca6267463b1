/**
 * Step 1 of the real server for a custom resource (its decoder):
 * structural pruning, PruneNonNullableNullsWithoutDefaults and
 * structuraldefaulting.Default (k8s.io/apiextensions-apiserver).
 */
import {
  copyJson,
  hasOwn,
  isObject,
  joinKey,
  JSONSchemaProps,
} from './jsonSchema';

const META_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

// ---------------------------------------------------------------------------
// Step 1: pruning, nulls, defaults (the real server's decoder)
// ---------------------------------------------------------------------------

/**
 * `undefined` schema: nothing is known below, every object field goes.
 * `additionalProperties: true` or `false` keeps the keys but nothing inside
 * them, like the real structural pruning.
 */
function prune(
  value: unknown,
  schema: JSONSchemaProps | undefined,
  path: string,
  unknown: string[],
  embedded = false,
): void {
  if (schema?.['x-kubernetes-preserve-unknown-fields']) {
    skipPrune(value, schema, path, unknown, embedded);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) =>
      prune(item, schema?.items, `${path}[${i}]`, unknown),
    );
    return;
  }
  if (!isObject(value)) return;
  const keepMeta =
    embedded || schema?.['x-kubernetes-embedded-resource'] === true;
  for (const key of Object.keys(value)) {
    if (schema && keepMeta && META_FIELDS.has(key)) continue;
    const property = schema?.properties?.[key];
    const additional = schema ? schema.additionalProperties : undefined;
    if (property) {
      prune(value[key], property, joinKey(path, key), unknown);
    } else if (additional !== undefined) {
      const below = typeof additional === 'object' ? additional : undefined;
      prune(value[key], below, joinKey(path, key), unknown);
    } else {
      unknown.push(joinKey(path, key));
      delete value[key];
    }
  }
}

function skipPrune(
  value: unknown,
  schema: JSONSchemaProps,
  path: string,
  unknown: string[],
  embedded: boolean,
): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (schema.items)
        skipPrune(item, schema.items, `${path}[${i}]`, unknown, false);
    });
    return;
  }
  if (!isObject(value)) return;
  const keepMeta =
    embedded || schema['x-kubernetes-embedded-resource'] === true;
  for (const key of Object.keys(value)) {
    if (keepMeta && META_FIELDS.has(key)) continue;
    const property = schema.properties?.[key];
    const additional = schema.additionalProperties;
    if (property) {
      prune(value[key], property, joinKey(path, key), unknown);
    } else if (additional !== undefined) {
      const below = typeof additional === 'object' ? additional : undefined;
      prune(value[key], below, joinKey(path, key), unknown);
    }
  }
}

function fieldSchema(schema: JSONSchemaProps | undefined, key: string) {
  if (!schema) return undefined;
  const property = schema.properties?.[key];
  if (property) return property;
  const additional = schema.additionalProperties;
  return typeof additional === 'object' ? additional : undefined;
}

/** PruneNonNullableNullsWithoutDefaults: `null` map values of non-nullable fields without default go. */
function pruneNulls(value: unknown, schema: JSONSchemaProps | undefined): void {
  if (Array.isArray(value)) {
    value.forEach(item => pruneNulls(item, schema?.items));
    return;
  }
  if (!isObject(value)) return;
  for (const key of Object.keys(value)) {
    const below = fieldSchema(schema, key);
    if (value[key] === null && below && !below.nullable && !hasDefault(below)) {
      delete value[key];
    } else {
      pruneNulls(value[key], below);
    }
  }
}

/** A `default: null` counts as none, as in the real server. */
function hasDefault(
  schema: JSONSchemaProps | undefined,
): schema is JSONSchemaProps {
  return (
    schema !== undefined &&
    schema.default !== undefined &&
    schema.default !== null
  );
}

function isNonNullableNull(
  value: unknown,
  schema: JSONSchemaProps | undefined,
) {
  return value === null && schema !== undefined && !schema.nullable;
}

/** structuraldefaulting.Default: missing (or non-nullable null) fields get a copy of their default. */
function applyDefaults(
  value: unknown,
  schema: JSONSchemaProps | undefined,
): void {
  if (!schema) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (isNonNullableNull(item, schema.items) && hasDefault(schema.items)) {
        value[i] = copyJson(schema.items.default);
      }
      applyDefaults(value[i], schema.items);
    });
    return;
  }
  if (!isObject(value)) return;
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    if (!hasDefault(property)) continue;
    if (!hasOwn(value, key) || isNonNullableNull(value[key], property)) {
      value[key] = copyJson(property.default);
    }
  }
  const additional = schema.additionalProperties;
  for (const key of Object.keys(value)) {
    const property = schema.properties?.[key];
    if (property) {
      applyDefaults(value[key], property);
    } else if (typeof additional === 'object') {
      if (isNonNullableNull(value[key], additional) && hasDefault(additional)) {
        value[key] = copyJson(additional.default);
      }
      applyDefaults(value[key], additional);
    }
  }
}

export interface PruneResult {
  /** A pruned and defaulted copy; the input is left alone. */
  value: unknown;
  /**
   * The pruned fields, sorted, as the real server names them in
   * `unknown field "spec.foo"` (a warning, or an error with
   * `fieldValidation=Strict`).
   */
  unknownFields: string[];
}

/** Step 1 for a custom resource: what the real server stores before it validates. */
export function pruneAndDefault(
  schema: JSONSchemaProps | undefined,
  object: unknown,
): PruneResult {
  const value = copyJson(object);
  const unknownFields: string[] = [];
  prune(value, schema ?? {}, '', unknownFields, true);
  pruneNulls(value, schema);
  applyDefaults(value, schema);
  return { value, unknownFields: unknownFields.sort() };
}
