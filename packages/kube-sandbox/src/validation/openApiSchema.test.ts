import {
  JSONSchemaProps,
  pruneAndDefault,
  validateAndPrune,
  validateSchema,
} from './openApiSchema';

/** A custom resource schema whose `spec` is the given schema. */
function resource(spec: JSONSchemaProps, required?: string[]): JSONSchemaProps {
  return {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec,
    },
    ...(required ? { required } : {}),
  };
}

const object = (
  properties: Record<string, JSONSchemaProps>,
  extra: JSONSchemaProps = {},
) => ({
  type: 'object',
  properties,
  ...extra,
});

function errorsFor(spec: JSONSchemaProps, value: unknown) {
  return validateAndPrune(resource(spec), {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w' },
    spec: value,
  }).errors;
}

describe('types', () => {
  const spec = object({
    text: { type: 'string' },
    count: { type: 'integer' },
    ratio: { type: 'number' },
    flag: { type: 'boolean' },
    list: { type: 'array', items: { type: 'string' } },
    map: { type: 'object', additionalProperties: { type: 'string' } },
  });

  it('accepts values of the right JSON type (an integer is a number too)', () => {
    expect(
      errorsFor(spec, {
        text: 'a',
        count: 3,
        ratio: 2,
        flag: false,
        list: ['x'],
        map: { a: 'b' },
      }),
    ).toEqual([]);
    expect(errorsFor(spec, { ratio: 0.25 })).toEqual([]);
  });

  it('reports the JSON type that was given, as the real server words it', () => {
    expect(
      errorsFor(spec, {
        text: 5,
        count: 'three',
        ratio: 'x',
        flag: 'true',
        list: { a: 1 },
        map: ['a'],
      }),
    ).toEqual([
      {
        field: 'spec.text',
        reason: 'FieldValueTypeInvalid',
        message:
          'Invalid value: "integer": spec.text in body must be of type string: "integer"',
      },
      {
        field: 'spec.count',
        reason: 'FieldValueTypeInvalid',
        message:
          'Invalid value: "string": spec.count in body must be of type integer: "string"',
      },
      {
        field: 'spec.ratio',
        reason: 'FieldValueTypeInvalid',
        message:
          'Invalid value: "string": spec.ratio in body must be of type number: "string"',
      },
      {
        field: 'spec.flag',
        reason: 'FieldValueTypeInvalid',
        message:
          'Invalid value: "string": spec.flag in body must be of type boolean: "string"',
      },
      {
        field: 'spec.list',
        reason: 'FieldValueTypeInvalid',
        message:
          'Invalid value: "object": spec.list in body must be of type array: "object"',
      },
      {
        field: 'spec.map',
        reason: 'FieldValueTypeInvalid',
        message:
          'Invalid value: "array": spec.map in body must be of type object: "array"',
      },
    ]);
  });

  it('reports a fraction for an integer twice: its type and its range', () => {
    expect(errorsFor(spec, { count: 1.5 })).toEqual([
      {
        field: 'spec.count',
        reason: 'FieldValueTypeInvalid',
        message:
          'Invalid value: "number": spec.count in body must be of type integer: "number"',
      },
      {
        field: '<nil>',
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: "": Checked value must be of type integer (default format) in spec.count',
      },
    ]);
  });

  it('checks int32 and int64 ranges, on the field-less <nil> path like the real server', () => {
    const formats = object({
      small: { type: 'integer', format: 'int32' },
      big: { type: 'integer', format: 'int64' },
    });
    expect(
      errorsFor(formats, { small: 2147483647, big: 9007199254740991 }),
    ).toEqual([]);
    expect(errorsFor(formats, { small: 2147483648 })).toEqual([
      {
        field: '<nil>',
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: "": Checked value must be of type integer with format int32 in spec.small',
      },
    ]);
    expect(errorsFor(formats, { big: 1e19 })).toEqual([
      {
        field: 'spec.big',
        reason: 'FieldValueTypeInvalid',
        message:
          'Invalid value: "float64": spec.big in body must be of type int64: "float64"',
      },
      {
        field: '<nil>',
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: "": Checked value must be of type integer with format int64 in spec.big',
      },
    ]);
  });

  it('words a wrong type for a field with a format by its format', () => {
    const formats = object({
      when: { type: 'string', format: 'date-time' },
      size: { type: 'integer', format: 'int64' },
    });
    expect(errorsFor(formats, { when: 5, size: true })).toEqual([
      {
        field: 'spec.when',
        reason: 'FieldValueTypeInvalid',
        message:
          'Invalid value: "int64": spec.when in body must be of type date-time: "int64"',
      },
      {
        field: 'spec.size',
        reason: 'FieldValueTypeInvalid',
        message:
          'Invalid value: "": spec.size in body must be of type int64: ""',
      },
    ]);
  });

  it('checks date-time, date and byte formats and ignores formats the real server does not know', () => {
    const formats = object({
      when: { type: 'string', format: 'date-time' },
      day: { type: 'string', format: 'date' },
      blob: { type: 'string', format: 'byte' },
      odd: { type: 'string', format: 'no-such-format' },
    });
    expect(
      errorsFor(formats, {
        when: '2026-01-18T02:00:00Z',
        day: '2024-02-29',
        blob: 'aGVsbG8=',

        odd: 'x',
      }),
    ).toEqual([]);
    expect(errorsFor(formats, { when: '2026-01-18T02:00:00+08:00' })).toEqual(
      [],
    );
    expect(
      errorsFor(formats, {
        when: '2026-01-18 02:00',
        day: '2023-02-29',
        blob: 'hello',
      }),
    ).toEqual([
      {
        field: 'spec.when',
        reason: 'FieldValueTypeInvalid',
        message:
          'Invalid value: "2026-01-18 02:00": spec.when in body must be of type date-time: "2026-01-18 02:00"',
      },
      {
        field: 'spec.day',
        reason: 'FieldValueTypeInvalid',
        message:
          'Invalid value: "2023-02-29": spec.day in body must be of type date: "2023-02-29"',
      },
      {
        field: 'spec.blob',
        reason: 'FieldValueTypeInvalid',
        message:
          'Invalid value: "hello": spec.blob in body must be of type byte: "hello"',
      },
    ]);
  });
});

