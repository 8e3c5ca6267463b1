/** The schema nodes of CRDs and small helpers over decoded JSON values. */

/** A node of a CRD's openAPIV3Schema (apiextensions.k8s.io/v1 JSONSchemaProps). */
export interface JSONSchemaProps {
  type?: string;
  format?: string;
  description?: string;
  nullable?: boolean;
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, JSONSchemaProps>;
  additionalProperties?: JSONSchemaProps | boolean;
  items?: JSONSchemaProps;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  default?: unknown;
  allOf?: JSONSchemaProps[];
  anyOf?: JSONSchemaProps[];
  oneOf?: JSONSchemaProps[];
  not?: JSONSchemaProps;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
  'x-kubernetes-validations'?: unknown[];
  [key: string]: unknown;
}

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function copyJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyJson);
  if (isObject(value)) {
    const copy: JsonObject = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) copy[key] = copyJson(item);
    }
    return copy;
  }
  return value;
}

export function hasOwn(object: JsonObject, key: string) {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/** The schema of `additionalProperties`; `{}` when it is `true`, absent when unset. */
export function additionalSchema(
  schema: JSONSchemaProps,
): JSONSchemaProps | false | undefined {
  const additional = schema.additionalProperties;
  if (additional === undefined) return undefined;
  if (additional === true || additional === false)
    return additional ? {} : false;
  return additional;
}

/** `parent.key`, or `key` at the root. */
export function joinKey(parent: string, key: string) {
  return parent ? `${parent}.${key}` : key;
}
