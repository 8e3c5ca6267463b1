/**
 * kube-openapi's SchemaValidator (k8s.io/kube-openapi/pkg/validation/validate)
 * as apiextensions-apiserver maps its results to field errors: validators
 * in its order (type, allOf/anyOf/oneOf/not, string, format, number, array,
 * enum, object), its paths and its messages.
 */
import {
  FieldError,
  invalid,
  notSupported,
  required,
  tooLong,
  tooMany,
  typeInvalid,
} from './fieldErrors';
import { goFloat, goJson, goQuote } from './goFormat';
import {
  additionalSchema,
  hasOwn,
  isObject,
  joinKey,
  JsonObject,
  JSONSchemaProps,
} from './jsonSchema';
import { checkStringFormat, SUPPORTED_STRING_FORMATS } from './stringFormats';

const INT64_LIMIT = 2 ** 63;
const INT32_LIMIT = 2 ** 31;
const FLOAT32_MAX = 3.4028234663852886e38;

// ---------------------------------------------------------------------------
// Step 2: validation (kube-openapi's SchemaValidator, as the real server maps it)
// ---------------------------------------------------------------------------

interface Context {
  /** The field path the errors hang under: '' for a whole object, 'status' for the status subresource. */
  base: string;
  errors: FieldError[];
}

/** kube-openapi's error name → the field the real server reports. */
function fieldOf(ctx: Context, name: string): string {
  const trimmed = name.startsWith('.') ? name.slice(1) : name;
  if (trimmed) return ctx.base ? `${ctx.base}.${trimmed}` : trimmed;
  return ctx.base || '<nil>';
}

/** Errors that are not kube-openapi `Validation`s land on the base path with an empty value. */
function plainError(ctx: Context, message: string) {
  ctx.errors.push(invalid(ctx.base || '<nil>', '', message));
}

function schemaTypes(schema: JSONSchemaProps): string[] {
  if (schema['x-kubernetes-int-or-string']) return ['integer', 'string'];
  return schema.type ? [schema.type] : [];
}

/** StripUnsupportedFormatsPostProcess: formats the real server would ignore count as none. */
function effectiveFormat(schema: JSONSchemaProps, types: string[]): string {
  const format = schema.format;
  if (!format) return '';
  const type = types.length === 1 ? types[0] : '';
  switch (type) {
    case '':
    case 'string':
      return SUPPORTED_STRING_FORMATS.has(format.replace(/-/g, ''))
        ? format
        : '';
    case 'integer':
      return format === 'int32' || format === 'int64' ? format : '';
    case 'number':
      return format === 'float' || format === 'double' ? format : '';
    default:
      return '';
  }
}

/** The JSON type and Go format the real server infers for a decoded value. */
function inferType(value: unknown): [string, string] {
  if (typeof value === 'boolean') return ['boolean', ''];
  if (typeof value === 'string') return ['string', ''];
  if (typeof value === 'number') {
    // Beyond int64 the real server decodes a float64, and one beyond 2^53 is not a JSON integer.
    return Number.isInteger(value) && Math.abs(value) < INT64_LIMIT
      ? ['integer', 'int64']
      : ['number', 'float64'];
  }
  if (Array.isArray(value)) return ['array', ''];
  return ['object', ''];
}

function typeFailure(
  ctx: Context,
  path: string,
  typeName: string,
  actual: string,
) {
  ctx.errors.push(
    typeInvalid(
      fieldOf(ctx, path),
      actual,
      `${path} in body must be of type ${typeName}: ${goQuote(actual)}`,
    ),
  );
}

function checkType(
  ctx: Context,
  path: string,
  types: string[],
  format: string,
  value: unknown,
) {
  const [actual, actualFormat] = inferType(value);
  const stringOrSlice = typeof value === 'string' || Array.isArray(value);
  const isIntFloat = actual === 'integer' && types.includes('number');
  const matches = types.includes(actual) || isIntFloat;
  if (!stringOrSlice && format && !(matches || actualFormat === format)) {
    typeFailure(ctx, path, format, actualFormat);
    return;
  }
  const numeric = types.includes('number') || types.includes('integer');
  if (!numeric && format && stringOrSlice) return;
  if (!matches) typeFailure(ctx, path, types.join(','), actual);
}

const patternCache = new Map<string, RegExp | undefined>();

function compilePattern(pattern: string): RegExp | undefined {
  const cached = patternCache.get(pattern);
  if (cached !== undefined || patternCache.has(pattern)) return cached;
  let source = pattern;
  let flags = '';
  if (source.startsWith('(?i)')) {
    source = source.slice(4);
    flags = 'i';
  }
  let compiled: RegExp | undefined;
  try {
    compiled = new RegExp(source, flags);
  } catch {
    compiled = undefined; // RE2-only syntax: not checked
  }
  patternCache.set(pattern, compiled);
  return compiled;
}