describe('nullable and null', () => {
  const spec = object({
    maybe: { type: 'string', nullable: true },
    never: { type: 'string' },
    list: { type: 'array', items: { type: 'string' } },
  });

  it('keeps null for a nullable field and silently drops it for a non-nullable one', () => {
    const result = validateAndPrune(resource(spec), {
      spec: { maybe: null, never: null },
    });
    expect(result.errors).toEqual([]);
    expect(result.value).toEqual({ spec: { maybe: null } });
  });

  it('rejects null as an array item of a non-nullable type', () => {
    expect(errorsFor(spec, { list: ['a', null] })).toEqual([
      {
        field: 'spec.list[1]',
        reason: 'FieldValueTypeInvalid',
        message:
          'Invalid value: "null": spec.list[1] in body must be of type string: "null"',
      },
    ]);
  });
});

describe('value checks', () => {
  it('enum: Unsupported value with the supported values', () => {
    const spec = object({
      onError: { type: 'string', enum: ['Continue', 'Fail'] },
      level: { type: 'integer', enum: [1, 2] },
    });
    expect(errorsFor(spec, { onError: 'Fail', level: 2 })).toEqual([]);
    expect(errorsFor(spec, { onError: 'Foo', level: 3 })).toEqual([
      {
        field: 'spec.onError',
        reason: 'FieldValueNotSupported',
        message:
          'Unsupported value: "Foo": supported values: "Continue", "Fail"',
      },
      {
        field: 'spec.level',
        reason: 'FieldValueNotSupported',
        message: 'Unsupported value: 3: supported values: "1", "2"',
      },
    ]);
  });

  it('checks the type first, then the enum, of the same value', () => {
    expect(
      errorsFor(object({ mode: { type: 'string', enum: ['a', 'b'] } }), {
        mode: 5,
      }),
    ).toEqual([
      {
        field: 'spec.mode',
        reason: 'FieldValueTypeInvalid',
        message:
          'Invalid value: "integer": spec.mode in body must be of type string: "integer"',
      },
      {
        field: 'spec.mode',
        reason: 'FieldValueNotSupported',
        message: 'Unsupported value: 5: supported values: "a", "b"',
      },
    ]);
  });

  it('required: Required value on the missing field, after the checks of present ones', () => {
    const spec = object(
      { a: { type: 'string' }, b: { type: 'string' } },
      { required: ['a', 'b'] },
    );
    expect(errorsFor(spec, { b: 1 })).toEqual([
      {
        field: 'spec.b',
        reason: 'FieldValueTypeInvalid',
        message:
          'Invalid value: "integer": spec.b in body must be of type string: "integer"',
      },
      {
        field: 'spec.a',
        reason: 'FieldValueRequired',
        message: 'Required value',
      },
    ]);
    expect(validateAndPrune(resource(spec, ['spec']), {}).errors).toEqual([
      {
        field: 'spec',
        reason: 'FieldValueRequired',
        message: 'Required value',
      },
    ]);
  });

  it('pattern, minLength and maxLength (only the first failing string check is reported)', () => {
    const spec = object({
      expires: { type: 'string', pattern: '^\\d+(h|m|s)$' },
      reason: {
        type: 'string',
        minLength: 1,
        maxLength: 5,
        pattern: '^[A-Za-z]+$',
      },
      note: { type: 'string', maxLength: 1 },
    });
    expect(
      errorsFor(spec, { expires: '168h', reason: 'Ready', note: 'é' }),
    ).toEqual([]);
    expect(errorsFor(spec, { expires: '7d', reason: '', note: 'ab' })).toEqual([
      {
        field: 'spec.expires',
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: "7d": spec.expires in body should match \'^\\d+(h|m|s)$\'',
      },
      {
        field: 'spec.reason',
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: "": spec.reason in body should be at least 1 chars long',
      },
      {
        field: 'spec.note',
        reason: 'FieldValueTooLong',
        message: 'Too long: may not be more than 1 byte',
      },
    ]);
    expect(errorsFor(spec, { reason: 'Waiting' })).toEqual([
      {
        field: 'spec.reason',
        reason: 'FieldValueTooLong',
        message: 'Too long: may not be more than 5 bytes',
      },
    ]);
  });

  it('minimum, maximum and their exclusive forms', () => {
    const spec = object({
      atLeastOne: { type: 'integer', minimum: 1 },
      aboveOne: { type: 'integer', minimum: 1, exclusiveMinimum: true },
      atMostTen: { type: 'number', maximum: 10 },
      belowTen: { type: 'integer', maximum: 10, exclusiveMaximum: true },
    });
    expect(
      errorsFor(spec, {
        atLeastOne: 1,
        aboveOne: 2,
        atMostTen: 10,
        belowTen: 9,
      }),
    ).toEqual([]);
    expect(
      errorsFor(spec, {
        atLeastOne: 0,
        aboveOne: 1,
        atMostTen: 10.5,
        belowTen: 10,
      }),
    ).toEqual([
      {
        field: 'spec.atLeastOne',
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: 0: spec.atLeastOne in body should be greater than or equal to 1',
      },
      {
        field: 'spec.aboveOne',
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: 1: spec.aboveOne in body should be greater than 1',
      },
      {
        field: 'spec.atMostTen',
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: 10.5: spec.atMostTen in body should be less than or equal to 10',
      },
      {
        field: 'spec.belowTen',
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: 10: spec.belowTen in body should be less than 10',
      },
    ]);
  });

  it('minItems, maxItems, minProperties, maxProperties', () => {
    const spec = object({
      command: {
        type: 'array',
        items: { type: 'string' },
        minItems: 1,
        maxItems: 2,
      },
      config: {
        type: 'object',
        additionalProperties: { type: 'string' },
        minProperties: 1,
        maxProperties: 1,
      },
    });
    expect(errorsFor(spec, { command: [], config: {} })).toEqual([
      {
        field: 'spec.command',
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: 0: spec.command in body should have at least 1 items',
      },
      {
        field: 'spec.config',
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: 0: spec.config in body should have at least 1 properties',
      },
    ]);
    expect(
      errorsFor(spec, { command: ['a', 'b', 'c'], config: { a: 'x', b: 'y' } }),
    ).toEqual([
      {
        field: 'spec.command',
        reason: 'FieldValueTooMany',
        message: 'Too many: 3: must have at most 2 items',
      },
      {
        field: 'spec.config',
        reason: 'FieldValueTooMany',
        message: 'Too many: 2: must have at most 1 item',
      },
    ]);
  });

  it('additionalProperties: every value is checked against its schema, named by key', () => {
    const spec = object({
      config: { type: 'object', additionalProperties: { type: 'string' } },
    });
    expect(
      errorsFor(spec, { config: { region: 'cn-hangzhou', 'velero.io/x': 5 } }),
    ).toEqual([
      {
        field: 'spec.config.velero.io/x',
        reason: 'FieldValueTypeInvalid',
        message:
          'Invalid value: "integer": spec.config.velero.io/x in body must be of type string: "integer"',
      },
    ]);
  });

  it('ignores x-kubernetes-validations (CEL rules are not evaluated)', () => {
    const spec = object(
      { a: { type: 'string' }, b: { type: 'string' } },
      {
        'x-kubernetes-validations': [
          {
            rule: 'has(self.a) != has(self.b)',
            message: 'exactly one of a and b',
          },
        ],
      },
    );
    expect(errorsFor(spec, { a: 'x', b: 'y' })).toEqual([]);
  });

  it('anyOf, oneOf and not report on the base path with the real wording', () => {
    const spec = object({
      any: { anyOf: [{ type: 'integer' }, { type: 'string' }] },
      one: { oneOf: [{ minimum: 0 }, { maximum: 10 }] },
      none: { type: 'string', not: { enum: ['forbidden'] } },
    } as Record<string, JSONSchemaProps>);
    expect(errorsFor(spec, { any: 1, one: -1, none: 'fine' })).toEqual([]);
    expect(errorsFor(spec, { any: true, one: 5, none: 'forbidden' })).toEqual([
      {
        field: '<nil>',
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: "": "spec.any" must validate at least one schema (anyOf)',
      },
      {
        field: 'spec.any',
        reason: 'FieldValueTypeInvalid',
        message:
          'Invalid value: "boolean": spec.any in body must be of type integer: "boolean"',
      },
      {
        field: '<nil>',
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: "": "spec.one" must validate one and only one schema (oneOf). Found 2 valid alternatives',
      },
      {
        field: '<nil>',
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: "": "spec.none" must not validate the schema (not)',
      },
    ]);
  });
});

