/**
 * The checks the real server runs after the schema:
 * x-kubernetes-embedded-resource (schemaobjectmeta.Validate) and
 * x-kubernetes-list-type set/map uniqueness (structurallisttype), with the
 * field.Path notation (`[key]` for map values, unlike kube-openapi's `.key`).
 */
import { duplicate, FieldError, invalid, required } from './fieldErrors';
import { goJson } from './goFormat';
import {
  hasOwn,
  isObject,
  joinKey,
  JsonObject,
  JSONSchemaProps,
} from './jsonSchema';
import { validateEmbeddedObjectMeta } from './names';

function subscript(parent: string, key: string | number) {
  return `${parent}[${key}]`;
}

const UNSPECIFIED = Symbol('unspecified key');

/** Indexes of the first repeat of each value that occurs more than once. */
function repeats(values: unknown[]): number[] {
  const counts = new Map<string, number>();
  const result: number[] = [];
  values.forEach((value, i) => {
    const key = value === UNSPECIFIED ? '\u0000unspecified' : goJson(value);
    const times = counts.get(key) ?? 0;
    counts.set(key, times + 1);
    if (times === 1) result.push(i);
  });
  return result;
}

function listMapErrors(
  path: string,
  schema: JSONSchemaProps,
  items: unknown[],
): FieldError[] {
  for (const [i, item] of items.entries()) {
    if (item !== null && !isObject(item)) {
      return [
        invalid(
          subscript(path, i),
          item,
          'must be an object for an array of list-type map',
        ),
      ];
    }
  }
  const keyFields = schema['x-kubernetes-list-map-keys'] ?? [];
  if (keyFields.length === 1) {
    const [keyField] = keyFields;
    const keys = items.map(item =>
      isObject(item) && hasOwn(item, keyField) ? item[keyField] : UNSPECIFIED,
    );
    return repeats(keys).map(i =>
      duplicate(
        subscript(path, i),
        keys[i] === UNSPECIFIED ? {} : { [keyField]: keys[i] },
      ),
    );
  }
  const keys = items.map(item => {
    const key: JsonObject = {};
    for (const keyField of keyFields) {
      if (isObject(item) && hasOwn(item, keyField))
        key[keyField] = item[keyField];
    }
    return key;
  });
  return repeats(keys).map(i => duplicate(subscript(path, i), keys[i]));
}

export function listTypeErrors(
  path: string,
  schema: JSONSchemaProps,
  value: unknown,
): FieldError[] {
  const errors: FieldError[] = [];
  if (Array.isArray(value)) {
    const listType = schema['x-kubernetes-list-type'];
    if (listType === 'set') {
      repeats(value).forEach(i =>
        errors.push(duplicate(subscript(path, i), value[i])),
      );
    } else if (listType === 'map') {
      errors.push(...listMapErrors(path, schema, value));
    }
    if (schema.items) {
      value.forEach((item, i) =>
        errors.push(...listTypeErrors(subscript(path, i), schema.items!, item)),
      );
    }
  } else if (isObject(value)) {
    const additional = schema.additionalProperties;
    if (typeof additional === 'object') {
      for (const [key, item] of Object.entries(value)) {
        errors.push(...listTypeErrors(subscript(path, key), additional, item));
      }
    }
    for (const [key, item] of Object.entries(value)) {
      const property = schema.properties?.[key];
      if (property)
        errors.push(...listTypeErrors(joinKey(path, key), property, item));
    }
  }
  return errors;
}

export function embeddedErrors(
  path: string,
  schema: JSONSchemaProps,
  value: unknown,
): FieldError[] {
  const errors: FieldError[] = [];
  if (Array.isArray(value)) {
    if (schema.items) {
      value.forEach((item, i) =>
        errors.push(...embeddedErrors(subscript(path, i), schema.items!, item)),
      );
    }
    return errors;
  }
  if (!isObject(value)) return errors;
  if (schema['x-kubernetes-embedded-resource']) {
    errors.push(...embeddedResourceErrors(path, value));
  }
  const additional = schema.additionalProperties;
  for (const [key, item] of Object.entries(value)) {
    const property = schema.properties?.[key];
    if (property)
      errors.push(...embeddedErrors(joinKey(path, key), property, item));
    else if (typeof additional === 'object') {
      errors.push(...embeddedErrors(subscript(path, key), additional, item));
    }
  }
  return errors;
}

function embeddedResourceErrors(path: string, value: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  if (!hasOwn(value, 'apiVersion'))
    errors.push(required(joinKey(path, 'apiVersion')));
  if (!hasOwn(value, 'kind')) errors.push(required(joinKey(path, 'kind')));
  for (const [key, item] of Object.entries(value)) {
    const field = joinKey(path, key);
    if (key === 'apiVersion' || key === 'kind') {
      if (typeof item !== 'string')
        errors.push(invalid(field, item, 'must be a string'));
      else if (item === '')
        errors.push(invalid(field, item, 'must not be empty'));
    } else if (key === 'metadata' && isObject(item)) {
      errors.push(...validateEmbeddedObjectMeta(item, field));
    }
  }
  return errors;
}