function checkString(
  ctx: Context,
  schema: JSONSchemaProps,
  path: string,
  value: string,
) {
  const length = [...value].length;
  const field = fieldOf(ctx, path);
  if (schema.maxLength !== undefined && length > schema.maxLength) {
    ctx.errors.push(tooLong(field, schema.maxLength));
  } else if (schema.minLength !== undefined && length < schema.minLength) {
    ctx.errors.push(
      invalid(
        field,
        value,
        `${path} in body should be at least ${schema.minLength} chars long`,
      ),
    );
  } else if (
    schema.pattern &&
    compilePattern(schema.pattern)?.test(value) === false
  ) {
    ctx.errors.push(
      invalid(field, value, `${path} in body should match '${schema.pattern}'`),
    );
  }
}

function boundText(value: number, bound: number) {
  return Number.isInteger(value) ? String(Math.trunc(bound)) : goFloat(bound);
}

function checkNumber(
  ctx: Context,
  schema: JSONSchemaProps,
  types: string[],
  path: string,
  value: number,
) {
  const typeName = types.length === 1 ? types[0] : '';
  const format = schema.format ?? '';
  if (typeName === 'integer') {
    const intFormat = format === 'int32' || format === 'int64' ? format : '';
    const limit = intFormat === 'int32' ? INT32_LIMIT : INT64_LIMIT;
    if (!Number.isInteger(value) || value >= limit || value < -limit) {
      const type = intFormat
        ? `integer with format ${intFormat}`
        : 'integer (default format)';
      plainError(ctx, `Checked value must be of type ${type} in ${path}`);
    }
  } else if (
    typeName === 'number' &&
    format === 'float' &&
    Math.abs(value) > FLOAT32_MAX
  ) {
    plainError(
      ctx,
      `Checked value must be of type number with format float in ${path}`,
    );
  }
  const field = fieldOf(ctx, path);
  const integral = Number.isInteger(value);
  if (schema.multipleOf !== undefined) {
    const factor = integral ? Math.trunc(schema.multipleOf) : schema.multipleOf;
    const quotient =
      factor < 1 && !integral ? value * (1 / factor) : value / factor;
    if (factor > 0 && !Number.isInteger(quotient)) {
      const text = boundText(value, schema.multipleOf);
      ctx.errors.push(
        invalid(
          field,
          value,
          `${path} in body should be a multiple of ${text}`,
        ),
      );
    }
  }
  if (schema.minimum !== undefined) {
    const min = integral ? Math.trunc(schema.minimum) : schema.minimum;
    const exclusive = schema.exclusiveMinimum === true;
    if (exclusive ? value <= min : value < min) {
      const relation = exclusive ? 'greater than' : 'greater than or equal to';
      const text = boundText(value, schema.minimum);
      ctx.errors.push(
        invalid(field, value, `${path} in body should be ${relation} ${text}`),
      );
    }
  }
  if (schema.maximum !== undefined) {
    const max = integral ? Math.trunc(schema.maximum) : schema.maximum;
    const exclusive = schema.exclusiveMaximum === true;
    if (exclusive ? value >= max : value > max) {
      const relation = exclusive ? 'less than' : 'less than or equal to';
      const text = boundText(value, schema.maximum);
      ctx.errors.push(
        invalid(field, value, `${path} in body should be ${relation} ${text}`),
      );
    }
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every(key => hasOwn(b, key) && deepEqual(a[key], b[key]))
    );
  }
  return false;
}

function checkEnum(
  ctx: Context,
  schema: JSONSchemaProps,
  path: string,
  value: unknown,
) {
  const allowed = schema.enum;
  if (!allowed || allowed.length === 0) return;
  if (value !== null && allowed.some(item => deepEqual(value, item))) return;
  const names = allowed.map(item =>
    typeof item === 'string' ? item : goJson(item),
  );
  ctx.errors.push(notSupported(fieldOf(ctx, path), value, names));
}

function checkArray(
  ctx: Context,
  schema: JSONSchemaProps,
  path: string,
  value: unknown[],
) {
  if (schema.items) {
    value.forEach((item, i) =>
      validateValue(ctx, schema.items!, `${path}[${i}]`, item),
    );
  }
  const field = fieldOf(ctx, path);
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    ctx.errors.push(
      invalid(
        field,
        value.length,
        `${path} in body should have at least ${schema.minItems} items`,
      ),
    );
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    ctx.errors.push(tooMany(field, value.length, schema.maxItems));
  }
  if (schema.uniqueItems) {
    const seen = value.some((item, i) =>
      value.slice(0, i).some(other => deepEqual(item, other)),
    );
    if (seen)
      ctx.errors.push(
        invalid(field, '', `${path} in body shouldn't contain duplicates`),
      );
  }
}