describe('x-kubernetes-int-or-string', () => {
  const quantity = {
    'x-kubernetes-int-or-string': true,
    type: 'string',
    pattern: '^[0-9]+(Gi|Mi)?$',
  };
  const spec = object({ size: quantity });

  it('accepts an integer or a string (the pattern applies to strings only)', () => {
    expect(errorsFor(spec, { size: 1024 })).toEqual([]);
    expect(errorsFor(spec, { size: '10Gi' })).toEqual([]);
  });

  it('rejects other types and strings that miss the pattern', () => {
    expect(errorsFor(spec, { size: true })).toEqual([
      {
        field: 'spec.size',
        reason: 'FieldValueTypeInvalid',
        message:
          'Invalid value: "boolean": spec.size in body must be of type integer,string: "boolean"',
      },
    ]);
    expect(errorsFor(spec, { size: 'ten' })).toEqual([
      {
        field: 'spec.size',
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: "ten": spec.size in body should match \'^[0-9]+(Gi|Mi)?$\'',
      },
    ]);
  });
});

describe('pruning', () => {
  const schema = resource(
    object({
      known: { type: 'string' },
      nested: object({ keep: { type: 'integer' } }),
      items: { type: 'array', items: object({ name: { type: 'string' } }) },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      raw: {
        type: 'object',
        'x-kubernetes-preserve-unknown-fields': true,
        properties: { typed: object({ a: { type: 'string' } }) },
      },
      anything: { type: 'object', additionalProperties: true },
    }),
  );

  it('removes unknown fields at every level, keeps apiVersion, kind and metadata, and names what it removed', () => {
    const input = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', unknownMeta: 1 },
      extra: true,
      spec: {
        known: 'k',
        bogus: 1,
        nested: { keep: 1, drop: 2 },
        items: [{ name: 'a', color: 'red' }],
        labels: { app: 'x' },
      },
    };
    const result = validateAndPrune(schema, input);
    expect(result.errors).toEqual([]);
    expect(result.value).toEqual({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', unknownMeta: 1 },
      spec: {
        known: 'k',
        nested: { keep: 1 },
        items: [{ name: 'a' }],
        labels: { app: 'x' },
      },
    });
    expect(result.unknownFields).toEqual([
      'extra',
      'spec.bogus',
      'spec.items[0].color',
      'spec.nested.drop',
    ]);
    expect(input.spec.bogus).toBe(1); // the input is not modified
  });

  it('keeps unknown fields below x-kubernetes-preserve-unknown-fields, still pruning its typed properties', () => {
    const result = pruneAndDefault(schema, {
      spec: {
        raw: { free: { deep: [1, { x: 2 }] }, typed: { a: 'ok', b: 'gone' } },
      },
    });
    expect(result.value).toEqual({
      spec: { raw: { free: { deep: [1, { x: 2 }] }, typed: { a: 'ok' } } },
    });
    expect(result.unknownFields).toEqual(['spec.raw.typed.b']);
  });

  it('keeps the keys of additionalProperties: true but nothing inside them', () => {
    const result = pruneAndDefault(schema, {
      spec: { anything: { a: 1, b: { c: 2 } } },
    });
    expect(result.value).toEqual({ spec: { anything: { a: 1, b: {} } } });
    expect(result.unknownFields).toEqual(['spec.anything.b.c']);
  });

  it('keeps apiVersion, kind and metadata of an embedded resource and checks them', () => {
    const embedded = resource(
      object({
        template: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          'x-kubernetes-preserve-unknown-fields': true,
        },
        strict: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          properties: { spec: { type: 'object' } },
        },
      }),
    );
    const result = validateAndPrune(embedded, {
      spec: {
        template: {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'p' },
          spec: { x: 1 },
        },
        strict: {
          kind: 'ConfigMap',
          metadata: { name: 'a/b', labels: { 'bad key!': 'v' } },
          data: { a: 'b' },
        },
      },
    });
    expect(result.value).toEqual({
      spec: {
        template: {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'p' },
          spec: { x: 1 },
        },
        strict: {
          kind: 'ConfigMap',
          metadata: { name: 'a/b', labels: { 'bad key!': 'v' } },
        },
      },
    });
    expect(result.errors).toEqual([
      {
        field: 'spec.strict.apiVersion',
        reason: 'FieldValueRequired',
        message: 'Required value',
      },
      {
        field: 'spec.strict.metadata.name',
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "a/b": may not contain \'/\'',
      },
      {
        field: 'spec.strict.metadata.labels',
        reason: 'FieldValueInvalid',
        message:
          "Invalid value: \"bad key!\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      },
    ]);
  });
});

