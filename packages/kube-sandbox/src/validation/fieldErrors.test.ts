import {
  formatBadValue,
  formatInvalidMessage,
  invalid,
  notSupported,
  required,
  tooLong,
  tooMany,
} from './fieldErrors';
import { goFloat, goJson, goQuote, GoStruct } from './goFormat';

describe('formatInvalidMessage', () => {
  const typeError = invalid('spec.schedule', 'x', 'bad');
  const missing = required('spec.template');

  it('builds the 422 message: Kind.group "name" is invalid: field: message', () => {
    expect(
      formatInvalidMessage({
        kind: 'Schedule',
        group: 'velero.io',
        name: 'nightly',
        errors: [typeError],
      }),
    ).toBe(
      'Schedule.velero.io "nightly" is invalid: spec.schedule: Invalid value: "x": bad',
    );
  });

  it('brackets several errors, says each text once, and leaves the core group out', () => {
    expect(
      formatInvalidMessage({
        kind: 'ConfigMap',
        group: '',
        name: 'c',
        errors: [typeError, missing, { ...typeError }],
      }),
    ).toBe(
      'ConfigMap "c" is invalid: [spec.schedule: Invalid value: "x": bad, spec.template: Required value]',
    );
  });

  it('says only "is invalid" without errors, and quotes the name like Go', () => {
    expect(
      formatInvalidMessage({
        kind: 'Backup',
        group: 'velero.io',
        name: 'a"b',
        errors: [],
      }),
    ).toBe('Backup.velero.io "a\\"b" is invalid');
  });
});

describe('field errors', () => {
  it('words each kind of error like k8s.io/apimachinery field.Error', () => {
    expect(required('spec.a', 'why')).toEqual({
      field: 'spec.a',
      reason: 'FieldValueRequired',
      message: 'Required value: why',
    });
    expect(notSupported('spec.b', null, [])).toEqual({
      field: 'spec.b',
      reason: 'FieldValueNotSupported',
      message: 'Unsupported value: null',
    });
    expect(tooLong('spec.c', -1).message).toBe('Too long: value is too long');
    expect(tooMany('spec.d', -1, 1).message).toBe(
      'Too many: must have at most 1 item',
    );
  });

  it('shows bad values as Go does: %q strings, plain numbers and booleans, JSON for the rest', () => {
    expect(formatBadValue('a\tb')).toBe('"a\\tb"');
    expect(formatBadValue(3)).toBe('3');
    expect(formatBadValue(0.5)).toBe('0.5');
    expect(formatBadValue(false)).toBe('false');
    expect(formatBadValue({ b: 1, a: ['<x>'] })).toBe(
      '{"a":["\\u003cx\\u003e"],"b":1}',
    );
    expect(formatBadValue(null)).toBe('null');
  });
});

describe('Go formatting', () => {
  it('quotes like strconv.Quote', () => {
    expect(goQuote('plain')).toBe('"plain"');
    expect(goQuote('say "hi"\\')).toBe('"say \\"hi\\"\\\\"');
    expect(goQuote('\n\r\t\x07\x01\x7f')).toBe('"\\n\\r\\t\\a\\x01\\x7f"');
    expect(goQuote('备份 ✓')).toBe('"备份 ✓"');
    expect(goQuote('\u2028\u00a0')).toBe('"\\u2028\\u00a0"');
  });

  it('prints float64 like %v (shortest, exponent from 1e+06 and below 1e-04)', () => {
    expect(goFloat(1.5)).toBe('1.5');
    expect(goFloat(123456)).toBe('123456');
    expect(goFloat(1e6)).toBe('1e+06');
    expect(goFloat(1234567.5)).toBe('1.2345675e+06');
    expect(goFloat(0.0001)).toBe('0.0001');
    expect(goFloat(0.00001)).toBe('1e-05');
    expect(goFloat(1e21)).toBe('1e+21');
  });

  it('marshals JSON like encoding/json: sorted map keys, struct fields in order', () => {
    expect(goJson({ z: 1, a: { y: null, b: 'x&y' } })).toBe(
      '{"a":{"b":"x\\u0026y","y":null},"z":1}',
    );
    expect(
      goJson(new GoStruct({ kind: 'Pod', name: 'p', controller: undefined })),
    ).toBe('{"kind":"Pod","name":"p"}');
  });
});