function checkObject(
  ctx: Context,
  schema: JSONSchemaProps,
  path: string,
  value: JsonObject,
) {
  const keys = Object.keys(value);
  const field = fieldOf(ctx, path);
  if (
    schema.minProperties !== undefined &&
    keys.length < schema.minProperties
  ) {
    const message = `${path} in body should have at least ${schema.minProperties} properties`;
    ctx.errors.push(invalid(field, keys.length, message));
  }
  if (
    schema.maxProperties !== undefined &&
    keys.length > schema.maxProperties
  ) {
    ctx.errors.push(tooMany(field, keys.length, schema.maxProperties));
  }
  const properties = schema.properties ?? {};
  const additional = additionalSchema(schema);
  for (const key of keys) {
    if (hasOwn(properties, key)) continue;
    if (additional === false) {
      ctx.errors.push(
        invalid(field, key, `${path}.${key} in body is a forbidden property`),
      );
    } else if (additional) {
      validateValue(ctx, additional, `${path}.${key}`, value[key]);
    }
  }
  for (const [key, property] of Object.entries(properties)) {
    if (hasOwn(value, key))
      validateValue(ctx, property, joinKey(path, key), value[key]);
  }
  for (const key of schema.required ?? []) {
    if (!hasOwn(value, key))
      ctx.errors.push(required(fieldOf(ctx, `${path}.${key}`)));
  }
}

function trial(
  ctx: Context,
  schema: JSONSchemaProps,
  path: string,
  value: unknown,
) {
  const sub: Context = { base: ctx.base, errors: [] };
  validateValue(sub, schema, path, value);
  return sub.errors;
}

function fewest(results: FieldError[][]) {
  return results.reduce((best, next) =>
    next.length < best.length ? next : best,
  );
}

function checkCombinators(
  ctx: Context,
  schema: JSONSchemaProps,
  path: string,
  value: unknown,
) {
  if (schema.anyOf?.length) {
    const results = schema.anyOf.map(alternative =>
      trial(ctx, alternative, path, value),
    );
    if (!results.some(errors => errors.length === 0)) {
      plainError(
        ctx,
        `${goQuote(path)} must validate at least one schema (anyOf)`,
      );
      ctx.errors.push(...fewest(results));
    }
  }
  if (schema.oneOf?.length) {
    const results = schema.oneOf.map(alternative =>
      trial(ctx, alternative, path, value),
    );
    const valid = results.filter(errors => errors.length === 0).length;
    if (valid !== 1) {
      const found =
        valid === 0 ? 'Found none valid' : `Found ${valid} valid alternatives`;
      plainError(
        ctx,
        `${goQuote(
          path,
        )} must validate one and only one schema (oneOf). ${found}`,
      );
      if (valid === 0) ctx.errors.push(...fewest(results));
    }
  }
  if (schema.allOf?.length) {
    const results = schema.allOf.map(alternative =>
      trial(ctx, alternative, path, value),
    );
    results.forEach(errors => ctx.errors.push(...errors));
    const valid = results.filter(errors => errors.length === 0).length;
    if (valid !== results.length) {
      const none = valid === 0 ? '. None validated' : '';
      plainError(
        ctx,
        `${goQuote(path)} must validate all the schemas (allOf)${none}`,
      );
    }
  }
  if (schema.not && trial(ctx, schema.not, path, value).length === 0) {
    plainError(ctx, `${goQuote(path)} must not validate the schema (not)`);
  }
}

/** One value against one schema node, in kube-openapi's validator order. */
function validateValue(
  ctx: Context,
  schema: JSONSchemaProps,
  path: string,
  value: unknown,
) {
  const types = schemaTypes(schema);
  const format = effectiveFormat(schema, types);
  if (value === null || value === undefined) {
    if (types.length > 0 && !schema.nullable) {
      typeFailure(ctx, path, types.join(','), 'null');
    }
    checkEnum(ctx, schema, path, null);
    return;
  }
  if (types.length > 0 || format) checkType(ctx, path, types, format, value);
  checkCombinators(ctx, schema, path, value);
  if (typeof value === 'string') {
    checkString(ctx, schema, path, value);
    if (format && !checkStringFormat(format, value)) {
      const message = `${path} in body must be of type ${format}: ${goQuote(
        value,
      )}`;
      ctx.errors.push(typeInvalid(fieldOf(ctx, path), value, message));
    }
  }
  if (typeof value === 'number') checkNumber(ctx, schema, types, path, value);
  if (Array.isArray(value)) checkArray(ctx, schema, path, value);
  checkEnum(ctx, schema, path, value);
  if (isObject(value)) checkObject(ctx, schema, path, value);
}

/**
 * Every schema violation of `value`, its fields under `base` ('' for a
 * whole object, 'status' for the status subresource).
 */
export function schemaErrors(
  schema: JSONSchemaProps,
  value: unknown,
  base: string,
): FieldError[] {
  const ctx: Context = { base, errors: [] };
  validateValue(ctx, schema, '', value);
  return ctx.errors;
}