describe('defaults', () => {
  const schema = resource(
    object({
      credential: object(
        { key: { type: 'string' }, name: { type: 'string', default: '' } },
        { required: ['key'] },
      ),
      policy: object(
        {
          mode: { type: 'string', default: 'Retain' },
          limits: object(
            { max: { type: 'integer', default: 3 } },
            { default: {} },
          ),
        },
        { default: {} },
      ),
      steps: {
        type: 'array',
        items: object({ retries: { type: 'integer', default: 1 } }),
      },
      keepNull: { type: 'string', nullable: true, default: 'x' },
      fillNull: { type: 'string', default: 'filled' },
    }),
  );

  it('applies defaults of missing fields, inside defaults too, and in array items', () => {
    const result = validateAndPrune(schema, {
      spec: { credential: { key: 'cloud' }, steps: [{}, { retries: 5 }] },
    });
    expect(result.errors).toEqual([]);
    expect(result.value).toEqual({
      spec: {
        credential: { key: 'cloud', name: '' },
        steps: [{ retries: 1 }, { retries: 5 }],
        policy: { mode: 'Retain', limits: { max: 3 } },
        fillNull: 'filled',
        keepNull: 'x',
      },
    });
  });

  it('replaces null by the default only where null is not allowed', () => {
    const result = validateAndPrune(schema, {
      spec: { keepNull: null, fillNull: null },
    });
    expect(result.value).toMatchObject({
      spec: { keepNull: null, fillNull: 'filled' },
    });
  });

  it('does not default what the object leaves out above (no spec, no defaults below it)', () => {
    expect(validateAndPrune(schema, { kind: 'Widget' }).value).toEqual({
      kind: 'Widget',
    });
  });
});

describe('x-kubernetes-list-type', () => {
  const spec = object({
    tags: {
      type: 'array',
      items: { type: 'string' },
      'x-kubernetes-list-type': 'set',
    },
    ports: {
      type: 'array',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
      items: object({ name: { type: 'string' }, port: { type: 'integer' } }),
    },
    pairs: {
      type: 'array',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['a', 'b'],
      items: object({ a: { type: 'string' }, b: { type: 'string' } }),
    },
    atomic: {
      type: 'array',
      items: { type: 'string' },
      'x-kubernetes-list-type': 'atomic',
    },
  });

  it('reports each repeated set value and map key once, after the schema errors', () => {
    expect(
      errorsFor(spec, {
        tags: ['a', 'b', 'a', 'a'],
        ports: [
          { name: 'http', port: 80 },
          { name: 'http', port: 8080 },
          { port: 1 },
          { port: 2 },
        ],
        pairs: [
          { a: 'x', b: 'y' },
          { b: 'y', a: 'x' },
        ],
        atomic: ['same', 'same'],
      }),
    ).toEqual([
      {
        field: 'spec.tags[2]',
        reason: 'FieldValueDuplicate',
        message: 'Duplicate value: "a"',
      },
      {
        field: 'spec.ports[1]',
        reason: 'FieldValueDuplicate',
        message: 'Duplicate value: {"name":"http"}',
      },
      {
        field: 'spec.ports[3]',
        reason: 'FieldValueDuplicate',
        message: 'Duplicate value: {}',
      },
      {
        field: 'spec.pairs[1]',
        reason: 'FieldValueDuplicate',
        message: 'Duplicate value: {"a":"x","b":"y"}',
      },
    ]);
  });

  it('needs objects in a map list', () => {
    expect(errorsFor(spec, { ports: [{ name: 'a' }, 'b'] })).toEqual([
      {
        field: 'spec.ports[1]',
        reason: 'FieldValueTypeInvalid',
        message:
          'Invalid value: "string": spec.ports[1] in body must be of type object: "string"',
      },
      {
        field: 'spec.ports[1]',
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: "b": must be an object for an array of list-type map',
      },
    ]);
  });
});

describe('CEL rules', () => {
  const schema = resource(
    object(
      { a: { type: 'string' }, b: { type: 'string' } },
      {
        'x-kubernetes-validations': [
          {
            rule: 'has(self.a) != has(self.b)',
            message: 'exactly one of a and b',
          },
        ],
      },
    ),
  );
  const skipped = {
    field: '<nil>',
    reason: 'FieldValueInvalid',
    message:
      'Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
  };

  it('says the rules were skipped after a blocking error (type, required, enum, too long, too many)', () => {
    expect(validateAndPrune(schema, { spec: { a: 1 } }).errors).toEqual([
      {
        field: 'spec.a',
        reason: 'FieldValueTypeInvalid',
        message:
          'Invalid value: "integer": spec.a in body must be of type string: "integer"',
      },
      skipped,
    ]);
    expect(
      validateAndPrune(
        schema,
        { spec: {} },
        {
          otherErrors: [
            {
              field: 'metadata.name',
              reason: 'FieldValueRequired',
              message: 'Required value',
            },
          ],
        },
      ).errors,
    ).toEqual([skipped]);
  });

  it('says nothing after other errors, or when the CRD has no rules', () => {
    const patterned = resource(
      object(
        { a: { type: 'string', pattern: '^x$' } },
        { 'x-kubernetes-validations': [{ rule: 'true' }] },
      ),
    );
    expect(validateAndPrune(patterned, { spec: { a: 'y' } }).errors).toEqual([
      {
        field: 'spec.a',
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "y": spec.a in body should match \'^x$\'',
      },
    ]);
    expect(errorsFor(object({ a: { type: 'string' } }), { a: 1 })).toHaveLength(
      1,
    );
  });
});

describe('validateSchema of the status subresource', () => {
  it('names fields under status, as an update of /status does', () => {
    const status = object(
      {
        phase: { type: 'string', enum: ['New', 'Completed'] },
        errors: { type: 'integer' },
      },
      { required: ['phase'] },
    );
    expect(
      validateSchema(
        status,
        { phase: 'Done', errors: 'many' },
        { path: 'status' },
      ),
    ).toEqual([
      {
        field: 'status.phase',
        reason: 'FieldValueNotSupported',
        message:
          'Unsupported value: "Done": supported values: "New", "Completed"',
      },
      {
        field: 'status.errors',
        reason: 'FieldValueTypeInvalid',
        message:
          'Invalid value: "string": errors in body must be of type integer: "string"',
      },
    ]);
    expect(validateSchema(status, {}, { path: 'status' })).toEqual([
      {
        field: 'status.phase',
        reason: 'FieldValueRequired',
        message: 'Required value',
      },
    ]);
  });
});
